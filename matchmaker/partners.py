"""The partners file: one row per Rwandan district or Beninese commune, read into a checked table.

Themes and languages arrive as the form's option texts (`Frans;Engels`) and leave as codes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Final

import pandas as pd

from . import schema as s
from .errors import CriteriaError, IntakeError
from .files import WORKBOOK_SUFFIXES, decode_text, read_input, read_workbook, sniff
from .form_mapping import fold, load_mapping, option_codes

COLUMNS = (s.PARTNER, s.COUNTRY, s.REGION, s.PARTNER_THEMES, s.PARTNER_LANGUAGES, s.HAS_FLEMISH_LINK)
# Optional: the region's name in the workbook's languages (region_nl, region_en, region_fr).
REGION_COLUMNS: Final = {f"{s.REGION}_{lang}": lang for lang in ("nl", "en", "fr")}
ELIGIBLE = "eligible"
REASONS = "reasons"
LINKED_REASON = "has a city link with a Flemish local government"

# A partners file lists a few dozen rows; anything that unpacks beyond this is not one.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_YES = {"ja", "yes", "oui", "true", "1"}
_NO = {"nee", "neen", "no", "non", "false", "0"}


def read_table(path: Path, what: str = "partners file") -> list[list[str]]:
    """The rows of a small table file (UTF-8 CSV, or the first sheet of a workbook) as texts."""
    if not path.exists() and not path.is_symlink():
        raise IntakeError(f"{path}: cannot read the {what} (file not found)")
    data = read_input(path, what=what, limit=MAX_UNPACKED_BYTES)
    if not data.strip():
        raise IntakeError(f"{path}: the {what} is empty")
    if path.suffix.lower() in WORKBOOK_SUFFIXES or sniff(path, data[:8]) != "text":
        return _read_workbook(path, what)  # a workbook by name or by content: the reader says which it is not
    try:
        text, _ = decode_text(path, data)
    except IntakeError:
        raise IntakeError(f"{path}: the {what} is neither UTF-8 CSV nor .xlsx") from None
    # Strict, as for forms: a quote left open would swallow the partners after it without a word.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise IntakeError(
            f"{path}: not valid CSV in the row starting on line {start} ({exc}); "
            "a quote left open there would hide the rows after it"
        ) from None
    return rows


def _read_workbook(path: Path, what: str) -> list[list[str]]:
    try:
        sheets = read_workbook(path, what=what, limit=MAX_UNPACKED_BYTES)
        rows = sheets[0].load()
    except IntakeError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        raise IntakeError(f"{path}: not a valid .xlsx file ({reason})") from None
    return [["" if v is None else _text(v) for v in row] for row in rows]


def _text(value: object) -> str:
    # a sheet passed through a spreadsheet program may hold a whole number as 3.0
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _codes(row: int, column: str, value: str, options: dict[str, str], problems: list[str]) -> list[str]:
    by_text = {fold(k): v for k, v in options.items()}
    by_text.update({fold(v): v for v in options.values()})
    codes: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        code = by_text.get(fold(part))
        if code is None:
            known = ", ".join(dict.fromkeys(options))
            problems.append(f"row {row}, column {column!r}: unknown option {part!r} (known: {known})")
        elif code not in codes:
            codes.append(code)
    return codes


def _looks_like_forms(header: list[str], mapping: Path | str | None) -> bool:
    """A header with several of the form's questions: the form export given as the partners file."""
    try:
        form_mapping = load_mapping(mapping)
    except CriteriaError:
        return False  # the mapping's own problem is reported where it is read
    return sum(form_mapping.field_for(h) is not None for h in header if h) >= 3


def read_partners(path: Path | str, mapping: Path | str | None = None) -> pd.DataFrame:
    """Read a partners file (.csv or the first sheet of an .xlsx, .ods or .xls) into one row per partner.

    Columns: the schema's partner fields (themes and languages as code lists, has_flemish_link
    bool) plus `eligible` and `reasons`. Every problem in the file is reported at once as an
    IntakeError naming the file, the row and the column.
    """
    path = Path(path)
    rows = [[cell.strip() for cell in row] for row in read_table(path)]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise IntakeError(f"{path}: the partners file has no header row")
    header = rows[0]
    missing = [c for c in COLUMNS if c not in header]
    if missing and len(header) == 1 and all(c in header[0].split(";") for c in COLUMNS):
        # Excel on Dutch or French settings saves "CSV" with semicolons
        raise IntakeError(
            f"{path}: the columns are separated by ';'; "
            "save the partners file as 'CSV UTF-8 (comma delimited)'"
        )
    if missing and _looks_like_forms(header, mapping):
        raise IntakeError(
            f"{path}: this looks like a candidacy form export, not a partners file; "
            "did you swap FORMS and --partners?"
        )
    if missing:
        raise IntakeError(
            f"{path}: missing column(s) {', '.join(missing)}; the header must hold {', '.join(COLUMNS)}"
        )
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if doubled:
        raise IntakeError(f"{path}: column(s) {', '.join(doubled)} appear more than once")
    if len(rows) == 1:
        raise IntakeError(f"{path}: the partners file lists no partners")
    form_mapping = load_mapping(mapping)
    themes = option_codes(form_mapping, s.THEMES)
    languages = option_codes(form_mapping, s.LANGUAGES)
    at = {c: header.index(c) for c in COLUMNS}
    named = {column: header.index(column) for column in REGION_COLUMNS if column in header}
    problems: list[str] = []
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        row = raw + [""] * (len(header) - len(raw))

        def cell(column: str, row: list[str] = row) -> str:
            return row[at[column]]

        name = cell(s.PARTNER)
        if not name:
            problems.append(f"row {number}: no partner name")
        elif fold(name) in seen:
            problems.append(f"row {number}: partner {name!r} is listed twice (also row {seen[fold(name)]})")
        else:
            seen[fold(name)] = number
        country = next((c for c in s.COUNTRIES if fold(c) == fold(cell(s.COUNTRY))), None)
        if country is None:
            problems.append(
                f"row {number}, column 'country': {cell(s.COUNTRY)!r} is not one of {', '.join(s.COUNTRIES)}"
            )
        link_text = fold(cell(s.HAS_FLEMISH_LINK))
        if link_text not in _YES | _NO:
            problems.append(
                f"row {number}, column 'has_flemish_link': {cell(s.HAS_FLEMISH_LINK)!r} is not Ja or Nee"
            )
        linked = link_text in _YES
        records.append(
            {
                s.PARTNER: name,
                s.COUNTRY: country,
                s.REGION: cell(s.REGION) or None,
                s.PARTNER_THEMES: _codes(number, s.PARTNER_THEMES, cell(s.PARTNER_THEMES), themes, problems),
                s.PARTNER_LANGUAGES: _codes(
                    number, s.PARTNER_LANGUAGES, cell(s.PARTNER_LANGUAGES), languages, problems
                ),
                s.HAS_FLEMISH_LINK: linked,
                s.REGION_NAMES: {REGION_COLUMNS[c]: row[j] for c, j in named.items() if row[j]},
                ELIGIBLE: not linked,
                REASONS: [LINKED_REASON] if linked else [],
            }
        )
    if problems:
        raise IntakeError(f"{path}: " + "; ".join(problems))
    return pd.DataFrame.from_records(records, columns=[*COLUMNS, s.REGION_NAMES, ELIGIBLE, REASONS])
