"""Writers for what leaves the engine: the shortlist workbook and the JSON documents.

Every file is written atomically; the committee's decisions come back in through `read_decisions`,
and `verify` re-runs a recorded result to show it still holds.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.comments import Comment
from openpyxl.formatting.rule import DataBarRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .cells import as_number as _as_number
from .cells import clean_text, write_text
from .criteria import Criteria, PairingSettings
from .errors import DecisionError, MatchmakerError, OutputError, VerifyError
from .files import atomic_path, check_output, file_sha256, save_workbook, write_json
from .i18n import (
    CANDIDATE_DECISIONS,
    LANGS,
    PAIR_DECISIONS,
    code_label,
    commitment,
    decision_word,
    has_sentence,
    in_languages,
    in_region,
    intake_word,
    join_words,
    label,
    long_date,
    moment,
    number,
    province_of,
    quoted,
    resolution_label,
    sentence,
)
from .pairing import PairingResult
from .schema import (
    BREAKDOWN,
    CANDIDATE_ID,
    COMPLETED,
    CONTACT_EMAIL,
    CONTACT_FUNCTION,
    CONTACT_NAME,
    COUNTRIES,
    COUNTRY,
    COUNTRY_PREFERENCE,
    ELIGIBLE,
    ISSUE_KIND,
    ISSUE_PARAMS,
    LANGUAGES,
    MOTIVATION,
    MUNICIPALITY,
    NAME_AS_WRITTEN,
    PARTNER,
    PARTNER_LANGUAGES,
    PARTNER_THEMES,
    PERSONAL_FIELDS,
    PROJECTS,
    PROVINCE,
    RANK,
    REASON_CODES,
    REASONS,
    REGION,
    RESOLUTION,
    RESOLUTION_FACTS,
    RESOLUTION_NOTE,
    RESPONDENT,
    RESPONDENT_EMAIL,
    RESULT_SCHEMA,
    SCORE,
    SUBMISSION_ID,
    SUPERSEDED_BY,
    THEMES,
    is_missing,
    to_jsonable,
)

__all__ = [
    "SHEET_ALTERNATIVES",
    "SHEET_INTAKE",
    "SHEET_MOTIVATION",
    "SHEET_OVERVIEW",
    "SHEET_PAIRS",
    "SHEET_PARAMETERS",
    "SHEET_PARTNERS",
    "SHEET_RESERVES",
    "SHEET_SHORTLIST",
    "Decisions",
    "VerifyReport",
    "atomic_path",
    "build_workbook",
    "check_output",
    "clean_text",
    "read_decisions",
    "to_jsonable",
    "verify",
    "write_json",
    "write_shortlist",
]


# --- the shortlist workbook -----------------------------------------------------------------------

# Sheet names stay Dutch in every language: other tools and `read_decisions` find the sheets by them.
SHEET_OVERVIEW: Final = "Overzicht"
SHEET_PAIRS: Final = "Koppelingen"
SHEET_SHORTLIST: Final = "Shortlist"
SHEET_RESERVES: Final = "Reservelijst"
SHEET_ALTERNATIVES: Final = "Alternatieven"
SHEET_MOTIVATION: Final = "Motivatie"
SHEET_INTAKE: Final = "Intake"
SHEET_PARTNERS: Final = "Partners"
SHEET_PARAMETERS: Final = "Parameters"

_BLUE = "1F4E78"
_FONT = "Calibri"  # the default font of a new workbook; set on styled cells too
_HEADER_FILL = PatternFill("solid", fgColor=_BLUE)
_HEADER_FONT = Font(name=_FONT, bold=True, color="FFFFFF")
_TITLE_FONT = Font(name=_FONT, bold=True, size=15, color=_BLUE)
_SECTION_FONT = Font(name=_FONT, bold=True, size=12, color=_BLUE)
_LABEL_FONT = Font(name=_FONT, bold=True)
_NOTE_FONT = Font(name=_FONT, italic=True, color="595959")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells the committee fills in
_CHANGED_FILL = PatternFill("solid", fgColor="E2EFDA")
_BAR_COLOR = "5B9BD5"
# "_)" leaves the width of a ")" after a number, so it never touches the text in the next column.
_FORMATS: Final = {
    "int": "0_)",
    "num": "0.0_)",
    "pct": "0.0%_)",
    "money": '#,##0 "EUR"_)',
    "date": "yyyy-mm-dd hh:mm",
    "id": "0",
}
_NUMERIC: Final = frozenset({"int", "num", "pct", "money", "id"})
_PERSONAL_COLUMNS: Final = frozenset(
    {*PERSONAL_FIELDS, "Naam", "E-mail", "Naam contactpersoon", "E-mailadres contactpersoon"}
)
_WRAP_AT: Final = 45  # wider text wraps instead of widening its column
_CHART_MAX: Final = 50  # candidates in the Shortlist bar chart


@dataclass(frozen=True)
class _Col:
    header: str
    kind: str = "text"  # text | long | input | flag | int | num | pct | money | date | id
    width: float | None = None
    wrap_at: int = _WRAP_AT


def _parse_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if moment != moment:  # NaT
        return None
    # Excel has no time zones: show the local wall-clock time that was recorded.
    return moment.replace(tzinfo=None)


class _Book:
    """Writes typed, safe cells and styled tables into one openpyxl workbook."""

    def __init__(self, lang: str, include_contacts: bool) -> None:
        self.lang = lang
        self.scrub = not include_contacts
        self.wb = Workbook()
        self._first = True

    def sheet(self, title: str) -> Worksheet:
        if self._first:
            ws = self.wb.active
            ws.title = title
            self._first = False
        else:
            ws = self.wb.create_sheet(title)
        _page_setup(ws)
        return ws

    def t(self, key: str) -> str:
        return label(key, self.lang)

    def value(self, value: object, kind: str = "text") -> object:
        """The value a cell gets: numbers stay numbers, everything else becomes clean text."""
        if value is None:
            return None
        if isinstance(value, bool):
            return self.t("yes" if value else "no")
        if kind == "date":
            moment = _parse_datetime(value)
            return moment if moment is not None else self.value(value)
        if kind == "id" and isinstance(value, str) and value.isdigit() and not value.startswith("0"):
            return int(value)  # a REFNIS code as a number: no "number stored as text" warnings
        if kind in _NUMERIC:
            number = _as_number(value)
            if number is not None:
                return int(number) if kind in {"int", "id"} and number == int(number) else number
            if isinstance(value, float | int):
                return None  # NaN or infinite: an empty cell, not a broken one
        if isinstance(value, float):
            return value if math.isfinite(value) else None
        if isinstance(value, int):
            return value
        if isinstance(value, list | tuple | set | frozenset):
            return clean_text(
                ", ".join(code_label(str(v), self.lang) for v in value if not is_missing(v)),
                scrub_emails=self.scrub,
            )
        if isinstance(value, Mapping):
            return clean_text(_format_breakdown(value, self.lang), scrub_emails=self.scrub)
        return clean_text(value, scrub_emails=self.scrub)

    def put(
        self, ws: Worksheet, row: int, col: int, value: object, kind: str = "text", *, styled: bool = True
    ) -> Cell:
        """Write one value; `styled=False` leaves the number format to the caller."""
        cell = ws.cell(row=row, column=col)
        written = self.value(value, kind)
        if isinstance(written, str):
            write_text(cell, written)
            return cell
        cell.value = written
        if styled and kind in _FORMATS and written is not None:
            cell.number_format = _FORMATS[kind]
        return cell

    def table(
        self,
        ws: Worksheet,
        cols: list[_Col],
        rows: list[list[object]],
        *,
        freeze: str | None = "B",
    ) -> int:
        """Write a header row 1 and the rows below it; return the last row written."""
        for j, col in enumerate(cols, start=1):
            self._header_cell(ws, 1, j, col.header, col.kind)
        widths = [_header_width(col.header) for col in cols]
        for i, values in enumerate(rows, start=2):
            for j, (col, value) in enumerate(zip(cols, values, strict=True), start=1):
                cell = self.put(ws, i, j, value, col.kind, styled=False)
                widths[j - 1] = max(widths[j - 1], _shown_length(cell.value, col.kind))
        last = 1 + len(rows)
        final: list[float] = []
        wraps: list[bool] = []
        for j, col in enumerate(cols, start=1):
            wrap = col.kind == "long" or widths[j - 1] > col.wrap_at
            pad = 3 if col.kind in _NUMERIC - {"id"} else 2  # room for the "_)" space after numbers
            width = col.width if col.width is not None else min(widths[j - 1], col.wrap_at) + pad
            final.append(max(width, 6))
            wraps.append(wrap)
            ws.column_dimensions[get_column_letter(j)].width = final[-1]
            if last >= 2:
                _style_column(ws, j, last, col.kind, wrap)
        _fit_row_heights(ws, 2, last, final, wraps)
        header_lines = max((_lines(col.header, w) for col, w in zip(cols, final, strict=True)), default=1)
        ws.row_dimensions[1].height = 15 * min(header_lines, 3) + 3
        if freeze is not None:
            ws.freeze_panes = f"{freeze}2"
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(last, 2)}"
        ws.print_title_rows = "1:1"
        return last

    def _header_cell(self, ws: Worksheet, row: int, col: int, text: str, kind: str = "text") -> None:
        cell = self.put(ws, row, col, text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        # A header over numbers is centred: right-aligned, it would run into the next header.
        numeric = kind in _NUMERIC - {"id"} or kind == "flag"
        cell.alignment = Alignment(
            horizontal="center" if numeric else None, vertical="center", wrap_text=True
        )

    def title(self, ws: Worksheet, row: int, text: str, font: Font = _SECTION_FONT) -> int:
        cell = self.put(ws, row, 1, text)
        cell.font = font
        return row + 1

    def note(self, ws: Worksheet, row: int, text: str) -> int:
        cell = self.put(ws, row, 1, text)
        cell.font = _NOTE_FONT
        return row + 1

    def pairs_kv(self, ws: Worksheet, row: int, items: list[tuple[str, object, str]]) -> int:
        """Label in column A, value in column B; returns the next free row."""
        for key, value, kind in items:
            self.put(ws, row, 1, key).font = _LABEL_FONT
            cell = self.put(ws, row, 2, value, kind)
            cell.alignment = Alignment(horizontal="left", vertical="top")
            row += 1
        return row

    def small_table(
        self,
        ws: Worksheet,
        row: int,
        headers: list[str],
        rows: list[list[object]],
        kinds: list[str] | None = None,
    ) -> int:
        """A table inside a free-form sheet: styled header, no filter; returns the next free row."""
        kinds = kinds or ["text"] * len(headers)
        header_row = row
        for j, (header, kind) in enumerate(zip(headers, kinds, strict=True), start=1):
            self._header_cell(ws, row, j, header, kind)
        for values in rows:
            row += 1
            lines = 1
            for j, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
                cell = self.put(ws, row, j, value, kind)
                cell.alignment = _alignment(kind, wrap=kind == "long")
                letter = get_column_letter(j)
                width = ws.column_dimensions[letter].width or 8.43
                if kind == "long":
                    lines = max(lines, _lines(cell.value, width))
                else:
                    needed = min(_shown_length(cell.value, kind) + 2, _WRAP_AT)
                    ws.column_dimensions[letter].width = max(width, needed)
            if lines > 1:
                ws.row_dimensions[row].height = 15 * min(lines, 27)
        # a header wraps in a column the data left narrow: give its row the lines it needs
        header_lines = max(
            _lines(header, ws.column_dimensions[get_column_letter(j)].width or 8.43)
            for j, header in enumerate(headers, start=1)
        )
        if header_lines > 1:
            ws.row_dimensions[header_row].height = 15 * header_lines
        return row + 2


def _style_column(ws: Worksheet, j: int, last: int, kind: str, wrap: bool) -> None:
    """Give column j's data cells one style; copying openpyxl's style array is far quicker than
    setting a style on every cell, which matters for exports with thousands of rows."""
    first = ws.cell(row=2, column=j)
    quoted = bool(first.quotePrefix)
    first.alignment = _alignment(kind, wrap)
    if kind == "input":
        first.fill = _INPUT_FILL
    if kind in _FORMATS:
        first.number_format = _FORMATS[kind]
    template = copy.copy(first._style)
    template.quotePrefix = 0
    for i in range(2, last + 1):
        cell = ws.cell(row=i, column=j)
        quoted = bool(cell.quotePrefix) if i > 2 else quoted
        cell._style = copy.copy(template)
        if quoted:
            cell._style.quotePrefix = 1


def _shown_length(shown: object, kind: str) -> int:
    """About how many characters wide a written cell value shows."""
    if shown is None:
        return 0
    if isinstance(shown, float):
        return len(f"{shown:,.1f}") + (4 if kind == "money" else 0)
    if isinstance(shown, int):
        return len(f"{shown:,}") + (4 if kind == "money" else 0)
    if isinstance(shown, dt.datetime):
        return 16
    return max((len(line) for line in str(shown).split("\n")), default=0)


def _lines(value: object, width: float) -> int:
    """How many lines a wrapped text needs in a column of `width` characters."""
    if value is None or not isinstance(value, str):
        return 1
    # A column unit is the width of a digit; average text runs about 1.25 characters to it (Calibri,
    # and Carlito in LibreOffice, which has the same metrics), but a line of wide letters (capitals,
    # "w", "m") fits fewer: counting 1.15 keeps a wrapped line from spilling into the next row, at
    # the cost of a little room under some rows. Wrap word by word, as both programs do.
    per_line = max(width * 1.15 - 1, 1)
    total = 0
    for part in value.split("\n"):
        lines, used = 1, 0.0
        for word in part.split(" "):
            if used and used + 1 + len(word) > per_line:
                lines, used = lines + 1, len(word)
            else:
                used += (1 if used else 0) + len(word)
            while used > per_line:  # a word longer than the line breaks inside it
                lines, used = lines + 1, used - per_line
        total += lines
    return total


def _fit_row_heights(ws: Worksheet, first: int, last: int, widths: list[float], wraps: list[bool]) -> None:
    # Neither openpyxl nor LibreOffice sizes rows with wrapped text on opening; set the height here.
    wrapped = [j for j, wrap in enumerate(wraps, start=1) if wrap]
    if not wrapped:
        return
    for i in range(first, last + 1):
        lines = max(_lines(ws.cell(row=i, column=j).value, widths[j - 1]) for j in wrapped)
        if lines > 1:
            ws.row_dimensions[i].height = 15 * min(lines, 27)  # Excel's limit is 409 points


def _header_width(header: str) -> int:
    # Headers wrap onto two lines: a long header needs about half its length, but never less
    # than its longest word.
    if len(header) <= 10:
        return len(header)
    return max(max(len(word) for word in header.split()), math.ceil(len(header) / 2))


def _alignment(kind: str, wrap: bool = False, vertical: str = "top") -> Alignment:
    if kind == "flag":  # ja / nee, centred: left-aligned it reads as part of the number before it
        return Alignment(horizontal="center", vertical=vertical, wrap_text=wrap)
    if kind in _NUMERIC - {"id"}:
        return Alignment(horizontal="right", vertical=vertical, wrap_text=wrap)
    if kind in {"id", "date"}:
        return Alignment(horizontal="left", vertical=vertical, wrap_text=wrap)
    return Alignment(vertical=vertical, wrap_text=wrap)


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.oddFooter.center.text = "&A – &P / &N"
    ws.oddFooter.center.size = 8


def _format_breakdown(breakdown: Mapping[str, Any], lang: str) -> str:
    parts = []
    for key, value in breakdown.items():
        number = _as_number(value)
        shown = f"{number:.1f}" if number is not None else str(value)
        parts.append(f"{label(key, lang)} {shown}")
    return "; ".join(parts)


def _component_keys(breakdowns: Iterable[object]) -> list[str]:
    """The numeric components found in a set of breakdowns, in order of first appearance."""
    keys: dict[str, None] = {}
    for breakdown in breakdowns:
        if isinstance(breakdown, Mapping):
            for key, value in breakdown.items():
                if _as_number(value) is not None:
                    keys.setdefault(str(key), None)
    return list(keys)


def _component_label(key: str, lang: str, criteria: Criteria | None) -> str:
    translated = label(key, lang)
    if translated != key:
        return translated
    if criteria is not None:
        for criterion in criteria.criteria:
            if criterion.key == key:
                return criterion.label
        for item in criteria.rubric:
            if item.key == key:
                return item.label
    return key.replace("_", " ").capitalize()


class _Context:
    """Lookups over one PairingResult that every sheet needs."""

    def __init__(self, result: PairingResult, criteria: Criteria | None) -> None:
        self.result = result
        self.criteria = criteria
        self.candidates = {str(c.get(CANDIDATE_ID)): c for c in result.candidates}
        self.partners = {str(p.get(PARTNER)): p for p in result.partners}
        self.explanations = {str(e.get(CANDIDATE_ID)): e for e in result.explanations}
        self.pair_of = {str(p.get(CANDIDATE_ID)): p for p in result.pairs}
        quotas = result.constraints.get("per_country") or (criteria.pairing.quotas if criteria else {})
        self.quotas: dict[str, int] = {str(k): int(v) for k, v in dict(quotas).items()}
        self.countries = list(self.quotas) or list(COUNTRIES)
        for country in [*result.filled, *(p.get(COUNTRY) for p in result.pairs)]:
            if country and str(country) not in self.countries:
                self.countries.append(str(country))
        self.locked = {_pair_key(p) for p in result.constraints.get("locked") or ()}
        self.forbidden = {_pair_key(p) for p in result.constraints.get("forbidden") or ()}
        self.changes = {(str(c.get(CANDIDATE_ID)), str(c.get(PARTNER))): c for c in result.changes}

    def name(self, candidate_id: object) -> str:
        cand = self.candidates.get(str(candidate_id), {})
        for key in (MUNICIPALITY, NAME_AS_WRITTEN):
            if not is_missing(cand.get(key)) and str(cand.get(key)).strip():
                return str(cand.get(key))
        return "" if is_missing(candidate_id) else str(candidate_id)

    def country_order(self, country: object) -> int:
        return self.countries.index(str(country)) if str(country) in self.countries else len(self.countries)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _pair_key(pair: object) -> tuple[str, str]:
    if isinstance(pair, Mapping):
        return str(pair.get(CANDIDATE_ID)), str(pair.get(PARTNER))
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return str(pair[0]), str(pair[1])
    raise ValueError(f"not a pair: {pair!r}")


def _budget(ctx: _Context) -> int:
    if ctx.criteria is not None:
        return ctx.criteria.pairing.budget_per_partnership
    recorded = ctx.result.constraints.get("budget_per_partnership") or ctx.result.manifest.get(
        "budget_per_partnership"
    )
    number = _as_number(recorded)
    return int(number) if number is not None else PairingSettings().budget_per_partnership


def _change_text(change: Mapping[str, Any], ctx: _Context, lang: str, *, kind: bool = True) -> str:
    """One change as a phrase: what happened to the pair (unless `kind` is off, for a table that
    shows it in a column of its own), then the decision, the pairs involved, or why it is gone."""
    parts: list[str] = []
    decision = change.get("decision")
    if decision:
        word = decision_word(str(decision), lang) if decision in _DECISION_KINDS else str(decision)
        part = f"{label('decision', lang).lower()} '{word}'"
        source = change.get("source")
        if isinstance(source, Mapping):
            part += f" ({source.get('sheet')} {label('row', lang)} {source.get('row')})"
        elif source:
            part += f" ({source})"
        parts.append(part)
    related = [_pair_key(r) for r in change.get("related") or ()]
    if related:
        key = "instead_of" if change.get("change") == "added" else "replaced_by"
        parts.append(f"{label(key, lang)} " + ", ".join(f"{ctx.name(c)} – {p}" for c, p in related))
    reason = _gone_text(change, lang)
    if reason and not decision and change.get("change") in {"removed", "dropped"}:
        parts.append(reason)
    body = sentence("list_separator", lang).join(parts)
    if not kind:
        return body
    head = label(str(change.get("change", "")), lang)
    return f"{head}{_colon(lang)} {body}" if body else head


_DECISION_KINDS: Final = ("lock", "forbid", "exclude")


def _colon(lang: str) -> str:
    # French typography puts a space before the colon
    return "\u00a0:" if lang == "fr" else ":"


# --- the pairing's explanations, worded in the workbook's language ---------------------------------
# The result JSON keeps the engine's English sentences (`why`, `reason`) and the facts behind them;
# the workbook writes its own sentence from those facts. A record without the facts (an older result
# file) keeps its recorded sentence.


def _points(value: object, lang: str) -> str:
    number_ = _as_number(value)
    return number(number_, lang) if number_ is not None else str(value)


def _points_needed(value: float, lang: str) -> str:
    # rounded up, so that "more than X" is always enough: 9.6666 -> "9,67"
    return number(math.ceil(round(value * 100, 6)) / 100, lang)


def _plain_number(value: object, lang: str) -> str:
    number_ = _as_number(value)
    if number_ is None:
        return str(value)
    return str(int(number_)) if number_ == int(number_) else number(number_, lang)


def _obstacle_phrase(obstacle: Mapping[str, Any], lang: str) -> str | None:
    kind = str(obstacle.get("kind"))
    if f"ob_{kind}" not in _OBSTACLE_KINDS:
        return None
    country = code_label(str(obstacle.get(COUNTRY) or ""), lang)
    fields: dict[str, Any] = {"country": country, "partner": obstacle.get(PARTNER) or ""}
    if kind == "language":
        fields["languages"] = in_languages([str(c) for c in obstacle.get("languages") or ()], lang)
    elif kind == "preference":
        fields["asked"] = code_label(str(obstacle.get("asked") or ""), lang)
    elif kind == "below_min":
        fields["value"] = _points(obstacle.get("value"), lang)
        fields["minimum"] = _plain_number(obstacle.get("min_value"), lang)
    return sentence(f"ob_{kind}", lang, **fields)


_OBSTACLE_KINDS: Final = frozenset(
    f"ob_{k}"
    for k in (
        "language",
        "preference",
        "no_slots",
        "partner_not_eligible",
        "forbidden",
        "below_min",
        "no_partner",
    )
)
_NEEDS: Final = frozenset({"score", "tie", "slots", "kept", "time_limit", "not_computed"})


def _names(people: Iterable[object], ctx: _Context) -> list[str]:
    out = []
    for person in people:
        if isinstance(person, Mapping):
            out.append(str(person.get(MUNICIPALITY) or ctx.name(person.get(CANDIDATE_ID))))
        else:
            out.append(ctx.name(person))
    return out


def _why_text(explanation: Mapping[str, Any], ctx: _Context, lang: str) -> str | None:
    """One short sentence or two: selected with whom, or the main reason not and what would change it."""
    recorded = explanation.get("why")
    fallback = str(recorded) if recorded else None
    cause = explanation.get("cause")
    country = code_label(str(explanation.get(COUNTRY) or ""), lang)
    if cause in {"selected", "locked"}:
        if explanation.get("value") is None or not explanation.get(PARTNER):
            return fallback
        value = _points(explanation.get("value"), lang)
        where = sentence("in_country", lang, country=country)
        return sentence(str(cause), lang, partner=explanation.get(PARTNER), in_country=where, value=value)
    head = sentence("not_selected", lang)
    if cause == "no_pair":
        obstacles = explanation.get("obstacles")
        if not isinstance(obstacles, list):
            return fallback
        phrases = [p for o in obstacles if isinstance(o, Mapping) and (p := _obstacle_phrase(o, lang))]
        phrases = list(dict.fromkeys(phrases))
        body = (
            sentence("no_pair", lang, obstacles=sentence("list_separator", lang).join(phrases))
            if phrases
            else sentence("no_pair_bare", lang)
        )
        return f"{head} {body}"
    need = explanation.get("need")
    if need not in _NEEDS:
        return fallback
    taken = explanation.get("province_taken_by") or []
    rivals = [r for r in explanation.get("outranked_by") or () if isinstance(r, Mapping)]
    if cause == "province_cap" and taken and explanation.get(PROVINCE):
        first = sentence(
            "province_cap",
            lang,
            n=len(taken),
            province_of=province_of(str(explanation.get(PROVINCE)), lang),
            names=", ".join(_names(taken, ctx)),
        )
        text = f"{head} {first}"
    elif rivals:
        lowest = min(rivals, key=lambda r: _as_number(r.get("value")) or 0.0)
        countries = [str(c) for c in explanation.get("countries") or ()] or [str(lowest.get(COUNTRY))]
        names = [code_label(c, lang) for c in countries]
        # "au Rwanda et au Bénin" repeats the preposition; "in Rwanda en Benin" does not
        where = (
            join_words([sentence("in_country", lang, country=c) for c in names], lang)
            if lang == "fr"
            else sentence("in_country", lang, country=join_words(names, lang))
        )
        first = sentence(
            "outranked",
            lang,
            value=_points(explanation.get("best_value"), lang),
            where=where,
            lowest=_names([lowest], ctx)[0],
            lowest_value=_points(lowest.get("value"), lang),
        )
        text = f"{head} {first}"
    else:
        text = sentence("not_selected_bare", lang)
    needed = _as_number(explanation.get("score_needed"))
    displaced = _names(explanation.get("displaces") or (), ctx)
    if need == "score" and needed is not None:
        points = _points_needed(needed, lang)
        tail = (
            sentence("need_score", lang, points=points, names=join_words(displaced, lang))
            if displaced
            else sentence("need_score_free", lang, points=points)
        )
    elif need in {"tie", "slots", "kept", "time_limit"}:
        tail = sentence(f"need_{need}", lang)
    else:
        tail = ""
    return f"{text} {tail}".strip()


def _unfilled_text(gap: Mapping[str, Any], lang: str) -> str:
    """Why slots stay open in one country, from the facts the pairing records."""
    recorded = str(gap.get("reason") or "")
    cause = gap.get("cause")
    country = code_label(str(gap.get(COUNTRY) or ""), lang)
    filled, quota = gap.get("filled"), gap.get("quota")
    if cause not in {"few_partners", "no_partners", "few_candidates", "blocked"} or filled is None:
        return recorded
    head = sentence("unfilled_head", lang, filled=filled, quota=quota)

    def count(key: str) -> int:
        return int(_as_number(gap.get(key)) or 0)

    if cause == "few_partners":
        body = sentence("few_partners", lang, n=count("eligible_partners"), country=country)
        if count("ineligible_partners"):
            body += sentence("more_not_eligible", lang, n=count("ineligible_partners"))
    elif cause == "no_partners":
        body = sentence("no_partners", lang, country=country)
    else:
        codes = [str(c) for c in gap.get("languages") or ()]
        languages = in_languages(codes, lang) if codes else ""
        n = count("candidates")

        def speaking(k: int) -> str:
            return sentence("speaking", lang, n=k, languages=languages) if codes else ""

        if cause == "few_candidates":
            body = sentence("few_candidates", lang, n=n, country=country, speaking=speaking(n))
            excluded = count("language_ok") - n
            wrong = count("accepting") - count("language_ok")
            if excluded > 0:
                body += sentence("more_excluded", lang, n=excluded)
            elif codes and wrong > 0:
                body += sentence("more_wrong_language", lang, n=wrong, country=country, languages=languages)
        else:
            body = sentence("blocked", lang, n=n, country=country, speaking=speaking(n))
            if count("elsewhere"):
                body += sentence("elsewhere", lang, n=count("elsewhere"))
            if count("capped"):
                provinces = [code_label(str(p), lang) for p in gap.get("capped_provinces") or ()]
                body += sentence(
                    "capped",
                    lang,
                    n=count("capped"),
                    cap=gap.get("max_per_province"),
                    provinces=", ".join(provinces),
                )
            if not count("elsewhere") and not count("capped"):
                body += sentence("no_room", lang)
    return head + body + "."


def _gone_text(change: Mapping[str, Any], lang: str) -> str | None:
    """Why a pair of the previous shortlist could not stay, in `lang`."""
    cause = change.get("cause")
    obstacle = change.get("obstacle")
    if isinstance(obstacle, Mapping):
        phrase = _obstacle_phrase(obstacle, lang)
        if phrase:
            return phrase
    if cause in {"more_slots", "not_candidate", "no_partner", "locked"}:
        return sentence(f"gone_{cause}", lang, partner=change.get(PARTNER) or "")
    reason = change.get("reason")
    return str(reason) if reason and reason != "new pair" else None


def _partner_reason(reason: object, lang: str) -> str:
    text = str(reason)
    if text == _LINKED_REASON:
        return sentence("partner_linked", lang)
    slots = re.fullmatch(r"no slots for (.+)", text)
    if slots:
        return sentence("ob_no_slots", lang, country=code_label(slots.group(1), lang))
    return text


_LINKED_REASON: Final = "has a city link with a Flemish local government"


# --- intake's reasons and issues, worded in the workbook's language ----------------------------------
# As with the pairing's explanations: the JSON keeps intake's English sentences (`reasons`, an issue's
# `problem`) beside their facts (`reason_codes`, an issue's `params`); the workbook words the facts.
# Facts it has no sentence for (a newer code, an older result file) leave the recorded English.

_BAD_FACTS: Final = (KeyError, IndexError, TypeError, ValueError)


def _note_text(facts: object, lang: str) -> str | None:
    """How a name as written was read (reference's `Resolution.facts`), or None."""
    if not isinstance(facts, Mapping) or not has_sentence(f"note_{facts.get('code')}"):
        return None
    code = str(facts.get("code"))
    try:
        text = sentence(f"note_{code}", lang, **_note_fields(code, facts, lang))
        if code == "fuzzy" and isinstance(facts.get("merged"), Mapping):
            merged = _note_text(facts["merged"], lang)
            if merged is None:
                return None
            text += sentence("list_separator", lang) + merged
    except _BAD_FACTS:
        return None
    return text


def _note_fields(code: str, facts: Mapping[str, Any], lang: str) -> dict[str, Any]:
    if code in {"province", "formula", "unknown"}:
        return {"name": quoted(str(facts["name"]), lang)}
    if code == "province_conflict":
        province = str(facts["province"])
        written = [code_label(str(p), lang) for p in facts["written"]]
        return {
            "municipality": facts["municipality"],
            "province_of": province_of(province, lang),
            "written": join_words(written, lang, conjunction="or"),
        }
    if code == "several":
        return {"names": join_words([str(n) for n in facts["names"]], lang)}
    if code == "alias":
        return {"name": facts["name"], "language": code_label(str(facts["lang"]), lang)}
    if code == "merged":
        return {
            "former": facts["former"],
            "municipality": facts["municipality"],
            "date": long_date(str(facts["date"]), lang),
        }
    if code in {"not_flemish", "not_flemish_fuzzy"}:
        # a Walloon or Brussels municipality by its French name for a French reader: Liège, not Luik
        name = facts.get("name_fr") if lang == "fr" and facts.get("name_fr") else facts["name"]
        return {"name": name, "in_region": in_region(str(facts["region"]), lang)}
    if code == "fuzzy":
        return {
            "written": quoted(str(facts["written"]), lang),
            "municipality": facts["municipality"],
            "similarity": number(float(facts["similarity"]), lang),
        }
    fields: dict[str, Any] = {}
    if "codes" in facts:
        fields["codes"] = ", ".join(str(c) for c in facts["codes"])
    if "names" in facts:
        fields["names"] = join_words([str(n) for n in facts["names"]], lang)
    if "municipality" in facts:
        fields["municipality"] = facts["municipality"]
    return fields


def _reason_text(facts: object, lang: str) -> str | None:
    """Why a submission is not an eligible candidate (one of intake's `reason_codes`), or None."""
    if not isinstance(facts, Mapping) or not has_sentence(f"reason_{facts.get('code')}"):
        return None
    code = str(facts.get("code"))
    fields: dict[str, Any] = {}
    if code == "superseded":
        fields["by"] = _plain_number(facts.get("by"), lang)
    elif code in {"not_flemish", "unresolved"}:
        fields["note"] = _note_text(facts.get("note"), lang)
    elif code in {"refuses", "not_confirmed"}:
        fields["commitment"] = commitment(str(facts.get("field")), lang)
    if any(v is None for v in fields.values()):
        return None
    try:
        return sentence(f"reason_{code}", lang, **fields)
    except _BAD_FACTS:
        return None


def _issue_text(issue: Mapping[str, Any], lang: str) -> str | None:
    """An intake issue's problem from its `kind` and `params`, or None."""
    params = issue.get(ISSUE_PARAMS)
    kind = issue.get(ISSUE_KIND)
    if not isinstance(params, Mapping) or not kind:
        return None
    variant = params.get("variant")
    base = f"issue_{str(kind).replace('-', '_')}"
    key = f"{base}_{variant}" if variant else base
    if not has_sentence(key):
        return None
    try:
        fields = _issue_fields(str(kind), params, lang)
        if fields is None:
            return None
        text = sentence(key, lang, **fields)
        if kind == "superseded":
            if params.get("undated"):
                text += sentence(f"issue_superseded_undated_{params['undated']}", lang)
            if params.get("similar"):
                winner = quoted(str(params["winner_name"]), lang)
                text += sentence(
                    "issue_superseded_similar", lang, winner=winner, municipality=params["municipality"]
                )
    except _BAD_FACTS:
        return None
    return text


def _issue_fields(kind: str, params: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    variant = params.get("variant")
    if kind in {"name-unresolved", "name-not-flemish", "name-low-confidence"}:
        note = _note_text(params.get("note"), lang)
        return None if note is None else {"note": note}
    if kind == "unreadable-answer" and variant == "rating":
        return {"low": params["low"], "high": params["high"]}
    if kind == "unknown-option" and variant == "choice":
        return {"options": ", ".join(quoted(str(o), lang) for o in params["options"])}
    if kind == "superseded":
        return {
            "municipality": params["municipality"],
            "by": params["by"],
            "own": params["own"],
            "other": params["other"],
            "winner": params["winner_name"],
        }
    if kind == "same-completion-time":
        return {"completed": moment(str(params["completed"]), lang), "by": params["by"], **_place(params)}
    if kind == "bad-id":
        return {"id": params.get("id"), "numbered": params["numbered"]}
    if kind == "skipped-rows":
        return {"n": int(params["n"])}
    if kind == "other-sheet":
        passed = [
            f"{quoted(str(p['sheet']), lang)} ({intake_word(str(p['why']), lang)})"
            if p.get("why")
            else quoted(str(p["sheet"]), lang)
            for p in params.get("passed") or ()
        ]
        return {"sheet": quoted(str(params["sheet"]), lang), "passed": ", ".join(passed)}
    if kind == "time-order":
        return {
            "started": moment(str(params["started"]), lang),
            "completed": moment(str(params["completed"]), lang),
        }
    if kind == "date-order":
        first = intake_word("day" if params["day_first"] else "month", lang)
        if variant == "proven":
            return {"first": first, "example": quoted(str(params["example"]), lang)}
        return {
            "first": first,
            "a": quoted(str(params["day_first_example"]), lang),
            "b": quoted(str(params["month_first_example"]), lang),
        }
    if kind == "row-shape":
        return {"width": params["width"]}
    return {}


def _place(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"municipality": params["municipality"]}


def _resolution_text(cand: Mapping[str, Any], lang: str) -> str | None:
    """How the name was read, and the note on it: "naam van vóór de fusie: Wachtebeke is op ..."."""
    method = cand.get(RESOLUTION)
    if is_missing(method):
        return None
    head = resolution_label(str(method), lang)
    note = _note_text(cand.get(RESOLUTION_FACTS), lang)
    if note is None and not is_missing(cand.get(RESOLUTION_NOTE)) and str(cand.get(RESOLUTION_NOTE)).strip():
        note = str(cand.get(RESOLUTION_NOTE))
    return f"{head}{_colon(lang)} {note}" if note else head


def _sheet_overview(book: _Book, ctx: _Context) -> None:
    t, result = book.t, ctx.result
    ws = book.sheet(SHEET_OVERVIEW)
    for letter, width in {"A": 30, "B": 16, "C": 14, "D": 12, "E": 70}.items():
        ws.column_dimensions[letter].width = width
    name = ctx.criteria.name if ctx.criteria else result.manifest.get("criteria_name")
    row = book.title(ws, 1, f"{t('shortlist')} – {name}" if name else t("title"), _TITLE_FONT)
    created = _parse_datetime(result.manifest.get("created"))
    stamp = created.strftime("%Y-%m-%d %H:%M") if created else ""
    status = f"{t('status')}{_colon(book.lang)} {t(str(result.status))}"
    row = book.note(ws, row, f"{stamp}  ·  {status}".strip(" ·"))
    row += 1

    row = book.title(ws, row, t("slots"))
    reasons: dict[str, list[str]] = {}
    for gap in result.unfilled:
        reasons.setdefault(str(gap.get(COUNTRY)), []).append(_unfilled_text(gap, book.lang))
    slot_rows: list[list[object]] = []
    for country in ctx.countries:
        quota = ctx.quotas.get(country)
        filled = int(result.filled.get(country, 0))
        open_ = max(quota - filled, 0) if quota is not None else None
        slot_rows.append(
            [code_label(country, book.lang), quota, filled, open_, " ".join(reasons.get(country, []))]
        )
    total_quota = sum(ctx.quotas.values()) if ctx.quotas else None
    total_filled = sum(int(v) for v in result.filled.values())
    slot_rows.append(
        [
            t("total"),
            total_quota,
            total_filled,
            max(total_quota - total_filled, 0) if total_quota is not None else None,
            "",
        ]
    )
    last_slot_row = row + len(slot_rows)
    row = book.small_table(
        ws,
        row,
        [t("country"), t("quota"), t("filled"), t("open"), t("reason")],
        slot_rows,
        ["text", "int", "int", "int", "long"],
    )
    for j in range(1, 6):
        ws.cell(row=last_slot_row, column=j).font = _LABEL_FONT

    row = book.title(ws, row, t("budget"))
    budget = _budget(ctx)
    pairs = len(result.pairs)
    row = book.pairs_kv(
        ws,
        row,
        [
            (t("per_partnership"), budget, "money"),
            (f"  {t('flemish_side')}", budget / 2, "money"),
            (f"  {t('partner_side')}", budget / 2, "money"),
            (t("partnerships_filled"), pairs, "int"),
            (t("total"), budget * pairs, "money"),
            (f"  {t('flemish_side')}", budget * pairs / 2, "money"),
            (f"  {t('partner_side')}", budget * pairs / 2, "money"),
        ],
    )
    ws.cell(row=row - 3, column=1).font = _LABEL_FONT
    ws.cell(row=row - 3, column=2).font = _LABEL_FONT
    row = book.note(ws, row, t("budget_note")) + 1

    shown = [c for c in result.changes if c.get("change") != "kept" or c.get("decision")]
    if shown:
        row = book.title(ws, row, t("changes"))
        order = {"removed": 0, "dropped": 0, "added": 1, "kept": 2}
        changes = sorted(
            shown, key=lambda c: (order.get(str(c.get("change")), 3), ctx.name(c.get(CANDIDATE_ID)))
        )
        row = book.small_table(
            ws,
            row,
            [t("change"), t("municipality"), t("partner"), t("country"), t("reason")],
            [
                [
                    label(str(c.get("change")), book.lang),
                    ctx.name(c.get(CANDIDATE_ID)),
                    c.get(PARTNER),
                    code_label(str(c.get(COUNTRY) or ""), book.lang),
                    _change_text(c, ctx, book.lang, kind=False),
                ]
                for c in changes
            ],
            ["text", "text", "text", "text", "long"],
        )

    row = _reviews_section(book, ws, row, ctx)

    row = book.title(ws, row, t("run"))
    manifest = result.manifest
    items: list[tuple[str, object, str]] = [
        (t("created"), created, "date"),
        (t("status"), t(str(result.status)), "text"),
        (t("solver"), manifest.get("solver"), "text"),
        (t("objective"), result.objective, "num"),
    ]
    for entry in manifest.get("inputs") or ():
        if isinstance(entry, Mapping):
            role = f"role_{entry.get('role')}"
            items.append(
                (t(role) if t(role) != role else t("file"), Path(str(entry.get("path", ""))).name, "text")
            )
    row = book.pairs_kv(ws, row, items) + 1

    row = book.title(ws, row, t("how_to_decide"))
    for key in ("decide_pairs", "decide_candidates", "decide_rerun"):
        row = book.note(ws, row, t(key))
    if book.scrub:
        row = book.note(ws, row + 1, t("contacts_left_out"))


# Krippendorff's own guidance (Content Analysis, 2004): rely on data with alpha >= .800, draw
# tentative conclusions only down to .667.
_ALPHA_HIGH: Final = 0.8
_ALPHA_LOW: Final = 0.667
_DISAGREEMENT_FILL = PatternFill("solid", fgColor="FCE4D6")


def _item_label(key: object, block: Mapping[str, Any], ctx: _Context, lang: str) -> str:
    """A rubric item by the label the criteria give it (as recorded in the result, or from the criteria)."""
    recorded = _mapping(block.get("labels")).get(str(key))
    if isinstance(recorded, str) and recorded.strip():
        return recorded
    return _component_label(str(key), lang, ctx.criteria)


def _alpha_reading(alpha: float | None) -> str:
    if alpha is None:
        return "alpha_unknown"
    if alpha >= _ALPHA_HIGH:
        return "alpha_high"
    return "alpha_moderate" if alpha >= _ALPHA_LOW else "alpha_low"


def _indent(cell: Cell) -> None:
    # text right after a right-aligned number would otherwise run into it
    old = cell.alignment
    cell.alignment = Alignment(horizontal="left", vertical=old.vertical, wrap_text=old.wrap_text, indent=1)


def _disagreement_points(block: Mapping[str, Any]) -> int:
    number = _as_number(block.get("threshold"))
    return int(number) if number is not None else 2


def _disagreements_by_candidate(ctx: _Context) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = {}
    for d in _mapping(ctx.result.reviews).get("disagreements") or ():
        if isinstance(d, Mapping):
            found.setdefault(str(d.get(CANDIDATE_ID)), []).append(d)
    return found


def _reviews_section(book: _Book, ws: Worksheet, row: int, ctx: _Context) -> int:
    """Who reviewed, how well they agree per rubric item and where they differ; without reviews,
    that the form's self-assessment stood in. Returns the next free row."""
    t, lang = book.t, book.lang
    block = _mapping(ctx.result.reviews)
    reviewers = [str(r) for r in block.get("reviewers") or ()]
    # where each eligible candidate's motivation came from, as scoring recorded it
    origin: dict[str, list[str]] = {}
    for cand in _ranked(ctx):
        source = cand.get("motivation_source")
        if isinstance(source, str):
            origin.setdefault(source, []).append(ctx.name(cand.get(CANDIDATE_ID)))
    if not block and not origin:
        return row  # a result that records nothing about its reviews
    row = book.title(ws, row, t("review_section"))
    points = _disagreement_points(block)
    own, unknown = origin.get("self-assessment", []), origin.get("none", [])
    if not reviewers:
        if own:
            row = book.note(ws, row, sentence("self_assessment_all", lang, n=len(own)))
        else:
            row = book.note(ws, row, t("no_reviews"))
        if unknown:
            names = join_words(unknown, lang)
            row = book.note(ws, row, sentence("motivation_unknown", lang, n=len(unknown), names=names))
        return row + 1

    disagreements = [d for d in block.get("disagreements") or () if isinstance(d, Mapping)]
    aggregate = block.get("aggregate") or "mean"
    row = book.pairs_kv(
        ws,
        row,
        [
            (t("reviewers"), "; ".join(reviewers), "text"),
            (t("ratings_given"), block.get("ratings"), "int"),
            (t("aggregation"), t(f"aggregate_{aggregate}"), "text"),
            (sentence("disagreement_count", lang, points=points), len(disagreements), "int"),
        ],
    )
    if own:
        names = join_words(own, lang)
        row = book.note(ws, row, sentence("self_assessment_some", lang, n=len(own), names=names))
    if unknown:
        names = join_words(unknown, lang)
        row = book.note(ws, row, sentence("motivation_unknown", lang, n=len(unknown), names=names))
    row += 1

    alphas: list[float | None] = []
    alpha_rows: list[list[object]] = []
    for key, value in _mapping(block.get("agreement")).items():
        alpha = _as_number(value)
        alphas.append(alpha)
        alpha_rows.append([_item_label(key, block, ctx, lang), alpha, t(_alpha_reading(alpha))])
    if alpha_rows:
        first = row + 1
        row = book.small_table(
            ws, row, [t("rubric_item"), t("alpha"), t("alpha_reading")], alpha_rows, ["text", "num", "text"]
        )
        for i, alpha in enumerate(alphas):
            if alpha is not None:
                ws.cell(row=first + i, column=2).number_format = "0.00"
            _indent(ws.cell(row=first + i, column=3))
        high, low = number(_ALPHA_HIGH, lang), number(_ALPHA_LOW, lang)
        row = book.note(ws, row - 1, sentence("alpha_note", lang, high=high, low=low)) + 1

    if disagreements:
        row = book.title(ws, row, sentence("disagreements_title", lang, points=points))
        colon = _colon(lang)
        rows: list[list[object]] = []
        for d in disagreements:
            cid = d.get(CANDIDATE_ID)
            ratings = _mapping(d.get("ratings"))
            rows.append(
                [
                    d.get(MUNICIPALITY) or ctx.name(cid),
                    cid,
                    _item_label(d.get("item"), block, ctx, lang),
                    d.get("spread"),
                    "\n".join(f"{reviewer}{colon} {rating}" for reviewer, rating in ratings.items()),
                ]
            )
        first = row + 1
        row = book.small_table(
            ws,
            row,
            [t("municipality"), t("refnis"), t("rubric_item"), t("spread"), t("ratings_by_reviewer")],
            rows,
            ["text", "id", "text", "int", "long"],
        )
        for i in range(len(rows)):
            _indent(ws.cell(row=first + i, column=5))
    else:
        row = book.note(ws, row, sentence("no_disagreements", lang, points=points)) + 1
    return row


def _sheet_pairs(book: _Book, ctx: _Context) -> None:
    t, lang, result = book.t, book.lang, ctx.result
    ws = book.sheet(SHEET_PAIRS)
    components = _component_keys(p.get(BREAKDOWN) for p in result.pairs)
    cols = [
        _Col(t("municipality")),
        _Col(t("refnis"), "id"),
        _Col(t("province")),
        _Col(t("partner"), wrap_at=22),
        _Col(t("country")),
        _Col(t("region"), wrap_at=20),
        _Col(t("value"), "num"),
        *(_Col(_component_label(k, lang, ctx.criteria), "num") for k in components),
        _Col(t("decision"), "input", 12),
        _Col(t("note"), "input", 20),
    ]
    if result.changes:
        cols.append(_Col(t("change"), "long", 40))
    pairs = sorted(
        result.pairs, key=lambda p: (ctx.country_order(p.get(COUNTRY)), -(_as_number(p.get("value")) or 0))
    )
    rows: list[list[object]] = []
    for pair in pairs:
        cid = str(pair.get(CANDIDATE_ID))
        cand = ctx.candidates.get(cid, {})
        partner = ctx.partners.get(str(pair.get(PARTNER)), {})
        breakdown = _mapping(pair.get(BREAKDOWN))
        decision = decision_word("lock", lang) if (cid, str(pair.get(PARTNER))) in ctx.locked else None
        row: list[object] = [
            ctx.name(cid),
            cid,
            _province(cand.get(PROVINCE), lang),
            pair.get(PARTNER),
            code_label(str(pair.get(COUNTRY) or partner.get(COUNTRY) or ""), lang),
            partner.get(REGION),
            pair.get("value"),
            *(breakdown.get(k) for k in components),
            decision,
            None,
        ]
        if result.changes:
            change = ctx.changes.get((cid, str(pair.get(PARTNER))))
            row.append(_change_text(change, ctx, lang) if change else None)
        rows.append(row)
    last = book.table(ws, cols, rows)
    value_col = get_column_letter(7)
    if rows:
        _data_bars(ws, f"{value_col}2:{value_col}{last}")
        decision_col = get_column_letter(8 + len(components))
        _validation(
            ws,
            f"{decision_col}2:{decision_col}{last}",
            [decision_word("lock", lang), decision_word("forbid", lang)],
            t("decision"),
            t("pairs_prompt"),
        )
        if result.changes:
            change_col = 10 + len(components)
            for i, pair in enumerate(pairs, start=2):
                change = ctx.changes.get((str(pair.get(CANDIDATE_ID)), str(pair.get(PARTNER))))
                if change and change.get("change") != "kept":
                    for j in range(1, change_col + 1):
                        ws.cell(row=i, column=j).fill = _CHANGED_FILL
    comment = Comment(t("decide_pairs"), "matchmaker")
    ws.cell(row=1, column=8 + len(components)).comment = comment


def _data_bars(ws: Worksheet, ref: str) -> None:
    ws.conditional_formatting.add(
        ref, DataBarRule(start_type="min", end_type="max", color=_BAR_COLOR, showValue=True)
    )


def _validation(ws: Worksheet, ref: str, choices: list[str] | str, title: str, prompt: str) -> None:
    formula = choices if isinstance(choices, str) else '"' + ",".join(choices) + '"'
    rule = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        showInputMessage=True,
        promptTitle=title[:32],
        prompt=prompt[:255],
        errorTitle=title[:32],
        error=prompt[:255],
    )
    ws.add_data_validation(rule)
    rule.add(ref)


def _ranked(ctx: _Context) -> list[dict[str, Any]]:
    eligible = [c for c in ctx.result.candidates if c.get(ELIGIBLE)]

    def key(c: Mapping[str, Any]) -> tuple[float, float, str]:
        rank = _as_number(c.get(RANK))
        score = _as_number(c.get(SCORE))
        return (
            rank if rank is not None else math.inf,
            -(score if score is not None else -math.inf),
            ctx.name(c.get(CANDIDATE_ID)),
        )

    return sorted(eligible, key=key)


def _province(value: object, lang: str) -> object:
    """A Flemish province by its name in `lang` (Oost-Vlaanderen, East Flanders, Flandre-Orientale)."""
    return code_label(value, lang) if isinstance(value, str) else value


def _preference(value: object, lang: str) -> str | None:
    if value is None:
        return None
    return label("any", lang) if value == "any" else code_label(str(value), lang)


def _sheet_shortlist(book: _Book, ctx: _Context, partner_ref: str | None) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_SHORTLIST)
    ranked = _ranked(ctx)
    components = _component_keys(c.get(BREAKDOWN) for c in ranked)
    contacts = (
        [] if book.scrub else [CONTACT_NAME, CONTACT_FUNCTION, CONTACT_EMAIL, RESPONDENT, RESPONDENT_EMAIL]
    )
    block = _mapping(ctx.result.reviews)
    # a column only when there were reviewers to disagree
    marked = bool(block.get("reviewers"))
    disagreements = _disagreements_by_candidate(ctx)
    cols = [
        _Col(t("rank"), "int"),
        _Col(t("municipality")),
        _Col(t("refnis"), "id"),
        _Col(t("province")),
        _Col(t("preference")),
        _Col(t("languages"), "long", 16),
        _Col(t("themes"), "long", 22),
        _Col(t("score"), "num", 11),
        *(_Col(_component_label(k, lang, ctx.criteria), "num") for k in components),
        *([_Col(t("reviewer_disagreement"), wrap_at=24)] if marked else []),
        _Col(t("selected"), "flag"),
        _Col(t("partner"), wrap_at=22),
        _Col(t("why"), "long", 44),
        _Col(t("score_needed"), "num"),
        _Col(t("decision"), "input", 13),
        _Col(t("pair_with"), "input", 16),
        *(_Col(t(field)) for field in contacts),
    ]
    rows: list[list[object]] = []
    for cand in ranked:
        cid = str(cand.get(CANDIDATE_ID))
        explanation = ctx.explanations.get(cid, {})
        pair = ctx.pair_of.get(cid)
        breakdown = _mapping(cand.get(BREAKDOWN))
        flag = explanation.get("selected")
        selected = pair is not None if flag is None else bool(flag)
        differ = [
            f"{_item_label(d.get('item'), block, ctx, lang)} "
            f"({min(_mapping(d.get('ratings')).values())}–{max(_mapping(d.get('ratings')).values())})"
            for d in disagreements.get(cid, ())
            if _mapping(d.get("ratings"))
        ]
        rows.append(
            [
                cand.get(RANK),
                ctx.name(cid),
                cand.get(CANDIDATE_ID),
                _province(cand.get(PROVINCE), lang),
                _preference(cand.get(COUNTRY_PREFERENCE), lang),
                cand.get(LANGUAGES),
                cand.get(THEMES),
                cand.get(SCORE),
                *(breakdown.get(k) for k in components),
                *(["; ".join(differ) or None] if marked else []),
                selected,
                pair.get(PARTNER) if pair else None,
                _why_text(explanation, ctx, lang),
                None if selected else explanation.get("score_needed"),
                None,
                None,
                *(cand.get(field) for field in contacts),
            ]
        )
    last = book.table(ws, cols, rows, freeze="C")
    if not rows:
        return
    score_col = get_column_letter(8)
    _data_bars(ws, f"{score_col}2:{score_col}{last}")
    marker_j = 9 + len(components)
    decision_j = marker_j + 4 + (1 if marked else 0)
    if marked:
        points = _disagreement_points(block)
        prompt = sentence("disagreement_prompt", lang, points=points)
        ws.cell(row=1, column=marker_j).comment = Comment(prompt, "matchmaker")
        for i, cand in enumerate(ranked, start=2):
            if disagreements.get(str(cand.get(CANDIDATE_ID))):
                ws.cell(row=i, column=marker_j).fill = _DISAGREEMENT_FILL
                _indent(ws.cell(row=i, column=marker_j))
    decision_col = get_column_letter(decision_j)
    _validation(
        ws,
        f"{decision_col}2:{decision_col}{last}",
        [decision_word("exclude", lang)],
        t("decision"),
        t("candidates_prompt"),
    )
    ws.cell(row=1, column=decision_j).comment = Comment(t("decide_candidates"), "matchmaker")
    if partner_ref is not None:
        pair_col = get_column_letter(decision_j + 1)
        _validation(ws, f"{pair_col}2:{pair_col}{last}", partner_ref, t("pair_with"), t("pair_with_prompt"))
    for i, cand in enumerate(ranked, start=2):
        if str(cand.get(CANDIDATE_ID)) in ctx.pair_of:
            ws.cell(row=i, column=2).font = _LABEL_FONT
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    # A bar per candidate stays readable up to a few dozen; beyond that the chart shows the best.
    shown = min(len(rows), _CHART_MAX)
    top = f", {t('chart_top').format(n=shown)}" if shown < len(rows) else ""
    chart.title = f"{t('chart_title')} ({t('chart_selected')}{top})"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=8, min_row=1, max_row=shown + 1), titles_from_data=True)
    series = chart.series[0]
    series.graphicalProperties.solidFill = "9DC3E6"
    series.graphicalProperties.line.noFill = True
    for i, cand in enumerate(ranked[:shown]):
        if str(cand.get(CANDIDATE_ID)) in ctx.pair_of:
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = _BLUE
            point.graphicalProperties.line.noFill = True
            series.dPt.append(point)
    chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=shown + 1))
    chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.y_axis.numFmt = "0"
    chart.gapWidth = 40
    chart.width = 24
    chart.height = max(7.5, 0.55 * shown + 2)
    ws.add_chart(chart, f"B{last + 3}")
    ws.row_breaks.append(Break(id=last + 1))  # the chart prints on a page of its own


def _sheet_motivation(book: _Book, ctx: _Context) -> None:
    """The candidates' own words, on a sheet of their own so the Shortlist stays one line a row."""
    t = book.t
    ws = book.sheet(SHEET_MOTIVATION)
    cols = [
        _Col(t("rank"), "int"),
        _Col(t("municipality")),
        _Col(t("selected"), "flag"),
        _Col(t("motivation_text"), "long", 80),
        _Col(t("projects"), "long", 55),
    ]
    rows: list[list[object]] = [
        [
            cand.get(RANK),
            ctx.name(cand.get(CANDIDATE_ID)),
            str(cand.get(CANDIDATE_ID)) in ctx.pair_of,
            cand.get(MOTIVATION),
            cand.get(PROJECTS),
        ]
        for cand in _ranked(ctx)
    ]
    book.table(ws, cols, rows, freeze="C")


def _sheet_reserves(book: _Book, ctx: _Context) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_RESERVES)
    cols = [
        _Col(t("country")),
        _Col(t("rank"), "int"),
        _Col(t("municipality")),
        _Col(t("refnis"), "id"),
        _Col(t("province")),
        _Col(t("score"), "num"),
        _Col(t("value"), "num"),
        _Col(t("why"), "long", 60),
        _Col(t("score_needed"), "num"),
    ]
    reserves = sorted(
        ctx.result.reserves, key=lambda r: (ctx.country_order(r.get(COUNTRY)), _as_number(r.get(RANK)) or 0)
    )
    rows = []
    for reserve in reserves:
        cid = str(reserve.get(CANDIDATE_ID))
        cand = ctx.candidates.get(cid, {})
        explanation = ctx.explanations.get(cid, {})
        rows.append(
            [
                code_label(str(reserve.get(COUNTRY) or ""), lang),
                reserve.get(RANK),
                ctx.name(cid),
                cand.get(CANDIDATE_ID),
                _province(cand.get(PROVINCE), lang),
                cand.get(SCORE),
                reserve.get("value"),  # the best pair in that country: what the ranking follows
                _why_text(explanation, ctx, lang),
                explanation.get("score_needed"),
            ]
        )
    last = book.table(ws, cols, rows, freeze="D")
    if rows:
        _data_bars(ws, f"G2:G{last}")


def _sheet_alternatives(book: _Book, ctx: _Context) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_ALTERNATIVES)
    cols = [
        _Col(t("alternative"), "int"),
        _Col(t("objective"), "num"),
        _Col(t("gap"), "pct"),
        _Col(t("municipality")),
        _Col(t("refnis"), "id"),
        _Col(t("partner")),
        _Col(t("country")),
        _Col(t("value"), "num"),
        _Col(t("differs"), "flag"),
    ]
    best = {_pair_key(p) for p in ctx.result.pairs}
    rows: list[list[object]] = []
    for alternative in sorted(ctx.result.alternatives, key=lambda a: _as_number(a.get("rank")) or 0):
        gap = _as_number(alternative.get("gap_pct"))
        for pair in sorted(
            alternative.get("pairs") or (),
            key=lambda p: (ctx.country_order(p.get(COUNTRY)), str(p.get(PARTNER))),
        ):
            cid = str(pair.get(CANDIDATE_ID))
            rows.append(
                [
                    alternative.get("rank"),
                    alternative.get("objective"),
                    gap / 100 if gap is not None else None,
                    ctx.name(cid),
                    cid,
                    pair.get(PARTNER),
                    code_label(str(pair.get(COUNTRY) or ""), lang),
                    pair.get("value"),
                    _pair_key(pair) not in best,
                ]
            )
    last = book.table(ws, cols, rows, freeze="D")
    for i in range(2, last + 1):
        if ws.cell(row=i, column=9).value == t("yes"):
            for j in range(4, 10):
                ws.cell(row=i, column=j).fill = _CHANGED_FILL


def _sheet_intake(book: _Book, ctx: _Context) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_INTAKE)
    cols = [
        _Col(t("submission"), "int"),
        _Col(t("completed"), "date"),
        _Col(t("name_as_written")),
        _Col(t("municipality")),
        _Col(t("resolution"), "long", 30),
        _Col(t("kind")),
        _Col(t("column")),
        _Col(t("answer"), "long", 40),
        _Col(t("problem"), "long", 60),
    ]
    entries: list[tuple[float, int, list[object]]] = []
    by_submission: dict[str, Mapping[str, Any]] = {}
    cand: Mapping[str, Any]
    for cand in ctx.result.candidates:
        by_submission[str(cand.get(SUBMISSION_ID))] = cand
        if cand.get(ELIGIBLE):
            continue
        kind = t("not_eligible") if is_missing(cand.get(SUPERSEDED_BY)) else t("superseded")
        reasons = cand.get(REASONS) or [None]
        if isinstance(reasons, str):
            reasons = [reasons]
        codes = cand.get(REASON_CODES)
        # the facts only count when they go with the recorded reasons one for one
        facts = (
            list(codes) if isinstance(codes, list) and len(codes) == len(reasons) else [None] * len(reasons)
        )
        for reason, fact in zip(reasons, facts, strict=True):
            entries.append(
                (
                    _as_number(cand.get(SUBMISSION_ID)) or 0,
                    0,
                    [
                        cand.get(SUBMISSION_ID),
                        cand.get(COMPLETED),
                        cand.get(NAME_AS_WRITTEN),
                        cand.get(MUNICIPALITY),
                        _resolution_text(cand, lang),
                        kind,
                        None,
                        None,
                        _reason_text(fact, lang) or reason,
                    ],
                )
            )
    for issue in ctx.result.issues:
        sid = issue.get("submission_id")
        cand = by_submission.get(str(sid), {})
        column = issue.get("column")
        value = issue.get("value")
        if book.scrub and str(column) in _PERSONAL_COLUMNS:
            value = None
        entries.append(
            (
                _as_number(sid) or 0,
                1,
                [
                    sid,
                    cand.get(COMPLETED),
                    cand.get(NAME_AS_WRITTEN),
                    cand.get(MUNICIPALITY),
                    _resolution_text(cand, lang),
                    t("input_problem"),
                    column,
                    value,
                    _issue_text(issue, lang) or issue.get("problem"),
                ],
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    book.table(ws, cols, [e[2] for e in entries], freeze="B")


def _sheet_partners(book: _Book, ctx: _Context) -> str | None:
    """Write the partners, eligible first; return the range of eligible names for a drop-down list."""
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_PARTNERS)
    cols = [
        _Col(t("partner")),
        _Col(t("country")),
        _Col(t("region")),
        _Col(t("themes")),
        _Col(t("languages")),
        _Col(t("eligible"), "flag"),
        _Col(t("reasons"), "long", 50),
    ]
    partners = sorted(
        ctx.result.partners,
        key=lambda p: (not p.get(ELIGIBLE, True), ctx.country_order(p.get(COUNTRY)), str(p.get(PARTNER))),
    )
    rows = [
        [
            p.get(PARTNER),
            code_label(str(p.get(COUNTRY) or ""), lang),
            p.get(REGION),
            p.get(PARTNER_THEMES),
            p.get(PARTNER_LANGUAGES),
            p.get(ELIGIBLE, True),
            [_partner_reason(r, lang) for r in p.get(REASONS) or ()]
            if isinstance(p.get(REASONS), list | tuple)
            else p.get(REASONS),
        ]
        for p in partners
    ]
    book.table(ws, cols, rows)
    eligible = sum(1 for p in partners if p.get(ELIGIBLE, True))
    return f"='{SHEET_PARTNERS}'!$A$2:$A${eligible + 1}" if eligible else None


def _sheet_parameters(book: _Book, ctx: _Context) -> None:
    t, lang, result, criteria = book.t, book.lang, ctx.result, ctx.criteria
    manifest = result.manifest
    ws = book.sheet(SHEET_PARAMETERS)
    for letter, width in {"A": 34, "B": 40, "C": 12, "D": 24}.items():
        ws.column_dimensions[letter].width = width
    row = book.title(ws, 1, SHEET_PARAMETERS, _TITLE_FONT) + 1
    if criteria is not None:
        row = book.title(ws, row, t("criteria"))
        row = book.pairs_kv(ws, row, [(t("criteria_name"), criteria.name, "text")]) + 1
        row = book.small_table(
            ws,
            row,
            [t("component"), t("description"), t("weight"), t("source")],
            [[c.key, c.label, c.weight, c.source] for c in criteria.criteria],
            ["text", "long", "num", "text"],
        )
        if criteria.rubric:
            row = book.title(
                ws, row, t("rubric") + f" ({criteria.rubric_scale[0]}–{criteria.rubric_scale[1]})"
            )
            row = book.small_table(
                ws,
                row,
                [t("component"), t("description")],
                [[i.label, i.description] for i in criteria.rubric],
                ["text", "long"],
            )
    row = book.title(ws, row, t("constraints"))
    constraints = result.constraints
    items: list[tuple[str, object, str]] = [
        (f"{t('quota')} {code_label(c, lang)}", q, "int") for c, q in ctx.quotas.items()
    ]
    cap = constraints.get("max_per_province", criteria.pairing.max_per_province if criteria else None)
    items.append((t("max_per_province"), cap if cap is not None else t("no_limit"), "int"))
    if criteria is not None:
        minimum = criteria.pairing.min_value
        items.append((t("min_value"), minimum if minimum is not None else t("no_limit"), "num"))
        items.append((t("tie_break"), ", ".join(criteria.tie_break), "text"))
    items.append((t("per_partnership"), _budget(ctx), "money"))
    row = book.pairs_kv(ws, row, items) + 1
    if criteria is not None:
        fit = criteria.pairing.fit
        row = book.title(ws, row, t("fit_settings"))
        row = (
            book.pairs_kv(
                ws,
                row,
                [
                    (t(k), getattr(fit, k), "num")
                    for k in ("preference_match", "no_preference", "theme_overlap", "language_match")
                ],
            )
            + 1
        )
        row = book.title(ws, row, t("language_rules"))
        row = (
            book.pairs_kv(
                ws,
                row,
                [
                    (
                        code_label(country, lang),
                        f"{t(rule.mode)}{_colon(lang)} {t('any_of')} "
                        + ", ".join(code_label(code, lang) for code in rule.any_of),
                        "text",
                    )
                    for country, rule in criteria.pairing.languages.items()
                ],
            )
            + 1
        )
    row = book.title(ws, row, t("decisions"))
    decided: list[list[object]] = [[t("locked"), ctx.name(c), c, p] for c, p in sorted(ctx.locked)]
    decided += [[t("forbidden"), ctx.name(c), c, p] for c, p in sorted(ctx.forbidden)]
    if decided:
        row = book.small_table(
            ws,
            row,
            [t("kind"), t("municipality"), t("refnis"), t("partner")],
            decided,
            ["text", "text", "id", "text"],
        )
    else:
        row = book.note(ws, row, t("none")) + 1
    row = book.title(ws, row, t("inputs"))
    files: list[list[object]] = [
        [e.get("path"), e.get("sha256"), None, None]
        for e in manifest.get("inputs") or ()
        if isinstance(e, Mapping)
    ]
    if criteria is not None and criteria.path is not None:
        files.append([str(criteria.path), criteria.sha256 or manifest.get("criteria_sha256"), None, None])
    elif manifest.get("criteria_sha256"):
        files.append([t("criteria_file"), manifest.get("criteria_sha256"), None, None])
    # A digest is longer than its column: it runs on over the empty cells to its right.
    row = book.small_table(ws, row, [t("file"), t("sha256"), "", ""], files, ["long", "text", "text", "text"])
    row = book.title(ws, row, t("versions"))
    versions = manifest.get("versions") or {}
    items = [(str(k), v, "text") for k, v in versions.items()] if isinstance(versions, Mapping) else []
    items += [
        (t("solver"), manifest.get("solver"), "text"),
        (t("status"), t(str(result.status)), "text"),
        (t("created"), _parse_datetime(manifest.get("created")), "date"),
    ]
    row = book.pairs_kv(ws, row, items) + 1
    known = {"inputs", "criteria_sha256", "versions", "solver", "created"}
    extra = {k: v for k, v in manifest.items() if k not in known}
    if extra:
        row = book.title(ws, row, t("setting"))
        book.pairs_kv(
            ws, row, [(k, json.dumps(to_jsonable(v), ensure_ascii=False), "text") for k, v in extra.items()]
        )


def build_workbook(
    result: PairingResult,
    *,
    lang: str = "nl",
    include_contacts: bool = False,
    criteria: Criteria | None = None,
) -> Workbook:
    """The shortlist workbook in memory; `write_shortlist` saves it."""
    if lang not in LANGS:
        raise OutputError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    book = _Book(lang, include_contacts)
    ctx = _Context(result, criteria)
    _sheet_overview(book, ctx)
    _sheet_pairs(book, ctx)
    shortlist = book.sheet(SHEET_SHORTLIST)  # placeholder keeps the order; filled once partners exist
    _sheet_reserves(book, ctx)
    if result.alternatives:
        _sheet_alternatives(book, ctx)
    _sheet_motivation(book, ctx)
    _sheet_intake(book, ctx)
    partner_ref = _sheet_partners(book, ctx)
    _sheet_parameters(book, ctx)
    book.wb.remove(shortlist)
    _sheet_shortlist(book, ctx, partner_ref)
    book.wb.move_sheet(SHEET_SHORTLIST, offset=2 - (len(book.wb.sheetnames) - 1))
    book.wb.active = 0
    return book.wb


def write_shortlist(
    result: PairingResult,
    out: Path | str,
    *,
    lang: str = "nl",
    include_contacts: bool = False,
    criteria: Criteria | None = None,
    inputs: Iterable[Path | str] = (),
) -> Path:
    """Write the shortlist workbook to `out` atomically and return the path.

    The input files recorded in the result's manifest (and `inputs`) are never overwritten.
    """
    out = Path(out)
    recorded = [
        str(e.get("path"))
        for e in result.manifest.get("inputs") or ()
        if isinstance(e, Mapping) and e.get("path")
    ]
    guarded = [*recorded, *inputs]
    if criteria is not None and criteria.path is not None:
        guarded.append(criteria.path)
    check_output(out, guarded)
    workbook = build_workbook(result, lang=lang, include_contacts=include_contacts, criteria=criteria)
    return save_workbook(workbook, out, inputs=guarded)


# --- the committee's decisions ---------------------------------------------------------------------

Pair = tuple[str, str]


@dataclass(frozen=True)
class Decisions:
    """What the committee wrote in a shortlist workbook, ready to re-solve with.

    `locks` and `forbids` are (candidate_id, partner) pairs; `excluded` candidates get no partner;
    `previous` are the pairs the workbook showed, to be kept where the decisions allow it.
    `sources` says where each decision was written, as (sheet, row).
    """

    path: Path
    locks: tuple[Pair, ...] = ()
    forbids: tuple[Pair, ...] = ()
    excluded: tuple[str, ...] = ()
    previous: tuple[Pair, ...] = ()
    partners: tuple[str, ...] = ()
    sources: Mapping[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)

    @property
    def keep(self) -> tuple[Pair, ...]:
        """The previous pairs no decision undoes: re-solving preserves as many as it can."""
        gone = set(self.forbids) | {p for p in self.previous if p[0] in self.excluded}
        return tuple(p for p in self.previous if p not in gone)

    def all_forbids(self) -> tuple[Pair, ...]:
        """The forbidden pairs, with an excluded candidate forbidden with every partner."""
        pairs = dict.fromkeys(self.forbids)
        for cid in self.excluded:
            for partner in self.partners:
                pairs.setdefault((cid, partner))
        return tuple(pairs)

    def source(self, kind: str, pair: Pair) -> dict[str, Any] | None:
        found = self.sources.get((kind, pair[0], pair[1] if kind != "exclude" else ""))
        return {"sheet": found[0], "row": found[1]} if found else None

    def changes(self, result: PairingResult) -> list[dict[str, Any]]:
        """Each pair of the previous shortlist or the new result: kept, added or removed, and why."""
        previous = list(dict.fromkeys(self.previous))
        new = [(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))) for p in result.pairs]
        country = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))): p.get(COUNTRY) for p in result.pairs}
        for partner in result.partners:
            for pair in previous:
                if pair[1] == partner.get(PARTNER):
                    country.setdefault(pair, partner.get(COUNTRY))
        locks, forbids, excluded = set(self.locks), set(self.forbids), set(self.excluded)
        # the pairing's own account of why a kept pair could not stay
        reasons = {
            (str(c.get(CANDIDATE_ID)), str(c.get(PARTNER))): c.get("reason")
            for c in result.changes
            if c.get("change") in {"dropped", "removed"}
        }
        causes = {
            (str(c.get(CANDIDATE_ID)), str(c.get(PARTNER))): (c.get("cause"), c.get("obstacle"))
            for c in result.changes
            if c.get("change") in {"dropped", "removed"}
        }
        out: list[dict[str, Any]] = []

        def entry(pair: Pair, change: str, decision: str | None, related: list[Pair]) -> None:
            kind_key = decision or ""
            out.append(
                {
                    CANDIDATE_ID: pair[0],
                    PARTNER: pair[1],
                    COUNTRY: country.get(pair),
                    "change": change,
                    "decision": decision,
                    "source": self.source(kind_key, pair) if decision else None,
                    "related": [list(r) for r in related],
                    "reason": reasons.get(pair) if change == "removed" else None,
                    "cause": causes.get(pair, (None, None))[0] if change == "removed" else None,
                    "obstacle": causes.get(pair, (None, None))[1] if change == "removed" else None,
                }
            )

        for pair in new:
            if pair in previous:
                entry(pair, "kept", "lock" if pair in locks else None, [])
            else:
                related = [p for p in previous if p not in new and (p[0] == pair[0] or p[1] == pair[1])]
                entry(pair, "added", "lock" if pair in locks else None, related)
        for pair in previous:
            if pair in new:
                continue
            decision = "forbid" if pair in forbids else "exclude" if pair[0] in excluded else None
            related = [p for p in new if p not in previous and (p[0] == pair[0] or p[1] == pair[1])]
            entry(pair, "removed", decision, related)
        return out


def _all_labels(key: str) -> set[str]:
    return {label(key, lang).casefold() for lang in LANGS}


def _norm(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _find_columns(ws: Worksheet, keys: Iterable[str]) -> dict[str, int]:
    wanted = {key: _all_labels(key) for key in keys}
    found: dict[str, int] = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        text = _norm(cell.value).casefold()
        for key, names in wanted.items():
            if text in names and key not in found:
                found[key] = cell.column
    return found


def _country_code(text: str) -> str:
    for code in COUNTRIES:
        if text.casefold() in {code_label(code, lang).casefold() for lang in LANGS} | {code.casefold()}:
            return code
    return text


def read_decisions(path: Path | str, *, criteria: Criteria | None = None) -> Decisions:
    """Read the committee's decisions from a shortlist workbook written by `write_shortlist`.

    Koppelingen: `vast` keeps a pair, `weiger` never allows it (English and French words too).
    Shortlist: `uitsluiten` excludes a candidate; a partner in `Koppelen aan` locks that pair.
    Parameters: pairs refused in earlier rounds stay refused. Contradictions raise DecisionError
    naming the rows; with `criteria`, so do locks beyond a country's quota or a province's cap.
    """
    path = Path(path)
    workbook = _open_workbook(path)
    for sheet in (SHEET_PAIRS, SHEET_SHORTLIST):
        if sheet not in workbook.sheetnames:
            raise DecisionError(
                f"{path}: no sheet '{sheet}'; expected a shortlist written by matchmaker pair"
            )
    problems: list[str] = []
    sources: dict[tuple[str, str, str], tuple[str, int]] = {}
    locks: dict[Pair, list[tuple[str, int]]] = {}
    forbids: dict[Pair, list[tuple[str, int]]] = {}
    excluded: dict[str, list[tuple[str, int]]] = {}
    previous: list[Pair] = []
    province: dict[str, str] = {}
    names: dict[str, str] = {}

    def where(sheet: str, row: int) -> str:
        return f"{sheet} row {row}"

    def record(kind: str, pair: Pair, at: tuple[str, int]) -> None:
        target = {"lock": locks, "forbid": forbids}[kind]
        target.setdefault(pair, []).append(at)
        sources.setdefault((kind, *pair), at)

    # Koppelingen: the pairs shown, with vast / weiger
    ws = workbook[SHEET_PAIRS]
    cols = _find_columns(ws, ("refnis", "partner", "decision", "municipality", "province"))
    for key in ("refnis", "partner", "decision"):
        if key not in cols:
            raise DecisionError(f"{path}: sheet '{SHEET_PAIRS}' has no column '{label(key)}'")
    for row in ws.iter_rows(min_row=2):
        values = {key: _norm(row[j - 1].value) for key, j in cols.items() if j - 1 < len(row)}
        cid, partner, word = values.get("refnis", ""), values.get("partner", ""), values.get("decision", "")
        r = row[0].row
        if not cid and not partner:
            if word:
                problems.append(f"{where(SHEET_PAIRS, r)}: decision '{word}' on a row without a pair")
            continue
        if not cid or not partner:
            problems.append(
                f"{where(SHEET_PAIRS, r)}: the {label('refnis', 'en') if not cid else 'partner'} is empty"
            )
            continue
        pair = (cid, partner)
        previous.append(pair)
        names.setdefault(cid, values.get("municipality") or cid)
        if values.get("province"):
            province[cid] = values["province"]
        kind = PAIR_DECISIONS.get(word.casefold()) or CANDIDATE_DECISIONS.get(word.casefold())
        if not word:
            continue
        if kind is None:
            problems.append(
                f"{where(SHEET_PAIRS, r)}: unknown decision '{word}'; write "
                f"'{decision_word('lock')}' or '{decision_word('forbid')}'"
            )
        elif kind == "exclude":
            excluded.setdefault(cid, []).append((SHEET_PAIRS, r))
            sources.setdefault(("exclude", cid, ""), (SHEET_PAIRS, r))
        else:
            record(kind, pair, (SHEET_PAIRS, r))

    # Shortlist: exclusions, and partners chosen in "Koppelen aan"
    ws = workbook[SHEET_SHORTLIST]
    cols = _find_columns(ws, ("refnis", "decision", "pair_with", "municipality", "province"))
    if "refnis" not in cols:
        raise DecisionError(f"{path}: sheet '{SHEET_SHORTLIST}' has no column '{label('refnis')}'")
    for row in ws.iter_rows(min_row=2):
        values = {key: _norm(row[j - 1].value) for key, j in cols.items() if j - 1 < len(row)}
        cid, word, partner = values.get("refnis", ""), values.get("decision", ""), values.get("pair_with", "")
        r = row[0].row
        if cid:
            names.setdefault(cid, values.get("municipality") or cid)
            if values.get("province"):
                province.setdefault(cid, values["province"])
        if not word and not partner:
            continue
        if not cid:
            problems.append(f"{where(SHEET_SHORTLIST, r)}: a decision on a row without a candidate")
            continue
        folded = word.casefold()
        if folded in CANDIDATE_DECISIONS:
            if partner:
                problems.append(
                    f"{where(SHEET_SHORTLIST, r)}: '{word}' excludes {names[cid]}, yet it is also paired "
                    f"with {partner}"
                )
                continue
            excluded.setdefault(cid, []).append((SHEET_SHORTLIST, r))
            sources.setdefault(("exclude", cid, ""), (SHEET_SHORTLIST, r))
        elif not partner:
            problems.append(
                f"{where(SHEET_SHORTLIST, r)}: '{word}' needs a partner in column '{label('pair_with')}'"
                if folded in PAIR_DECISIONS
                else f"{where(SHEET_SHORTLIST, r)}: unknown decision '{word}'; write "
                f"'{decision_word('exclude')}' or choose a partner in '{label('pair_with')}'"
            )
        elif not word or PAIR_DECISIONS.get(folded) == "lock":
            record("lock", (cid, partner), (SHEET_SHORTLIST, r))
        elif PAIR_DECISIONS.get(folded) == "forbid":
            record("forbid", (cid, partner), (SHEET_SHORTLIST, r))
        else:
            problems.append(f"{where(SHEET_SHORTLIST, r)}: unknown decision '{word}'")

    partners, countries = _read_partners(workbook)
    _read_carried_forbids(workbook, record)

    # contradictions
    for pair, ats in locks.items():
        if pair in forbids:
            at = ", ".join(where(*a) for a in [*ats, *forbids[pair]])
            problems.append(f"{names.get(pair[0], pair[0])} – {pair[1]} is both kept and refused ({at})")
        if pair[0] in excluded:
            at = ", ".join(where(*a) for a in [*ats, *excluded[pair[0]]])
            problems.append(f"{names.get(pair[0], pair[0])} is both excluded and kept with {pair[1]} ({at})")
        if partners and pair[1] not in partners:
            problems.append(f"{', '.join(where(*a) for a in ats)}: unknown partner '{pair[1]}'")
    by_partner: dict[str, list[Pair]] = {}
    by_candidate: dict[str, list[Pair]] = {}
    for pair in locks:
        by_partner.setdefault(pair[1], []).append(pair)
        by_candidate.setdefault(pair[0], []).append(pair)
    for partner, pairs in by_partner.items():
        if len(pairs) > 1:
            at = ", ".join(where(*a) for p in pairs for a in locks[p])
            who = ", ".join(names.get(p[0], p[0]) for p in pairs)
            problems.append(f"{partner} is kept with more than one candidate ({who}: {at})")
    for cid, pairs in by_candidate.items():
        if len(pairs) > 1:
            at = ", ".join(where(*a) for p in pairs for a in locks[p])
            problems.append(
                f"{names.get(cid, cid)} is kept with more than one partner "
                f"({', '.join(p[1] for p in pairs)}: {at})"
            )
    if criteria is not None:
        problems += _check_limits(locks, criteria, countries, province, names)
    if problems:
        raise DecisionError(f"{path}: contradictory or unclear decisions:\n  " + "\n  ".join(problems))
    return Decisions(
        path=path,
        locks=tuple(locks),
        forbids=tuple(forbids),
        excluded=tuple(excluded),
        previous=tuple(dict.fromkeys(previous)),
        partners=tuple(partners),
        sources=sources,
    )


def _open_workbook(path: Path) -> Workbook:
    if not path.exists():
        raise DecisionError(f"{path}: file not found")
    if path.is_dir():
        raise DecisionError(f"{path}: is a folder; expected a shortlist .xlsx")
    try:
        return load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DecisionError(f"{path}: not a readable .xlsx workbook ({exc})") from None


def _read_partners(workbook: Workbook) -> tuple[list[str], dict[str, str]]:
    if SHEET_PARTNERS not in workbook.sheetnames:
        return [], {}
    ws = workbook[SHEET_PARTNERS]
    cols = _find_columns(ws, ("partner", "country"))
    if "partner" not in cols:
        return [], {}
    names: list[str] = []
    countries: dict[str, str] = {}
    for row in ws.iter_rows(min_row=2):
        name = _norm(row[cols["partner"] - 1].value)
        if name:
            names.append(name)
            if "country" in cols:
                countries[name] = _country_code(_norm(row[cols["country"] - 1].value))
    return names, countries


def _read_carried_forbids(workbook: Workbook, record: Any) -> None:
    """Pairs refused in an earlier round, listed on Parameters, stay refused."""
    if SHEET_PARAMETERS not in workbook.sheetnames:
        return
    ws = workbook[SHEET_PARAMETERS]
    refnis, partner_names, refused = _all_labels("refnis"), _all_labels("partner"), _all_labels("forbidden")
    in_table = False
    for row in ws.iter_rows(min_col=1, max_col=4):
        texts = [_norm(c.value) for c in row]
        if texts[2].casefold() in refnis and texts[3].casefold() in partner_names:
            in_table = True
            continue
        if in_table:
            if not texts[0]:
                break
            if texts[0].casefold() in refused and texts[2] and texts[3]:
                record("forbid", (texts[2], texts[3]), (SHEET_PARAMETERS, row[0].row))


def _check_limits(
    locks: Mapping[Pair, list[tuple[str, int]]],
    criteria: Criteria,
    countries: Mapping[str, str],
    province: Mapping[str, str],
    names: Mapping[str, str],
) -> list[str]:
    problems: list[str] = []
    per_country: dict[str, list[Pair]] = {}
    per_province: dict[str, list[Pair]] = {}
    for pair in locks:
        if pair[1] in countries:
            per_country.setdefault(countries[pair[1]], []).append(pair)
        if pair[0] in province:
            per_province.setdefault(province[pair[0]], []).append(pair)

    def rows(pairs: list[Pair]) -> str:
        return ", ".join(
            f"{names.get(p[0], p[0])} – {p[1]} ({s} row {r})" for p in pairs for s, r in locks[p]
        )

    for country, pairs in per_country.items():
        quota = criteria.pairing.quotas.get(country)
        if quota is not None and len(pairs) > quota:
            problems.append(f"{len(pairs)} pairs kept for {country}, but its quota is {quota}: {rows(pairs)}")
    cap = criteria.pairing.max_per_province
    if cap is not None:
        for name, pairs in per_province.items():
            if len(pairs) > cap:
                problems.append(
                    f"{len(pairs)} pairs kept in province {name}, but at most {cap} are allowed: "
                    f"{rows(pairs)}"
                )
    return problems


# --- the audit: re-run a recorded result -----------------------------------------------------------


@dataclass(frozen=True)
class VerifyReport:
    """What re-running a recorded result showed: input files that changed, pairs that differ."""

    path: Path
    files: list[dict[str, Any]]  # role, path, status (unchanged | changed | missing | new), sha256s
    same_pairs: bool | None  # None when the run could not be repeated
    missing_pairs: list[dict[str, Any]] = field(default_factory=list)  # recorded, not found again
    new_pairs: list[dict[str, Any]] = field(default_factory=list)  # found again, not recorded
    objective: tuple[float | None, float | None] = (None, None)  # recorded, now
    status: tuple[str | None, str | None] = (None, None)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The same inputs, unchanged, give the same pairs."""
        unchanged = all(f["status"] == "unchanged" for f in self.files)
        return bool(self.same_pairs) and unchanged and not self.problems

    def lines(self) -> list[str]:
        """The report as lines of plain text, the verdict first."""
        if self.ok:
            head = f"{self.path}: verified: the recorded inputs are unchanged and give the same pairs"
        elif self.same_pairs:
            head = f"{self.path}: the same pairs come out, but the inputs differ from the recorded ones"
        elif self.same_pairs is None:
            head = f"{self.path}: NOT verified: the run could not be repeated"
        else:
            head = f"{self.path}: DIFFERENT: the recorded inputs now give other pairs"
        out = [head]
        for f in self.files:
            if f["status"] != "unchanged":
                what = {
                    "changed": "changed since the run (SHA-256 differs)",
                    "missing": "missing",
                    "new": "new since the run",
                }[f["status"]]
                out.append(f"  {f['role']} {f['path']}: {what}")
        for pair in self.missing_pairs:
            out.append(f"  - {pair['name']} – {pair['partner']}: recorded, not chosen now")
        for pair in self.new_pairs:
            out.append(f"  + {pair['name']} – {pair['partner']}: chosen now, not recorded")
        before, now = self.objective
        if before is not None and now is not None and not math.isclose(before, now, abs_tol=1e-6):
            out.append(f"  total value: recorded {before:.2f}, now {now:.2f}")
        if self.status[0] != self.status[1] and self.status[1] is not None:
            out.append(f"  solution status: recorded {self.status[0]}, now {self.status[1]}")
        out += [f"  {problem}" for problem in self.problems]
        if self.same_pairs is not None:
            out.append(f"  {len(self.files)} input file(s) checked")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "result": str(self.path),
            "verified": self.ok,
            "same_pairs": self.same_pairs,
            "files": self.files,
            "missing_pairs": self.missing_pairs,
            "new_pairs": self.new_pairs,
            "objective": {"recorded": self.objective[0], "now": self.objective[1]},
            "status": {"recorded": self.status[0], "now": self.status[1]},
            "problems": self.problems,
        }


def _load_result(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise VerifyError(f"{path}: file not found")
    if path.is_dir():
        raise VerifyError(f"{path}: is a folder; expected a result .json written by matchmaker pair --json")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerifyError(f"{path}: not a JSON file ({exc})") from None
    except OSError as exc:
        raise VerifyError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not isinstance(doc, dict) or doc.get("schema") != RESULT_SCHEMA:
        raise VerifyError(f"{path}: not a matchmaker result (expected schema {RESULT_SCHEMA!r})")
    manifest = doc.get("manifest")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("inputs"), list):
        raise VerifyError(f"{path}: the result has no manifest of its inputs; it cannot be re-run")
    return doc


def _locate(recorded: str, bases: list[Path]) -> Path | None:
    """A recorded path as it can be found now: as written, or from the folders the run may have used."""
    given = Path(recorded)
    if given.is_absolute():
        return given if given.exists() else None
    for base in bases:
        if (base / given).exists():
            return base / given
    return None


def verify(result_path: Path | str, *, progress: Callable[[str], None] | None = None) -> VerifyReport:
    """Re-run the pairing from the inputs and options a result JSON records; compare the pairs.

    Relative input paths are looked up from the current folder, then from the result's folder.
    Raises VerifyError when the file is not a result; everything else goes into the report.
    """
    from .pipeline import run

    path = Path(result_path)
    doc = _load_result(path)
    manifest: dict[str, Any] = doc["manifest"]
    bases = [Path(str(manifest["cwd"]))] if manifest.get("cwd") else []
    bases += [Path.cwd(), path.resolve().parent]
    files: list[dict[str, Any]] = []
    located: dict[str, list[Path]] = {}
    for entry in manifest["inputs"]:
        if not isinstance(entry, Mapping):
            continue
        recorded, role = str(entry.get("path")), str(entry.get("role") or "input")
        found = _locate(recorded, bases)
        status = "missing"
        current = None
        if found is not None:
            current = file_sha256(found)
            status = "unchanged" if current == entry.get("sha256") else "changed"
            located.setdefault(role, []).append(found)
        files.append(
            {
                "role": role,
                "path": recorded,
                "status": status,
                "recorded": entry.get("sha256"),
                "now": current,
            }
        )
    criteria_path = manifest.get("criteria")
    criteria_file = None
    if criteria_path:
        criteria_file = _locate(str(criteria_path), bases)
        current = file_sha256(criteria_file) if criteria_file else None
        status = (
            "missing"
            if criteria_file is None
            else "unchanged"
            if current == manifest.get("criteria_sha256")
            else "changed"
        )
        files.append(
            {
                "role": "criteria",
                "path": str(criteria_path),
                "status": status,
                "recorded": manifest.get("criteria_sha256"),
                "now": current,
            }
        )
    recorded_pairs = [p for p in doc.get("pairs") or () if isinstance(p, Mapping)]
    names = {
        str(c.get(CANDIDATE_ID)): c.get(MUNICIPALITY) or c.get(NAME_AS_WRITTEN)
        for c in doc.get("candidates") or ()
    }

    def described(pair: Mapping[str, Any]) -> dict[str, Any]:
        cid = str(pair.get(CANDIDATE_ID))
        return {CANDIDATE_ID: cid, "name": names.get(cid) or cid, PARTNER: pair.get(PARTNER)}

    recorded_objective = _as_number(doc.get("objective"))
    recorded_status = doc.get("status")
    needed = [f for f in files if f["role"] in {"forms", "partners", "criteria", "mapping"}]
    lost = [f for f in needed if f["status"] == "missing"]
    if lost or not located.get("forms") or not located.get("partners"):
        problems = [f"cannot re-run: {f['role']} file {f['path']} is missing" for f in lost]
        if not lost:
            problems.append(
                "cannot re-run: the manifest does not record the form export and the partners file"
            )
        return VerifyReport(
            path,
            files,
            None,
            objective=(recorded_objective, None),
            status=(recorded_status, None),
            problems=problems,
        )

    options: Mapping[str, Any] = manifest.get("options") or {}
    reviews = [_locate(str(p), bases) or Path(str(p)) for p in options.get("reviews") or ()]
    try:
        again = run(
            located["forms"][0],
            located["partners"][0],
            criteria=criteria_file,
            mapping=located["mapping"][0] if located.get("mapping") else None,
            reviews=reviews,
            locks=list(options.get("locks") or ()),
            forbids=list(options.get("forbids") or ()),
            keep=list(options.get("keep") or ()),
            alternatives=0,  # alternatives do not change the pairs
            solver=str(manifest.get("solver") or "cbc"),
            time_limit=options.get("time_limit"),
            strict=bool(options.get("strict")),
            aggregate=str(options.get("aggregate") or "mean"),
            progress=progress,
        )
    except MatchmakerError as exc:
        return VerifyReport(
            path,
            files,
            None,
            objective=(recorded_objective, None),
            status=(recorded_status, None),
            problems=[f"the run fails now: {exc}"],
        )

    # Review sheets added to a recorded folder since the run are inputs too.
    known = {p.resolve() for paths in located.values() for p in paths}
    for entry in again.manifest.get("inputs") or ():
        found = Path(str(entry.get("path")))
        if entry.get("role") == "reviews" and found.resolve() not in known:
            files.append(
                {
                    "role": "reviews",
                    "path": str(found),
                    "status": "new",
                    "recorded": None,
                    "now": entry.get("sha256"),
                }
            )
    before = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))): p for p in recorded_pairs}
    now = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))): p for p in again.pairs}
    for p in again.candidates:
        names.setdefault(str(p.get(CANDIDATE_ID)), p.get(MUNICIPALITY) or p.get(NAME_AS_WRITTEN))
    return VerifyReport(
        path,
        files,
        set(before) == set(now),
        missing_pairs=[described(p) for k, p in before.items() if k not in now],
        new_pairs=[described(p) for k, p in now.items() if k not in before],
        objective=(recorded_objective, again.objective),
        status=(recorded_status, again.status),
    )
