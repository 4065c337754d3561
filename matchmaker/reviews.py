"""Reviewer sheets back in: reading filled sheets, aggregation, agreement (the sheet is review_sheet's).

Reviewers rate each eligible candidate's motivation on the rubric of the criteria file in a protected
workbook; the filled workbooks come back as one `Reviews` that scoring reads through `aggregate()`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from .agreement import DISAGREEMENT_POINTS, Metric, components, disagreeing, krippendorff_alpha, leniency_fit
from .cells import trimmed_text as clean_text
from .conflicts import SHEET, Conflict, conflict_line, same_reviewer
from .criteria import Criteria
from .errors import ReviewError
from .files import WORKBOOK_SUFFIXES, Grid
from .i18n.wording import review_note_text
from .review_sheet import (
    COMMENT,
    CONFLICT,
    ITEM,
    ITEM_PREFIX,
    LEGEND_SHEET,
    META_SHEET,
    METHODS,
    RATING,
    RATING_COLUMNS,
    REVIEW_SHEET,
    REVIEWER,
    SHARE,
    SHEET_SCHEMA,
    Method,
    reviewable,
    rubric_scale,
    typed_ratings,
    write_review_sheet,
)
from .schema import CANDIDATE_ID, ELIGIBLE, MUNICIPALITY

# the sheet's names, kept importable from here where readers of the sheets have always found them
__all__ = [
    "COMMENT",
    "CONFLICT",
    "ITEM",
    "LEGEND_SHEET",
    "META_SHEET",
    "METHODS",
    "RATING",
    "RATING_COLUMNS",
    "REVIEWER",
    "REVIEW_SHEET",
    "SHARE",
    "SHEET_SCHEMA",
    "Method",
    "ReviewProblem",
    "ReviewSheetError",
    "Reviews",
    "read_reviews",
    "review_files",
    "reviewable",
    "rubric_scale",
    "typed_ratings",
    "write_review_sheet",
]

_MAX_PROBLEMS_SHOWN: Final = 25
_YES: Final = frozenset({"ja", "yes", "oui", "x", "1", "true", "waar"})
_NO: Final = frozenset({"nee", "neen", "no", "non", "0", "false", "onwaar"})

# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewProblem:
    """One thing wrong in one reviewer sheet, located as precisely as it can be."""

    path: Path
    problem: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [str(self.path)]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.problem}"


class ReviewSheetError(ReviewError):
    """Reviewer sheets with problems; `problems` holds every one of them, file by file."""

    def __init__(self, problems: Sequence[ReviewProblem], committee: Iterable[Path] = ()) -> None:
        """`committee`: the committee's conflicts files, which are no reviewer sheets."""
        self.problems = tuple(problems)
        others = {Path(path): "the conflicts file" for path in committee}
        super().__init__(problems_text(self.problems, "reviewer sheet", others))


def problems_text(
    problems: Sequence[ReviewProblem], kind: str, others: Mapping[Path, str] | None = None
) -> str:
    """One problem as its one line (file, where, what); more as a count and a list of them. The
    files are counted as `kind`s but for `others`, which are named by what they are ("the
    conflicts file")."""
    if len(problems) == 1:
        return str(problems[0])
    shown = [f"  {p}" for p in problems[:_MAX_PROBLEMS_SHOWN]]
    if len(problems) > _MAX_PROBLEMS_SHOWN:
        shown.append(f"  ... and {len(problems) - _MAX_PROBLEMS_SHOWN} more")
    others = others or {}
    files = {p.path for p in problems}
    sheets = len(files - set(others))
    where = [f"{sheets} {kind}(s)"] if sheets else []
    where += sorted({others[f] for f in files if f in others})
    return "\n".join([f"{len(problems)} problem(s) in {' and '.join(where)}:", *shown])


@dataclass(frozen=True)
class _Sheet:
    path: Path
    reviewer: str
    rows: list[dict[str, Any]]  # candidate_id, row, ratings {item: int}, comment, conflict, share


def _expand(paths: Path | str | Iterable[Path | str]) -> tuple[list[Path], list[ReviewProblem]]:
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    problems: list[ReviewProblem] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in WORKBOOK_SUFFIXES
                and not p.name.startswith(("~$", ".~lock"))
                and p.is_file()
            )
            if not found:
                problems.append(ReviewProblem(path, "folder holds no reviewer sheets (*.xlsx)"))
        elif path.exists():
            found = [path]
        else:
            problems.append(ReviewProblem(path, "no such file or folder"))
            found = []
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, problems


def review_files(paths: Path | str | Iterable[Path | str]) -> list[Path]:
    """The reviewer sheets `read_reviews` reads: files as given, folders' *.xlsx sorted, no lock files."""
    return _expand(paths)[0]


def _parse_rating(value: object, low: int, high: int) -> tuple[int | None, str | None]:
    """The rating in a cell, or the reason it is not one; an empty cell means not rated."""
    if value is None:
        return None, None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        if text.startswith("="):
            return None, f"a formula ({text[:40]}); type a whole number from {low} to {high}"
        if re.fullmatch(r"[+-]?\d+", text):
            value = int(text)
        else:
            return None, f"'{text[:40]}' is not a whole number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"'{value}' is not a whole number from {low} to {high}"
    if isinstance(value, float) and not value.is_integer():
        return None, f"{value:g} is not a whole number from {low} to {high}"
    rating = int(value)
    if not low <= rating <= high:
        return None, f"{rating} is outside the scale {low} to {high}"
    return rating, None


def _parse_yes(value: object) -> tuple[bool, str | None]:
    """A yes/no cell: (answer, None), or (False, why it is neither); an empty cell means no."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = clean_text(value).casefold()
    if not text or text in _NO:
        return False, None
    if text in _YES:
        return True, None
    return False, f"'{text[:40]}' is neither 'ja' nor 'nee'"


def _cell_id(value: object) -> str:
    # A sheet passed through another tool may hold the REFNIS code as a number.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


def _read_meta(ws: Grid) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, value, *_ in ws.iter_rows(min_row=1, max_col=2, values_only=True):
        if key is not None:
            meta[str(key)] = "" if value is None else str(value)
    return meta


def _read_sheet(
    path: Path,
    criteria: Criteria,
    known: Mapping[str, str],
    problems: list[ReviewProblem],
) -> _Sheet | None:
    low, high = int(criteria.rubric_scale[0]), int(criteria.rubric_scale[1])
    from .errors import MatchmakerError
    from .files import read_book

    try:
        # every format, after the archive, size and extent checks
        wb = read_book(path, what="reviewer sheet")
    except MatchmakerError as exc:
        problems.append(ReviewProblem(path, str(exc).removeprefix(f"{path}: ")))
        return None
    try:
        if META_SHEET not in wb.sheetnames:
            problems.append(
                ReviewProblem(path, "not a reviewer sheet made by `matchmaker review-sheet` (no _meta sheet)")
            )
            return None
        if REVIEW_SHEET not in wb.sheetnames:
            sheets = ", ".join(repr(n) for n in wb.sheetnames if n != META_SHEET)
            problems.append(
                ReviewProblem(path, f"no sheet {REVIEW_SHEET!r} (was it renamed? the sheets are {sheets})")
            )
            return None
        meta = _read_meta(wb[META_SHEET])
        if meta.get("schema") != SHEET_SCHEMA:
            found = meta.get("schema") or "none"
            problems.append(
                ReviewProblem(
                    path, f"not a reviewer sheet of version {SHEET_SCHEMA} (found {found})", META_SHEET
                )
            )
            return None
        reviewer = " ".join(clean_text(meta.get("reviewer")).split())
        if not reviewer:
            problems.append(ReviewProblem(path, "the sheet names no reviewer", META_SHEET))
        return _read_rows(path, wb[REVIEW_SHEET], meta, reviewer, criteria, known, low, high, problems)
    finally:
        wb.close()


def _read_rows(
    path: Path,
    ws: Grid,
    meta: Mapping[str, str],
    reviewer: str,
    criteria: Criteria,
    known: Mapping[str, str],
    low: int,
    high: int,
    problems: list[ReviewProblem],
) -> _Sheet | None:
    start = len(problems)
    layout = [
        (key.removeprefix("column:"), header) for key, header in meta.items() if key.startswith("column:")
    ]
    keys = [key for key, _ in layout]
    items_in_sheet = [k.removeprefix(ITEM_PREFIX) for k in keys if k.startswith(ITEM_PREFIX)]
    expected_items = [item.key for item in criteria.rubric]
    if CANDIDATE_ID not in keys or COMMENT not in keys:
        problems.append(ReviewProblem(path, "the sheet's column layout is missing", META_SHEET))
        return None
    for key in expected_items:
        if key not in items_in_sheet:
            problems.append(ReviewProblem(path, f"the sheet has no column for the rubric item '{key}'"))
    for key in items_in_sheet:
        if key not in expected_items:
            problems.append(
                ReviewProblem(path, f"the sheet rates '{key}', which is not an item of the criteria's rubric")
            )

    header_row = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    width = max(len(layout), len(header_row))
    for col in range(1, width + 1):
        found = clean_text(header_row[col - 1]) if col <= len(header_row) else ""
        expected = layout[col - 1][1] if col <= len(layout) else ""
        if found != expected:
            letter = get_column_letter(col)
            if not expected:
                problem = f"unexpected column '{found}'"
            elif not found:
                problem = f"the column '{expected}' is missing"
            else:
                problem = f"the header is '{found}' where '{expected}' belongs (renamed or moved column)"
            problems.append(ReviewProblem(path, problem, REVIEW_SHEET, 1, letter))
    if len(problems) > start:
        return None

    col_of = {key: i for i, key in enumerate(keys)}
    rated = [(key, col_of[ITEM_PREFIX + key]) for key in expected_items]
    rows: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = list(values) + [None] * (len(keys) - len(values))
        if all(clean_text(v) == "" for v in cells):
            continue
        cid = _cell_id(cells[col_of[CANDIDATE_ID]])
        id_column = f"{get_column_letter(col_of[CANDIDATE_ID] + 1)} ({layout[col_of[CANDIDATE_ID]][1]})"
        ratings: dict[str, int] = {}
        for key, col in rated:
            rating, issue = _parse_rating(cells[col], low, high)
            if issue is not None:
                column = f"{get_column_letter(col + 1)} ({layout[col][1]})"
                problems.append(ReviewProblem(path, issue, REVIEW_SHEET, r, column))
            elif rating is not None:
                ratings[key] = rating
        if not cid:
            problems.append(ReviewProblem(path, "the row has no candidate id", REVIEW_SHEET, r, id_column))
            continue
        if cid not in known:
            problems.append(
                ReviewProblem(
                    path, f"unknown candidate '{cid}' (not in the form export)", REVIEW_SHEET, r, id_column
                )
            )
            continue
        if cid in first_row:
            problems.append(
                ReviewProblem(
                    path,
                    f"candidate {cid} appears again (first in row {first_row[cid]})",
                    REVIEW_SHEET,
                    r,
                    id_column,
                )
            )
            continue
        written = cells[col_of[MUNICIPALITY]] if MUNICIPALITY in col_of else None
        if (contradiction := other_municipality(cid, written, known)) is not None:
            column = f"{get_column_letter(col_of[MUNICIPALITY] + 1)} ({layout[col_of[MUNICIPALITY]][1]})"
            problems.append(ReviewProblem(path, contradiction, REVIEW_SHEET, r, column))
            continue
        first_row[cid] = r
        comment = clean_text(cells[col_of[COMMENT]])
        flags = {CONFLICT: False, SHARE: False}
        for key in flags:  # a sheet written before these columns existed has neither
            if key in col_of:
                flags[key], issue = _parse_yes(cells[col_of[key]])
                if issue is not None:
                    column = f"{get_column_letter(col_of[key] + 1)} ({layout[col_of[key]][1]})"
                    problems.append(ReviewProblem(path, issue, REVIEW_SHEET, r, column))
        if flags[CONFLICT] and ratings:
            column = f"{get_column_letter(col_of[CONFLICT] + 1)} ({layout[col_of[CONFLICT]][1]})"
            problems.append(
                ReviewProblem(
                    path,
                    f"candidate {cid} is rated despite the declared conflict of interest; clear the "
                    "ratings of this row, or the conflict",
                    REVIEW_SHEET,
                    r,
                    column,
                )
            )
            continue
        rows.append({CANDIDATE_ID: cid, "row": r, "ratings": ratings, COMMENT: comment, **flags})
    if len(problems) > start:
        return None
    return _Sheet(path, reviewer, rows)


def municipalities(candidates: pd.DataFrame) -> dict[str, str]:
    """Each candidate id with its municipality ("" where the table has none): what a rating
    sheet's row is checked against."""
    ids = candidates[CANDIDATE_ID].map(clean_text)
    if MUNICIPALITY not in candidates.columns:
        return {cid: "" for cid in ids if cid}
    return {cid: clean_text(m) for cid, m in zip(ids, candidates[MUNICIPALITY], strict=True) if cid}


def other_municipality(cid: str, written: object, known: Mapping[str, str]) -> str | None:
    """Why a row's municipality contradicts its candidate id, or None: the ratings of a row
    whose id was swapped or retyped would otherwise go to another municipality. Reviewer and
    partner sheets both check their rows with it."""
    name, expected = clean_text(written), known.get(cid, "")
    if not name or not expected or " ".join(name.casefold().split()) == " ".join(expected.casefold().split()):
        return None
    return (
        f"candidate {cid} is {expected} in the form export, but the row says '{name[:60]}'; "
        "put the id and the municipality of one candidate on one row"
    )


def read_reviews(
    paths: Path | str | Iterable[Path | str],
    criteria: Criteria,
    candidates: pd.DataFrame,
    conflicts: Sequence[Conflict] = (),
) -> Reviews:
    """Read filled reviewer sheets (files, or folders of *.xlsx) and check them against the candidates.

    `conflicts` are the committee's (`conflicts.read_conflicts`); a reviewer declares others on the
    sheet. A rating given despite a declared conflict is refused. Every problem of every sheet is
    collected and raised together as one `ReviewSheetError`.
    """
    low, high = rubric_scale(criteria)
    if CANDIDATE_ID not in candidates.columns:
        raise ReviewError(f"the candidates table lacks the column {CANDIDATE_ID}")
    ids = candidates[CANDIDATE_ID].map(clean_text)
    names = municipalities(candidates)
    if ELIGIBLE in candidates.columns:
        eligible_mask = candidates[ELIGIBLE].eq(True)
    else:
        eligible_mask = pd.Series(True, index=candidates.index)
    eligible_ids = list(dict.fromkeys(i for i in ids[eligible_mask] if i))

    files, problems = _expand(paths)
    sheets: list[_Sheet] = []
    for path in files:
        sheet = _read_sheet(path, criteria, names, problems)
        if sheet is not None:
            sheets.append(sheet)
    by_reviewer: dict[str, Path] = {}
    for sheet in sheets:
        key = sheet.reviewer.casefold()
        if key in by_reviewer:
            problems.append(
                ReviewProblem(
                    sheet.path,
                    f"reviewer '{sheet.reviewer}' already handed in {by_reviewer[key]}; "
                    "one sheet per reviewer",
                    META_SHEET,
                )
            )
        else:
            by_reviewer[key] = sheet.path
    declared = _declared_conflicts(sheets, conflicts, names, problems)
    if problems:
        raise ReviewSheetError(problems, {c.source for c in conflicts})
    if not files:
        raise ReviewError("no reviewer sheets given")

    eligible = set(eligible_ids)
    records: list[dict[str, Any]] = []
    comment_records: list[dict[str, Any]] = []
    ignored: set[str] = set()
    for sheet in sheets:
        for row in sheet.rows:
            cid = row[CANDIDATE_ID]
            if cid not in eligible:
                if row["ratings"]:
                    ignored.add(cid)
                continue
            if row[COMMENT]:
                # a conflicted reviewer's comment is never quoted to the candidate
                share = bool(row.get(SHARE)) and (same_reviewer(sheet.reviewer), cid) not in declared
                comment_records.append(
                    {REVIEWER: sheet.reviewer, CANDIDATE_ID: cid, COMMENT: row[COMMENT], SHARE: share}
                )
            for item in criteria.rubric:
                if item.key in row["ratings"]:
                    records.append(
                        {
                            REVIEWER: sheet.reviewer,
                            CANDIDATE_ID: cid,
                            ITEM: item.key,
                            RATING: row["ratings"][item.key],
                            COMMENT: row[COMMENT],
                        }
                    )
    # the notes as facts, worded in English: a candidate without a name is named by its id
    notes: list[dict[str, Any]] = []
    if ignored:
        candidates = [{"id": c, "name": names.get(c) or c} for c in sorted(ignored)]
        notes.append({"code": "ratings_ignored", "candidates": candidates})
    rated = {r[CANDIDATE_ID] for r in records}
    unrated = [c for c in eligible_ids if c not in rated]
    if unrated:
        notes.append(
            {"code": "unrated", "candidates": [{"id": c, "name": names.get(c) or c} for c in unrated]}
        )
    ratings = pd.DataFrame.from_records(records, columns=list(RATING_COLUMNS))
    ratings[RATING] = ratings[RATING].astype("int64")
    return Reviews(
        ratings=ratings,
        items=tuple(item.key for item in criteria.rubric),
        labels={item.key: clean_text(item.label) or item.key for item in criteria.rubric},
        scale=(low, high),
        candidate_ids=tuple(eligible_ids),
        municipalities={c: names.get(c, "") for c in eligible_ids},
        comments=pd.DataFrame.from_records(comment_records, columns=[REVIEWER, CANDIDATE_ID, COMMENT, SHARE]),
        sources={sheet.reviewer: sheet.path for sheet in sheets},
        notes=tuple(review_note_text(facts, "en") for facts in notes),
        note_facts=tuple(notes),
        conflicts=tuple(c.to_json() for c in declared.values() if c.candidate_id in eligible),
    )


def _declared_conflicts(
    sheets: Sequence[_Sheet],
    committee: Sequence[Conflict],
    names: Mapping[str, str],
    problems: list[ReviewProblem],
) -> dict[tuple[str, str], Conflict]:
    """Every declared conflict by (reviewer, candidate id): the committee's, then the sheets'. A
    committee conflict naming nobody who handed in a sheet, or one its reviewer rated anyway, is a
    problem with its file and row."""
    import difflib

    reviewers = {same_reviewer(sheet.reviewer): sheet.reviewer for sheet in sheets}
    out: dict[tuple[str, str], Conflict] = {}
    for conflict in committee:
        key = (same_reviewer(conflict.reviewer), conflict.candidate_id)
        if key[0] not in reviewers:
            close = difflib.get_close_matches(conflict.reviewer, list(reviewers.values()), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            listed = "; ".join(reviewers.values()) or "none"
            text = f"no reviewer sheet by {conflict.reviewer!r} ({hint}reviewers: {listed})"
            if not any(p.path == conflict.source and p.row == conflict.row for p in problems):
                problems.append(ReviewProblem(conflict.source, text, row=conflict.row))
            continue
        out.setdefault(key, replace(conflict, reviewer=reviewers[key[0]]))
    for sheet in sheets:
        for row in sheet.rows:
            key = (same_reviewer(sheet.reviewer), row[CANDIDATE_ID])
            found = out.get(key)
            if found is not None and row["ratings"]:
                problems.append(
                    ReviewProblem(
                        sheet.path,
                        f"{sheet.reviewer} rates {found.municipality} ({found.candidate_id}) despite the "
                        f"conflict of interest declared in {found.source} row {found.row}; clear these "
                        "ratings",
                        REVIEW_SHEET,
                        row["row"],
                    )
                )
            elif found is None and row.get(CONFLICT):
                cid = row[CANDIDATE_ID]
                out[key] = Conflict(sheet.reviewer, cid, names.get(cid) or cid, SHEET, sheet.path, row["row"])
    return out


# --- aggregation and agreement (the arithmetic is in agreement.py) ---------------------------------


@dataclass(frozen=True)
class Reviews:
    """Ratings read back from reviewer sheets, with their aggregation and agreement.

    `ratings` is long: one row per observed rating (reviewer, candidate_id, item, rating, comment);
    an empty cell on a sheet is no row. `candidate_ids` are the eligible candidates in table order.
    """

    ratings: pd.DataFrame
    items: tuple[str, ...]
    scale: tuple[int, int] = (1, 5)
    candidate_ids: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    municipalities: Mapping[str, str] = field(default_factory=dict)
    comments: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=[REVIEWER, CANDIDATE_ID, COMMENT])
    )
    sources: Mapping[str, Path] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # the facts of `notes`, one for one, for wording them in another language
    note_facts: tuple[Mapping[str, Any], ...] = ()
    # declared conflicts of interest: {reviewer, candidate_id, municipality, declared, source, row}
    conflicts: tuple[Mapping[str, Any], ...] = ()

    @property
    def rated(self) -> pd.DataFrame:
        """The ratings that count: `ratings` less any of a reviewer declared in conflict with the
        candidate. Aggregation, agreement and disagreements all read these."""
        if not self.conflicts or self.ratings.empty:
            return self.ratings
        barred = {(same_reviewer(str(c["reviewer"])), str(c[CANDIDATE_ID])) for c in self.conflicts}
        keys = zip(
            self.ratings[REVIEWER].map(same_reviewer), self.ratings[CANDIDATE_ID].astype(str), strict=True
        )
        return self.ratings[[key not in barred for key in keys]]

    @property
    def reviewers(self) -> tuple[str, ...]:
        """Everyone who handed in a sheet, in reading order, then anyone else with ratings."""
        return tuple(dict.fromkeys([*self.sources, *self.rated[REVIEWER]]))

    def _index(self) -> list[str]:
        known = set(self.candidate_ids)
        extra = [c for c in dict.fromkeys(self.rated[CANDIDATE_ID]) if c not in known]
        return [*self.candidate_ids, *extra]

    def aggregate(self, method: Method = "mean") -> pd.DataFrame:
        """One value per candidate and rubric item on the rubric scale; NaN where nobody rated.

        "mean" and "median" pool the ratings per cell; "leniency" removes each reviewer's offset
        first (see `leniency_fit`) and clips the candidate effect to the scale.
        """
        if method not in METHODS:
            raise ReviewError(f"unknown aggregation method '{method}'; use one of {', '.join(METHODS)}")
        index = pd.Index(self._index(), name=CANDIDATE_ID)
        if method == "leniency":
            table = pd.DataFrame(
                {item: self._leniency(item)[0] for item in self.items}, index=index, dtype=float
            )
            return table.reindex(index=index, columns=list(self.items)).astype(float)
        grouped = self.rated.groupby([CANDIDATE_ID, ITEM])[RATING]
        pooled = grouped.mean() if method == "mean" else grouped.median()
        table = pooled.astype(float).unstack(ITEM) if len(pooled) else pd.DataFrame(index=index)
        table = table.reindex(index=index, columns=list(self.items)).astype(float)
        table.columns.name = None
        return table

    def _leniency(self, item: str) -> tuple[pd.Series, pd.Series]:
        rows = self.rated[self.rated[ITEM] == item]
        if rows.empty:
            return pd.Series(dtype=float), pd.Series(dtype=float)
        cand_codes, cands = pd.factorize(rows[CANDIDATE_ID])
        rev_codes, revs = pd.factorize(rows[REVIEWER])
        effects, offsets = leniency_fit(cand_codes, rev_codes, rows[RATING].to_numpy())
        low, high = self.scale
        return (
            pd.Series(np.clip(effects, low, high), index=cands, dtype=float),
            pd.Series(offsets, index=revs, dtype=float),
        )

    def leniency(self) -> pd.DataFrame:
        """Each reviewer's estimated offset per rubric item (positive = rates higher than the others)."""
        table = pd.DataFrame({item: self._leniency(item)[1] for item in self.items})
        return table.reindex(index=list(self.reviewers), columns=list(self.items)).astype(float)

    def disconnected_items(self) -> list[str]:
        """Rubric items whose reviewers share no candidates, so leniency cannot be separated from quality."""
        result = []
        for item in self.items:
            rows = self.rated[self.rated[ITEM] == item]
            if rows.empty:
                continue
            cand_codes, _ = pd.factorize(rows[CANDIDATE_ID])
            rev_codes, _ = pd.factorize(rows[REVIEWER])
            if components(cand_codes, rev_codes) > 1:
                result.append(item)
        return result

    def disagreements(self, threshold: int = DISAGREEMENT_POINTS) -> list[dict[str, Any]]:
        """Candidates and items where the highest and lowest rating differ by `threshold` or more."""
        result: list[dict[str, Any]] = []
        order = {c: i for i, c in enumerate(self._index())}
        item_order = {k: i for i, k in enumerate(self.items)}
        # one group per candidate and item, numbered in order of first appearance
        groups = self.rated.groupby([CANDIDATE_ID, ITEM], sort=False).ngroup().to_numpy()
        ratings = self.rated[RATING].to_numpy()
        for group in np.flatnonzero(disagreeing(groups, ratings, threshold)):
            rows = self.rated[groups == group]
            result.append(
                {
                    CANDIDATE_ID: rows[CANDIDATE_ID].iloc[0],
                    MUNICIPALITY: self.municipalities.get(str(rows[CANDIDATE_ID].iloc[0]), ""),
                    ITEM: rows[ITEM].iloc[0],
                    "spread": int(rows[RATING].max() - rows[RATING].min()),
                    "ratings": {str(r): int(v) for r, v in zip(rows[REVIEWER], rows[RATING], strict=True)},
                }
            )
        result.sort(key=lambda d: (order.get(d[CANDIDATE_ID], 0), item_order.get(d[ITEM], 0)))
        return result

    def agreement(self, metric: Metric = "interval") -> dict[str, float]:
        """Krippendorff's alpha per rubric item: reviewers as coders, candidates as units."""
        result: dict[str, float] = {}
        for item in self.items:
            rows = self.rated[self.rated[ITEM] == item]
            table = rows.pivot_table(index=REVIEWER, columns=CANDIDATE_ID, values=RATING, aggfunc="first")
            result[item] = krippendorff_alpha(table.to_numpy(dtype=float), metric)
        return result

    def shared_comments(self) -> dict[str, list[str]]:
        """Per candidate id, the comments whose reviewers agreed to share them, in reading order."""
        out: dict[str, list[str]] = {}
        if SHARE not in self.comments.columns:
            return out
        for cid, text, share in zip(
            self.comments[CANDIDATE_ID], self.comments[COMMENT], self.comments[SHARE], strict=True
        ):
            if share is True and str(text).strip():
                out.setdefault(str(cid), []).append(str(text))
        return out

    def summary(self, threshold: int = DISAGREEMENT_POINTS) -> list[str]:
        """Readable lines on who reviewed, how well reviewers agree and where they differ."""
        reviewers = self.reviewers
        lines = [
            f"Reviews: {len(self.rated)} rating(s) by {len(reviewers)} reviewer(s) "
            f"({'; '.join(reviewers)}) on {self.rated[CANDIDATE_ID].nunique()} candidate(s)."
        ]
        lines.extend(conflict_line(c) for c in self.conflicts)
        alphas = self.agreement()
        parts = [
            f"{self.labels.get(k, k)} {'n/a' if math.isnan(a) else f'{a:.2f}'}" for k, a in alphas.items()
        ]
        lines.append("Agreement (Krippendorff's alpha, interval): " + ", ".join(parts) + ".")
        found = self.disagreements(threshold)
        if found:
            lines.append(f"Reviewers differ by {threshold} points or more on {len(found)} rating(s):")
            for d in found:
                name = d[MUNICIPALITY] or d[CANDIDATE_ID]
                given = ", ".join(f"{r} {v}" for r, v in d["ratings"].items())
                lines.append(f"  {name} ({d[CANDIDATE_ID]}), {self.labels.get(d[ITEM], d[ITEM])}: {given}")
        elif len(self.rated):
            lines.append(f"Reviewers differ by less than {threshold} points everywhere.")
        else:
            lines.append("No ratings in the sheets yet: every motivation comes from the self-assessment.")
        for item in self.disconnected_items():
            lines.append(
                f"{self.labels.get(item, item)}: reviewers share no candidates, leniency is not identified."
            )
        lines.extend(self.notes)
        return lines

    def to_json(self) -> dict[str, Any]:
        """What the audit trail keeps of the reviews: sources, agreement, disagreements, notes, the
        declared conflicts, and per candidate the comments their reviewers agreed to share."""
        return {
            "reviewers": list(self.reviewers),
            "sources": {r: str(p) for r, p in self.sources.items()},
            "ratings": len(self.rated),
            "conflicts": [dict(c) for c in self.conflicts],
            "shared_comments": self.shared_comments(),
            "agreement": {k: (None if math.isnan(a) else a) for k, a in self.agreement().items()},
            "disagreements": self.disagreements(),
            "notes": list(self.notes),
        }
