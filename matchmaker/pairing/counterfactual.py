"""What-if re-solves: for each unselected candidate, the best pairing with it forced in, and the
best pairing with one more seat for a province. The explanations read the score needed and the cause.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .engines import IncrementalEngine
from .instance import Instance, Solution
from .lexicographic import PairingModel, _settle, lexsolve
from .model import Family, GroupLimit, Lin, Model, Ran, Row, families


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
    count, value, kept, stay = core.count_expr, core.value_expr, core.kept_expr, core.stay_expr
    relax = core.network and not instance.keep and not instance.keep_selected
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
        out[c] = Forced(c, inside, first.count, first.kept, None, first.edges, first.stayed)
        if not inside or first.count != best.count:
            continue
        extra = [enough, Row(mine, 1, 1)]
        # the same stages as `lexsolve`: the candidates selected before, then the kept pairs
        if instance.keep_selected:
            got = here.solve(stay, extra, time_limit)
            if got is None:
                continue
            m = core.measure(got)
            out[c] = Forced(c, True, m.count, m.kept, None, m.edges, m.stayed)
            if m.stayed < best.stayed:
                continue
            extra.append(Row(stay, 1, best.stayed))
        if instance.keep:
            got = here.solve(kept, extra, time_limit)
            if got is None:
                continue
            m = core.measure(got)
            out[c] = Forced(c, True, m.count, m.kept, None, m.edges, m.stayed)
            if m.kept < best.kept:
                continue
            extra.append(Row(kept, 1, best.kept))
        got = here.solve(value, extra, time_limit, relax)
        if got is None:
            continue
        m = core.measure(got)
        # only who is in matters here (the candidates it displaces), not who goes to which partner
        settled = _settle(core, here, m, [*extra, Row(value, 1, m.value)], time_limit, relax, partners=False)
        if (
            settled.count == m.count
            and settled.stayed >= m.stayed
            and settled.kept >= m.kept
            and settled.value >= m.value
        ):
            m = settled  # as in `lexsolve`, a doubtful tie-break answer never replaces the optimum
        out[c] = Forced(c, True, m.count, m.kept, m.value, m.edges, m.stayed)
    return out


class _InProcess(PairingModel):
    """A pairing model whose every stage runs on the in-process engine (for the many re-solves)."""

    def run(
        self, objective: Lin, extra: Sequence[Row], solver: str, time_limit: float | None, relax: bool = False
    ) -> Ran | None:
        return self.run_here(objective, extra, time_limit, relax)


def with_province_seat(instance: Instance, province: str) -> tuple[Family, ...]:
    """The instance's constraint families with one more seat under the province cap for `province`."""
    out: list[Family] = []
    for family in families(instance):
        if isinstance(family, GroupLimit) and family.name == "province":
            provinces = sorted({p for p in instance.provinces if p is not None})
            limits = np.array(family.limits, dtype=float)
            limits[provinces.index(province)] += 1
            family = dataclasses.replace(family, limits=limits)
        out.append(family)
    return tuple(out)


def capped_candidates(
    instance: Instance, best: Solution, candidates: Sequence[int], *, time_limit: float | None = None
) -> set[int]:
    """The candidates (of `candidates`, unselected) that one more seat for their province would select.

    For each province at the cap with such a candidate, one lexicographic re-solve (ties settled by
    the chain, as in `lexsolve`) with that province's cap raised by one: the cap is the reason a
    candidate is left out exactly when that re-solve selects it.
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
    for prov, cands in sorted(waiting.items()):
        found = lexsolve(_InProcess(instance, with_province_seat(instance, prov)), time_limit=time_limit)
        if found is None:
            continue
        selected = {int(instance.edge_cand[e]) for e in found[0].edges}
        out.update(c for c in cands if c in selected)
    return out


def dropped_causes(
    instance: Instance,
    best: Solution,
    *,
    time_limit: float | None = None,
    fams: Sequence[Family] | None = None,
) -> dict[int, str]:
    """For each kept pair (edge) the best pairing leaves out, the stage that drops it.

    One re-solve per stage with the pair forced in, in the order of `lexsolve`: "more_slots" when
    the pairing with it fills fewer slots, "stay" when fewer of the candidates selected before stay
    selected, "more_kept" when fewer previous pairs stay, "more_value" when it is worth less, "tie"
    when it is as good and the tie-break chain decides. Pairs no pairing can hold are left out.
    """
    chosen = set(best.edges)
    todo = [e for e in instance.keep if e not in chosen]
    out: dict[int, str] = {}
    if not todo:
        return out
    core = Model(instance, fams)
    here = IncrementalEngine(core)
    stages = [
        ("more_slots", core.count_expr, best.count),
        ("stay", core.stay_expr, best.stayed),
        ("more_kept", core.kept_expr, best.kept),
        ("more_value", core.value_expr, best.value),
    ]
    for e in todo:
        extra = [Row(Lin({e: 1}), 1, 1)]
        cause = "tie"
        for name, expr, reached in stages:
            got = here.solve(expr, extra, time_limit)
            if got is None:
                cause = ""
                break
            m = core.measure(got)
            now = {"more_slots": m.count, "stay": m.stayed, "more_kept": m.kept, "more_value": m.value}[name]
            if now < reached:
                cause = name
                break
            extra.append(Row(expr, 1, reached))
        if cause:
            out[e] = cause
    return out
