"""robustness.py: the exact split of the weights equals brute force and Monte Carlo; the chosen
weights give `pair`'s pairing; the command prints its summary and writes its JSON."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.optimize import linprog
from scipy.spatial import ConvexHull, HalfspaceIntersection

from matchmaker.cli import main
from matchmaker.pairing.instance import UNIT, Instance
from matchmaker.pipeline import RunOptions, robustness, run
from matchmaker.robustness import SCHEMA, Resolver, decompose, intervals, radius
from matchmaker.weight_space import Region, sample

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def tiny(seed: int, n: int = 6) -> tuple[Instance, np.ndarray]:
    """n candidates, 4 partners in two countries (quotas 1 and 2), two provinces capped at 2."""
    rng = np.random.default_rng(seed)
    values = rng.random((n, 3))
    ci, pj = np.nonzero(rng.random((n, 4)) < 0.8)
    fit = np.rint(rng.random(len(ci)) * 8 * UNIT).astype(np.int64)
    score = np.rint(values @ np.array([50.0, 35.0, 15.0]) * UNIT).astype(np.int64)
    inst = Instance(
        candidates=tuple(f"c{i}" for i in range(n)),
        provinces=tuple("AB"[i % 2] for i in range(n)),
        partners=("p0", "p1", "p2", "p3"),
        countries=("X", "X", "Y", "Y"),
        edge_cand=ci.astype(np.int64),
        edge_partner=pj.astype(np.int64),
        edge_value=score[ci] + fit,
        quotas={"X": 1, "Y": 2},
        max_per_province=2,
        fit=fit,
    )
    return inst, values


def pairings(inst: Instance) -> list[tuple[int, ...]]:
    """Every feasible pairing with the most slots, by enumeration."""
    edges = list(range(inst.n_edges))
    found: list[tuple[int, ...]] = []
    for size in range(len(inst.partners), -1, -1):
        for combo in itertools.combinations(edges, size):
            cands = [int(inst.edge_cand[e]) for e in combo]
            parts = [int(inst.edge_partner[e]) for e in combo]
            if len(set(cands)) < size or len(set(parts)) < size:
                continue
            per_country = {c: sum(inst.countries[p] == c for p in parts) for c in inst.quotas}
            if any(per_country[c] > q for c, q in inst.quotas.items()):
                continue
            per_province = {v: sum(inst.provinces[c] == v for c in cands) for v in "AB"}
            if any(m > 2 for m in per_province.values()):
                continue
            found.append(combo)
        if found:
            return found
    return found


def brute_shares(inst: Instance, values: np.ndarray, region: Region) -> dict[tuple[int, ...], float]:
    """Each pairing's area of the region where it is optimal: an LP in weight space per pairing,
    vertices by halfspace intersection, area by convex hull."""
    funcs = []
    for combo in pairings(inst):
        a = values[[int(inst.edge_cand[e]) for e in combo]].sum(axis=0)
        b = float(inst.edge_fit[list(combo)].sum()) / UNIT
        funcs.append((tuple(sorted(combo)), a, b))
    a_r, b_r = region.rows()
    areas = {}
    for combo, a, b in funcs:
        g = np.array([fa - a for _, fa, _ in funcs])
        h = np.array([b - fb for _, _, fb in funcs])
        a_p, b_p = region.in_coordinates(g, h)
        big_a, big_b = np.vstack([a_r, a_p]), np.concatenate([b_r, b_p])
        keep = np.abs(big_a).max(axis=1) > 1e-12  # the same candidates: only the fit differs
        if (big_b[~keep] < 0).any():
            continue
        big_a, big_b = big_a[keep], big_b[keep]
        norms = np.linalg.norm(big_a, axis=1)
        res = linprog(
            [0, 0, -1],
            A_ub=np.hstack([big_a, norms[:, None]]),
            b_ub=big_b,
            bounds=[(None, None)] * 2 + [(0, None)],
        )
        if res.status != 0 or res.x[2] < 1e-7:
            continue
        hs = HalfspaceIntersection(np.hstack([big_a, -big_b[:, None]]), res.x[:2])
        areas[combo] = ConvexHull(hs.intersections).volume
    total = sum(areas.values())
    return {k: v / total for k, v in areas.items()}


WIDE = Region(("a", "b", "c"), 100.0, np.array([50.0, 35.0, 15.0]), np.zeros(3), np.full(3, 100.0))
NEAR = Region(
    ("a", "b", "c"), 100.0, np.array([50.0, 35.0, 15.0]), np.array([35.0, 20, 0]), np.array([65.0, 50, 30])
)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("region", [WIDE, NEAR], ids=["simplex", "default"])
def test_the_exact_split_equals_brute_force(seed: int, region: Region) -> None:
    inst, values = tiny(seed)
    cells, _ = decompose(Resolver(inst, values), region)
    total = sum(c.volume for _, c in cells)
    exact = {tuple(sorted(p.edges)): c.volume / total for p, c in cells}
    brute = {k: v for k, v in brute_shares(inst, values, region).items() if v > 1e-6}
    assert set(exact) == set(brute)
    for key, share in brute.items():
        assert exact[key] == pytest.approx(share, abs=1e-6)
    assert sum(exact.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [1, 4])
def test_exact_shares_agree_with_monte_carlo(seed: int) -> None:
    inst, values = tiny(seed)
    cells, _ = decompose(Resolver(inst, values), WIDE)
    total = sum(c.volume for _, c in cells)
    n = 10_000
    w = sample(WIDE, n, np.random.default_rng(seed))
    a = np.array([p.a for p, _ in cells])
    b = np.array([p.b for p, _ in cells])
    # every pairing that is optimal anywhere is among the cells, so the best of them is the optimum
    winner = np.argmax(w @ a.T + b, axis=1)
    for i, (_, c) in enumerate(cells):
        share = c.volume / total
        observed = float((winner == i).mean())
        assert abs(observed - share) <= 4 * np.sqrt(share * (1 - share) / n) + 1e-3


def test_intervals_and_radius_bound_where_the_chosen_pairing_stays() -> None:
    inst, values = tiny(3)
    resolver = Resolver(inst, values)
    chosen = resolver.solve(WIDE.chosen, settle=True, rounded=True)
    cells, _ = decompose(resolver, WIDE)
    spans = intervals(resolver, WIDE, chosen)
    r = radius(resolver, WIDE, chosen, [p for p, _ in cells])
    rng = np.random.default_rng(0)
    for w in sample(WIDE, 300, rng):
        best = max(float(p.value(w)) for p, _ in cells)
        close = np.abs(w - WIDE.chosen).max()
        if r is not None and close < r - 1e-6:
            assert float(chosen.value(w)) >= best - 1e-6
    for key, span in spans.items():
        assert span["low"] <= WIDE.chosen[WIDE.criteria.index(key)] <= span["high"]


@pytest.fixture(scope="module")
def sample_analysis() -> dict[str, object]:
    result = robustness(
        SAMPLE / "candidacies.xlsx",
        SAMPLE / "partners.csv",
        RunOptions(reviews=(SAMPLE / "reviews",)),
        samples=20,
    )
    return result.to_json()


def test_the_chosen_weights_give_the_pairing_of_pair(sample_analysis: dict[str, object]) -> None:
    paired = run(SAMPLE / "candidacies.xlsx", SAMPLE / "partners.csv", reviews=[SAMPLE / "reviews"])
    expected = sorted([p["candidate_id"], p["partner"]] for p in paired.to_json()["pairs"])
    chosen = [p for p in sample_analysis["pairings"] if p["contains_chosen"]]  # type: ignore[attr-defined]
    assert len(chosen) == 1
    assert sorted(chosen[0]["pairs"]) == expected


def test_the_sample_document_has_the_stated_shape(sample_analysis: dict[str, object]) -> None:
    doc = sample_analysis
    assert doc["schema"] == SCHEMA
    assert doc["method"] == "exact"
    assert sum(p["share"] for p in doc["pairings"]) == pytest.approx(1.0)  # type: ignore[attr-defined]
    assert set(doc["weights"]) == {"criteria", "chosen", "region"}  # type: ignore[arg-type]
    for c in doc["candidates"]:  # type: ignore[attr-defined]
        assert set(c) == {"candidate_id", "selection_share", "possible", "necessary", "central_weights"}
    assert doc["uncertainty"]["samples"] == 20  # type: ignore[index]
    assert doc["manifest"]["criteria_sha256"]  # type: ignore[index]
    json.dumps(doc)


def test_the_command_prints_the_summary_and_writes_the_json(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    outcome = CliRunner().invoke(
        main,
        [
            "robustness",
            str(SAMPLE / "candidacies.xlsx"),
            "--partners",
            str(SAMPLE / "partners.csv"),
            "--json",
            str(out),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert "The shortlist stays the same for " in outcome.output
    assert "% of the plausible weightings" in outcome.output
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == SCHEMA
