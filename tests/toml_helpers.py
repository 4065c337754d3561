"""Random TOML values put in place of any key of a parsed TOML document: for the loaders' type checks."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

Path_ = tuple[str | int, ...]

_SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "yes", "no", "Ja", "Rwanda", "mean", "hard", "themes", "completed", "1e308"]),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(),
    st.times(),
)
_KEYS = st.text(max_size=8) | st.sampled_from(["yes", "no", "mode", "weight"])
TOML_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.text(max_size=8) | st.sampled_from(["yes", "no", "mode", "weight"]), inner, max_size=4
        ),
    ),
    max_leaves=10,
)


def paths(doc: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every key and list position of `doc`, tables before what they hold."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield (*prefix, i)
            yield from paths(value, (*prefix, i))


def replaced(doc: dict[str, Any], path: Path_, value: object) -> dict[str, Any]:
    """A deep copy of `doc` with the value at `path` replaced by `value`."""
    out = copy.deepcopy(doc)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out
