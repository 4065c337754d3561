"""The lexicographic optimum of the pairing: most slots, then most candidates selected before, then
most kept pairs, then most value, each its own solve, then the ties settled by the tie-break chain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np

from .engines import IncrementalEngine, MipEngine
from .instance import Instance, Solution
from .model import Family, Lin, Model, Ran, Row

# Above this many allowed pairs the value stage is solved first (see `lexsolve`).
VALUE_FIRST_EDGES = 20_000
# Candidates decided per solve when settling a selection (weights up to 2^(TIE_BLOCK-1)).
TIE_BLOCK = 20
# The same on a network LP (every row network, the LP taken): its bases are triangular with
# entries +-1, so the simplex adds and subtracts integers (exact in double precision far beyond
# 2^32) and the integral duals keep every reduced cost an integer; measured about a third fewer
# solves than TIE_BLOCK on the what-ifs.
TIE_BLOCK_NETWORK = 32


class PairingModel(Model):
    """The integer program of one instance, built once and solved under changing objectives.

    The main stages run on the chosen solver through PuLP (`run`, on `mip`); the many small solves
    around them run on the same model held in process by HiGHS (`run_here`, on `here`).
    """

    def __init__(self, instance: Instance, fams: Sequence[Family] | None = None) -> None:
        super().__init__(instance, fams)
        # each built at its first solve: many models (the what-ifs, the replacements) solve in
        # process only, and building the PuLP model costs more than their solves
        self._mip: MipEngine | None = None
        self._here: IncrementalEngine | None = None

    @property
    def mip(self) -> MipEngine:
        if self._mip is None:
            self._mip = MipEngine(self)
        return self._mip

    @property
    def here(self) -> IncrementalEngine:
        if self._here is None:
            self._here = IncrementalEngine(self)
        return self._here

    @property
    def solves(self) -> int:
        """All solves so far; of them `solves_here` in process."""
        return (0 if self._mip is None else self._mip.solves) + self.solves_here

    @property
    def solves_here(self) -> int:
        return 0 if self._here is None else self._here.solves

    def run(
        self, objective: Lin, extra: Sequence[Row], solver: str, time_limit: float | None, relax: bool = False
    ) -> Ran | None:
        """Maximise `objective` under the model's rows plus `extra` on `solver`; None when infeasible."""
        return self.mip.solve(objective, extra, time_limit, relax, solver)

    def run_here(
        self, objective: Lin, extra: Sequence[Row], time_limit: float | None, relax: bool = False
    ) -> Ran | None:
        """Maximise `objective` under the model's rows plus `extra`, in process; None when infeasible."""
        return self.here.solve(objective, extra, time_limit, relax)


def _count_bound(inst: Instance) -> int:
    """An upper bound on the slots any pairing fills: per country, per province, per side."""
    partners = set(inst.edge_partner.tolist())
    cands = set(inst.edge_cand.tolist())
    by_country: dict[str, int] = {}
    for p in partners:
        by_country[inst.countries[p]] = by_country.get(inst.countries[p], 0) + 1
    bound = sum(min(n, int(inst.quotas.get(c, 0))) for c, n in by_country.items())
    if inst.max_per_province is not None:
        by_province: dict[str | None, int] = {}
        for c in cands:
            by_province[inst.provinces[c]] = by_province.get(inst.provinces[c], 0) + 1
        bound = min(
            bound, sum(n if v is None else min(n, inst.max_per_province) for v, n in by_province.items())
        )
    return min(bound, len(partners), len(cands))


def lexsolve(
    model: PairingModel, extra: Sequence[Row] = (), *, solver: str = "cbc", time_limit: float | None = None
) -> tuple[Solution, list[Row]] | None:
    """The lexicographic optimum under `extra`: most slots, then most of the candidates selected in
    the previous round (`keep_selected`, each may move partner), then most kept pairs, then most value.
    Committee locks are hard rows of the model, so every stage keeps them.

    Returns the solution and the constraints that pin its optimal face (for re-solves), or None
    when `extra` cannot be met. Each stage is its own solve on `solver` with the previous optimum
    fixed as a constraint, so no weighting mixes the goals. Ties are then settled exactly on that
    optimal face (see `_settle`).
    """
    inst = model.instance
    # When every constraint family is a network family and there are no kept pairs, kept candidates
    # or cuts, LP relaxations are integral and their reduced costs can prove the optimum unique.
    relax = model.network and not inst.keep and not inst.keep_selected and not extra
    sol: Solution | None = None
    got: Ran | None = None
    if relax and inst.n_edges > VALUE_FIRST_EDGES:
        # Large models: values are positive, so the most valuable pairing usually fills every slot the
        # bound allows; when it does, it is lexicographically optimal and the count stage is saved.
        got = model.run(model.value_expr, extra, solver, time_limit, relax)
        if got is None:
            return None
        sol = model.measure(got)
        if sol.count != _count_bound(inst):
            sol = got = None
    if sol is None:
        counted = model.run(model.count_expr, extra, solver, time_limit, relax)
        if counted is None:
            return None
        sol = model.measure(counted)
    optimal = sol.optimal
    face = [*extra, model.at_least(model.count_expr, sol.count), model.at_most(model.count_expr, sol.count)]
    # the decision stages between slots and value: previous candidates kept selected, then pairs kept
    for wanted, expr, reached in (
        (inst.keep_selected, model.stay_expr, "stayed"),
        (inst.keep, model.kept_expr, "kept"),
    ):
        if not wanted:
            continue
        staged = model.run(expr, face, solver, time_limit)
        if staged is None:  # cannot happen: the count stage's solution satisfies the face
            return None
        sol = model.measure(staged)
        optimal = optimal and sol.optimal
        face.append(model.at_least(expr, int(getattr(sol, reached))))
    if got is None:
        got = model.run(model.value_expr, face, solver, time_limit, relax)
        if got is None:
            return None
        sol = model.measure(got)
    optimal = optimal and sol.optimal
    face.append(model.at_least(model.value_expr, sol.value))
    if got.reduced is not None and bool(np.all(got.reduced[~got.chosen] >= 0.5)):
        # Every unused pair has a nonzero reduced cost in an optimal LP basis, so complementary
        # slackness excludes it from every optimal pairing: the optimum is unique, nothing to settle.
        # (The reduced costs of this network LP with integral values are integers: 0.5 separates.)
        return dataclasses.replace(sol, optimal=optimal), face
    # Complementary slackness: an unused pair with a nonzero reduced cost in the optimal LP basis is
    # in no optimal pairing, so the tie-break solves may leave it out (fixed at 0), which keeps them small.
    unused = [] if got.reduced is None else np.flatnonzero((got.reduced >= 0.5) & ~got.chosen).tolist()
    # The tie-break solves run in process: their answer is defined by the chain alone (not by the
    # engine), and they are many small solves that would each cost a model file and a process.
    # Each tries the LP first even off a network model (the cuts of the alternatives): an integral
    # LP optimum is the integer optimum, and a fractional one falls back to the integer program.
    with model.here.held_at_zero(unused):
        # on a model of the pairs left free alone: on large instances, a small part of them
        settled = _settle(model, model.here.restricted(), sol, face, time_limit, True)
    if (
        settled.count != sol.count
        or settled.value < sol.value
        or settled.kept < sol.kept
        or settled.stayed < sol.stayed
    ):
        settled = sol  # a numerically doubtful tie-break answer never replaces a proven optimum
    return dataclasses.replace(settled, optimal=optimal and settled.optimal), face


def _settle(
    model: Model,
    engine: IncrementalEngine,
    sol: Solution,
    face: list[Row],
    time_limit: float | None,
    relax: bool,
    partners: bool = True,
    one_by_one: bool = False,
    decide: Collection[int] | None = None,
    block: int = TIE_BLOCK,
) -> Solution:
    """Pick one pairing among the equally good ones, the same on every run and every solver.

    Among the optimal pairings: first the lexicographically best selection in tie-break order
    (the earliest candidate that can be selected is), then for the selected candidates in that
    order the earliest partner in file order. Each step asks `engine` only what the current
    incumbent cannot answer, so an instance without ties costs one extra solve.

    With `relax` (network model), every step is an LP over the optimal face, which is a face of an
    integral polytope and so has integral vertices. Without `partners`, only the selection is
    settled (the partners stay as found). The selection is walked in blocks of `block`
    candidates per solve (more than TIE_BLOCK only on a network LP: TIE_BLOCK_NETWORK);
    `one_by_one` walks it candidate by candidate (the reference the block
    walk is tested against: both find the same selection). With `decide` (and without
    `partners`), the walk stops once these candidates are decided: the pairing returned then
    agrees with the tie-broken selection on them (and on every candidate before the last of them
    in tie-break order), which is all a question about them needs.
    """
    inst = model.instance
    optimal = sol.optimal

    def run(objective: Lin, constraints: list[Row]) -> Ran | None:
        return engine.solve(objective, constraints, time_limit, relax)

    # one solve settles the common case: no optimal pairing differs from the incumbent at all
    got = run(model.weighted({e: -1 for e in sol.edges}), face) if partners else None
    if partners and (got is None or set(model.measure(got).edges) == set(sol.edges)):
        return sol
    cand_of = inst.edge_cand
    with_edges = sorted(set(cand_of.tolist()))

    def selected(s_: Solution) -> set[int]:
        return {int(cand_of[e]) for e in s_.edges}

    inc = sol
    fixes: list[Row] = []
    chosen = selected(inc)
    # candidates whose every pair the engine holds at 0 (left off the optimal face by their
    # reduced costs) are in no pairing of the face: they need no step of the walk
    open_ = _open_candidates(model, engine)
    live = [c for c in with_edges if c in open_]
    if decide is not None and not partners and not one_by_one:
        last = max((live.index(c) for c in decide if c in open_), default=-1)
        # only the candidates up to the last to decide matter: when no pairing of the face selects
        # one of them the incumbent leaves out, the incumbent's selection of them is the best
        live = live[: last + 1]
        outside = [c for c in live if c not in chosen]
    else:
        outside = [c for c in with_edges if c not in chosen]
    ties = False
    if outside and inc.count:
        got = run(sum_expr(model, outside), face)
        if got is not None:
            other = model.measure(got)
            optimal = optimal and other.optimal
            ties = bool(selected(other) & set(outside))
    if ties:
        if one_by_one:
            inc, fixes, optimal = _walk_one_by_one(model, run, inc, face, with_edges, optimal)
        else:
            if "cand" in engine.group_rows:  # the decided candidates as bounds, the LP stays small
                with engine.candidates_fixed() as fix:
                    inc, fixes, optimal = _walk_blocks(model, run, inc, face, live, optimal, fix, block)
            else:
                inc, fixes, optimal = _walk_blocks(model, run, inc, face, live, optimal, block=block)
    if not partners:
        return dataclasses.replace(inc, optimal=optimal)
    chosen = selected(inc)
    fixes = [model.at_least(model.cand_expr[c], 1) for c in sorted(chosen)]
    # the partners: unique unless a solution exists that moves some selected candidate elsewhere
    got = run(model.weighted({e: -1 for e in inc.edges}), face + fixes)
    if got is not None:
        other = model.measure(got)
        optimal = optimal and other.optimal
        if set(other.edges) != set(inc.edges):
            inc, optimal = _walk_partners(model, run, inc, face + fixes, sorted(chosen), optimal, block)
    return dataclasses.replace(inc, optimal=optimal)


def _walk_partners(
    model: Model,
    run: Callable[[Lin, list[Row]], Ran | None],
    inc: Solution,
    face: list[Row],
    order: list[int],
    optimal: bool,
    block: int = TIE_BLOCK,
) -> tuple[Solution, bool]:
    """For the selected candidates in `order`, each the earliest partner (in file order) it can
    have on `face` (the selection fixed) given those of the candidates before it, from `inc`.

    A candidate whose partner in the incumbent is the earliest not taken before it keeps it
    without a solve. From one that does not, one solve decides a block of candidates: its pairs
    weighted by their rank among its own pairs (the earliest partner highest) in mixed radix, each
    candidate's rank worth more than every later one's together, the weights under 2^(block-1)
    (exact integers in double precision, as in `_walk_blocks`)."""
    inst = model.instance
    cand_of, partner_of = inst.edge_cand, inst.edge_partner
    # each candidate's pairs, latest partner first: rank k for the k-th
    ranked = {c: sorted(model.cand_expr[c].terms, key=lambda e: -int(partner_of[e])) for c in order}
    fixes: list[Row] = []
    taken: set[int] = set()

    def keep(c: int) -> None:
        mine = next(e for e in inc.edges if cand_of[e] == c)
        fixes.append(model.at_least(model.weighted({mine: 1}), 1))
        taken.add(int(partner_of[mine]))

    pos = 0
    while pos < len(order):
        c = order[pos]
        mine = next(e for e in inc.edges if cand_of[e] == c)
        free = [int(partner_of[e]) for e in ranked[c] if int(partner_of[e]) not in taken]
        if int(partner_of[mine]) == min(free):
            keep(c)
            pos += 1
            continue
        these = [c]
        room = len(ranked[c])
        while pos + len(these) < len(order) and room * len(ranked[order[pos + len(these)]]) < 1 << (
            block - 1
        ):
            room *= len(ranked[order[pos + len(these)]])
            these.append(order[pos + len(these)])
        weights: dict[int, int] = {}
        scale = 1
        for d in reversed(these):
            for k, e in enumerate(ranked[d]):
                weights[e] = k * scale
            scale *= len(ranked[d])
        got = run(model.weighted(weights), face + fixes)
        if got is not None:
            inc = model.measure(got)
            optimal = optimal and inc.optimal
        for d in these:
            keep(d)
        pos += len(these)
    return inc, optimal


def _open_candidates(model: Model, engine: IncrementalEngine) -> set[int]:
    """The candidates with a pair the engine does not hold at 0."""
    return {int(c) for c in np.unique(model.instance.edge_cand[engine.upper > 0])}


def _walk_blocks(
    model: Model,
    run: Callable[[Lin, list[Row]], Ran | None],
    inc: Solution,
    face: list[Row],
    order: list[int],
    optimal: bool,
    fix: Callable[[int, bool], None] | None = None,
    block: int = TIE_BLOCK,
) -> tuple[Solution, list[Row], bool]:
    """The lexicographically best selection in `order` on `face`, from `inc` (a pairing on it):
    the incumbent's leading candidates are in without a solve; from the first it leaves out, one
    solve per `block` candidates, the weight 2^(B-1-i) on the i-th, finds the best
    pattern of the block given the earlier ones (each weight exceeds the sum of the later ones; all
    are exact integers in double precision). Returns the pairing, the rows that fix the selection
    and whether every solve was proven optimal. With `fix` (the engine's `candidates_fixed`),
    each decided candidate is fixed by bounds through it instead of by its row."""
    cand_of = model.instance.edge_cand
    fixes: list[Row] = []
    rows = fixes if fix is None else []  # the rows the solves carry

    def decided(d: int, selected: bool) -> None:
        expr = model.cand_expr[d]
        fixes.append(model.at_least(expr, 1) if selected else model.at_most(expr, 0))
        if fix is not None:
            fix(d, selected)

    have = {int(cand_of[e]) for e in inc.edges}
    fixed_in, pos = 0, 0
    while pos < len(order) and fixed_in < inc.count:
        c = order[pos]
        if c in have:
            decided(c, True)
            fixed_in += 1
            pos += 1
            continue
        these = order[pos : pos + block]
        pos += len(these)
        weights = {d: 1 << (len(these) - 1 - k) for k, d in enumerate(these)}
        got = run(sum_expr(model, these, weights), face + rows)
        if got is None:  # cannot happen: the incumbent satisfies the rows
            break
        inc = model.measure(got)
        optimal = optimal and inc.optimal
        have = {int(cand_of[e]) for e in inc.edges}
        for d in these:
            if d in have:
                decided(d, True)
                fixed_in += 1
            else:
                decided(d, False)
    return inc, fixes, optimal


def _walk_one_by_one(
    model: Model,
    run: Callable[[Lin, list[Row]], Ran | None],
    inc: Solution,
    face: list[Row],
    order: list[int],
    optimal: bool,
) -> tuple[Solution, list[Row], bool]:
    """As `_walk_blocks`, deciding one candidate at a time (up to two solves each)."""
    cand_of = model.instance.edge_cand

    def selected(s_: Solution) -> set[int]:
        return {int(cand_of[e]) for e in s_.edges}

    fixes: list[Row] = []
    fixed_in = 0
    for pos, c in enumerate(order):
        if fixed_in == inc.count:
            break
        if c in selected(inc):
            fixes.append(model.at_least(model.cand_expr[c], 1))
            fixed_in += 1
            continue
        rest = [d for d in order[pos:] if d not in selected(inc)]
        # weights favour the earlier candidates, so one solve often settles c and finds a better incumbent
        weights = {d: len(rest) - k for k, d in enumerate(rest)}
        got = run(sum_expr(model, rest, weights), face + fixes)
        if got is None:
            break
        trial = model.measure(got)
        optimal = optimal and trial.optimal
        if not selected(trial) & set(rest):
            break  # no later candidate can enter: the incumbent's selection is the answer
        if c not in selected(trial):
            got = run(model.cand_expr[c], face + fixes)
            if got is None:
                break
            trial = model.measure(got)
            optimal = optimal and trial.optimal
        if c in selected(trial):
            inc = trial
            fixes.append(model.at_least(model.cand_expr[c], 1))
            fixed_in += 1
        else:
            fixes.append(model.at_most(model.cand_expr[c], 0))
    return inc, fixes, optimal


def sum_expr(model: Model, cands: Iterable[int], weights: Mapping[int, int] | None = None) -> Lin:
    """The number of these candidates selected (with `weights`: their weighted sum)."""
    terms: dict[int, int] = {}
    for c in cands:
        w = 1 if weights is None else weights[c]
        for e in model.cand_expr[c].terms:
            terms[e] = w
    return Lin(terms)


def no_good(model: Model, sol: Solution, distinct: str = "pairs") -> Row:
    """A cut that excludes this set of pairs, or with `distinct="selection"` this set of candidates."""
    if distinct == "selection":
        chosen = sorted({int(model.instance.edge_cand[e]) for e in sol.edges})
        return model.at_most(sum_expr(model, chosen), len(chosen) - 1)
    return model.at_most(model.weighted(dict.fromkeys(sol.edges, 1)), len(sol.edges) - 1)
