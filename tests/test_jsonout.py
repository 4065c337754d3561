"""jsonout writes the text json.dumps(to_jsonable(doc), indent=2, ensure_ascii=False) writes, in pieces."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from conftest import SAMPLE_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker import jsonout
from matchmaker.files import write_json
from matchmaker.intake import read_form
from matchmaker.jsonout import Rows, encoded
from matchmaker.schema import to_jsonable


def stdlib(doc: object) -> str:
    return json.dumps(to_jsonable(doc), ensure_ascii=False, indent=2, allow_nan=False)


def written(doc: dict[str, object]) -> str:
    return b"".join(encoded(doc)).decode("utf-8")


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": ['a "quote"\\', "tab\tnew\nline \x01 é ☃", None],
            "n": pd.array([1, None, 3], dtype="Int64"),
            "flag": [True, False, True],
            "count": np.array([0, -5, 2**40], dtype="int64"),
            "when": pd.to_datetime(["2023-10-01 12:00:00", None, "2297-07-17 10:08:00"]).astype(
                "datetime64[us]"
            ),
            "fine": pd.to_datetime(["2023-10-01 12:00:00.250", None, "2023-01-01 00:00:00.000"]),
            "x": [1.5, math.nan, np.float64(1e-7)],
            "nested": [[{"code": "a", "by": 2}], [], {"k": [1, (2, 3)], "s": {"b", "a"}}],
            "mixed": [True, 2, "three"],
        }
    )


def test_values_of_every_kind_give_the_stdlib_text() -> None:
    frame = table()
    doc = {
        "schema": "x/1",
        "empty": {},
        "none": [],
        "numbers": [np.int64(4), np.float64(0.1), 1e16, -0.0, math.inf],
        "times": [dt.date(2024, 1, 2), pd.Timestamp("2024-01-02 03:04:05"), pd.NaT, pd.NA],
        "path": Path("/tmp/x"),
        "rows": frame.to_dict(orient="records"),
    }
    assert written(doc) == stdlib(doc)
    assert written({"rows": Rows(frame)}) == stdlib({"rows": frame.to_dict(orient="records")})
    assert written({"rows": Rows(frame.iloc[:0])}) == stdlib({"rows": []})
    assert written({}) == stdlib({})


def test_the_intake_document_is_the_same_text_either_way(tmp_path: Path) -> None:
    result = read_form(SAMPLE_DIR / "candidacies.xlsx")
    streamed = write_json(result.to_json(table=True), tmp_path / "a.json")
    assert streamed.read_text(encoding="utf-8") == stdlib(result.to_json()) + "\n"


def test_lists_of_objects_written_column_wise_give_the_stdlib_text() -> None:
    # objects of one shape, of several shapes, of keys that are equal but not the same (1, True,
    # 1.0), empty ones, nested lists and tuples, and texts with the characters a template uses
    issues = [
        {"submission_id": i, "kind": "k%s", "params": {"by": i * 2, "name": f"%d {i}\n"}} for i in range(7)
    ]
    odd = [
        {1: "one", "b": [1, 2.5, None]},
        {True: "true", "b": [True]},
        {1.0: "float", "b": ()},
        {},
        {"a": {}, "b": [[], [{}], [{"x": (1, "2")}]]},
        {"a": math.nan, "b": [math.inf, -0.0, np.int64(3)]},
        {"a": 1, "b": 2},
        {"b": 2, "a": 1},
    ]
    doc = {"issues": issues, "odd": odd, "mixed": [None, "x", 1, 1.5, [], {}, odd[0], ["y", odd[1]]]}
    assert written(doc) == stdlib(doc)
    frame = pd.DataFrame({"codes": [[{"code": "a", "by": 1}], [], [{"code": "b"}, {"code": "a", "by": 2}]]})
    expected = stdlib({"rows": frame.to_dict(orient="records")})
    assert written({"rows": Rows(frame)}) == expected


# Values of every kind the writer may meet, nested: orjson's batches, the Fragments of a table's
# cells and the column-wise texts must all give json's text.
_scalars = (
    st.text(st.characters(codec="utf-8"), max_size=12)
    | st.sampled_from(["", "\x00\b\f\n\r\t\x1f\x7f", "\u2028\u2029", '"\\/', "%s %d %%", "é ☃ 😀"])
    | st.integers()
    | st.sampled_from([2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1])
    | st.floats()
    | st.sampled_from([0.0, -0.0, 1e-4, 9.999e-5, 1e16, 9999999999999998.0, 1e-7, 5e-324, 0.89])
    | st.booleans()
    | st.none()
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
        | st.dictionaries(st.integers(0, 3) | st.booleans(), inner, max_size=2)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_values, min_size=1, max_size=8))
def test_any_values_give_the_stdlib_text(values: list[object]) -> None:
    assert written({"items": values}) == stdlib({"items": values})
    frame = pd.DataFrame({"cell": pd.Series(values, dtype=object), "n": range(len(values))})
    assert written({"rows": Rows(frame)}) == stdlib({"rows": frame.to_dict(orient="records")})
    assert written({"deeper": {"items": values}}) == stdlib({"deeper": {"items": values}})


def test_floats_are_plain_where_orjson_writes_them_as_repr() -> None:
    # the range's edges and a sweep over it: outside it the exponents are written apart
    rng = np.random.default_rng(1)
    inside = [1e-4, 1e16 - 2, 0.1, 1.0, 100.0, 123456789.125, *(10.0 ** rng.uniform(-4, 16, 5000))]
    assert b"".join(encoded({"x": inside})).decode() == stdlib({"x": inside})
    assert all(jsonout._plain_float(x) for x in inside)
    assert not any(jsonout._plain_float(x) for x in (9.99e-5, 1e16, 1e-7, 1e22, math.inf, math.nan))


def test_a_table_orjson_refuses_is_written_by_the_template_alike() -> None:
    # an integer beyond 64 bits in one cell: the batch's every column (times, Int64, booleans,
    # integers, objects) goes through the column-wise texts instead
    frame = table().assign(big=[2**70, 1, None])
    assert written({"rows": Rows(frame)}) == stdlib({"rows": frame.to_dict(orient="records")})
