"""Who takes a selected candidate's place when it withdraws, and how far each reserve is from a
place in one country: re-solves of the lexicographic pairing under the committee's decision stages.

A withdrawal is re-solved as the next round would be with that candidate excluded: the pairing as
it stands becomes the previous round (its candidates stay selected where they can, its pairs are
kept where they can), locks stay, and the same stages decide (slots, the candidates selected
before, the kept pairs, the value, then the tie-break chain).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import MatchmakerError
from ..schema import ReplacementRecord, ReserveRecord
from .budget import Budget
from .counterfactual import Forced, WhatIf, _Unproven
from .instance import UNIT, VALUE_DECIMALS, Instance, Solution
from .lexicographic import PairingModel, lexsolve
from .model import FixedEdges, GroupLimit, Lin, Ran, Row


class _Here(PairingModel):
    """A pairing model whose every stage runs on the in-process engine (many small re-solves)."""

    def run(
        self, objective: Lin, extra: Sequence[Row], solver: str, time_limit: float | None, relax: bool = False
    ) -> Ran | None:
        return self.run_here(objective, extra, time_limit, relax)


@dataclass(frozen=True)
class Withdrawal:
    """The pairing chosen when one selected candidate withdraws; None: not computed."""

    candidate: int
    solution: Solution | None


def as_previous_round(instance: Instance, best: Solution, gone: int) -> Instance:
    """The instance as the next round sees it when candidate `gone` withdraws: the pairs of `best`
    are the previous round (kept where they can be, their candidates selected where they can be),
    the locks of other candidates stay."""
    cand = instance.edge_cand
    return dataclasses.replace(
        instance,
        locks=tuple(e for e in instance.locks if int(cand[e]) != gone),
        keep=tuple(sorted(e for e in best.edges if int(cand[e]) != gone)),
        keep_selected=tuple(sorted({int(cand[e]) for e in best.edges} - {gone})),
    )


def withdrawals(
    instance: Instance, best: Solution, *, time_limit: float | None = None, budget: Budget | None = None
) -> list[Withdrawal]:
    """For each candidate selected in `best` (in tie-break order), the pairing without it; once the
    `budget` is spent, the rest are not computed (no solution) and counted as missed."""
    out: list[Withdrawal] = []
    selected = sorted({int(instance.edge_cand[e]) for e in best.edges})
    locked = {int(instance.edge_cand[e]) for e in instance.locks}
    for k, c in enumerate(selected):
        if budget is not None:
            if budget.spent:
                budget.miss("replacements", [c])
                out.append(Withdrawal(c, None))
                continue
            budget.tick("replacements", k, len(selected))
            time_limit = budget.limit(time_limit)
        model = _Here(as_previous_round(instance, best, c))
        entry = None if c in locked else one_enters(model, best, c)
        if entry is not None:
            out.append(Withdrawal(c, entry))
            continue
        found = lexsolve(model, [model.at_most(model.cand_expr[c], 0)], time_limit=time_limit)
        out.append(Withdrawal(c, None if found is None else found[0]))
    return out


def one_enters(model: PairingModel, best: Solution, gone: int) -> Solution | None:
    """The pairing `lexsolve` finds when candidate `gone` withdraws from `best` (the proven optimum
    of an instance where `gone` is not locked), when one candidate can take a free place beside
    every other pair of `best`; None when none can (or the model has rows other than group limits
    and locks), and the stages must be solved.

    Why it is the lexicographic optimum (`model` is the instance as `as_previous_round` makes it):
    without `gone`, every pairing is one of the instance's pairings (no lock is lost), so none fills
    more slots than `best`; the others plus one entrant fill as many, keep every candidate selected
    before and every kept pair, which no pairing can beat; so every optimum is the others plus one
    entrant, the most valuable pair that fits. The tie-break chain then takes the earliest
    candidate among those entrants, and its earliest partner."""
    inst = model.instance
    cand, partner = inst.edge_cand, inst.edge_partner
    if not best.optimal or any(not isinstance(f, GroupLimit | FixedEdges) for f in model.families):
        return None
    others = np.array([e for e in best.edges if int(cand[e]) != gone], dtype=np.int64)
    if len(others) == len(best.edges):
        return None
    fits = cand != gone
    fits[others] = False
    for family in model.families:
        if isinstance(family, GroupLimit):
            keys = np.asarray(family.keys, dtype=np.int64)
            grouped = keys >= 0
            if not grouped.any():  # no edge in any group (no province known): nothing to limit
                continue
            counts = np.bincount(keys[others][grouped[others]], minlength=len(family.limits))
            room = counts + 1 <= np.asarray(family.limits, dtype=float)
            fits &= ~grouped | room[np.maximum(keys, 0)]
    if not fits.any():
        return None
    value = np.where(fits, inst.edge_value, np.iinfo(np.int64).min)
    top = np.flatnonzero(value == value.max())
    first = top[cand[top] == cand[top].min()]
    entry = int(first[np.argmin(partner[first])])
    chosen = np.zeros(inst.n_edges, dtype=bool)
    chosen[others] = True
    chosen[entry] = True
    return model.measure(Ran(chosen, True))


def country_forced(
    instance: Instance,
    best: Solution,
    forced: dict[int, Forced],
    candidates: Sequence[int],
    *,
    time_limit: float | None = None,
    resolve: bool = True,
    budget: Budget | None = None,
) -> dict[tuple[int, str], Forced]:
    """For each unselected candidate and each country it may pair in: the best pairing with it in
    that country (its pairs elsewhere left out), as `forced_solutions` finds it, for its slots,
    kept pairs and value (the extra points it needs there: the re-solve in another country walks
    no ties, so who its pairing displaces is not settled there). A candidate that
    may pair in one country only has the answer of `forced` there, without a re-solve, and so has
    the country where `forced` pairs it; without `resolve`, only those are answered, and once the
    `budget` is spent the re-solves left are not computed (counted as missed reserves)."""
    out: dict[tuple[int, str], Forced] = {}
    cand, partner = instance.edge_cand, instance.edge_partner
    what: WhatIf | None = None
    for c in candidates:
        mine = np.flatnonzero(cand == c).tolist()
        countries = sorted({instance.countries[int(partner[e])] for e in mine})
        if len(countries) == 1:
            if c in forced:
                out[(c, countries[0])] = forced[c]
            continue
        got = forced.get(c)
        if got is None:
            continue
        mine_now = [e for e in got.edges if int(cand[e]) == c]
        if need_of(got, best)[1] is None or not mine_now:
            # no pairing with it is as good in any country: none is in one of them either
            for country in countries:
                out[(c, country)] = got
            continue
        # the best pairing with it is the best with it in the country it puts it in
        here = instance.countries[int(partner[mine_now[0]])]
        out[(c, here)] = got
        for country in countries:
            if country == here or not resolve:
                continue
            if budget is not None and budget.spent:
                budget.miss("reserves", [c])
                continue
            drop = [e for e in mine if instance.countries[int(partner[e])] != country]
            if what is None:  # one in-process model for every such re-solve
                what = WhatIf(instance, best, time_limit=time_limit)
            with what.pairs_left_out(drop):
                try:
                    got = what.forced(c, settle=False)  # its extra points only: no tie walk
                except (_Unproven, MatchmakerError):  # stopped by the per-call time limit
                    continue
            if got is not None:
                out[(c, country)] = got
    return out


def need_of(found: Forced | None, best: Solution, explained: bool = True) -> tuple[str, int | None]:
    """What a higher score would do for a candidate given its forced re-solve, as `explain` words it
    (score | tie | slots | stay | kept | time_limit | not_computed), and the units it needs."""
    if not explained:
        return "not_computed", None
    if found is None:
        return "time_limit", None
    if not found.includable or found.count < best.count:
        return "slots", None
    if found.stayed < best.stayed:
        return "stay", None
    if found.kept < best.kept or found.value is None:
        return "kept", None
    needed = best.value - found.value
    return ("tie" if needed <= 0 else "score"), needed


def replacement_records(
    instance: Instance, best: Solution, found: Sequence[Withdrawal]
) -> list[ReplacementRecord]:
    """The `replacements` of the result: one record per withdrawal, in tie-break order."""
    cand, partner = instance.edge_cand, instance.edge_partner
    ids, names = instance.candidates, instance.partners
    before = {int(cand[e]): int(partner[e]) for e in best.edges}
    out: list[ReplacementRecord] = []
    for w in found:
        record = ReplacementRecord(
            candidate_id=ids[w.candidate],
            vacated=names[before[w.candidate]],
            replacement=None,
            partner=None,
            moves=[],
            enters=[],
            leaves=[],
            objective=None,
            computed=w.solution is not None,
        )
        if w.solution is not None:
            after = {int(cand[e]): int(partner[e]) for e in w.solution.edges}
            enters = sorted(c for c in after if c not in before)
            record["replacement"] = ids[enters[0]] if enters else None
            record["partner"] = names[after[enters[0]]] if enters else None
            record["moves"] = [
                [ids[c], names[before[c]], names[after[c]]]
                for c in sorted(after)
                if c in before and after[c] != before[c]
            ]
            record["enters"] = [[ids[c], names[after[c]]] for c in enters]
            record["leaves"] = [ids[c] for c in sorted(before) if c not in after and c != w.candidate]
            record["objective"] = round(w.solution.value / UNIT, VALUE_DECIMALS)
        out.append(record)
    return out


def reserve_records(
    instance: Instance,
    best: Solution,
    by_country: dict[tuple[int, str], Forced],
    countries: Sequence[str],
    municipality: Sequence[str | None],
    explained: bool,
    unlocked: Mapping[int, Any] | None = None,
    resolved: bool = True,
) -> list[ReserveRecord]:
    """Per country, every eligible unselected candidate that may pair there, ranked by the extra
    points it needs to be selected there (a tie first, those no score helps last), then by its
    best pair's value there, then by the tie-break chain."""
    cand, partner = instance.edge_cand, instance.edge_partner
    chosen = {int(cand[e]) for e in best.edges}
    cap = instance.max_per_province
    seats: dict[str, int] = {}
    for c in chosen:
        prov = instance.provinces[c]
        if prov is not None:
            seats[prov] = seats.get(prov, 0) + 1
    out: list[ReserveRecord] = []
    for country in countries:
        best_there: dict[int, tuple[int, int]] = {}
        for e in range(instance.n_edges):
            i = int(cand[e])
            if i in chosen or instance.countries[int(partner[e])] != country:
                continue
            v = int(instance.edge_value[e])
            if i not in best_there or v > best_there[i][0]:
                best_there[i] = (v, e)
        rows = []
        for i, (v, e) in best_there.items():
            found = by_country.get((i, country))
            need, units = need_of(found, best, explained and (resolved or found is not None))
            lifted = (unlocked or {}).get(i)
            if lifted is not None and lifted.country == country and (units is None or lifted.needed < units):
                # a raise that lifts a pair under the minimum value to it selects it here sooner
                need, units = lifted.need, lifted.needed
            rows.append((units if units is not None else None, need, v, i, e))
        # the extra points first (a tie counts as none), those no score helps after them
        rows.sort(key=lambda r: (r[0] is None, max(r[0] or 0, 0), -r[2], r[3]))
        for rank, (units, need, v, i, e) in enumerate(rows, start=1):
            prov = instance.provinces[i]
            out.append(
                ReserveRecord(
                    candidate_id=instance.candidates[i],
                    country=country,
                    rank=rank,
                    municipality=municipality[i],
                    value=v / UNIT,
                    partner=instance.partners[int(partner[e])],
                    score_needed=None if units is None else round(units / UNIT, VALUE_DECIMALS),
                    need=need,
                    province=prov,
                    own_province=cap is not None and prov is not None and seats.get(prov, 0) >= cap,
                )
            )
    return out
