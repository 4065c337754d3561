"""With a minimum pair value, the score a candidate needs counts the pairs a raise would allow:
checked by raising the score by the claimed amount, a little more and a little less, and re-solving."""

from __future__ import annotations

import dataclasses

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker import schema as s
from matchmaker.criteria import Criteria
from matchmaker.pairing import solve_pairing

from .helpers import cand, criteria, frame, instances, partner

EPS = 0.01


def _selected(
    cands: pd.DataFrame,
    parts: pd.DataFrame,
    crit: Criteria,
    forbids: list[tuple[str, str]],
    cid: str,
    bonus: float,
) -> set[str]:
    bumped = cands.copy()
    bumped.loc[bumped[s.CANDIDATE_ID] == cid, s.SCORE] += bonus
    return {
        p["candidate_id"] for p in solve_pairing(bumped, parts, crit, forbids=forbids, explain=False).pairs
    }


def _check(cands: pd.DataFrame, parts: pd.DataFrame, crit: Criteria, forbids: list[tuple[str, str]]) -> int:
    result = solve_pairing(cands, parts, crit, forbids=forbids)
    before = {p["candidate_id"] for p in result.pairs}
    checked = 0
    for e in result.explanations:
        if e["selected"]:
            continue
        cid = e["candidate_id"]
        needed = e.get("score_needed")
        if needed is None:
            # no raise selects it: not even 200 points more (every pair far above the minimum)
            assert cid not in _selected(cands, parts, crit, forbids, cid, 200.0), e
            continue
        checked += 1
        after = _selected(cands, parts, crit, forbids, cid, needed + EPS)
        assert cid in after, e
        if e["need"] == "score" and needed >= EPS:
            assert cid not in _selected(cands, parts, crit, forbids, cid, needed - EPS), e
        assert set(e["displaces"]) == before - after, e
    return checked


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from([55.0, 60.0, 65.0, 70.0, 75.0]))
def test_score_needed_counts_the_pairs_a_raise_allows(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]], floor: float
) -> None:
    cands, parts, crit, forbids = case
    crit = dataclasses.replace(crit, pairing=dataclasses.replace(crit.pairing, min_value=floor))
    _check(cands, parts, crit, forbids)


def test_a_candidate_with_every_pair_under_the_minimum_is_told_what_it_needs() -> None:
    rows = [
        cand("1", 80.0, pref="Rwanda", minutes=1),
        cand("2", 70.0, pref="Rwanda", minutes=2),
        cand("3", 50.0, pref="Rwanda", minutes=3),
    ]
    parts = frame([partner("Karongi", "Rwanda"), partner("Nyanza", "Rwanda")])
    crit = criteria({"Rwanda": 2}, min_value=60.0)
    result = solve_pairing(frame(rows), parts, crit)
    three = next(e for e in result.explanations if e["candidate_id"] == "3")
    # its pairs are worth 50 + 5 (preference) + 5 (language) = 60 >= 60: allowed; make it 48
    assert three["cause"] != "no_pair" or three["score_needed"] is not None
    rows[2] = cand("3", 45.0, pref="Rwanda", minutes=3)
    result = solve_pairing(frame(rows), parts, crit)
    three = next(e for e in result.explanations if e["candidate_id"] == "3")
    assert three["cause"] == "no_pair" and three["unlocks"]
    # 45 + 10 = 55 is under 60; to beat M2 (70 + 10 = 80) on a pair it needs more than 25 points
    assert three["score_needed"] == 25.0 and three["displaces"] == ["2"]
    assert "25" in three["why"]
    assert _check(frame(rows), parts, crit, []) >= 1


def test_pairs_a_raise_allows_at_the_same_threshold_are_counted() -> None:
    # +15 lets 12 take P2 from 10 (a tie at +20); +20 also allows P0 and P1, where 12 fills the
    # second slot beside 10: at that raise nobody is displaced
    rows = [
        cand("10", 60.0, pref="Rwanda", langs=["nl", "fr"], themes=["innovation", "decent_work"], minutes=1),
        cand("11", 50.0, pref="Rwanda", langs=[], minutes=2),
        cand("12", 50.0, pref="Rwanda", langs=[], themes=["innovation"], minutes=3),
    ]
    parts = frame(
        [
            partner("P0", "Rwanda"),
            partner("P1", "Rwanda"),
            partner("P2", "Rwanda", themes=["innovation", "decent_work"]),
        ]
    )
    crit = criteria({"Rwanda": 2}, min_value=75.0)
    assert _check(frame(rows), parts, crit, []) == 2
    twelve = next(
        e for e in solve_pairing(frame(rows), parts, crit).explanations if e["candidate_id"] == "12"
    )
    assert (twelve["score_needed"], twelve["displaces"]) == (20.0, [])
