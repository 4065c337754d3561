"""Form export -> a clean candidates table (one row per submission) and the intake report.

Reads the .xlsx or .csv export through the column mapping in `criteria/form-mapping.toml`,
normalises the answers, resolves each municipality, keeps the latest submission per municipality
and decides eligibility. Every unusable file raises `IntakeError`; every doubtful answer is an issue.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from . import answers
from . import form_mapping as fm
from . import schema as s
from .criteria import Eligibility
from .errors import CriteriaError, IntakeError
from .files import WORKBOOK_SUFFIXES, Sheet, collector_paused, decode_text, read_input, read_workbook
from .files import sniff as _sniff
from .i18n.wording import issue_text, reason_text
from .jsonout import whole_seconds
from .reference import Resolution, resolve

# The candidate record, column by column, in this order.
CANDIDATE_COLUMNS: Final = (
    s.CANDIDATE_ID,
    s.SUBMISSION_ID,
    s.STARTED,
    s.COMPLETED,
    s.RESPONDENT_EMAIL,
    s.RESPONDENT,
    s.NAME_AS_WRITTEN,
    s.MUNICIPALITY,
    s.REFNIS,
    s.PROVINCE,
    s.RESOLUTION,
    s.RESOLUTION_NOTE,
    s.RESOLUTION_FACTS,
    s.CONTACT_NAME,
    s.CONTACT_FUNCTION,
    s.CONTACT_EMAIL,
    s.COUNTRY_PREFERENCE,
    s.MOTIVATION,
    s.PROJECTS,
    s.INVOLVED,
    s.OTHER_ACTORS,
    s.OTHER_ACTORS_OTHER,
    s.THEMES,
    s.CITY_LINK,
    s.CITY_LINK_PARTNER,
    *s.COMMITMENTS,
    s.LANGUAGES,
    s.BOARD_APPROVAL,
    s.EQUAL_BASIS_RATING,
    s.SUPERSEDED_BY,
    s.ELIGIBLE,
    s.REASONS,
    s.REASON_CODES,
)

# Issue kinds, so a summary can count them.
ISSUE_KIND: Final = s.ISSUE_KIND
MISSING_COLUMN: Final = "missing-column"
NAME_UNRESOLVED: Final = "name-unresolved"
NAME_NOT_FLEMISH: Final = "name-not-flemish"
NAME_LOW_CONFIDENCE: Final = "name-low-confidence"
DUPLICATE: Final = "superseded"
BAD_ID: Final = "bad-id"
SKIPPED_ROWS: Final = "skipped-rows"
OTHER_SHEET: Final = "other-sheet"
TIME_ORDER: Final = "time-order"
SAME_TIME: Final = "same-completion-time"
DATE_ORDER: Final = "date-order"
ROW_SHAPE: Final = "row-shape"
ENCODING: Final = "encoding"
IMPLAUSIBLE_DATE: Final = "implausible-date"
ISSUE_KINDS: Final = (
    MISSING_COLUMN,
    answers.UNANSWERED,
    answers.UNREADABLE,
    answers.UNKNOWN_OPTION,
    answers.FORMULA_TEXT,
    NAME_UNRESOLVED,
    NAME_NOT_FLEMISH,
    NAME_LOW_CONFIDENCE,
    DUPLICATE,
    BAD_ID,
    SKIPPED_ROWS,
    OTHER_SHEET,
    TIME_ORDER,
    SAME_TIME,
    DATE_ORDER,
    ROW_SHAPE,
    ENCODING,
    IMPLAUSIBLE_DATE,
)
# The `variant` an issue's params may carry per kind (the facts differ): each is worded on its own.
ISSUE_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    answers.UNANSWERED: ("date", "name", "answer"),
    answers.UNREADABLE: ("date", "yes_no", "rating"),
    answers.UNKNOWN_OPTION: ("choice", "multi"),
    DUPLICATE: ("again", "merger"),
    BAD_ID: ("missing", "repeated"),
    OTHER_SHEET: ("read_from", "sheet"),
    DATE_ORDER: ("proven", "either"),
    IMPLAUSIBLE_DATE: ("future", "early"),
}
# A completion or edit time outside these bounds is wrong (a clock, a typo): it is reported and
# never decides which submission is the latest.
EARLIEST_DATE: Final = dt.datetime(2000, 1, 1)
FUTURE_MARGIN: Final = dt.timedelta(days=1)
# The column that orders a municipality's submissions, built from the plausible times only.
_LATEST: Final = "_latest"

XLSX_SUFFIXES: Final = WORKBOOK_SUFFIXES
# A form export of 100,000 submissions is some 60 MB; far beyond that it is not one.
MAX_FORM_BYTES: Final = 512 * 1024 * 1024
CSV_SUFFIXES: Final = (".csv",)

# --- reading cells ----------------------------------------------------------------------------------


def _display(value: object) -> str:
    text = fm.answer_text(value)
    return "" if text is None else text


@dataclass
class _Issues:
    items: list[dict[str, Any]] = field(default_factory=list)
    # the English problem per kind and facts: a sentence depends on nothing else, and facts repeat
    # (a municipality submitted again and again, the same answer unreadable in many rows)
    worded: dict[str, str] = field(default_factory=dict, repr=False)

    def add(
        self,
        submission: int | None,
        column: str | None,
        value: object,
        kind: str,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        """An issue of `kind` with its facts, `params`; its `problem` is those facts worded in English."""
        issue: dict[str, Any] = {
            "submission_id": submission,
            "column": column,
            "value": _display(value) if value is not None else None,
            "problem": None,
            ISSUE_KIND: kind,
            s.ISSUE_PARAMS: dict(params or {}),
        }
        key = kind + repr(issue[s.ISSUE_PARAMS])
        issue["problem"] = _worded_once(self.worded, key, lambda: issue_text(issue, "en"), issue)
        self.items.append(issue)


def _worded_once(memo: dict[str, str], key: str, word: Callable[[], str | None], facts: object) -> str:
    """`word()` for facts whose `key` (their repr, which tells 1 from True and 1.0) is new to
    `memo`, else the sentence worded before: a sentence depends on its facts alone."""
    text = memo.get(key)
    if text is None:
        text = memo[key] = _english(word(), facts)
    return text


def _english(text: str | None, facts: object) -> str:
    """A sentence worded from intake's own facts: every kind and code has one in the catalogue."""
    if text is None:
        raise ValueError(f"no sentence for {facts!r}")
    return text


# --- reading the file ----------------------------------------------------------------------------


def _read_csv(path: Path, data: bytes) -> tuple[list[list[object]], str]:
    kind = _sniff(path, data[:8])
    if kind == "zip":
        raise IntakeError(f"{path}: this is an .xlsx workbook (zip archive) with a .csv name: name it .xlsx")
    if kind == "ole":
        raise IntakeError(f"{path}: this is an Excel (.xls) or encrypted workbook, not CSV text")
    text, encoding = decode_text(path, data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    # Strict: a stray quote would otherwise swallow every later row into one cell, and those
    # submissions would vanish without a word.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[object]] = []
    start = 1
    try:
        for row in reader:
            rows.append(list(row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise IntakeError(
            f"{path}: not valid CSV in the row starting on line {start} ({exc}); "
            "a quote left open there would hide the rows after it"
        ) from None
    return rows, encoding


def _read_rows(path: Path) -> tuple[list[Sheet], str, str]:
    if not path.exists() and not path.is_symlink():
        raise IntakeError(f"{path}: file not found")
    if path.is_dir():
        raise IntakeError(f"{path}: is a directory, not a form export (.xlsx, .ods or .csv)")
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES:
        raise IntakeError(
            f"{path}: unsupported file type {suffix or '(no extension)'!r}: "
            "expected a .xlsx or .csv form export (or .ods, .xls)"
        )
    data = read_input(path, what="form export", limit=MAX_FORM_BYTES)
    if not data:
        raise IntakeError(f"{path}: the file is empty (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()
    if suffix in XLSX_SUFFIXES:
        return read_workbook(path, what="form export", limit=MAX_FORM_BYTES), digest, "UTF-8"
    rows, encoding = _read_csv(path, data)
    return [Sheet(path.name, True, lambda: rows)], digest, encoding


# --- the result --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeResult:
    """The candidates table (one row per submission, every schema field) and what intake noticed."""

    candidates: pd.DataFrame
    issues: list[dict[str, Any]]
    path: Path
    sha256: str
    mapping: str | None = None
    blank_rows: int = 0

    def eligible(self) -> pd.DataFrame:
        """Only the eligible candidates (the submission that counts, every hard rule met)."""
        return self.candidates[self.candidates[s.ELIGIBLE]].copy()

    def summary(self) -> dict[str, Any]:
        frame = self.candidates
        counting = frame[frame[s.SUPERSEDED_BY].isna()]
        return {
            "submissions": len(frame),
            "candidates": int(counting[s.REFNIS].notna().sum()),
            "eligible": int(frame[s.ELIGIBLE].sum()),
            "superseded": int(frame[s.SUPERSEDED_BY].notna().sum()),
            "blank_rows_dropped": self.blank_rows,
            "resolution": {k: int(v) for k, v in frame[s.RESOLUTION].value_counts().sort_index().items()},
            "country_preference": {
                str(k): int(v)
                for k, v in frame.loc[frame[s.ELIGIBLE], s.COUNTRY_PREFERENCE]
                .fillna("none")
                .value_counts()
                .sort_index()
                .items()
            },
            "issues": dict(sorted(Counter(i[ISSUE_KIND] for i in self.issues).items())),
        }

    def overview(self, limit: int | None = None) -> list[dict[str, Any]]:
        """One short line's worth per submission (the first `limit` ones), in export order: for printing."""
        columns = [
            s.SUBMISSION_ID,
            s.NAME_AS_WRITTEN,
            s.MUNICIPALITY,
            s.PROVINCE,
            s.RESOLUTION,
            s.COUNTRY_PREFERENCE,
            s.ELIGIBLE,
            s.REASONS,
        ]
        rows = []
        frame = self.candidates if limit is None else self.candidates.head(limit)
        for record in frame[columns].to_dict(orient="records"):
            row = {str(k): s.to_jsonable(v) for k, v in record.items()}
            reasons = row.pop(s.REASONS)
            row["reason"] = reasons[0] if reasons else ""
            rows.append(row)
        return rows

    def to_json(self, *, table: bool = False) -> dict[str, Any]:
        """The `matchmaker.intake/1` document. With `table`, its candidates are the table itself
        (`jsonout.Rows`) and its issues as kept, for `files.write_json` to write without copies."""
        head = {
            "schema": s.INTAKE_SCHEMA,
            "source": {"path": str(self.path), "sha256": self.sha256, "mapping": self.mapping},
            "summary": self.summary(),
        }
        if table:
            from .jsonout import Rows

            return {**head, "candidates": Rows(self.candidates), "issues": self.issues}
        records = self.candidates.to_dict(orient="records")
        return {
            **head,
            "candidates": [{str(k): s.to_jsonable(v) for k, v in r.items()} for r in records],
            "issues": [s.to_jsonable(i) for i in self.issues],
        }


# --- the pipeline stage ---------------------------------------------------------------------------------


HEADER_SEARCH_ROWS: Final = 20


def _header_row(rows: list[list[object]], mapping: fm.FormMapping) -> tuple[int, set[str]] | None:
    """The header is the first row, unless a title sits above it: then the row, among the first
    few, with the most known question headers. None for an empty sheet."""
    # only the first few filled rows matter: the rest of a big export is not looked at
    filled = list(
        itertools.islice((i for i, row in enumerate(rows) if not _blank_row(row)), HEADER_SEARCH_ROWS)
    )
    if not filled:
        return None
    best, best_fields = filled[0], set[str]()
    for i in filled:
        fields = {f for v in rows[i] if not fm.is_blank(v) and (f := mapping.field_for(_display(v)))}
        if len(fields) > len(best_fields):
            best, best_fields = i, fields
    return best, best_fields


def _pick_sheet(
    path: Path, sheets: list[Sheet], mapping: fm.FormMapping
) -> tuple[list[list[object]], int, str | None, dict[str, Any]]:
    """The sheet with the answers: the first one, unless it is hidden, empty or holds no form
    headers while a later sheet has them all (a list of options, a cover sheet before Form1).
    Returns its rows, the header row, and a note on what was passed over, with its facts."""
    order = [sh for sh in sheets if sh.visible] + [sh for sh in sheets if not sh.visible]
    # each sheet passed over with why: "empty", "hidden" or "no_answers"
    passed_facts: list[dict[str, str]] = []
    first: tuple[Sheet, list[list[object]], int] | None = None
    for sheet in order:
        rows = sheet.load()
        found = _header_row(rows, mapping)
        if found is None:
            passed_facts.append({"sheet": sheet.name, "why": "empty"})
            continue
        start, fields = found
        if all(f in fields for f in mapping.required):
            note = None
            facts: dict[str, Any] = {}
            if sheet is not sheets[0]:
                hidden_facts = [
                    {"sheet": sh.name, "why": "hidden"} for sh in sheets if not sh.visible and sh is not sheet
                ]
                skipped_facts = [*passed_facts, *hidden_facts] or [{"sheet": sheets[0].name, "why": ""}]
                unique = list({(f["sheet"], f["why"]): f for f in skipped_facts}.values())
                facts = {"variant": "read_from", "sheet": sheet.name, "passed": unique}
                note = _sheet_note(facts)
            return rows, start, note, facts
        if first is None:
            first = (sheet, rows, start)
        passed_facts.append({"sheet": sheet.name, "why": "no_answers"})
    if first is None:
        where = "the workbook" if len(sheets) > 1 else "the first sheet"
        raise IntakeError(f"{path}: {where} is empty (no header row, no submissions)")
    sheet, rows, start = first
    facts = {"variant": "sheet", "sheet": sheet.name}
    return rows, start, None if len(sheets) == 1 else _sheet_note(facts), facts


def _sheet_note(facts: Mapping[str, Any]) -> str:
    issue = {ISSUE_KIND: OTHER_SHEET, s.ISSUE_PARAMS: facts}
    return _english(issue_text(issue, "en"), issue)


def read_form(
    path: Path | str,
    *,
    mapping: Path | str | fm.FormMapping | None = None,
    eligibility: Eligibility | None = None,
    now: dt.datetime | None = None,
) -> IntakeResult:
    """Read a candidacy form export into one row per submission; IntakeError if it is unusable.
    A completion time after `now` (default: the clock) plus a day, or before 2000, is reported."""
    with collector_paused():
        return _read_form(Path(path), mapping, eligibility, now)


def _read_form(
    path: Path,
    mapping: Path | str | fm.FormMapping | None,
    eligibility: Eligibility | None,
    now: dt.datetime | None,
) -> IntakeResult:
    form_mapping = mapping if isinstance(mapping, fm.FormMapping) else fm.load_mapping(mapping)
    eligibility = eligibility or Eligibility()
    sheets, digest, encoding = _read_rows(path)
    rows, start, sheet_note, sheet_facts = _pick_sheet(path, sheets, form_mapping)
    header = [_display(v) for v in rows[start]]
    body = rows[start + 1 :]

    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        fld = form_mapping.field_for(text) if text else None
        if fld is None:
            continue
        if fld in positions:
            raise IntakeError(
                f"{path}: the column {text!r} appears twice (columns {positions[fld] + 1} and {index + 1}); "
                "which one holds the answers is ambiguous"
            )
        positions[fld] = index
    missing = [f for f in form_mapping.required if f not in positions]
    if missing and _looks_like_partners(header):
        raise IntakeError(
            f"{path}: this looks like a partners file (columns {', '.join(_PARTNER_COLUMNS)}), "
            "not a form export; did you swap FORMS and --partners?"
        )
    if missing:
        names = ", ".join(repr(form_mapping.headers[f]) for f in missing)
        where = f" ({sheet_note}; no sheet has them all)" if sheet_note else ""
        raise IntakeError(f"{path}: required column(s) missing{where}: {names}")

    width = len(header)
    kept = [r for r in body if not _blank_row(r)]
    blank_rows = len(body) - len(kept)
    if not kept:
        raise IntakeError(f"{path}: no submissions (only the header row)")
    # A CSV row with more fields than the header has lost its quoting: its answers may be shifted.
    long_rows = [i for i, r in enumerate(kept) if len(r) > width and not _blank_row(r[width:])]
    if any(len(r) != width for r in kept):
        kept = [r[:width] if len(r) >= width else [*r, *[None] * (width - len(r))] for r in kept]
    # the answers column by column: every step after this one works on whole columns
    columns = list(zip(*kept, strict=True))
    del kept

    issues = _Issues()
    if encoding == "Windows-1252":
        issues.add(None, None, None, ENCODING, {"encoding": encoding})
    if sheet_note is not None:
        issues.add(None, None, None, OTHER_SHEET, sheet_facts)
    if start > 0:
        issues.add(None, None, None, SKIPPED_ROWS, {"n": start})
    for fld, header_text in form_mapping.headers.items():
        if fld not in positions and fld not in form_mapping.required and fld != s.SUBMISSION_ID:
            issues.add(None, header_text, None, MISSING_COLUMN, {})

    frame = _normalise(columns, positions, header, form_mapping, issues)
    for i in long_rows:
        sid = int(frame[s.SUBMISSION_ID].iloc[i])
        issues.add(sid, None, None, ROW_SHAPE, {"width": width})
    name_column = _header_of(positions, header, s.NAME_AS_WRITTEN)
    _check_time_order(frame, issues, _header_of(positions, header, s.STARTED))
    frame[_LATEST] = _latest_times(frame, issues, positions, header, now or dt.datetime.now())
    frame = _resolve_names(frame, issues, name_column)
    frame = _deduplicate(frame, issues, name_column)
    frame = _decide_eligibility(frame, eligibility)
    frame = frame.loc[:, list(CANDIDATE_COLUMNS)].reset_index(drop=True)
    ordered = sorted(issues.items, key=lambda i: (i["submission_id"] is not None, i["submission_id"] or 0))
    return IntakeResult(
        candidates=frame,
        issues=ordered,
        path=path,
        sha256=digest,
        mapping=str(form_mapping.path) if form_mapping.path else form_mapping.name,
        blank_rows=blank_rows,
    )


# The partners file's own columns: a header holding most of them is that file given as the forms.
_PARTNER_COLUMNS: Final = (s.PARTNER, s.COUNTRY, s.REGION, s.PARTNER_THEMES, s.HAS_FLEMISH_LINK)


def _blank_row(row: list[object]) -> bool:
    return all(fm.is_blank(v) for v in row)


def _looks_like_partners(header: list[str]) -> bool:
    folded = {fm.fold(h) for h in header}
    return sum(c in folded for c in _PARTNER_COLUMNS) >= 3


def _header_of(positions: Mapping[str, int], header: list[str], fld: str) -> str:
    return header[positions[fld]] if fld in positions else fld


def _normalise(
    raw: list[tuple[object, ...]],
    positions: Mapping[str, int],
    header: list[str],
    mapping: fm.FormMapping,
    issues: _Issues,
) -> pd.DataFrame:
    n = len(raw[0])
    out: dict[str, Any] = {}

    def column(fld: str) -> list[object]:
        if fld in positions:
            return list(raw[positions[fld]])
        return [None] * n

    ids = _assign_ids(
        column(s.SUBMISSION_ID),
        s.SUBMISSION_ID in positions,
        _header_of(positions, header, s.SUBMISSION_ID),
        issues,
    )
    out[s.SUBMISSION_ID] = ids

    def read_column(
        fld: str,
        read: Callable[[object], tuple[Any, str | None]],
        facts: Mapping[str, Mapping[str, Any]],
    ) -> None:
        values = column(fld)
        parsed = answers.read_each(read, values)
        report(fld, values, [p[0] for p in parsed], [p[1] for p in parsed], facts)

    def report(
        fld: str,
        values: list[object],
        read: Any,
        problems: list[str | None],
        facts: Mapping[str, Mapping[str, Any]],
    ) -> None:
        out[fld] = read
        if fld not in positions or problems.count(None) == len(problems):  # most columns: no problem
            return
        col = header[positions[fld]]
        for sid, value, problem in zip(ids, values, problems, strict=True):
            if problem is not None:
                issues.add(sid, col, value, problem, facts[problem])

    dayfirst = _day_order(
        {header[positions[f]]: column(f) for f in fm.DATETIME_FIELDS if f in positions},
        ids,
        mapping.dayfirst,
        issues,
    )
    for fld in fm.DATETIME_FIELDS:
        values = column(fld)
        moments, problems = answers.timestamps(values, dayfirst)
        date_facts = {answers.UNANSWERED: {"variant": "date"}, answers.UNREADABLE: {"variant": "date"}}
        report(fld, values, moments, problems, date_facts)

    for fld in fm.TEXT_FIELDS:
        read_column(
            fld,
            answers.free_text,
            {answers.FORMULA_TEXT: {}},
        )
    if s.NAME_AS_WRITTEN in positions:
        col = header[positions[s.NAME_AS_WRITTEN]]
        for sid, name in zip(ids, out[s.NAME_AS_WRITTEN], strict=True):
            if name is None:
                issues.add(sid, col, None, answers.UNANSWERED, {"variant": "name"})

    for fld in fm.CHOICE_FIELDS:
        options = list(mapping.options.get(fld, {}))
        read_column(
            fld,
            answers.choice(mapping.options.get(fld, {})),
            {
                answers.UNANSWERED: {"variant": "answer"},
                answers.UNKNOWN_OPTION: {"variant": "choice", "options": options},
            },
        )

    for fld in fm.MULTI_FIELDS:
        read_multi = answers.multi_reader(mapping.options.get(fld, {}), mapping.multi_separator)
        multi = [read_multi(v) for v in column(fld)]
        out[fld] = [codes for codes, _ in multi]
        other_field = mapping.other.get(fld)
        if other_field is not None:
            out[other_field] = [others for _, others in multi]
        elif fld in positions:
            col = header[positions[fld]]
            for sid, (_, unknown) in zip(ids, multi, strict=True):
                for text in unknown:
                    issues.add(sid, col, text, answers.UNKNOWN_OPTION, {"variant": "multi"})
    out.setdefault(s.OTHER_ACTORS_OTHER, [[] for _ in range(n)])

    for fld in fm.BOOL_FIELDS:
        read_column(
            fld,
            answers.yes_no(mapping),
            {answers.UNANSWERED: {"variant": "answer"}, answers.UNREADABLE: {"variant": "yes_no"}},
        )

    for fld in fm.RATING_FIELDS:
        low, high = mapping.ratings.get(fld, (1, 5))
        read_column(
            fld,
            answers.rating((low, high)),
            {
                answers.UNANSWERED: {"variant": "answer"},
                answers.UNREADABLE: {"variant": "rating", "low": low, "high": high},
            },
        )
        out[fld] = pd.array(out[fld], dtype="Int64")

    # Object columns keep None for "no answer" (pandas would turn None into NaN in a str column).
    frame = pd.DataFrame(
        {k: v if isinstance(v, pd.api.extensions.ExtensionArray) else _objects(v) for k, v in out.items()}
    )
    for fld in fm.DATETIME_FIELDS:
        frame[fld] = pd.to_datetime(frame[fld])
    frame[s.SUBMISSION_ID] = frame[s.SUBMISSION_ID].astype("int64")
    return frame


_NUMERIC_DATE: Final = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")


def _day_order(columns: Mapping[str, list[object]], ids: list[int], dayfirst: bool, issues: _Issues) -> bool:
    """Whether dates written as text put the day first. The mapping says what to expect; the
    export itself may prove otherwise ("10/16/2023" only reads month first). When it proves
    both orders, the dates that read either way are reported, not silently settled."""
    proof: dict[bool, str] = {}
    either: list[tuple[int, str, str]] = []
    for column, values in columns.items():
        for sid, value in zip(ids, values, strict=True):
            if not isinstance(value, str) or (match := _NUMERIC_DATE.match(value)) is None:
                continue
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                proof.setdefault(True, value.strip())
            elif second > 12 >= first:
                proof.setdefault(False, value.strip())
            elif first != second and first <= 12 and second <= 12:
                either.append((sid, column, value))
    if len(proof) == 1:
        order = next(iter(proof))
        if order != dayfirst:
            params = {"variant": "proven", "day_first": order, "example": proof[order]}
            issues.add(None, ", ".join(columns), None, DATE_ORDER, params)
        return order
    if len(proof) == 2:
        for sid, column, value in either:
            params = {
                "variant": "either",
                "day_first_example": proof[True],
                "month_first_example": proof[False],
                "day_first": dayfirst,
            }
            issues.add(sid, column, value, DATE_ORDER, params)
    return dayfirst


def _objects(values: Iterable[object], index: pd.Index | None = None) -> pd.Series:
    return pd.Series(list(values), dtype=object, index=index)


def _assign_ids(values: list[object], present: bool, column: str, issues: _Issues) -> list[int]:
    """The export's Id per row; a missing, unreadable or repeated Id gets a fresh number above all."""
    if not present:
        return list(range(1, len(values) + 1))
    ids = [answers.submission_id(v) for v in values]
    if None not in ids and len(set(ids)) == len(ids):  # every Id readable and unique: the usual export
        return ids  # type: ignore[return-value]
    used: set[int] = set()
    fresh = max((i for i in ids if i is not None), default=0)
    result: list[int] = []
    for value, sid in zip(values, ids, strict=True):
        if sid is None or sid in used:
            fresh += 1
            params = {"variant": "missing" if sid is None else "repeated", "id": sid, "numbered": fresh}
            issues.add(fresh, column, value, BAD_ID, params)
            sid = fresh
        used.add(sid)
        result.append(sid)
    return result


def _check_time_order(frame: pd.DataFrame, issues: _Issues, column: str) -> None:
    """A submission started after it was completed has a wrong time, and the completion time
    decides which submission of a municipality counts: a person should look."""
    late = frame[s.STARTED].notna() & frame[s.COMPLETED].notna() & (frame[s.STARTED] > frame[s.COMPLETED])
    for sid, started, completed in zip(
        frame.loc[late, s.SUBMISSION_ID],
        frame.loc[late, s.STARTED],
        frame.loc[late, s.COMPLETED],
        strict=True,
    ):
        params = {"started": started.isoformat(), "completed": completed.isoformat()}
        issues.add(int(sid), column, started, TIME_ORDER, params)


def _plausible(column: pd.Series, now: dt.datetime) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The times as naive datetimes, and which of them lie in the future or before 2000."""
    if not pd.api.types.is_datetime64_any_dtype(column):
        column = pd.to_datetime(column, errors="coerce", utc=True)
    if getattr(column.dt, "tz", None) is not None:
        column = column.dt.tz_convert(None)
    future = column.notna() & (column > pd.Timestamp(now + FUTURE_MARGIN))
    early = column.notna() & (column < pd.Timestamp(EARLIEST_DATE))
    return column, future, early


def _isoformats(times: pd.Series) -> list[str]:
    """Each time's `isoformat()` (none is missing): numpy's text, all at once, for whole seconds."""
    seconds = whole_seconds(times.to_numpy())
    if seconds is not None:
        return [str(t) for t in np.datetime_as_string(seconds, unit="s").tolist()]
    return [t.isoformat() for t in times]


def _latest_times(
    frame: pd.DataFrame,
    issues: _Issues,
    positions: Mapping[str, int],
    header: list[str],
    now: dt.datetime,
) -> pd.Series:
    """Per submission the time that orders its edits: the last modification when the export has
    one, else the completion; a time in the future or before 2000 is reported and left out."""
    latest = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for fld in (s.COMPLETED, fm.MODIFIED):
        if fld not in positions:
            continue
        times, future, early = _plausible(frame[fld], now)
        column = header[positions[fld]]
        for variant, wrong in (("future", future), ("early", early)):
            for sid, text in zip(
                frame.loc[wrong, s.SUBMISSION_ID].tolist(), _isoformats(times[wrong]), strict=True
            ):
                issues.add(sid, column, text, IMPLAUSIBLE_DATE, {"variant": variant, "date": text})
        good = times.where(~(future | early))
        latest = good.astype("datetime64[ns]").where(good.notna(), latest)
    return latest


def _resolve_names(frame: pd.DataFrame, issues: _Issues, column: str) -> pd.DataFrame:
    names = frame[s.NAME_AS_WRITTEN]
    found: dict[str, Resolution] = {n: resolve(n) for n in names.dropna().unique()}
    blank = resolve("")
    resolutions = [found.get(n, blank) if n is not None else blank for n in names]
    frame[s.MUNICIPALITY] = _objects((r.municipality for r in resolutions), frame.index)
    frame[s.REFNIS] = _objects((r.refnis for r in resolutions), frame.index)
    frame[s.PROVINCE] = _objects((r.province for r in resolutions), frame.index)
    frame[s.RESOLUTION] = _objects((r.method for r in resolutions), frame.index)
    frame[s.RESOLUTION_NOTE] = _objects((r.note or None for r in resolutions), frame.index)
    frame[s.RESOLUTION_FACTS] = _objects((_facts(r) for r in resolutions), frame.index)
    for sid, name, r in zip(frame[s.SUBMISSION_ID].tolist(), names.tolist(), resolutions, strict=True):
        if r.method == "unresolved" and name is not None:
            issues.add(sid, column, name, NAME_UNRESOLVED, {"note": _facts(r)})
        elif r.method == "not-flemish":
            issues.add(sid, column, name, NAME_NOT_FLEMISH, {"note": _facts(r)})
        elif r.warning:
            issues.add(sid, column, name, NAME_LOW_CONFIDENCE, {"note": _facts(r)})
    return frame


def _facts(resolution: Resolution) -> dict[str, Any] | None:
    """A fresh copy per row: rows share nothing, and a resolution is cached across calls."""
    return s.to_jsonable(dict(resolution.facts)) if resolution.facts else None


def _deduplicate(frame: pd.DataFrame, issues: _Issues, column: str) -> pd.DataFrame:
    """The latest completed submission counts per municipality; the others point to it."""
    order = frame.sort_values([_LATEST, s.SUBMISSION_ID], na_position="first", kind="stable")
    resolved = order[order[s.REFNIS].notna()]
    latest = resolved.groupby(s.REFNIS, sort=False)[s.SUBMISSION_ID].last()
    winner = frame[s.REFNIS].map(latest)
    superseded = winner.notna() & (winner != frame[s.SUBMISSION_ID])
    frame[s.SUPERSEDED_BY] = winner.where(superseded).astype("Int64")
    refnis, sids, lost = frame[s.REFNIS].tolist(), frame[s.SUBMISSION_ID].tolist(), superseded.tolist()
    frame[s.CANDIDATE_ID] = _objects(
        (
            str(r) if r is not None and not sup else f"row-{sid}"
            for r, sup, sid in zip(refnis, lost, sids, strict=True)
        ),
        frame.index,
    )
    # the columns as plain lists, a row found by its position: one loop over the superseded rows
    at = {sid: i for i, sid in enumerate(sids)}  # the ids are unique (_assign_ids)
    names, municipalities = frame[s.NAME_AS_WRITTEN].tolist(), frame[s.MUNICIPALITY].tolist()
    methods, winners = frame[s.RESOLUTION].tolist(), winner.tolist()
    stamps = frame[_LATEST]  # datetime64[ns]: equal times are equal integers
    undated, ticks = stamps.isna().tolist(), stamps.to_numpy().view("int64").tolist()
    # a name is written the same way in many submissions: its former municipality is looked up once
    former = functools.cache(_former)
    for i in np.flatnonzero(superseded.to_numpy()).tolist():
        sid, name, municipality = sids[i], names[i], municipalities[i]
        by = int(winners[i])
        w = at[by]
        own, other = former(name, municipality), former(names[w], municipality)
        params: dict[str, Any] = {
            "variant": "merger" if own != other else "again",
            "by": by,
            "municipality": municipality,
            "own": own,
            "other": other,
            "winner_name": names[w],
            "undated": None,
            "similar": methods[w] == "fuzzy",
        }
        # "merger": before 1 January 2025 these were two local governments; the call allows one
        # candidacy per municipality as it is now, so only one of them can count.
        if undated[i]:
            # Without a completion time the order is the submission numbers' (or any dated one wins).
            params["undated"] = "both" if undated[w] else "this"
        # "similar": the submission that counts was matched by similarity; if that reading is wrong,
        # this one should count instead.
        issues.add(sid, column, name, DUPLICATE, params)
        if not undated[i] and not undated[w] and ticks[i] == ticks[w]:
            same = {"completed": stamps.iloc[i].isoformat(), "by": by, "municipality": municipality}
            issues.add(sid, column, name, SAME_TIME, same)
    return frame


def _former(name: object, municipality: str) -> str:
    """The municipality a name meant before the mergers of 2025 ("Hoeselt"), else the current one."""
    former = resolve(str(name)).former if name is not None else None
    return former or municipality


def _decide_eligibility(frame: pd.DataFrame, eligibility: Eligibility) -> pd.DataFrame:
    # Why not, as facts (`reason_codes`); `reasons` words them in English, one for one.
    codes: list[list[dict[str, Any]]] = [[] for _ in range(len(frame))]
    superseded = frame[s.SUPERSEDED_BY]
    for i, by in zip(
        np.flatnonzero(superseded.notna().to_numpy()).tolist(), superseded.dropna().tolist(), strict=True
    ):
        codes[i].append({"code": "superseded", "by": int(by)})
    if eligibility.require_flemish:
        columns = (frame[s.RESOLUTION], frame[s.REFNIS], frame[s.RESOLUTION_FACTS])
        for facts, method, refnis, note_facts in zip(codes, *columns, strict=True):
            if method == "not-flemish":
                facts.append({"code": "not_flemish", "note": _copy(note_facts)})
            elif refnis is None:
                facts.append({"code": "unresolved", "note": _copy(note_facts)})
    for fld in eligibility.require:
        if fld not in frame.columns:
            raise CriteriaError(f"eligibility requires {fld!r}, which is not a field of the candidate record")
        for facts, value in zip(codes, frame[fld], strict=True):
            if value is True or value == "yes":
                continue
            code = "refuses" if value is False or value == "no" else "not_confirmed"
            facts.append({"code": code, "field": fld})
    worded: dict[str, str] = {}
    reasons = [
        [_worded_once(worded, repr(f), functools.partial(reason_text, f, "en"), f) for f in facts]
        for facts in codes
    ]
    frame[s.REASONS] = _objects(reasons, frame.index)
    frame[s.REASON_CODES] = _objects(codes, frame.index)
    frame[s.ELIGIBLE] = pd.Series([not r for r in reasons], dtype=bool, index=frame.index)
    return frame


def _copy(facts: object) -> dict[str, Any] | None:
    return s.to_jsonable(dict(facts)) if isinstance(facts, Mapping) else None
