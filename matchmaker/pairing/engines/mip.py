"""The pairing model as a PuLP integer program, solved on CBC or HiGHS through a model file.

For the main stages of `lexsolve`: built once per instance, solved under changing objectives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...errors import MatchmakerError
from ..model import FixedEdges, GroupLimit, Lin, Model, Ran, Row, RowFamily
from .base import quiet_stdout


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", text)


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


def _run(
    base: Any,
    x: Sequence[Any],
    objective: Any,
    extra: Sequence[Any],
    solver: str,
    time_limit: float | None,
    relax: bool = False,
) -> Ran | None:
    """Maximise `objective` over `base` plus `extra`; None when infeasible.

    With `relax`, the LP relaxation is solved first: when its optimum is integral it is also the
    integer optimum (the relaxation's bound is attained), which is the rule for the pairing model
    (its constraint matrix is a network matrix); otherwise the integer program is solved.
    """
    import pulp

    if not x:  # nothing to choose: CBC refuses an empty model
        return Ran(np.zeros(0, dtype=bool), True)
    prob = base.copy()
    for k, constraint in enumerate(extra):
        prob.addConstraint(constraint, f"extra_{k}")
    prob.setObjective(objective)
    for mip in (False, True) if relax else (True,):
        engine = _solver(solver, time_limit, mip)
        if solver == "highs":
            with quiet_stdout():
                prob.solve(engine)
        else:
            prob.solve(engine)
        if prob.status == pulp.LpStatusInfeasible:
            return None
        if not mip and prob.sol_status == pulp.LpSolutionOptimal:  # not stopped by the time limit
            values = np.fromiter((v.varValue or 0.0 for v in x), dtype=float, count=len(x))
            if np.all(np.abs(values - np.rint(values)) <= 1e-6):
                reduced = np.fromiter((abs(v.dj or 0.0) for v in x), dtype=float, count=len(x))
                return Ran(values > 0.5, True, reduced)
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        raise MatchmakerError(
            f"the {solver} solver found no pairing"
            + (f" within the time limit of {time_limit:g} s" if time_limit else "")
        )
    chosen = np.fromiter(((v.varValue or 0.0) > 0.5 for v in x), dtype=bool, count=len(x))
    return Ran(chosen, prob.sol_status == pulp.LpSolutionOptimal)


class MipEngine:
    """The model as a PuLP problem: variables `x_{cand}_{partner}` (binary) only for allowed pairs,
    one row per group of each constraint family, built in one pass; solved on `solver` (cbc, highs).
    """

    def __init__(self, model: Model, solver: str = "cbc") -> None:
        import pulp

        self.model = model
        self.solver = solver
        self.solves = 0
        inst = model.instance
        self.base = pulp.LpProblem("pairing", pulp.LpMaximize)
        names: set[str] = set()
        self.x: list[pulp.LpVariable] = []
        cand_names = [_name(c) for c in inst.candidates]
        partner_names = [_name(p) for p in inst.partners]
        for c, p in zip(inst.edge_cand.tolist(), inst.edge_partner.tolist(), strict=True):
            name = f"x_{cand_names[c]}_{partner_names[p]}"
            while name in names:  # two ids may sanitise alike
                name += "_"
            names.add(name)
            self.x.append(self.base.add_variable(name, 0, 1, pulp.LpBinary))
        add = self.base.addConstraint
        for family in model.families:
            if isinstance(family, GroupLimit):
                keys, starts, edges, limits = family.groups()
                bounds = [*starts.tolist(), len(edges)]
                members = edges.tolist()
                for k, name in enumerate(family.row_names(keys)):
                    expr = pulp.LpAffineExpression({self.x[e]: 1 for e in members[bounds[k] : bounds[k + 1]]})
                    add(pulp.LpConstraint(expr, pulp.LpConstraintLE, rhs=int(limits[k])), name)
            elif isinstance(family, FixedEdges):
                for e in family.edges:
                    add(pulp.LpConstraint(self.x[e], pulp.LpConstraintEQ, rhs=1), f"{family.name}_{e}")
            elif isinstance(family, RowFamily):
                for k, row in enumerate(family.rows):
                    add(self._pulp_row(row), f"{family.name}_{k}")
            else:
                raise TypeError(f"no PuLP rows for the constraint family {family.name!r}")

    def _pulp_row(self, row: Row) -> Any:
        import pulp

        sense = pulp.LpConstraintGE if row.sense > 0 else pulp.LpConstraintLE
        return pulp.LpConstraint(row.lin.pulp(self.x), sense, rhs=row.rhs)

    def solve(
        self,
        objective: Lin,
        extra: Sequence[Row],
        time_limit: float | None,
        relax: bool = False,
        solver: str | None = None,
    ) -> Ran | None:
        """Maximise `objective` under the model's rows plus `extra` on `solver` (default: the
        engine's); None when infeasible. Each solve writes the model for a fresh solver process."""
        self.solves += 1
        rows = [self._pulp_row(r) for r in extra]
        return _run(self.base, self.x, objective.pulp(self.x), rows, solver or self.solver, time_limit, relax)
