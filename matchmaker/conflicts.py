"""Conflicts of interest: the committee's file of reviewers who may not rate a municipality.

A reviewer who works for a municipality or sits on its council declares it; so may the committee,
in a small table (CSV or a workbook's first sheet) with the columns `reviewer` and `municipality`.
The municipality is named as elsewhere: a REFNIS code, the official name, or the name as written in
the form; every submission of that municipality is meant. `reviews.read_reviews` refuses a rating
given despite a declared conflict and keeps the conflicts with the reviews.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from . import schema as s
from .errors import IntakeError, ReviewError

# The headers, and the Dutch and French words a committee may type instead.
REVIEWER_HEADERS: Final = ("reviewer", "beoordelaar", "évaluateur", "evaluateur")
MUNICIPALITY_HEADERS: Final = ("municipality", "gemeente", "lokaal bestuur", "commune")
SHEET: Final = "sheet"  # declared by the reviewer on the sheet
COMMITTEE: Final = "committee"  # declared by the committee in its file
_MAX_SHOWN: Final = 10


def same_reviewer(name: str) -> str:
    """A reviewer's name as compared: without case and stray spaces."""
    return " ".join(str(name).split()).casefold()


def conflict_line(conflict: Mapping[str, Any]) -> str:
    """A declared conflict as the terminal prints it (in English, as the terminal's other lines)."""
    where = "on the sheet" if conflict.get("declared") == SHEET else "by the committee"
    cid = conflict.get(s.CANDIDATE_ID)
    name = conflict.get(s.MUNICIPALITY) or cid
    return f"Conflict of interest: {conflict.get('reviewer')} with {name} ({cid}), declared {where}."


@dataclass(frozen=True)
class Conflict:
    """One reviewer who may not rate one candidacy, and where that was declared."""

    reviewer: str
    candidate_id: str
    municipality: str
    declared: str  # SHEET or COMMITTEE
    source: Path
    row: int

    def to_json(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            s.CANDIDATE_ID: self.candidate_id,
            s.MUNICIPALITY: self.municipality,
            "declared": self.declared,
            "source": str(self.source),
            "row": self.row,
        }


def _lookup(candidates: pd.DataFrame) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Folded names, REFNIS codes and ids -> every candidate id of that municipality; id -> name."""
    from .form_mapping import fold

    by_key: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    refnis_ids: dict[str, list[str]] = {}
    for record in candidates.to_dict("records"):
        cid = str(record.get(s.CANDIDATE_ID) or "").strip()
        if not cid:
            continue
        names[cid] = str(record.get(s.MUNICIPALITY) or record.get(s.NAME_AS_WRITTEN) or cid)
        refnis = record.get(s.REFNIS)
        if isinstance(refnis, str) and refnis:
            refnis_ids.setdefault(refnis, []).append(cid)
    for record in candidates.to_dict("records"):
        cid = str(record.get(s.CANDIDATE_ID) or "").strip()
        if not cid:
            continue
        refnis = record.get(s.REFNIS)
        ids = refnis_ids.get(refnis, [cid]) if isinstance(refnis, str) and refnis else [cid]
        for key in (s.NAME_AS_WRITTEN, s.MUNICIPALITY, s.REFNIS, s.CANDIDATE_ID):
            value = record.get(key)
            if isinstance(value, str) and value.strip():
                by_key.setdefault(fold(value), [])
                by_key[fold(value)] = list(dict.fromkeys([*by_key[fold(value)], *ids]))
    return by_key, names


def _column(header: list[str], words: Sequence[str]) -> int | None:
    folded = [" ".join(h.casefold().split()) for h in header]
    return next((folded.index(w) for w in words if w in folded), None)


def read_conflicts(path: Path | str, candidates: pd.DataFrame) -> tuple[Conflict, ...]:
    """The committee's conflicts file, one Conflict per reviewer and candidacy of the municipality.

    Every problem is reported at once, row by row, as one ReviewError naming the file.
    """
    from .form_mapping import fold
    from .partners import read_table
    from .reference import resolve

    path = Path(path)
    rows = [[cell.strip() for cell in row] for row in read_table(path, what="conflicts file")]
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise IntakeError(f"{path}: the conflicts file has no header row")
    header = numbered[0][1]
    who, where = _column(header, REVIEWER_HEADERS), _column(header, MUNICIPALITY_HEADERS)
    if who is None or where is None:
        raise ReviewError(
            f"{path}: the conflicts file needs the columns reviewer and municipality "
            f"(found: {', '.join(h for h in header if h) or 'none'})"
        )
    by_key, names = _lookup(candidates)
    known = sorted(set(names.values()), key=str.casefold)
    problems: list[str] = []
    out: dict[tuple[str, str], Conflict] = {}
    for n, row in numbered[1:]:
        cells = row + [""] * (max(who, where) + 1 - len(row))
        reviewer, municipality = " ".join(cells[who].split()), cells[where]
        if not reviewer or not municipality:
            problems.append(f"row {n}: give both the reviewer and the municipality")
            continue
        ids = by_key.get(fold(municipality))
        if ids is None:
            found = resolve(municipality)
            ids = by_key.get(fold(found.refnis)) if found.refnis else None
            if ids is not None and found.method == "fuzzy":
                problems.append(
                    f"row {n}: no candidate {municipality!r}; did you mean {found.municipality!r}?"
                )
                continue
        if ids is None:
            close = difflib.get_close_matches(municipality, known, n=1, cutoff=0.75)
            hint = f"; did you mean {close[0]!r}?" if close else " in the form export"
            problems.append(f"row {n}: no candidate {municipality!r}{hint}")
            continue
        for cid in ids:
            key = (same_reviewer(reviewer), cid)
            if key not in out:
                out[key] = Conflict(reviewer, cid, names.get(cid, cid), COMMITTEE, path, n)
    if problems:
        shown = problems[:_MAX_SHOWN]
        more = f"; and {len(problems) - _MAX_SHOWN} more" if len(problems) > _MAX_SHOWN else ""
        raise ReviewError(f"{path}: {'; '.join(shown)}{more}")
    return tuple(out.values())
