"""The shortlist's Robuustheid sheet (pair --robustness): how much the selection depends on the
weights: the summary, the weight triangle coloured by pairing, per candidate its share of the
plausible weightings, per weight the interval that changes nothing, and the pairings found.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..cells import as_number, wrapped_lines
from ..i18n import join_words, number, sentence
from ..i18n.wording import summary_line
from ..robustness_chart import HEIGHT, WIDTH, triangle_png
from ..schema import CANDIDATE_ID
from .book import _ROW_PT, TITLE_FONT, Book
from .context import Context, as_mapping, component_label
from .layout import SHEET_ROBUSTNESS

# openpyxl sizes an image in pixels of 96 an inch
_PX: float = 96.0


def sheet_robustness(book: Book, ctx: Context) -> None:
    block = ctx.result.robustness
    if not block:
        return
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_ROBUSTNESS)
    weights = as_mapping(block.get("weights"))
    keys = [str(k) for k in weights.get("criteria") or ()]
    names = {k: component_label(k, lang, ctx.criteria) for k in keys}
    unc = as_mapping(block.get("uncertainty"))
    unc_rows = {str(c.get(CANDIDATE_ID)): c for c in unc.get("candidates") or () if isinstance(c, Mapping)}
    columns = 6 + len(keys) + (3 if unc_rows else 0)
    widths = [20, 9, 12, 13, 12, 12, *([14] * len(keys)), *([12] * (columns - 6 - len(keys)))]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width

    row = book.title(ws, 1, t("robustness_sheet"), TITLE_FONT)
    region = as_mapping(weights.get("region"))
    spread = number(float(as_number(region.get("spread")) or 0), lang, 0)
    region_key = "robustness_region_default" if region.get("default") else "robustness_region_given"
    radius = as_number(block.get("radius"))
    method = str(block.get("method") or "exact")
    lines = [
        summary_line(block, lang),
        sentence(region_key, lang, spread=spread),
        sentence("robustness_radius", lang, radius=number(radius, lang, 1))
        if radius is not None
        else sentence("robustness_radius_none", lang),
        sentence(
            f"robustness_sheet_method_{method}",
            lang,
            seed=block.get("seed"),
            solves=int(as_number(block.get("solves")) or 0),
            samples=int(as_number(block.get("samples")) or 0),
        ),
    ]
    for line in lines:
        row = book.note(ws, row, line)

    png = triangle_png(block, lang, names)
    if png is not None:
        image = Image(io.BytesIO(png))
        image.width, image.height = WIDTH * _PX, HEIGHT * _PX
        ws.add_image(image, f"A{row + 1}")
        row += math.ceil(HEIGHT * 72 / _ROW_PT) + 1
    else:
        row = book.note(ws, row + 1, t("robustness_no_chart"))
    row += 1

    row = _candidates(book, ws, row, ctx, block, keys, names, unc_rows)
    row = _weights(book, ws, row, block, keys, names)
    _pairings(book, ws, row, ctx, block, columns)
    book.keep_sections(ws, columns)


def _candidates(
    book: Book,
    ws: Any,
    row: int,
    ctx: Context,
    block: Mapping[str, Any],
    keys: list[str],
    names: Mapping[str, str],
    unc_rows: Mapping[str, Mapping[str, Any]],
) -> int:
    t = book.t
    row = book.title(ws, row, t("robustness_candidates_reviews" if unc_rows else "robustness_candidates"))
    selected = {str(p.get(CANDIDATE_ID)) for p in ctx.result.pairs}
    listed = []
    others = 0
    for c in block.get("candidates") or ():
        if not isinstance(c, Mapping):
            continue
        cid = str(c.get(CANDIDATE_ID))
        share = float(as_number(c.get("selection_share")) or 0.0)
        u = unc_rows.get(cid, {})
        if share <= 0 and cid not in selected and not as_number(u.get("combined_share")):
            others += 1
            continue
        listed.append((-share, ctx.name(cid), cid, c, u))
    listed.sort()
    headers = [
        t("municipality"),
        t("refnis"),
        t("robustness_selected_now"),
        t("robustness_share"),
        t("robustness_possible"),
        t("robustness_necessary"),
        *(sentence("robustness_central", book.lang, criterion=names[k]) for k in keys),
    ]
    kinds = ["text", "id", "flag", "pct", "flag", "flag", *(["num"] * len(keys))]
    if unc_rows:
        headers += [t("robustness_reviews_share"), t("robustness_combined_share"), t("robustness_rank")]
        kinds += ["pct", "pct", "text"]
    rows = []
    for minus, name, cid, c, u in listed:
        central = as_mapping(c.get("central_weights"))
        values: list[object] = [
            name,
            cid,
            cid in selected,
            -minus,
            bool(c.get("possible")),
            bool(c.get("necessary")),
            *(as_number(central.get(k)) for k in keys),
        ]
        if unc_rows:
            low, high = u.get("rank_low"), u.get("rank_high")
            values += [
                as_number(u.get("selection_share")),
                as_number(u.get("combined_share")),
                f"{low}–{high}" if low is not None and high is not None else None,
            ]
        rows.append(values)
    row = book.small_table(ws, row, headers, rows, kinds)
    if others:
        row = book.note(ws, row - 1, sentence("robustness_never", book.lang, n=others)) + 1
    return row


def _weights(
    book: Book, ws: Any, row: int, block: Mapping[str, Any], keys: list[str], names: Mapping[str, str]
) -> int:
    t = book.t
    row = book.title(ws, row, t("robustness_weights"))
    weights = as_mapping(block.get("weights"))
    chosen = as_mapping(weights.get("chosen"))
    bounds = as_mapping(as_mapping(weights.get("region")).get("bounds"))
    intervals = as_mapping(block.get("intervals"))
    rows = []
    for k in keys:
        low, high = [*list(bounds.get(k) or ()), None, None][:2]
        stays = as_mapping(intervals.get(k))
        rows.append([names[k], chosen.get(k), low, high, stays.get("low"), stays.get("high")])
    headers = [
        t("criterion"),
        t("robustness_chosen"),
        t("robustness_plausible_low"),
        t("robustness_plausible_high"),
        t("robustness_stays_low"),
        t("robustness_stays_high"),
    ]
    row = book.small_table(ws, row, headers, rows, ["text", "num", "num", "num", "num", "num"])
    return book.note(ws, row - 1, t("robustness_interval_note")) + 1


def _pairings(book: Book, ws: Any, row: int, ctx: Context, block: Mapping[str, Any], columns: int) -> int:
    t, lang = book.t, book.lang
    row = book.title(ws, row, t("robustness_pairings"))
    pairings = [p for p in block.get("pairings") or () if isinstance(p, Mapping)]
    chosen = next((p for p in pairings if p.get("contains_chosen")), {})
    base = {str(c) for c in chosen.get("selected") or ()}
    rows = []
    for p in pairings:
        picked = {str(c) for c in p.get("selected") or ()}
        added = sorted(ctx.name(c) for c in picked - base)
        removed = sorted(ctx.name(c) for c in base - picked)
        if p.get("contains_chosen"):
            what = t("robustness_this_pairing")
        elif added or removed:
            parts = []
            if added:
                parts.append(sentence("robustness_added", lang, names=join_words(added, lang)))
            if removed:
                parts.append(sentence("robustness_removed", lang, names=join_words(removed, lang)))
            what = "; ".join(parts)
        else:
            what = t("robustness_same_selection")
        share = float(as_number(p.get("share")) or 0.0)
        rows.append([p.get("id"), share, bool(p.get("contains_chosen")), what])
    headers = [
        t("robustness_pairing"),
        t("robustness_share"),
        t("robustness_contains_chosen"),
        t("robustness_differs"),
    ]
    first = row
    end = book.small_table(ws, row, headers, rows, ["int", "pct", "flag", "long"])
    # the differences read across the rest of the page: one merged cell per row, wrapped
    width = sum(ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(4, columns + 1))
    for i in range(first, first + len(rows) + 1):
        ws.merge_cells(start_row=i, start_column=4, end_row=i, end_column=columns)
        if i > first:
            cell = ws.cell(row=i, column=4)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            ws.row_dimensions[i].height = _ROW_PT * wrapped_lines(cell.value, width)
    return end
