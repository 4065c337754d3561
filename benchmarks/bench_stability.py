"""Timings of the stability modes, printed (not asserted): the sample with its partner sheets, and
300 candidates x the partners with every partner rating every candidate 1-5 (ties), require mode.

Run: .venv/bin/python benchmarks/bench_stability.py [--quick]

Times are of `solve_pairing` in one process (reading the files is the same for every mode), so
"beyond pair" is the stability mode's time less the time without it. On a shared machine the wall
time can be a multiple of the CPU time printed beside it.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matchmaker.criteria import load_criteria
from matchmaker.intake import read_form
from matchmaker.pairing import solve_pairing
from matchmaker.partner_sheets import read_partner_ratings
from matchmaker.partners import read_partners
from matchmaker.reviews import read_reviews
from matchmaker.sample import make_export, write_export
from matchmaker.scoring import score, with_scores

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def timed(label: str, func: Callable[[], Any]) -> tuple[Any, float]:
    """Wall time, and this process's CPU time (the in-process HiGHS solves; not CBC's process)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = func()
    took = time.perf_counter() - start
    print(f"{label:<62} {took:7.2f} s  (cpu {time.process_time() - cpu:6.2f} s)")
    return out, took


def describe(result: Any) -> str:
    block = result.stability
    need = [x.get("need") for x in result.explanations if x.get("need") is not None]
    return (
        f"blocking {len(block['blocking_pairs'])}, value {block['value_stable']} of "
        f"{block['value_unconstrained']}, what-ifs answered {sum(n != 'time_limit' for n in need)}"
        f" of {len(need)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    repeats = 1 if parser.parse_args().quick else 3
    criteria = load_criteria(None)
    intake = read_form(SAMPLE / "candidacies.xlsx", eligibility=criteria.eligibility)
    agg = read_reviews([SAMPLE / "reviews"], criteria, intake.candidates).aggregate("mean")
    cands = with_scores(intake.candidates, score(intake.candidates, criteria, agg))
    partners = read_partners(SAMPLE / "partners.csv")
    read = read_partner_ratings([SAMPLE / "partner-sheets"], cands, partners)
    ratings = [(r.candidate_id, r.partner, r.rating) for r in read]
    print(f"sample: {len(cands)} candidates, {len(partners)} partners, {len(ratings)} ratings")
    for k in range(repeats):
        _, off = timed(f"sample [{k}]: pair (no stability)", lambda: solve_pairing(cands, partners, criteria))
        for mode in ("report", "require"):
            got, took = timed(
                f"sample [{k}]: --stability {mode}",
                lambda mode=mode: solve_pairing(  # type: ignore[misc]
                    cands, partners, criteria, partner_ratings=ratings, stability=mode
                ),
            )
            print(f"{'  beyond pair (target < 1 s)':<62} {took - off:7.2f} s   {describe(got)}")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.xlsx"
        write_export(make_export(300, seed=3), big)
        intake = read_form(big, eligibility=criteria.eligibility)
        table = with_scores(intake.candidates, score(intake.candidates, criteria))
        ids = table.loc[table["score"].notna(), "candidate_id"].astype(str).tolist()
        rng = random.Random(1)
        every = [(c, str(p), rng.randint(1, 5)) for p in partners["partner"] for c in ids]
        print(f"300-candidate export: {len(ids)} scored, {len(partners)} partners, {len(every)} ratings")
        for k in range(repeats):
            timed(f"300 [{k}]: pair (no stability)", lambda: solve_pairing(table, partners, criteria))
            got, took = timed(
                f"300 [{k}]: --stability require (target < 10 s)",
                lambda: solve_pairing(table, partners, criteria, partner_ratings=every, stability="require"),
            )
            print(f"{'  ':<62} {'':7}     {describe(got)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
