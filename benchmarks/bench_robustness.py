"""Timings of the weight robustness, printed (not asserted): the exact split on the sample and on a
300-candidate export, and sampled weights re-solved on the fast path beside the plain loop.

Run: .venv/bin/python benchmarks/bench_robustness.py [SAMPLES] [LOOP]

The plain loop is `criteria.with_weights(...)` + `run(...)` per weight vector, timed on LOOP
vectors and scaled to SAMPLES.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from matchmaker.criteria import load_criteria
from matchmaker.intake import read_form
from matchmaker.partners import read_partners
from matchmaker.pipeline import robustness, run
from matchmaker.robustness import Resolver, analyse
from matchmaker.sample import make_export, write_export
from matchmaker.scoring import criterion_matrix, score, with_scores
from matchmaker.weight_space import region_of, sample

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def timed(label: str, func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = func()
    took = time.perf_counter() - start
    print(f"{label:<58} {took:7.2f} s")
    return out, took


def main() -> int:
    n_samples = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    n_loop = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    forms, partners = SAMPLE / "candidacies.xlsx", SAMPLE / "partners.csv"
    _, pair_time = timed("sample: run() (pair's own work)", lambda: run(forms, partners))
    got, total = timed(
        "sample: robustness() exact, no reviews", lambda: robustness(forms, partners, samples=1)
    )
    print(f"{'  beyond pair (target < 2 s)':<58} {total - pair_time:7.2f} s   solves: {got.solves}")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.xlsx"
        write_export(make_export(300, seed=3), big)
        criteria = load_criteria()
        intake = read_form(big, eligibility=criteria.eligibility)
        table = with_scores(intake.candidates, score(intake.candidates, criteria))
        matrix = criterion_matrix(intake.candidates, criteria)
        partner_table = read_partners(partners)
        n_cands = int(table["score"].notna().sum())
        print(f"300-candidate export: {n_cands} scored, {len(partner_table)} partners")
        res, _ = timed(
            "300: exact split + intervals + radius (target < 10 s)",
            lambda: analyse(table, partner_table, criteria, matrix),
        )
        kept = res.selection_share
        print(f"  pairings: {len(res.pairings)}, solves: {res.solves}, shortlist kept: {kept:.1%}")
        from matchmaker.pairing.instance import encode

        inst = encode(table, partner_table, criteria).instance
        row = {c: i for i, c in enumerate(matrix.candidate_ids)}
        resolver = Resolver(inst, matrix.values[[row[c] for c in inst.candidates]])
        weights = sample(region_of(criteria), n_samples, np.random.default_rng(0))
        _, fast = timed(
            f"300: {n_samples} sampled weightings, each re-solved (< 10 s)",
            lambda: [resolver.settled_at(w) for w in weights],
        )
        keys = [c.key for c in criteria.criteria]

        def loop() -> None:
            for w in weights[:n_loop]:
                run(big, partners, criteria=criteria.with_weights(dict(zip(keys, w.tolist(), strict=True))))

        _, slow = timed(f"300: plain loop with_weights + run, {n_loop} vectors", loop)
        per = slow / n_loop
        scaled = per * n_samples
        print(f"  plain loop scaled to {n_samples}: {scaled:.0f} s; speed-up {scaled / fast:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
