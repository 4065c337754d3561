"""The stable solves of one run on one in-process HiGHS model: the stable optimum, its alternatives,
the what-if re-solves and the listing of the stable pairings, sharing the stability rows found.

Cutting planes: a solve that returns a pairing with blocking pairs adds those pairs' rows (valid for
every stable pairing with the most slots) to the model's own rows and is repeated; rows found for one
question stay for all the later ones. Ties are settled only once an answer is stable.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import MatchmakerError
from .counterfactual import Forced
from .engines import IncrementalEngine
from .instance import Instance, Solution
from .lexicographic import _settle, no_good, sum_expr
from .model import Lin, Model, Ran, Row
from .stability import Preferences, _Index, blocking_pairs, dead_edges, edge_rows, free_edges

# Seconds the what-if re-solves of one run may take together under stability; the candidates not
# reached by then are left without an answer (explained as not computed), never guessed.
WHATIF_BUDGET = 5.0
# Candidates decided per solve when settling a selection (weights up to 2^(SELECT_BLOCK-1)).
SELECT_BLOCK = 20


class _OutOfTime(Exception):
    """A solve stopped at its time limit: its answer is not proven."""


class StableSearch:
    """The pairing model of `inst` in process, with the weak-stability rows of the pairs found to
    block so far, for pairings with `count` slots (the most any pairing fills)."""

    def __init__(self, inst: Instance, prefs: Preferences, count: int, rows_for: Sequence[int] = ()) -> None:
        self.inst, self.prefs, self.count = inst, prefs, count
        self.model = Model(inst)
        self.engine = IncrementalEngine(self.model)
        self._index = index = _Index(inst)
        self.rows_for: list[int] = []
        self.rounds = 0
        self._deadline: float | None = None  # while answering what-ifs: when their budget ends
        # one "full" indicator per country and per province whose quota or cap can stop a swap
        countries = sorted(k for k, binds in index.quota_binds.items() if binds)
        provinces = sorted(r for r, binds in index.cap_binds.items() if binds)
        first = self.engine.add_columns(len(countries) + len(provinces)) if inst.n_edges else 0
        self._full_country = {k: first + i for i, k in enumerate(countries)}
        self._full_province = {r: first + len(countries) + i for i, r in enumerate(provinces)}
        # the pairs no stable pairing with `count` slots holds stay out of every solve, and out of
        # the rows: the solver's presolve need not find them again on every solve
        self.dead = set(dead_edges(inst, prefs, count))
        self.engine.set_bounds(sorted(self.dead), upper=0.0)
        self.engine.add_rows(self._trimmed(self._fullness_rows()))
        # the candidates some stable pairing may select: the only ones a tie-break has to settle
        self._live = sorted({int(inst.edge_cand[e]) for e in range(inst.n_edges) if e not in self.dead})
        self.add(rows_for)

    def _fullness_rows(self) -> list[Row]:
        """limit * full <= pairs in the group: at integral pairs, full is 1 only when the group's
        quota (cap) is reached, so it can stand for "full" in the stability rows."""
        inst, index = self.inst, self._index
        rows: list[Row] = []
        groups = [
            (col, int(inst.quotas.get(k, 0)), index.of_country[k]) for k, col in self._full_country.items()
        ]
        cap = int(inst.max_per_province or 0)
        groups += [(col, cap, index.of_province[r]) for r, col in self._full_province.items()]
        for col, limit, edges in groups:
            terms = dict.fromkeys(edges, -1)
            terms[col] = limit
            rows.append(Row(Lin(terms), -1, 0))
        return rows

    def _rows(self, e: int) -> list[Row]:
        """The weak-stability rows of edge e (`stability.edge_rows`) stated with the "full"
        indicators instead of the groups' sums: the same pairings with the most slots satisfy them,
        and their rows are short (the integer programs solve several times faster).

        (a) not both paired worse; (b) c paired worse needs p paired, or, when c's partner is of
        another country, p's country full; (c) the same for p with c's province; (d) not both
        unpaired, unless p's country (c's province) is full; left out when both could stop it.
        """
        inst, index, prefs = self.inst, self._index, self.prefs
        c, p = int(inst.edge_cand[e]), int(inst.edge_partner[e])
        country, province = inst.countries[p], inst.provinces[c]
        mine_c, mine_p = index.of_cand[c], index.of_partner[p]
        worse_c = [f for f in mine_c if prefs.candidate[f] < prefs.candidate[e]]
        worse_p = [f for f in mine_p if prefs.partner[f] < prefs.partner[e]]
        full_k = self._full_country.get(country)
        full_r = None if province is None else self._full_province.get(province)
        ec, ep = inst.edge_cand, inst.edge_partner
        rows: list[Row] = []

        def at_most_paired(worse: list[int], paired: list[int], full: int | None) -> None:
            terms = dict.fromkeys(worse, 1)
            for f in paired:
                terms[f] = terms.get(f, 0) - 1
            if full is not None:
                terms[full] = -1
            rows.append(Row(Lin(terms), -1, 0))

        if worse_c and worse_p:  # (a)
            terms = dict.fromkeys(worse_c, 1)
            for f in worse_p:
                terms[f] = terms.get(f, 0) + 1
            rows.append(Row(Lin(terms), -1, 1))
        if worse_c:  # (b)
            other = [] if full_k is None else [f for f in worse_c if inst.countries[int(ep[f])] != country]
            same = [f for f in worse_c if f not in set(other)]
            if same:
                at_most_paired(same, mine_p, None)
            if other:
                at_most_paired(other, mine_p, full_k)
        if worse_p:  # (c)
            other = [] if full_r is None else [f for f in worse_p if inst.provinces[int(ec[f])] != province]
            same = [f for f in worse_p if f not in set(other)]
            if same:
                at_most_paired(same, mine_c, None)
            if other:
                at_most_paired(other, mine_c, full_r)
        if full_k is None or full_r is None:  # (d)
            terms = dict.fromkeys(mine_c, 1)
            for f in mine_p:
                terms[f] = terms.get(f, 0) + 1
            full = full_k if full_k is not None else full_r
            if full is not None:
                terms[full] = 1
            rows.append(Row(Lin(terms), 1, 1))
        return rows

    def _trimmed(self, rows: list[Row]) -> list[Row]:
        """The rows without the dead edges' terms (those variables are 0), leaving out the rows that
        then hold for every value of the rest (every variable is in [0, 1])."""
        out: list[Row] = []
        for row in rows:
            terms = {f: w for f, w in row.lin.terms.items() if f not in self.dead}
            if row.sense > 0 and sum(min(w, 0) for w in terms.values()) >= row.rhs:
                continue
            if row.sense < 0 and sum(max(w, 0) for w in terms.values()) <= row.rhs:
                continue
            out.append(Row(Lin(terms), row.sense, row.rhs))
        return out

    @property
    def solves(self) -> int:
        return self.engine.solves

    def add(self, edges: Sequence[int]) -> bool:
        """Add the stability rows of these edges (those not in yet); whether any were new."""
        have = set(self.rows_for)
        new = sorted({int(e) for e in edges} - have)
        if not new:
            return False
        self.engine.add_rows(self._trimmed([row for e in new for row in self._rows(e)]))
        self.rows_for = sorted(have | set(new))
        return True

    def _blocks(self, sol: Solution) -> bool:
        """Whether `sol` has blocking pairs; their rows are added when it has. Each round adds the
        rows of at least one edge, so the rounds end."""
        blocking = [b.edge for b in blocking_pairs(self.inst, sol.edges, self.prefs)]
        if not blocking:
            return False
        self.rounds += 1
        if not self.add(blocking):
            # every row holds for the solver's answer, which blocks all the same: a numerical slip
            raise MatchmakerError("the solver returned a pairing that breaks its own stability rows")
        return True

    def _solve(self, objective: Lin, extra: Sequence[Row], time_limit: float | None) -> Ran | None:
        """One engine solve, within what is left of the what-if budget when one runs."""
        if self._deadline is not None:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise _OutOfTime
            time_limit = left if time_limit is None else min(left, time_limit)
        # the LP first: an integral optimum of the relaxation is the integer optimum (often so here)
        return self.engine.solve(objective, extra, time_limit, relax=True)

    def _run(self, objective: Lin, extra: Sequence[Row], time_limit: float | None) -> Solution | None:
        got = self._solve(objective, extra, time_limit)
        return None if got is None else self.model.measure(got)

    def _stage(self, objective: Lin, face: list[Row], time_limit: float | None) -> Solution | None:
        """The best stable-or-not-yet-refuted pairing for `objective` on `face`, re-solved until it
        has no blocking pair; None when none is left."""
        while True:
            sol = self._run(objective, face, time_limit)
            if sol is None or not self._blocks(sol):
                return sol

    def lexsolve(self, extra: Sequence[Row] = (), time_limit: float | None = None) -> Solution | None:
        """The lexicographic optimum among the stable pairings with `count` slots under `extra`
        (most kept pairs, then most value, ties by the tie-break chain); None when there is none."""
        m, inst = self.model, self.inst
        face = [*extra, m.at_least(m.count_expr, self.count), m.at_most(m.count_expr, self.count)]
        optimal = True
        if inst.keep:
            sol = self._stage(m.kept_expr, face, time_limit)
            if sol is None:
                return None
            optimal = sol.optimal
            face.append(m.at_least(m.kept_expr, sol.kept))
        sol = self._stage(m.value_expr, face, time_limit)
        if sol is None:
            return None
        optimal = optimal and sol.optimal
        face.append(m.at_least(m.value_expr, sol.value))
        while True:
            chosen, fixes = self._select(sol, face, time_limit)
            settled = _settle(m, self.engine, chosen, face + fixes, time_limit, False)
            if settled.count != sol.count or settled.value < sol.value or settled.kept < sol.kept:
                settled = sol  # a numerically doubtful tie-break answer never replaces a proven optimum
            if settled is sol or not self._blocks(settled):
                break
        return Solution(
            settled.edges, settled.count, settled.kept, settled.value, optimal and settled.optimal
        )

    def _select(self, sol: Solution, face: list[Row], time_limit: float | None) -> tuple[Solution, list[Row]]:
        """The lexicographically best selection in tie-break order among the pairings on `face`
        (as `lexicographic._settle` chooses it), and the rows that fix it.

        Candidates are taken in blocks of SELECT_BLOCK: one solve with the weight 2^(B-1-i) on the
        i-th candidate of a block finds the best pattern of the block given the earlier ones (the
        weights are exact integers), instead of up to two solves per candidate.
        """
        m = self.model
        ec = self.inst.edge_cand
        cands = self._live
        inc, optimal = sol, sol.optimal
        fixes: list[Row] = []
        fixed_in, pos = 0, 0

        def selected(s_: Solution) -> set[int]:
            return {int(ec[e]) for e in s_.edges}

        if not self._selects_other(cands, selected(sol), face, time_limit):
            pos = len(cands)  # one selection only: the incumbent's
            fixes = [
                m.at_least(m.cand_expr[c], 1) if c in selected(sol) else m.at_most(m.cand_expr[c], 0)
                for c in cands
            ]
        while pos < len(cands) and fixed_in < sol.count:
            block = cands[pos : pos + SELECT_BLOCK]
            pos += len(block)
            have = selected(inc)
            left = sol.count - fixed_in
            if all(c in have for c in block[: min(left, len(block))]) or not self._selects_other(
                block, have, face + fixes, time_limit
            ):
                # the incumbent selects the earliest it can, or no pairing on the face selects a
                # candidate of the block it leaves out: nothing better
                pattern = have
            else:
                weights = {c: 1 << (len(block) - 1 - i) for i, c in enumerate(block)}
                got = self._solve(sum_expr(m, block, weights), face + fixes, time_limit)
                if got is None:  # cannot happen: the incumbent satisfies the rows
                    break
                inc = m.measure(got)
                optimal = optimal and inc.optimal
                pattern = selected(inc)
            for c in block:
                if c in pattern:
                    fixes.append(m.at_least(m.cand_expr[c], 1))
                    fixed_in += 1
                else:
                    fixes.append(m.at_most(m.cand_expr[c], 0))
        return Solution(inc.edges, inc.count, inc.kept, inc.value, optimal), fixes

    def _selects_other(
        self, cands: Sequence[int], have: set[int], rows: list[Row], time_limit: float | None
    ) -> bool:
        """Whether a pairing under `rows` might select one of `cands` outside `have`: False only
        when the LP relaxation's bound on their number is below 1, so no integral pairing does."""
        outside = [c for c in cands if c not in have]
        if not outside:
            return False
        engine, hs = self.engine, self.engine._hs
        if self._deadline is not None:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise _OutOfTime
            time_limit = left if time_limit is None else min(left, time_limit)
        engine.set_extra(rows)
        engine.set_costs(sum_expr(self.model, outside))
        engine._integral(False)
        engine.h.setOptionValue("time_limit", float(time_limit) if time_limit else hs.kHighsInf)
        engine.h.run()
        if engine.h.getModelStatus() != hs.HighsModelStatus.kOptimal:
            return True  # no proof: the integer solve decides
        return bool(engine.h.getInfo().objective_function_value >= 0.5)

    def forced(
        self,
        best: Solution,
        candidates: Sequence[int],
        *,
        time_limit: float | None = None,
        budget: float = WHATIF_BUDGET,
    ) -> dict[int, Forced]:
        """For each candidate, the best stable pairing with it in (as `forced_solutions` without
        stability); the candidates not answered within `budget` seconds are left out."""
        out: dict[int, Forced] = {}
        m = self.model
        # those with no pair left by `dead_edges` need no solve: answered whatever the budget
        for c in candidates:
            if self.dead.issuperset(m.cand_expr[c].arrays()[0].tolist()):
                out[c] = Forced(c, False, 0, 0, None, ())
        self._deadline = time.monotonic() + budget
        try:
            for c in candidates:
                if c in out:
                    continue
                try:
                    got = self._forced(best, c, time_limit)
                except (_OutOfTime, MatchmakerError):
                    break  # the budget ran out inside this candidate's solves: it stays unanswered
                if got is not None:
                    out[c] = got
        finally:
            self._deadline = None
        return out

    def _proven(self, objective: Lin, face: list[Row], limit: float | None) -> Solution | None:
        sol = self._stage(objective, face, limit)
        if sol is not None and not sol.optimal:
            raise _OutOfTime
        return sol

    def _forced(self, best: Solution, c: int, limit: float | None) -> Forced | None:
        m, inst = self.model, self.inst
        mine = m.cand_expr[c]
        face = [m.at_least(m.count_expr, best.count), m.at_least(mine, 1)]
        if inst.keep:
            sol = self._proven(m.kept_expr, face, limit)
            if sol is None:
                return Forced(c, False, 0, 0, None, ())
            if sol.kept < best.kept:
                return Forced(c, True, sol.count, sol.kept, None, sol.edges)
            face.append(m.at_least(m.kept_expr, best.kept))
        sol = self._proven(m.value_expr, face, limit)
        if sol is None:
            # no stable pairing with the slots has c: recorded as not includable, whose sentence
            # says the true thing (with it, more slots would stay open)
            return Forced(c, False, 0, 0, None, ())
        face.append(m.at_least(m.value_expr, sol.value))
        while True:
            # only who is in matters here (the candidates it displaces), not who goes to which partner
            settled, _fixes = self._select(sol, face, limit)
            if not settled.optimal:
                raise _OutOfTime
            if settled.count != sol.count or settled.kept < sol.kept or settled.value < sol.value:
                settled = sol
            if settled is sol or not self._blocks(settled):
                break
        return Forced(c, True, settled.count, settled.kept, settled.value, settled.edges)

    def pairings(self, most: int, time_limit: float | None = None) -> list[Solution] | None:
        """All stable pairings with `count` slots in the order repeated `lexsolve` calls with
        no-good cuts would give them, when there are at most `most` (None when there are more).

        Each is found by one value solve (re-solved while it blocks), without settling ties: the
        complete list is then sorted by the objective and the tie-break chain.
        """
        m = self.model
        face = [m.at_least(m.count_expr, self.count), m.at_most(m.count_expr, self.count)]
        found: list[Solution] = []
        while len(found) <= most:
            sol = self._stage(m.value_expr, face, time_limit)
            if sol is None:
                return sorted(found, key=self._order)
            found.append(sol)
            face.append(no_good(m, sol))
        return None

    def _order(self, sol: Solution) -> tuple[int, int, tuple[int, ...], tuple[int, ...]]:
        """The sort key of the lexicographic objective and tie-break chain: most kept pairs, most
        value, the earliest candidates selected, then the earliest partners for them in order."""
        ec, ep = self.inst.edge_cand, self.inst.edge_partner
        pairs = sorted((int(ec[e]), int(ep[e])) for e in sol.edges)
        return (-sol.kept, -sol.value, tuple(c for c, _ in pairs), tuple(p for _, p in pairs))


@dataclass(frozen=True)
class StableSolve:
    """What `stable_lexsolve` found: the pairing, the edges whose rows it needed, the rounds."""

    solution: Solution | None  # None: no stable pairing fills the slots of the usual one
    rows_for: tuple[int, ...]
    rounds: int


def stable_lexsolve(
    inst: Instance,
    prefs: Preferences,
    count: int,
    extra: Sequence[Row] = (),
    *,
    rows_for: Sequence[int] = (),
    solver: str = "cbc",
    time_limit: float | None = None,
) -> StableSolve:
    """The lexicographic optimum among the stable pairings with `count` slots (the usual pairing's).

    Cutting planes: start from the rows of `rows_for`, solve, add the rows of the pairs that block
    the answer, solve again, until the answer is stable (optimal among stable pairings, since every
    row holds for every stable pairing) or no pairing with `count` slots is left (then no stable
    pairing has `count`). Every solve runs in process on one HiGHS model (`StableSearch`): the answer
    is defined by the objective and the tie-break chain, whichever `solver` found the usual pairing.
    """
    del solver  # the stable solves are many small integer programs: in process, not through a file
    search = StableSearch(inst, prefs, count, rows_for)
    sol = search.lexsolve(extra, time_limit)
    return StableSolve(sol, tuple(search.rows_for), search.rounds)


def fewest_blocking(
    inst: Instance, prefs: Preferences, count: int, *, solver: str = "cbc", time_limit: float | None = None
) -> Solution:
    """Among the pairings with `count` slots (the most any fills), one with the fewest blocking pairs,
    then the most candidates selected before, the most kept pairs, the most value (no tie-break chain).

    In process on one HiGHS model: every free pair's stability rows with an integer switch b_e that
    lifts them (big M); the switches are counted. A pairing's blocking pairs are at most the switches
    it needs, and the switches on exactly its blocking pairs suffice, so the fewest switches are the
    fewest blocking pairs. (The pairs `dead_edges` rules out are kept: this pairing is not stable.)
    """
    del solver  # in process, as every stable solve
    model = Model(inst)
    engine = IncrementalEngine(model)
    if not inst.n_edges:
        return model.measure(Ran(np.zeros(0, dtype=bool), True))
    hs = engine._hs
    index = _Index(inst)
    edges = free_edges(inst)
    first = engine.add_columns(len(edges))
    switches = np.arange(first, first + len(edges), dtype=np.int32)
    if len(edges):
        kind = np.full(len(edges), hs.HighsVarType.kInteger)
        engine.h.changeColsIntegrality(len(edges), switches, kind)
    rows: list[Row] = []
    for k, e in enumerate(edges):
        for row in edge_rows(index, prefs, e):
            terms = dict(row.lin.terms)
            if row.sense > 0:  # lin >= rhs unless switched off: lin + M b >= rhs
                terms[first + k] = int(row.rhs - sum(min(0, w) for w in terms.values()))
            else:
                terms[first + k] = -int(sum(max(0, w) for w in terms.values()) - row.rhs)
            rows.append(Row(Lin(terms), row.sense, row.rhs))
    engine.add_rows(rows)
    face = [model.at_least(model.count_expr, count), model.at_most(model.count_expr, count)]
    counted = Lin(dict.fromkeys(switches.tolist(), -1))

    def stage(objective: Lin, on_switches: bool) -> Ran:
        engine.set_costs(Lin({}) if on_switches else objective)
        cost = np.full(len(edges), -1.0 if on_switches else 0.0)
        engine.h.changeColsCost(len(edges), switches, cost)
        got = engine.solve(None, face, time_limit)
        if got is None:
            raise MatchmakerError("the solver found no pairing with the slots of the usual one")
        face.append(Row(objective, 1, round(engine.h.getInfo().objective_function_value)))
        return got

    got = stage(counted, True)
    optimal = got.optimal
    for objective in (model.stay_expr, model.kept_expr, model.value_expr):
        got = stage(objective, False)
        optimal = optimal and got.optimal
    return dataclasses.replace(model.measure(got), optimal=optimal)
