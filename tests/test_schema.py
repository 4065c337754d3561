"""schema.py: what counts as a missing value, and how values are written into the JSON documents."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from matchmaker.schema import is_missing, to_jsonable


@pytest.mark.parametrize(
    "value", [None, math.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT")], ids=repr
)
def test_missing_values(value: object) -> None:
    assert is_missing(value)


@pytest.mark.parametrize(
    "value", [0, 0.0, False, "", " ", [], [math.nan], np.array([1.0, math.nan]), pd.Timestamp(0)], ids=repr
)
def test_present_values(value: object) -> None:
    assert not is_missing(value)


def test_arrays_stay_lists_and_scalars_become_plain() -> None:
    doc = {
        "one": np.array([3]),
        "two": np.array([1.5, math.inf]),
        "n": np.int64(4),
        "when": pd.Timestamp("2024-03-01 10:30"),
        "gone": [pd.NaT, pd.NA, np.float64("nan")],
        "codes": {"b", "a"},
    }
    assert to_jsonable(doc) == {
        "one": [3],
        "two": [1.5, None],
        "n": 4,
        "when": "2024-03-01T10:30:00",
        "gone": [None, None, None],
        "codes": ["a", "b"],
    }
    assert type(to_jsonable(np.int64(4))) is int
    assert json.loads(json.dumps(to_jsonable(doc), allow_nan=False))["two"] == [1.5, None]


def test_an_unknown_type_is_a_bug_not_a_silent_string() -> None:
    with pytest.raises(TypeError, match="cannot write a timezone to JSON"):
        to_jsonable(dt.UTC)
