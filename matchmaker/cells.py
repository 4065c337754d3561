"""Cell hygiene for every workbook matchmaker writes: text an .xlsx can hold, never a formula,
e-mail addresses scrubbed on request, numbers that are finite.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Final

from .schema import is_missing

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORMULA_START",
    "as_number",
    "clean_text",
    "local_format",
    "print_landscape",
    "put_text",
    "trimmed_text",
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


def print_landscape(ws: Worksheet, *, pages_high: int = 0) -> None:
    """Print a sheet on A4 landscape, its columns fitted to one page width (and, with `pages_high`,
    its rows to that many pages; 0 lets them run on)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_high
    ws.sheet_properties.pageSetUpPr.fitToPage = True
