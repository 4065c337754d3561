"""The shortlist workbook: its table sheets (Koppelingen, Shortlist, Reservelijst, Alternatieven,
Motivatie, Intake, Partners), `build_workbook` putting all of them in order (Stabiliteit with partner
ratings), and `write_shortlist`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.comments import Comment
from openpyxl.packaging.custom import FloatProperty, IntProperty
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from ..cells import as_number
from ..criteria import Criteria
from ..errors import OutputError
from ..files import check_output, guard_existing, save_workbook
from ..i18n import LANGS, code_label, decision_word, sentence
from ..i18n.wording import (
    change_text,
    issue_text,
    pair_key,
    partner_reasons,
    reason_text,
    replacement_text,
    resolution_text,
    why_text,
)
from ..pairing import PairingResult
from ..schema import (
    BREAKDOWN,
    CANDIDATE_ID,
    COMPLETED,
    CONTACT_EMAIL,
    CONTACT_FUNCTION,
    CONTACT_NAME,
    COUNTRY,
    COUNTRY_PREFERENCE,
    ELIGIBLE,
    LANGUAGES,
    MOTIVATION,
    MUNICIPALITY,
    NAME_AS_WRITTEN,
    PARTNER,
    PARTNER_LANGUAGES,
    PARTNER_THEMES,
    PERSONAL_FIELDS,
    PROJECTS,
    PROVINCE,
    RANK,
    REASON_CODES,
    REASONS,
    RESPONDENT,
    RESPONDENT_EMAIL,
    SCORE,
    SUBMISSION_ID,
    SUPERSEDED_BY,
    THEMES,
    is_missing,
)
from .book import (
    BLUE,
    CHANGED_FILL,
    DISAGREEMENT_FILL,
    LABEL_FONT,
    Book,
    Col,
    add_data_bars,
    add_validation,
    indent_cell,
)
from .context import (
    Context,
    as_mapping,
    component_keys,
    component_label,
    disagreement_points,
    disagreements_by_candidate,
    item_label,
    preference_name,
    province_name,
    ranked_candidates,
    region_name,
)
from .layout import (
    COL_COUNTRY,
    COL_DECISION,
    COL_MUNICIPALITY,
    COL_NOTE,
    COL_PAIR_WITH,
    COL_PARTNER,
    COL_PROVINCE,
    COL_REFNIS,
    PROP_FILLED,
    PROP_TOTAL_VALUE,
    SHEET_ALTERNATIVES,
    SHEET_INTAKE,
    SHEET_MOTIVATION,
    SHEET_PAIRS,
    SHEET_PARTNERS,
    SHEET_RESERVES,
    SHEET_SHORTLIST,
)
from .overview import sheet_overview, sheet_parameters
from .stability_sheet import sheet_stability
from .typed import input_cells, shortlist_mark, typed_decisions

_PERSONAL_COLUMNS: Final = frozenset(
    {*PERSONAL_FIELDS, "Naam", "E-mail", "Naam contactpersoon", "E-mailadres contactpersoon"}
)
_CHART_MAX: Final = 50  # candidates in the Shortlist bar chart


def _sheet_pairs(book: Book, ctx: Context) -> None:
    t, lang, result = book.t, book.lang, ctx.result
    ws = book.sheet(SHEET_PAIRS)
    components = component_keys(p.get(BREAKDOWN) for p in result.pairs)
    cols = [
        Col(t(COL_MUNICIPALITY)),
        Col(t(COL_REFNIS), "id", printed=False),
        Col(t(COL_PROVINCE)),
        Col(t(COL_PARTNER), wrap_at=22),
        Col(t(COL_COUNTRY)),
        Col(t("region"), wrap_at=20),
        Col(t("value"), "num"),
        *(Col(component_label(k, lang, ctx.criteria), "num", printed=False) for k in components),
        Col(t(COL_DECISION), "input", 12),
        Col(t(COL_NOTE), "input", 20),
    ]
    if result.changes:
        cols.append(Col(t("change"), "long", 40))
    replacements = {str(r.get(CANDIDATE_ID)): r for r in result.replacements}
    if replacements:
        cols.append(Col(t("replacement"), "long", 36))
    pairs = sorted(
        result.pairs, key=lambda p: (ctx.country_order(p.get(COUNTRY)), -(as_number(p.get("value")) or 0))
    )
    rows: list[list[object]] = []
    for pair in pairs:
        cid = str(pair.get(CANDIDATE_ID))
        cand = ctx.candidates.get(cid, {})
        partner: Mapping[str, Any] = ctx.partners.get(str(pair.get(PARTNER)), {})
        breakdown = as_mapping(pair.get(BREAKDOWN))
        decision = decision_word("lock", lang) if (cid, str(pair.get(PARTNER))) in ctx.locked else None
        row: list[object] = [
            ctx.name(cid),
            cid,
            province_name(cand.get(PROVINCE), lang),
            pair.get(PARTNER),
            code_label(str(pair.get(COUNTRY) or partner.get(COUNTRY) or ""), lang),
            region_name(partner, lang),
            pair.get("value"),
            *(breakdown.get(k) for k in components),
            decision,
            note_of(ctx, cid, str(pair.get(PARTNER))),
        ]
        if result.changes:
            change = ctx.changes.get((cid, str(pair.get(PARTNER))))
            row.append(change_text(change, ctx.names, lang) if change else None)
        if replacements:
            withdrawal = replacements.get(cid)
            row.append(replacement_text(withdrawal, ctx.names, lang) if withdrawal else None)
        rows.append(row)
    last = book.table(ws, cols, rows)
    value_col = get_column_letter(7)
    if rows:
        add_data_bars(ws, f"{value_col}2:{value_col}{last}")
        decision_col = get_column_letter(8 + len(components))
        add_validation(
            ws,
            f"{decision_col}2:{decision_col}{last}",
            [decision_word("lock", lang), decision_word("forbid", lang)],
            t("decision"),
            t("pairs_prompt"),
        )
        if result.changes:
            change_col = 10 + len(components)
            for i, pair in enumerate(pairs, start=2):
                change = ctx.changes.get((str(pair.get(CANDIDATE_ID)), str(pair.get(PARTNER))))
                if change and change.get("change") != "kept":
                    for j in range(1, change_col + 1):
                        ws.cell(row=i, column=j).fill = CHANGED_FILL
    comment = Comment(t("decide_pairs"), "matchmaker")
    ws.cell(row=1, column=8 + len(components)).comment = comment


def _sheet_shortlist(book: Book, ctx: Context, partner_ref: str | None) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_SHORTLIST)
    ranked = ranked_candidates(ctx)
    components = component_keys(c.get(BREAKDOWN) for c in ranked)
    contacts = (
        [] if book.scrub else [CONTACT_NAME, CONTACT_FUNCTION, CONTACT_EMAIL, RESPONDENT, RESPONDENT_EMAIL]
    )
    block = as_mapping(ctx.result.reviews)
    # a column only when there were reviewers to disagree
    marked = bool(block.get("reviewers"))
    disagreements = disagreements_by_candidate(ctx)
    cols = [
        Col(t("rank"), "int"),
        # long names wrap, so that the page's width goes to the explanation
        Col(t(COL_MUNICIPALITY), wrap_at=18),
        # the committee's columns print; the technical ones fold away between them or follow them
        Col(t(COL_REFNIS), "id", printed=False),
        Col(t(COL_PROVINCE), wrap_at=15),
        Col(t("preference"), printed=False),
        Col(t("languages"), "long", 16, printed=False),
        Col(t("themes"), "long", 22, printed=False),
        Col(t("score"), "num", 11),
        *(Col(component_label(k, lang, ctx.criteria), "num", printed=False) for k in components),
        *([Col(t("reviewer_disagreement"), wrap_at=24, printed=False)] if marked else []),
        Col(t("selected"), "flag"),
        Col(t(COL_PARTNER), wrap_at=16),
        Col(t("why"), "long", 48),
        Col(t("score_needed"), "num"),
        Col(t("score_to_exceed"), "num"),
        Col(t(COL_DECISION), "input", 13),
        # printed when a refusal stands there: "weiger" alone would not say which pair
        Col(t(COL_PAIR_WITH), "input", 11, printed=bool(ctx.refused)),
        Col(t(COL_NOTE), "input", 20, printed=False),
        *(Col(t(field), printed=False) for field in contacts),
    ]
    rows: list[list[object]] = []
    for cand in ranked:
        cid = str(cand.get(CANDIDATE_ID))
        explanation = ctx.explanations.get(cid, {})
        pair = ctx.pair_of.get(cid)
        breakdown = as_mapping(cand.get(BREAKDOWN))
        flag = explanation.get("selected")
        selected = pair is not None if flag is None else bool(flag)
        differ = [
            f"{item_label(d.get('item'), block, ctx, lang)} "
            f"({min(as_mapping(d.get('ratings')).values())}–{max(as_mapping(d.get('ratings')).values())})"
            for d in disagreements.get(cid, ())
            if as_mapping(d.get("ratings"))
        ]
        rows.append(
            [
                cand.get(RANK),
                ctx.name(cid),
                cand.get(CANDIDATE_ID),
                province_name(cand.get(PROVINCE), lang),
                preference_name(cand.get(COUNTRY_PREFERENCE), lang),
                cand.get(LANGUAGES),
                cand.get(THEMES),
                cand.get(SCORE),
                *(breakdown.get(k) for k in components),
                *(["; ".join(differ) or None] if marked else []),
                selected,
                pair.get(PARTNER) if pair else None,
                why_text(explanation, ctx.names, lang),
                None if selected else explanation.get("score_needed"),
                None if selected else _to_exceed(cand.get(SCORE), explanation.get("score_needed")),
                # the standing decisions on the candidate, where they were made: clearing one lifts it
                decision_word("exclude", lang)
                if cid in ctx.excluded
                else decision_word("forbid", lang)
                if cid in ctx.refused
                else None,
                "; ".join(ctx.refused[cid]) if cid in ctx.refused and cid not in ctx.excluded else None,
                note_of(ctx, cid, None),
                *(cand.get(field) for field in contacts),
            ]
        )
    last = book.table(ws, cols, rows, freeze="C")
    if not rows:
        return
    # the columns by their headers, never by counting: a column added above must not shift a rule
    where = {col.header: j for j, col in enumerate(cols, start=1)}
    score_col = get_column_letter(where[t("score")])
    add_data_bars(ws, f"{score_col}2:{score_col}{last}")
    marker_j = where.get(t("reviewer_disagreement"), 0)
    decision_j = where[t(COL_DECISION)]
    if marked:
        points = disagreement_points(block)
        prompt = sentence("disagreement_prompt", lang, points=points)
        ws.cell(row=1, column=marker_j).comment = Comment(prompt, "matchmaker")
        for i, cand in enumerate(ranked, start=2):
            if disagreements.get(str(cand.get(CANDIDATE_ID))):
                ws.cell(row=i, column=marker_j).fill = DISAGREEMENT_FILL
                indent_cell(ws.cell(row=i, column=marker_j))
    decision_col = get_column_letter(decision_j)
    add_validation(
        ws,
        f"{decision_col}2:{decision_col}{last}",
        [decision_word("exclude", lang), decision_word("forbid", lang)],
        t("decision"),
        t("candidates_prompt_standing"),
    )
    ws.cell(row=1, column=decision_j).comment = Comment(t("decide_candidates_standing"), "matchmaker")
    if partner_ref is not None:
        pair_col = get_column_letter(where[t(COL_PAIR_WITH)])
        add_validation(
            ws, f"{pair_col}2:{pair_col}{last}", partner_ref, t("pair_with"), t("pair_with_prompt")
        )
    for i, cand in enumerate(ranked, start=2):
        if str(cand.get(CANDIDATE_ID)) in ctx.pair_of:
            ws.cell(row=i, column=2).font = LABEL_FONT
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    # A bar per candidate stays readable up to a few dozen; beyond that the chart shows the best.
    shown = min(len(rows), _CHART_MAX)
    top = f", {t('chart_top').format(n=shown)}" if shown < len(rows) else ""
    chart.title = f"{t('chart_title')} ({t('chart_selected')}{top})"
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=where[t("score")], min_row=1, max_row=shown + 1), titles_from_data=True
    )
    series = chart.series[0]
    series.graphicalProperties.solidFill = "9DC3E6"
    series.graphicalProperties.line.noFill = True
    for i, cand in enumerate(ranked[:shown]):
        if str(cand.get(CANDIDATE_ID)) in ctx.pair_of:
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = BLUE
            point.graphicalProperties.line.noFill = True
            series.dPt.append(point)
    chart.set_categories(Reference(ws, min_col=where[t(COL_MUNICIPALITY)], min_row=2, max_row=shown + 1))
    chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.y_axis.numFmt = "0"
    chart.gapWidth = 40
    chart.width = 24
    chart.height = min(17.0, max(7.5, 0.33 * shown + 2))  # one A4 landscape page
    ws.add_chart(chart, f"B{last + 3}")
    ws.row_breaks.append(Break(id=last + 1))  # the chart prints on a page of its own
    # the print area reaches below the chart's bottom edge (a row is 15 pt, 0.53 cm)
    chart_rows = math.ceil(chart.height / 0.53) + 4
    last_j = where[t(COL_PAIR_WITH)] if ctx.refused else decision_j
    ws.print_area = f"A1:{get_column_letter(last_j)}{last + 2 + chart_rows}"


def _sheet_motivation(book: Book, ctx: Context) -> None:
    """The candidates' own words, on a sheet of their own so the Shortlist stays one line a row."""
    t = book.t
    ws = book.sheet(SHEET_MOTIVATION)
    cols = [
        Col(t("rank"), "int"),
        Col(t(COL_MUNICIPALITY)),
        Col(t("selected"), "flag"),
        Col(t("motivation_text"), "long", 80),
        Col(t("projects"), "long", 55),
    ]
    rows: list[list[object]] = [
        [
            cand.get(RANK),
            ctx.name(cand.get(CANDIDATE_ID)),
            str(cand.get(CANDIDATE_ID)) in ctx.pair_of,
            cand.get(MOTIVATION),
            cand.get(PROJECTS),
        ]
        for cand in ranked_candidates(ctx)
    ]
    book.table(ws, cols, rows, freeze="C")


def _sheet_reserves(book: Book, ctx: Context) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_RESERVES)
    cols = [
        Col(t(COL_COUNTRY)),
        Col(t("rank"), "int"),
        Col(t(COL_MUNICIPALITY)),
        Col(t(COL_REFNIS), "id", printed=False),
        Col(t(COL_PROVINCE)),
        Col(t("score"), "num"),
        Col(t("value"), "num"),
        Col(t("why"), "long", 60),
        Col(t("score_needed"), "num"),
        Col(t("score_to_exceed"), "num"),
        Col(t("own_province"), "flag", 16),
    ]
    reserves = sorted(
        ctx.result.reserves, key=lambda r: (ctx.country_order(r.get(COUNTRY)), as_number(r.get(RANK)) or 0)
    )
    rows = []
    for reserve in reserves:
        cid = str(reserve.get(CANDIDATE_ID))
        cand = ctx.candidates.get(cid, {})
        explanation = ctx.explanations.get(cid, {})
        # the points it needs in this country (an older result: those it needs anywhere)
        needed = reserve.get("score_needed") if "need" in reserve else explanation.get("score_needed")
        rows.append(
            [
                code_label(str(reserve.get(COUNTRY) or ""), lang),
                reserve.get(RANK),
                ctx.name(cid),
                cand.get(CANDIDATE_ID),
                province_name(cand.get(PROVINCE), lang),
                cand.get(SCORE),
                reserve.get("value"),  # the best pair in that country: what the ranking follows
                why_text(explanation, ctx.names, lang),
                needed,
                _to_exceed(cand.get(SCORE), needed),
                bool(reserve.get("own_province")),
            ]
        )
    last = book.table(ws, cols, rows, freeze="D")
    if rows:
        add_data_bars(ws, f"G2:G{last}")


def _sheet_alternatives(book: Book, ctx: Context) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_ALTERNATIVES)
    cols = [
        Col(t("alternative"), "int"),
        Col(t("objective"), "num"),
        Col(t("gap"), "pct"),
        Col(t(COL_MUNICIPALITY)),
        Col(t(COL_REFNIS), "id"),
        Col(t(COL_PARTNER)),
        Col(t(COL_COUNTRY)),
        Col(t("value"), "num"),
        Col(t("differs"), "flag"),
    ]
    best = {pair_key(p) for p in ctx.result.pairs}
    rows: list[list[object]] = []
    for alternative in sorted(ctx.result.alternatives, key=lambda a: as_number(a.get("rank")) or 0):
        gap = as_number(alternative.get("gap_pct"))
        for pair in sorted(
            alternative.get("pairs") or (),
            key=lambda p: (ctx.country_order(p.get(COUNTRY)), str(p.get(PARTNER))),
        ):
            cid = str(pair.get(CANDIDATE_ID))
            rows.append(
                [
                    alternative.get("rank"),
                    alternative.get("objective"),
                    gap / 100 if gap is not None else None,
                    ctx.name(cid),
                    cid,
                    pair.get(PARTNER),
                    code_label(str(pair.get(COUNTRY) or ""), lang),
                    pair.get("value"),
                    pair_key(pair) not in best,
                ]
            )
    last = book.table(ws, cols, rows, freeze="D")
    for i in range(2, last + 1):
        if ws.cell(row=i, column=9).value == t("yes"):
            for j in range(4, 10):
                ws.cell(row=i, column=j).fill = CHANGED_FILL


def _sheet_intake(book: Book, ctx: Context) -> None:
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_INTAKE)
    cols = [
        Col(t("submission"), "int"),
        Col(t("completed"), "date"),
        Col(t("name_as_written"), wrap_at=22),
        Col(t(COL_MUNICIPALITY), wrap_at=18),
        Col(t("resolution"), "long", 26),
        Col(t("kind"), wrap_at=16),
        Col(t("column"), wrap_at=18),
        Col(t("answer"), "long", 30),
        Col(t("problem"), "long", 44),
    ]
    entries: list[tuple[float, int, list[object]]] = []
    by_submission: dict[str, Mapping[str, Any]] = {}
    cand: Mapping[str, Any]
    for cand in ctx.result.candidates:
        by_submission[str(cand.get(SUBMISSION_ID))] = cand
        if cand.get(ELIGIBLE):
            continue
        kind = t("not_eligible") if is_missing(cand.get(SUPERSEDED_BY)) else t("superseded")
        reasons = cand.get(REASONS) or [None]
        if isinstance(reasons, str):
            reasons = [reasons]
        codes = cand.get(REASON_CODES)
        # the facts only count when they go with the recorded reasons one for one
        facts = (
            list(codes) if isinstance(codes, list) and len(codes) == len(reasons) else [None] * len(reasons)
        )
        for reason, fact in zip(reasons, facts, strict=True):
            entries.append(
                (
                    as_number(cand.get(SUBMISSION_ID)) or 0,
                    0,
                    [
                        cand.get(SUBMISSION_ID),
                        cand.get(COMPLETED),
                        cand.get(NAME_AS_WRITTEN),
                        cand.get(MUNICIPALITY),
                        resolution_text(cand, lang),
                        kind,
                        None,
                        None,
                        reason_text(fact, lang) or reason,
                    ],
                )
            )
    for issue in ctx.result.issues:
        sid = issue.get("submission_id")
        cand = by_submission.get(str(sid), {})
        column = issue.get("column")
        value = issue.get("value")
        if book.scrub and str(column) in _PERSONAL_COLUMNS:
            value = None
        entries.append(
            (
                as_number(sid) or 0,
                1,
                [
                    sid,
                    cand.get(COMPLETED),
                    cand.get(NAME_AS_WRITTEN),
                    cand.get(MUNICIPALITY),
                    resolution_text(cand, lang),
                    t("input_problem"),
                    column,
                    value,
                    issue_text(issue, lang) or issue.get("problem"),
                ],
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    book.table(ws, cols, [e[2] for e in entries], freeze="B")


def _sheet_partners(book: Book, ctx: Context) -> str | None:
    """Write the partners, eligible first; return the range of eligible names for a drop-down list."""
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_PARTNERS)
    cols = [
        Col(t(COL_PARTNER)),
        Col(t(COL_COUNTRY)),
        Col(t("region")),
        Col(t("themes")),
        Col(t("languages")),
        Col(t("eligible"), "flag"),
        Col(t("reasons"), "long", 50),
    ]
    partners = sorted(
        ctx.result.partners,
        key=lambda p: (not p.get(ELIGIBLE, True), ctx.country_order(p.get(COUNTRY)), str(p.get(PARTNER))),
    )
    rows = [
        [
            p.get(PARTNER),
            code_label(str(p.get(COUNTRY) or ""), lang),
            region_name(p, lang),
            p.get(PARTNER_THEMES),
            p.get(PARTNER_LANGUAGES),
            p.get(ELIGIBLE, True),
            partner_reasons(p, ctx.quotas, lang),
        ]
        for p in partners
    ]
    book.table(ws, cols, rows)
    eligible = sum(1 for p in partners if p.get(ELIGIBLE, True))
    return f"='{SHEET_PARTNERS}'!$A$2:$A${eligible + 1}" if eligible else None


def build_workbook(
    result: PairingResult,
    *,
    lang: str = "nl",
    include_contacts: bool = False,
    criteria: Criteria | None = None,
) -> Workbook:
    """The shortlist workbook in memory; `write_shortlist` saves it."""
    if lang not in LANGS:
        raise OutputError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    book = Book(lang, include_contacts)
    ctx = Context(result, criteria)
    sheet_overview(book, ctx)
    _sheet_pairs(book, ctx)
    shortlist = book.sheet(SHEET_SHORTLIST)  # placeholder keeps the order; filled once partners exist
    _sheet_reserves(book, ctx)
    if result.alternatives:
        _sheet_alternatives(book, ctx)
    _sheet_motivation(book, ctx)
    _sheet_intake(book, ctx)
    partner_ref = _sheet_partners(book, ctx)
    if result.robustness:
        from .robustness_sheet import sheet_robustness

        sheet_robustness(book, ctx)
    sheet_stability(book, ctx)
    sheet_parameters(book, ctx)
    book.wb.remove(shortlist)
    _sheet_shortlist(book, ctx, partner_ref)
    book.wb.move_sheet(SHEET_SHORTLIST, offset=2 - (len(book.wb.sheetnames) - 1))
    book.wb.active = 0
    filled = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.wb.worksheets}
    book.wb.properties.keywords = shortlist_mark(input_cells(filled))
    book.wb.custom_doc_props.append(FloatProperty(name=PROP_TOTAL_VALUE, value=float(result.objective)))
    slots = sum(int(v) for v in result.filled.values())
    book.wb.custom_doc_props.append(IntProperty(name=PROP_FILLED, value=slots))
    return book.wb


def write_shortlist(
    result: PairingResult,
    out: Path | str,
    *,
    lang: str = "nl",
    include_contacts: bool = False,
    criteria: Criteria | None = None,
    inputs: Iterable[Path | str] = (),
    force: bool = False,
) -> Path:
    """Write the shortlist workbook to `out` atomically and return the path.

    The input files recorded in the result's manifest (and `inputs`) are never overwritten, nor,
    unless `force`, a workbook holding the committee's decisions or one matchmaker did not write.
    """
    out = Path(out)
    recorded = [
        str(e.get("path"))
        for e in result.manifest.get("inputs") or ()
        if isinstance(e, Mapping) and e.get("path")
    ]
    guarded = [*recorded, *inputs]
    if criteria is not None and criteria.path is not None:
        guarded.append(criteria.path)
    check_output(out, guarded)
    guard_existing(out, force=force, judge=typed_decisions)  # before the work, and again when saving
    workbook = build_workbook(result, lang=lang, include_contacts=include_contacts, criteria=criteria)
    return save_workbook(workbook, out, inputs=guarded, force=force, judge=typed_decisions)


def _to_exceed(score: object, needed: object) -> float | None:
    """The score a candidate must exceed to be selected: its score plus the extra points needed."""
    base, extra = as_number(score), as_number(needed)
    return None if base is None or extra is None else round(base + extra, 6)


def note_of(ctx: Context, cid: str, partner: str | None) -> str | None:
    """The committee's note carried to this row: on the pair, or on the candidate (a note on a pair
    that is gone names its partner)."""
    texts = [
        f"{n.get('about')}: {n.get('note')}" if n.get("about") else str(n.get("note"))
        for n in ctx.notes.get((cid, partner), ())
    ]
    return " | ".join(texts) or None
