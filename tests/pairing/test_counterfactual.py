"""The forced re-solves: the score an unselected candidate needs is exact."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker import schema as s
from matchmaker.criteria import Criteria
from matchmaker.pairing import solve_pairing

from .helpers import (
    instances,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_score_needed_is_exact(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]], data: st.DataObject
) -> None:
    cands, parts, crit, forbids = case
    result = solve_pairing(cands, parts, crit, forbids=forbids)
    losers = [e for e in result.explanations if not e["selected"] and e["score_needed"] is not None]
    if not losers:
        return
    loser = data.draw(st.sampled_from(losers))
    cid, needed = loser["candidate_id"], loser["score_needed"]

    def with_bonus(bonus: float) -> set[str]:
        bumped = cands.copy()
        bumped.loc[bumped[s.CANDIDATE_ID] == cid, s.SCORE] += bonus
        return {
            p["candidate_id"]
            for p in solve_pairing(bumped, parts, crit, forbids=forbids, explain=False).pairs
        }

    assert cid in with_bonus(needed + 0.01)
    if needed >= 0.01:
        assert cid not in with_bonus(needed - 0.01)
