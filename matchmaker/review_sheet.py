"""The reviewer sheet: the protected rubric workbook a reviewer fills in, one row per eligible candidate,
with a column to declare a conflict of interest and one to agree that the comment is shared.

`reviews` reads it back; the layout and its names live here, beside the writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final, Literal

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import RATING_FONT, RATING_HEADER_FILL, header_row, print_across, print_landscape, wrapped_lines
from .cells import put_text as _put_text
from .cells import trimmed_text as clean_text
from .criteria import Criteria, RubricItem
from .errors import OutputError, ReviewError
from .files import save_workbook
from .i18n import LANGS, code_label, label, quoted, sentence
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
CONFLICT: Final = "conflict"  # the reviewer declares a conflict of interest with the candidate
SHARE: Final = "share"  # the reviewer agrees that the comment is quoted in the candidate's letter
RATING_COLUMNS: Final = (REVIEWER, CANDIDATE_ID, ITEM, RATING, COMMENT)

METHODS: Final = ("mean", "median", "leniency")
Method = Literal["mean", "median", "leniency"]

# The sheet's columns: (field key, catalogue label of the header, width). Rubric items go between
# the texts and the conflict, comment and consent columns. The headers are recorded on the hidden
# _meta sheet, so a sheet in any language reads back.
_TEXT_COLUMNS: Final = (
    (CANDIDATE_ID, "review_candidate", 12.0),
    (MUNICIPALITY, "municipality", 22.0),
    (PROVINCE, "province", 16.0),
    (MOTIVATION, "motivation", 55.0),
    (PROJECTS, "review_projects", 55.0),
)
_COMMENT_COLUMN: Final = (COMMENT, "review_comment", 40.0)
_CONFLICT_COLUMN: Final = (CONFLICT, "review_conflict_column", 14.0)
_SHARE_COLUMN: Final = (SHARE, "review_share_column", 16.0)
_ITEM_WIDTH: Final = 16.0
ITEM_PREFIX: Final = "item:"

# Excel's own limits: a longer validation text makes Excel "repair" the file.
_MAX_PROMPT_CHARS: Final = 250
_MAX_TITLE_CHARS: Final = 32
_MAX_ROW_HEIGHT: Final = 409.0
_LINE_HEIGHT: Final = 15.0

_HEADER_FILL: Final = PatternFill("solid", start_color=RATING_HEADER_FILL)
_INPUT_FILL: Final = PatternFill("solid", start_color="FFF2CC")
_WRAP_TOP: Final = Alignment(wrap_text=True, vertical="top")
_FONT: Final = RATING_FONT
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
    def named(columns: Iterable[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
        return [(key, label(name, lang), width) for key, name, width in columns]

    items = [(ITEM_PREFIX + item.key, _item_label(item, lang), _ITEM_WIDTH) for item in rubric]
    return [*named(_TEXT_COLUMNS), *items, *named((_CONFLICT_COLUMN, _COMMENT_COLUMN, _SHARE_COLUMN))]


def _row_height(texts: Iterable[tuple[str, float]]) -> float:
    """Enough height for the wrapped texts; Excel does not grow rows for wrapped text in a file."""
    lines = max((wrapped_lines(text, width) for text, width in texts), default=1)
    return min(_MAX_ROW_HEIGHT, max(lines, 2) * _LINE_HEIGHT + 4)


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
    conflicts: Iterable[str] = (),
    shared: Iterable[str] = (),
    lang: str = "nl",
) -> Workbook:
    low, high = rubric_scale(criteria)
    frame = reviewable(candidates)
    columns = _columns(criteria.rubric, lang)
    item_at = {key: i for i, (key, _, _) in enumerate(columns, start=1)}
    comment_col = item_at[COMMENT]
    conflicted, sharing = set(conflicts), set(shared)
    last_row = len(frame) + 1

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = REVIEW_SHEET
    header_row(ws, [(header, width) for _key, header, width in columns], lines=2)

    for item in criteria.rubric:
        col = item_at[ITEM_PREFIX + item.key]
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
    for key, choices in ((CONFLICT, "ja"), (SHARE, "ja,nee")):
        letter = get_column_letter(item_at[key])
        validation = DataValidation(
            type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=True, errorStyle="stop"
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
            cell = ws.cell(row=row, column=item_at[ITEM_PREFIX + item.key])
            if filled is not None and (cid, item.key) in filled:
                cell.value = int(filled[cid, item.key])
            cell.protection = Protection(locked=False)
            cell.fill = _INPUT_FILL
            cell.border = _INPUT_BORDER
            cell.alignment = _CENTER_TOP
        note = clean_text((comments or {}).get(cid, ""))
        if note:
            _put_text(ws, row, comment_col, note)
            widths.append((note, _COMMENT_COLUMN[2]))
        if cid in conflicted:
            _put_text(ws, row, item_at[CONFLICT], "ja")
        if cid in sharing:
            _put_text(ws, row, item_at[SHARE], "ja")
        for key in (CONFLICT, COMMENT, SHARE):
            cell = ws.cell(row=row, column=item_at[key])
            cell.protection = Protection(locked=False)
            cell.fill = _INPUT_FILL
            cell.border = _INPUT_BORDER
            cell.alignment = _WRAP_TOP if key == COMMENT else _CENTER_TOP
        ws.row_dimensions[row].height = _row_height(widths)

    # Some reviewers read on paper: the texts on one landscape page, the ratings on the next, the
    # candidate and municipality repeated on both and the header on every page, all at 9 pt or more.
    print_across(ws, keep=2, parts=[len(_TEXT_COLUMNS) + 1])
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
        sentence("review_legend_conflict", lang, column=label(_CONFLICT_COLUMN[1], lang)),
        sentence("review_legend_share", lang, column=label(_SHARE_COLUMN[1], lang)),
        sentence("partner_sheet_cells", lang),
        "",
    ]
    page = 30 + 90  # the widths of the two columns below
    for row, line in enumerate(lines, start=1):
        if line:
            # across both columns and wrapped: an overflowing line would widen the printed page
            _put_text(ws, row, 1, line)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            ws.cell(row=row, column=1).alignment = _WRAP_TOP
            ws.row_dimensions[row].height = wrapped_lines(line, page) * _LINE_HEIGHT + 2
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
        needed = max(wrapped_lines(ws.cell(row=row, column=c).value, w) for c, w in ((1, 30), (2, 90)))
        ws.row_dimensions[row].height = needed * _LINE_HEIGHT + 2
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    # the instructions print on landscape pages at full size: their lines wrap within the page
    print_landscape(ws)
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
    typed = [
        j for j, key in enumerate(keys) if key in (COMMENT, CONFLICT, SHARE) or key.startswith(ITEM_PREFIX)
    ]
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
    conflicts: Iterable[str] = (),
    shared: Iterable[str] = (),
    lang: str = "nl",
    force: bool = False,
) -> Path:
    """Write the rubric workbook for one reviewer: one row per eligible candidate, atomically.

    `inputs` are files the output must not overwrite (the form export it was made from); `filled`
    ratings by (candidate id, item) and `comments` by candidate id, for a sheet handed in already;
    `conflicts` the candidate ids with a declared conflict of interest, `shared` those whose comment
    the reviewer agrees to share in the letter; `lang` the language of its headers and instructions
    (the sheet names stay Dutch). An existing `out` holding ratings or comments, or not a reviewer
    sheet of the engine, is replaced only with `force`.
    """
    name = _check_reviewer(reviewer)
    if lang not in LANGS:
        raise OutputError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    book = _build_workbook(candidates, criteria, name, filled, comments, conflicts, shared, lang)
    return _save_atomic(book, Path(out), inputs, force)
