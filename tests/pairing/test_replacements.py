"""Who replaces a withdrawal, and how far each reserve is from a place: against brute force."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker import schema as s
from matchmaker.criteria import Criteria
from matchmaker.pairing import UNIT, Instance, PairingModel, lexsolve, solve_pairing
from matchmaker.pairing.replacements import _Here, as_previous_round, one_enters

from .helpers import all_pairings, chosen, instances, solve_with_a_lock


def _withdrawn_best(
    result: Any, cands: pd.DataFrame, crit: Criteria, gone: str, locks: Sequence[tuple[str, str]]
) -> set[tuple[str, str]]:
    """By enumeration: the best pairing without `gone`, ranked by slots, then the candidates of the
    pairing as it stands kept selected, then its pairs kept, then value, then the tie-break chain."""
    best = chosen(result)
    found = all_pairings(
        result,
        cands,
        crit,
        locks=[pair for pair in locks if pair[0] != gone],
        without=gone,
        stay={c for c, _ in best} - {gone},
        keep={pair for pair in best if pair[0] != gone},
    )
    return max(found, key=lambda kv: kv[0])[1] if found else set()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_replacements_and_reserves_hold_against_brute_force(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]], data: st.DataObject
) -> None:
    cands, _, crit, _ = case
    result, locks = solve_with_a_lock(case, data)
    best = chosen(result)
    before = dict(best)
    order = [x["candidate_id"] for x in result.explanations]  # the tie-break order
    assert [r["candidate_id"] for r in result.replacements] == sorted(before, key=order.index)
    value = {(e["candidate_id"], e["partner"]): e["value"] for e in result.edges}
    for r in result.replacements:
        assert r["computed"]
        gone = r["candidate_id"]
        assert r["vacated"] == before[gone]
        expected = _withdrawn_best(result, cands, crit, gone, locks)
        after = dict(expected)
        entering = sorted((c, p) for c, p in expected if c not in before)
        assert sorted(map(tuple, r["enters"])) == entering
        assert set(r["leaves"]) == {c for c in before if c not in after and c != gone}
        assert {tuple(m) for m in r["moves"]} == {
            (c, before[c], after[c]) for c in after if c in before and after[c] != before[c]
        }
        assert r["objective"] == pytest.approx(sum(value[pair] for pair in expected), abs=1e-6)
        if entering:
            assert (r["replacement"], r["partner"]) in entering
        else:
            assert r["replacement"] is None and r["partner"] is None
    # reserves: per country, the extra points to be selected there, exactly, in that order
    everything = all_pairings(result, cands, crit, locks=locks)
    top = max(k for k, _ in everything)
    country = {p["partner"]: p["country"] for p in result.partners}
    province = dict(zip(cands[s.CANDIDATE_ID], cands[s.PROVINCE], strict=True))
    cap = crit.pairing.max_per_province
    for r in result.reserves:
        cid = r["candidate_id"]
        assert cid not in before
        there = [
            k for k, pairs in everything if any(c == cid and country[p] == r["country"] for c, p in pairs)
        ]
        full = [k for k in there if k[0] == top[0]]
        if r["need"] == "slots":
            assert not full
        else:
            assert r["need"] in ("score", "tie")
            short = (top[3] - max(k[3] for k in full)) / UNIT
            assert r["score_needed"] == pytest.approx(short, abs=1e-6)
        prov = province[cid]
        seats = sum(1 for c in before if province[c] == prov) if not pd.isna(prov) else 0
        assert r["own_province"] == (cap is not None and not pd.isna(prov) and seats >= cap)
    for c in {r["country"] for r in result.reserves}:
        ranked = [r for r in result.reserves if r["country"] == c]
        assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
        needs = [r["score_needed"] for r in ranked]
        known = [n for n in needs if n is not None]
        assert known == sorted(known)
        assert needs == known + [None] * (len(needs) - len(known))


def test_a_withdrawal_keeps_the_others_on_their_partners() -> None:
    """B would gain by moving to A's partner (shared themes), but the pairing as it stands is the
    previous round: B keeps its pair and the reserve C takes A's place."""
    from .helpers import cand, criteria, frame, partner

    rows = [
        cand("1", 90, pref="Rwanda", minutes=1),
        cand("2", 80, pref="Rwanda", minutes=2, themes=["sdg6"]),
        cand("3", 60, pref="Rwanda", minutes=3),
    ]
    parts = frame([partner("Karongi", "Rwanda", themes=["sdg6"]), partner("Nyanza", "Rwanda")])
    crit = criteria({"Rwanda": 2})
    result = solve_pairing(frame(rows), parts, crit, locks=[("1", "Karongi")])
    assert chosen(result) == {("1", "Karongi"), ("2", "Nyanza")}
    [one, _] = result.replacements
    assert (one["candidate_id"], one["replacement"], one["partner"], one["moves"]) == (
        "1",
        "3",
        "Karongi",
        [],
    )
    expected = _withdrawn_best(result, frame(rows), crit, "1", [("1", "Karongi")])
    assert expected == {("2", "Nyanza"), ("3", "Karongi")}


@pytest.mark.parametrize("seed", range(12))
def test_one_entrant_is_what_the_stages_find(seed: int) -> None:
    # the shortcut when one candidate fills the vacated place against the full lexicographic
    # re-solve, on tied instances (few distinct values, so the tie-break chain decides often)
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(8, 30)), int(rng.integers(3, 9))
    allowed = rng.random((n, m)) < 0.5
    ci, pj = np.nonzero(allowed)
    inst = Instance(
        candidates=tuple(f"c{i}" for i in range(n)),
        provinces=tuple(("A", "B", "C", None)[i % 4] for i in range(n)),
        partners=tuple(f"p{j}" for j in range(m)),
        countries=tuple("Rwanda" if j % 2 else "Benin" for j in range(m)),
        edge_cand=ci.astype(np.int64),
        edge_partner=pj.astype(np.int64),
        edge_value=(rng.integers(1, 4, size=len(ci)) * UNIT).astype(np.int64),
        quotas={"Rwanda": int(rng.integers(1, 4)), "Benin": int(rng.integers(1, 4))},
        max_per_province=int(rng.integers(1, 3)),
    )
    if seed % 3 == 0 and len(ci):  # a lock: its candidate is solved by the stages
        inst = dataclasses.replace(inst, locks=(int(rng.integers(0, len(ci))),))
    found = lexsolve(PairingModel(inst))
    if found is None:
        return
    best = found[0]
    shortcuts = 0
    for c in sorted({int(inst.edge_cand[e]) for e in best.edges}):
        model = _Here(as_previous_round(inst, best, c))
        full = lexsolve(model, [model.at_most(model.cand_expr[c], 0)])
        fast = None if any(int(inst.edge_cand[e]) == c for e in inst.locks) else one_enters(model, best, c)
        if fast is not None:
            shortcuts += 1
            assert full is not None and fast == dataclasses.replace(full[0], optimal=True)
    assert shortcuts or seed % 3 == 0 or best.count < 2
