"""The public pairing function: its argument checks."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from matchmaker import schema as s
from matchmaker.criteria import Criteria
from matchmaker.errors import MatchmakerError
from matchmaker.pairing import solve_pairing

from .helpers import all_pairings, cand, criteria, four, frame, instances, partner


def test_bad_arguments() -> None:
    cands, parts = four()
    with pytest.raises(MatchmakerError, match="unknown solver"):
        solve_pairing(cands, parts, criteria(), solver="gurobi")
    with pytest.raises(MatchmakerError, match="lacks column"):
        solve_pairing(cands.drop(columns=[s.SCORE]), parts, criteria())
    with pytest.raises(MatchmakerError, match="appear more than once"):
        solve_pairing(pd.concat([cands, cands]), parts, criteria())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_alternatives_fill_as_many_slots_and_never_gain(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]],
) -> None:
    cands, parts, crit, forbids = case
    result = solve_pairing(cands, parts, crit, forbids=forbids, alternatives=3, explain=False)
    complete = [
        (key, pairs) for key, pairs in all_pairings(result, cands, crit) if key[0] == len(result.pairs)
    ]
    selections = {frozenset(c for c, _ in pairs) for _, pairs in complete}
    assert len(result.alternatives) == min(3, len(selections) - 1)
    assert result.alternatives_note["found"] == len(result.alternatives)
    if len(result.alternatives) < 3:
        assert "as many slots" in result.alternatives_note["text"]
    seen = {frozenset(p["candidate_id"] for p in result.pairs)}
    for alt in result.alternatives:
        assert len(alt["pairs"]) == len(result.pairs) and alt["gap_pct"] >= 0
        selection = frozenset(p["candidate_id"] for p in alt["pairs"])
        assert selection not in seen
        seen.add(selection)


def test_interchangeable_partners_are_said_once() -> None:
    rows = [cand(str(k), 90 - k, pref="Rwanda", minutes=k) for k in range(1, 4)]
    parts = frame([partner(n, "Rwanda") for n in ("Karongi", "Bugesera", "Gatsibo")])
    result = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=5)
    note = result.alternatives_note
    assert note["interchangeable"] == [["Karongi", "Bugesera", "Gatsibo"]]
    assert note["text"].count("interchangeable") == 1
    assert "Only 2 other pairings fill as many slots (asked: 5)." in note["text"]
