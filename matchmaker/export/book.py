"""The workbook builder every shortlist sheet is written with: typed, safe cells, styled tables,
column formats and widths, row heights that fit wrapped text, and the page setup for printing.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import DataBarRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..cells import (
    as_number,
    clean_text,
    header_width,
    local_format,
    print_landscape,
    wrapped_lines,
    write_text,
)
from ..i18n import code_label, label
from ..i18n.wording import breakdown_text
from ..schema import is_missing

BLUE = "1F4E78"
_FONT = "Calibri"  # the default font of a new workbook; set on styled cells too
_HEADER_FILL = PatternFill("solid", fgColor=BLUE)
_HEADER_FONT = Font(name=_FONT, bold=True, color="FFFFFF")
TITLE_FONT = Font(name=_FONT, bold=True, size=15, color=BLUE)
SECTION_FONT = Font(name=_FONT, bold=True, size=12, color=BLUE)
LABEL_FONT = Font(name=_FONT, bold=True)
NOTE_FONT = Font(name=_FONT, italic=True, color="595959")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells the committee fills in
CHANGED_FILL = PatternFill("solid", fgColor="E2EFDA")
_BAR_COLOR = "5B9BD5"
# "_)" leaves the width of a ")" after a number, so it never touches the text in the next column.
_FORMATS: Final = {
    "int": "0_)",
    "num": "0.0_)",
    "points": "+0.0_);-0.0_);0.0_)",  # points won or lost: the sign always shown
    "plain": "General",  # a setting as the criteria file writes it: 50, 2,5 (not 50,0)
    "pct": "0.0%_)",
    "money": '#,##0 "EUR"_)',
    "date": "yyyy-mm-dd hh:mm",
    "id": "0",
}
_NUMERIC: Final = frozenset({"int", "num", "points", "plain", "pct", "money", "id"})
_WRAP_AT: Final = 45  # wider text wraps instead of widening its column
# A4 landscape less the margins is about 784 pt; a column of width w takes about 5.25 w + 3.75 pt
# (a Calibri digit is 7 px at 96 dpi, plus 5 px of padding). Printed columns are kept within this
# many units so fit-to-width never scales 11 pt text below 10 pt.
_PAGE_PT: Final = 784.0
_MIN_SCALE: Final = 0.91
_MIN_WRAPPED: Final = 14.0  # a wrapping column narrowed to fit the page keeps at least this width
# The printable height of an A4 landscape page below the top and above the bottom margin, in points:
# LibreOffice prints the footer within the bottom margin (measured: rows end near 545 pt of 595).
_PAGE_HEIGHT_PT: Final = 595.0 - 72 * (0.5 + 0.5) - 12
_ROW_PT: Final = 15.0  # the height of a row of 11 pt text
_SECTION_ROW_PT: Final = 16.5  # the height of a section heading's row (12 pt)
_KEEP_ROWS: Final = 4  # a section heading starts a new page unless this many of its rows follow it
DISAGREEMENT_FILL = PatternFill("solid", fgColor="FCE4D6")


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"  # text | long | input | flag | int | num | pct | money | date | id
    width: float | None = None
    wrap_at: int = _WRAP_AT
    printed: bool = True  # False: a technical column, left off the printed page


def parse_datetime(value: object) -> dt.datetime | None:
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


class Book:
    """Writes typed, safe cells and styled tables into one openpyxl workbook."""

    def __init__(self, lang: str, include_contacts: bool) -> None:
        self.lang = lang
        self.scrub = not include_contacts
        self.wb = Workbook()
        self._first = True
        self._sections: dict[str, list[int]] = {}  # sheet -> rows of its section headings

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

    def number_format(self, kind_or_format: str) -> str:
        """The number format of a column kind ("num", "money"...) or an explicit format, in the
        workbook's locale: comma decimals in Dutch and French wherever the file is opened."""
        return local_format(_FORMATS.get(kind_or_format, kind_or_format), self.lang)

    def value(self, value: object, kind: str = "text") -> object:
        """The value a cell gets: numbers stay numbers, everything else becomes clean text."""
        if value is None:
            return None
        if isinstance(value, bool):
            return self.t("yes" if value else "no")
        if kind == "date":
            moment = parse_datetime(value)
            return moment if moment is not None else self.value(value)
        if kind == "id" and isinstance(value, str) and value.isdigit() and not value.startswith("0"):
            return int(value)  # a REFNIS code as a number: no "number stored as text" warnings
        if kind in _NUMERIC:
            number = as_number(value)
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
            return clean_text(breakdown_text(value, self.lang), scrub_emails=self.scrub)
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
            cell.number_format = self.number_format(kind)
        return cell

    def table(
        self,
        ws: Worksheet,
        cols: list[Col],
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
        printed = [col.printed for col in cols]
        final = fit_to_page(final, [w and p for w, p in zip(wraps, printed, strict=True)], printed)
        # a header breaks between its words, never inside one
        final = [max(w, header_width(col.header)) for col, w in zip(cols, final, strict=True)]
        last_printed = max((j for j, p in enumerate(printed, start=1) if p), default=len(cols))
        for j, col in enumerate(cols, start=1):
            dimension = ws.column_dimensions[get_column_letter(j)]
            dimension.width = final[j - 1]
            if not col.printed and j < last_printed:
                # a technical column between printed ones: folded away, one click on "+" shows it
                dimension.outlineLevel = 1
                dimension.hidden = True
            if last >= 2:
                _style_column(ws, j, last, col.kind, wraps[j - 1], self.number_format(col.kind))
        shown = [w and p for w, p in zip(wraps, printed, strict=True)]
        _fit_row_heights(ws, 2, last, final, shown)
        header_lines = max(
            (wrapped_lines(col.header, w) for col, w in zip(cols, final, strict=True) if col.printed),
            default=1,
        )
        ws.row_dimensions[1].height = _ROW_PT * min(header_lines, 3) + 3
        if freeze is not None:
            ws.freeze_panes = f"{freeze}2"
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(last, 2)}"
            ws.print_area = f"A1:{get_column_letter(last_printed)}{max(last, 2)}"
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

    def title(self, ws: Worksheet, row: int, text: str, font: Font = SECTION_FONT) -> int:
        cell = self.put(ws, row, 1, text)
        cell.font = font
        if font is SECTION_FONT:
            self._sections.setdefault(ws.title, []).append(row)
        return row + 1

    def keep_sections(self, ws: Worksheet, columns: int) -> None:
        """Print a free-form sheet over `columns` columns, each section heading on the page of its
        first rows: a page break goes before a heading the page bottom would part from its table."""
        ws.print_area = f"A1:{get_column_letter(columns)}{max(ws.max_row, 1)}"
        width = sum(ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, columns + 1))
        scale = min(1.0, _PAGE_PT / (5.25 * width + 3.75 * columns))
        page = _PAGE_HEIGHT_PT / scale
        starts = sorted(self._sections.get(ws.title, []))
        # a heading's 12 pt text makes its row taller than the rows of 11 pt text
        heights = [
            ws.row_dimensions[i].height or (_SECTION_ROW_PT if i in starts else _ROW_PT)
            for i in range(1, ws.max_row + 2)
        ]
        used = 0.0
        for i in range(1, ws.max_row + 1):
            if i in starts:
                # the heading and its first rows, or all of them when the sheet ends sooner
                keep = sum(heights[i - 1 : min(i + _KEEP_ROWS, ws.max_row)])
                if used and used + keep > page:
                    ws.row_breaks.append(Break(id=i - 1))
                    used = 0.0
            used += heights[i - 1]
            if used > page:  # the program breaks the page here by itself
                used = heights[i - 1]

    def note(self, ws: Worksheet, row: int, text: str) -> int:
        cell = self.put(ws, row, 1, text)
        cell.font = NOTE_FONT
        return row + 1

    def pairs_kv(self, ws: Worksheet, row: int, items: list[tuple[str, object, str]]) -> int:
        """Label in column A, value in column B; returns the next free row."""
        width = ws.column_dimensions["A"].width or 8.43
        for key, value, kind in items:
            label = self.put(ws, row, 1, key)
            label.font = LABEL_FONT
            lines = wrapped_lines(key, width)
            if lines > 1:  # a label longer than its column wraps instead of being cut at the next cell
                label.alignment = Alignment(vertical="top", wrap_text=True)
                ws.row_dimensions[row].height = _ROW_PT * lines
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
                    lines = max(lines, wrapped_lines(cell.value, width))
                else:
                    needed = min(_shown_length(cell.value, kind) + 2, _WRAP_AT)
                    ws.column_dimensions[letter].width = max(width, needed)
            if lines > 1:
                ws.row_dimensions[row].height = _ROW_PT * min(lines, 27)
        # a header wraps in a column the data left narrow, between its words: give its row the lines
        for j, header in enumerate(headers, start=1):
            dimension = ws.column_dimensions[get_column_letter(j)]
            dimension.width = max(dimension.width or 8.43, header_width(header))
        header_lines = max(
            wrapped_lines(header, ws.column_dimensions[get_column_letter(j)].width or 8.43)
            for j, header in enumerate(headers, start=1)
        )
        if header_lines > 1:
            ws.row_dimensions[header_row].height = _ROW_PT * header_lines
        return row + 2


def _style_column(ws: Worksheet, j: int, last: int, kind: str, wrap: bool, number_format: str) -> None:
    """Give column j's data cells one style; copying openpyxl's style array is far quicker than
    setting a style on every cell, which matters for exports with thousands of rows."""
    first = ws.cell(row=2, column=j)
    quoted = bool(first.quotePrefix)
    first.alignment = _alignment(kind, wrap)
    if kind == "input":
        first.fill = _INPUT_FILL
    if kind in _FORMATS:
        first.number_format = number_format
    template = copy.copy(first._style)
    template.quotePrefix = 0
    for i in range(2, last + 1):
        cell = ws.cell(row=i, column=j)
        quoted = bool(cell.quotePrefix) if i > 2 else quoted
        cell._style = copy.copy(template)
        if quoted:
            cell._style.quotePrefix = 1


def fit_to_page(widths: list[float], wraps: list[bool], printed: list[bool]) -> list[float]:
    """Narrow the printed wrapping columns, widest first, until the printed columns fit the page at
    no less than _MIN_SCALE; what cannot wrap keeps its width."""
    widths = list(widths)
    count = sum(printed)
    budget = (_PAGE_PT / _MIN_SCALE - 3.75 * count) / 5.25
    over = sum(w for w, p in zip(widths, printed, strict=True) if p) - budget
    while over > 0.5:
        wide = [j for j, w in enumerate(widths) if wraps[j] and w > _MIN_WRAPPED]
        if not wide:
            break
        j = max(wide, key=lambda k: widths[k])
        step = min(over, widths[j] - _MIN_WRAPPED, 2.0)
        widths[j] -= step
        over -= step
    return widths


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


def _fit_row_heights(ws: Worksheet, first: int, last: int, widths: list[float], wraps: list[bool]) -> None:
    # Neither openpyxl nor LibreOffice sizes rows with wrapped text on opening; set the height here.
    wrapped = [j for j, wrap in enumerate(wraps, start=1) if wrap]
    if not wrapped:
        return
    for i in range(first, last + 1):
        lines = max(wrapped_lines(ws.cell(row=i, column=j).value, widths[j - 1]) for j in wrapped)
        if lines > 1:
            ws.row_dimensions[i].height = _ROW_PT * min(lines, 27)  # Excel's limit is 409 points


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
    print_landscape(ws)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.oddFooter.center.text = "&A – &P / &N"
    ws.oddFooter.center.size = 10  # 9 pt and more once fit-to-width has scaled the page
    ws.oddFooter.center.font = _FONT


def indent_cell(cell: Cell) -> None:
    # text right after a right-aligned number would otherwise run into it
    old = cell.alignment
    cell.alignment = Alignment(horizontal="left", vertical=old.vertical, wrap_text=old.wrap_text, indent=1)


def add_data_bars(ws: Worksheet, ref: str) -> None:
    ws.conditional_formatting.add(
        ref, DataBarRule(start_type="min", end_type="max", color=_BAR_COLOR, showValue=True)
    )


def add_validation(ws: Worksheet, ref: str, choices: list[str] | str, title: str, prompt: str) -> None:
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
