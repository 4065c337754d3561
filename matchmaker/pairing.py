"""The pairing model: an exact PuLP integer program that pairs candidates with partners.

Build, solve, explain (reserve list, alternatives, the score each unselected candidate needs).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from . import schema as s
from .criteria import Criteria, PairingSettings
from .errors import DecisionError, InfeasibleError, MatchmakerError
from .schema import RESULT_SCHEMA

if TYPE_CHECKING:
    import pulp

# Pair values are kept as whole numbers of 10**-6 points inside the model: every objective is then
# integral, so an absolute gap of 0.5 proves exact optimality and "value >= best" needs no tolerance.
VALUE_DECIMALS = 6
UNIT = 10**VALUE_DECIMALS
EDGE_TERMS = ("score", "preference", "themes", "language")
SOLVERS = ("cbc", "highs")
DISTINCT = ("pairs", "selection")
LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "en": "English"}
# Above this many allowed pairs the value stage is solved first (see `lexsolve`).
VALUE_FIRST_EDGES = 20_000


@dataclass(frozen=True)
class PairingResult:
    """What one pairing run decided; `to_json()` is the `matchmaker.result/1` document.

    Every list holds JSON-ready dicts with the keys named in the result schema.
    """

    status: str  # "optimal" | "feasible"
    objective: float
    filled: dict[str, int]
    unfilled: list[dict[str, Any]]
    constraints: dict[str, Any]
    candidates: list[dict[str, Any]]
    partners: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    reserves: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    explanations: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)  # intake issues, carried along
    changes: list[dict[str, Any]] = field(default_factory=list)  # vs. the previous shortlist, if any
    # who reviewed, agreement per rubric item, disagreements, where the motivation came from
    reviews: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": RESULT_SCHEMA,
            "status": self.status,
            "objective": self.objective,
            "filled": self.filled,
            "unfilled": self.unfilled,
            "constraints": self.constraints,
            "candidates": self.candidates,
            "partners": self.partners,
            "edges": self.edges,
            "pairs": self.pairs,
            "reserves": self.reserves,
            "alternatives": self.alternatives,
            "explanations": self.explanations,
            "manifest": self.manifest,
            "issues": self.issues,
            "changes": self.changes,
            "reviews": self.reviews,
        }

    def to_frame(self) -> pd.DataFrame:
        """The pairs as a table: country, partner, municipality, province, value and its terms."""
        columns = ["country", "partner", "candidate_id", "municipality", "province", "value", *EDGE_TERMS]
        rows = [
            {**{k: p.get(k) for k in columns if k not in EDGE_TERMS}, **p["breakdown"]} for p in self.pairs
        ]
        return pd.DataFrame.from_records(rows, columns=columns)

    def explanations_frame(self) -> pd.DataFrame:
        """One row per eligible candidate: selected or not, why, and the score it would need."""
        columns = ["candidate_id", "municipality", "selected", "partner", "cause", "score_needed", "why"]
        return pd.DataFrame.from_records(
            [{k: e.get(k) for k in columns} for e in self.explanations], columns=columns
        )


# --- the pure core ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    """The core's whole input: who may pair with whom, at what value, under which limits.

    Candidates come in tie-break order (earlier wins a tie), partners in file order (earlier goes
    to the earlier candidate when nothing else decides). Values are integers in units of 1/UNIT.
    """

    candidates: tuple[str, ...]
    provinces: tuple[str | None, ...]
    partners: tuple[str, ...]
    countries: tuple[str, ...]  # per partner
    edge_cand: np.ndarray[Any, np.dtype[np.int64]]
    edge_partner: np.ndarray[Any, np.dtype[np.int64]]
    edge_value: np.ndarray[Any, np.dtype[np.int64]]
    quotas: Mapping[str, int]
    max_per_province: int | None = None
    locks: tuple[int, ...] = ()  # edge indices
    keep: tuple[int, ...] = ()  # edge indices

    @property
    def n_edges(self) -> int:
        return len(self.edge_cand)

    @classmethod
    def assignment(cls, values: np.ndarray[Any, Any]) -> Instance:
        """The pure assignment problem: every candidate may pair with every partner of one country,
        at `values[i, j]` (integers in units of 1/UNIT), no other limit. For comparisons with
        `scipy.optimize.linear_sum_assignment`."""
        n, m = values.shape
        ci, pj = np.nonzero(np.ones((n, m), dtype=bool))
        return cls(
            candidates=tuple(f"c{i}" for i in range(n)),
            provinces=(None,) * n,
            partners=tuple(f"p{j}" for j in range(m)),
            countries=("X",) * m,
            edge_cand=ci.astype(np.int64),
            edge_partner=pj.astype(np.int64),
            edge_value=values[ci, pj].astype(np.int64),
            quotas={"X": m},
        )


@dataclass(frozen=True)
class Solution:
    """One pairing: the chosen edge indices and its lexicographic objective."""

    edges: tuple[int, ...]
    count: int
    kept: int
    value: int  # units of 1/UNIT
    optimal: bool


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", text)


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence fd 1 around a solve: highspy prints a banner from C, past sys.stdout."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        try:
            import ctypes

            ctypes.CDLL(None).fflush(None)  # C stdio buffers would otherwise leak out after the restore
        except (OSError, AttributeError):
            pass
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _solver(name: str, time_limit: float | None, mip: bool = True) -> Any:
    import pulp
    from pulp.apis.coin_api import PULP_CBC_CMD

    if name == "cbc":
        # COIN_CMD on the CBC binary bundled with pulp: PULP_CBC_CMD itself warns of its removal in 4.0.
        return pulp.COIN_CMD(
            path=PULP_CBC_CMD.pulp_cbc_path, mip=mip, msg=False, timeLimit=time_limit, gapRel=0, gapAbs=0.5
        )
    if not mip:
        # primal simplex: measured 3-6x faster than HiGHS's default on these degenerate assignment LPs
        return pulp.HiGHS(mip=False, msg=False, timeLimit=time_limit, simplex_strategy=4)
    return pulp.HiGHS(mip=True, msg=False, timeLimit=time_limit, gapRel=0, gapAbs=0.5)


class _Ran(NamedTuple):
    chosen: np.ndarray[Any, np.dtype[np.bool_]]
    optimal: bool
    reduced: np.ndarray[Any, Any] | None = None  # |reduced cost| per variable, from an LP solve


def _run(
    base: Any,
    x: Sequence[Any],
    objective: Any,
    extra: Sequence[Any],
    solver: str,
    time_limit: float | None,
    relax: bool = False,
) -> _Ran | None:
    """Maximise `objective` over `base` plus `extra`; None when infeasible.

    With `relax`, the LP relaxation is solved first: when its optimum is integral it is also the
    integer optimum (the relaxation's bound is attained), which is the rule for the pairing model
    (its constraint matrix is a network matrix); otherwise the integer program is solved.
    """
    import pulp

    if not x:  # nothing to choose: CBC refuses an empty model
        return _Ran(np.zeros(0, dtype=bool), True)
    prob = base.copy()
    for k, constraint in enumerate(extra):
        prob.addConstraint(constraint, f"extra_{k}")
    prob.setObjective(objective)
    for mip in (False, True) if relax else (True,):
        engine = _solver(solver, time_limit, mip)
        if solver == "highs":
            with _quiet_stdout():
                prob.solve(engine)
        else:
            prob.solve(engine)
        if prob.status == pulp.LpStatusInfeasible:
            return None
        if not mip and prob.sol_status == pulp.LpSolutionOptimal:  # not stopped by the time limit
            values = np.fromiter((v.varValue or 0.0 for v in x), dtype=float, count=len(x))
            if np.all(np.abs(values - np.rint(values)) <= 1e-6):
                reduced = np.fromiter((abs(v.dj or 0.0) for v in x), dtype=float, count=len(x))
                return _Ran(values > 0.5, True, reduced)
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        raise MatchmakerError(
            f"the {solver} solver found no pairing"
            + (f" within the time limit of {time_limit:g} s" if time_limit else "")
        )
    chosen = np.fromiter(((v.varValue or 0.0) > 0.5 for v in x), dtype=bool, count=len(x))
    return _Ran(chosen, prob.sol_status == pulp.LpSolutionOptimal)


class Lin:
    """A linear expression over the edge variables: an integer coefficient per edge index.

    Plain numbers, so both engines read it: PuLP for the main stages on the chosen solver, and the
    in-process HiGHS model for the tie-breaks and the explanations. Each form is made once, on demand.
    """

    __slots__ = ("_coef", "_expr", "_idx", "_terms")

    def __init__(
        self,
        terms: dict[int, int] | None = None,
        *,
        idx: np.ndarray[Any, Any] | None = None,
        coef: np.ndarray[Any, Any] | None = None,
    ) -> None:
        self._terms = terms
        self._idx = None if idx is None else np.asarray(idx, dtype=np.int32)
        self._coef = None if coef is None else np.asarray(coef, dtype=float)
        self._expr: Any = None

    @property
    def terms(self) -> dict[int, int]:
        if self._terms is None:
            assert self._idx is not None and self._coef is not None
            self._terms = dict(zip(self._idx.tolist(), self._coef.astype(np.int64).tolist(), strict=True))
        return self._terms

    def arrays(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        if self._idx is None or self._coef is None:
            terms = self.terms
            self._idx = np.fromiter(terms.keys(), dtype=np.int32, count=len(terms))
            self._coef = np.fromiter(terms.values(), dtype=float, count=len(terms))
        return self._idx, self._coef

    def pulp(self, x: Sequence[Any]) -> Any:
        if self._expr is None:
            import pulp

            self._expr = pulp.LpAffineExpression({x[e]: w for e, w in self.terms.items()})
        return self._expr


class Row(NamedTuple):
    """One constraint: `lin >= rhs` (sense 1) or `lin <= rhs` (sense -1)."""

    lin: Lin
    sense: int
    rhs: float


def _groups(
    keys: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The edges grouped by a key per edge (negative: in no group): keys, CSR starts, edge indices."""
    cols = np.flatnonzero(keys >= 0)
    cols = cols[np.argsort(keys[cols], kind="stable")]
    uniq, counts = np.unique(keys[cols], return_counts=True)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int32)
    return uniq, starts, cols.astype(np.int32)


class _Highs:
    """The pairing model held by one in-process HiGHS instance, changed between solves, not rebuilt.

    For the many small solves around the main ones (tie-breaks on the optimal face, the re-solves
    behind the explanations): no model file, no process start, a warm start from the last basis.
    Extra rows stay in place while consecutive solves share them, so the optimal face is added once.
    """

    def __init__(self, instance: Instance) -> None:
        import highspy

        self._hs = highspy
        with _quiet_stdout():  # the constructor prints a banner from C
            self.h = h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)  # every objective is integral: a gap under 1 proves optimality
        inst = instance
        self.n = n = inst.n_edges
        self.cols = np.arange(n, dtype=np.int32)
        self.lower = np.zeros(n)
        self.lower[list(inst.locks)] = 1.0
        self.mip: bool | None = None
        self.extra: list[Row] = []
        if not n:
            self.base_rows = 0
            return
        h.addVars(n, self.lower, np.ones(n))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        country_code = {c: k for k, c in enumerate(sorted(set(inst.countries)))}
        partner_country = np.array([country_code[c] for c in inst.countries], dtype=np.int64)
        countries = sorted(country_code)
        rows: list[tuple[np.ndarray[Any, Any], Any]] = [
            (inst.edge_cand, lambda _k: 1),
            (inst.edge_partner, lambda _k: 1),
            (partner_country[inst.edge_partner], lambda k: int(inst.quotas.get(countries[k], 0))),
        ]
        if inst.max_per_province is not None:
            codes = {p: k for k, p in enumerate(sorted({p for p in inst.provinces if p is not None}))}
            of_cand = np.array([-1 if p is None else codes[p] for p in inst.provinces], dtype=np.int64)
            cap = inst.max_per_province
            rows.append((of_cand[inst.edge_cand], lambda _k: cap))
        for keys, rhs in rows:
            uniq, starts, cols = _groups(np.asarray(keys, dtype=np.int64))
            upper = np.array([rhs(int(k)) for k in uniq], dtype=float)
            h.addRows(
                len(uniq), np.full(len(uniq), -np.inf), upper, len(cols), starts, cols, np.ones(len(cols))
            )
        self.base_rows = h.getNumRow()

    def bound(self, edges: Sequence[int], upper: float) -> None:
        """Set the upper bound of these edge variables (0 leaves them out of every solution)."""
        if len(edges):
            idx = np.asarray(edges, dtype=np.int32)
            self.h.changeColsBounds(len(idx), idx, self.lower[idx], np.full(len(idx), upper))

    def _install(self, extra: Sequence[Row]) -> None:
        same = 0
        for have, want in zip(self.extra, extra, strict=False):
            if have is not want:
                break
            same += 1
        if same < len(self.extra):
            gone = np.arange(self.base_rows + same, self.base_rows + len(self.extra), dtype=np.int32)
            self.h.deleteRows(len(gone), gone)
        for row in extra[same:]:
            idx, coef = row.lin.arrays()
            lower, upper = (row.rhs, np.inf) if row.sense > 0 else (-np.inf, row.rhs)
            self.h.addRow(lower, upper, len(idx), idx, coef)
        self.extra = list(extra)

    def _integral(self, mip: bool) -> None:
        if mip == self.mip:
            return
        kind = self._hs.HighsVarType.kInteger if mip else self._hs.HighsVarType.kContinuous
        self.h.changeColsIntegrality(self.n, self.cols, np.full(self.n, kind))
        # primal simplex: measured 3-6x faster than HiGHS's default on these degenerate assignment LPs
        self.h.setOptionValue("simplex_strategy", 1 if mip else 4)
        self.mip = mip

    def run(
        self, objective: Lin, extra: Sequence[Row], time_limit: float | None, relax: bool = False
    ) -> _Ran | None:
        """Maximise `objective` under the model's rows plus `extra`; None when infeasible (as `_run`)."""
        if not self.n:
            return _Ran(np.zeros(0, dtype=bool), True)
        hs, h = self._hs, self.h
        self._install(extra)
        cost = np.zeros(self.n)
        idx, coef = objective.arrays()
        cost[idx] = coef
        h.changeColsCost(self.n, self.cols, cost)
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
                values = np.asarray(solution.col_value)
                if np.all(np.abs(values - np.rint(values)) <= 1e-6):
                    return _Ran(values > 0.5, True, np.abs(np.asarray(solution.col_dual)))
        if status == hs.HighsModelStatus.kOptimal:
            optimal = True
        elif h.getInfo().primal_solution_status == 2:  # a feasible solution, stopped at the time limit
            optimal = False
        else:
            raise MatchmakerError(
                "the HiGHS solver found no pairing"
                + (f" within the time limit of {time_limit:g} s" if time_limit else "")
            )
        return _Ran(np.asarray(h.getSolution().col_value) > 0.5, optimal)


def _measure(instance: Instance, ran: _Ran) -> Solution:
    edges = np.flatnonzero(ran.chosen)
    keep = set(instance.keep)
    return Solution(
        edges=tuple(int(e) for e in edges),
        count=len(edges),
        kept=sum(1 for e in edges if int(e) in keep),
        value=int(instance.edge_value[edges].sum()),
        optimal=ran.optimal,
    )


class _Core:
    """An instance's expressions over its edge variables, and the instance held in process by HiGHS.

    Enough for the tie-breaks (`_settle`) and the re-solves behind the explanations.
    """

    def __init__(self, instance: Instance) -> None:
        self.instance = inst = instance
        by_cand: dict[int, dict[int, int]] = {}
        for e, c in enumerate(inst.edge_cand.tolist()):
            by_cand.setdefault(c, {})[e] = 1
        self.cand_expr = {c: Lin(d) for c, d in by_cand.items()}
        n = inst.n_edges
        self.count_expr = Lin(idx=np.arange(n), coef=np.ones(n))
        self.value_expr = Lin(idx=np.arange(n), coef=inst.edge_value)
        self.kept_expr = Lin(dict.fromkeys(inst.keep, 1))
        self.solves = 0  # all solves; of them `solves_here` in process
        self.solves_here = 0
        self._here: _Highs | None = None

    # -- helpers to state constraints
    def at_least(self, expr: Lin, rhs: float) -> Row:
        return Row(expr, 1, rhs)

    def at_most(self, expr: Lin, rhs: float) -> Row:
        return Row(expr, -1, rhs)

    def weighted(self, weights: Mapping[int, int]) -> Lin:
        return Lin(dict(weights))

    @property
    def here(self) -> _Highs:
        if self._here is None:
            self._here = _Highs(self.instance)
        return self._here

    def run_here(
        self, objective: Lin, extra: Sequence[Row], time_limit: float | None, relax: bool = False
    ) -> _Ran | None:
        """Maximise `objective` under the model's rows plus `extra`, in process; None when infeasible."""
        self.solves += 1
        self.solves_here += 1
        return self.here.run(objective, extra, time_limit, relax)

    def measure(self, ran: _Ran) -> Solution:
        return _measure(self.instance, ran)


class PairingModel(_Core):
    """The integer program of one instance, built once and solved under changing objectives.

    Variables `x_{cand}_{partner}` (binary) exist only for allowed pairs; every constraint is a
    grouped LpAffineExpression built in one pass over the edges. The main stages run on the chosen
    solver through PuLP (`run`); the many small solves around them run on the same model held in
    process by HiGHS (`run_here`).
    """

    def __init__(self, instance: Instance) -> None:
        import pulp

        super().__init__(instance)
        inst = instance
        self.base = pulp.LpProblem("pairing", pulp.LpMaximize)
        names: set[str] = set()
        self.x: list[pulp.LpVariable] = []
        cand_names = [_name(c) for c in inst.candidates]
        partner_names = [_name(p) for p in inst.partners]
        ec, ep = inst.edge_cand.tolist(), inst.edge_partner.tolist()
        for c, p in zip(ec, ep, strict=True):
            name = f"x_{cand_names[c]}_{partner_names[p]}"
            while name in names:  # two ids may sanitise alike
                name += "_"
            names.add(name)
            self.x.append(self.base.add_variable(name, 0, 1, pulp.LpBinary))
        by_partner: dict[int, dict[Any, float]] = {}
        by_country: dict[str, dict[Any, float]] = {}
        by_province: dict[str, dict[Any, float]] = {}
        for var, c, p in zip(self.x, ec, ep, strict=True):
            by_partner.setdefault(p, {})[var] = 1
            by_country.setdefault(inst.countries[p], {})[var] = 1
            province = inst.provinces[c]
            if province is not None:
                by_province.setdefault(province, {})[var] = 1
        le, eq = pulp.LpConstraintLE, pulp.LpConstraintEQ
        add = self.base.addConstraint
        for c, lin in self.cand_expr.items():
            add(pulp.LpConstraint(lin.pulp(self.x), le, rhs=1), f"cand_{c}")
        for p, d in by_partner.items():
            add(pulp.LpConstraint(pulp.LpAffineExpression(d), le, rhs=1), f"partner_{p}")
        for k, (country, d) in enumerate(sorted(by_country.items())):
            quota = int(inst.quotas.get(country, 0))
            add(pulp.LpConstraint(pulp.LpAffineExpression(d), le, rhs=quota), f"quota_{k}")
        if inst.max_per_province is not None:
            for k, (_, d) in enumerate(sorted(by_province.items())):
                add(
                    pulp.LpConstraint(pulp.LpAffineExpression(d), le, rhs=inst.max_per_province),
                    f"province_{k}",
                )
        for e in inst.locks:
            add(pulp.LpConstraint(self.x[e], eq, rhs=1), f"lock_{e}")

    def _pulp_row(self, row: Row) -> Any:
        import pulp

        sense = pulp.LpConstraintGE if row.sense > 0 else pulp.LpConstraintLE
        return pulp.LpConstraint(row.lin.pulp(self.x), sense, rhs=row.rhs)

    def run(
        self, objective: Lin, extra: Sequence[Row], solver: str, time_limit: float | None, relax: bool = False
    ) -> _Ran | None:
        """Maximise `objective` under the base constraints plus `extra` on `solver`; None when infeasible."""
        self.solves += 1
        rows = [self._pulp_row(r) for r in extra]
        return _run(self.base, self.x, objective.pulp(self.x), rows, solver, time_limit, relax)


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
    """The lexicographic optimum under `extra`: most slots, then most kept pairs, then most value.

    Returns the solution and the constraints that pin its optimal face (for re-solves), or None
    when `extra` cannot be met. Each stage is its own solve on `solver` with the previous optimum
    fixed as a constraint, so no weighting mixes the goals. Ties are then settled exactly on that
    optimal face (see `_settle`).
    """
    inst = model.instance
    # Without kept pairs or cuts the model is a network flow: LP relaxations are integral and their
    # reduced costs can prove the optimum unique.
    relax = not inst.keep and not extra
    sol: Solution | None = None
    got: _Ran | None = None
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
    if inst.keep:
        kept = model.run(model.kept_expr, face, solver, time_limit)
        if kept is None:  # cannot happen: the count stage's solution satisfies the face
            return None
        sol = model.measure(kept)
        optimal = optimal and sol.optimal
        face.append(model.at_least(model.kept_expr, sol.kept))
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
        return Solution(sol.edges, sol.count, sol.kept, sol.value, optimal), face
    # Complementary slackness: an unused pair with a nonzero reduced cost in the optimal LP basis is
    # in no optimal pairing, so the tie-break solves may leave it out (fixed at 0), which keeps them small.
    unused = [] if got.reduced is None else np.flatnonzero((got.reduced >= 0.5) & ~got.chosen).tolist()
    # The tie-break solves run in process: their answer is defined by the chain alone (not by the
    # engine), and they are many small solves that would each cost a model file and a process.
    model.here.bound(unused, 0.0)
    try:
        settled = _settle(model, sol, face, time_limit, relax)
    finally:
        model.here.bound(unused, 1.0)
    if settled.count != sol.count or settled.value < sol.value or settled.kept < sol.kept:
        settled = sol  # a numerically doubtful tie-break answer never replaces a proven optimum
    return Solution(
        settled.edges, settled.count, settled.kept, settled.value, optimal and settled.optimal
    ), face


def _settle(
    model: _Core,
    sol: Solution,
    face: list[Row],
    time_limit: float | None,
    relax: bool,
    partners: bool = True,
) -> Solution:
    """Pick one pairing among the equally good ones, the same on every run and every solver.

    Among the optimal pairings: first the lexicographically best selection in tie-break order
    (the earliest candidate that can be selected is), then for the selected candidates in that
    order the earliest partner in file order. Each step asks the solver only what the current
    incumbent cannot answer, so an instance without ties costs one extra solve.

    With `relax` (network model), every step is an LP over the optimal face, which is a face of an
    integral polytope and so has integral vertices. Without `partners`, only the selection is
    settled (the partners stay as found).
    """
    inst = model.instance
    optimal = sol.optimal

    def run(objective: Lin, constraints: list[Row]) -> _Ran | None:
        return model.run_here(objective, constraints, time_limit, relax)

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
    outside = [c for c in with_edges if c not in selected(inc)]
    ties = False
    if outside and inc.count:
        got = run(sum_expr(model, outside), face)
        if got is not None:
            other = model.measure(got)
            optimal = optimal and other.optimal
            ties = bool(selected(other) - selected(inc))
    if ties:
        fixed_in = 0
        for pos, c in enumerate(with_edges):
            if fixed_in == inc.count:
                break
            if c in selected(inc):
                fixes.append(model.at_least(model.cand_expr[c], 1))
                fixed_in += 1
                continue
            rest = [d for d in with_edges[pos:] if d not in selected(inc)]
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
    if not partners:
        return Solution(inc.edges, inc.count, inc.kept, inc.value, optimal)
    chosen = selected(inc)
    fixes = [model.at_least(model.cand_expr[c], 1) for c in sorted(chosen)]
    # the partners: unique unless a solution exists that moves some selected candidate elsewhere
    got = run(model.weighted({e: -1 for e in inc.edges}), face + fixes)
    if got is not None:
        other = model.measure(got)
        optimal = optimal and other.optimal
        if set(other.edges) != set(inc.edges):
            taken: set[int] = set()
            edges_of: dict[int, list[int]] = {}
            for e, c in enumerate(cand_of.tolist()):
                edges_of.setdefault(c, []).append(e)
            n_partners = len(inst.partners)
            for c in sorted(chosen):
                mine = next(e for e in inc.edges if cand_of[e] == c)
                free = [
                    int(inst.edge_partner[e]) for e in edges_of[c] if int(inst.edge_partner[e]) not in taken
                ]
                if int(inst.edge_partner[mine]) != min(free):
                    weights = {e: n_partners - int(inst.edge_partner[e]) for e in edges_of[c]}
                    got = run(model.weighted(weights), face + fixes)
                    if got is not None:
                        trial = model.measure(got)
                        optimal = optimal and trial.optimal
                        inc = trial
                        mine = next(e for e in inc.edges if cand_of[e] == c)
                fixes.append(model.at_least(model.weighted({mine: 1}), 1))
                taken.add(int(inst.edge_partner[mine]))
    return Solution(inc.edges, inc.count, inc.kept, inc.value, optimal)


def sum_expr(model: _Core, cands: Iterable[int], weights: Mapping[int, int] | None = None) -> Lin:
    terms: dict[int, int] = {}
    for c in cands:
        w = 1 if weights is None else weights[c]
        for e in model.cand_expr[c].terms:
            terms[e] = w
    return Lin(terms)


def no_good(model: PairingModel, sol: Solution, distinct: str = "pairs") -> Row:
    """A cut that excludes this set of pairs, or with `distinct="selection"` this set of candidates."""
    if distinct == "selection":
        chosen = sorted({int(model.instance.edge_cand[e]) for e in sol.edges})
        return model.at_most(sum_expr(model, chosen), len(chosen) - 1)
    return model.at_most(model.weighted(dict.fromkeys(sol.edges, 1)), len(sol.edges) - 1)


@dataclass(frozen=True)
class Forced:
    """The best pairing that includes one candidate, or why there is none."""

    candidate: int
    includable: bool
    count: int
    kept: int
    value: int | None
    edges: tuple[int, ...]


def forced_solutions(
    instance: Instance,
    best: Solution,
    candidates: Sequence[int],
    *,
    solver: str = "cbc",
    time_limit: float | None = None,
) -> dict[int, Forced]:
    """For each candidate, re-solve with it forced in: the lexicographic optimum of that model.

    Among the equally good pairings with it, the tie-break chain picks one (as in `lexsolve`): the
    pairing a re-solve would choose once its score is raised past the difference, so the candidates
    an explanation says it would displace are the ones it would. The re-solves run one after the
    other on one fresh in-process HiGHS model, whichever `solver` found `best`.
    """
    out: dict[int, Forced] = {}
    if not candidates:
        return out
    core = _Core(instance)
    here = core.here
    n = instance.n_edges
    count, value, kept = core.count_expr, core.value_expr, core.kept_expr
    relax = not instance.keep
    enough = Row(count, 1, best.count)
    for c in candidates:
        mine = core.cand_expr[c]
        mine_edges = mine.arrays()[0]
        # Stage 1: the candidate in if at all possible, then most slots. Weight best.count + 1 on its
        # inclusion beats any count gain; all numbers are small integers, so nothing is lost to rounding.
        weights = np.ones(n)
        weights[mine_edges] += best.count + 1
        got = here.run(Lin(idx=np.arange(n), coef=weights), [], time_limit, relax)
        if got is None:
            continue
        first = core.measure(got)
        inside = bool(got.chosen[mine_edges].any())
        out[c] = Forced(c, inside, first.count, first.kept, None, first.edges)
        if not inside or first.count != best.count:
            continue
        extra = [enough, Row(mine, 1, 1)]
        if instance.keep:
            got = here.run(kept, extra, time_limit)
            if got is None:
                continue
            m = core.measure(got)
            out[c] = Forced(c, True, m.count, m.kept, None, m.edges)
            if m.kept < best.kept:
                continue
            extra.append(Row(kept, 1, best.kept))
        got = here.run(value, extra, time_limit, relax)
        if got is None:
            continue
        m = core.measure(got)
        # only who is in matters here (the candidates it displaces), not who goes to which partner
        settled = _settle(core, m, [*extra, Row(value, 1, m.value)], time_limit, relax, partners=False)
        if settled.count == m.count and settled.kept >= m.kept and settled.value >= m.value:
            m = settled  # as in `lexsolve`, a doubtful tie-break answer never replaces the optimum
        out[c] = Forced(c, True, m.count, m.kept, m.value, m.edges)
    return out


# --- from the tables to the instance --------------------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if value is None or value is pd.NA:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v) for v in value]


def _text_or_none(value: Any) -> str | None:
    if s.is_missing(value):
        return None
    text = str(value).strip()
    return text or None


REQUIRED_CANDIDATE_COLUMNS = (
    s.CANDIDATE_ID,
    s.ELIGIBLE,
    s.SCORE,
    s.COUNTRY_PREFERENCE,
    s.LANGUAGES,
    s.THEMES,
    s.PROVINCE,
    s.MUNICIPALITY,
)
REQUIRED_PARTNER_COLUMNS = (s.PARTNER, s.COUNTRY, s.PARTNER_THEMES, s.PARTNER_LANGUAGES)


def _check_frames(candidates: pd.DataFrame, partners: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_CANDIDATE_COLUMNS if c not in candidates.columns]
    if missing:
        raise MatchmakerError(f"the candidates table lacks column(s) {', '.join(missing)} (score it first)")
    missing = [c for c in REQUIRED_PARTNER_COLUMNS if c not in partners.columns]
    if missing:
        raise MatchmakerError(f"the partners table lacks column(s) {', '.join(missing)}")
    ids = candidates[s.CANDIDATE_ID].astype(str)
    doubled = sorted(set(ids[ids.duplicated()]))
    if doubled:
        raise MatchmakerError(f"candidate id(s) {', '.join(doubled)} appear more than once")
    names = partners[s.PARTNER].astype(str)
    doubled = sorted(set(names[names.duplicated()]))
    if doubled:
        raise MatchmakerError(f"partner(s) {', '.join(doubled)} appear more than once")


def _chain_order(pool: pd.DataFrame, tie_break: Sequence[str]) -> pd.DataFrame:
    """Sort the pool by the tie-break chain (ascending, missing last), then by candidate id."""
    keys = [k for k in tie_break if k in pool.columns and k != s.CANDIDATE_ID]
    unknown = [k for k in tie_break if k not in pool.columns]
    if unknown:
        raise MatchmakerError(f"tie-break key(s) {', '.join(unknown)} are not candidate fields")
    frame = pool.assign(_id=pool[s.CANDIDATE_ID].astype(str))
    return frame.sort_values([*keys, "_id"], na_position="last", kind="mergesort").drop(columns="_id")


@dataclass
class _Table:
    """The vectorised pair table: masks and value terms for every pool candidate x partner."""

    pool: pd.DataFrame  # eligible scored candidates in tie-break order
    partners: pd.DataFrame
    ids: list[str]
    names: list[str]
    countries: list[str]
    partner_ok: np.ndarray[Any, Any]
    pref_ok: np.ndarray[Any, Any]
    lang_ok: np.ndarray[Any, Any]
    forbidden: np.ndarray[Any, Any]
    above_min: np.ndarray[Any, Any]
    terms: dict[str, np.ndarray[Any, Any]]  # units, per term
    value: np.ndarray[Any, Any]  # units

    @property
    def allowed(self) -> np.ndarray[Any, Any]:
        allowed: np.ndarray[Any, Any] = (
            self.partner_ok[None, :] & self.pref_ok & self.lang_ok & ~self.forbidden & self.above_min
        )
        return allowed


def _bits(lists: Sequence[list[str]], codes: dict[str, int]) -> np.ndarray[Any, Any]:
    out = np.zeros(len(lists), dtype=np.int64)
    for k, items in enumerate(lists):
        mask = 0
        for item in items:
            mask |= 1 << codes.setdefault(item, len(codes))
        out[k] = mask
    return out


def _table(
    pool: pd.DataFrame, partners: pd.DataFrame, settings: PairingSettings, forbids: Iterable[tuple[str, str]]
) -> _Table:
    ids = pool[s.CANDIDATE_ID].astype(str).tolist()
    names = partners[s.PARTNER].astype(str).tolist()
    countries = partners[s.COUNTRY].astype(str).tolist()
    n, m = len(ids), len(names)
    if "eligible" in partners.columns:
        eligible = partners["eligible"].astype(bool).to_numpy()
    elif s.HAS_FLEMISH_LINK in partners.columns:  # a table not made by read_partners
        eligible = ~partners[s.HAS_FLEMISH_LINK].astype(bool).to_numpy()
    else:
        eligible = np.ones(m, dtype=bool)
    in_quota = np.array([settings.quotas.get(c, 0) > 0 for c in countries], dtype=bool)
    partner_ok = eligible & in_quota
    country_codes = {c: k for k, c in enumerate(sorted(set(countries)))}
    pcountry = np.array([country_codes[c] for c in countries], dtype=np.int64)
    prefs = [_text_or_none(v) for v in pool[s.COUNTRY_PREFERENCE]]
    # -1: no answer (both countries, no bonus); -2: "any"; else the country's code
    pref = np.array([-1 if p is None else -2 if p == "any" else country_codes.get(p, -3) for p in prefs])
    match = pref[:, None] == pcountry[None, :]
    open_ = (pref < -0.5) & (pref > -2.5)
    pref_ok = match | open_[:, None]
    fit = settings.fit
    pref_term = np.where(match, fit.preference_match, np.where((pref == -2)[:, None], fit.no_preference, 0.0))

    lang_codes: dict[str, int] = {}
    cand_lang = _bits([_as_list(v) for v in pool[s.LANGUAGES]], lang_codes)
    part_lang = _bits([_as_list(v) for v in partners[s.PARTNER_LANGUAGES]], lang_codes)
    need = np.zeros(m, dtype=np.int64)
    hard = np.zeros(m, dtype=bool)
    for j, country in enumerate(countries):
        rule = settings.languages.get(country)
        if rule is None:  # no rule for the country: the partner's own languages give the bonus
            need[j] = part_lang[j]
        else:
            need[j] = _bits([list(rule.any_of)], lang_codes)[0]
            hard[j] = rule.mode == "hard"
    speaks = (cand_lang[:, None] & need[None, :]) != 0
    lang_ok = speaks | ~hard[None, :]
    lang_term = np.where(speaks, fit.language_match, 0.0)

    theme_codes: dict[str, int] = {}
    cand_theme = _bits([_as_list(v) for v in pool[s.THEMES]], theme_codes)
    part_theme = _bits([_as_list(v) for v in partners[s.PARTNER_THEMES]], theme_codes)
    shared = np.bitwise_count((cand_theme[:, None] & part_theme[None, :]).astype(np.uint64)).astype(float)
    offered = np.bitwise_count(part_theme.astype(np.uint64)).astype(float)
    share = np.divide(shared, offered[None, :], out=np.zeros((n, m)), where=offered[None, :] > 0)
    theme_term = fit.theme_overlap * share

    score = pool[s.SCORE].astype(float).to_numpy()
    terms = {
        "score": np.rint(np.repeat(score[:, None], m, axis=1) * UNIT).astype(np.int64),
        "preference": np.rint(pref_term * UNIT).astype(np.int64),
        "themes": np.rint(theme_term * UNIT).astype(np.int64),
        "language": np.rint(lang_term * UNIT).astype(np.int64),
    }
    value = terms["score"] + terms["preference"] + terms["themes"] + terms["language"]
    above_min = (
        np.ones((n, m), dtype=bool)
        if settings.min_value is None
        else value >= round(settings.min_value * UNIT)
    )
    forbidden = np.zeros((n, m), dtype=bool)
    row = {c: i for i, c in enumerate(ids)}
    col = {p: j for j, p in enumerate(names)}
    for c, p in forbids:
        if c in row and p in col:
            forbidden[row[c], col[p]] = True
    return _Table(
        pool,
        partners,
        ids,
        names,
        countries,
        partner_ok,
        pref_ok,
        lang_ok,
        forbidden,
        above_min,
        terms,
        value,
    )


def _languages(codes: Iterable[str]) -> str:
    names = [LANGUAGE_NAMES.get(c, c) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _obstacle_data(table: _Table, i: int, j: int, settings: PairingSettings) -> dict[str, Any] | None:
    """Why candidate i may not pair with partner j, as a `kind` code and the facts behind it.

    Kinds: no_slots, partner_not_eligible (reasons), preference (asked), language (languages),
    forbidden, below_min (value, min_value). None when the pair is allowed. The workbook words
    these in its own language; `_obstacle` gives the English.
    """
    partner = table.names[j]
    country = table.countries[j]
    row = table.partners.iloc[j]
    base: dict[str, Any] = {"partner": partner, "country": country}
    if not table.partner_ok[j]:
        if country not in settings.quotas or settings.quotas.get(country, 0) <= 0:
            return {"kind": "no_slots", **base}
        reasons = _as_list(row.get("reasons")) if "reasons" in row else []
        return {"kind": "partner_not_eligible", **base, "reasons": reasons}
    if not table.pref_ok[i, j]:
        asked = _text_or_none(table.pool.iloc[i][s.COUNTRY_PREFERENCE])
        return {"kind": "preference", **base, "asked": asked}
    if not table.lang_ok[i, j]:
        return {"kind": "language", **base, "languages": list(settings.languages[country].any_of)}
    if table.forbidden[i, j]:
        return {"kind": "forbidden", **base}
    if not table.above_min[i, j]:
        worth = round(int(table.value[i, j]) / UNIT, VALUE_DECIMALS)
        return {"kind": "below_min", **base, "value": worth, "min_value": settings.min_value}
    return None


def _obstacle_text(data: Mapping[str, Any]) -> str:
    partner, country, kind = data["partner"], data["country"], data["kind"]
    if kind == "no_slots":
        return f"{partner}: no slots for {country}"
    if kind == "partner_not_eligible":
        reasons = data.get("reasons") or []
        return f"{partner} is not eligible" + (f" ({'; '.join(reasons)})" if reasons else "")
    if kind == "preference":
        return f"it asked for {data['asked']}, not {country}"
    if kind == "language":
        return f"{country} needs a delegation working in {_languages(data['languages'])}"
    if kind == "forbidden":
        return f"the pair with {partner} is forbidden"
    return f"the pair with {partner} is worth {data['value']:.2f}, below the minimum {data['min_value']:g}"


def _obstacle(table: _Table, i: int, j: int, settings: PairingSettings) -> str | None:
    """Why candidate i may not pair with partner j, in plain words; None when it may."""
    data = _obstacle_data(table, i, j, settings)
    return None if data is None else _obstacle_text(data)


def _no_pair_obstacles(table: _Table, i: int, settings: PairingSettings) -> list[dict[str, Any]]:
    """Why a candidate has no allowed pair at all: per country up to 3 distinct obstacles (as
    `_obstacle_data`, or kind no_partner), leaving out partners nobody may have."""
    out: list[dict[str, Any]] = []
    for country in sorted(set(table.countries)):
        cols = [j for j, c in enumerate(table.countries) if c == country]
        usable = [j for j in cols if table.partner_ok[j]]
        found = [_obstacle_data(table, i, j, settings) for j in (usable or cols[:1])]
        if not usable and found[0] is None:
            found = [{"kind": "no_partner", "partner": None, "country": country}]
        texts: dict[str, dict[str, Any]] = {}
        for data in found:
            if data is not None:
                texts.setdefault(_obstacle_text(data) if data["kind"] != "no_partner" else "", data)
        out += list(texts.values())[:3]
    return out


def _no_pair_reason(
    table: _Table, i: int, settings: PairingSettings, obstacles: list[dict[str, Any]] | None = None
) -> str:
    """Why a candidate has no allowed pair at all, per country, leaving out partners nobody may have
    (from `obstacles` when `_no_pair_obstacles` already gave them)."""
    by_country: dict[str, list[str]] = {}
    if obstacles is None:
        obstacles = _no_pair_obstacles(table, i, settings)
    for data in obstacles:
        text = (
            f"no eligible partner in {data['country']}"
            if data["kind"] == "no_partner"
            else _obstacle_text(data)
        )
        by_country.setdefault(data["country"], []).append(text)
    if not by_country:
        return "there are no partners"
    return "; ".join(f"{c}: {', '.join(w)}" for c, w in by_country.items() if w)


# --- the public function ---------------------------------------------------------------------------------


def solve_pairing(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    *,
    locks: Iterable[tuple[str, str]] = (),
    forbids: Iterable[tuple[str, str]] = (),
    keep: Iterable[tuple[str, str]] = (),
    alternatives: int = 0,
    solver: str = "cbc",
    time_limit: float | None = None,
    explain: bool = True,
    distinct: str = "pairs",
) -> PairingResult:
    """Pair the eligible scored candidates with the eligible partners, exactly and explained.

    Fills as many slots as the constraints allow, then (with `keep`) changes as few kept pairs as
    possible, then maximises the total pair value; ties go by the criteria's tie-break chain.
    Alternatives differ from every better one in their set of pairs (`distinct="pairs"`) or in
    their set of selected candidates (`distinct="selection"`).
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
    _check_frames(candidates, partners)
    candidates = candidates.copy()
    partners = partners.reset_index(drop=True).copy()
    settings = criteria.pairing
    locks = [(str(c), str(p)) for c, p in locks]
    forbids = [(str(c), str(p)) for c, p in forbids]
    keep = [(str(c), str(p)) for c, p in keep]
    all_ids = set(candidates[s.CANDIDATE_ID].astype(str))
    all_partners = set(partners[s.PARTNER].astype(str))
    for kind, pairs in (("lock", locks), ("forbid", forbids)):
        for c, p in pairs:
            if c not in all_ids:
                raise DecisionError(f"{kind} {c}={p}: there is no candidate {c!r}")
            if p not in all_partners:
                raise DecisionError(f"{kind} {c}={p}: there is no partner {p!r}")
    municipalities = (
        candidates[s.MUNICIPALITY] if s.MUNICIPALITY in candidates else pd.Series([None] * len(candidates))
    )
    named = {
        str(c): m for c, m in zip(candidates[s.CANDIDATE_ID], municipalities, strict=True) if _text_or_none(m)
    }

    def who(cid: str) -> str:
        """A candidate as a person reads it in a message: "Lier (12021)"."""
        return f"{named[cid]} ({cid})" if cid in named else cid

    both = sorted(set(locks) & set(forbids))
    if both:
        raise DecisionError(f"{who(both[0][0])}={both[0][1]} is both locked and forbidden")
    for side, label in ((0, "candidate"), (1, "partner")):
        seen: dict[str, tuple[str, str]] = {}
        for pair in locks:
            if pair[side] in seen and seen[pair[side]] != pair:
                other = seen[pair[side]]
                whom = who(pair[0]) if side == 0 else pair[1]
                first, second = f"{who(other[0])}={other[1]}", f"{who(pair[0])}={pair[1]}"
                raise DecisionError(f"locks {first} and {second} give {label} {whom} two pairs")
            seen[pair[side]] = pair
    locks = list(dict.fromkeys(locks))

    scored = candidates[s.SCORE].notna() & candidates[s.ELIGIBLE].fillna(False).astype(bool)
    pool = _chain_order(candidates[scored], criteria.tie_break).reset_index(drop=True)
    table = _table(pool, partners, settings, forbids)
    allowed = table.allowed
    ei, ej = np.nonzero(allowed)
    index = {(int(i), int(j)): e for e, (i, j) in enumerate(zip(ei, ej, strict=True))}
    row_of = {c: i for i, c in enumerate(table.ids)}
    col_of = {p: j for j, p in enumerate(table.names)}
    by_id = candidates.assign(_id=candidates[s.CANDIDATE_ID].astype(str)).set_index("_id")

    lock_edges: list[int] = []
    for c, p in locks:
        if c not in row_of:
            row = by_id.loc[c]
            reasons = _as_list(row.get(s.REASONS)) if s.REASONS in row else []
            why = "has no score" if bool(row[s.ELIGIBLE]) else "is not eligible"
            detail = f" ({'; '.join(reasons)})" if reasons and why == "is not eligible" else ""
            raise InfeasibleError(f"lock {who(c)}={p}: the candidate {why}{detail}")
        i, j = row_of[c], col_of[p]
        if (i, j) not in index:
            raise InfeasibleError(
                f"lock {who(c)}={p}: the pair is not allowed: {_obstacle(table, i, j, settings)}"
            )
        lock_edges.append(index[(i, j)])
    _check_locks(table, lock_edges, ei, ej, settings)
    keep_edges = sorted(
        {
            index[(row_of[c], col_of[p])]
            for c, p in keep
            if c in row_of and p in col_of and (row_of[c], col_of[p]) in index
        }
    )

    provinces = tuple(_text_or_none(v) for v in pool[s.PROVINCE])
    instance = Instance(
        candidates=tuple(table.ids),
        provinces=provinces,
        partners=tuple(table.names),
        countries=tuple(table.countries),
        edge_cand=ei.astype(np.int64),
        edge_partner=ej.astype(np.int64),
        edge_value=table.value[ei, ej].astype(np.int64),
        quotas={str(k): int(v) for k, v in settings.quotas.items()},
        max_per_province=settings.max_per_province,
        locks=tuple(lock_edges),
        keep=tuple(keep_edges),
    )
    model = PairingModel(instance)
    found = lexsolve(model, solver=solver, time_limit=time_limit)
    if found is None:
        raise InfeasibleError("the locked pairs cannot all be honoured together")
    best, _ = found
    alts: list[Solution] = []
    cuts: list[Any] = []
    previous = best
    for _k in range(alternatives):
        if not previous.edges:
            break
        cuts.append(no_good(model, previous, distinct))
        got = lexsolve(model, cuts, solver=solver, time_limit=time_limit)
        if got is None:
            break
        previous = got[0]
        alts.append(previous)
    forced: dict[int, Forced] = {}
    chosen_cands = {int(ei[e]) for e in best.edges}
    if explain and best.optimal:
        unselected = sorted(set(ei.tolist()) - chosen_cands)
        forced = forced_solutions(instance, best, unselected, solver=solver, time_limit=time_limit)
    return _assemble(
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
    )


def _check_locks(
    table: _Table,
    lock_edges: list[int],
    ei: np.ndarray[Any, Any],
    ej: np.ndarray[Any, Any],
    settings: PairingSettings,
) -> None:
    """Locks that break a quota or the province cap by themselves: say so before solving."""
    per_country: dict[str, list[str]] = {}
    per_province: dict[str, list[str]] = {}
    for e in lock_edges:
        i, j = int(ei[e]), int(ej[e])
        name = _text_or_none(table.pool.iloc[i].get(s.MUNICIPALITY))
        pair = f"{name} ({table.ids[i]})={table.names[j]}" if name else f"{table.ids[i]}={table.names[j]}"
        per_country.setdefault(table.countries[j], []).append(pair)
        province = _text_or_none(table.pool.iloc[i][s.PROVINCE])
        if province is not None:
            per_province.setdefault(province, []).append(pair)
    for country, pairs in per_country.items():
        quota = settings.quotas.get(country, 0)
        if len(pairs) > quota:
            raise InfeasibleError(f"locks {', '.join(pairs)} exceed the {country} quota of {quota}")
    cap = settings.max_per_province
    if cap is not None:
        for province, pairs in per_province.items():
            if len(pairs) > cap:
                raise InfeasibleError(
                    f"locks {', '.join(pairs)} exceed the cap of {cap} candidates per province ({province})"
                )


# --- assembling the result ---------------------------------------------------------------------------------


def _assemble(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    table: _Table,
    inst: Instance,
    best: Solution,
    alts: list[Solution],
    forced: dict[int, Forced],
    locks: list[tuple[str, str]],
    forbids: list[tuple[str, str]],
    keep: list[tuple[str, str]],
    solver: str,
    explain: bool,
) -> PairingResult:
    settings = criteria.pairing
    pool = table.pool
    ei, ej = inst.edge_cand, inst.edge_partner
    municipality = [_text_or_none(v) for v in pool[s.MUNICIPALITY]]
    label = [m or c for m, c in zip(municipality, table.ids, strict=True)]
    locked_edges = set(inst.locks)

    def edge_record(e: int) -> dict[str, Any]:
        i, j = int(ei[e]), int(ej[e])
        return {
            "candidate_id": table.ids[i],
            "partner": table.names[j],
            "country": table.countries[j],
            "value": int(inst.edge_value[e]) / UNIT,
            "breakdown": {t: int(table.terms[t][i, j]) / UNIT for t in EDGE_TERMS},
        }

    regions = (
        [_text_or_none(v) for v in table.partners[s.REGION]]
        if s.REGION in table.partners.columns
        else [None] * len(table.names)
    )

    def pair_record(e: int) -> dict[str, Any]:
        i, j = int(ei[e]), int(ej[e])
        return {
            **edge_record(e),
            "municipality": municipality[i],
            "province": inst.provinces[i],
            "region": regions[j],
            "locked": e in locked_edges,
        }

    def pairs_of(sol: Solution) -> list[dict[str, Any]]:
        order = {c: k for k, c in enumerate(sorted(settings.quotas))}
        recs = [pair_record(e) for e in sol.edges]
        return sorted(recs, key=lambda r: (order.get(r["country"], 99), table.names.index(r["partner"])))

    pairs = pairs_of(best)
    filled = {c: sum(1 for p in pairs if p["country"] == c) for c in settings.quotas}
    unfilled = [
        {
            "country": c,
            "slots": int(q) - filled[c],
            **_diagnose(table, inst, best, c, int(q), settings),
        }
        for c, q in settings.quotas.items()
        if filled[c] < int(q)
    ]
    objective = best.value / UNIT
    alternatives = []
    for k, alt in enumerate(alts, start=1):
        gap = 0.0 if best.value == 0 else (best.value - alt.value) / best.value * 100
        alternatives.append(
            {
                "rank": k,
                "objective": alt.value / UNIT,
                "gap_pct": round(gap, 4),
                "filled": {
                    c: sum(1 for e in alt.edges if inst.countries[int(ej[e])] == c) for c in settings.quotas
                },
                "pairs": pairs_of(alt),
            }
        )

    # reserves: per country, eligible candidates not selected, by their best pair value there
    chosen_cands = {int(ei[e]) for e in best.edges}
    reserves: list[dict[str, Any]] = []
    for country in settings.quotas:
        best_there: dict[int, tuple[int, int]] = {}
        for e in range(inst.n_edges):
            i = int(ei[e])
            if i in chosen_cands or inst.countries[int(ej[e])] != country:
                continue
            v = int(inst.edge_value[e])
            if i not in best_there or v > best_there[i][0]:
                best_there[i] = (v, e)
        ranked = sorted(best_there.items(), key=lambda kv: (-kv[1][0], kv[0]))
        for rank, (i, (v, e)) in enumerate(ranked, start=1):
            reserves.append(
                {
                    "candidate_id": table.ids[i],
                    "country": country,
                    "rank": rank,
                    "municipality": municipality[i],
                    "value": v / UNIT,
                    "partner": table.names[int(ej[e])],
                }
            )

    explanations = _explain(table, inst, best, forced, label, settings, explain, criteria.tie_break)

    changes: list[dict[str, Any]] = []
    if keep:
        now = {(p["candidate_id"], p["partner"]) for p in pairs}
        row_of = {c: i for i, c in enumerate(table.ids)}
        col_of = {p: j for j, p in enumerate(table.names)}
        for c, p in keep:
            if (c, p) in now:
                continue
            # cause: not_candidate | no_partner | locked | more_slots | an obstacle kind (_obstacle_data)
            obstacle: dict[str, Any] | None = None
            in_lock = [lp for lp in locks if (lp[0] == c) != (lp[1] == p)]
            if c not in row_of:
                reason, cause = "the candidate is no longer an eligible scored candidate", "not_candidate"
            elif p not in col_of:
                reason, cause = f"there is no partner {p}", "no_partner"
            elif (obstacle := _obstacle_data(table, row_of[c], col_of[p], settings)) is not None:
                reason, cause = _obstacle_text(obstacle), obstacle["kind"]
            elif in_lock:
                reason, cause = f"locked pair {in_lock[0][0]}={in_lock[0][1]} takes its place", "locked"
            else:
                reason, cause = "another pairing fills more slots", "more_slots"
            changes.append(
                {
                    "candidate_id": c,
                    "partner": p,
                    "change": "dropped",
                    "reason": reason,
                    "cause": cause,
                    "obstacle": obstacle,
                }
            )
        kept_set = set(keep)
        for pr in pairs:
            if (pr["candidate_id"], pr["partner"]) not in kept_set:
                changes.append(
                    {
                        "candidate_id": pr["candidate_id"],
                        "partner": pr["partner"],
                        "change": "added",
                        "reason": "new pair",
                        "cause": "new",
                    }
                )

    partner_records = []
    for j, (_, row) in enumerate(partners.iterrows()):
        eligible = bool(table.partner_ok[j])
        reasons = _as_list(row.get("reasons")) if "reasons" in partners.columns else []
        if not eligible and not reasons:
            reasons = [f"no slots for {row[s.COUNTRY]}"]
        partner_records.append(
            {
                "partner": str(row[s.PARTNER]),
                "country": str(row[s.COUNTRY]),
                "region": _text_or_none(row.get(s.REGION)),
                "themes": _as_list(row[s.PARTNER_THEMES]),
                "languages": _as_list(row[s.PARTNER_LANGUAGES]),
                "has_flemish_link": bool(row.get(s.HAS_FLEMISH_LINK, False)),
                "eligible": eligible,
                "reasons": reasons,
            }
        )
    records = candidates.to_dict(orient="records")
    cand_records = [{str(k): s.to_jsonable(v) for k, v in r.items()} for r in records]
    return PairingResult(
        status="optimal" if best.optimal else "feasible",
        objective=objective,
        filled=filled,
        unfilled=unfilled,
        constraints={
            "per_country": {str(k): int(v) for k, v in settings.quotas.items()},
            "max_per_province": settings.max_per_province,
            "locked": [[c, p] for c, p in locks],
            "forbidden": [[c, p] for c, p in forbids],
            "min_value": settings.min_value,
            "languages": {
                c: {"any_of": list(r.any_of), "mode": r.mode} for c, r in settings.languages.items()
            },
            "tie_break": list(criteria.tie_break),
        },
        candidates=cand_records,
        partners=partner_records,
        edges=[edge_record(e) for e in range(inst.n_edges)],
        pairs=pairs,
        reserves=reserves,
        alternatives=alternatives,
        explanations=explanations,
        manifest={
            "solver": solver,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
        changes=changes,
    )


def _diagnose(
    table: _Table, inst: Instance, best: Solution, country: str, quota: int, settings: PairingSettings
) -> dict[str, Any]:
    """The cause of unfilled slots in one country: `reason` in plain words, a `cause` code
    (few_partners | no_partners | few_candidates | blocked) and the counts behind it."""
    ej, ei = inst.edge_partner, inst.edge_cand
    filled = sum(1 for e in best.edges if inst.countries[int(ej[e])] == country)
    head = f"{country}: {filled} of {quota} filled: "
    in_country = [j for j, c in enumerate(table.countries) if c == country]
    n_partners = int(sum(bool(table.partner_ok[j]) for j in in_country))
    facts: dict[str, Any] = {
        "filled": filled,
        "quota": quota,
        "eligible_partners": n_partners,
        "ineligible_partners": len(in_country) - n_partners,
    }
    if n_partners < quota and n_partners == filled:
        linked = len(in_country) - n_partners
        extra = f" ({linked} more are not eligible)" if linked else ""
        text = f"only {n_partners} eligible partner{'s' if n_partners != 1 else ''} in {country}{extra}"
        return {"reason": head + text, "cause": "few_partners", **facts}
    cols = np.array(in_country, dtype=np.int64)
    if len(cols) == 0:
        return {"reason": head + f"no partners in {country}", "cause": "no_partners", **facts}
    ok = table.partner_ok[cols]
    accept = table.pref_ok[:, cols][:, ok].any(axis=1) if ok.any() else np.zeros(len(table.ids), bool)
    speak = (table.pref_ok & table.lang_ok)[:, cols][:, ok].any(axis=1) if ok.any() else accept
    with_edge = {int(ei[e]) for e in range(inst.n_edges) if inst.countries[int(ej[e])] == country}
    rule = settings.languages.get(country)
    hard = rule is not None and rule.mode == "hard"

    def phrase(n: int) -> str:
        """What the counted candidates do, with the verb agreeing with their number."""
        one = n == 1
        text = f"{'accepts' if one else 'accept'} {country}"
        if rule is not None and hard:
            text += f" and {'works' if one else 'work'} in {_languages(rule.any_of)}"
        return text

    n_accept, n_speak = int(accept.sum()), int(speak.sum())
    facts.update(
        candidates=len(with_edge),
        accepting=n_accept,
        language_ok=n_speak,
        languages=list(rule.any_of) if rule is not None and hard else [],
    )
    if len(with_edge) <= filled:
        count = len(with_edge)
        if count == 0:
            text = f"no eligible candidate {phrase(1)}"
        else:
            text = f"only {count} eligible candidate{'s' if count != 1 else ''} {phrase(count)}"
        if n_speak > count:
            more = n_speak - count
            verb = "is" if more == 1 else "are"
            text += f" ({more} more {verb} excluded by forbidden pairs or the minimum value)"
        elif rule is not None and hard and n_accept > n_speak:
            more = n_accept - n_speak
            verbs = ("accepts", "does") if more == 1 else ("accept", "do")
            text += f"; {more} more {verbs[0]} {country} but {verbs[1]} not work in {_languages(rule.any_of)}"
        return {"reason": head + text, "cause": "few_candidates", **facts}
    # enough candidates in principle: they are taken elsewhere or blocked by the province cap
    elsewhere = []
    capped: dict[str, list[str]] = {}
    chosen = {int(ei[e]): int(ej[e]) for e in best.edges}
    per_province: dict[str, int] = {}
    for i in chosen:
        prov = inst.provinces[i]
        if prov is not None:
            per_province[prov] = per_province.get(prov, 0) + 1
    for i in sorted(with_edge):
        if i in chosen:
            if inst.countries[chosen[i]] != country:
                elsewhere.append(table.ids[i])
            continue
        prov = inst.provinces[i]
        if (
            settings.max_per_province is not None
            and prov is not None
            and per_province.get(prov, 0) >= settings.max_per_province
        ):
            capped.setdefault(prov, []).append(table.ids[i])
    count = len(with_edge)
    parts = [f"{count} eligible candidate{'s' if count != 1 else ''} {phrase(count)}"]
    if elsewhere:
        verb = "is" if len(elsewhere) == 1 else "are"
        parts.append(f"{len(elsewhere)} of them {verb} paired with another country")
    if capped:
        n = sum(len(v) for v in capped.values())
        parts.append(
            f"{n} {'comes' if n == 1 else 'come'} from "
            f"{'a province' if len(capped) == 1 else 'provinces'} already at the cap"
            f" of {settings.max_per_province}"
            f" ({', '.join(sorted(capped))})"
        )
    if len(parts) == 1:
        parts.append("the locked pairs and the other constraints leave no more room")
    facts.update(
        elsewhere=len(elsewhere),
        capped=sum(len(v) for v in capped.values()),
        capped_provinces=sorted(capped),
        max_per_province=settings.max_per_province,
    )
    return {"reason": head + "; ".join(parts), "cause": "blocked", **facts}


def _fmt_breakdown(breakdown: Mapping[str, float]) -> str:
    rest = " + ".join(f"{k} {v:.2f}" for k, v in breakdown.items() if k != "score" and v)
    return f"score {breakdown['score']:.2f}" + (f" + {rest}" if rest else "")


def _explain(
    table: _Table,
    inst: Instance,
    best: Solution,
    forced: dict[int, Forced],
    label: list[str],
    settings: PairingSettings,
    explain: bool,
    tie_break: Sequence[str],
) -> list[dict[str, Any]]:
    ei, ej = inst.edge_cand, inst.edge_partner
    chosen = {int(ei[e]): e for e in best.edges}
    with_edges = set(ei.tolist())
    per_province: dict[str, list[int]] = {}
    for i in chosen:
        prov = inst.provinces[i]
        if prov is not None:
            per_province.setdefault(prov, []).append(i)
    out: list[dict[str, Any]] = []
    for i, cid in enumerate(table.ids):
        rec: dict[str, Any] = {
            "candidate_id": cid,
            "municipality": label[i],
            "selected": i in chosen,
            "partner": None,
            "country": None,
            "cause": None,
            "why": "",
            "score_needed": None,
            "displaces": [],
        }
        if i in chosen:
            e = chosen[i]
            j = int(ej[e])
            terms = {t: int(table.terms[t][i, j]) / UNIT for t in EDGE_TERMS}
            locked = e in set(inst.locks)
            rec.update(
                partner=table.names[j],
                country=table.countries[j],
                cause="locked" if locked else "selected",
                score_needed=0.0,
                value=int(inst.edge_value[e]) / UNIT,
                breakdown=terms,
                why=("locked by the committee: " if locked else "selected: ")
                + f"paired with {table.names[j]} ({table.countries[j]}),"
                f" value {int(inst.edge_value[e]) / UNIT:.2f} = {_fmt_breakdown(terms)}",
            )
        elif i not in with_edges:
            obstacles = _no_pair_obstacles(table, i, settings)
            rec.update(
                cause="no_pair",
                why="not selected: no allowed pair: " + _no_pair_reason(table, i, settings, obstacles),
                obstacles=obstacles,
            )
        else:
            rec.update(
                _unselected(
                    table, inst, best, forced.get(i), i, label, settings, per_province, explain, tie_break
                )
            )
        out.append(rec)
    return out


def _unselected(
    table: _Table,
    inst: Instance,
    best: Solution,
    forced: Forced | None,
    i: int,
    label: list[str],
    settings: PairingSettings,
    per_province: dict[str, list[int]],
    explain: bool,
    tie_break: Sequence[str],
) -> dict[str, Any]:
    ei, ej = inst.edge_cand, inst.edge_partner
    mine = [e for e in range(inst.n_edges) if int(ei[e]) == i]
    countries = sorted({inst.countries[int(ej[e])] for e in mine})
    best_mine = max(int(inst.edge_value[e]) for e in mine) / UNIT
    prov = inst.provinces[i]
    cap = settings.max_per_province
    causes: list[str] = []
    cause = "outranked"
    # the facts behind the sentence, for writers that word it in another language
    facts: dict[str, Any] = {
        "countries": countries,
        "best_value": best_mine,
        "province": prov,
        "max_per_province": cap,
        "province_taken_by": [],
        "outranked_by": [],
        "tie_break": list(tie_break),
    }
    if cap is not None and prov is not None and len(per_province.get(prov, [])) >= cap:
        names = ", ".join(label[k] for k in sorted(per_province[prov]))
        causes.append(f"its province {prov} already has {cap} selected ({names})")
        cause = "province_cap"
        facts["province_taken_by"] = [
            {"candidate_id": table.ids[k], "municipality": label[k]} for k in sorted(per_province[prov])
        ]
    rivals = sorted(
        (e for e in best.edges if inst.countries[int(ej[e])] in countries),
        key=lambda e: -int(inst.edge_value[e]),
    )
    if rivals:
        listed = ", ".join(f"{label[int(ei[e])]} {int(inst.edge_value[e]) / UNIT:.2f}" for e in rivals[:4])
        causes.append(
            f"outranked in {' and '.join(countries)} by {listed}{', ...' if len(rivals) > 4 else ''}"
            f" (its best pair: {best_mine:.2f})"
        )
    # the four best and the weakest of the selected it competes with: all a sentence needs, and the
    # record stays small when thousands of candidates compete for hundreds of slots
    named = rivals[:4] + rivals[-1:] if len(rivals) > 4 else rivals
    facts["outranked_by"] = [
        {
            "candidate_id": table.ids[int(ei[e])],
            "municipality": label[int(ei[e])],
            "country": inst.countries[int(ej[e])],
            "value": int(inst.edge_value[e]) / UNIT,
        }
        for e in named
    ]
    facts["outranked_count"] = len(rivals)
    rec: dict[str, Any] = {"cause": cause, **facts}
    # Raising this candidate's score by d adds exactly d to every pairing that includes it (it sits in
    # at most one pair, and every pair value counts its score once) and changes no other pairing; the
    # slot count and the kept-pair count do not depend on scores. The best pairing without it is the
    # chosen one (value V*); the best with it has value V_c. It is selected once V_c + d > V*, and at
    # V_c + d = V* the tie-break decides: so the exact increase needed is V* - V_c, from one re-solve.
    # need: what a higher score would do (score | tie | slots | kept | time_limit | not_computed)
    if not explain:
        needed = None
        tail = "not computed"
        rec["need"] = "not_computed"
    elif forced is None:
        needed = None
        tail = "the score it needs was not computed (the solver stopped at its time limit)"
        rec["need"] = "time_limit"
    elif not forced.includable or forced.count < best.count:
        needed = None
        cause = "slots" if cause == "outranked" else cause
        tail = "no pairing that includes it fills as many slots, so no score increase selects it"
        rec["need"] = "slots"
    elif forced.kept < best.kept or forced.value is None:
        needed = None
        tail = "including it would undo a pair the committee kept"
        rec["need"] = "kept"
    else:
        needed = round((best.value - forced.value) / UNIT, VALUE_DECIMALS)
        out = sorted({int(ei[e]) for e in best.edges} - {int(ei[e]) for e in forced.edges})
        rec["displaces"] = [table.ids[k] for k in out]
        instead = ", ".join(label[k] for k in out)
        rec["need"] = "tie" if needed <= 0 else "score"
        if needed <= 0:
            cause = "tie" if cause == "outranked" else cause
            tail = f"it ties with the selected pairing and loses on the tie-break ({', '.join(tie_break)})"
        else:
            tail = f"{needed:.2f} more points would draw it level, and any more would select it" + (
                f" in place of {instead}" if instead else ""
            )
    rec.update(
        cause=cause,
        why="not selected: " + "; ".join([*causes, tail]),
        score_needed=needed,
    )
    return rec


# --- printing ----------------------------------------------------------------------------------------------


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
            f"{(p.get('province') or '')[:16]:<16} {p['value']:>7.2f}  {_fmt_breakdown(p['breakdown'])}{lock}"
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
