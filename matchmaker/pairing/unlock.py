"""The score an unselected candidate needs when pairs below the minimum pair value count: a higher
score raises every pair of the candidate, so a pair under `min_value` becomes allowed once the
raise lifts it to the minimum.

Raising candidate c's score by d adds d to every pairing that includes c and changes no other. With
the thresholds t_1 < t_2 < ... at which c's pairs under the minimum become allowed (t_0 = 0: its
allowed pairs), let P_k be the best pairing with c on the pairs allowed from t_k on (one forced
re-solve, as `forced_solutions`). c is selected at d >= t_k when P_k fills more slots (or keeps
more) than the best pairing, or fills as many and P_k's value + d exceeds the best's (equal: the
tie-break decides). The smallest such d over k is the exact answer, since the pairs allowed only
grow with d.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..i18n.wording import why_text
from ..schema import ExplanationRecord
from .budget import Budget
from .counterfactual import Forced, forced_solutions
from .instance import UNIT, VALUE_DECIMALS, Instance, Solution, _Table
from .replacements import need_of


@dataclass(frozen=True)
class Unlocked:
    """What a higher score does for one candidate when pairs under the minimum count: the units it
    needs (None: no score helps), `need` (score | tie) and the pairing it would be selected in."""

    candidate: int
    needed: int
    need: str
    selected: frozenset[int]  # the candidates of the pairing it would be selected in
    country: str  # where it would be paired
    threshold: int  # the raise at which the pairs it needs become allowed (0: allowed already)


def _answer(inst: Instance, c: int, needed: int, need: str, got: Forced, threshold: int) -> Unlocked:
    cand = inst.edge_cand
    mine = next(e for e in got.edges if int(cand[e]) == c)
    selected = frozenset(int(cand[e]) for e in got.edges)
    return Unlocked(c, needed, need, selected, inst.countries[int(inst.edge_partner[mine])], threshold)


def blocked_by_minimum(table: _Table, min_value: float | None) -> dict[int, list[tuple[int, int]]]:
    """Per candidate row, its pairs (partner column, threshold in units) that only the minimum pair
    value rules out, with the raise that lifts each to the minimum."""
    if min_value is None:
        return {}
    allowed_but_min = (
        table.partner_ok[None, :] & table.pref_ok & table.lang_ok & ~table.forbidden & ~table.above_min
    )
    floor = round(min_value * UNIT)
    out: dict[int, list[tuple[int, int]]] = {}
    for i, j in zip(*np.nonzero(allowed_but_min), strict=True):
        out.setdefault(int(i), []).append((int(j), floor - int(table.value[i, j])))
    return out


def with_pairs(instance: Instance, table: _Table, c: int, pairs: Sequence[tuple[int, int]]) -> Instance:
    """The instance with candidate `c`'s pairs to these partner columns added as edges at the end
    (their values as they are), so every edge index of `instance` stays the same."""
    js = np.array([j for j, _ in pairs], dtype=np.int64)
    values = np.array([int(table.value[c, j]) for j, _ in pairs], dtype=np.int64)
    fit = instance.edge_fit
    extra_fit = values - np.array([int(table.terms["score"][c, j]) for j, _ in pairs], dtype=np.int64)
    return dataclasses.replace(
        instance,
        edge_cand=np.concatenate([instance.edge_cand, np.full(len(js), c, dtype=np.int64)]),
        edge_partner=np.concatenate([instance.edge_partner, js]),
        edge_value=np.concatenate([instance.edge_value, values]),
        fit=np.concatenate([fit, extra_fit]),
    )


def unlocked_needs(
    instance: Instance,
    table: _Table,
    best: Solution,
    forced: dict[int, Forced],
    min_value: float | None,
    *,
    time_limit: float | None = None,
    budget: Budget | None = None,
) -> dict[int, Unlocked]:
    """For each unselected candidate with pairs under the minimum, the exact raise it needs counting
    the pairs that raise would allow; candidates without any answer are left out, and once the
    `budget` is spent the candidates left are counted as missed what-ifs (never guessed)."""
    blocked = blocked_by_minimum(table, min_value)
    chosen = {int(instance.edge_cand[e]) for e in best.edges}
    with_edges = set(instance.edge_cand.tolist())
    out: dict[int, Unlocked] = {}
    for c, pairs in sorted(blocked.items()):
        if c in chosen:
            continue
        if budget is not None and budget.spent:
            budget.miss("whatif", [c])
            continue
        answer: Unlocked | None = None
        if c in with_edges:
            if c not in forced:
                continue  # its own re-solve was not run: nothing is known
            need, units = need_of(forced[c], best)
            if units is not None:
                answer = _answer(instance, c, max(units, 0), need, forced[c], 0)
        for t in sorted({t for _, t in pairs}):
            if answer is not None and t > answer.needed:  # at t itself the pairs t allows count too
                break
            bigger = with_pairs(instance, table, c, [p for p in pairs if p[1] <= t])
            got = forced_solutions(bigger, best, [c], time_limit=time_limit).get(c)
            if got is None:
                continue
            if got.includable and (got.count, got.stayed, got.kept) > (best.count, best.stayed, best.kept):
                # more slots (or more of the decisions kept) with it: selected as soon as the pair is allowed
                ahead = dataclasses.replace(best, count=got.count, stayed=0, kept=0)
                better = forced_solutions(bigger, ahead, [c], time_limit=time_limit).get(c) or got
                answer = _answer(bigger, c, t, "score", better, t)
                break
            need, units = need_of(got, best)
            if units is None:
                continue
            needed = max(units, t)
            if answer is None or needed < answer.needed:
                answer = _answer(bigger, c, needed, "tie" if needed <= 0 else "score", got, t)
        if answer is not None:
            out[c] = answer
    return out


def apply_unlocked(
    explanations: list[ExplanationRecord], unlocked: dict[int, Unlocked], best: Solution, inst: Instance
) -> list[ExplanationRecord]:
    """The explanations with the score each candidate needs counting the pairs a raise would allow:
    the raise, the candidates it would displace, and the sentence worded again."""
    if not unlocked:
        return explanations
    chosen = {int(inst.edge_cand[e]) for e in best.edges}
    known = {str(x["candidate_id"]): str(x.get("municipality") or x["candidate_id"]) for x in explanations}
    row = {cid: k for k, cid in enumerate(inst.candidates)}
    out: list[ExplanationRecord] = []
    for record in explanations:
        found = unlocked.get(row.get(str(record["candidate_id"]), -1))
        if found is None:
            out.append(record)
            continue
        rec = record.copy()
        rec["score_needed"] = round(found.needed / UNIT, VALUE_DECIMALS)
        rec["need"] = found.need
        rec["displaces"] = [inst.candidates[k] for k in sorted(chosen - found.selected)]
        rec["unlocks"] = found.threshold > 0
        if rec.get("cause") in ("slots", "tie") and found.need == "score":
            rec["cause"] = (
                "outranked" if rec.get("outranked_by") else "quota" if rec.get("quota_full") else "outranked"
            )
        rec["why"] = why_text(rec, known, "en") or ""
        out.append(rec)
    return out
