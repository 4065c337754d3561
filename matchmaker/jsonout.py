"""JSON written in pieces: the same text as `json.dumps(to_jsonable(doc), ensure_ascii=False,
indent=2)`, produced without building the whole document twice (once as plain values, once as one
string), and a table's rows encoded column by column.

A document may hold a `Rows` (a pandas table to be written as a list of objects, one per row): the
encoder writes it as if it were that list, without making the list of dicts.
"""

from __future__ import annotations

import json.encoder
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from .schema import to_jsonable

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Rows", "chunks", "encode"]

# json's own string encoder (C when available): quotes, backslashes and control characters escaped
# exactly as json.dumps(ensure_ascii=False) escapes them.
_string: Final[Callable[[str], str]] = (
    json.encoder.c_encode_basestring or json.encoder.py_encode_basestring  # type: ignore[attr-defined]
)
_STEP: Final = "  "
# rows encoded and written at a time
_BATCH: Final = 2000


@dataclass(frozen=True)
class Rows:
    """A table written as a JSON list of objects, one per row, keys the column names."""

    frame: pd.DataFrame

    def __len__(self) -> int:
        return len(self.frame)


def _float(value: float) -> str:
    if not math.isfinite(value):
        return "null"  # to_jsonable's NaN and infinities
    return float.__repr__(value)


def encode(value: Any, indent: str = "") -> str:
    """`value` as indented JSON text whose nested lines start with `indent` plus two spaces a level."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = indent + _STEP
        glue = ",\n" + inner
        return "[\n" + inner + glue.join([encode(v, inner) for v in value]) + "\n" + indent + "]"
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + _STEP
        glue = ",\n" + inner
        items = [_string(k if type(k) is str else str(k)) + ": " + encode(v, inner) for k, v in value.items()]
        return "{\n" + inner + glue.join(items) + "\n" + indent + "}"
    if isinstance(value, Rows):
        return "".join(_rows(value, indent))
    return _converted(to_jsonable(value), indent)


def _converted(value: Any, indent: str) -> str:
    """A value to_jsonable made plain, which may still be of a subclass (numpy.float64 is a float)."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, list | tuple):
        return encode(list(value), indent)
    if isinstance(value, dict):
        return encode(dict(value), indent)
    return encode(value, indent)


def chunks(doc: Mapping[str, Any]) -> Iterator[str]:
    """The text of `doc` (an object) in pieces; a list or `Rows` at the top level is written in
    batches of rows, so no piece holds more than a few thousand of them."""
    if not doc:
        yield "{}"
        return
    inner = _STEP
    yield "{\n"
    for i, (key, value) in enumerate(doc.items()):
        yield ("" if i == 0 else ",\n") + inner + _string(str(key)) + ": "
        if isinstance(value, Rows):
            yield from _rows(value, inner)
        elif type(value) is list and value:
            yield from _list(value, inner)
        else:
            yield encode(value, inner)
    yield "\n}"


def _list(values: list[Any], indent: str) -> Iterator[str]:
    inner = indent + _STEP
    glue = ",\n" + inner
    yield "[\n" + inner
    for start in range(0, len(values), _BATCH):
        batch = values[start : start + _BATCH]
        yield ("" if start == 0 else glue) + glue.join([encode(v, inner) for v in batch])
    yield "\n" + indent + "]"


def _rows(rows: Rows, indent: str) -> Iterator[str]:
    frame = rows.frame
    if len(frame) == 0:
        yield "[]"
        return
    row_indent = indent + _STEP
    cell_indent = row_indent + _STEP
    keys = [cell_indent + _string(str(k)) + ": " for k in frame.columns]
    opening, closing, glue = "{\n", "\n" + row_indent + "}", ",\n"
    yield "[\n" + row_indent
    for start in range(0, len(frame), _BATCH):
        part = frame.iloc[start : start + _BATCH]
        columns = [
            [key + text for text in _column(part.iloc[:, j], cell_indent)] for j, key in enumerate(keys)
        ]
        texts = [opening + glue.join(cells) + closing for cells in zip(*columns, strict=True)]
        yield ("" if start == 0 else ",\n" + row_indent) + (",\n" + row_indent).join(texts)
    yield "\n" + indent + "]"


def _column(column: pd.Series, indent: str) -> list[str]:
    """The JSON text of every cell of one column."""
    import numpy as np
    import pandas as pd

    dtype = column.dtype
    if pd.api.types.is_datetime64_dtype(dtype):
        values = column.to_numpy()
        missing = np.isnat(values)
        seconds = values.astype("datetime64[s]")
        if (seconds[~missing] == values[~missing]).all():
            # whole seconds: numpy's text is datetime.isoformat's
            texts = np.datetime_as_string(seconds, unit="s").tolist()
            return ["null" if gone else '"' + text + '"' for text, gone in zip(texts, missing, strict=True)]
    if dtype.kind == "b" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return ["true" if v else "false" for v in column.to_numpy().tolist()]
    if str(dtype) == "int64":
        return [int.__repr__(v) for v in column.to_numpy().tolist()]
    values = column.tolist()
    if dtype.kind == "O":
        out = []
        for value in values:
            kind = type(value)
            if kind is str:
                out.append(_string(value))
            elif value is None:
                out.append("null")
            elif kind is bool:
                out.append("true" if value else "false")
            else:
                out.append(encode(value, indent))
        return out
    return [encode(v, indent) for v in values]
