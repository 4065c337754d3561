"""Cell hygiene for every workbook matchmaker writes: text an .xlsx can hold, never a formula,
e-mail addresses scrubbed on request, numbers that are finite.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from .schema import is_missing

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORMULA_START",
    "PADDING",
    "as_number",
    "clean_text",
    "header_width",
    "local_format",
    "page_fits",
    "print_across",
    "print_landscape",
    "put_text",
    "text_width",
    "trimmed_text",
    "wrapped_lines",
    "write_text",
]

# Characters an .xlsx cannot hold (XML 1.0), plus DEL and lone surrogates.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# The local part starts only where a run of its characters starts: tried at every position of a
# long word, the pattern would take quadratic time (a 100,000-character motivation took 36 s).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MAX_CELL = 32_767  # Excel's limit on the characters of one cell
_TRUNCATED = " […]"
# What Excel (and openpyxl) would read as the start of a formula
FORMULA_START: Final = ("=", "+", "-", "@")


def clean_text(value: object, *, scrub_emails: bool = False) -> str:
    """A value as text an .xlsx cell can hold: control characters gone, line ends normalised."""
    text = _ILLEGAL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    if scrub_emails and "@" in text:
        text = _EMAIL.sub("[e-mail]", text)
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - len(_TRUNCATED)] + _TRUNCATED
    return text


def trimmed_text(value: object) -> str:
    """Form text as it may go into a cell, trimmed; "" if missing."""
    return "" if is_missing(value) else clean_text(value).strip()


def write_text(cell: Cell, text: str) -> Cell:
    """Give `cell` the string `text`, kept a string even when it looks like a formula or an error."""
    cell.value = text
    # openpyxl makes "=..." a formula and "#N/A" an error; text from the form stays text,
    # and quotePrefix keeps it text when someone edits the cell in Excel.
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def put_text(ws: Worksheet, row: int, column: int, text: str) -> None:
    """Write `text` as a string cell of worksheet `ws` even when it looks like a formula."""
    write_text(ws.cell(row=row, column=column), text)


def as_number(value: object) -> float | None:
    """A finite number from a Python or numpy number; None for anything else (bools too)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        item = getattr(value, "item", None)
        if not callable(item):
            return None
        try:
            number = float(item())
        except (TypeError, ValueError):
            return None
    return number if math.isfinite(number) else None


# The locale a number format names ([$-813] is nl-BE, [$-80C] fr-BE, [$-809] en-GB): Excel and
# LibreOffice then write its decimal and thousands separators as the workbook's language does
# ("92,2", "35.000 EUR", "35 000 EUR"), whatever the locale of the machine that opens it.
_LOCALE_TAGS: Final = {"nl": "[$-813]", "fr": "[$-80C]", "en": "[$-809]"}


def local_format(number_format: str, lang: str) -> str:
    """`number_format` tagged with the locale of `lang`, so that "0.0" prints 92,2 in Dutch."""
    tag = _LOCALE_TAGS.get(lang, "")
    return number_format if not tag or number_format.startswith("[$") else tag + number_format


# Advance widths of Calibri (and Carlito, its metric twin in LibreOffice), in thousandths of an em;
# a column unit is the width of a digit, 507 of them.
_GLYPHS: Final = {
    **dict.fromkeys("0123456789", 507),
    **dict(
        zip(
            "abcdefghijklmnopqrstuvwxyz",
            (
                479,
                525,
                423,
                525,
                498,
                305,
                471,
                525,
                229,
                239,
                455,
                229,
                799,
                525,
                527,
                525,
                525,
                349,
                391,
                335,
                525,
                452,
                715,
                433,
                453,
                395,
            ),
            strict=True,
        )
    ),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                579,
                544,
                533,
                615,
                488,
                459,
                631,
                623,
                252,
                319,
                520,
                420,
                855,
                646,
                662,
                517,
                673,
                543,
                459,
                487,
                642,
                567,
                890,
                519,
                487,
                468,
            ),
            strict=True,
        )
    ),
    " ": 226,
    ",": 250,
    ".": 252,
    ":": 268,
    ";": 268,
    "-": 306,
    "(": 303,
    ")": 303,
    "'": 221,
    "/": 386,
    "–": 498,
    "%": 715,
    "€": 507,
}
_DIGIT: Final = 507
PADDING: Final = 0.8  # digit widths a cell keeps free of text on its two sides


def text_width(text: str) -> float:
    """The width of a text in 11 pt Calibri or Carlito, in digit widths (a column width's unit)."""
    total = 0
    for char in text:
        glyph = _GLYPHS.get(char)
        if glyph is None:
            base = unicodedata.normalize("NFD", char)[:1]
            glyph = _GLYPHS.get(base, 560)
        total += glyph
    return total / _DIGIT


def wrapped_lines(value: object, width: float) -> int:
    """How many lines a wrapped text needs in a column of `width` digit widths, wrapping word by
    word as Excel and LibreOffice do; 3 % is kept in hand for the programs' rounding."""
    if value is None or not isinstance(value, str):
        return 1
    room = max(width - PADDING, 1.0) * 0.97
    space = _GLYPHS[" "] / _DIGIT
    total = 0
    for part in value.split("\n"):
        lines, used = 1, 0.0
        for word in part.split(" "):
            size = text_width(word)
            if used and used + space + size > room:
                lines, used = lines + 1, size
            else:
                used += (space if used else 0) + size
            while used > room:  # a word longer than the line breaks inside it
                lines, used = lines + 1, used - room
        total += lines
    return total


# Bold Carlito is about 5 % wider than regular; 3 % more is kept in hand for the programs' rounding.
_BOLD: Final = 1.05
_KEEP: Final = 1.03


def header_width(header: str, *, size: float = 11.0, bold: bool = True) -> float:
    """The narrowest column width in which every word of `header`, in a font of `size` points,
    fits on a line of its own: a header wraps between its words, never inside one."""
    longest = max((text_width(word) for word in header.split()), default=0.0)
    return round(longest * size / 11.0 * (_BOLD if bold else 1.0) * _KEEP + PADDING, 1)


RATING_HEADER_FILL: Final = "D9E1F2"
RATING_FONT: Final = "Calibri"  # named on every styled cell: without a name LibreOffice falls back to a serif


def header_row(ws: Worksheet, columns: Sequence[tuple[str, float]], *, lines: int = 1) -> list[float]:
    """Write a rating sheet's header row: (text, width) per column, bold on the header fill, each
    column at least as wide as its header's longest word, the row as tall as its most wrapped
    header (at least `lines`); the widths used, and the top row frozen with the first two columns."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    widths: list[float] = []
    for col, (header, width) in enumerate(columns, start=1):
        put_text(ws, 1, col, header)
        cell = ws.cell(row=1, column=col)
        cell.font = Font(name=RATING_FONT, bold=True)
        cell.fill = PatternFill("solid", start_color=RATING_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        width = max(width, header_width(header))
        ws.column_dimensions[get_column_letter(col)].width = width
        widths.append(width)
        lines = max(lines, wrapped_lines(header, width))
    ws.row_dimensions[1].height = lines * 15 + 4
    ws.freeze_panes = "C2"
    return widths


def print_landscape(ws: Worksheet, *, pages_high: int = 0) -> None:
    """Print a sheet on A4 landscape, its columns fitted to one page width (and, with `pages_high`,
    its rows to that many pages; 0 lets them run on)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_high
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# A4 landscape is 297 mm wide; with 1 cm side margins 277 mm (785 pt) is left for the columns.
_PAGE_WIDE: Final = 785.0
_SIDE_MARGIN: Final = 0.4  # inches
PRINT_SCALE: Final = 85  # per cent: 11 pt text prints at 9.35 pt


def column_points(width: float) -> float:
    """A column of `width` digit widths in points: 7 pixels a digit and 5 of padding at 96 dpi, and
    5 % more, as LibreOffice prints it with Carlito (measured 3.7 % more)."""
    return (width * 7 + 5) * 0.75 * 1.05


def print_across(ws: Worksheet, *, keep: int, parts: Sequence[int]) -> None:
    """Print a wide sheet on A4 landscape at PRINT_SCALE, pages side by side: the first `keep`
    columns repeat on every page and each part starts a new page (`parts`: the first column of each
    part after the first, counted from 1). Columns that do not fit a page run on to the next."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = PRINT_SCALE
    ws.page_setup.pageOrder = "overThenDown"  # a row's texts and its inputs print on facing pages
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = _SIDE_MARGIN
    ws.print_title_cols = f"A:{get_column_letter(keep)}"
    for first in parts:
        ws.col_breaks.append(Break(id=first - 1))


def page_fits(widths: Sequence[float]) -> bool:
    """Whether columns of these widths fit side by side on one page printed by print_across."""
    return sum(column_points(w) for w in widths) * PRINT_SCALE / 100 <= _PAGE_WIDE
