"""The assembled result and its tables for analysts."""

from __future__ import annotations

import pytest

from matchmaker.pairing import solve_pairing

from .helpers import (
    criteria,
    four,
)


def test_frames_for_analysts() -> None:
    cands, parts = four()
    result = solve_pairing(cands, parts, criteria({"Rwanda": 2}))
    pairs = result.to_frame()
    assert list(pairs.columns) == [
        "country",
        "partner",
        "candidate_id",
        "municipality",
        "province",
        "value",
        "score",
        "preference",
        "themes",
        "language",
    ]
    assert pairs["candidate_id"].tolist() == ["1", "2"]
    assert (pairs["value"] == pairs[["score", "preference", "themes", "language"]].sum(axis=1)).all()
    why = result.explanations_frame()
    assert why.set_index("candidate_id")["selected"].to_dict() == {
        "1": True,
        "2": True,
        "3": False,
        "4": False,
    }
    assert why.set_index("candidate_id")["score_needed"].to_dict()["3"] == pytest.approx(10.0)
