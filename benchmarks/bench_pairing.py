"""Timings of the pairing, printed (not asserted): the sample job end to end, a large model, pure assignment.

Run: .venv/bin/python benchmarks/bench_pairing.py [--quick]

Targets (with every explanation, what-if, replacement and reserve): 300 eligible tied candidates
x 15 partners under 5 s, 1,000 x 150 under 60 s, three alternatives adding at most 50%.

The sample job is timed twice. "as run here" uses this environment as it is: where
PYTHONDONTWRITEBYTECODE is set, Python compiles matchmaker's own modules on every run, while its
dependencies come precompiled from their installation. "bytecode cached" gives both commands a
bytecode cache (PYTHONPYCACHEPREFIX, filled by one untimed run), as after any normal first run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from matchmaker.pairing import UNIT, Instance, PairingModel, lexsolve
from matchmaker.pairing.counterfactual import capped_candidates, forced_solutions
from matchmaker.pairing.lexicographic import no_good
from matchmaker.pairing.replacements import country_forced, withdrawals

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BIN = Path(sys.executable).parent
BARE = [sys.executable, "-c", "import pandas, pulp, scipy, openpyxl"]

# The sample job's stages in one process, each timed on its own (imports included where they happen).
STAGES = """
import json, sys, time
from pathlib import Path
t = [time.perf_counter()]
out = {}
def lap(name):
    t.append(time.perf_counter()); out[name] = round((t[-1] - t[-2]) * 1000)
import pandas, pulp, scipy, openpyxl; lap("import pandas, pulp, scipy, openpyxl")
from matchmaker import cli; lap("import matchmaker.cli (click)")
from matchmaker.criteria import load_criteria; criteria = load_criteria(None); lap("criteria")
from matchmaker.pipeline import run; lap("import pipeline, pairing")
from matchmaker.intake import read_form; lap("import intake, reference")
S = Path(sys.argv[1])
intake = read_form(S / "candidacies.xlsx", eligibility=criteria.eligibility); lap("read_form")
from matchmaker.reviews import read_reviews; lap("import reviews, export")
agg = read_reviews([S / "reviews"], criteria, intake.candidates).aggregate("mean"); lap("read_reviews")
from matchmaker.scoring import score, with_scores
cands = with_scores(intake.candidates, score(intake.candidates, criteria, agg)); lap("scoring")
from matchmaker.partners import read_partners; partners = read_partners(S / "partners.csv"); lap("partners")
from matchmaker.pairing import format_report, solve_pairing
result = solve_pairing(cands, partners, criteria); format_report(result); lap("solve_pairing")
from matchmaker.export import write_shortlist; from matchmaker.files import write_json
write_shortlist(result, Path(sys.argv[2]) / "s.xlsx", criteria=criteria, inputs=[]); lap("write_shortlist")
write_json(result.to_json(), Path(sys.argv[2]) / "r.json", inputs=[]); lap("write_json")
print(json.dumps(out))
"""


def interleaved(commands: dict[str, list[str]], repeat: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Wall times, the commands taking turns so that both see the same load on the machine."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            times[name].append(time.perf_counter() - start)
    return times


def end_to_end(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        job = [str(BIN / "matchmaker"), "pair", str(SAMPLE / "candidacies.xlsx")]
        job += ["--partners", str(SAMPLE / "partners.csv"), "--reviews", str(SAMPLE / "reviews")]
        job += ["--out", f"{tmp}/shortlist.xlsx", "--json", f"{tmp}/result.json"]
        commands = {"bare": BARE, "pair": job}
        as_is = dict(os.environ)
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = f"{tmp}/pycache"
        interleaved(commands, 1, cached)  # fills the cache
        for label, env in (("as run here", as_is), ("bytecode cached", cached)):
            times = interleaved(commands, repeat, env)
            b, p = min(times["bare"]), min(times["pair"])
            target = 1.5 * b + 0.3
            print(
                f"sample pair command ({label}), best of {repeat}: {p:.2f} s"
                f" (median {statistics.median(times['pair']):.2f} s); bare import of pandas, pulp, scipy,"
                f" openpyxl {b:.2f} s (median {statistics.median(times['bare']):.2f} s)"
            )
            print(
                f"  ratio {p / b:.2f}x; target 1.5 x bare + 0.3 s = {target:.2f} s:"
                f" {'met' if p <= target else 'MISSED'} (margin {target - p:+.2f} s)"
            )
        # where the time goes, best of a few runs per stage
        runs = []
        for _ in range(min(repeat, 5)):
            done = subprocess.run(
                [sys.executable, "-c", STAGES, str(SAMPLE), tmp],
                check=True,
                capture_output=True,
                text=True,
                env=cached,
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print("  stages in one process (bytecode cached), best of each in ms:")
        for stage in runs[0]:
            print(f"    {stage:<38} {min(r[stage] for r in runs):5d}")


def random_instance(n: int, m: int, density: float, seed: int = 0) -> Instance:
    rng = np.random.default_rng(seed)
    allowed = rng.random((n, m)) < density
    ci, pj = np.nonzero(allowed)
    values = rng.integers(40 * UNIT, 100 * UNIT, size=len(ci))
    provinces = ("Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen")
    return Instance(
        candidates=tuple(f"c{i}" for i in range(n)),
        provinces=tuple(provinces[i % 5] for i in range(n)),
        partners=tuple(f"p{j}" for j in range(m)),
        countries=tuple("Rwanda" if j % 2 else "Benin" for j in range(m)),
        edge_cand=ci.astype(np.int64),
        edge_partner=pj.astype(np.int64),
        edge_value=values.astype(np.int64),
        quotas={"Rwanda": m // 2, "Benin": m - m // 2},
        max_per_province=m // 4,
    )


def scale(n: int, m: int, solver: str) -> None:
    inst = random_instance(n, m, 0.10)
    start = time.perf_counter()
    model = PairingModel(inst)
    built = time.perf_counter() - start
    start = time.perf_counter()
    found = lexsolve(model, solver=solver)
    solved = time.perf_counter() - start
    assert found is not None
    sol = found[0]
    total = built + solved
    print(
        f"{n:,} candidates x {m} partners, {inst.n_edges:,} allowed pairs ({solver}): build {built:.2f} s,"
        f" solve {solved:.2f} s in {model.solves - model.solves_here} {solver} call(s)"
        f" + {model.solves_here} in process, total {total:.2f} s"
        f" ({'under' if total < 30 else 'OVER'} 30 s); {sol.count} pairs,"
        f" {'optimal' if sol.optimal else 'feasible'}"
    )


def tied_instance(n: int, m: int, density: float, seed: int = 0) -> Instance:
    """As `random_instance`, with the few distinct values a rubric gives: ties everywhere."""
    inst = random_instance(n, m, density, seed)
    rng = np.random.default_rng(seed + 1)
    score = (50 + 5 * rng.integers(0, 6, size=n)) * UNIT
    values = score[inst.edge_cand] + 5 * UNIT * rng.integers(0, 3, size=inst.n_edges)
    return dataclasses.replace(inst, edge_value=values.astype(np.int64))


def whatifs(n: int, m: int, density: float, alternatives: int = 0) -> None:
    """The pairing with every answer around it, CPU time: the optimum, the alternatives, the
    province-cap re-solves, the forced re-solve of every unselected candidate, the replacement of
    every selected one and the reserves' re-solves in their other country."""
    inst = tied_instance(n, m, density)
    start = time.process_time()
    model = PairingModel(inst)
    found = lexsolve(model)
    assert found is not None
    best = found[0]
    cuts = [model.at_least(model.count_expr, best.count)]
    previous = best
    for _ in range(alternatives):
        cuts.append(no_good(model, previous, "selection"))
        got = lexsolve(model, cuts)
        if got is None:
            break
        previous = got[0]
    solved = time.process_time() - start
    others = sorted(set(inst.edge_cand.tolist()) - {int(inst.edge_cand[e]) for e in best.edges})
    capped_candidates(inst, best, others)
    forced = forced_solutions(inst, best, others)
    asked = time.process_time()
    withdrawn = withdrawals(inst, best)
    reserves = country_forced(inst, best, forced, others)
    total = time.process_time() - start
    print(
        f"what-ifs, {n:,} tied candidates x {m} partners, {inst.n_edges:,} allowed pairs"
        f"{f', {alternatives} alternatives' if alternatives else ''}: {total:.2f} s CPU"
        f" (optimum{' and alternatives' if alternatives else ''} {solved:.2f} s,"
        f" {len(forced)} of {len(others)} what-ifs answered; {len(withdrawn)} replacements and"
        f" {len(reserves)} reserve answers {total - (asked - start):.2f} s)"
    )


def export_run(submissions: int) -> None:
    """`matchmaker pair` on a generated export of this many submissions against the sample's
    partners, CPU time of the child process, with and without --alternatives 3."""
    from matchmaker.sample import make_export, write_export

    with tempfile.TemporaryDirectory() as tmp:
        forms = Path(tmp) / "big.xlsx"
        write_export(make_export(submissions, seed=3), forms)
        for extra in ([], ["--alternatives", "3"]):
            job = [str(BIN / "matchmaker"), "pair", str(forms), "--partners", str(SAMPLE / "partners.csv")]
            job += ["--out", f"{tmp}/b.xlsx", "--json", f"{tmp}/b.json", "--force", *extra]
            before = os.times()
            subprocess.run(job, check=True, capture_output=True)
            after = os.times()
            cpu = (after.children_user - before.children_user) + (
                after.children_system - before.children_system
            )
            print(
                f"pair on {submissions} submissions x the sample's partners {' '.join(extra)}:"
                f" {cpu:.2f} s CPU"
            )


def assignment(n: int, m: int) -> None:
    rng = np.random.default_rng(1)
    values = rng.integers(1, 100 * UNIT, size=(n, m))
    inst = Instance.assignment(values)
    start = time.perf_counter()
    found = lexsolve(PairingModel(inst))
    ours = time.perf_counter() - start
    start = time.perf_counter()
    rows, cols = linear_sum_assignment(values, maximize=True)
    lsa = time.perf_counter() - start
    assert found is not None and found[0].value == int(values[rows, cols].sum())
    print(
        f"pure assignment {n} x {m}: model {ours:.2f} s, linear_sum_assignment {lsa * 1000:.1f} ms,"
        f" ratio {ours / lsa:,.0f}x (same optimum)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    a = ap.parse_args()
    end_to_end(3 if a.quick else 7)
    export_run(300)
    whatifs(300, 15, 0.6)
    whatifs(300, 15, 0.6, alternatives=3)
    if not a.quick:
        whatifs(1000, 150, 0.1)
        whatifs(1000, 150, 0.1, alternatives=3)
    if a.quick:
        scale(1000, 100, "cbc")
    else:
        scale(5000, 500, "cbc")
        scale(5000, 500, "highs")
    assignment(200, 50) if a.quick else assignment(500, 100)


if __name__ == "__main__":
    main()
