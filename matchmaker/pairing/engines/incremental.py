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

    def __init__(
        self, model: Model, *, within: IncrementalEngine | None = None, face: Ran | None = None
    ) -> None:
        import highspy

        self._hs = highspy
        with quiet_stdout():  # the constructor prints a banner from C
            self.h = h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)  # every objective is integral: a gap under 1 proves optimality
        self.model = model
        self.solves = 0
        self.parent = within
        self.n = n = model.instance.n_edges
        self.lower = np.zeros(n)
        self.lower[fixed_edges(model.families)] = 1.0
        self.upper = np.ones(n)
        self.mip: bool | None = None
        self.extra: list[Row] = []
        # the row duals of the last solve, when it was an LP with an integral optimum
        self.row_dual: np.ndarray[Any, Any] | None = None
        # per edge, whether the last solve chose it (None before the first or after an infeasible one)
        self.chosen: np.ndarray[Any, Any] | None = None
        # per group-limit family: its first row and the key of each of its rows, in row order
        self.group_rows: dict[str, tuple[int, list[int], list[float]]] = {}
        # the column of each edge (-1: not in this model) and the edge of each column; None: all
        # edges, column e for edge e
        self.column: np.ndarray[Any, Any] | None = None
        self.edges = np.arange(n, dtype=np.int32)
        # the same for the model's own rows: the HiGHS row of each (-1: left out), None: row r is r
        self.row: np.ndarray[Any, Any] | None = None
        # the extra rows a solve on the face adds (see `face`)
        self.face_rows: list[Row] = []
        if within is not None:
            self._copy_within(within, face)
            return
        self.cost = np.zeros(n)
        if not n:
            self.base_rows = self.rows_here = 0
            self.row_lower, self.row_upper = np.zeros(0), np.zeros(0)
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
        self.base_rows = self.rows_here = h.getNumRow()
        _, _, lower, upper, _ = h.getRows(self.base_rows, np.arange(self.base_rows, dtype=np.int32))
        # the bounds of the model's own rows as they are now (changed only through `_set_row`)
        self.row_lower, self.row_upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)

    def _copy_within(self, within: IncrementalEngine, face: Ran | None) -> None:
        """This model as `within` is now (on the optimal `face` of its last solve, see `face`),
        without the edges it holds at 0: those are 0 in every solution there, so leaving them out
        changes no answer, and a face of a few hundred free pairs among thousands solves in a
        fraction of the time. Of the model's own rows, the ones left without an edge go too (they
        hold only 0 = 0); the others and the extra rows keep their bounds. The rows keep their
        numbers outside (the group rows, the duals). The first solve starts from `within`'s last
        basis where it fits (a cold start of the LP costs more than the walk's other solves
        together)."""
        h = self.h
        self.lower, self.upper = within.lower.copy(), within.upper.copy()
        self.group_rows = within.group_rows
        self.base_rows = within.base_rows
        self.row_lower, self.row_upper = within.row_lower.copy(), within.row_upper.copy()
        self.extra = list(within.extra)
        if face is not None:
            self._hold_face(within, face)
        keep = np.flatnonzero(self.upper > 0).astype(np.int32)
        self.edges = keep
        self.column = np.full(self.n, -1, dtype=np.int64)
        self.column[keep] = np.arange(len(keep))
        self.cost = np.zeros(len(keep))
        h.changeObjectiveSense(self._hs.ObjSense.kMaximize)
        start, index, value = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)
        if len(keep):
            _, start, index, value = within.h.getColsEntries(len(keep), within._columns(keep))
        index = np.asarray(index)
        # the rows of `within`'s HiGHS model to copy: its own rows with an edge here, its extra rows
        rows_there = np.arange(within.rows_here + len(within.extra))
        used = np.zeros(len(rows_there), dtype=bool)
        used[index] = True
        used[within.rows_here :] = True
        rows_there = rows_there[used]
        local = np.full(used.size, -1, dtype=np.int64)
        local[rows_there] = np.arange(len(rows_there))
        # global row -> row of `within` -> row here
        there = np.arange(self.base_rows) if within.row is None else within.row
        self.row = np.where(there >= 0, local[np.maximum(there, 0)], -1)
        self.rows_here = int(np.sum(self.row >= 0))
        extra = [_bounds(r) for r in self.extra]
        kept = np.flatnonzero(self.row >= 0)  # in order: the local rows follow the global order
        lower = np.append(self.row_lower[kept], [lo for lo, _ in extra])
        upper = np.append(self.row_upper[kept], [up for _, up in extra])
        empty = np.zeros(0, dtype=np.int32)
        h.addRows(len(lower), lower, upper, 0, empty, empty, np.zeros(0))
        if not len(keep):
            return
        index = local[index].astype(np.int32)
        h.addCols(len(keep), self.cost, self.lower[keep], self.upper[keep], len(index), start, index, value)
        self._start_from_within(within, keep, used, lower, upper)

    def _start_from_within(
        self,
        within: IncrementalEngine,
        keep: np.ndarray[Any, Any],
        used: np.ndarray[Any, Any],
        lower: np.ndarray[Any, Any],
        upper: np.ndarray[Any, Any],
    ) -> None:
        """Start the first solve from `within`'s last basis, restricted to the columns `keep` and
        the rows `used` (the bounds `lower`, `upper` here), when it stays square: the edges and
        rows left out were nonbasic there. Built from the basic variables and the last solution
        (reading a basis's statuses from HiGHS costs as much as a solve)."""
        if within.chosen is None or within.mip is not False:  # no last solve, or not an LP
            return
        status = self._hs.HighsBasisStatus
        ok, basic = within.h.getBasicVariables()  # type: ignore[attr-defined]  # not in the stubs
        if ok != self._hs.HighsStatus.kOk:
            return
        basic = np.asarray(basic)
        cols = np.isin(within._columns(keep), basic[basic >= 0])
        rows = np.zeros(len(used), dtype=bool)
        rows[-1 - basic[basic < 0]] = True
        rows = rows[used]
        if int(cols.sum() + rows.sum()) != len(rows):
            return
        at_one = within.chosen[keep]
        col_status = [
            status.kBasic if b else status.kUpper if one else status.kLower
            for b, one in zip(cols.tolist(), at_one.tolist(), strict=True)
        ]
        row_status = []
        for b, lo, up in zip(rows.tolist(), lower.tolist(), upper.tolist(), strict=True):
            if b:
                row_status.append(status.kBasic)
            elif lo == up or not np.isfinite(up):
                row_status.append(status.kLower)
            elif not np.isfinite(lo):
                row_status.append(status.kUpper)
            else:  # a range row: which bound holds it is not known here
                return
        basis = self._hs.HighsBasis()
        basis.col_status, basis.row_status, basis.valid = col_status, row_status, True
        self.h.setBasis(basis)

    def restricted(self) -> IncrementalEngine:
        """A model of its own with only the edges this one does not hold at 0 now, the rows' bounds
        as they are now; its solves count as this one's."""
        return IncrementalEngine(self.model, within=self)

    def face(self, ran: Ran) -> IncrementalEngine:
        """A model of its own (as `restricted`) of the optimal face of the LP solve `ran` (the
        last solve, an LP with an integral optimum): by complementary slackness with its duals, a
        pair with a nonzero reduced cost keeps its value (0 or 1) in every optimal solution and a
        row with a nonzero dual stays tight; every optimal solution satisfies these bounds, and
        every solution that does and meets the extra rows is optimal. Duals of a network LP are
        integers, so 0.5 separates zero from nonzero; where they are not, a caller checks the value.

        The model's own rows are held tight by their bounds; for the extra rows of that solve with
        a nonzero dual, its `face_rows` are the opposite rows, which a solve on the face adds to
        its extra rows (those change between solves, the face must not)."""
        return IncrementalEngine(self.model, within=self, face=ran)

    def _hold_face(self, within: IncrementalEngine, ran: Ran) -> None:
        """The bounds of `within`'s optimal face of `ran` (see `face`), in this copy's bounds."""
        assert ran.reduced is not None and within.row_dual is not None
        fixed = np.flatnonzero(ran.reduced >= 0.5)
        held = ran.chosen[fixed]
        self.lower[fixed[held]] = 1.0
        self.upper[fixed[~held]] = 0.0
        dual = np.abs(within.row_dual) >= 0.5
        tight = np.flatnonzero(dual[: self.base_rows])
        up = self.row_upper[tight]
        self.row_lower[tight] = self.row_upper[tight] = np.where(np.isfinite(up), up, self.row_lower[tight])
        extra = zip(self.extra, dual[self.base_rows :], strict=True)
        self.face_rows = [Row(row.lin, -row.sense, row.rhs) for row, d in extra if d]

    def _columns(self, edges: Any) -> np.ndarray[Any, Any]:
        """The columns of these edges (each must be in the model)."""
        idx = np.asarray(edges, dtype=np.int32)
        return idx if self.column is None else self.column[idx].astype(np.int32)

    def _set_row(self, r: int, lower: float, upper: float) -> None:
        """New bounds for the model's own row r (a row left out holds only 0 = 0: its bounds
        cannot exclude 0, as every solution there had it at 0)."""
        self.row_lower[r], self.row_upper[r] = lower, upper
        here = r if self.row is None else int(self.row[r])
        if here >= 0:
            self.h.changeRowBounds(here, lower, upper)
        elif not lower <= 0 <= upper:
            raise ValueError(f"row {r} has no edge left to meet its bounds")

    def set_costs(self, objective: Lin) -> None:
        """Maximise `objective` from the next solve on (edges it leaves out cost 0)."""
        if not self.n:
            return
        cost = np.zeros(len(self.cost))
        idx, coef = objective.arrays()
        if self.column is not None:
            col = self.column[idx]
            idx, coef = col[col >= 0], coef[col >= 0]  # an edge left out is 0: its cost is moot
        cost[idx] = coef
        # only the costs that change: changing all of a large model's costs costs more than a solve
        changed = np.flatnonzero(cost != self.cost).astype(np.int32)
        if len(changed):
            self.h.changeColsCost(len(changed), changed, cost[changed])
            self.cost = cost

    def _change_bounds(self, idx: np.ndarray[Any, Any]) -> None:
        """Give HiGHS the bounds of these edges as `lower` and `upper` hold them (edges left out of
        this model are skipped: they are 0 in every solution here)."""
        if self.column is not None:
            idx = idx[self.column[idx] >= 0]
        if len(idx):
            cols = self._columns(idx)
            self.h.changeColsBounds(len(cols), cols, self.lower[idx], self.upper[idx])

    def set_bounds(
        self,
        edges: Sequence[int] | np.ndarray[Any, Any],
        lower: float | None = None,
        upper: float | None = None,
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
        self._change_bounds(idx)

    @contextmanager
    def held_at_zero(self, edges: Sequence[int]) -> Iterator[None]:
        """Hold these edges at 0 for the solves inside the block, then give them back the bounds
        they had (so that a caller's own bounds, a candidate left out, survive)."""
        idx = np.asarray(edges, dtype=np.int32)
        before = self.upper[idx].copy()
        self.set_bounds(idx, upper=0.0)
        try:
            yield
        finally:
            if len(idx):
                self.upper[idx] = before
                self._change_bounds(idx)

    def basis(self) -> Any:
        """The basis of the last solve, to start a later solve on the same rows from it."""
        return self.h.getBasis()

    def start_from(self, basis: Any, extra: Sequence[Row]) -> None:
        """Set the extra rows and start the next solve from `basis` (taken with these rows): after
        rows were deleted and bounds changed, HiGHS would otherwise start the LP cold."""
        self.set_extra(extra)
        self.h.setBasis(basis)

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
                rows.append((r, self.row_lower[r], self.row_upper[r]))
                self._set_row(r, 1.0, self.row_upper[r])
            else:
                idx = np.asarray(edges_of[c].arrays()[0], dtype=np.int32)
                held.append((idx, self.upper[idx].copy()))
                self.set_bounds(idx, upper=0.0)

        try:
            yield fix
        finally:
            for r, lo, up in reversed(rows):
                self._set_row(r, lo, up)
            for idx, before in reversed(held):
                self.upper[idx] = before
                self._change_bounds(idx)

    @contextmanager
    def group_limit(self, family: str, key: int, limit: float) -> Iterator[None]:
        """Another limit for the group `key` of a group-limit family (a province's cap) for the
        solves inside the block, then the one it had. Only for a family whose rows are all added
        at the start (every family of the instance)."""
        first, keys, _ = self.group_rows.get(family, (0, [], []))
        if key not in keys:  # a group without edges has no row (nor a model without edges)
            yield
            return
        row = first + keys.index(key)
        lower, upper = self.row_lower[row], self.row_upper[row]
        self._set_row(row, lower, float(limit))
        try:
            yield
        finally:
            self._set_row(row, lower, upper)

    def _add_row(self, row: Row) -> None:
        idx, coef = row.lin.arrays()
        if self.column is not None:  # an edge left out is 0: its term is moot
            col = self.column[idx]
            idx, coef = col[col >= 0], coef[col >= 0]
        self.h.addRow(*_bounds(row), len(idx), idx, coef)

    def set_extra(self, extra: Sequence[Row]) -> None:
        """Replace the extra rows by `extra`: rows shared (the same objects, as a prefix) with the
        current ones stay in place, the rest are deleted and the new ones added."""
        same = 0
        for have, want in zip(self.extra, extra, strict=False):
            if have is not want:
                break
            same += 1
        if same < len(self.extra):
            gone = np.arange(self.rows_here + same, self.rows_here + len(self.extra), dtype=np.int32)
            self.h.deleteRows(len(gone), gone)
        for row in extra[same:]:
            self._add_row(row)
        self.extra = list(extra)

    def add_columns(self, k: int) -> int:
        """Add k continuous columns in [0, 1] beside the edge variables, for rows that need them (an
        auxiliary indicator); they cost nothing and are not part of the answer. Returns the index
        of the first, for the rows' `Lin` terms."""
        if self.column is not None:
            raise TypeError("a restricted model takes no extra columns")
        first = self.h.getNumCol()
        if k:
            self.h.addVars(k, np.zeros(k), np.ones(k))
        return first

    def add_rows(self, rows: Sequence[Row]) -> None:
        """Add rows to the model's own rows for every following solve (cutting planes found on
        the way); the current extra rows stay."""
        if not rows or not self.n:
            return
        if self.row is not None:
            raise TypeError("a restricted model takes no rows of its own")
        extra = self.extra
        self.set_extra([])
        for row in rows:
            self._add_row(row)
            lower, upper = _bounds(row)
            self.row_lower = np.append(self.row_lower, lower)
            self.row_upper = np.append(self.row_upper, upper)
        self.base_rows = self.rows_here = self.h.getNumRow()
        self.set_extra(extra)

    def add_extra(self, rows: Sequence[Row]) -> None:
        """Add rows to the current extra rows."""
        self.set_extra([*self.extra, *rows])

    def _integral(self, mip: bool) -> None:
        if mip == self.mip:
            return
        kind = self._hs.HighsVarType.kInteger if mip else self._hs.HighsVarType.kContinuous
        k = len(self.edges)
        self.h.changeColsIntegrality(k, np.arange(k, dtype=np.int32), np.full(k, kind))
        # primal simplex: measured 3-6x faster than HiGHS's default on these degenerate assignment LPs
        self.h.setOptionValue("simplex_strategy", 1 if mip else 4)
        self.mip = mip

    def _per_edge(self, values: Any, absent: float) -> np.ndarray[Any, Any]:
        """Per edge, from the values of the columns (`absent` for an edge left out of this model)."""
        got = np.asarray(values)[: len(self.edges)]
        if self.column is None:
            return got
        out = np.full(self.n, absent)
        out[self.edges] = got
        return out

    def _no_pairs(self) -> Ran | None:
        """The answer of a model without a pair to choose (all held at 0 here): HiGHS calls such a
        model empty, feasible or not; choosing nothing meets every row that allows an activity of 0."""
        lp = self.h.getLp()
        if np.any(np.asarray(lp.row_lower_) > 1e-9) or np.any(np.asarray(lp.row_upper_) < -1e-9):
            return None
        self.row_dual = self._per_row(np.zeros(self.h.getNumRow()))
        self.chosen = self._per_edge(np.zeros(0), 0.0) > 0.5
        return Ran(self.chosen, True, self._per_edge(np.zeros(0), np.inf))

    def _per_row(self, values: Any) -> np.ndarray[Any, Any]:
        """Per row (the model's own in their numbers, then the extra rows), from the values of the
        HiGHS rows (0 for a row left out of this model)."""
        got = np.asarray(values)
        if self.row is None:
            return got
        out = np.zeros(self.base_rows + len(self.extra))
        kept = self.row >= 0
        out[: self.base_rows][kept] = got[self.row[kept]]
        out[self.base_rows :] = got[self.rows_here :]
        return out

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
        if self.parent is not None:
            self.parent.solves += 1
        self.row_dual = self.chosen = None
        hs, h = self._hs, self.h
        if extra is not None:
            self.set_extra(extra)
        if objective is not None:
            self.set_costs(objective)
        h.setOptionValue("time_limit", float(time_limit) if time_limit else hs.kHighsInf)
        if h.getNumCol() == 0:
            return self._no_pairs()
        status = None
        for mip in (False, True) if relax else (True,):
            self._integral(mip)
            h.run()
            status = h.getModelStatus()
            if status in (hs.HighsModelStatus.kInfeasible, hs.HighsModelStatus.kUnboundedOrInfeasible):
                return None  # every variable is bounded: "unbounded or infeasible" is infeasible
            if not mip and status == hs.HighsModelStatus.kOptimal:
                solution = h.getSolution()
                values = self._per_edge(solution.col_value, 0.0)
                if np.all(np.abs(values - np.rint(values)) <= 1e-6):
                    self.row_dual = self._per_row(solution.row_dual)
                    # an edge left out of this model is held at 0 whatever its cost: as if fixed
                    reduced = self._per_edge(np.abs(np.asarray(solution.col_dual)), np.inf)
                    self.chosen = values > 0.5
                    return Ran(self.chosen, True, reduced)
        if status == hs.HighsModelStatus.kOptimal:
            optimal = True
        elif h.getInfo().primal_solution_status == 2:  # a feasible solution, stopped at the time limit
            optimal = False
        else:
            raise MatchmakerError(
                "the HiGHS solver found no pairing"
                + (f" within the time limit of {time_limit:g} s" if time_limit else "")
            )
        self.chosen = self._per_edge(h.getSolution().col_value, 0.0) > 0.5
        return Ran(self.chosen, optimal)


def _bounds(row: Row) -> tuple[float, float]:
    """The lower and upper bound of a row's activity."""
    return (row.rhs, np.inf) if row.sense > 0 else (-np.inf, row.rhs)
