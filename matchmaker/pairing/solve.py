"""The public pairing function: check and encode the tables, solve, explain, assemble the result.

`solve_pairing` is the whole pairing run as the pipeline and the library callers use it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..criteria import Criteria
from ..errors import InfeasibleError, MatchmakerError
from .counterfactual import Forced, capped_candidates, forced_solutions
from .instance import DISTINCT, SOLVERS, Solution, encode
from .lexicographic import PairingModel, lexsolve, no_good
from .model import Row
from .result import PairingResult, assemble


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
    distinct: str = "selection",
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
    candidates = candidates.copy()
    partners = partners.reset_index(drop=True).copy()
    table, instance, locks, forbids, keep = encode(
        candidates, partners, criteria, locks=locks, forbids=forbids, keep=keep
    )
    model = PairingModel(instance)
    found = lexsolve(model, solver=solver, time_limit=time_limit)
    if found is None:
        raise InfeasibleError("the locked pairs cannot all be honoured together")
    best, _ = found
    alts: list[Solution] = []
    # an alternative fills as many slots and keeps as many pairs as the best: it differs in the
    # choice among equally complete pairings, never by leaving slots open (its gap is never negative)
    cuts: list[Row] = [model.at_least(model.count_expr, best.count)]
    if instance.keep:
        cuts.append(model.at_least(model.kept_expr, best.kept))
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
    capped: set[int] = set()
    ei = instance.edge_cand
    chosen_cands = {int(ei[e]) for e in best.edges}
    if explain and best.optimal:
        unselected = sorted(set(ei.tolist()) - chosen_cands)
        forced = forced_solutions(instance, best, unselected, solver=solver, time_limit=time_limit)
        capped = capped_candidates(instance, best, unselected, time_limit=time_limit)
    return assemble(
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
    )
