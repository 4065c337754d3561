"""Reviewer sheets out and back in: the rubric workbook, reading filled sheets, aggregation, agreement.

Reviewers rate each eligible candidate's motivation on the rubric of the criteria file in a protected
workbook; the filled workbooks come back as one `Reviews` that scoring reads through `aggregate()`.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from .agreement import DISAGREEMENT_POINTS, Metric, components, disagreeing, krippendorff_alpha, leniency_fit
from .cells import header_width, print_landscape, wrapped_lines
from .cells import put_text as _put_text
from .cells import trimmed_text as clean_text
from .criteria import Criteria, RubricItem
from .errors import OutputError, ReviewError
from .files import WORKBOOK_SUFFIXES, Grid, save_workbook
from .i18n import LANGS, code_label, label, quoted, sentence
from .i18n.wording import review_note_text
from .schema import (
    CANDIDATE_ID,
    ELIGIBLE,
    MOTIVATION,
    MUNICIPALITY,
    PROJECTS,
    PROVINCE,
)

SHEET_SCHEMA: Final = "matchmaker.review-sheet/1"
REVIEW_SHEET: Final = "Beoordeling"
LEGEND_SHEET: Final = "Toelichting"
META_SHEET: Final = "_meta"

# columns of the long `Reviews.ratings` frame
REVIEWER: Final = "reviewer"
ITEM: Final = "item"
RATING: Final = "rating"
COMMENT: Final = "comment"
RATING_COLUMNS: Final = (REVIEWER, CANDIDATE_ID, ITEM, RATING, COMMENT)

METHODS: Final = ("mean", "median", "leniency")
Method = Literal["mean", "median", "leniency"]

# The sheet's columns: (field key, catalogue label of the header, width). Rubric items go between
# the texts and the comment. The headers are recorded on the hidden _meta sheet, so a sheet in any
# language reads back.
_TEXT_COLUMNS: Final = (
    (CANDIDATE_ID, "review_candidate", 12.0),
    (MUNICIPALITY, "municipality", 22.0),
    (PROVINCE, "province", 16.0),
    (MOTIVATION, "motivation", 60.0),
    (PROJECTS, "review_projects", 60.0),
)
_COMMENT_COLUMN: Final = (COMMENT, "review_comment", 40.0)
_ITEM_WIDTH: Final = 16.0
_ITEM_PREFIX: Final = "item:"

# Excel's own limits: a longer validation text makes Excel "repair" the file.
_MAX_PROMPT_CHARS: Final = 250
_MAX_TITLE_CHARS: Final = 32
_MAX_ROW_HEIGHT: Final = 409.0
_LINE_HEIGHT: Final = 15.0
_MAX_PROBLEMS_SHOWN: Final = 25

_HEADER_FILL: Final = PatternFill("solid", start_color="D9E1F2")
_INPUT_FILL: Final = PatternFill("solid", start_color="FFF2CC")
_WRAP_TOP: Final = Alignment(wrap_text=True, vertical="top")
_FONT: Final = "Calibri"  # named on every styled cell: without a name LibreOffice falls back to a serif
_INPUT_BORDER: Final = Border(*(Side(style="thin", color="BF9000"),) * 4)  # left, right, top, bottom
_CENTER_TOP: Final = Alignment(horizontal="center", vertical="top")


# --- writing ---------------------------------------------------------------------------------------


def reviewable(candidates: pd.DataFrame) -> pd.DataFrame:
    """The eligible candidates a reviewer rates, by municipality; ReviewError if there are none."""
    missing = [c for c, _, _ in _TEXT_COLUMNS if c not in candidates.columns]
    if missing:
        raise ReviewError(f"the candidates table lacks the column(s) {', '.join(missing)}")
    frame = candidates.copy()
    if ELIGIBLE in frame.columns:
        frame = frame[frame[ELIGIBLE].eq(True)]
    frame = frame[frame[CANDIDATE_ID].map(clean_text) != ""]
    if frame.empty:
        raise ReviewError("there are no eligible candidates to review")
    ids = frame[CANDIDATE_ID].map(clean_text)
    doubled = sorted(set(ids[ids.duplicated()]))
    if doubled:
        raise ReviewError(f"candidate id(s) {', '.join(doubled)} appear more than once among the eligible")
    frame = frame.assign(**{CANDIDATE_ID: ids})
    order = frame[MUNICIPALITY].map(clean_text).str.casefold()
    return frame.assign(_order=order).sort_values(["_order", CANDIDATE_ID]).drop(columns="_order")


def _item_label(item: RubricItem, lang: str) -> str:
    """A rubric item's label in `lang` where the criteria file gives it (`label_fr`), else as written."""
    return clean_text(item.labels.get(lang) or item.label) or item.key


def _columns(rubric: Sequence[RubricItem], lang: str) -> list[tuple[str, str, float]]:
    texts = [(key, label(name, lang), width) for key, name, width in _TEXT_COLUMNS]
    items = [(_ITEM_PREFIX + item.key, _item_label(item, lang), _ITEM_WIDTH) for item in rubric]
    key, name, width = _COMMENT_COLUMN
    return [*texts, *items, (key, label(name, lang), width)]


def _row_height(texts: Iterable[tuple[str, float]]) -> float:
    """Enough height for the wrapped texts; Excel does not grow rows for wrapped text in a file."""
    lines = 1
    for text, width in texts:
        # A column width counts "0" digits; ordinary text fits slightly more characters.
        per_line = max(1, int(width * 1.15))
        count = sum(max(1, len(textwrap.wrap(part, per_line))) for part in text.split("\n"))
        lines = max(lines, count)
    return min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 4)


def rubric_scale(criteria: Criteria) -> tuple[int, int]:
    """The rubric's scale (low, high); ReviewError if it is no range or there is no rubric."""
    low, high = (int(criteria.rubric_scale[0]), int(criteria.rubric_scale[1]))
    if low >= high:
        raise ReviewError(f"the rubric scale {low}-{high} of the criteria is not a range")
    if not criteria.rubric:
        raise ReviewError("the criteria file has no rubric items ([rubric.items]) to review")
    return low, high


def _build_workbook(
    candidates: pd.DataFrame,
    criteria: Criteria,
    reviewer: str,
    filled: Mapping[tuple[str, str], int] | None = None,
    comments: Mapping[str, str] | None = None,
    lang: str = "nl",
) -> Workbook:
    low, high = rubric_scale(criteria)
    frame = reviewable(candidates)
    columns = _columns(criteria.rubric, lang)
    item_at = {key: i for i, (key, _, _) in enumerate(columns, start=1)}
    comment_col = len(columns)
    last_row = len(frame) + 1

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = REVIEW_SHEET
    header_lines = 2
    for col, (_key, header, width) in enumerate(columns, start=1):
        _put_text(ws, 1, col, header)
        cell = ws.cell(row=1, column=col)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        # wide enough for the header's longest word: it wraps between words, never inside one
        width = max(width, header_width(header))
        ws.column_dimensions[get_column_letter(col)].width = width
        header_lines = max(header_lines, wrapped_lines(header, width))
    ws.row_dimensions[1].height = header_lines * _LINE_HEIGHT + 4
    ws.freeze_panes = "C2"

    for item in criteria.rubric:
        col = item_at[_ITEM_PREFIX + item.key]
        description = clean_text(item.descriptions.get(lang) or item.description)
        if description:
            ws.cell(row=1, column=col).comment = Comment(description, "matchmaker", height=120, width=240)
        letter = get_column_letter(col)
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop",
            errorTitle=sentence("review_invalid_title", lang)[:_MAX_TITLE_CHARS],
            error=sentence("review_invalid", lang, low=low, high=high)[:_MAX_PROMPT_CHARS],
            promptTitle=_item_label(item, lang)[:_MAX_TITLE_CHARS],
            prompt=(description or sentence("review_prompt", lang, low=low, high=high))[:_MAX_PROMPT_CHARS],
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(validation)

    for row, record in enumerate(frame.to_dict("records"), start=2):
        cid = str(record[CANDIDATE_ID])
        widths = []
        for col, (key, _, width) in enumerate(_TEXT_COLUMNS, start=1):
            text = clean_text(record.get(key))
            if key == PROVINCE and text:
                text = code_label(text, lang)  # "Flandre-Orientale" on a French sheet
            _put_text(ws, row, col, text)
            ws.cell(row=row, column=col).alignment = _WRAP_TOP
            widths.append((text, width))
        for item in criteria.rubric:
            cell = ws.cell(row=row, column=item_at[_ITEM_PREFIX + item.key])
            if filled is not None and (cid, item.key) in filled:
                cell.value = int(filled[cid, item.key])
            cell.protection = Protection(locked=False)
            cell.fill = _INPUT_FILL
            cell.border = _INPUT_BORDER
            cell.alignment = _CENTER_TOP
        note = clean_text((comments or {}).get(cid, ""))
        if note:
            _put_text(ws, row, comment_col, note)
        cell = ws.cell(row=row, column=comment_col)
        cell.protection = Protection(locked=False)
        cell.fill = _INPUT_FILL
        cell.border = _INPUT_BORDER
        cell.alignment = _WRAP_TOP
        ws.row_dimensions[row].height = _row_height(widths)

    # Some reviewers read on paper: landscape, all columns on one page width, the header on every page.
    print_landscape(ws)
    ws.print_title_rows = "1:1"

    ws.protection.sheet = True
    # Reviewers may still resize rows and columns to read long motivations.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    _add_legend(wb, criteria, reviewer, low, high, lang)
    _add_meta(wb, criteria, reviewer, columns, low, high)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = wb.sheetnames.index(LEGEND_SHEET)  # a reviewer reads the instructions first
    ws.sheet_view.tabSelected = False
    wb.properties.keywords = SHEET_SCHEMA  # how the engine knows its own sheet before replacing it
    return wb


def _add_legend(wb: Workbook, criteria: Criteria, reviewer: str, low: int, high: int, lang: str) -> None:
    ws = wb.create_sheet(LEGEND_SHEET)
    lines = [
        sentence("review_title", lang, name=clean_text(criteria.name_in(lang))),
        sentence("review_reviewer", lang, reviewer=reviewer),
        "",
        sentence("review_how", lang, sheet=quoted(REVIEW_SHEET, lang), low=low, high=high),
        sentence("review_blank", lang),
        sentence("partner_sheet_cells", lang),
        "",
    ]
    for row, line in enumerate(lines, start=1):
        if line:
            _put_text(ws, row, 1, line)
    ws.cell(row=1, column=1).font = Font(name=_FONT, bold=True, size=13)
    header_row = len(lines) + 1
    for col, header in enumerate((label("review_item", lang), label("description", lang)), start=1):
        _put_text(ws, header_row, col, header)
        ws.cell(row=header_row, column=col).font = Font(name=_FONT, bold=True)
        ws.cell(row=header_row, column=col).fill = _HEADER_FILL
    for row, item in enumerate(criteria.rubric, start=header_row + 1):
        _put_text(ws, row, 1, _item_label(item, lang))
        _put_text(ws, row, 2, clean_text(item.descriptions.get(lang) or item.description))
        ws.cell(row=row, column=1).alignment = _WRAP_TOP
        ws.cell(row=row, column=2).alignment = _WRAP_TOP
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    # the instructions print on one landscape page
    print_landscape(ws, pages_high=1)
    ws.protection.sheet = True


def _add_meta(
    wb: Workbook,
    criteria: Criteria,
    reviewer: str,
    columns: Sequence[tuple[str, str, float]],
    low: int,
    high: int,
) -> None:
    ws = wb.create_sheet(META_SHEET)
    rows = [
        ("schema", SHEET_SCHEMA),
        ("reviewer", reviewer),
        ("criteria", clean_text(criteria.name)),
        ("scale_min", str(low)),
        ("scale_max", str(high)),
    ]
    # The column layout and headers as written: reading back checks the sheet against it.
    rows += [(f"column:{key}", header) for key, header, _ in columns]
    for row, (key, value) in enumerate(rows, start=1):
        _put_text(ws, row, 1, key)
        _put_text(ws, row, 2, value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def typed_ratings(path: Path) -> str | None:
    """Why the file at `path` must not be replaced by a new reviewer sheet: it is not one the engine
    wrote, or it holds ratings or comments. None for an untouched sheet."""
    from .errors import MatchmakerError
    from .files import read_workbook

    try:
        sheets = {sheet.name: sheet for sheet in read_workbook(path, what="reviewer sheet")}
        meta = {str(row[0]): row[1] for row in sheets[META_SHEET].load() if len(row) > 1}
        rows = sheets[REVIEW_SHEET].load() if REVIEW_SHEET in sheets else []
    except (MatchmakerError, KeyError):
        return "is not a reviewer sheet matchmaker wrote"
    if meta.get("schema") != SHEET_SCHEMA:
        return "is not a reviewer sheet matchmaker wrote"
    keys = [key.removeprefix("column:") for key in meta if key.startswith("column:")]
    typed = [j for j, key in enumerate(keys) if key == COMMENT or key.startswith(_ITEM_PREFIX)]
    count = sum(1 for row in rows[1:] for j in typed if j < len(row) and str(row[j]).strip())
    return f"holds {count} rating(s) or comment(s)" if count else None


def _check_reviewer(reviewer: str) -> str:
    name = " ".join(clean_text(reviewer).split())
    if not name:
        raise ReviewError("the reviewer name is empty; give --reviewer NAME")
    return name


def _save_atomic(wb: Workbook, out: Path, inputs: Iterable[Path | str], force: bool) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"{out}: a review sheet must be an .xlsx file")
    return save_workbook(wb, out, inputs=inputs, force=force, judge=typed_ratings)


def write_review_sheet(
    candidates: pd.DataFrame,
    criteria: Criteria,
    reviewer: str,
    out: Path,
    *,
    inputs: Iterable[Path | str] = (),
    filled: Mapping[tuple[str, str], int] | None = None,
    comments: Mapping[str, str] | None = None,
    lang: str = "nl",
    force: bool = False,
) -> Path:
    """Write the rubric workbook for one reviewer: one row per eligible candidate, atomically.

    `inputs` are files the output must not overwrite (the form export it was made from); `filled`
    ratings by (candidate id, item) and `comments` by candidate id, for a sheet handed in already;
    `lang` the language of its headers and instructions (the sheet names stay Dutch). An existing
    `out` holding ratings or comments, or not a reviewer sheet of the engine, is replaced only with
    `force`.
    """
    name = _check_reviewer(reviewer)
    if lang not in LANGS:
        raise OutputError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    workbook = _build_workbook(candidates, criteria, name, filled, comments, lang)
    return _save_atomic(workbook, Path(out), inputs, force)


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

    def __init__(self, problems: Sequence[ReviewProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(problems_text(self.problems, "reviewer sheet"))


def problems_text(problems: Sequence[ReviewProblem], kind: str) -> str:
    """One problem as its one line (file, where, what); more as a count and a list of them."""
    if len(problems) == 1:
        return str(problems[0])
    shown = [f"  {p}" for p in problems[:_MAX_PROBLEMS_SHOWN]]
    if len(problems) > _MAX_PROBLEMS_SHOWN:
        shown.append(f"  ... and {len(problems) - _MAX_PROBLEMS_SHOWN} more")
    files = len({p.path for p in problems})
    return "\n".join([f"{len(problems)} problem(s) in {files} {kind}(s):", *shown])


@dataclass(frozen=True)
class _Sheet:
    path: Path
    reviewer: str
    rows: list[dict[str, Any]]  # candidate_id, row, ratings {item: int}, comment


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
    items_in_sheet = [k.removeprefix(_ITEM_PREFIX) for k in keys if k.startswith(_ITEM_PREFIX)]
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
    rated = [(key, col_of[_ITEM_PREFIX + key]) for key in expected_items]
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
        rows.append({CANDIDATE_ID: cid, "row": r, "ratings": ratings, COMMENT: comment})
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
) -> Reviews:
    """Read filled reviewer sheets (files, or folders of *.xlsx) and check them against the candidates.

    Every problem of every sheet is collected and raised together as one `ReviewSheetError`.
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
    if problems:
        raise ReviewSheetError(problems)
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
                comment_records.append({REVIEWER: sheet.reviewer, CANDIDATE_ID: cid, COMMENT: row[COMMENT]})
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
        comments=pd.DataFrame.from_records(comment_records, columns=[REVIEWER, CANDIDATE_ID, COMMENT]),
        sources={sheet.reviewer: sheet.path for sheet in sheets},
        notes=tuple(review_note_text(facts, "en") for facts in notes),
        note_facts=tuple(notes),
    )


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

    @property
    def reviewers(self) -> tuple[str, ...]:
        """Everyone who handed in a sheet, in reading order, then anyone else with ratings."""
        return tuple(dict.fromkeys([*self.sources, *self.ratings[REVIEWER]]))

    def _index(self) -> list[str]:
        known = set(self.candidate_ids)
        extra = [c for c in dict.fromkeys(self.ratings[CANDIDATE_ID]) if c not in known]
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
        grouped = self.ratings.groupby([CANDIDATE_ID, ITEM])[RATING]
        pooled = grouped.mean() if method == "mean" else grouped.median()
        table = pooled.astype(float).unstack(ITEM) if len(pooled) else pd.DataFrame(index=index)
        table = table.reindex(index=index, columns=list(self.items)).astype(float)
        table.columns.name = None
        return table

    def _leniency(self, item: str) -> tuple[pd.Series, pd.Series]:
        rows = self.ratings[self.ratings[ITEM] == item]
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
            rows = self.ratings[self.ratings[ITEM] == item]
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
        groups = self.ratings.groupby([CANDIDATE_ID, ITEM], sort=False).ngroup().to_numpy()
        ratings = self.ratings[RATING].to_numpy()
        for group in np.flatnonzero(disagreeing(groups, ratings, threshold)):
            rows = self.ratings[groups == group]
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
            rows = self.ratings[self.ratings[ITEM] == item]
            table = rows.pivot_table(index=REVIEWER, columns=CANDIDATE_ID, values=RATING, aggfunc="first")
            result[item] = krippendorff_alpha(table.to_numpy(dtype=float), metric)
        return result

    def summary(self, threshold: int = DISAGREEMENT_POINTS) -> list[str]:
        """Readable lines on who reviewed, how well reviewers agree and where they differ."""
        reviewers = self.reviewers
        lines = [
            f"Reviews: {len(self.ratings)} rating(s) by {len(reviewers)} reviewer(s) "
            f"({'; '.join(reviewers)}) on {self.ratings[CANDIDATE_ID].nunique()} candidate(s)."
        ]
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
        elif len(self.ratings):
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
        """What the audit trail keeps of the reviews: sources, agreement, disagreements, notes."""
        return {
            "reviewers": list(self.reviewers),
            "sources": {r: str(p) for r, p in self.sources.items()},
            "ratings": len(self.ratings),
            "agreement": {k: (None if math.isnan(a) else a) for k, a in self.agreement().items()},
            "disagreements": self.disagreements(),
            "notes": list(self.notes),
        }
