"""The in-process HiGHS engine: the same optima as the PuLP model, and changes without a rebuild."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable

import numpy as np
import pytest

from matchmaker.pairing import ENGINES, UNIT, IncrementalEngine, Instance, MipEngine, Model, Row
from matchmaker.pairing.model import Lin


def random_instance(n: int, m: int, density: float, seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    allowed = rng.random((n, m)) < density
    ci, pj = np.nonzero(allowed)
    values = rng.integers(1, 50, size=len(ci)) * UNIT
    return Instance(
        candidates=tuple(f"c{i}" for i in range(n)),
        provinces=tuple(("A", "B", None)[i % 3] for i in range(n)),
        partners=tuple(f"p{j}" for j in range(m)),
        countries=tuple("Rwanda" if j % 2 else "Benin" for j in range(m)),
        edge_cand=ci.astype(np.int64),
        edge_partner=pj.astype(np.int64),
        edge_value=values.astype(np.int64),
        quotas={"Rwanda": max(1, m // 3), "Benin": max(1, m // 3)},
        max_per_province=2,
        locks=(0,) if len(ci) else (),
    )


def best_by_enumeration(
    inst: Instance, weights: np.ndarray, upper: np.ndarray, among: Callable[[list[int]], bool] | None = None
) -> int:
    """The largest weighted sum over every feasible set of edges (of those `among` accepts), by
    enumeration (tiny instances)."""
    best = None
    for k in range(inst.n_edges + 1):
        for edges in itertools.combinations(range(inst.n_edges), k):
            chosen = list(edges)
            if any(upper[e] == 0 for e in chosen) or not set(inst.locks) <= set(chosen):
                continue
            if among is not None and not among(chosen):
                continue
            cands = inst.edge_cand[chosen].tolist()
            parts = inst.edge_partner[chosen].tolist()
            if len(set(cands)) < len(cands) or len(set(parts)) < len(parts):
                continue
            countries = [inst.countries[p] for p in parts]
            if any(countries.count(c) > q for c, q in inst.quotas.items()):
                continue
            provs = [inst.provinces[c] for c in cands if inst.provinces[c] is not None]
            if inst.max_per_province is not None and any(
                provs.count(v) > inst.max_per_province for v in provs
            ):
                continue
            total = int(weights[chosen].sum())
            best = total if best is None else max(best, total)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(6))
def test_same_optimum_as_the_pulp_model(seed: int) -> None:
    inst = random_instance(12, 6, 0.4, seed)
    model = Model(inst)
    here, pulp = IncrementalEngine(model), MipEngine(model, "cbc")
    cut = Row(model.count_expr, -1, 3)  # at most three pairs
    for objective, extra, relax in (
        (model.value_expr, [], True),
        (model.count_expr, [], True),
        (model.value_expr, [cut], False),
    ):
        a = here.solve(objective, extra, None, relax)
        b = pulp.solve(objective, extra, None, relax)
        assert a is not None and b is not None
        value = objective.arrays()
        weights = np.zeros(inst.n_edges)
        weights[value[0]] = value[1]
        assert weights[a.chosen].sum() == weights[b.chosen].sum()
        assert model.measure(a).optimal and model.measure(b).optimal
    # the engines by name answer alike
    for name in ("cbc", "highs", "incremental"):
        got = ENGINES[name](model).solve(model.value_expr, [], None, True)
        assert got is not None
        assert model.measure(got).value == model.measure(here.solve(model.value_expr, [], None)).value  # type: ignore[union-attr]


def test_bounds_costs_and_rows_change_the_answer_without_a_rebuild() -> None:
    inst = random_instance(6, 4, 0.7, 3)
    model = Model(inst)
    engine = IncrementalEngine(model)
    highs = engine.h
    values = inst.edge_value.astype(float)
    upper = np.ones(inst.n_edges)
    first = engine.solve(model.value_expr, [], None)
    assert first is not None
    assert int(values[first.chosen].sum()) == best_by_enumeration(inst, values, upper)
    # leave out an unlocked chosen edge: the next solve, on the same HiGHS model, avoids it
    out = next(int(e) for e in np.flatnonzero(first.chosen) if int(e) not in inst.locks)
    engine.set_bounds([out], upper=0.0)
    upper[out] = 0
    second = engine.solve(None, None, None)  # the costs and rows of the previous call
    assert second is not None and not second.chosen[out]
    assert int(values[second.chosen].sum()) == best_by_enumeration(inst, values, upper)
    # other costs: the most pairs, at one point each
    engine.set_costs(model.count_expr)
    third = engine.solve(None, None, None)
    assert third is not None
    assert int(third.chosen.sum()) == best_by_enumeration(inst, np.ones(inst.n_edges), upper)
    # an extra row: at most one pair, then the row replaced by none
    engine.set_extra([Row(model.count_expr, -1, 1)])
    assert int(engine.solve(None, None, None).chosen.sum()) == 1  # type: ignore[union-attr]
    engine.set_extra([])
    assert int(engine.solve(None, None, None).chosen.sum()) == int(third.chosen.sum())  # type: ignore[union-attr]
    # restoring the bound restores the first answer's value
    engine.set_bounds([out], upper=1.0)
    last = engine.solve(model.value_expr, [], None)
    assert last is not None and int(values[last.chosen].sum()) == int(values[first.chosen].sum())
    # a lower bound puts an edge in every solution
    unchosen = int(np.flatnonzero(~first.chosen)[0])
    engine.set_bounds([unchosen], lower=1.0)
    forced = engine.solve(Lin(idx=np.arange(inst.n_edges), coef=values), [], None)
    assert forced is None or forced.chosen[unchosen]
    assert engine.solves == 7 and engine.h is highs  # seven solves, one HiGHS model


def test_an_empty_model_chooses_nothing() -> None:
    inst = Instance.assignment(np.zeros((0, 0), dtype=np.int64))
    got = IncrementalEngine(Model(inst)).solve(Model(inst).value_expr, [], None)
    assert got is not None and len(got.chosen) == 0


@pytest.mark.parametrize("seed", range(8))
def test_a_face_model_holds_exactly_the_optimal_pairings(seed: int) -> None:
    # the model of the optimal face (its free pairs alone, rows without an edge left out, tight
    # rows and extra rows held) against enumeration of the optimal pairings of the full model
    rng = np.random.default_rng(seed)
    inst = random_instance(6, 4, 0.6, seed + 40)
    # few distinct values: many optimal pairings
    inst = dataclasses.replace(inst, edge_value=rng.integers(1, 3, size=inst.n_edges) * UNIT)
    model = Model(inst)
    engine = IncrementalEngine(model)
    values = inst.edge_value.astype(float)
    upper = np.ones(inst.n_edges)
    # an extra row that binds (its dual nonzero): the face holds it tight
    at_most = 1
    cap = Row(model.count_expr, -1, at_most)
    got = engine.solve(model.value_expr, [cap], None, True)
    if got is None or got.reduced is None:  # infeasible, or a fractional LP: no face by duals
        return
    best = int(values[got.chosen].sum())

    def optimal(chosen: list[int]) -> bool:
        return len(chosen) <= at_most and int(values[chosen].sum()) == best

    face = engine.face(got)
    assert len(face.edges) < inst.n_edges and face.face_rows  # pairs left out, the cap held
    for _ in range(5):
        weights = rng.integers(-3, 4, size=inst.n_edges).astype(float)
        on_face = face.solve(
            Lin(idx=np.arange(inst.n_edges), coef=weights), [cap, *face.face_rows], None, True
        )
        assert on_face is not None
        chosen = np.flatnonzero(on_face.chosen).tolist()
        assert optimal(chosen)  # every solution on the face is an optimal pairing
        assert int(weights[chosen].sum()) == best_by_enumeration(inst, weights, upper, optimal)
    # the full model is as it was: its next solve finds the optimum again
    again = engine.solve(model.value_expr, [cap], None, True)
    assert again is not None and int(values[again.chosen].sum()) == best
    assert engine.solves == 7  # the face's solves count as the full model's
