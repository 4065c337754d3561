"""What-if re-solves: for each unselected candidate, the best pairing with it forced in.

The explanations read from them the score a candidate needs and whom it would displace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .engines import IncrementalEngine
from .instance import Instance, Solution
from .lexicographic import _settle
from .model import Family, Lin, Model, Row


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
    fams: Sequence[Family] | None = None,
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
    core = Model(instance, fams)  # the same constraint families as the solve that found `best`
    here = IncrementalEngine(core)
    n = instance.n_edges
    count, value, kept = core.count_expr, core.value_expr, core.kept_expr
    relax = core.network and not instance.keep
    enough = Row(count, 1, best.count)
    for c in candidates:
        mine = core.cand_expr[c]
        mine_edges = mine.arrays()[0]
        # Stage 1: the candidate in if at all possible, then most slots. Weight best.count + 1 on its
        # inclusion beats any count gain; all numbers are small integers, so nothing is lost to rounding.
        weights = np.ones(n)
        weights[mine_edges] += best.count + 1
        got = here.solve(Lin(idx=np.arange(n), coef=weights), [], time_limit, relax)
        if got is None:
            continue
        first = core.measure(got)
        inside = bool(got.chosen[mine_edges].any())
        out[c] = Forced(c, inside, first.count, first.kept, None, first.edges)
        if not inside or first.count != best.count:
            continue
        extra = [enough, Row(mine, 1, 1)]
        if instance.keep:
            got = here.solve(kept, extra, time_limit)
            if got is None:
                continue
            m = core.measure(got)
            out[c] = Forced(c, True, m.count, m.kept, None, m.edges)
            if m.kept < best.kept:
                continue
            extra.append(Row(kept, 1, best.kept))
        got = here.solve(value, extra, time_limit, relax)
        if got is None:
            continue
        m = core.measure(got)
        # only who is in matters here (the candidates it displaces), not who goes to which partner
        settled = _settle(core, here, m, [*extra, Row(value, 1, m.value)], time_limit, relax, partners=False)
        if settled.count == m.count and settled.kept >= m.kept and settled.value >= m.value:
            m = settled  # as in `lexsolve`, a doubtful tie-break answer never replaces the optimum
        out[c] = Forced(c, True, m.count, m.kept, m.value, m.edges)
    return out
