"""The public pairing function: its argument checks."""

from __future__ import annotations

import pandas as pd
import pytest

from matchmaker import schema as s
from matchmaker.errors import MatchmakerError
from matchmaker.pairing import solve_pairing

from .helpers import (
    criteria,
    four,
)


def test_bad_arguments() -> None:
    cands, parts = four()
    with pytest.raises(MatchmakerError, match="unknown solver"):
        solve_pairing(cands, parts, criteria(), solver="gurobi")
    with pytest.raises(MatchmakerError, match="lacks column"):
        solve_pairing(cands.drop(columns=[s.SCORE]), parts, criteria())
    with pytest.raises(MatchmakerError, match="appear more than once"):
        solve_pairing(pd.concat([cands, cands]), parts, criteria())
