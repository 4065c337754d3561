"""Whether a shortlist workbook on disk may be replaced: the writer asks before it saves, and the
command line before any work is done.

The engine fills some decision cells itself (a pair locked in an earlier round reads "vast"): it
records a fingerprint of the cells it filled with its mark in the document properties, so those
are not taken for the committee's; Excel and LibreOffice keep the properties when they save.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..errors import MatchmakerError
from ..files import read_workbook, workbook_keywords
from ..i18n import LANGS, label
from .layout import (
    INPUT_COLUMNS,
    SHEET_PAIRS,
    SHEET_PARAMETERS,
    SHEET_SHORTLIST,
    SHORTLIST_MARK,
    SHORTLIST_MARKS,
)

Rows = Sequence[Sequence[object]]


def _words(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def input_cells(sheets: Mapping[str, Rows]) -> list[tuple[str, int, str]]:
    """The filled cells of the columns the committee types in: (sheet, row, text), rows from 1."""
    typed = {label(key, lang).casefold() for key in INPUT_COLUMNS for lang in LANGS}
    cells: list[tuple[str, int, str]] = []
    for name in (SHEET_PAIRS, SHEET_SHORTLIST):
        rows = sheets.get(name) or []
        if not rows:
            continue
        columns = [j for j, value in enumerate(rows[0]) if _words(value).casefold() in typed]
        for r, row in enumerate(rows[1:], start=2):
            cells.extend((name, r, _words(row[j])) for j in columns if j < len(row) and _words(row[j]))
    return cells


def _digest(cells: Iterable[tuple[str, int, str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(cells), ensure_ascii=False).encode()).hexdigest()[:16]


def shortlist_mark(cells: Iterable[tuple[str, int, str]]) -> str:
    """The document keywords of a shortlist whose decision cells the engine filled as `cells`."""
    return f"{SHORTLIST_MARK} {_digest(cells)}"


def typed_decisions(path: Path) -> str | None:
    """Why the workbook at `path` must not be replaced by a new shortlist: it is not one the engine
    wrote, or the committee typed in it (decisions, partners, notes). None for an untouched one."""
    try:
        sheets = {sheet.name: sheet for sheet in read_workbook(path, what="shortlist workbook")}
    except MatchmakerError:
        return "is not a workbook matchmaker wrote"
    keywords = workbook_keywords(path)
    ours = {SHEET_PAIRS, SHEET_SHORTLIST, SHEET_PARAMETERS} <= sheets.keys()
    if keywords.split(" ")[0] not in SHORTLIST_MARKS and not ours:
        return "is not a shortlist matchmaker wrote"
    cells = input_cells(
        {name: sheets[name].load() for name in (SHEET_PAIRS, SHEET_SHORTLIST) if name in sheets}
    )
    mark, _, digest = keywords.partition(" ")
    if not cells or (mark in SHORTLIST_MARKS and digest == _digest(cells)):  # any layout's mark
        return None  # empty, or as the engine filled it
    return f"holds {len(cells)} typed decision(s) or note(s) of the committee"
