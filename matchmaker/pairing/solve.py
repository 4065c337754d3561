"""The public pairing function: check and encode the tables, solve, explain, assemble the result.

`solve_pairing` is the whole pairing run as the pipeline and the library callers use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any, cast

import pandas as pd

from .. import schema as s
from ..criteria import Criteria
from ..errors import InfeasibleError, MatchmakerError
from ..i18n.wording import WITHOUT_STABILITY, why_text
from ..schema import ExplanationRecord
from .budget import DEFAULT_BUDGET, Budget
from .counterfactual import Forced, capped_candidates, dropped_causes, forced_solutions
from .instance import DISTINCT, SOLVERS, Instance, Solution, _Table, encode
from .lexicographic import PairingModel, lexsolve, no_good
from .model import Family, Row
from .replacements import Withdrawal, country_forced, withdrawals
from .result import PairingResult, assemble
from .stability import Preferences, free_edges, stable_families
from .stable_search import StableSearch, fewest_blocking
from .unlock import Unlocked, unlocked_needs

STABILITY_MODES = ("off", "report", "require")


def solve_pairing(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    *,
    locks: Iterable[tuple[str, str]] = (),
    forbids: Iterable[tuple[str, str]] = (),
    keep: Iterable[tuple[str, str]] = (),
    keep_selected: Iterable[str] = (),
    alternatives: int = 0,
    solver: str = "cbc",
    time_limit: float | None = None,
    explain: bool = True,
    distinct: str = "selection",
    partner_ratings: Iterable[tuple[str, str, int | None]] = (),
    stability: str = "off",
    time_budget: float | None = DEFAULT_BUDGET,
    progress: Callable[[str], None] | None = None,
) -> PairingResult:
    """Pair the eligible scored candidates with the eligible partners, exactly and explained.

    Fills as many slots as the constraints allow (locks are hard rules), then keeps as many of the
    `keep_selected` candidate ids selected as possible (each may move partner), then changes as few
    `keep` pairs as possible, then maximises the total pair value; ties go by the tie-break chain.
    Alternatives differ from every better one in their set of pairs (`distinct="pairs"`) or in
    their set of selected candidates (`distinct="selection"`).
    `partner_ratings` are (candidate id, partner, rating 1-5 or None for not acceptable): a not
    acceptable pair is forbidden. `stability`: "off", "report" (the blocking pairs of the pairing) or
    "require" (the same objective over the stable pairings; see `stability`).
    `time_budget`: seconds for the whole run (None: no budget); the optimum is always found, the
    answers around it (alternatives, what-ifs, causes) not computed when it is spent are marked
    as such. `progress` receives a line now and then during long work (see `Budget.tick`).
    Raises DecisionError for locks or forbids naming unknown candidates or partners, or that
    contradict each other; InfeasibleError for locks no pairing can honour.
    """
    if solver not in SOLVERS:
        raise MatchmakerError(f"unknown solver {solver!r}; choose one of {', '.join(SOLVERS)}")
    if distinct not in DISTINCT:
        raise MatchmakerError(f"distinct must be one of {', '.join(DISTINCT)}, not {distinct!r}")
    if alternatives < 0:
        raise MatchmakerError(f"alternatives must be 0 or more, not {alternatives}")
    if time_limit is not None and not time_limit > 0:
        raise MatchmakerError(f"the time limit must be a positive number of seconds, not {time_limit}")
    if time_budget is not None and not time_budget > 0:
        raise MatchmakerError(f"the time budget must be a positive number of seconds, not {time_budget}")
    budget = Budget(time_budget, progress)
    if stability not in STABILITY_MODES:
        raise MatchmakerError(f"stability must be one of {', '.join(STABILITY_MODES)}, not {stability!r}")
    ratings = [(str(c), str(p), r) for c, p, r in partner_ratings]
    forbids = [*forbids, *((c, p) for c, p, r in ratings if r is None and (c, p) not in set(locks))]
    candidates = candidates.copy()
    partners = partners.reset_index(drop=True).copy()
    table, instance, locks, forbids, keep = encode(
        candidates, partners, criteria, locks=locks, forbids=forbids, keep=keep
    )
    if keep_selected:
        stay = {str(c) for c in keep_selected}
        instance = dataclasses.replace(
            instance, keep_selected=tuple(k for k, c in enumerate(instance.candidates) if c in stay)
        )
    model = PairingModel(instance)
    found = lexsolve(model, solver=solver, time_limit=time_limit)
    if found is None:
        raise InfeasibleError("the locked pairs cannot all be honoured together")
    best, _ = found
    stable = None
    if stability != "off":
        stable = _Stable(instance, table, ratings, stability, best, solver, time_limit)
        best = stable.chosen
        model = PairingModel(instance, stable.families())
    alts: list[Solution] = []
    # an alternative fills as many slots and keeps as many pairs as the best: it differs in the
    # choice among equally complete pairings, never by leaving slots open (its gap is never negative)
    cuts: list[Row] = [model.at_least(model.count_expr, best.count)]
    if instance.keep_selected:
        cuts.append(model.at_least(model.stay_expr, best.stayed))
    if instance.keep:
        cuts.append(model.at_least(model.kept_expr, best.kept))
    previous = best
    for k in range(alternatives):
        if not previous.edges:
            break
        if budget.spent:
            budget.miss("alternatives", list(range(k, alternatives)))
            break
        budget.tick("alternatives", k, alternatives)
        cuts.append(no_good(model, previous, distinct))
        if stable is not None and stable.exists:
            previous_or_none = stable.solve(cuts)
            if previous_or_none is None:
                break
            previous = previous_or_none
            alts.append(previous)
            continue
        got = lexsolve(model, cuts, solver=solver, time_limit=budget.limit(time_limit))
        if got is not None and not got[0].optimal and budget.spent:
            budget.miss("alternatives", list(range(k, alternatives)))  # cut off: not proven
            break
        if got is None:
            break
        previous = got[0]
        alts.append(previous)
    forced: dict[int, Forced] = {}
    capped: set[int] = set()
    ei = instance.edge_cand
    chosen_cands = {int(ei[e]) for e in best.edges}
    if explain and best.optimal:
        unselected = sorted(set(ei.tolist()) - chosen_cands)
        if stable is None:
            capped = capped_candidates(instance, best, unselected, time_limit=time_limit, budget=budget)
            forced = forced_solutions(
                instance, best, unselected, solver=solver, time_limit=time_limit, budget=budget
            )
        else:  # the stability rows are not network rows: its own re-solves keep them
            forced = stable.forced(best, unselected)
    withdrawn: list[Withdrawal] = []
    unlocked: dict[int, Unlocked] = {}
    reserve_forced: dict[tuple[int, str], Forced] = {}
    if explain and best.optimal and (stable is None or stable.families() is None):
        # under stability rows these re-solves would need them too: left out (not computed)
        unselected = sorted(set(ei.tolist()) - chosen_cands)
        unlocked = unlocked_needs(
            instance, table, best, forced, criteria.pairing.min_value, time_limit=time_limit, budget=budget
        )
        withdrawn = withdrawals(instance, best, time_limit=time_limit, budget=budget)
        reserve_forced = country_forced(
            instance, best, forced, unselected, time_limit=time_limit, budget=budget
        )
    elif explain:
        withdrawn = [Withdrawal(c, None) for c in sorted(chosen_cands)]
        if best.optimal:  # the stable what-ifs answer the candidates that may pair in one country
            unselected = sorted(set(ei.tolist()) - chosen_cands)
            reserve_forced = country_forced(instance, best, forced, unselected, resolve=False)
    dropped: dict[int, str] = {}
    if explain and best.optimal and instance.keep:
        fams = None if stable is None else stable.families()
        dropped = dropped_causes(instance, best, time_limit=time_limit, fams=fams, budget=budget)
    result = assemble(
        candidates,
        partners,
        criteria,
        table,
        instance,
        best,
        alts,
        forced,
        locks,
        forbids,
        keep,
        solver,
        explain,
        capped,
        alternatives,
        dropped,
        withdrawn,
        reserve_forced,
        unlocked,
        stable is None or stable.families() is None,
        budget,
    )
    if stable is None:
        return result
    return stable.finish(result)


class _Stable:
    """The stability side of one solve: the preferences, the stable pairing and its rows."""

    def __init__(
        self,
        instance: Instance,
        table: _Table,
        ratings: list[tuple[str, str, int | None]],
        mode: str,
        usual: Solution,
        solver: str,
        time_limit: float | None,
    ) -> None:
        self.instance, self.table, self.ratings, self.mode = instance, table, ratings, mode
        self.usual, self.solver, self.time_limit = usual, solver, time_limit
        by_index = {
            (table.row_of[c], table.col_of[p]): int(r)
            for c, p, r in ratings
            if r is not None and c in table.row_of and p in table.col_of
        }
        self.prefs = Preferences.of(instance, by_index)
        self.search: StableSearch | None = None
        self.exists = True
        self.chosen = usual
        if mode == "require":
            # every pair's rows from the start: they are short (see `StableSearch._rows`), and one
            # integer program with all of them solved faster than the cutting-plane rounds, on the
            # sample and on 300 candidates rated by every partner
            self.search = StableSearch(instance, self.prefs, usual.count, free_edges(instance))
            got = self.search.lexsolve((), time_limit)
            if got is None:
                self.exists = False
                self.chosen = fewest_blocking(
                    instance, self.prefs, usual.count, solver=solver, time_limit=time_limit
                )
            else:
                self.chosen = got

    @property
    def rows_for(self) -> list[int]:
        return [] if self.search is None else self.search.rows_for

    def families(self) -> tuple[Family, ...] | None:
        if self.mode != "require" or not self.exists:
            return None
        return stable_families(self.instance, self.prefs, self.rows_for)

    def solve(self, extra: list[Row]) -> Solution | None:
        assert self.search is not None
        return self.search.lexsolve(extra, self.time_limit)

    def forced(self, best: Solution, unselected: list[int]) -> dict[int, Forced]:
        """The what-if re-solves: under the stability rows when the pairing is stable (within the
        time budget of `StableSearch.forced`), otherwise as without stability."""
        if self.search is None or not self.exists:
            return forced_solutions(
                self.instance, best, unselected, solver=self.solver, time_limit=self.time_limit
            )
        return self.search.forced(best, unselected, time_limit=self.time_limit)

    def finish(self, result: PairingResult) -> PairingResult:
        from .stability_report import stability_block, stable_pairings

        inst, table = self.instance, self.table
        names = [
            str(m) if isinstance(m, str) and m else c
            for c, m in zip(table.ids, table.pool[s.MUNICIPALITY].tolist(), strict=True)
        ]
        asked = [v if isinstance(v, str) else None for v in table.pool[s.COUNTRY_PREFERENCE].tolist()]
        listed = None
        if self.exists:
            listed = stable_pairings(
                inst,
                self.prefs,
                self.usual.count,
                self.rows_for,
                solver=self.solver,
                time_limit=self.time_limit,
            )
        block = stability_block(
            inst,
            self.prefs,
            self.mode,
            self.chosen,
            self.usual,
            self.ratings,
            names,
            asked,
            listed,
            self.exists,
        )
        explanations = result.explanations
        if self.mode == "require":
            explanations = self._moved(explanations, names)
        return dataclasses.replace(result, stability=block, explanations=explanations)

    def _moved(self, explanations: list[ExplanationRecord], names: list[str]) -> list[ExplanationRecord]:
        """The candidates the stable pairing leaves out or pairs otherwise than the usual one (the
        optimum without stability, so true by construction): their partner there, and the sentence."""
        inst = self.instance
        usual = {
            inst.candidates[int(inst.edge_cand[e])]: inst.partners[int(inst.edge_partner[e])]
            for e in self.usual.edges
        }
        now = {
            inst.candidates[int(inst.edge_cand[e])]: inst.partners[int(inst.edge_partner[e])]
            for e in self.chosen.edges
        }
        known = dict(zip(self.table.ids, names, strict=True))
        out: list[ExplanationRecord] = []
        for x in explanations:
            cid = str(x.get("candidate_id"))
            if cid in usual and usual[cid] != now.get(cid):
                rec: dict[str, Any] = {**x, WITHOUT_STABILITY: usual[cid], "stability": cid not in now}
                rec["why"] = why_text(rec, known, "en") or ""
                x = cast(ExplanationRecord, rec)
            out.append(x)
        return out
