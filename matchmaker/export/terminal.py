"""Every table matchmaker prints on a terminal: the intake overview, the pairing report with its
reserves, alternatives and changes, and the reviewers' agreement. Plain English, fixed-width columns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from ..agreement import DISAGREEMENT_POINTS
from ..i18n import sentence
from ..i18n.wording import pair_value_text, points_needed_text, replacement_text
from ..schema import ReserveRecord

if TYPE_CHECKING:
    from ..pairing import PairingResult
    from ..pipeline import ScoreRun
from ..schema import CANDIDATE_ID, MUNICIPALITY

__all__ = ["INTAKE_TABLE_ROWS", "format_report", "intake_lines", "review_lines", "score_lines"]

# submissions shown in the intake table; all of them are in the JSON
INTAKE_TABLE_ROWS: Final = 100


def intake_lines(source: object, summary: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """What `matchmaker intake` prints: the counts, how names were read, the issues, a row per
    submission; `rows` may stop after the first INTAKE_TABLE_ROWS."""
    resolution = ", ".join(f"{k} {v}" for k, v in summary["resolution"].items())
    issues = ", ".join(f"{k} {v}" for k, v in summary["issues"].items()) or "none"
    lines = [
        f"{source}: {summary['submissions']} submissions, {summary['candidates']} candidate municipalities, "
        f"{summary['eligible']} eligible, {summary['superseded']} superseded, "
        f"{summary['blank_rows_dropped']} blank rows dropped",
        f"names: {resolution}",
        f"issues: {issues}",
        f"{'id':>5}  {'name as written':<28} {'municipality':<28} {'how':<11} {'pref':<6} status",
    ]
    for row in rows[:INTAKE_TABLE_ROWS]:
        status = "eligible" if row["eligible"] else f"- {row['reason']}"
        name, municipality = row["name_as_written"] or "", row["municipality"] or ""
        lines.append(
            f"{row['submission_id']:>5}  {name:<28.28} {municipality:<28.28} "
            f"{row['resolution']:<11} {row['country_preference'] or '':<6} {status}"
        )
    total = max(len(rows), int(summary["submissions"]))
    if total > INTAKE_TABLE_ROWS:
        lines.append(f"... {total - INTAKE_TABLE_ROWS} more submissions (all of them are in --json)")
    return lines


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
            f"{pair_value_text(p['breakdown'], 'en')}{lock}"
        )
    filled = ", ".join(f"{c} {n}" for c, n in result.filled.items())
    lines.append(f"\nFilled: {filled}; total value {result.objective:.2f} ({result.status})")
    missed = result.manifest.get("not_computed") or {}
    if missed:
        kinds = {
            "whatif": "extra points needed",
            "province_cap": "province-cap causes",
            "dropped": "causes of dropped pairs",
            "alternatives": "alternatives",
        }
        told = ", ".join(f"{n} {kinds.get(k, k)}" for k, n in missed.items())
        lines.append(f"Not computed (the time budget ran out; marked as such, not guessed): {told}")
    for u in result.unfilled:
        lines.append(f"Unfilled {u['country']}: {u['reason']}")
    by_country: dict[str, list[ReserveRecord]] = {}
    for r in result.reserves:
        by_country.setdefault(r["country"], []).append(r)
    for country in result.filled:
        rows = by_country.get(country, [])
        if not rows:
            lines.append(f"Reserves {country}: none")
            continue
        top = ", ".join(f"{r['rank']}. {_reserve(r)}" for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        lines.append(f"Reserves {country} (extra points needed): {top}{more}")
    if any(r.get("own_province") for r in result.reserves):
        lines.append(f"  {sentence('reserve_own_province_mark', 'en')}")
    known = {str(p["candidate_id"]): str(p.get("municipality") or p["candidate_id"]) for p in result.pairs}
    known.update(
        {str(r["candidate_id"]): str(r.get("municipality") or r["candidate_id"]) for r in result.reserves}
    )
    if result.replacements:
        lines.append("If a selected candidate withdraws:")
        order = {p["candidate_id"]: k for k, p in enumerate(result.pairs)}
        for w in sorted(result.replacements, key=lambda w: order.get(w["candidate_id"], len(order))):
            lines.append(
                f"  {known.get(w['candidate_id'], w['candidate_id'])}: {replacement_text(w, known, 'en')}"
            )

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
    if result.alternatives_note.get("text"):
        lines.append(f"  {result.alternatives_note['text']}")
    names = {c.get("candidate_id"): c.get("municipality") for c in result.candidates}
    changed = [c for c in result.changes if c.get("change") not in (None, "kept")]
    if changed or result.cost:
        lines.append("Changes from the previous shortlist:")
    if result.cost:
        lines.append(f"  {cost_line(result.cost)}")
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


def cost_line(cost: Mapping[str, Any]) -> str:
    """ "total value 607.56 -> 506.75 (-100.81 points), slots filled 7 -> 6"; without a recorded
    previous total, the total now and that the previous one is unknown."""
    after, before, difference = (
        cost.get("total_value"),
        cost.get("total_value_before"),
        cost.get("difference"),
    )
    if isinstance(before, int | float) and isinstance(difference, int | float):
        text = f"total value {before:.2f} -> {after:.2f} ({difference:+.2f} points)"
    else:
        text = f"total value {after:.2f} (the previous workbook does not record its total)"
    if cost.get("filled_before") is not None:
        text += f", slots filled {cost['filled_before']} -> {cost.get('filled')}"
    return text


def review_lines(block: Mapping[str, Any]) -> list[str]:
    """A result's `reviews` as lines to print: who rated, agreement per item, where reviewers differ."""
    labels: Mapping[str, str] = block.get("labels") or {}
    reviewers = list(block.get("reviewers") or ())
    lines: list[str] = []
    if reviewers:
        lines.append(
            f"Reviews: {block.get('ratings', 0)} rating(s) by {len(reviewers)} reviewer(s) "
            f"({'; '.join(reviewers)}), combined by {block.get('aggregate') or 'mean'}."
        )
        parts = []
        for key, alpha in (block.get("agreement") or {}).items():
            known = isinstance(alpha, int | float) and math.isfinite(alpha)
            parts.append(f"{labels.get(key, key)} {f'{alpha:.2f}' if known else 'n/a'}")
        lines.append("Agreement (Krippendorff's alpha, interval): " + ", ".join(parts) + ".")
        from ..conflicts import conflict_line

        lines.extend(conflict_line(c) for c in block.get("conflicts") or () if isinstance(c, Mapping))
        found = list(block.get("disagreements") or ())
        points = block.get("threshold", DISAGREEMENT_POINTS)
        if found:
            lines.append(f"Reviewers differ by {points} points or more on {len(found)} rating(s):")
            for d in found:
                cid = d.get(CANDIDATE_ID)
                given = ", ".join(f"{r} {v}" for r, v in (d.get("ratings") or {}).items())
                item = labels.get(d.get("item"), d.get("item"))
                lines.append(f"  {d.get(MUNICIPALITY) or cid} ({cid}), {item}: {given}")
        else:
            lines.append(f"Reviewers differ by less than {points} points everywhere.")
        for key in block.get("disconnected") or ():
            lines.append(
                f"{labels.get(key, key)}: reviewers share no candidates, leniency is not identified."
            )
        lines.extend(str(n) for n in block.get("notes") or ())
    lines.extend(f"note: {n}" for n in block.get("scoring_notes") or ())
    return lines


def score_lines(scored: ScoreRun, *, top: int = 2) -> list[str]:
    """What `matchmaker score` prints: the ranked eligible candidates with their largest contributions,
    the reviewers' summary and the scoring notes."""
    rows = scored.ranking(top)
    lines = [
        f"{len(rows)} eligible candidates of {len(scored.intake.candidates)} submissions; "
        f"criteria: {scored.criteria.name}"
    ]
    if rows:
        header = f"{'rank':>4}  {'municipality':<28} {'province':<16} {'score':>7}  {'motivation':<10}"
        lines.append(f"{header} top contributions")
    for row in rows:
        top_text = ", ".join(f"{key} {value:.2f}" for key, value in row["top"])
        motivation = {"self-assessment": "self"}.get(row["motivation_source"], row["motivation_source"] or "")
        name = row["municipality"] or row["candidate_id"]
        lines.append(
            f"{row['rank']:>4}  {name:<28.28} {row['province'] or '':<16.16} "
            f"{row['score']:>7.2f}  {motivation:<10} {top_text}"
        )
    lines += scored.review_summary
    lines += [f"note: {note}" for note in scored.scores.notes]
    return lines


def _reserve(r: Mapping[str, Any]) -> str:
    """One reserve: its name, the extra points it needs, and whether its province is full."""
    name = str(r.get("municipality") or r["candidate_id"])
    needed = r.get("score_needed")
    need = r.get("need")
    if need == "tie":
        what = "a tie"
    elif needed is not None:
        what = f"+{points_needed_text(float(needed), 'en')}"
    else:
        what = {"slots": "no score helps", "stay": "no score helps", "kept": "no score helps"}.get(
            str(need), "not computed"
        )
    return f"{name} ({what}{'*' if r.get('own_province') else ''})"
