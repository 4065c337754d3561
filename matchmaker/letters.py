"""Decision letters: one .docx per candidacy from a result JSON, stating the outcome and its factual
grounds, and a one-sheet mail-merge table for Word's own merge; every sentence from the catalogue.
"""

# The letters word the facts of the `matchmaker.result/1` document with the same functions the
# workbook uses (i18n.wording), so a letter and the Shortlist sheet never say different things.
# Facts are read defensively: a key the explanation lacks leaves its sentence out, never guesses.

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .cells import as_number, put_text
from .criteria import Criteria, RubricSource, load_criteria
from .errors import CriteriaError, IntakeError, OutputError
from .files import atomic_path, read_input, save_workbook, sniff
from .i18n import code_label, label, long_date, number, sentence
from .i18n.wording import pair_value_text, points_needed_text, points_text, reason_text, why_text
from .schema import CANDIDATE_ID, COUNTRY, MUNICIPALITY, NAME_AS_WRITTEN, PARTNER, RESULT_SCHEMA

SELECTED: Final = "selected"
RESERVE: Final = "reserve"
NOT_SELECTED: Final = "not_selected"
NOT_ELIGIBLE: Final = "not_eligible"
SUPERSEDED: Final = "superseded"
OUTCOMES: Final = (SELECTED, RESERVE, NOT_SELECTED, NOT_ELIGIBLE, SUPERSEDED)

MERGE_TABLE: Final = "letters.xlsx"
ROBUSTNESS_SCHEMA: Final = "matchmaker.robustness/1"
# A result of 100,000 submissions is some 200 MB of JSON.
MAX_JSON_BYTES: Final = 1024 * 1024 * 1024


def read_json(path: Path, *, schema: str, what: str) -> dict[str, Any]:
    """A JSON document written by matchmaker with the given schema; IntakeError naming the file if not."""
    path = Path(path)
    if not path.is_file():
        raise IntakeError(f"{path}: file not found; expected the {what} .json")
    data = read_input(path, what=f"{what} .json", limit=MAX_JSON_BYTES)
    if sniff(path, data[:8]) != "text":
        raise IntakeError(f"{path}: not a JSON file; expected the {what} .json")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise IntakeError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(doc, dict) or doc.get("schema") != schema:
        raise IntakeError(f"{path}: not a matchmaker {what} (expected schema {schema!r})")
    return doc


def read_result(path: Path) -> dict[str, Any]:
    """The `matchmaker.result/1` document written by `pair --json`."""
    return read_json(path, schema=RESULT_SCHEMA, what="result")


def criteria_of(result: Mapping[str, Any], path: Path | None = None) -> Criteria:
    """The criteria the result was computed with: `path`, or the file its manifest names; refused
    when its content is not the one the manifest records (the weights would not be the ones used)."""
    manifest = _mapping(result.get("manifest"))
    recorded = manifest.get("criteria_sha256")
    criteria = load_criteria(path if path is not None else _path(manifest.get("criteria")))
    if recorded and criteria.sha256 and criteria.sha256 != recorded:
        raise CriteriaError(
            f"{criteria.path}: not the criteria of this result (SHA-256 {criteria.sha256[:12]}…, the "
            f"result records {str(recorded)[:12]}…); give --criteria with the file the pairing used"
        )
    return criteria


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _path(value: object) -> Path | None:
    return Path(str(value)) if value else None


def robustness_of(doc: Mapping[str, Any] | None, result: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The robustness analysis when it was run on the result's criteria; refused otherwise."""
    if doc is None:
        return None
    ours = _mapping(result.get("manifest")).get("criteria_sha256")
    theirs = _mapping(doc.get("manifest")).get("criteria_sha256")
    if ours and theirs and ours != theirs:
        raise IntakeError("the robustness analysis was run with other criteria than the result")
    return doc


def embedded_robustness(result: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The robustness block a result carries (pair --robustness), or None."""
    block = result.get("robustness")
    return block if isinstance(block, Mapping) and block.get("schema") == ROBUSTNESS_SCHEMA else None


# --- the facts of one letter ---------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionLine:
    """One row of the letter's table: a criterion's weight, the candidate's value and its points."""

    key: str
    label: str
    weight: float
    value: float | None  # on the criterion's own scale
    low: float
    high: float
    contribution: float | None


@dataclass(frozen=True)
class Letter:
    """What one letter says, as facts and sentences in one language."""

    submission: int | None
    candidate_id: str
    municipality: str
    outcome: str
    lang: str
    greeting: str
    paragraphs: tuple[str, ...]
    criteria: tuple[CriterionLine, ...] = ()
    score: float | None = None
    grounds: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    robustness: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    partner: str | None = None
    country: str | None = None
    rank: int | None = None
    score_needed: float | None = None
    contact_name: str = ""
    contact_email: str = ""
    why: str = ""
    date: str = ""  # ISO date of the letter
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        """ "012-Sint-Truiden.docx": the submission number first, so the folder sorts as the form."""
        slug = re.sub(r"[^\w-]+", "-", self.municipality, flags=re.UNICODE).strip("-") or self.candidate_id
        prefix = f"{self.submission:03d}-" if self.submission is not None else ""
        return f"{prefix}{slug[:60]}.docx"


def _int(value: object) -> int | None:
    number_ = as_number(value)
    return int(number_) if number_ is not None else None


def _name(cand: Mapping[str, Any]) -> str:
    return str(cand.get(MUNICIPALITY) or cand.get(NAME_AS_WRITTEN) or cand.get(CANDIDATE_ID) or "?")


def reasons_text(cand: Mapping[str, Any], lang: str, *, superseded: bool) -> str:
    """The intake's reasons in `lang`, from their facts; a reason without facts keeps its English."""
    codes = [c for c in cand.get("reason_codes") or () if isinstance(c, Mapping)]
    chosen = [c for c in codes if (c.get("code") == "superseded") == superseded]
    words = [reason_text(c, lang) for c in chosen]
    if words and all(words):
        return "; ".join(w for w in words if w)
    recorded = [str(r) for r in cand.get("reasons") or ()]
    keep = [r for r in recorded if r.startswith("superseded") == superseded] or recorded
    return "; ".join(keep)


def _criterion_lines(cand: Mapping[str, Any], criteria: Criteria, lang: str) -> tuple[CriterionLine, ...]:
    from .export.context import component_label

    breakdown = _mapping(cand.get("breakdown"))
    lines = []
    for c in criteria.criteria:
        low, high = c.bounds
        if (
            isinstance(c.spec, RubricSource)
            and cand.get("motivation_source") == "self-assessment"
            and c.spec.fallback_bounds
        ):
            low, high = c.spec.fallback_bounds
        points = as_number(breakdown.get(c.key))
        value = None
        if points is not None and c.weight > 0:
            value = low + (points / c.weight) * (high - low)
        lines.append(
            CriterionLine(c.key, component_label(c.key, lang, criteria), c.weight, value, low, high, points)
        )
    return tuple(lines)


def outcome_of(
    cand: Mapping[str, Any], explanation: Mapping[str, Any] | None, reserve: Mapping[str, Any] | None
) -> str:
    """Which of the five letters a candidacy gets."""
    if cand.get("superseded_by") is not None:
        return SUPERSEDED
    if not cand.get("eligible"):
        return NOT_ELIGIBLE
    if explanation is not None and explanation.get("selected"):
        return SELECTED
    if reserve is not None:
        return RESERVE
    return NOT_SELECTED


def _robustness_lines(cid: str, robustness: Mapping[str, Any] | None, lang: str) -> tuple[str, ...]:
    if robustness is None:
        return ()
    row = next((c for c in robustness.get("candidates") or () if str(c.get(CANDIDATE_ID)) == cid), None)
    share = as_number(row.get("selection_share")) if isinstance(row, Mapping) else None
    if share is None:
        return ()
    method = str(robustness.get("method") or "exact")
    samples = _int(robustness.get("samples")) or 0
    lines = [
        sentence(
            "letter_robustness",
            lang,
            method=sentence(f"robustness_method_{method}", lang, n=samples),
            share=number(100 * share, lang, 0),
        )
    ]
    uncertainty = robustness.get("uncertainty")
    if isinstance(uncertainty, Mapping):
        mine = next((c for c in uncertainty.get("candidates") or () if str(c.get(CANDIDATE_ID)) == cid), None)
        combined = as_number(mine.get("combined_share")) if isinstance(mine, Mapping) else None
        if combined is not None:
            lines.append(sentence("letter_robustness_reviews", lang, share=number(100 * combined, lang, 0)))
    radius = as_number(robustness.get("radius"))
    lines.append(
        sentence("robustness_radius", lang, radius=number(radius, lang, 1))
        if radius is not None
        else sentence("robustness_radius_none", lang)
    )
    return tuple(lines)


def letters(
    result: Mapping[str, Any],
    criteria: Criteria,
    *,
    lang: str = "nl",
    date: dt.date | None = None,
    robustness: Mapping[str, Any] | None = None,
    comments: Mapping[str, Sequence[str]] | None = None,
) -> list[Letter]:
    """One letter per candidacy of the result, in the order of the form.

    `comments` holds, per candidate id, the reviewers' comments they agreed to share; by default
    those the result records (its reviews' `shared_comments`: only comments whose reviewer said
    yes on the sheet, never one of a reviewer in conflict). A letter without any says none are shared.
    """
    if comments is None:
        recorded = _mapping(_mapping(result.get("reviews")).get("shared_comments"))
        comments = {str(k): [str(c) for c in v] for k, v in recorded.items() if isinstance(v, list)}
    day = (date or dt.date.today()).isoformat()
    candidates = [c for c in result.get("candidates") or () if isinstance(c, Mapping)]
    explanations = {
        str(e.get(CANDIDATE_ID)): e for e in result.get("explanations") or () if isinstance(e, Mapping)
    }
    reserves = {str(r.get(CANDIDATE_ID)): r for r in result.get("reserves") or () if isinstance(r, Mapping)}
    pairs = {str(p.get(CANDIDATE_ID)): p for p in result.get("pairs") or () if isinstance(p, Mapping)}
    known = {str(c.get(CANDIDATE_ID)): _name(c) for c in candidates if c.get("eligible")}
    eligible = sum(1 for c in candidates if c.get("eligible"))
    total = sum(c.weight for c in criteria.criteria)
    manifest = _mapping(result.get("manifest"))
    footer = [
        sentence(
            "letter_footer",
            lang,
            date=long_date(day, lang),
            name=criteria.name_in(lang),
            version=criteria.version,
            sha=criteria.sha256 or manifest.get("criteria_sha256") or "?",
        )
    ]
    if manifest.get("created"):
        footer.append(
            sentence("letter_computed", lang, created=long_date(str(manifest["created"])[:10], lang))
        )
    out = []
    for cand in candidates:
        cid = str(cand.get(CANDIDATE_ID))
        counts = bool(cand.get("eligible"))
        explanation = explanations.get(cid) if counts else None
        reserve = reserves.get(cid) if counts else None
        outcome = outcome_of(cand, explanation, reserve)
        name = _name(cand)
        paragraphs: list[str] = []
        grounds: list[str] = []
        lines: tuple[CriterionLine, ...] = ()
        partner = country = None
        needed: float | None = None
        rank = _int(reserve.get("rank")) if reserve is not None else None
        why = ""
        if outcome == SUPERSEDED:
            paragraphs.append(
                sentence("letter_superseded", lang, reasons=reasons_text(cand, lang, superseded=True))
            )
        elif outcome == NOT_ELIGIBLE:
            paragraphs.append(
                sentence(
                    "letter_not_eligible",
                    lang,
                    municipality=name,
                    reasons=reasons_text(cand, lang, superseded=False),
                )
            )
        else:
            exp = explanation or {}
            if outcome == SELECTED:
                partner, country = str(exp.get(PARTNER) or ""), str(exp.get(COUNTRY) or "")
                where = sentence("in_country", lang, country=code_label(country, lang))
                paragraphs.append(
                    sentence("letter_selected", lang, municipality=name, partner=partner, in_country=where)
                )
            elif outcome == RESERVE and reserve is not None:
                country = str(reserve.get(COUNTRY) or "")
                where = sentence("in_country", lang, country=code_label(country, lang))
                paragraphs.append(
                    sentence("letter_reserve", lang, municipality=name, in_country=where, rank=rank)
                )
            else:
                paragraphs.append(sentence("letter_not_selected", lang, municipality=name))
            lines = _criterion_lines(cand, criteria, lang)
            score = as_number(cand.get("score"))
            if score is not None and _int(cand.get("rank")) is not None:
                grounds.append(
                    sentence(
                        "letter_score",
                        lang,
                        score=number(score, lang),
                        total=number(total, lang, 0),
                        rank=_int(cand.get("rank")),
                        n=eligible,
                    )
                )
            if cand.get("motivation_source") == "self-assessment":
                grounds.append(sentence("letter_self_assessment", lang))
            pair = pairs.get(cid)
            valued = outcome == SELECTED and pair is not None and isinstance(pair.get("breakdown"), Mapping)
            if valued and pair is not None:
                grounds.append(
                    sentence(
                        "letter_pair_value",
                        lang,
                        partner=partner,
                        value=points_text(pair.get("value"), lang),
                        terms=pair_value_text(pair["breakdown"], lang),
                    )
                )
            why = why_text(exp, known, lang, value_said=valued) or ""
            if why:
                grounds.append(why)
            needed = as_number(exp.get("score_needed"))
            if outcome != SELECTED and needed is not None and needed > 0 and exp.get("need") == "score":
                points = points_needed_text(needed, lang)
                if points not in why:  # the why names them already: once is enough in a letter
                    grounds.append(sentence("letter_needed", lang, points=points))
        shared = [str(c) for c in (comments or {}).get(cid, ()) if str(c).strip()] if counts else []
        comment_lines = (
            tuple(sentence("letter_comment", lang, n=i, comment=c) for i, c in enumerate(shared, 1))
            if shared
            else (sentence("letter_comments_none", lang),)
        )
        contact = str(cand.get("contact_name") or "").strip()
        out.append(
            Letter(
                submission=_int(cand.get("submission_id")),
                candidate_id=cid,
                municipality=name,
                outcome=outcome,
                lang=lang,
                greeting=sentence("letter_greeting", lang),
                paragraphs=tuple(paragraphs),
                criteria=lines,
                score=as_number(cand.get("score")) if lines else None,
                grounds=tuple(grounds),
                comments=comment_lines if outcome not in (SUPERSEDED, NOT_ELIGIBLE) else (),
                robustness=_robustness_lines(cid, robustness, lang) if lines else (),
                footer=tuple(footer),
                partner=partner,
                country=country,
                rank=rank,
                score_needed=needed,
                contact_name=contact,
                contact_email=str(cand.get("contact_email") or ""),
                why=why,
                date=day,
                extra={"completed": cand.get("completed")},
            )
        )
    return out


# --- writing -----------------------------------------------------------------------------------


def _heading(doc: Any, text: str, level: int) -> None:
    """A heading paragraph by its style id: python-docx's add_heading looks the style up by name
    through every style of the document, which costs more than the rest of a letter."""
    doc.add_paragraph(text)._p.style = f"Heading{level}"


def _document(letter: Letter) -> Any:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    lang = letter.lang
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(4)
    for level in (1, 2):  # headings close to their text, so that a letter keeps to one page
        heading = doc.styles[f"Heading {level}"].paragraph_format
        heading.space_before, heading.space_after = Pt(10 if level == 2 else 6), Pt(2)
    doc.core_properties.title = sentence("letter_title", lang)
    doc.core_properties.language = lang
    completed = letter.extra.get("completed")
    reference = sentence(
        "letter_reference",
        lang,
        municipality=letter.municipality,
        submission=letter.submission if letter.submission is not None else "?",
        completed=long_date(str(completed)[:10], lang) if completed else "?",
    )
    # A4 as in Belgium; a letter that runs onto a second page says on it whose letter it is
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(1.8)
    section.different_first_page_header_footer = True
    later = section.header.paragraphs[0]
    later.text = f"{reference} · {long_date(letter.date, lang)}"
    later.runs[0].font.size = Pt(8)
    doc.add_paragraph(long_date(letter.date, lang)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _heading(doc, sentence("letter_title", lang), 1)
    doc.add_paragraph(reference).runs[0].bold = True
    if letter.contact_name:
        doc.add_paragraph(sentence("letter_addressee", lang, name=letter.contact_name))
    doc.add_paragraph(letter.greeting)
    for text in letter.paragraphs:
        doc.add_paragraph(text)
    if letter.criteria:
        _heading(doc, sentence("letter_heading_scores", lang), 2)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        heads = ("letter_criterion", "letter_weight", "letter_value", "letter_contribution")
        for cell, key in zip(table.rows[0].cells, heads, strict=True):
            cell.text = label(key, lang)
            cell.paragraphs[0].runs[0].bold = True
        for line in letter.criteria:
            cells = table.add_row().cells
            cells[0].text = line.label
            cells[1].text = number(line.weight, lang, 0)
            cells[2].text = (
                sentence(
                    "letter_scale",
                    lang,
                    value=number(line.value, lang),
                    low=number(line.low, lang, 0),
                    high=number(line.high, lang, 0),
                )
                if line.value is not None
                else "–"
            )
            cells[3].text = number(line.contribution, lang) if line.contribution is not None else "–"
        if letter.score is not None:
            cells = table.add_row().cells
            cells[0].text = label("letter_total", lang)
            cells[1].text = number(sum(line.weight for line in letter.criteria), lang, 0)
            cells[3].text = number(letter.score, lang)
            for cell in cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
        # widths in the grid (LibreOffice reads these) and in every cell (Word does); numbers right
        table.autofit = False
        widths = (Cm(5.0), Cm(2.2), Cm(6.2), Cm(3.2))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for row in table.rows:
            for i, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
                cell.width = width
                if i in (1, 3):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if letter.grounds:
        _heading(doc, sentence("letter_heading_grounds", lang), 2)
        for text in letter.grounds:
            doc.add_paragraph(text)
    if letter.comments:
        _heading(doc, sentence("letter_heading_comments", lang), 2)
        for text in letter.comments:
            doc.add_paragraph(text)
    if letter.robustness:
        _heading(doc, sentence("letter_heading_robustness", lang), 2)
        doc.add_paragraph(" ".join(letter.robustness))
    doc.add_paragraph(sentence("letter_closing", lang))
    doc.add_paragraph(sentence("letter_signature", lang))
    small = doc.add_paragraph(" ".join(letter.footer))
    for run in small.runs:
        run.font.size = Pt(8)
    return doc


def _filenames(letters_: Sequence[Letter]) -> list[str]:
    names: list[str] = []
    for letter in letters_:
        name = letter.filename
        while name in names:  # two unnamed submissions share a slug
            name = name.removesuffix(".docx") + "-2.docx"
        names.append(name)
    return names


def write_letters(
    letters_: Iterable[Letter], folder: Path, *, inputs: Iterable[Path] = (), force: bool = False
) -> list[Path]:
    """Each letter as a .docx in `folder`, and the mail-merge table `letters.xlsx`; the paths written.

    A letter may have been edited by hand after it was written: files that exist are replaced only
    with `force`, and then all of them, checked before the first one is written.
    """
    folder = Path(folder)
    inputs = list(inputs)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; --out names the folder for the letters")
    if not folder.parent.is_dir():
        raise OutputError(f"{folder}: cannot write: folder {folder.parent} does not exist")
    given = list(letters_)
    names = _filenames(given)
    present = [n for n in [*names, MERGE_TABLE] if (folder / n).exists()]
    if present and not force:
        raise OutputError(
            f"{folder}: holds {len(present)} letter file(s) already ({present[0]}, ...), perhaps edited "
            "since; choose another folder, or give --force to replace them"
        )
    folder.mkdir(exist_ok=True)
    written = []
    for letter, name in zip(given, names, strict=True):
        with atomic_path(folder / name, inputs=inputs) as tmp:
            _document(letter).save(str(tmp))
        written.append(folder / name)
    written.append(write_merge_table(given, names, folder / MERGE_TABLE, inputs=inputs))
    return written


def write_merge_table(
    letters_: Sequence[Letter], files: Sequence[str], out: Path, *, inputs: Iterable[Path] = ()
) -> Path:
    """One sheet, one row per letter, one column per merge field, for Word's own mail merge."""
    from openpyxl import Workbook

    lang = letters_[0].lang if letters_ else "nl"
    columns = (
        "submission",
        "municipality",
        "letter_outcome",
        "partner",
        "country",
        "rank",
        "score",
        "score_needed",
        "why",
        "letter_greeting",
        "contact_name",
        "contact_email",
        "letter_file",
    )
    wb = Workbook()
    ws = wb.active
    ws.title = label("letter_file", lang)
    for col, key in enumerate(columns, 1):
        put_text(ws, 1, col, label(key, lang))
    for row, (letter, name) in enumerate(zip(letters_, files, strict=True), 2):
        values: dict[str, object] = {
            "submission": letter.submission,
            "municipality": letter.municipality,
            "letter_outcome": label(f"letter_outcome_{letter.outcome}", lang),
            "partner": letter.partner or "",
            "country": code_label(letter.country, lang) if letter.country else "",
            "rank": letter.rank,
            "score": letter.score,
            "score_needed": letter.score_needed if letter.outcome != SELECTED else None,
            "why": letter.why,
            "letter_greeting": letter.greeting,
            "contact_name": letter.contact_name,
            "contact_email": letter.contact_email,
            "letter_file": name,
        }
        for col, key in enumerate(columns, 1):
            value = values[key]
            if isinstance(value, int | float):
                ws.cell(row=row, column=col, value=value)
            elif value is not None:
                put_text(ws, row, col, str(value))
    ws.freeze_panes = "A2"
    return save_workbook(wb, out, inputs=inputs)


def write_decision_letters(
    result_path: Path,
    folder: Path,
    *,
    lang: str = "nl",
    criteria_path: Path | None = None,
    robustness_path: Path | None = None,
    date: dt.date | None = None,
    force: bool = False,
) -> list[Path]:
    """Read a result (and a robustness analysis, or the one the result carries), write every letter
    and the merge table."""
    result = read_result(result_path)
    criteria = criteria_of(result, criteria_path)
    robustness = embedded_robustness(result)
    if robustness_path is not None:
        robustness = robustness_of(
            read_json(robustness_path, schema=ROBUSTNESS_SCHEMA, what="robustness analysis"), result
        )
    made = letters(result, criteria, lang=lang, date=date, robustness=robustness)
    inputs = [p for p in (result_path, criteria_path, robustness_path) if p is not None]
    return write_letters(made, folder, inputs=inputs, force=force)
