"""One answer of the form export -> a value of its field's kind (a date, yes/no, a rating, codes).

Each reader returns the value and, when the answer is doubtful, the kind of issue intake reports.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Final

import pandas as pd

from .form_mapping import FormMapping, answer_text, fold, is_blank, parse_multi

# What a reader found wrong with an answer: intake reports each as an issue of this kind.
UNANSWERED: Final = "unanswered"
UNREADABLE: Final = "unreadable-answer"
UNKNOWN_OPTION: Final = "unknown-option"
FORMULA_TEXT: Final = "formula-like-text"

_FORMULA_START: Final = ("=", "+", "@")
# "4", "4.0", "4/5", "4 - groot", "4 (groot)": a number with at most a label after it.
_RATING_TEXT: Final = re.compile(r"^\s*(\d+)(?:[.,]0+)?\s*(?:/\s*\d+)?\s*(?:[-–:(]\s*[^\d\s].*)?$")

_SERIAL_TEXT: Final = re.compile(r"^\d{5}(?:[.,]\d+)?$")


def _cached(func: Callable[[object], Any]) -> Callable[[object], Any]:
    """Answers repeat a lot (Ja, Nee, the same options): read each distinct value once."""
    memo: dict[Any, Any] = {}

    def wrapper(value: object) -> Any:
        try:
            key = (type(value), value)
            hash(key)
        except TypeError:
            return func(value)
        if key not in memo:
            memo[key] = func(value)
        return memo[key]

    return wrapper


def read_each(read: Callable[[object], Any], values: list[object]) -> list[Any]:
    """`read` of each of a column's values, each distinct one read once (answers repeat, and the
    readers' results are immutable, so rows may share them). Cells of several types are told apart
    by type too: 1, 1.0 and True are equal, but not the same answer."""
    try:
        if len(set(map(type, values))) <= 1:  # a column of texts: each cell is its own key
            memo = {value: read(value) for value in dict.fromkeys(values)}
            return list(map(memo.__getitem__, values))
        keys = list(zip(map(type, values), values, strict=True))
        typed = {key: read(key[1]) for key in dict.fromkeys(keys)}
        return list(map(typed.__getitem__, keys))
    except TypeError:  # an unhashable cell: none comes from a sheet or CSV, but read it all the same
        return [read(v) for v in values]


def yes_no(mapping: FormMapping) -> Callable[[object], tuple[bool | None, str | None]]:
    def read(value: object) -> tuple[bool | None, str | None]:
        text = answer_text(value)
        if text is None:
            return None, UNANSWERED
        folded = fold(text).rstrip(".;!").strip()
        if folded in mapping.yes:
            return True, None
        if folded in mapping.no:
            return False, None
        return None, UNREADABLE

    return _cached(read)


def choice(options: Mapping[str, str]) -> Callable[[object], tuple[str | None, str | None]]:
    by_text = {fold(k): v for k, v in options.items()}
    # "Rwanda" for "Rwanda (burgerparticipatie)": unambiguous when one option starts that way.
    short: dict[str, set[str]] = {}
    for text, code in options.items():
        short.setdefault(fold(text.split("(")[0]), set()).add(code)

    def read(value: object) -> tuple[str | None, str | None]:
        text = answer_text(value)
        if text is None:
            return None, UNANSWERED
        folded = fold(text).rstrip(";").strip()
        if folded in by_text:
            return by_text[folded], None
        codes = short.get(folded, set())
        if len(codes) == 1:
            return next(iter(codes)), None
        return None, UNKNOWN_OPTION

    return _cached(read)


def rating(bounds: tuple[int, int]) -> Callable[[object], tuple[int | None, str | None]]:
    low, high = bounds

    def read(value: object) -> tuple[int | None, str | None]:
        if is_blank(value):
            return None, UNANSWERED
        number: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            match = _RATING_TEXT.match(str(value))
            if match:
                number = float(match.group(1))
        if number is None or not number.is_integer() or not low <= number <= high:
            return None, UNREADABLE
        return int(number), None

    return _cached(read)


# Month names as people write them in Dutch, French and English ("16 oktober 2023 14:32").
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            "januari jan janvier january",
            "februari feb fevrier février february",
            "maart mrt mar mars march",
            "april apr avril avr",
            "mei mai may",
            "juni jun juin june",
            "juli jul juillet july",
            "augustus aug aout août august",
            "september sep sept septembre",
            "oktober okt oct octobre october",
            "november nov novembre",
            "december dec decembre décembre",
        ),
        start=1,
    )
    for name in names.split()
}
_WRITTEN_DATE: Final = re.compile(
    r"^(?:[^\W\d]+,?\s+)?(\d{1,2})(?:e|er|st|nd|rd|th)?\.?\s+([^\W\d]+)\.?,?\s+(\d{4})\b(.*)$"
)


def _written_date(text: str) -> str | None:
    """'maandag 16 oktober 2023 14:32' -> '2023-10-16 14:32'; None when it is not such a date."""
    match = _WRITTEN_DATE.match(text.strip())
    if not match:
        return None
    day, month_name, year, rest = match.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    return f"{year}-{month:02d}-{int(day):02d}{rest}"


def timestamp(dayfirst: bool) -> Callable[[object], tuple[pd.Timestamp | None, str | None]]:
    def read(value: object) -> tuple[pd.Timestamp | None, str | None]:
        if is_blank(value):
            return None, UNANSWERED
        if isinstance(value, dt.datetime | dt.date):
            return pd.Timestamp(value), None
        if isinstance(value, dt.time | dt.timedelta):
            return None, UNREADABLE  # a time without a day
        text = str(value).strip()
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number or _SERIAL_TEXT.match(text):
            # An Excel serial day number that lost its date format (or was stored as text). Its
            # binary fraction misses whole seconds by a hair: the form records whole seconds.
            serial = float(text.replace(",", "."))
            if 20000 < serial < 80000:
                stamp = pd.Timestamp("1899-12-30") + pd.to_timedelta(serial, unit="D")
                return stamp.round("s"), None
            return None, UNREADABLE
        text = _written_date(text) or text
        plain = _plain_timestamp(text, dayfirst)
        if plain is not None:
            return plain, None
        iso = re.match(r"^\d{4}-\d{2}-\d{2}", text) is not None
        if not re.search(r"\d{1,4}\D+\d{1,2}\D+\d{1,4}", text):
            return None, UNREADABLE  # "10:30" or "gisteren": no day in it
        try:
            with warnings.catch_warnings():
                # "10/16/2023" with dayfirst: only one reading exists, pandas takes it and warns.
                warnings.simplefilter("ignore")
                stamp = pd.to_datetime(text, dayfirst=dayfirst and not iso)
        except (ValueError, OverflowError):
            return None, UNREADABLE
        if stamp is pd.NaT:
            return None, UNREADABLE
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("Europe/Brussels").tz_localize(None)
        return stamp, None

    return _cached(read)


# The two layouts of a whole-second time an export writes most, read column-wise at once.
_COMMON_TIME: Final = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def timestamps(values: list[object], dayfirst: bool) -> tuple[Any, list[str | None]]:
    """`timestamp(dayfirst)` over a column: its values (a datetime array when every cell read the
    common way, else a list) and each cell's issue kind. The common layouts ("15/10/2023 14:30:00",
    "2023-10-16 09:05:00") are parsed together; any other cell, one by one."""
    if all(type(v) is str and _COMMON_TIME.fullmatch(v) for v in values):
        slashed = "%d/%m/%Y %H:%M:%S" if dayfirst else "%m/%d/%Y %H:%M:%S"
        texts = pd.Series(values, dtype=object)
        iso = texts.str[4] == "-"
        moments = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[us]")
        try:
            for layout, rows in (("%Y-%m-%d %H:%M:%S", iso), (slashed, ~iso)):
                if rows.any():
                    moments[rows] = pd.to_datetime(texts[rows], format=layout, errors="coerce")
        except (ValueError, OverflowError):  # a year beyond what pandas holds
            pass
        else:
            if not moments.isna().any():  # else a day that does not exist: the general way says why
                return moments.array, [None] * len(values)
    elif all(type(v) is dt.datetime and v.tzinfo is None for v in values):
        return pd.Series(values, dtype="datetime64[us]").array, [None] * len(values)
    read = timestamp(dayfirst)
    parsed = [read(v) for v in values]
    return [p[0] for p in parsed], [p[1] for p in parsed]


# The dates an export writes most ("15/10/2023 14:30:00", "2023-10-16 09:05"), read without
# pandas' format guessing, which costs a millisecond a cell; anything else takes the general way.
_DAY_MONTH_YEAR: Final = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_YEAR_MONTH_DAY: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _plain_timestamp(text: str, dayfirst: bool) -> pd.Timestamp | None:
    if match := _YEAR_MONTH_DAY.fullmatch(text):
        year, month, day, hour, minute, second = match.groups()
    elif match := _DAY_MONTH_YEAR.fullmatch(text):
        first, second_part, year, hour, minute, second = match.groups()
        day, month = (first, second_part) if dayfirst else (second_part, first)
        if int(month) > 12:
            return None  # only the other order reads: the general way says so
    else:
        return None
    try:
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None
    return pd.Timestamp(moment)


def submission_id(value: object) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    # "12" or "12.0" (a number stored as text after a round trip through a spreadsheet)
    match = re.fullmatch(r"(\d+)(?:[.,]0+)?", text)
    return int(match.group(1)) if match else None


def free_text(value: object) -> tuple[str | None, str | None]:
    text = answer_text(value)
    return text, FORMULA_TEXT if text is not None and text.startswith(_FORMULA_START) else None


def multi_reader(
    options: Mapping[str, str], separator: str
) -> Callable[[object], tuple[list[str], list[str]]]:
    """parse_multi, each distinct answer read once, with fresh lists per row (rows share nothing)."""
    memo: dict[str, tuple[list[str], list[str]]] = {}

    def read(value: object) -> tuple[list[str], list[str]]:
        if not isinstance(value, str):
            return parse_multi(value, options, separator)
        if value not in memo:
            memo[value] = parse_multi(value, options, separator)
        codes, others = memo[value]
        return list(codes), list(others)

    return read
