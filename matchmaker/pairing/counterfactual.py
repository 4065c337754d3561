"""What-if re-solves: for each unselected candidate, the best pairing with it forced in, and the
best pairing with one more seat for a province. The explanations read the score needed and the cause.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import MatchmakerError
from .budget import Budget
from .engines import IncrementalEngine
from .instance import Instance, Solution
from .lexicographic import TIE_BLOCK, TIE_BLOCK_NETWORK, PairingModel, _settle, lexsolve
from .model import Family, Lin, Ran, Row


@dataclass(frozen=True)
class Forced:
    """The best pairing that includes one candidate, or why there is none."""

    candidate: int
    includable: bool
    count: int
    kept: int
    value: int | None
    edges: tuple[int, ...]
    stayed: int = 0  # of the candidates selected before, how many stay selected


class _InProcess(PairingModel):
    """A pairing model whose every stage runs on the in-process engine (for the many re-solves)."""

    def run(
        self, objective: Lin, extra: Sequence[Row], solver: str, time_limit: float | None, relax: bool = False
    ) -> Ran | None:
        return self.run_here(objective, extra, time_limit, relax)


class _Unproven(Exception):
    """A re-solve stopped at a time limit: its answer is not proven, so it is not given."""


class WhatIf:
    """One in-process model of an instance for many re-solves under small changes: a candidate
    forced in (`forced`), candidates left out (`without`), a province with another cap
    (`province_limit`), each followed by the lexicographic stages (`lexsolve`). Costs, bounds and
    row limits change between the solves; the model is built once.

    Every answer is proven optimal or not given: a solve stopped by `time_limit` (or by what the
    `budget` has left) raises no guess but leaves that answer out.
    """

    def __init__(
        self,
        instance: Instance,
        best: Solution,
        fams: Sequence[Family] | None = None,
        *,
        time_limit: float | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.instance, self.best = instance, best
        # the same constraint families as the solve that found `best`
        self.model = _InProcess(instance, fams)
        self.time_limit, self.budget = time_limit, budget
        self._enough = Row(self.model.count_expr, 1, best.count)
        self._basis: Any = None  # of the first value solve, to start the others from
        # the question of each what-if: which of these stay selected (who the candidate displaces)
        self._chosen = {int(instance.edge_cand[e]) for e in best.edges}
        # more than the value of any pairing: every pair value is positive, at most `best.count` pairs
        self._big = (
            float(np.sort(instance.edge_value)[-max(best.count, 1) :].sum() + 1) if instance.n_edges else 1.0
        )

    @property
    def here(self) -> IncrementalEngine:
        return self.model.here

    @property
    def solves(self) -> int:
        return self.model.solves_here

    def _limit(self) -> float | None:
        return self.time_limit if self.budget is None else self.budget.limit(self.time_limit)

    def _solve(self, objective: Lin, extra: Sequence[Row], relax: bool = False) -> Ran | None:
        got = self.here.solve(objective, extra, self._limit(), relax)
        if got is not None and not got.optimal:
            raise _Unproven
        return got

    @contextmanager
    def without(self, candidates: Iterable[int]) -> Iterator[None]:
        """These candidates left out of every pairing for the solves inside the block."""
        with self.pairs_left_out([e for c in candidates for e in self.model.cand_expr.get(c, Lin({})).terms]):
            yield

    @contextmanager
    def pairs_left_out(self, edges: Sequence[int]) -> Iterator[None]:
        """These pairs left out of every pairing for the solves inside the block."""
        with self.here.held_at_zero(edges):
            yield

    @contextmanager
    def province_limit(self, province: str, limit: int) -> Iterator[None]:
        """Another cap for one province for the solves inside the block."""
        provinces = sorted({p for p in self.instance.provinces if p is not None})
        with self.here.group_limit("province", provinces.index(province), limit):
            yield

    def lexsolve(self, extra: Sequence[Row] = ()) -> Solution | None:
        """The lexicographic optimum (ties settled, partners included) under the changes in force;
        None when `extra` cannot be met. Raises `_Unproven` past a time limit."""
        found = lexsolve(self.model, extra, time_limit=self._limit())
        if found is None:
            return None
        if not found[0].optimal:
            raise _Unproven
        return found[0]

    def forced(self, c: int, *, reference: bool = False, settle: bool = True) -> Forced | None:
        """The best pairing with candidate c in, or why there is none (None: infeasible).

        Among the equally good pairings with it, the tie-break chain picks the selection (as in
        `lexsolve`): the pairing a re-solve would choose once its score is raised past the
        difference, so the candidates an explanation says it would displace are the ones it would.
        The tie walk stays on the optimal face: the pairs whose reduced cost in the value stage's
        LP is nonzero are in no optimal pairing and are held at 0 (when none is left to choose,
        the optimum is unique and nothing is walked). `reference`: without that, the walk one
        candidate at a time (the slow path the fast one is tested against). Without `settle`, the
        pairing is the first optimum found (its slots, kept pairs and value are the answer's; who
        it displaces is not).
        """
        core, instance, best = self.model, self.instance, self.best
        n = instance.n_edges
        relax = core.network and not instance.keep and not instance.keep_selected
        mine = core.cand_expr[c]
        mine_edges = mine.arrays()[0]

        def first_stage() -> Forced | None:
            # the candidate in if at all possible, then most slots. Weight best.count + 1 on its
            # inclusion beats any count gain; all numbers are small integers, nothing is lost to rounding
            weights = np.ones(n)
            weights[mine_edges] += best.count + 1
            got = self._solve(Lin(idx=np.arange(n), coef=weights), [], relax)
            if got is None:
                return None
            m = core.measure(got)
            return Forced(c, bool(got.chosen[mine_edges].any()), m.count, m.kept, None, m.edges, m.stayed)

        if reference:  # the slow path as it was: the first stage always solved on its own
            first = first_stage()
            if first is None or not first.includable or first.count != best.count:
                return first
        # the count row is one object for every candidate, so the engine keeps it between them
        extra = [self._enough, Row(mine, 1, 1)]
        rows = extra
        # the same stages as `lexsolve`: the candidates selected before, then the kept pairs; when
        # the first is infeasible, the candidate cannot be in with the most slots, and the first
        # stage on its own says why (solved only then)
        for expr, reached, attr in (
            (core.stay_expr, best.stayed, "stayed"),
            (core.kept_expr, best.kept, "kept"),
            (core.value_expr, best.value, "value"),
        ):
            if (attr == "stayed" and not instance.keep_selected) or (attr == "kept" and not instance.keep):
                continue
            if attr == "value" and relax and not reference and len(extra) == 2:
                # the candidate in by its cost rather than by a row: weight `self._big` on its pairs
                # outweighs any value, so the optimum holds it whenever it can; the row of each
                # candidate would cost a cold start of the LP on every candidate
                weights = instance.edge_value.astype(float)
                weights[mine_edges] += self._big
                if self._basis is not None:
                    self.here.start_from(self._basis, [self._enough])
                got = self._solve(Lin(idx=np.arange(n), coef=weights), [self._enough], True)
                if self._basis is None:
                    self._basis = self.here.basis()
                if got is None or not got.chosen[mine_edges].any():
                    return first_stage()
                m = core.measure(got)
                rows = [self._enough]  # what, with the optimal face, the pairings must meet
                break
            got = self._solve(expr, extra, relax and attr == "value")
            if got is None:
                return first_stage()
            m = core.measure(got)
            if attr == "value":
                break
            if getattr(m, attr) < reached:
                return Forced(c, True, m.count, m.kept, None, m.edges, m.stayed)
            extra.append(Row(expr, 1, reached))
        assert got is not None
        if not settle:
            return Forced(c, True, m.count, m.kept, m.value, m.edges, m.stayed)
        face = [*extra, Row(core.value_expr, 1, m.value)]
        settled = None
        if got.reduced is not None and not reference:
            if bool(np.all(got.reduced[~got.chosen] >= 0.5)):
                # every unused pair has a nonzero reduced cost: the optimum is unique
                return Forced(c, True, m.count, m.kept, m.value, m.edges, m.stayed)
            # on the optimal face (no value row), on a model of the face's free pairs alone (a
            # few hundred of thousands): only who is in matters here (the candidates it
            # displaces), not who goes to which partner
            face_model = self.here.face(got)
            # rows: the count row alone when `relax`, and the face by bounds: a network LP
            settled = _settle(
                core,
                face_model,
                m,
                [*rows, *face_model.face_rows],
                self._limit(),
                relax,
                partners=False,
                decide=self._chosen,
                block=TIE_BLOCK_NETWORK if relax else TIE_BLOCK,
            )
            if settled.count != m.count or settled.value != m.value:
                settled = None  # off the face (duals not integral): walk again under the value row
        if settled is None:
            settled = _settle(
                core, self.here, m, face, self._limit(), relax, partners=False, one_by_one=reference
            )
        if not settled.optimal:
            raise _Unproven
        if (
            settled.count == m.count
            and settled.stayed >= m.stayed
            and settled.kept >= m.kept
            and settled.value >= m.value
        ):
            m = settled  # as in `lexsolve`, a doubtful tie-break answer never replaces the optimum
        return Forced(c, True, m.count, m.kept, m.value, m.edges, m.stayed)


def forced_solutions(
    instance: Instance,
    best: Solution,
    candidates: Sequence[int],
    *,
    solver: str = "cbc",
    time_limit: float | None = None,
    fams: Sequence[Family] | None = None,
    budget: Budget | None = None,
    reference: bool = False,
) -> dict[int, Forced]:
    """For each candidate, the best pairing with it forced in (`WhatIf.forced`), one after the
    other on one in-process HiGHS model, whichever `solver` found `best`.

    A candidate whose re-solve is infeasible or stopped by `time_limit` gets no answer; the ones
    not reached (or cut off) when the `budget` is spent are recorded in it as missed "whatif".
    """
    out: dict[int, Forced] = {}
    if not candidates:
        return out
    what = WhatIf(instance, best, fams, time_limit=time_limit, budget=budget)
    done = 0
    for k, c in enumerate(candidates):
        done = k
        if budget is not None:
            if budget.spent:
                budget.miss("whatif", list(candidates[k:]))
                break
            budget.tick("what-ifs", k, len(candidates))
        try:
            got = what.forced(c, reference=reference)
        except (_Unproven, MatchmakerError):
            if budget is not None and budget.spent:
                budget.miss("whatif", list(candidates[k:]))
                break
            continue  # stopped by the per-call time limit: no answer for this one
        if got is not None:
            out[c] = got
        done = k + 1
    if budget is not None:
        budget.tick("what-ifs", done, len(candidates), last=True)
    return out


def capped_candidates(
    instance: Instance,
    best: Solution,
    candidates: Sequence[int],
    *,
    time_limit: float | None = None,
    budget: Budget | None = None,
) -> set[int]:
    """The candidates (of `candidates`, unselected) that one more seat for their province would select.

    For each province at the cap with such a candidate, one lexicographic re-solve (ties settled by
    the chain, as in `lexsolve`) with that province's cap raised by one, on one in-process model:
    the cap is the reason a candidate is left out exactly when that re-solve selects it. The
    candidates of a province not answered within the `budget` are recorded in it ("province_cap").
    """
    cap = instance.max_per_province
    if cap is None:
        return set()
    per_province: dict[str, int] = {}
    for e in best.edges:
        prov = instance.provinces[int(instance.edge_cand[e])]
        if prov is not None:
            per_province[prov] = per_province.get(prov, 0) + 1
    full = {p for p, n in per_province.items() if n >= cap}
    waiting: dict[str, list[int]] = {}
    for c in candidates:
        prov = instance.provinces[c]
        if prov in full:
            waiting.setdefault(prov, []).append(c)
    out: set[int] = set()
    if not waiting:
        return out
    what = WhatIf(instance, best, time_limit=time_limit, budget=budget)
    for prov, cands in sorted(waiting.items()):
        if budget is not None and budget.spent:
            budget.miss("province_cap", cands)
            continue
        try:
            with what.province_limit(prov, cap + 1):
                found = what.lexsolve()
        except (_Unproven, MatchmakerError):
            if budget is not None:
                budget.miss("province_cap", cands)
            continue
        if found is None:
            continue
        selected = {int(instance.edge_cand[e]) for e in found.edges}
        out.update(c for c in cands if c in selected)
    return out


def dropped_causes(
    instance: Instance,
    best: Solution,
    *,
    time_limit: float | None = None,
    fams: Sequence[Family] | None = None,
    budget: Budget | None = None,
) -> dict[int, str]:
    """For each kept pair (edge) the best pairing leaves out, the stage that drops it.

    One re-solve per stage with the pair forced in, in the order of `lexsolve`: "more_slots" when
    the pairing with it fills fewer slots, "stay" when fewer of the candidates selected before stay
    selected, "more_kept" when fewer previous pairs stay, "more_value" when it is worth less, "tie"
    when it is as good and the tie-break chain decides. Pairs no pairing can hold are left out, and
    so are the ones not answered within the `budget` (recorded in it as "dropped").
    """
    chosen = set(best.edges)
    todo = [e for e in instance.keep if e not in chosen]
    out: dict[int, str] = {}
    if not todo:
        return out
    what = WhatIf(instance, best, fams, time_limit=time_limit, budget=budget)
    core = what.model
    stages = [
        ("more_slots", core.count_expr, best.count),
        ("stay", core.stay_expr, best.stayed),
        ("more_kept", core.kept_expr, best.kept),
        ("more_value", core.value_expr, best.value),
    ]
    for k, e in enumerate(todo):
        if budget is not None and budget.spent:
            budget.miss("dropped", todo[k:])
            break
        extra = [Row(Lin({e: 1}), 1, 1)]
        cause = "tie"
        try:
            for name, expr, reached in stages:
                got = what._solve(expr, extra)
                if got is None:
                    cause = ""
                    break
                m = core.measure(got)
                now = {"more_slots": m.count, "stay": m.stayed, "more_kept": m.kept, "more_value": m.value}
                if now[name] < reached:
                    cause = name
                    break
                extra.append(Row(expr, 1, reached))
        except (_Unproven, MatchmakerError):
            if budget is not None and budget.spent:
                budget.miss("dropped", todo[k:])
                break
            continue
        if cause:
            out[e] = cause
    return out
