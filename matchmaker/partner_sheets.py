"""Partner rating sheets out and back in: one protected workbook per partner, read back as ratings.

A Rwandan district or Beninese commune rates the candidates it may be paired with, 1-5 or "not
acceptable", in English or French; the filled sheets give the partners' side of the stability.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from . import schema as s
from .cells import (
    RATING_FONT,
    RATING_HEADER_FILL,
    header_row,
    print_across,
    print_landscape,
    put_text,
    wrapped_lines,
)
from .cells import trimmed_text as clean_text
from .criteria import Criteria
from .errors import OutputError, ReviewError
from .files import guard_existing, save_workbook
from .i18n import LANGS, code_label, label, sentence
from .reviews import ReviewProblem, municipalities, other_municipality, problems_text, review_files

SHEET_SCHEMA: Final = "matchmaker.partner-sheet/1"
META_SHEET: Final = "_meta"
COUNTRY_LANG: Final = {"Benin": "fr", "Rwanda": "en"}
RATING_SCALE: Final = (1, 5)

# The sheet's columns: (key, label key, width). The facts first, then the texts, then the inputs.
RATING: Final = "rating"
COMMENT: Final = "comment"
_FACT_COLUMNS: Final = (
    (s.CANDIDATE_ID, "refnis", 12.0),
    (s.MUNICIPALITY, "municipality", 20.0),
    (s.PROVINCE, "province", 16.0),
    (s.INVOLVED, "involvement", 26.0),
    (s.OTHER_ACTORS, "other_actors", 26.0),
    (s.THEMES, "themes", 24.0),
    (s.LANGUAGES, "languages", 16.0),
    (s.CITY_LINK, "city_link", 20.0),
    (s.MOTIVATION, "motivation_text", 42.0),
    (s.PROJECTS, "projects", 36.0),
)
_INPUT_COLUMNS: Final = ((RATING, "partner_rating", 18.0), (COMMENT, "partner_comment", 28.0))
_TEXTS_FROM: Final = [key for key, _, _ in _FACT_COLUMNS].index(s.MOTIVATION) + 1  # page 2 starts there
_MAX_ROW_HEIGHT: Final = 409.0  # Excel's limit
_GUIDE_WIDTH: Final = 110.0  # the instructions' one column

_HEADER_FILL: Final = PatternFill("solid", start_color=RATING_HEADER_FILL)
_FONT: Final = RATING_FONT
_INPUT_FILL: Final = PatternFill("solid", start_color="FFF2CC")
_WRAP_TOP: Final = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class PartnerRating:
    """One partner's rating of one candidate: 1-5, or None for "not acceptable"."""

    partner: str
    candidate_id: str
    rating: int | None
    comment: str = ""


# --- writing ---------------------------------------------------------------------------------------


def _items(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v) for v in value]


def sheet_lang(country: str, lang: str | None = None) -> str:
    """The language of a partner's sheet: `lang` when given, else French for Benin, English for Rwanda."""
    if lang is not None:
        if lang not in LANGS:
            raise ReviewError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
        return lang
    return COUNTRY_LANG.get(country, "en")


def rateable(candidates: pd.DataFrame, country: str, criteria: Criteria) -> pd.DataFrame:
    """The eligible candidates that may be paired with a partner of `country`: the country preference
    allows it and, where the country's language rule is hard, they speak one of its languages."""
    frame = candidates
    if s.ELIGIBLE in frame.columns:
        frame = frame[frame[s.ELIGIBLE].eq(True)]
    prefs = frame[s.COUNTRY_PREFERENCE].map(lambda v: None if not isinstance(v, str) else v)
    frame = frame[prefs.isna() | prefs.isin(["any", country])]
    rule = criteria.pairing.languages.get(country)
    if rule is not None and rule.mode == "hard":
        speaks = frame[s.LANGUAGES].map(lambda v: bool(set(_items(v)) & set(rule.any_of)))
        frame = frame[speaks.astype(bool)]
    order = frame[s.MUNICIPALITY].map(clean_text).str.casefold()
    return frame.assign(_order=order).sort_values(["_order", s.CANDIDATE_ID]).drop(columns="_order")


def _fact(key: str, value: Any, lang: str) -> str:
    if key in (s.INVOLVED, s.OTHER_ACTORS, s.THEMES, s.LANGUAGES):
        return ", ".join(code_label(code, lang) for code in _items(value))
    if key == s.CITY_LINK:
        if value is None or value != value:
            return ""
        return label("yes" if bool(value) else "no", lang)
    if key == s.PROVINCE:
        text = clean_text(value)
        return code_label(text, lang) if text else ""
    return clean_text(value)


def build_partner_sheet(
    candidates: pd.DataFrame,
    criteria: Criteria,
    partner: str,
    country: str,
    lang: str | None = None,
    filled: Mapping[str, int | None] | None = None,
    comments: Mapping[str, str] | None = None,
) -> Workbook:
    """The rating workbook of one partner (`filled`: ratings to put in, for sample sheets)."""
    lang = sheet_lang(country, lang)
    frame = rateable(candidates, country, criteria)
    if frame.empty:
        raise ReviewError(f"no eligible candidate may be paired with {partner} ({country})")
    columns = [*_FACT_COLUMNS, *_INPUT_COLUMNS]
    no_word = label("not_acceptable", lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = label("candidates_sheet", lang)
    widths = header_row(ws, [(label(label_key, lang), width) for _key, label_key, width in columns])
    rating_col = len(_FACT_COLUMNS) + 1
    last_row = len(frame) + 1
    letter = get_column_letter(rating_col)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join([*map(str, range(RATING_SCALE[0], RATING_SCALE[1] + 1)), no_word]) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=label("partner_rating", lang)[:32],
        error=sentence("partner_rating_error", lang)[:250],
    )
    validation.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(validation)
    for row, record in enumerate(frame.to_dict("records"), start=2):
        cid = str(record[s.CANDIDATE_ID])
        needed = 4  # lines: room for a short comment
        for col, (key, _, _) in enumerate(_FACT_COLUMNS, start=1):
            text = _fact(key, record.get(key), lang)
            put_text(ws, row, col, text)
            ws.cell(row=row, column=col).alignment = _WRAP_TOP
            needed = max(needed, wrapped_lines(text, widths[col - 1]))
        for col in (rating_col, rating_col + 1):
            cell = ws.cell(row=row, column=col)
            cell.protection = Protection(locked=False)
            cell.fill = _INPUT_FILL
            cell.alignment = _WRAP_TOP
        if filled is not None and cid in filled:
            value = filled[cid]
            if value is None:
                put_text(ws, row, rating_col, no_word)
            else:
                ws.cell(row=row, column=rating_col).value = int(value)
        note = clean_text((comments or {}).get(cid, ""))
        if note:
            put_text(ws, row, rating_col + 1, note)
        needed = max(needed, wrapped_lines(note, widths[rating_col]))
        ws.row_dimensions[row].height = min(_MAX_ROW_HEIGHT, needed * 15 + 4)
    # On paper: the facts on one landscape page, the texts with the rating and comment on the next,
    # the candidate and municipality repeated on both and the header on every page, at 9 pt or more.
    print_across(ws, keep=2, parts=[_TEXTS_FROM])
    ws.print_title_rows = "1:1"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    guide = wb.create_sheet(label("instructions_sheet", lang))
    lines = [
        sentence("partner_sheet_title", lang, partner=partner, country=code_label(country, lang)),
        clean_text(criteria.name_in(lang)),
        "",
        sentence("partner_sheet_intro", lang, partner=partner),
        sentence("partner_sheet_ties", lang),
        sentence("partner_sheet_texts", lang),
        sentence("partner_sheet_cells", lang),
    ]
    for row, line in enumerate(lines, start=1):
        if line:
            put_text(guide, row, 1, line)
            guide.cell(row=row, column=1).alignment = _WRAP_TOP
            guide.row_dimensions[row].height = wrapped_lines(line, _GUIDE_WIDTH) * 15 + 2
    guide.cell(row=1, column=1).font = Font(name=_FONT, bold=True, size=13)
    guide.column_dimensions["A"].width = _GUIDE_WIDTH
    print_landscape(guide)  # at full size: the column fits the page's width
    guide.protection.sheet = True

    meta = wb.create_sheet(META_SHEET)
    rows = [
        ("schema", SHEET_SCHEMA),
        ("partner", partner),
        ("country", country),
        ("lang", lang),
        ("criteria", clean_text(criteria.name)),
        ("sheet", ws.title),
        ("not_acceptable", no_word),
    ]
    rows += [(f"column:{key}", label(label_key, lang)) for key, label_key, _ in columns]
    for row, (key, value) in enumerate(rows, start=1):
        put_text(meta, row, 1, key)
        put_text(meta, row, 2, value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


def _partner_row(partners: pd.DataFrame, name: str) -> dict[str, Any]:
    from .form_mapping import fold

    for record in partners.to_dict("records"):
        if fold(str(record[s.PARTNER])) == fold(name):
            return {str(k): v for k, v in record.items()}
    known = ", ".join(str(p) for p in partners[s.PARTNER])
    raise ReviewError(f"no partner {name!r} in the partners file (partners: {known})")


def sheet_name(partner: str) -> str:
    """The file name of a partner's sheet in a folder: its name with only safe characters."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", partner).strip("-") + ".xlsx"


def write_partner_sheets(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    out: Path,
    *,
    partner: str | None = None,
    lang: str | None = None,
    inputs: Iterable[Path | str] = (),
    filled: Mapping[str, Mapping[str, int | None]] | None = None,
    force: bool = False,
) -> list[Path]:
    """Write one partner's sheet to `out` (an .xlsx), or with `partner=None` the sheet of every
    eligible partner into the folder `out`. Returns the files written. An existing sheet holding
    ratings or comments, or a file that is not a partner sheet of the engine, is replaced only
    with `force`; with `--all` every one is checked before any is written."""
    if partner is not None:
        record = _partner_row(partners, partner)
        if Path(out).suffix.lower() != ".xlsx":
            raise OutputError(f"{out}: a partner sheet must be an .xlsx file")
        name = str(record[s.PARTNER])
        wb = build_partner_sheet(candidates, criteria, name, str(record[s.COUNTRY]), lang)
        return [save_workbook(wb, Path(out), inputs=inputs, force=force, judge=typed_partner_ratings)]
    folder = Path(out)
    if folder.suffix.lower() == ".xlsx":
        raise OutputError(f"{out}: with --all, --out names a folder")
    rated = [
        (str(record[s.PARTNER]), str(record[s.COUNTRY]))
        for record in partners.to_dict("records")
        if not ("eligible" in record and not bool(record["eligible"]))
        and int(criteria.pairing.quotas.get(str(record[s.COUNTRY]), 0)) > 0
    ]
    for name, _ in rated:  # none written when one of them may not be replaced
        guard_existing(folder / sheet_name(name), force=force, judge=typed_partner_ratings)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, country in rated:
        wb = build_partner_sheet(
            candidates, criteria, name, country, lang, filled=None if filled is None else filled.get(name, {})
        )
        path = folder / sheet_name(name)
        written.append(save_workbook(wb, path, inputs=inputs, force=force, judge=typed_partner_ratings))
    return written


def typed_partner_ratings(path: Path) -> str | None:
    """Why the file at `path` must not be replaced by a new partner sheet: it is not one the engine
    wrote, or a partner typed ratings or comments in it. None for an untouched sheet."""
    from .errors import MatchmakerError
    from .files import read_workbook

    try:
        sheets = {sheet.name: sheet for sheet in read_workbook(path, what="partner sheet")}
        meta = {str(row[0]): row[1] for row in sheets[META_SHEET].load() if len(row) > 1}
        rows = sheets[str(meta.get("sheet"))].load()
    except (MatchmakerError, KeyError):
        return "is not a partner sheet matchmaker wrote"
    if meta.get("schema") != SHEET_SCHEMA:
        return "is not a partner sheet matchmaker wrote"
    keys = [key.removeprefix("column:") for key in meta if key.startswith("column:")]
    typed = [j for j, key in enumerate(keys) if key in (RATING, COMMENT)]
    count = sum(1 for row in rows[1:] for j in typed if j < len(row) and clean_text(row[j]))
    return f"holds {count} rating(s) or comment(s) of the partner" if count else None


# --- reading ---------------------------------------------------------------------------------------


class PartnerSheetError(ReviewError):
    """Partner sheets with problems; `problems` holds every one of them, file by file."""

    def __init__(self, problems: Sequence[ReviewProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(problems_text(self.problems, "partner sheet"))


def _not_acceptable_words() -> set[str]:
    from .form_mapping import fold

    return {fold(label("not_acceptable", lang)) for lang in LANGS} | {"x", "na", "n/a"}


def _parse(value: object, words: set[str]) -> tuple[int | None, bool, str | None]:
    """(rating, given, problem): a rating 1-5, None with given for "not acceptable"; empty: not given."""
    from .form_mapping import fold

    low, high = RATING_SCALE
    if value is None:
        return None, False, None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, False, None
        if fold(text) in words:
            return None, True, None
        if re.fullmatch(r"[+-]?\d+", text):
            value = int(text)
        else:
            return None, False, f"'{text[:40]}' is not a rating from {low} to {high} nor 'not acceptable'"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, False, f"'{value}' is not a rating from {low} to {high}"
    if isinstance(value, float) and not value.is_integer():
        return None, False, f"{value:g} is not a whole number from {low} to {high}"
    if not low <= int(value) <= high:
        return None, False, f"{int(value)} is outside the scale {low} to {high}"
    return int(value), True, None


def _cell_id(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


def _read_one(
    path: Path, known: Mapping[str, str] | None, partners: set[str] | None, problems: list[ReviewProblem]
) -> list[PartnerRating]:
    from .errors import MatchmakerError
    from .files import read_workbook

    try:  # the safe reader: .xlsx, .ods and .xls alike, within the size and extent limits
        sheets = {sheet.name: sheet for sheet in read_workbook(path, what="partner sheet", error=ReviewError)}
    except MatchmakerError as exc:  # a damaged or foreign file: say so and go on with the others
        problems.append(ReviewProblem(path, str(exc).removeprefix(f"{path}: ")))
        return []
    if META_SHEET not in sheets:
        problems.append(ReviewProblem(path, "is not a partner sheet (no hidden _meta sheet)"))
        return []
    meta: dict[str, str] = {}
    for key, value, *_ in ([*row, None, None] for row in sheets[META_SHEET].load()):
        if key is not None and key != "":
            meta[str(key)] = "" if value is None else str(value)
    if meta.get("schema") != SHEET_SCHEMA:
        problems.append(ReviewProblem(path, f"is not a partner sheet (schema {meta.get('schema')!r})"))
        return []
    partner = meta.get("partner", "")
    if partners is not None and partner not in partners:
        problems.append(ReviewProblem(path, f"partner {partner!r} is not in the partners file"))
    title = meta.get("sheet", "")
    if title not in sheets:
        problems.append(ReviewProblem(path, f"the sheet '{title}' is missing"))
        return []
    return _read_rows(path, sheets[title].load(), meta, known, partner, title, problems)


def _read_rows(
    path: Path,
    rows: list[list[object]],
    meta: Mapping[str, str],
    known: Mapping[str, str] | None,
    partner: str,
    title: str,
    problems: list[ReviewProblem],
) -> list[PartnerRating]:
    expected = [v for k, v in meta.items() if k.startswith("column:")]
    keys = [k.removeprefix("column:") for k in meta if k.startswith("column:")]
    header = [clean_text(v) for v in (rows[0] if rows else ())][: len(expected)]
    if header != expected:
        problems.append(ReviewProblem(path, "the column headers were changed", sheet=title, row=1))
        return []
    at = {k: i for i, k in enumerate(keys)}
    words = _not_acceptable_words()
    out: list[PartnerRating] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (len(keys) - len(row))
        cid = _cell_id(cells[at[s.CANDIDATE_ID]])
        raw = cells[at[RATING]]
        rating, given, problem = _parse(raw, words)
        if not cid:
            if given or problem:
                problems.append(ReviewProblem(path, "a rating without a candidate", title, row_number))
            continue
        if known is not None and cid not in known:
            problems.append(ReviewProblem(path, f"unknown candidate {cid!r}", title, row_number))
            continue
        if cid in seen:
            problems.append(
                ReviewProblem(
                    path, f"candidate {cid} appears again (first in row {seen[cid]})", title, row_number
                )
            )
            continue
        written = cells[at[s.MUNICIPALITY]] if s.MUNICIPALITY in at and known is not None else None
        if known is not None and (contradiction := other_municipality(cid, written, known)):
            column = get_column_letter(at[s.MUNICIPALITY] + 1)
            problems.append(ReviewProblem(path, contradiction, title, row_number, column))
            continue
        seen[cid] = row_number
        if problem:
            problems.append(
                ReviewProblem(path, problem, title, row_number, get_column_letter(at[RATING] + 1))
            )
            continue
        if given:
            out.append(PartnerRating(partner, cid, rating, clean_text(cells[at[COMMENT]])))
    return out


def read_partner_ratings(
    paths: Path | str | Iterable[Path | str],
    candidates: pd.DataFrame | None = None,
    partners: pd.DataFrame | None = None,
) -> list[PartnerRating]:
    """The ratings in the partner sheets at `paths` (files, or folders of .xlsx), in file order.

    PartnerSheetError lists every problem of every file with its row: not a partner sheet, changed
    headers, an unknown or doubled candidate, a rating that is not 1-5 or "not acceptable", two
    sheets of one partner. Unrated rows are left out.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    given = [Path(p) for p in paths]
    problems: list[ReviewProblem] = [
        ReviewProblem(p, "no such file or folder") for p in given if not p.exists()
    ]
    files = review_files([p for p in given if p.exists()])
    known = None if candidates is None else municipalities(candidates)
    names = None if partners is None else set(partners[s.PARTNER].astype(str))
    out: list[PartnerRating] = []
    first: dict[str, Path] = {}
    for path in files:
        got = _read_one(path, known, names, problems)
        for partner in {r.partner for r in got}:
            if partner in first:
                problems.append(ReviewProblem(path, f"a second sheet of {partner} (first: {first[partner]})"))
            first.setdefault(partner, path)
        out.extend(got)
    if problems:
        raise PartnerSheetError(problems)
    return out
