"""The result's `stability` block: the ratings, the blocking pairs in words, the price of stability
and the partners' welfare, and where they are few, all stable pairings with their values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..i18n import label, number, sentence
from ..i18n.wording import blocking_text
from .instance import UNIT, Instance, Solution
from .stability import Blocking, Preferences, blocking_pairs

# Up to this many stable pairings are listed; with more, `stable_pairings` holds the first ones.
MAX_STABLE_LISTED = 10
# Above this many allowed pairs the stable pairings are not enumerated at all.
MAX_ENUMERATE_EDGES = 40


def _points(value: int) -> float:
    return float(round(value / UNIT, 6))


def blocking_facts(
    inst: Instance, prefs: Preferences, b: Blocking, asked: Sequence[str | None]
) -> dict[str, Any]:
    """What makes one pair block, as the `stability.blocking_pairs` record holds it: the partner's
    rating of the candidate and of whom it has (None: not rated), whom each side has (None: an
    open slot, not selected) and the country the candidate asked for."""
    ids = inst.candidates

    def rating(e: int) -> int | None:
        return int(prefs.partner[e]) or None

    wish = asked[b.candidate]
    return {
        "candidate_id": ids[b.candidate],
        "partner": inst.partners[b.partner],
        "rating": rating(b.edge),
        "partner_has": None if b.partner_edge is None else ids[int(inst.edge_cand[b.partner_edge])],
        "partner_has_rating": None if b.partner_edge is None else rating(b.partner_edge),
        "candidate_has": None if b.cand_edge is None else inst.partners[int(inst.edge_partner[b.cand_edge])],
        "asked": wish if wish and wish != "any" else inst.countries[b.partner],
    }


def stable_pairings(
    inst: Instance,
    prefs: Preferences,
    count: int,
    rows_for: Sequence[int],
    *,
    solver: str,
    time_limit: float | None,
) -> list[Solution] | None:
    """All stable pairings with `count` slots, best first, when there are at most MAX_STABLE_LISTED
    (None when there are more, or the instance is too large to enumerate)."""
    from .stable_search import StableSearch

    del solver  # in process, as every stable solve
    if inst.n_edges > MAX_ENUMERATE_EDGES:
        return None
    return StableSearch(inst, prefs, count, rows_for).pairings(MAX_STABLE_LISTED, time_limit)


def stability_block(
    inst: Instance,
    prefs: Preferences,
    mode: str,
    chosen: Solution,
    usual: Solution,
    ratings: Sequence[tuple[str, str, int | None]],
    names: Sequence[str],
    asked: Sequence[str | None],
    listed: list[Solution] | None,
    stable_exists: bool,
) -> dict[str, Any]:
    """The `stability` block of the result JSON (English `why`)."""
    blocking = blocking_pairs(inst, chosen.edges, prefs)
    ids = inst.candidates
    known = dict(zip(ids, names, strict=True))
    free, stable = usual.value, chosen.value
    price = free - stable
    rated = [int(prefs.partner[e]) for e in chosen.edges if int(prefs.partner[e]) > 0]

    def pairs_of(sol: Solution) -> list[dict[str, str]]:
        return [
            {"candidate_id": ids[int(inst.edge_cand[e])], "partner": inst.partners[int(inst.edge_partner[e])]}
            for e in sol.edges
        ]

    return {
        "mode": mode,
        "ratings": [{"partner": p, "candidate_id": c, "rating": r} for c, p, r in ratings],
        "blocking_pairs": [
            {**facts, "why": blocking_text(facts, known, "en")}
            for facts in (blocking_facts(inst, prefs, b, asked) for b in blocking)
        ],
        "stable": not blocking,
        "stable_pairing_exists": stable_exists,
        "value_unconstrained": _points(free),
        "value_stable": _points(stable),
        "price_of_stability": {
            "points": _points(price),
            "percent": round(100.0 * price / free, 4) if free else 0.0,
        },
        "partner_welfare": {
            "total": sum(rated),
            "rated_pairs": len(rated),
            "pairs": len(chosen.edges),
            "mean": round(sum(rated) / len(rated), 4) if rated else None,
        },
        "stable_pairings": None
        if listed is None
        else [{"value": _points(s.value), "pairs": pairs_of(s)} for s in listed],
    }


def summary_line(block: dict[str, Any], lang: str = "en") -> str:
    """One line for the terminal: the mode, the blocking pairs, the values and the price."""
    price = block["price_of_stability"]
    n = len(block["blocking_pairs"])
    return sentence(
        "stability_summary_one" if n == 1 else "stability_summary",
        lang,
        n=n,
        mode=label(f"stability_word_{block['mode']}", lang),
        stable=number(block["value_stable"], lang),
        free=number(block["value_unconstrained"], lang),
        price=number(price["points"], lang),
        percent=number(price["percent"], lang),
    )


def terminal_lines(block: dict[str, Any]) -> list[str]:
    """The terminal's stability section: the summary line, then each blocking pair in words."""
    lines = [summary_line(block)]
    if not block.get("stable_pairing_exists", True):
        lines.append(sentence("no_stable_pairing", "en"))
    lines += [f"  {b['why']}" for b in block["blocking_pairs"]]
    return lines
