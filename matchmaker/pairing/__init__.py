"""The pairing: an exact integer program that pairs candidates with partners, and its explanation.

Build (`instance`, `model`), solve (`engines`, `lexicographic`), explain (`counterfactual`, `explain`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import english
from .counterfactual import Forced, forced_solutions
from .engines import ENGINES, IncrementalEngine, MipEngine
from .instance import (
    DISTINCT,
    EDGE_TERMS,
    SOLVERS,
    UNIT,
    VALUE_DECIMALS,
    Instance,
    Solution,
    check_locks,
    encode,
)
from .lexicographic import PairingModel, lexsolve, no_good, sum_expr
from .model import Lin, Model, Row
from .result import PairingResult
from .solve import solve_pairing

__all__ = [
    "DISTINCT",
    "EDGE_TERMS",
    "ENGINES",
    "SOLVERS",
    "UNIT",
    "VALUE_DECIMALS",
    "Forced",
    "IncrementalEngine",
    "Instance",
    "Lin",
    "MipEngine",
    "Model",
    "PairingModel",
    "PairingResult",
    "Row",
    "Solution",
    "check_locks",
    "encode",
    "forced_solutions",
    "format_report",
    "lexsolve",
    "no_good",
    "solve_pairing",
    "sum_expr",
]


def format_report(result: PairingResult) -> str:
    """The pairing table, the unfilled slots and the reserve lists as plain text for a terminal."""
    lines = []
    # Columns as wide as their longest entry (within reason), so no partner name is cut short.
    wp = min(40, max([len("partner"), *(len(p["partner"]) for p in result.pairs)]))
    wm = min(
        30,
        max([len("municipality"), *(len(p.get("municipality") or p["candidate_id"]) for p in result.pairs)]),
    )
    header = (
        f"{'country':<8} {'partner':<{wp}} {'municipality':<{wm}} {'province':<16} {'value':>7}  breakdown"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for p in result.pairs:
        lock = " (locked)" if p.get("locked") else ""
        lines.append(
            f"{p['country']:<8} {p['partner'][:wp]:<{wp}} "
            f"{(p.get('municipality') or p['candidate_id'])[:wm]:<{wm}} "
            f"{(p.get('province') or '')[:16]:<16} {p['value']:>7.2f}  "
            f"{english.breakdown(p['breakdown'])}{lock}"
        )
    filled = ", ".join(f"{c} {n}" for c, n in result.filled.items())
    lines.append(f"\nFilled: {filled}; total value {result.objective:.2f} ({result.status})")
    for u in result.unfilled:
        lines.append(f"Unfilled: {u['reason']}")
    by_country: dict[str, list[dict[str, Any]]] = {}
    for r in result.reserves:
        by_country.setdefault(r["country"], []).append(r)
    for country in result.filled:
        rows = by_country.get(country, [])
        if not rows:
            lines.append(f"Reserves {country}: none")
            continue
        top = ", ".join(
            f"{r['rank']}. {r.get('municipality') or r['candidate_id']} ({r['value']:.2f})" for r in rows[:5]
        )
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        lines.append(f"Reserves {country} (value of their best pair): {top}{more}")

    def name(p: Mapping[str, Any]) -> str:
        return str(p.get("municipality") or p["candidate_id"])

    best = {(p["candidate_id"], p["partner"]) for p in result.pairs}
    best_in = {p["candidate_id"]: p for p in result.pairs}
    for a in result.alternatives:
        alt_in = {p["candidate_id"]: p for p in a["pairs"]}
        entering = [name(p) for c, p in alt_in.items() if c not in best_in]
        leaving = [name(p) for c, p in best_in.items() if c not in alt_in]
        moved = [
            f"{name(p)} with {p['partner']}"
            for p in a["pairs"]
            if p["candidate_id"] in best_in and (p["candidate_id"], p["partner"]) not in best
        ]
        changes = ([f"{', '.join(entering)} in"] if entering else []) + (
            [f"{', '.join(leaving)} out"] if leaving else []
        )
        if moved:
            changes.append("moved: " + ", ".join(moved))
        lines.append(
            f"Alternative {a['rank']}: objective {a['objective']:.2f}, {a['gap_pct']:.2f}% below the best"
            + (f"; {'; '.join(changes)}" if changes else "")
        )
    names = {c.get("candidate_id"): c.get("municipality") for c in result.candidates}
    changed = [c for c in result.changes if c.get("change") not in (None, "kept")]
    if changed:
        lines.append("Changes from the previous shortlist:")
    for c in changed:
        who = f"{names.get(c['candidate_id']) or c['candidate_id']} with {c['partner']}"
        source = c.get("source") or {}
        where = (
            f" ({c['decision']}, {source['sheet']} row {source['row']})"
            if c.get("decision") and source
            else ""
        )
        lines.append(f"  {c['change']}: {who}{where}")
    reshuffles = [a for a in result.alternatives if {p["candidate_id"] for p in a["pairs"]} == set(best_in)]
    if reshuffles and len(reshuffles) == len(result.alternatives):
        lines.append(
            "  (every alternative selects the same candidates, on other partners; "
            "--distinct selection shows pairings that select other candidates)"
        )
    return "\n".join(lines)
