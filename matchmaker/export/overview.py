"""The shortlist's free-form sheets: Overzicht (slots, budget, changes, the reviewers' agreement,
the run, how to decide) and Parameters (criteria, constraints, decisions, inputs, versions).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from openpyxl.worksheet.worksheet import Worksheet

from ..cells import as_number
from ..i18n import code_label, join_words, label, number, sentence
from ..i18n.wording import (
    change_text,
    colon_for,
    cost_sentences,
    replacement_text,
    tie_break_text,
    unfilled_text,
)
from ..schema import CANDIDATE_ID, COUNTRY, MUNICIPALITY, PARTNER
from .book import LABEL_FONT, TITLE_FONT, Book, indent_cell, parse_datetime
from .context import (
    Context,
    as_mapping,
    budget_per_partnership,
    disagreement_points,
    item_label,
    ranked_candidates,
)
from .layout import (
    COL_MUNICIPALITY,
    COL_PARTNER,
    COL_REFNIS,
    KIND_FORBIDDEN,
    KIND_LOCKED,
    SHEET_OVERVIEW,
    SHEET_PARAMETERS,
)


def sheet_overview(book: Book, ctx: Context) -> None:
    t, result = book.t, ctx.result
    ws = book.sheet(SHEET_OVERVIEW)
    for letter, width in {"A": 30, "B": 16, "C": 14, "D": 12, "E": 70}.items():
        ws.column_dimensions[letter].width = width
    name = ctx.criteria.name_in(book.lang) if ctx.criteria else result.manifest.get("criteria_name")
    row = book.title(ws, 1, f"{t('shortlist')} – {name}" if name else t("title"), TITLE_FONT)
    created = parse_datetime(result.manifest.get("created"))
    stamp = created.strftime("%Y-%m-%d %H:%M") if created else ""
    status = f"{t('status')}{colon_for(book.lang)} {t(str(result.status))}"
    row = book.note(ws, row, f"{stamp}  ·  {status}".strip(" ·"))
    row += 1

    row = _selected_section(book, ws, row, ctx)
    row = book.title(ws, row, t("slots"))
    reasons: dict[str, list[str]] = {}
    for gap in result.unfilled:
        reasons.setdefault(str(gap.get(COUNTRY)), []).append(unfilled_text(gap, book.lang))
    slot_rows: list[list[object]] = []
    for country in ctx.countries:
        quota = ctx.quotas.get(country)
        filled = int(result.filled.get(country, 0))
        open_ = max(quota - filled, 0) if quota is not None else None
        slot_rows.append(
            [code_label(country, book.lang), quota, filled, open_, " ".join(reasons.get(country, []))]
        )
    total_quota = sum(ctx.quotas.values()) if ctx.quotas else None
    total_filled = sum(int(v) for v in result.filled.values())
    slot_rows.append(
        [
            t("total"),
            total_quota,
            total_filled,
            max(total_quota - total_filled, 0) if total_quota is not None else None,
            "",
        ]
    )
    last_slot_row = row + len(slot_rows)
    row = book.small_table(
        ws,
        row,
        [t("country"), t("quota"), t("filled"), t("open"), t("reason")],
        slot_rows,
        ["text", "int", "int", "int", "long"],
    )
    for j in range(1, 6):
        ws.cell(row=last_slot_row, column=j).font = LABEL_FONT

    row = _changes_section(book, ws, row, ctx)

    row = book.title(ws, row, t("budget"))
    budget = budget_per_partnership(ctx)
    pairs = len(result.pairs)
    row = book.pairs_kv(
        ws,
        row,
        [
            (t("per_partnership"), budget, "money"),
            (f"  {t('flemish_side')}", budget / 2, "money"),
            (f"  {t('partner_side')}", budget / 2, "money"),
            (t("partnerships_filled"), pairs, "int"),
            (t("total"), budget * pairs, "money"),
            (f"  {t('flemish_side')}", budget * pairs / 2, "money"),
            (f"  {t('partner_side')}", budget * pairs / 2, "money"),
        ],
    )
    ws.cell(row=row - 3, column=1).font = LABEL_FONT
    ws.cell(row=row - 3, column=2).font = LABEL_FONT
    row = book.note(ws, row, t("budget_note")) + 1

    row = _reviews_section(book, ws, row, ctx)

    row = book.title(ws, row, t("run"))
    manifest = result.manifest
    items: list[tuple[str, object, str]] = [
        (t("created"), created, "date"),
        (t("status"), t(str(result.status)), "text"),
        (t("solver"), manifest.get("solver"), "text"),
        (t("objective"), result.objective, "num"),
    ]
    for entry in manifest.get("inputs") or ():
        if isinstance(entry, Mapping):
            role = f"role_{entry.get('role')}"
            items.append(
                (t(role) if t(role) != role else t("file"), Path(str(entry.get("path", ""))).name, "text")
            )
    row = book.pairs_kv(ws, row, items) + 1

    row = book.title(ws, row, t("how_to_decide"))
    for key in ("decide_pairs", "decide_candidates_standing", "decide_rerun"):
        row = book.note(ws, row, t(key))
    if book.scrub:
        row = book.note(ws, row + 1, t("contacts_left_out"))
    book.keep_sections(ws, 5)


def _changes_section(book: Book, ws: Worksheet, row: int, ctx: Context) -> int:
    """In a round that re-solved decisions: the total value and filled slots before and after, and
    each change with the points it brings or costs. Returns the next free row."""
    t, lang, result = book.t, book.lang, ctx.result
    shown = [c for c in result.changes if c.get("change") != "kept" or c.get("decision")]
    cost = as_mapping(result.cost)
    if not shown and not cost:
        return row
    row = book.title(ws, row, t("changes"))
    if cost:
        for text in cost_sentences(cost, lang):
            row = book.note(ws, row, text)
        row += 1
    if not shown:
        return row
    order = {"removed": 0, "dropped": 0, "added": 1, "kept": 2}
    changes = sorted(shown, key=lambda c: (order.get(str(c.get("change")), 3), ctx.name(c.get(CANDIDATE_ID))))

    def points(change: Mapping[str, object]) -> float | None:
        value = as_number(change.get("value"))
        if value is None or change.get("change") == "kept":
            return None
        return -value if change.get("change") in {"removed", "dropped"} else value

    return book.small_table(
        ws,
        row,
        [t("change"), t("municipality"), t("partner"), t("points"), t("reason")],
        [
            [
                label(str(c.get("change")), lang),
                ctx.name(c.get(CANDIDATE_ID)),
                c.get(PARTNER),
                points(c),
                change_text(c, ctx.names, lang, kind=False),
            ]
            for c in changes
        ],
        ["text", "text", "text", "points", "long"],
    )


def _selected_section(book: Book, ws: Worksheet, row: int, ctx: Context) -> int:
    """The pairs the committee is asked to confirm, country by country, best value first."""
    t, lang = book.t, book.lang
    row = book.title(ws, row, t("selected_pairs"))
    pairs = sorted(
        ctx.result.pairs,
        key=lambda p: (ctx.country_order(p.get(COUNTRY)), -(as_number(p.get("value")) or 0)),
    )
    if not pairs:
        return book.note(ws, row, t("none")) + 1
    # who takes the place when it withdraws, beside each pair (a result without them: nothing)
    withdrawals = {str(r.get(CANDIDATE_ID)): r for r in ctx.result.replacements}
    rows: list[list[object]] = [
        [
            code_label(str(p.get(COUNTRY) or ""), lang),
            p.get(PARTNER),
            ctx.name(p.get(CANDIDATE_ID)),
            p.get("value"),
            *(
                [replacement_text(withdrawals[cid], ctx.names, lang) if cid in withdrawals else None]
                if withdrawals
                else []
            ),
        ]
        for p in pairs
        for cid in [str(p.get(CANDIDATE_ID))]
    ]
    heads = [t("country"), t(COL_PARTNER), t(COL_MUNICIPALITY), t("value")]
    kinds = ["text", "text", "text", "num"]
    if withdrawals:
        heads, kinds = [*heads, t("replacement")], [*kinds, "long"]
    return book.small_table(ws, row, heads, rows, kinds)


# Krippendorff's own guidance (Content Analysis, 2004): rely on data with alpha >= .800, draw
# tentative conclusions only down to .667.
_ALPHA_HIGH: Final = 0.8
_ALPHA_LOW: Final = 0.667


def _alpha_reading(alpha: float | None) -> str:
    if alpha is None:
        return "alpha_unknown"
    if alpha >= _ALPHA_HIGH:
        return "alpha_high"
    return "alpha_moderate" if alpha >= _ALPHA_LOW else "alpha_low"


def _reviews_section(book: Book, ws: Worksheet, row: int, ctx: Context) -> int:
    """Who reviewed, how well they agree per rubric item and where they differ; without reviews,
    that the form's self-assessment stood in. Returns the next free row."""
    t, lang = book.t, book.lang
    block = as_mapping(ctx.result.reviews)
    reviewers = [str(r) for r in block.get("reviewers") or ()]
    # where each eligible candidate's motivation came from, as scoring recorded it
    origin: dict[str, list[str]] = {}
    for cand in ranked_candidates(ctx):
        source = cand.get("motivation_source")
        if isinstance(source, str):
            origin.setdefault(source, []).append(ctx.name(cand.get(CANDIDATE_ID)))
    if not block and not origin:
        return row  # a result that records nothing about its reviews
    row = book.title(ws, row, t("review_section"))
    points = disagreement_points(block)
    own, unknown = origin.get("self-assessment", []), origin.get("none", [])
    if not reviewers:
        if own:
            row = book.note(ws, row, sentence("self_assessment_all", lang, n=len(own)))
        else:
            row = book.note(ws, row, t("no_reviews"))
        if unknown:
            names = join_words(unknown, lang)
            row = book.note(ws, row, sentence("motivation_unknown", lang, n=len(unknown), names=names))
        return row + 1

    disagreements = [d for d in block.get("disagreements") or () if isinstance(d, Mapping)]
    aggregate = block.get("aggregate") or "mean"
    row = book.pairs_kv(
        ws,
        row,
        [
            (t("reviewers"), "; ".join(reviewers), "text"),
            (t("ratings_given"), block.get("ratings"), "int"),
            (t("aggregation"), t(f"aggregate_{aggregate}"), "text"),
            (sentence("disagreement_count", lang, points=points), len(disagreements), "int"),
        ],
    )
    if own:
        names = join_words(own, lang)
        row = book.note(ws, row, sentence("self_assessment_some", lang, n=len(own), names=names))
    if unknown:
        names = join_words(unknown, lang)
        row = book.note(ws, row, sentence("motivation_unknown", lang, n=len(unknown), names=names))
    row += 1

    alphas: list[float | None] = []
    alpha_rows: list[list[object]] = []
    for key, value in as_mapping(block.get("agreement")).items():
        alpha = as_number(value)
        alphas.append(alpha)
        alpha_rows.append([item_label(key, block, ctx, lang), alpha, t(_alpha_reading(alpha))])
    if alpha_rows:
        first = row + 1
        row = book.small_table(
            ws, row, [t("rubric_item"), t("alpha"), t("alpha_reading")], alpha_rows, ["text", "num", "text"]
        )
        for i, alpha in enumerate(alphas):
            if alpha is not None:
                ws.cell(row=first + i, column=2).number_format = book.number_format("0.00")
            indent_cell(ws.cell(row=first + i, column=3))
        high, low = number(_ALPHA_HIGH, lang), number(_ALPHA_LOW, lang)
        row = book.note(ws, row - 1, sentence("alpha_note", lang, high=high, low=low)) + 1

    if disagreements:
        row = book.title(ws, row, sentence("disagreements_title", lang, points=points))
        colon = colon_for(lang)
        rows: list[list[object]] = []
        for d in disagreements:
            cid = d.get(CANDIDATE_ID)
            ratings = as_mapping(d.get("ratings"))
            rows.append(
                [
                    d.get(MUNICIPALITY) or ctx.name(cid),
                    cid,
                    item_label(d.get("item"), block, ctx, lang),
                    d.get("spread"),
                    "\n".join(f"{reviewer}{colon} {rating}" for reviewer, rating in ratings.items()),
                ]
            )
        first = row + 1
        row = book.small_table(
            ws,
            row,
            [t("municipality"), t("refnis"), t("rubric_item"), t("spread"), t("ratings_by_reviewer")],
            rows,
            ["text", "id", "text", "int", "long"],
        )
        for i in range(len(rows)):
            indent_cell(ws.cell(row=first + i, column=5))
    else:
        row = book.note(ws, row, sentence("no_disagreements", lang, points=points)) + 1
    return _conflicts_section(book, ws, row, block, ctx)


def _conflicts_section(book: Book, ws: Worksheet, row: int, block: Mapping[str, Any], ctx: Context) -> int:
    """The declared conflicts of interest: who, which candidate, declared where."""
    conflicts = [c for c in block.get("conflicts") or () if isinstance(c, Mapping)]
    if not conflicts:
        return row
    t, lang = book.t, book.lang
    row = book.title(ws, row, t("conflicts_title"))
    rows: list[list[object]] = [
        [
            c.get("reviewer"),
            c.get(MUNICIPALITY) or ctx.name(c.get(CANDIDATE_ID)),
            c.get(CANDIDATE_ID),
            t("conflict_declared_sheet")
            if c.get("declared") == "sheet"
            else sentence(
                "conflict_declared_committee", lang, file=file_name(c.get("source")), row=c.get("row")
            ),
        ]
        for c in conflicts
    ]
    row = book.small_table(
        ws,
        row,
        [t("conflict_reviewer"), t("municipality"), t("refnis"), t("conflict_declared")],
        rows,
        ["long", "long", "id", "long"],  # wrapped in the columns as they are: a wider one shrinks the print
    )
    return book.note(ws, row - 1, sentence("conflicts_note", lang)) + 1


# The criteria file's labels are written in Dutch; other languages take the catalogue's words.
CRITERIA_LANG: Final = "nl"
# Manifest entries the sheet words elsewhere, or that hold a path on the machine of the run
# (the JSON keeps them for verify).
_SHOWN_ELSEWHERE: Final = frozenset(
    {"inputs", "criteria", "criteria_sha256", "versions", "solver", "solver_status", "created"}
    | {"cwd", "platform"}
)
# Options that the decisions table or the input files already show.
_OPTIONS_SHOWN_ELSEWHERE: Final = frozenset(
    {"reviews", "partner_ratings", "locks", "forbids", "exclude", "stay", "declared_conflicts"}
)


def file_label(key: str, written: str, lang: str, given: Mapping[str, str] | None = None) -> str:
    """A criterion's or rubric item's text in `lang`: the criteria file's translation (`given`),
    else the catalogue's for its key, else as the file writes it."""
    if given and given.get(lang):
        return given[lang]
    if lang != CRITERIA_LANG and label(key, lang) != key:
        return label(key, lang)
    return written


def file_name(path: object) -> str:
    """The name of a file without its folders: these name a user's home folder."""
    return Path(str(path).replace("\\", "/")).name or str(path)


def plain(value: object, lang: str) -> str:
    """A setting's value as words: lists joined, yes/no, no JSON."""
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if value is None:
        return label("no_limit", lang)
    if isinstance(value, Mapping):
        return "; ".join(f"{label(str(k), lang)}: {plain(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(plain(v, lang) for v in value) if value else label("none", lang)
    return label(str(value), lang) if isinstance(value, str) else str(value)


def run_settings(manifest: Mapping[str, object], lang: str) -> list[tuple[str, object, str]]:
    """The options of the run as a label and a value each, in the workbook's language."""

    def t(key: str) -> str:
        return label(key, lang)

    options = as_mapping(manifest.get("options"))
    items: list[tuple[str, object, str]] = []
    for key, value in options.items():
        if key in _OPTIONS_SHOWN_ELSEWHERE:
            continue
        if key == "aggregate":
            items.append((t("aggregate_reviews"), t(f"aggregate_{value}"), "text"))
        elif key == "alternatives":
            if value:
                distinct = t(f"distinct_{options.get('distinct')}")
                items.append((t("alternatives_shown"), f"{value} ({distinct})", "text"))
        elif key == "distinct":
            continue
        elif key == "keep":
            if value:
                items.append((t("kept_pairs"), plain(value, lang), "text"))
        elif key in ("time_limit", "time_budget"):
            seconds = as_number(value)
            limit = f"{number(seconds, lang)} {t('seconds_short')}" if seconds is not None else t("no_limit")
            items.append((t(key), limit, "text"))
        elif key == "strict":
            items.append((t("strict_input"), plain(bool(value), lang), "text"))
        elif key == "stability":
            items.append((t("stability"), plain(value, lang), "text"))
        elif key == "decisions":
            items.append((t("decisions_from"), file_name(value), "text"))
        elif key == "conflicts":
            items.append((t("conflicts"), file_name(value), "text"))
        else:
            items.append((t(str(key)), plain(value, lang), "text"))
    for key, value in manifest.items():
        if key in _SHOWN_ELSEWHERE or key == "options":
            continue
        if key == "not_computed":  # per kind of answer, how many the time budget left out
            counts = as_mapping(value)
            told = ", ".join(f"{counts[k]} {t(f'not_computed_{k}')}" for k in counts)
            items.append((t("not_computed"), told, "text"))
            continue
        items.append((t(str(key)), plain(value, lang), "text"))
    return items


def sheet_parameters(book: Book, ctx: Context) -> None:
    t, lang, result, criteria = book.t, book.lang, ctx.result, ctx.criteria
    manifest = result.manifest
    ws = book.sheet(SHEET_PARAMETERS)
    for letter, width in {"A": 34, "B": 40, "C": 12, "D": 24}.items():
        ws.column_dimensions[letter].width = width
    row = book.title(ws, 1, SHEET_PARAMETERS, TITLE_FONT) + 1
    if criteria is not None:
        row = book.title(ws, row, t("criteria"))
        row = book.pairs_kv(ws, row, [(t("criteria_name"), criteria.name_in(lang), "text")]) + 1
        row = book.small_table(
            ws,
            row,
            [t("component"), t("measured_by"), t("weight")],
            [
                [file_label(c.key, c.label, lang, c.labels), t(f"source_{c.source}"), c.weight]
                for c in criteria.criteria
            ],
            ["text", "long", "plain"],
        )
        if criteria.rubric:
            row = book.title(
                ws, row, t("rubric") + f" ({criteria.rubric_scale[0]}–{criteria.rubric_scale[1]})"
            )
            row = book.small_table(
                ws,
                row,
                [t("component"), t("description")],
                [
                    [
                        file_label(i.key, i.label, lang, i.labels),
                        file_label(f"{i.key}_description", i.description, lang, i.descriptions),
                    ]
                    for i in criteria.rubric
                ],
                ["text", "long"],
            )
    row = book.title(ws, row, t("constraints"))
    constraints = result.constraints
    items: list[tuple[str, object, str]] = [
        (f"{t('quota')} {code_label(c, lang)}", q, "int") for c, q in ctx.quotas.items()
    ]
    cap = constraints.get("max_per_province", criteria.pairing.max_per_province if criteria else None)
    items.append((t("max_per_province"), cap if cap is not None else t("no_limit"), "int"))
    if criteria is not None:
        minimum = criteria.pairing.min_value
        items.append((t("min_value"), minimum if minimum is not None else t("no_limit"), "plain"))
        items.append((t("tie_break"), tie_break_text(criteria.tie_break, lang), "text"))
    items.append((t("per_partnership"), budget_per_partnership(ctx), "money"))
    row = book.pairs_kv(ws, row, items) + 1
    if criteria is not None:
        fit = criteria.pairing.fit
        row = book.title(ws, row, t("fit_settings"))
        row = (
            book.pairs_kv(
                ws,
                row,
                [
                    (t(k), getattr(fit, k), "plain")
                    for k in ("preference_match", "no_preference", "theme_overlap", "language_match")
                ],
            )
            + 1
        )
        row = book.title(ws, row, t("language_rules"))
        row = (
            book.pairs_kv(
                ws,
                row,
                [
                    (
                        code_label(country, lang),
                        f"{t(rule.mode)}{colon_for(lang)} {t('any_of')} "
                        + ", ".join(code_label(code, lang) for code in rule.any_of),
                        "text",
                    )
                    for country, rule in criteria.pairing.languages.items()
                ],
            )
            + 1
        )
    row = book.title(ws, row, t("decisions"))
    decided: list[list[object]] = [[t(KIND_LOCKED), ctx.name(c), c, p] for c, p in sorted(ctx.locked)]
    decided += [[t(KIND_FORBIDDEN), ctx.name(c), c, p] for c, p in sorted(ctx.forbidden)]
    decided += [[t("excluded"), ctx.name(c), c, None] for c in ctx.excluded]
    if decided:
        row = book.note(ws, row, t("decisions_stand_where_made"))
        row = book.small_table(
            ws,
            row,
            [t("kind"), t(COL_MUNICIPALITY), t(COL_REFNIS), t(COL_PARTNER)],
            decided,
            ["text", "text", "id", "text"],
        )
    else:
        row = book.note(ws, row, t("none")) + 1
    row = book.title(ws, row, t("inputs"))
    files: list[list[object]] = [
        [file_name(e.get("path")), e.get("sha256"), None, None]
        for e in manifest.get("inputs") or ()
        if isinstance(e, Mapping)
    ]
    if criteria is not None and criteria.path is not None:
        digest = criteria.sha256 or manifest.get("criteria_sha256")
        files.append([file_name(criteria.path), digest, None, None])
    elif manifest.get("criteria_sha256"):
        files.append([t("criteria_file"), manifest.get("criteria_sha256"), None, None])
    # A digest is longer than its column: it runs on over the empty cells to its right.
    row = book.small_table(ws, row, [t("file"), t("sha256"), "", ""], files, ["long", "text", "text", "text"])
    row = book.title(ws, row, t("versions"))
    versions = manifest.get("versions") or {}
    items = [(str(k), v, "text") for k, v in versions.items()] if isinstance(versions, Mapping) else []
    items += [
        (t("solver"), manifest.get("solver"), "text"),
        (t("status"), t(str(result.status)), "text"),
        (t("created"), parse_datetime(manifest.get("created")), "date"),
    ]
    if manifest.get("platform"):
        items.append((t("platform"), manifest.get("platform"), "text"))
    row = book.pairs_kv(ws, row, items) + 1
    settings = run_settings(manifest, lang)
    if settings:
        row = book.title(ws, row, t("run_settings"))
        book.pairs_kv(ws, row, settings)
    book.keep_sections(ws, 4)
