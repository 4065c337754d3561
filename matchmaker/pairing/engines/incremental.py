"""The pairing model held by one in-process HiGHS instance, changed between solves, not rebuilt.

For the many small solves around the main ones: tie-breaks on the optimal face, the explanations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ...errors import MatchmakerError
from ..model import FixedEdges, GroupLimit, Lin, Model, Ran, Row, RowFamily, fixed_edges
from .base import quiet_stdout


class IncrementalEngine:
    """One highspy model of the pairing, whose costs, bounds and extra rows change between solves.

    No model file, no process start, a warm start from the last basis. The model's own rows (its
    constraint families) stay; `set_extra` keeps the extra rows a following call shares with the
    current ones, so an optimal face is added once for a run of solves on it. Either call `solve`
    with an objective and extra rows, or set them with `set_costs` / `set_extra` and `solve` with
    None for them. Each variable is bounded by [lower, upper] within [0, 1]; the model's fixed edges
    (locks) have lower bound 1.
    """

    def __init__(self, model: Model) -> None:
        import highspy

        self._hs = highspy
        with quiet_stdout():  # the constructor prints a banner from C
            self.h = h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)  # every objective is integral: a gap under 1 proves optimality
        self.model = model
        self.solves = 0
        self.n = n = model.instance.n_edges
        self.cols = np.arange(n, dtype=np.int32)
        self.lower = np.zeros(n)
        self.lower[fixed_edges(model.families)] = 1.0
        self.upper = np.ones(n)
        self.mip: bool | None = None
        self.extra: list[Row] = []
        # the row duals of the last solve, when it was an LP with an integral optimum
        self.row_dual: np.ndarray[Any, Any] | None = None
        # per group-limit family: its first row and the key of each of its rows, in row order
        self.group_rows: dict[str, tuple[int, list[int], list[float]]] = {}
        if not n:
            self.base_rows = 0
            return
        h.addVars(n, self.lower, self.upper)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        for family in model.families:
            if isinstance(family, GroupLimit):
                keys, starts, edges, limits = family.groups()
                self.group_rows[family.name] = (h.getNumRow(), [int(k) for k in keys], limits.tolist())
                h.addRows(
                    len(keys),
                    np.full(len(keys), -np.inf),
                    limits,
                    len(edges),
                    starts,
                    edges,
                    np.ones(len(edges)),
                )
            elif isinstance(family, RowFamily):
                for row in family.rows:
                    self._add_row(row)
            elif not isinstance(family, FixedEdges):  # fixed edges are bounds, set above
                raise TypeError(f"no HiGHS rows for the constraint family {family.name!r}")
        self.base_rows = h.getNumRow()

    def set_costs(self, objective: Lin) -> None:
        """Maximise `objective` from the next solve on (edges it leaves out cost 0)."""
        if not self.n:
            return
        cost = np.zeros(self.n)
        idx, coef = objective.arrays()
        cost[idx] = coef
        self.h.changeColsCost(self.n, self.cols, cost)

    def set_bounds(
        self, edges: Sequence[int], lower: float | None = None, upper: float | None = None
    ) -> None:
        """Set the bounds of these edge variables; None keeps a bound as it is. Upper 0 leaves the
        edges out of every solution, lower 1 puts them in every one."""
        if not len(edges):
            return
        idx = np.asarray(edges, dtype=np.int32)
        if lower is not None:
            self.lower[idx] = lower
        if upper is not None:
            self.upper[idx] = upper
        self.h.changeColsBounds(len(idx), idx, self.lower[idx], self.upper[idx])

    @contextmanager
    def held_at_zero(self, edges: Sequence[int]) -> Iterator[None]:
        """Hold these edges at 0 for the solves inside the block, then give them back the bounds
        they had (so that a caller's own bounds, a candidate left out, survive)."""
        idx = np.asarray(edges, dtype=np.int32)
        before = self.upper[idx].copy()
        self.set_bounds(idx.tolist(), upper=0.0)
        try:
            yield
        finally:
            if len(idx):
                self.upper[idx] = before
                self.h.changeColsBounds(len(idx), idx, self.lower[idx], self.upper[idx])

    def basis(self) -> Any:
        """The basis of the last solve, to start a later solve on the same rows from it."""
        return self.h.getBasis()

    def start_from(self, basis: Any, extra: Sequence[Row]) -> None:
        """Set the extra rows and start the next solve from `basis` (taken with these rows): after
        rows were deleted and bounds changed, HiGHS would otherwise start the LP cold."""
        self.set_extra(extra)
        self.h.setBasis(basis)

    @contextmanager
    def on_face(self, ran: Ran) -> Iterator[None]:
        """Hold the solves inside the block on the optimal face of the LP solve `ran` (the last
        solve, an LP with an integral optimum): by complementary slackness with its duals, a pair
        with a nonzero reduced cost keeps its value (0 or 1) in every optimal solution and a row
        with a nonzero dual stays tight; every optimal solution satisfies these bounds, and every
        solution that does and meets the extra rows is optimal. Duals of a network LP are integers,
        so 0.5 separates zero from nonzero; where they are not, a caller checks the value.
        Then the bounds are as they were."""
        assert ran.reduced is not None and self.row_dual is not None
        fixed = np.flatnonzero(ran.reduced >= 0.5).astype(np.int32)
        lower, upper = self.lower[fixed].copy(), self.upper[fixed].copy()
        held = ran.chosen[fixed]
        self.lower[fixed[held]] = 1.0
        self.upper[fixed[~held]] = 0.0
        tight = np.flatnonzero(np.abs(self.row_dual) >= 0.5).astype(np.int32)
        if len(fixed):
            self.h.changeColsBounds(len(fixed), fixed, self.lower[fixed], self.upper[fixed])
        row_lower, row_upper = np.zeros(0), np.zeros(0)
        if len(tight):
            _, _, row_lower, row_upper, _ = self.h.getRows(len(tight), tight)
            row_lower, row_upper = np.asarray(row_lower), np.asarray(row_upper)
            bound = np.where(np.isfinite(row_upper), row_upper, row_lower)
            for r, b in zip(tight.tolist(), bound.tolist(), strict=True):
                self.h.changeRowBounds(r, b, b)
        try:
            yield
        finally:
            if len(fixed):
                self.lower[fixed], self.upper[fixed] = lower, upper
                self.h.changeColsBounds(len(fixed), fixed, lower, upper)
            for r, lo, up in zip(tight.tolist(), row_lower.tolist(), row_upper.tolist(), strict=True):
                self.h.changeRowBounds(r, lo, up)

    @contextmanager
    def candidates_fixed(self) -> Iterator[Callable[[int, bool], None]]:
        """For the solves inside the block, `fix(c, True)` keeps candidate c selected (its row's
        lower bound 1) and `fix(c, False)` leaves it out (its pairs held at 0): bounds, not rows, so
        the LP does not grow. Then every bound is as it was."""
        first, keys, _ = self.group_rows["cand"]
        row_of = {k: first + i for i, k in enumerate(keys)}
        edges_of = self.model.cand_expr
        rows: list[tuple[int, float, float]] = []
        held: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]] = []

        def fix(c: int, selected: bool) -> None:
            if selected:
                r = row_of[c]
                _, _, lower, upper, _ = self.h.getRows(1, np.array([r], dtype=np.int32))
                rows.append((r, float(lower[0]), float(upper[0])))
                self.h.changeRowBounds(r, 1.0, float(upper[0]))
            else:
                idx = np.asarray(edges_of[c].arrays()[0], dtype=np.int32)
                held.append((idx, self.upper[idx].copy()))
                self.set_bounds(idx.tolist(), upper=0.0)

        try:
            yield fix
        finally:
            for r, lo, up in reversed(rows):
                self.h.changeRowBounds(r, lo, up)
            for idx, before in reversed(held):
                self.upper[idx] = before
                self.h.changeColsBounds(len(idx), idx, self.lower[idx], self.upper[idx])

    @contextmanager
    def group_limit(self, family: str, key: int, limit: float) -> Iterator[None]:
        """Another limit for the group `key` of a group-limit family (a province's cap) for the
        solves inside the block, then the one it had. Only for a family whose rows are all added
        at the start (every family of the instance)."""
        first, keys, limits = self.group_rows.get(family, (0, [], []))
        if key not in keys:  # a group without edges has no row (nor a model without edges)
            yield
            return
        row = first + keys.index(key)
        before = limits[row - first]
        self.h.changeRowBounds(row, -np.inf, float(limit))
        try:
            yield
        finally:
            self.h.changeRowBounds(row, -np.inf, before)

    def _add_row(self, row: Row) -> None:
        idx, coef = row.lin.arrays()
        lower, upper = (row.rhs, np.inf) if row.sense > 0 else (-np.inf, row.rhs)
        self.h.addRow(lower, upper, len(idx), idx, coef)

    def set_extra(self, extra: Sequence[Row]) -> None:
        """Replace the extra rows by `extra`: rows shared (the same objects, as a prefix) with the
        current ones stay in place, the rest are deleted and the new ones added."""
        same = 0
        for have, want in zip(self.extra, extra, strict=False):
            if have is not want:
                break
            same += 1
        if same < len(self.extra):
            gone = np.arange(self.base_rows + same, self.base_rows + len(self.extra), dtype=np.int32)
            self.h.deleteRows(len(gone), gone)
        for row in extra[same:]:
            self._add_row(row)
        self.extra = list(extra)

    def add_columns(self, k: int) -> int:
        """Add k continuous columns in [0, 1] beside the edge variables, for rows that need them (an
        auxiliary indicator); they cost nothing and are not part of the answer. Returns the index
        of the first, for the rows' `Lin` terms."""
        first = self.h.getNumCol()
        if k:
            self.h.addVars(k, np.zeros(k), np.ones(k))
        return first

    def add_rows(self, rows: Sequence[Row]) -> None:
        """Add rows to the model's own rows for every following solve (cutting planes found on
        the way); the current extra rows stay."""
        if not rows or not self.n:
            return
        extra = self.extra
        self.set_extra([])
        for row in rows:
            self._add_row(row)
        self.base_rows = self.h.getNumRow()
        self.set_extra(extra)

    def add_extra(self, rows: Sequence[Row]) -> None:
        """Add rows to the current extra rows."""
        self.set_extra([*self.extra, *rows])

    def _integral(self, mip: bool) -> None:
        if mip == self.mip:
            return
        kind = self._hs.HighsVarType.kInteger if mip else self._hs.HighsVarType.kContinuous
        self.h.changeColsIntegrality(self.n, self.cols, np.full(self.n, kind))
        # primal simplex: measured 3-6x faster than HiGHS's default on these degenerate assignment LPs
        self.h.setOptionValue("simplex_strategy", 1 if mip else 4)
        self.mip = mip

    def solve(
        self,
        objective: Lin | None,
        extra: Sequence[Row] | None,
        time_limit: float | None,
        relax: bool = False,
    ) -> Ran | None:
        """Maximise `objective` under the model's rows plus `extra`; None when infeasible.

        None for `objective` or `extra` keeps the costs or extra rows of the previous call. With
        `relax` (a network model), the LP first: its optimum is taken when integral.
        """
        if not self.n:
            return Ran(np.zeros(0, dtype=bool), True)
        self.solves += 1
        self.row_dual = None
        hs, h = self._hs, self.h
        if extra is not None:
            self.set_extra(extra)
        if objective is not None:
            self.set_costs(objective)
        h.setOptionValue("time_limit", float(time_limit) if time_limit else hs.kHighsInf)
        status = None
        for mip in (False, True) if relax else (True,):
            self._integral(mip)
            h.run()
            status = h.getModelStatus()
            if status in (hs.HighsModelStatus.kInfeasible, hs.HighsModelStatus.kUnboundedOrInfeasible):
                return None  # every variable is bounded: "unbounded or infeasible" is infeasible
            if not mip and status == hs.HighsModelStatus.kOptimal:
                solution = h.getSolution()
                values = np.asarray(solution.col_value)[: self.n]
                if np.all(np.abs(values - np.rint(values)) <= 1e-6):
                    self.row_dual = np.asarray(solution.row_dual)
                    return Ran(values > 0.5, True, np.abs(np.asarray(solution.col_dual)[: self.n]))
        if status == hs.HighsModelStatus.kOptimal:
            optimal = True
        elif h.getInfo().primal_solution_status == 2:  # a feasible solution, stopped at the time limit
            optimal = False
        else:
            raise MatchmakerError(
                "the HiGHS solver found no pairing"
                + (f" within the time limit of {time_limit:g} s" if time_limit else "")
            )
        return Ran(np.asarray(h.getSolution().col_value)[: self.n] > 0.5, optimal)
