"""The fast what-if re-solves give the answers of the slow path, and the re-solve seams (a candidate
left out, a province with another cap) the optimum of a model built with that change."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.pairing import UNIT, Instance, PairingModel, lexsolve, solve_pairing
from matchmaker.pairing.budget import Budget
from matchmaker.pairing.counterfactual import Forced, WhatIf, forced_solutions
from matchmaker.pairing.model import GroupLimit, families

from .helpers import cand, criteria, frame, partner

PROVINCES = ("Antwerpen", "Limburg", "Oost-Vlaanderen", None)


@st.composite
def tied(draw: st.DrawFn) -> Instance:
    """A random instance whose pair values take few distinct values (ties everywhere), with a
    province cap, sometimes locks, kept pairs or candidates selected before."""
    n = draw(st.integers(2, 24))
    m = draw(st.integers(1, 7))
    seed = draw(st.integers(0, 10**6))
    rng = np.random.default_rng(seed)
    allowed = rng.random((n, m)) < draw(st.sampled_from([0.3, 0.6, 1.0]))
    ci, pj = np.nonzero(allowed)
    levels = draw(st.integers(1, 3))
    values = (50 + 5 * rng.integers(0, levels, size=len(ci))) * UNIT
    inst = Instance(
        candidates=tuple(f"c{i}" for i in range(n)),
        provinces=tuple(PROVINCES[int(k)] for k in rng.integers(0, len(PROVINCES), size=n)),
        partners=tuple(f"p{j}" for j in range(m)),
        countries=tuple("Rwanda" if j % 2 else "Benin" for j in range(m)),
        edge_cand=ci.astype(np.int64),
        edge_partner=pj.astype(np.int64),
        edge_value=values.astype(np.int64),
        quotas={"Rwanda": draw(st.integers(0, 4)), "Benin": draw(st.integers(0, 4))},
        max_per_province=draw(st.sampled_from([None, 1, 2, 3])),
    )
    if inst.n_edges and draw(st.booleans()):
        kind = draw(st.sampled_from(["locks", "keep", "keep_selected"]))
        picks = sorted(set(rng.integers(0, inst.n_edges, size=2).tolist()))
        if kind == "locks":
            inst = dataclasses.replace(inst, locks=tuple(picks[:1]))
        elif kind == "keep":
            inst = dataclasses.replace(inst, keep=tuple(picks))
        else:
            inst = dataclasses.replace(inst, keep_selected=tuple(int(ci[e]) for e in picks))
    return inst


def _answers(inst: Instance, best: set[int], found: dict[int, object]) -> dict[int, tuple[object, ...]]:
    """What an explanation reads of each forced re-solve: the facts, and which of the `best`
    selection stay selected when the candidate can be in (the others it would displace)."""
    out: dict[int, tuple[object, ...]] = {}
    for c, f in found.items():
        assert isinstance(f, Forced)
        who = None if f.value is None else best & {int(inst.edge_cand[e]) for e in f.edges}
        out[c] = (f.includable, f.count, f.kept, f.stayed, f.value, who)
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied())
def test_the_fast_what_ifs_answer_as_the_slow_path(inst: Instance) -> None:
    found = lexsolve(PairingModel(inst))
    if found is None:
        return  # the locks cannot be honoured
    best = found[0]
    selected = {int(inst.edge_cand[e]) for e in best.edges}
    others = sorted(set(inst.edge_cand.tolist()) - selected)
    fast = forced_solutions(inst, best, others)
    slow = forced_solutions(inst, best, others, reference=True)
    assert _answers(inst, selected, fast) == _answers(inst, selected, slow)


def _without_edges(inst: Instance, drop: set[int]) -> Instance:
    keep = np.flatnonzero(~np.isin(inst.edge_cand, sorted(drop)))
    old_to_new = {int(e): k for k, e in enumerate(keep)}
    return dataclasses.replace(
        inst,
        edge_cand=inst.edge_cand[keep],
        edge_partner=inst.edge_partner[keep],
        edge_value=inst.edge_value[keep],
        locks=tuple(old_to_new[e] for e in inst.locks if e in old_to_new),
        keep=tuple(old_to_new[e] for e in inst.keep if e in old_to_new),
    )


def _pairs(inst: Instance, edges: tuple[int, ...]) -> set[tuple[int, int]]:
    return {(int(inst.edge_cand[e]), int(inst.edge_partner[e])) for e in edges}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied(), st.data())
def test_a_candidate_left_out_gives_the_optimum_of_the_instance_without_it(
    inst: Instance, data: st.DataObject
) -> None:
    found = lexsolve(PairingModel(inst))
    if found is None or not found[0].edges:
        return
    best = found[0]
    gone = int(inst.edge_cand[data.draw(st.sampled_from(best.edges))])
    if any(int(inst.edge_cand[e]) == gone for e in inst.locks):
        return  # a locked candidate cannot be left out
    what = WhatIf(inst, best)
    with what.without([gone]):
        again = what.lexsolve()
    after = what.lexsolve()  # the candidate is back once the block ends
    smaller = _without_edges(inst, {gone})
    fresh = lexsolve(PairingModel(smaller))
    assert (again is None) == (fresh is None)
    if again is not None and fresh is not None:
        assert _pairs(inst, again.edges) == _pairs(smaller, fresh[0].edges)
    assert after is not None and _pairs(inst, after.edges) == _pairs(inst, best.edges)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied(), st.data())
def test_another_province_cap_gives_the_optimum_of_a_model_built_with_it(
    inst: Instance, data: st.DataObject
) -> None:
    provinces = sorted({p for p in inst.provinces if p is not None})
    if inst.max_per_province is None or not provinces or inst.keep or inst.keep_selected:
        return
    found = lexsolve(PairingModel(inst))
    if found is None:
        return
    prov = data.draw(st.sampled_from(provinces))
    limit = data.draw(st.integers(0, 4))
    what = WhatIf(inst, found[0])
    with what.province_limit(prov, limit):
        again = what.lexsolve()
    fams = []
    for family in families(inst):
        if isinstance(family, GroupLimit) and family.name == "province":
            limits = np.array(family.limits, dtype=float)
            limits[provinces.index(prov)] = limit
            family = dataclasses.replace(family, limits=limits)
        fams.append(family)
    fresh = lexsolve(PairingModel(inst, fams))
    assert (again is None) == (fresh is None)
    if again is not None and fresh is not None:
        assert _pairs(inst, again.edges) == _pairs(inst, fresh[0].edges)


def _sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        cand(str(k), 60 + 5 * (k % 3), pref="any", province=("Limburg", "Antwerpen")[k % 2], minutes=k)
        for k in range(1, 13)
    ]
    parts = [partner(f"R{k}", "Rwanda") for k in range(3)] + [partner(f"B{k}", "Benin") for k in range(3)]
    return frame(rows), frame(parts)


def test_a_spent_budget_marks_every_answer_around_the_optimum_not_computed() -> None:
    cands, parts = _sample()
    crit = criteria({"Rwanda": 3, "Benin": 2}, cap=2)
    full = solve_pairing(cands, parts, crit, alternatives=2)
    cut = solve_pairing(cands, parts, crit, alternatives=2, time_budget=1e-9)
    assert cut.pairs == full.pairs and cut.objective == full.objective  # the optimum is always found
    assert cut.alternatives == [] and full.alternatives
    assert cut.alternatives_note["not_computed"] == 2
    assert "time budget" in cut.alternatives_note["text"]
    left_out = [e for e in cut.explanations if not e["selected"]]
    assert left_out
    for e in left_out:
        assert e["score_needed"] is None and e["need"] == "budget"
        assert {"score_needed", "displaces"} <= set(e["not_computed"])
        assert "time budget" in e["why"]
    assert cut.manifest["not_computed"]["whatif"] == len(left_out)
    # who replaces a withdrawal: re-solves too, so not computed, never guessed
    assert cut.replacements and not any(r["computed"] for r in cut.replacements)
    assert all(r["replacement"] is None and r["objective"] is None for r in cut.replacements)
    assert cut.manifest["not_computed"]["replacements"] == len(cut.pairs)
    assert all(r["computed"] for r in full.replacements)
    answered = [e for e in full.explanations if not e["selected"]]
    assert all("not_computed" not in e for e in answered)
    assert any(e["score_needed"] is not None for e in answered)
    assert "not_computed" not in full.manifest


def test_the_budget_caps_each_solver_call_at_what_is_left() -> None:
    budget = Budget(10.0)
    assert budget.limit(None) is not None and 9 < budget.limit(None) <= 10  # type: ignore[operator]
    assert budget.limit(2.0) == 2.0
    assert Budget(None).limit(3.0) == 3.0 and Budget(None).limit(None) is None
    assert Budget(1e-9).spent and not Budget(None).spent


def test_progress_is_shown_for_long_work_only_and_at_most_every_half_second() -> None:
    lines: list[str] = []
    quick = Budget(None, lines.append)
    for k in range(5):
        quick.tick("what-ifs", k, 5)
    quick.tick("what-ifs", 5, 5, last=True)
    assert lines == []  # done within the first second: nothing shown
    slow = Budget(None, lines.append, start=time.monotonic() - 2.0)
    for k in range(1000):
        slow.tick("what-ifs", k, 1000)
    slow.tick("what-ifs", 1000, 1000, last=True)
    assert lines[0].startswith("what-ifs 0/1000") and lines[-1].startswith("what-ifs 1000/1000")
    assert len(lines) == 2  # a thousand steps within half a second: the first and the last
    cut = Budget(1.0, lines.append, start=time.monotonic() - 2.0)
    cut.tick("what-ifs", 3, 10, last=True)
    assert lines[-1].startswith("what-ifs 3/10") and lines[-1].endswith("the time budget is spent")


@pytest.mark.parametrize("budget", [0.0, -1.0])
def test_a_budget_must_be_positive(budget: float) -> None:
    cands, parts = _sample()
    with pytest.raises(Exception, match="time budget"):
        solve_pairing(cands, parts, criteria({"Rwanda": 3}), time_budget=budget)


def test_leaving_out_the_only_candidate_with_a_pair_gives_the_empty_pairing() -> None:
    # Every pair is then held at 0 on the tie walk's model: HiGHS calls a model without columns
    # empty whether or not its rows allow choosing nothing, so the engine answers it itself.
    inst = Instance(
        candidates=("c0", "c1"),
        provinces=("Limburg", "Antwerpen"),
        partners=("p0",),
        countries=("Benin",),
        edge_cand=np.array([1]),
        edge_partner=np.array([0]),
        edge_value=np.array([50_000_000]),
        quotas={"Rwanda": 0, "Benin": 1},
        max_per_province=None,
        locks=(),
        keep=(0,),
        keep_selected=(),
        fit=None,
    )
    found = lexsolve(PairingModel(inst))
    assert found is not None and len(found[0].edges) == 1
    what = WhatIf(inst, found[0])
    with what.without([1]):
        again = what.lexsolve()
    fresh = lexsolve(PairingModel(_without_edges(inst, {1})))
    assert again is not None and fresh is not None
    assert again.edges == () and fresh[0].edges == ()
    assert what.lexsolve() == found[0]  # the candidate is back once the block ends
