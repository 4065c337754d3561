"""The form mapping: which column of the export holds which field, which option text means which code.

Reads and validates `criteria/form-mapping.toml`; intake, the partners file and the sample use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from . import schema as s
from .criteria import CRITERIA_DIR
from .errors import CriteriaError

DEFAULT_MAPPING: Final = CRITERIA_DIR / "form-mapping.toml"

# Field kinds: how an answer is read. The mapping says where a field is; the schema says what it is.
INT_FIELDS: Final = (s.SUBMISSION_ID,)
# When a submission was last edited (Microsoft Forms' "Last modified time"): when the export has it,
# it decides which edit is the latest. It is read for that only and is not part of the record.
MODIFIED: Final = "modified"
DATETIME_FIELDS: Final = (s.STARTED, s.COMPLETED, MODIFIED)
TEXT_FIELDS: Final = (
    s.RESPONDENT_EMAIL,
    s.RESPONDENT,
    s.NAME_AS_WRITTEN,
    s.CONTACT_NAME,
    s.CONTACT_FUNCTION,
    s.CONTACT_EMAIL,
    s.MOTIVATION,
    s.PROJECTS,
    s.CITY_LINK_PARTNER,
)
CHOICE_FIELDS: Final = (s.COUNTRY_PREFERENCE, s.BOARD_APPROVAL)
MULTI_FIELDS: Final = (s.INVOLVED, s.OTHER_ACTORS, s.THEMES, s.LANGUAGES)
BOOL_FIELDS: Final = (s.CITY_LINK, *s.COMMITMENTS)
RATING_FIELDS: Final = (s.EQUAL_BASIS_RATING,)
FORM_FIELDS: Final = (
    *INT_FIELDS,
    *DATETIME_FIELDS,
    *TEXT_FIELDS,
    *CHOICE_FIELDS,
    *MULTI_FIELDS,
    *BOOL_FIELDS,
    *RATING_FIELDS,
)
CODES: Final[dict[str, tuple[str, ...]]] = {
    s.COUNTRY_PREFERENCE: s.PREFERENCE_CODES,
    s.BOARD_APPROVAL: s.APPROVAL_CODES,
    s.INVOLVED: s.INVOLVED_CODES,
    s.OTHER_ACTORS: s.OTHER_ACTOR_CODES,
    s.THEMES: s.THEME_CODES,
    s.LANGUAGES: s.LANGUAGE_CODES,
}

# Microsoft Forms' own columns, in the languages it exports them: a mapping whose export is in
# another language (the Dutch mapping, an English Forms account) still finds them.
FORMS_HEADERS: Final[dict[str, str]] = {
    "ID": s.SUBMISSION_ID,
    "Start time": s.STARTED,
    "Completion time": s.COMPLETED,
    "Email": s.RESPONDENT_EMAIL,
    "Name": s.RESPONDENT,
    "Last modified time": MODIFIED,
    "Tijd van laatste wijziging": MODIFIED,
    "Heure de début": s.STARTED,
    "Heure de fin": s.COMPLETED,
    "Adresse de messagerie": s.RESPONDENT_EMAIL,
    "Nom": s.RESPONDENT,
    "Heure de la dernière modification": MODIFIED,
}

_DASHES: Final = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "’": "'", "‘": "'", "`": "'"})


def fold(text: str) -> str:
    """Compare answers and headers without case, accents, dash or quote styles, or stray spaces."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_DASHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


def is_blank(value: object) -> bool:
    """An empty answer: missing, or text of only spaces."""
    if isinstance(value, str):
        return not value.strip()
    return s.is_missing(value)


def answer_text(value: object) -> str | None:
    """A cell's answer as trimmed text (a whole float without its ".0"); None when blank."""
    if type(value) is str:
        return value.strip() or None
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # a pandas Timestamp too
        return value.isoformat()
    return str(value).strip()


# --- the mapping -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormMapping:
    """Where each field is in the export, and which option text means which code."""

    name: str
    headers: Mapping[str, str]  # field -> question header as in the mapping file
    required: tuple[str, ...]
    yes: frozenset[str]  # folded answers
    no: frozenset[str]
    options: Mapping[str, Mapping[str, str]]  # field -> option text as written -> code
    other: Mapping[str, str]  # multi-select field -> field for free "other" text
    ratings: Mapping[str, tuple[int, int]]
    multi_separator: str = ";"
    dayfirst: bool = True
    path: Path | None = None
    sha256: str | None = None
    # header key -> field, built once: a wide export asks for thousands of headers
    _index: dict[str, str] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._index.update(_header_index(self))

    def field_for(self, header: str) -> str | None:
        return self._index.get(header_key(header))


def header_key(header: str) -> str:
    """Headers match without case, spaces, dash styles or a trailing '?' or ':'."""
    return fold(header).rstrip(" ?:.")


def _header_index(mapping: FormMapping) -> dict[str, str]:
    index = {header_key(h): f for f, h in mapping.headers.items()}
    for header, fld in FORMS_HEADERS.items():
        index.setdefault(header_key(header), fld)  # the mapping's own headers come first
    return index


def load_mapping(path: Path | str | None = None) -> FormMapping:
    """Read and validate a mapping file (default `criteria/form-mapping.toml`); CriteriaError if bad."""
    path = Path(path) if path is not None else DEFAULT_MAPPING
    from .files import read_input

    data = read_input(path, what="mapping file (.toml)", limit=1024 * 1024, error=CriteriaError)
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CriteriaError(f"{path}: not a valid TOML mapping file ({exc})") from None
    except RecursionError:
        raise CriteriaError(f"{path}: not a mapping file: its tables are nested too deeply") from None

    def fail(problem: str) -> CriteriaError:
        # headers and keys are shown with repr: a line break in one keeps the message on one line
        return CriteriaError(f"{path}: {problem if problem.isprintable() else repr(problem)[1:-1]}")

    def table(value: object, key: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise fail(f"{key}: expected a table, got {_shown(value)}")
        return value

    def texts(value: object, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"{key}: expected a list of texts, got {_shown(value)}")
        return value

    def text(value: object, key: str) -> str:
        if not isinstance(value, str):
            raise fail(f"{key}: expected a text, got {_shown(value)}")
        return value

    version = doc.get("version")
    if version != 1 or isinstance(version, bool):
        raise fail("needs 'version = 1' as its first key")
    dayfirst = doc.get("dayfirst", True)
    if not isinstance(dayfirst, bool):
        # "no" is a non-empty text, which Python would read as true
        raise fail(f"dayfirst: expected true or false, got {_shown(dayfirst)}")
    columns = doc.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise fail("needs a [columns] table: question header = field")
    headers: dict[str, str] = {}
    for header, fld in columns.items():
        if not isinstance(fld, str) or fld not in FORM_FIELDS:
            raise fail(
                f"[columns] {header!r} maps to unknown field {_shown(fld)}; fields: {', '.join(FORM_FIELDS)}"
            )
        if fld in headers:
            raise fail(f"[columns] field {fld!r} is mapped twice ({headers[fld]!r} and {header!r})")
        headers[fld] = header
    if len({header_key(h) for h in headers.values()}) != len(headers):
        raise fail("[columns] has two headers that differ only in case or spaces")
    required = tuple(
        texts(table(doc.get("required", {}), "[required]").get("fields", []), "[required] fields")
    )
    for fld in required:
        if fld not in headers:
            raise fail(f"[required] field {fld!r} has no column in [columns]")
    answers = table(doc.get("answers", {}), "[answers]")
    yes = frozenset(fold(a) for a in texts(answers.get("yes", ["Ja"]), "[answers] yes"))
    no = frozenset(fold(a) for a in texts(answers.get("no", ["Nee"]), "[answers] no"))
    if yes & no:
        raise fail("[answers] an answer cannot be both yes and no")
    options: dict[str, dict[str, str]] = {}
    for fld, option_table in table(doc.get("options", {}), "[options]").items():
        if fld not in CODES:
            raise fail(f"[options.{fld}] is not a choice or multi-select field")
        if not isinstance(option_table, dict):
            raise fail(f"[options.{fld}] must be a table of option text = code")
        for option, code in option_table.items():
            if not isinstance(code, str) or code not in CODES[fld]:
                raise fail(
                    f"[options.{fld}] {option!r} = {_shown(code)}: "
                    f"code must be one of {', '.join(CODES[fld])}"
                )
        options[fld] = {str(k): str(v) for k, v in option_table.items()}
    for fld in headers:
        if fld in CODES and fld not in options:
            raise fail(f"field {fld!r} has a column but no [options.{fld}] table")
    other = {k: text(v, f"[other] {k}") for k, v in table(doc.get("other", {}), "[other]").items()}
    for fld, target in other.items():
        if fld not in MULTI_FIELDS or target != s.OTHER_ACTORS_OTHER:
            raise fail(f"[other] {fld} = {target!r} is not supported")
    ratings: dict[str, tuple[int, int]] = {}
    for fld, bounds in table(doc.get("rating", {}), "[rating]").items():
        if fld not in RATING_FIELDS or not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(isinstance(b, int) and not isinstance(b, bool) and abs(b) <= 1000 for b in bounds)
            and bounds[0] < bounds[1]
        ):
            raise fail(f"[rating] {fld} must be a rating field with [low, high], whole numbers, low < high")
        ratings[fld] = (bounds[0], bounds[1])
    separator = doc.get("multi_separator", ";")
    if not isinstance(separator, str) or not separator:
        raise fail("multi_separator must be a non-empty string")
    name = doc.get("name", path.stem)
    if not isinstance(name, str):
        raise fail(f"name: expected a text, got {_shown(name)}")
    return FormMapping(
        name=name,
        headers=headers,
        required=required,
        yes=yes,
        no=no,
        options=options,
        other=other,
        ratings=ratings,
        multi_separator=separator,
        dayfirst=dayfirst,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _shown(value: object) -> str:
    """A wrong value in a message: its type and the start of it, on one line."""
    text = " ".join(repr(value).split())
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"


def option_codes(mapping: FormMapping | Path | str | None, fld: str) -> dict[str, str]:
    """Option text -> code for a choice or multi-select field (themes, languages...)."""
    if not isinstance(mapping, FormMapping):
        mapping = load_mapping(mapping)
    return dict(mapping.options.get(fld, {}))


def parse_multi(
    value: object, options: Mapping[str, str], separator: str = ";"
) -> tuple[list[str], list[str]]:
    """A multi-select answer -> (codes in option order, texts that are none of the options)."""
    text = answer_text(value)
    if text is None:
        return [], []
    by_text = {fold(k): v for k, v in options.items()}
    codes: list[str] = []
    others: list[str] = []
    for part in text.split(separator):
        part = part.strip()
        if not part:
            continue
        code = by_text.get(fold(part))
        pieces = [fold(p) for p in re.split(r"[,;/]", part) if p.strip()]
        if code is not None:
            found = [code]
        elif len(pieces) > 1 and all(p in by_text for p in pieces):
            # "Engels, Frans" in a form that joins with ";": every piece is an option, so no guess.
            found = [by_text[p] for p in pieces]
        else:
            others.append(part)
            continue
        codes.extend(c for c in found if c not in codes)
    order = list(dict.fromkeys(options.values()))
    return sorted(codes, key=order.index), others
