"""The shortlist's Stabiliteit sheet, when the partners rated the candidates: the values with and
without stability and its price, the partners' welfare, the blocking pairs in words, the stable
pairings when they are few, and the ratings as a matrix (candidates by partners).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..cells import as_number, wrapped_lines
from ..i18n import join_words, label, number, sentence
from ..i18n.wording import blocking_text, display_name, points_text
from ..schema import CANDIDATE_ID, COUNTRY, PARTNER
from .book import (
    _FONT,
    _ROW_PT,
    CHANGED_FILL,
    DISAGREEMENT_FILL,
    TITLE_FONT,
    Book,
)
from .context import Context, as_mapping, ranked_candidates
from .layout import COL_MUNICIPALITY, SHEET_STABILITY

_NAME_WIDTH: Final = 30.0  # column A: labels and the candidates' names
_RATING_WIDTH: Final = 5.0  # one column per partner
# Partners per block of the matrix: A plus 16 rating columns print on one A4 width at full size.
_PARTNERS_PER_BLOCK: Final = 16
_HEADER_CENTRED: Final = Alignment(horizontal="center", vertical="center")
_MARK_FONT: Final = Font(name=_FONT, bold=True)


def sheet_stability(book: Book, ctx: Context) -> None:
    """The Stabiliteit sheet; only written when the result has a `stability` block."""
    block = ctx.result.stability
    if not block:
        return
    t, lang = book.t, book.lang
    ws = book.sheet(SHEET_STABILITY)
    partners = _partners(block, ctx)
    columns = 1 + max(1, min(len(partners), _PARTNERS_PER_BLOCK))
    ws.column_dimensions["A"].width = _NAME_WIDTH
    for j in range(2, columns + 1):
        ws.column_dimensions[get_column_letter(j)].width = _RATING_WIDTH
    width = _NAME_WIDTH + _RATING_WIDTH * (columns - 1)

    row = book.title(ws, 1, t("stability"), TITLE_FONT)
    if not block.get("stable_pairing_exists", True):
        row = _sentence(book, ws, row, sentence("no_stable_pairing", lang), columns, width)
    row += 1

    row = book.title(ws, row, t("stability_values"))
    price = as_mapping(block.get("price_of_stability"))
    welfare = as_mapping(block.get("partner_welfare"))
    items: list[tuple[str, object, str]] = [
        (t("stability"), t(f"stability_mode_{block.get('mode')}"), "text"),
        (t("value_unconstrained"), _points(block.get("value_unconstrained"), lang), "text"),
        (t("value_stable"), _points(block.get("value_stable"), lang), "text"),
        (t("price_of_stability"), _price(price, lang), "text"),
        (t("partner_welfare"), _welfare(welfare, lang), "text"),
    ]
    row = book.pairs_kv(ws, row, items) + 1

    known = ctx.names
    blocking = [b for b in block.get("blocking_pairs") or () if isinstance(b, Mapping)]
    row = book.title(ws, row, t("blocking_pairs"))
    if not blocking:
        row = _sentence(book, ws, row, sentence("stability_no_blocking", lang), columns, width)
    for pair in blocking:
        row = _sentence(book, ws, row, f"• {blocking_text(pair, known, lang)}", columns, width)
    row += 1

    row = book.title(ws, row, t("stable_pairings"))
    listed = block.get("stable_pairings")
    if listed is None:
        row = _sentence(book, ws, row, sentence("stable_pairings_not_listed", lang), columns, width)
    elif not listed:
        row = _sentence(book, ws, row, sentence("stable_pairings_none", lang), columns, width)
    for k, pairing in enumerate(listed or (), start=1):
        pairs = [
            f"{display_name(known, p.get(CANDIDATE_ID))} – {p.get(PARTNER)}"
            for p in pairing.get("pairs") or ()
            if isinstance(p, Mapping)
        ]
        text = sentence(
            "stable_pairing_line",
            lang,
            n=k,
            value=_points(pairing.get("value"), lang),
            pairs=join_words(pairs, lang),
        )
        row = _sentence(book, ws, row, text, columns, width)
    row += 1

    row = book.title(ws, row, t("partner_ratings"))
    row = _sentence(book, ws, row, sentence("partner_ratings_legend", lang), columns, width)
    chosen = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))) for p in ctx.result.pairs}
    blocks = {(str(b.get(CANDIDATE_ID)), str(b.get(PARTNER))) for b in blocking}
    ratings = {
        (str(r.get(CANDIDATE_ID)), str(r.get(PARTNER))): r.get("rating")
        for r in block.get("ratings") or ()
        if isinstance(r, Mapping)
    }
    rated = {c for c, _ in ratings}
    order = [str(c.get(CANDIDATE_ID)) for c in ranked_candidates(ctx)]
    candidates = [c for c in order if c in rated] + sorted(rated - set(order))
    # the columns are numbered (a partner's name would not fit above a rating): the key first
    key = [f"{k} = {p}" for k, p in enumerate(partners, start=1)]
    row = _sentence(book, ws, row, sentence("partner_numbers", lang, numbered="; ".join(key)), columns, width)
    for first in range(0, len(partners), _PARTNERS_PER_BLOCK):
        shown = partners[first : first + _PARTNERS_PER_BLOCK]
        numbers = list(range(first + 1, first + 1 + len(shown)))
        row = _matrix(book, ws, row, candidates, shown, numbers, ratings, chosen, blocks, known) + 1
    book.keep_sections(ws, columns)


def _partners(block: Mapping[str, Any], ctx: Context) -> list[str]:
    """The partners that rated, in country order then by name."""
    named = {str(r.get(PARTNER)) for r in block.get("ratings") or () if isinstance(r, Mapping)}

    def key(name: str) -> tuple[int, str]:
        return ctx.country_order(as_mapping(ctx.partners.get(name)).get(COUNTRY)), name

    return sorted(named, key=key)


def _points(value: object, lang: str) -> str:
    return sentence("points_value", lang, value=points_text(value, lang))


def _price(price: Mapping[str, Any], lang: str) -> str:
    percent = as_number(price.get("percent"))
    return sentence(
        "price_value",
        lang,
        points=points_text(price.get("points"), lang),
        percent=number(percent or 0.0, lang),
    )


def _welfare(welfare: Mapping[str, Any], lang: str) -> str:
    mean = as_number(welfare.get("mean"))
    return sentence(
        "partner_welfare_value",
        lang,
        total=int(as_number(welfare.get("total")) or 0),
        rated=int(as_number(welfare.get("rated_pairs")) or 0),
        pairs=int(as_number(welfare.get("pairs")) or 0),
        mean=number(mean, lang) if mean is not None else "-",
    )


def _sentence(book: Book, ws: Worksheet, row: int, text: str, columns: int, width: float) -> int:
    """A sentence over the sheet's whole printed width, wrapped, its row as high as its lines."""
    cell = book.put(ws, row, 1, text)
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    lines = wrapped_lines(text, width)
    if lines > 1:
        ws.row_dimensions[row].height = _ROW_PT * lines
    return row + 1


def _matrix(
    book: Book,
    ws: Worksheet,
    row: int,
    candidates: Sequence[str],
    partners: Sequence[str],
    numbers: Sequence[int],
    ratings: Mapping[tuple[str, str], object],
    chosen: set[tuple[str, str]],
    blocking: set[tuple[str, str]],
    known: Mapping[str, str],
) -> int:
    """Candidates by partners: the rating, "x" for not acceptable; the pairing's pairs in green and
    bold, the blocking pairs in orange. Returns the last row written."""
    lang = book.lang
    book._header_cell(ws, row, 1, book.t(COL_MUNICIPALITY))
    for j, number_ in enumerate(numbers, start=2):
        book._header_cell(ws, row, j, str(number_))
        ws.cell(row=row, column=j).alignment = _HEADER_CENTRED
    mark = label("not_acceptable_mark", lang)
    for cid in candidates:
        row += 1
        book.put(ws, row, 1, display_name(known, cid))
        for j, partner in enumerate(partners, start=2):
            key = (cid, partner)
            if key not in ratings:
                continue
            value = ratings[key]
            cell = book.put(ws, row, j, mark if value is None else value, "int")
            cell.alignment = Alignment(horizontal="center")
            if key in chosen:
                cell.fill = CHANGED_FILL
                cell.font = _MARK_FONT
            elif key in blocking:
                cell.fill = DISAGREEMENT_FILL
    return row
