"""Whether a shortlist workbook on disk may be replaced: the writer asks before it saves, and the
command line before any work is done."""

from __future__ import annotations

from pathlib import Path

from ..errors import MatchmakerError
from ..files import read_workbook, workbook_keywords
from ..i18n import LANGS, label
from .layout import INPUT_COLUMNS, SHEET_PAIRS, SHEET_PARAMETERS, SHEET_SHORTLIST, SHORTLIST_MARK


def _words(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def typed_decisions(path: Path) -> str | None:
    """Why the workbook at `path` must not be replaced by a new shortlist: it is not one the engine
    wrote, or the committee typed in it (decisions, partners, notes). None for an untouched one."""
    try:
        sheets = {sheet.name: sheet for sheet in read_workbook(path, what="shortlist workbook")}
    except MatchmakerError:
        return "is not a workbook matchmaker wrote"
    ours = {SHEET_PAIRS, SHEET_SHORTLIST, SHEET_PARAMETERS} <= sheets.keys()
    if workbook_keywords(path) != SHORTLIST_MARK and not ours:
        return "is not a shortlist matchmaker wrote"
    typed = {label(key, lang).casefold() for key in INPUT_COLUMNS for lang in LANGS}
    count = 0
    for name in (SHEET_PAIRS, SHEET_SHORTLIST):
        rows = sheets[name].load() if name in sheets else []
        if not rows:
            continue
        columns = [j for j, value in enumerate(rows[0]) if _words(value).casefold() in typed]
        count += sum(1 for row in rows[1:] for j in columns if j < len(row) and _words(row[j]))
    return f"holds {count} typed decision(s) or note(s) of the committee" if count else None
