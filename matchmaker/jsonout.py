"""JSON written in pieces: the same text as `json.dumps(to_jsonable(doc), ensure_ascii=False,
indent=2)` in UTF-8, produced without building the whole document twice (once as plain values, once
as one string), a big list a batch of a few thousand items at a time.

A document may hold a `Rows` (a pandas table to be written as a list of objects, one per row): the
encoder writes it as if it were that list, making a batch's rows only.

A batch of plain values (strings, integers, booleans, nulls, most floats, and lists and objects of
them) is written by orjson, whose indented text is json's for such values byte for byte. A table's
cells of other kinds (times, a column of floats) go in as text made here (orjson's `Fragment`).

Any other batch, and any that orjson refuses, is written column by column: the texts of many values
are made together (`_texts`). The plain strings, numbers, booleans and nulls among them go through
one call of json's C encoder; objects of the same keys share one template, filled with the texts of
each key's values, made together in turn; the items of all lists are made together and joined per
list. Python runs per value only for what is neither (a float, a date, a numpy scalar), through
`encode`.
"""

from __future__ import annotations

import itertools
import json.encoder
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import orjson

from .schema import to_jsonable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["Rows", "encode", "encoded", "whole_seconds"]

# json's own string encoder (C when available): quotes, backslashes and control characters escaped
# exactly as json.dumps(ensure_ascii=False) escapes them.
_string: Final[Callable[[str], str]] = (
    json.encoder.c_encode_basestring or json.encoder.py_encode_basestring  # type: ignore[attr-defined]
)
_STEP: Final = "  "
# rows or list items encoded and written at a time
_BATCH: Final = 5000

# The plain types json's C encoder writes exactly as `encode` does (not float: NaN). A raw line
# break is never inside their text (a string's is escaped), so one dumps of a list of them, items
# apart by line breaks, gives the text of each.
_FLAT: Final = frozenset({str, int, bool, type(None)})
_STRINGS: Final = {str}
_FLAT_DUMPS: Final = json.JSONEncoder(ensure_ascii=False, separators=("\n", ":"), check_circular=False)
# The containers orjson writes as json does, of the _FLAT values (exact types: a str subclass is
# not among them) and of floats in a range (`_plain_float`)
_NESTED: Final = frozenset({list, tuple, dict})
_PLAIN_KINDS: Final = _FLAT | _NESTED | {float}


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
    if kind is list or kind is tuple or kind is dict:
        return _texts([value], indent)[0]
    if isinstance(value, Rows):
        return b"".join(_rows(value, indent)).decode("utf-8")
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


def _flat(values: list[Any]) -> list[str]:
    """The text of each of `values` (plain strings, ints, bools and Nones), in one call into C."""
    return _FLAT_DUMPS.encode(values)[1:-1].split("\n") if values else []


def _template(keys: Iterable[Any], indent: str) -> str:
    """The text of an object of `keys` at `indent`, with a `%s` where each value's text goes."""
    inner = indent + _STEP
    lines = [inner + _string(k if type(k) is str else str(k)).replace("%", "%%") + ": %s" for k in keys]
    return "{\n" + ",\n".join(lines) + "\n" + indent + "}"


def _texts(values: list[Any], indent: str) -> list[str]:
    """The text of each of `values` at `indent`, made column-wise (see the module's docstring)."""
    kinds = set(map(type, values))
    if kinds <= _FLAT:
        return _flat(values)
    if kinds == {dict}:
        shapes = set(map(tuple, values))
        if len(shapes) == 1 and (only := next(iter(shapes))):
            # objects of the same keys (the issues): each key's values taken at C speed
            return _objects(values, only, indent)
    texts = [""] * len(values)
    flat: list[int] = []
    objects: dict[tuple[Any, ...], list[int]] = {}  # the non-empty dicts by their keys
    lists: list[int] = []  # the non-empty lists and tuples
    for i, value in enumerate(values):
        kind = type(value)
        if kind in _FLAT:
            flat.append(i)
        elif kind is dict and value:
            objects.setdefault(tuple(value), []).append(i)
        elif (kind is list or kind is tuple) and value:
            lists.append(i)
        elif kind is dict:
            texts[i] = "{}"
        elif kind is list or kind is tuple:
            texts[i] = "[]"
        else:
            texts[i] = encode(value, indent)
    for i, text in zip(flat, _flat([values[i] for i in flat]), strict=True):
        texts[i] = text
    inner = indent + _STEP
    for shape, at in objects.items():
        for i, text in zip(at, _objects(list(map(values.__getitem__, at)), shape, indent), strict=True):
            texts[i] = text
    if lists:
        opening, glue, closing = "[\n" + inner, ",\n" + inner, "\n" + indent + "]"
        # a list of strings (codes, reasons) repeats from row to row: its text is made once
        made: dict[tuple[str, ...], str] = {}
        others = []
        for i in lists:
            value = values[i]
            if set(map(type, value)) == _STRINGS:
                key = tuple(value)
                made_text = made.get(key)
                if made_text is None:
                    made_text = made[key] = opening + glue.join(map(_string, value)) + closing
                texts[i] = made_text
            else:
                others.append(i)
        items = _texts([item for i in others for item in values[i]], inner)
        start = 0
        for i in others:
            stop = start + len(values[i])
            texts[i] = opening + glue.join(items[start:stop]) + closing
            start = stop
    return texts


def _objects(values: list[dict[Any, Any]], keys: tuple[Any, ...], indent: str) -> list[str]:
    """The text of each of `values`, dicts whose keys are `keys` (in that order)."""
    if not all(type(k) is str for k in keys):
        # 1 == True == 1.0: dicts of such keys may share a group, but not a text
        return [_texts([{str(k): v for k, v in value.items()}], indent)[0] for value in values]
    inner = indent + _STEP
    columns = [_texts(list(map(operator.itemgetter(k), values)), inner) for k in keys]
    return list(map(_template(keys, indent).__mod__, zip(*columns, strict=True)))


def encoded(doc: Mapping[str, Any]) -> Iterator[bytes]:
    """The UTF-8 text of `doc` (an object) in pieces; a list or `Rows` at the top level is written
    in batches of rows, so no piece holds more than a few thousand of them."""
    if not doc:
        yield b"{}"
        return
    inner = _STEP
    yield b"{\n"
    for i, (key, value) in enumerate(doc.items()):
        yield (("" if i == 0 else ",\n") + inner + _string(str(key)) + ": ").encode("utf-8")
        if isinstance(value, Rows):
            yield from _rows(value, inner)
        elif type(value) is list and value:
            yield from _list(value, inner)
        else:
            yield encode(value, inner).encode("utf-8")
    yield b"\n}"


def _plain(values: list[Any]) -> bool:
    """Whether each of `values` is plain (see the module's docstring), looked at column-wise."""
    kinds = set(map(type, values))
    if kinds <= _FLAT:
        return True
    if not kinds <= _PLAIN_KINDS:
        return False
    if float in kinds and not all(map(_plain_float, [v for v in values if type(v) is float])):
        return False
    inside: list[Any] = []
    if dict in kinds:  # a key that is not a string orjson refuses itself
        inside.extend(itertools.chain.from_iterable([v.values() for v in values if type(v) is dict]))
    for kind in (list, tuple):
        if kind in kinds:
            inside.extend(itertools.chain.from_iterable([v for v in values if type(v) is kind]))
    return not inside or _plain(inside)


def _plain_float(value: float) -> bool:
    """Whether orjson writes the float as `repr` does: both give the shortest digits that read back
    as it, and both write them out without an exponent in this range (NaN and infinities are
    nulls in both). Outside it, repr writes "1e-05" and "1e+16" where orjson writes "1e-5", "1e16"."""
    size = abs(value)
    return size == 0.0 or 1e-4 <= size < 1e16


def _items(values: list[Any], indent: str) -> bytes | None:
    """The text of `values` as a list's items at `indent` (apart by a comma and a line), written by
    orjson; None when it refuses one (a key that is not a string, an integer beyond 64 bits, a
    lone surrogate): then `_texts` writes them."""
    # orjson indents from the start of its text: the list goes in as deep as `indent` says, as the
    # value of one key an object, whose text before and after the items is then cut off
    levels = len(indent) // len(_STEP)
    nested: Any = values
    for _ in range(levels):
        nested = {"": nested}
    try:
        text = orjson.dumps(nested, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return None
    before = sum(len("{\n" + _STEP * (j + 1) + '"": ') for j in range(levels)) + len("[\n" + indent + _STEP)
    after = len("\n" + indent + "]") + sum(len("\n" + _STEP * j + "}") for j in range(levels))
    return text[before : len(text) - after]


def _list(values: list[Any], indent: str) -> Iterator[bytes]:
    inner = indent + _STEP
    glue = ",\n" + inner
    yield ("[\n" + inner).encode("utf-8")
    for start in range(0, len(values), _BATCH):
        batch = values[start : start + _BATCH]
        made = _items(batch, indent) if _plain(batch) else None
        if made is None:
            made = glue.join(_texts(batch, inner)).encode("utf-8")
        yield (b"" if start == 0 else glue.encode("utf-8")) + made
    yield ("\n" + indent + "]").encode("utf-8")


def _rows(rows: Rows, indent: str) -> Iterator[bytes]:
    frame = rows.frame
    if len(frame) == 0:
        yield b"[]"
        return
    row_indent = indent + _STEP
    cell_indent = row_indent + _STEP
    keys = [k if type(k) is str else str(k) for k in frame.columns]
    # a row's text is one template of the keys filled with its cells' texts
    template = _template(frame.columns, row_indent)
    columns = [_Column(frame.iloc[:, j]) for j in range(frame.shape[1])]
    glue = ",\n" + row_indent
    # keys alike as text (1 and "1") would be one in a dict: such rows are written by the template
    distinct = len(set(keys)) == len(keys)
    yield ("[\n" + row_indent).encode("utf-8")
    for start in range(0, len(frame), _BATCH):
        stop = start + _BATCH
        made = None
        if distinct:
            cells = [column.cells(start, stop, cell_indent) for column in columns]
            made = _items([dict(zip(keys, row, strict=True)) for row in zip(*cells, strict=True)], indent)
        if made is None:
            texts = [column.texts(start, stop, cell_indent) for column in columns]
            made = glue.join(map(template.__mod__, zip(*texts, strict=True))).encode("utf-8")
        yield (b"" if start == 0 else glue.encode("utf-8")) + made
    yield ("\n" + indent + "]").encode("utf-8")


def whole_seconds(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any] | None:
    """Times (datetime64, NaT for none) in whole seconds (datetime64[s]), whose text by numpy's
    `datetime_as_string(..., unit="s")` is `datetime.isoformat`'s; None when one has a fraction."""
    import numpy as np

    seconds = values.astype("datetime64[s]")
    known = ~np.isnat(values)
    return seconds if bool((seconds[known] == values[known]).all()) else None


class _Column:
    """One column of a table, the JSON text of its cells made a batch of rows at a time: by numpy
    for times, booleans and integers, by `_texts` for Python objects."""

    def __init__(self, column: pd.Series) -> None:
        import numpy as np
        import pandas as pd

        self.column = column
        self.kind = "any"
        dtype = column.dtype
        if pd.api.types.is_datetime64_dtype(dtype):
            values = column.to_numpy()
            seconds = whole_seconds(values)
            if seconds is not None:
                self.kind, self.values, self.missing = "seconds", seconds, np.isnat(values)
        elif dtype.kind == "b" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            self.kind, self.values = "bool", column.to_numpy()
        elif str(dtype) == "int64":
            self.kind, self.values = "int", column.to_numpy()
        elif str(dtype) == "Int64":
            self.kind, self.missing = "Int64", column.isna().to_numpy()
            self.values = column.to_numpy(dtype="int64", na_value=0)
        elif dtype.kind == "O":
            self.kind, self.values = "object", column.to_numpy()

    def _numbers(self, start: int, stop: int) -> list[Any] | None:
        """The cells of rows start to stop as plain values, for times, booleans and integers (whole
        seconds as their isoformat, a missing one None); None for a column of other cells."""
        import numpy as np

        kind = self.kind
        if kind == "seconds":
            texts = np.datetime_as_string(self.values[start:stop], unit="s").tolist()
            missing = self.missing[start:stop].tolist()
            return [None if gone else text for text, gone in zip(texts, missing, strict=True)]
        if kind in ("bool", "int"):
            return self.values[start:stop].tolist()  # type: ignore[no-any-return]
        if kind == "Int64":
            numbers = self.values[start:stop].tolist()
            missing = self.missing[start:stop].tolist()
            return [None if gone else n for n, gone in zip(numbers, missing, strict=True)]
        return None

    def cells(self, start: int, stop: int, indent: str) -> list[Any]:
        """The cells of rows start to stop as orjson is to write them: plain values, or the text
        made here, at `indent`, of those that are not."""
        plain = self._numbers(start, stop)
        if plain is not None:
            return plain
        if self.kind == "object":
            cells = self.values[start:stop].tolist()
            if _plain(cells):
                return cells  # type: ignore[no-any-return]
            return list(map(orjson.Fragment, _texts(cells, indent)))
        return list(map(orjson.Fragment, self.texts(start, stop, indent)))

    def texts(self, start: int, stop: int, indent: str) -> list[str]:
        """The JSON text of the cells of rows start to stop."""
        plain = self._numbers(start, stop)
        if plain is not None:
            return _flat(plain)  # times' isoformats need no escape: json's C encoder quotes them
        if self.kind == "object":
            return _texts(self.values[start:stop].tolist(), indent)
        return [encode(v, indent) for v in self.column.iloc[start:stop].tolist()]
