"""pairing/stable_search.py: the stable what-if re-solves and the listing of the stable pairings,
against brute force over all pairings of small instances."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matchmaker.pairing.lexicographic import no_good
from matchmaker.pairing.model import Model
from matchmaker.pairing.stability import free_edges
from matchmaker.pairing.stable_search import StableSearch, stable_lexsolve

from .test_stability import all_pairings, brute_blocking, random_case


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("all_rows", [False, True])
@pytest.mark.parametrize("seed", range(60))
def test_the_what_if_values_are_the_best_stable_pairings_with_the_candidate(
    seed: int, all_rows: bool, flat: bool
) -> None:
    inst, prefs = random_case(seed)
    if flat:  # every pair worth the same: the tie-break chain decides every what-if
        inst = dataclasses.replace(inst, edge_value=np.ones(inst.n_edges, dtype=np.int64))
    pairings = all_pairings(inst)
    if not pairings:
        return
    most = max(len(p) for p in pairings)
    stable = [p for p in pairings if len(p) == most and not brute_blocking(inst, prefs, p)]
    if not stable:
        return
    search = StableSearch(inst, prefs, most, free_edges(inst) if all_rows else ())
    best = search.lexsolve()
    assert best is not None
    assert best.value == max(int(inst.edge_value[list(p)].sum()) for p in stable)
    for c in sorted(set(inst.edge_cand.tolist())):
        got = search.forced(best, [c], budget=60.0)[c]
        with_c = [p for p in stable if any(int(inst.edge_cand[e]) == c for e in p)]
        if not with_c:
            assert not got.includable
            continue
        assert got.includable and got.count == most
        top = max(int(inst.edge_value[list(p)].sum()) for p in with_c)
        assert got.value == top
        assert not brute_blocking(inst, prefs, got.edges)

        # the tie-break chain: the earliest candidates selected, among the best stable ones with c
        def selection(p: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(sorted(int(inst.edge_cand[e]) for e in p))

        earliest = min(selection(p) for p in with_c if int(inst.edge_value[list(p)].sum()) == top)
        assert selection(tuple(got.edges)) == earliest


@pytest.mark.parametrize("seed", range(60))
def test_the_listing_is_the_sequence_of_stable_optima(seed: int) -> None:
    inst, prefs = random_case(seed)
    pairings = all_pairings(inst)
    if not pairings:
        return
    most = max(len(p) for p in pairings)
    stable = [p for p in pairings if len(p) == most and not brute_blocking(inst, prefs, p)]
    listed = StableSearch(inst, prefs, most).pairings(10)
    if len(stable) > 10:
        assert listed is None
        return
    assert listed is not None
    assert sorted(tuple(sorted(s.edges)) for s in listed) == sorted(tuple(sorted(p)) for p in stable)
    # the same order as repeated stable optima, each excluded from the next by a no-good cut
    core, cuts = Model(inst), []
    for sol in listed:
        again = stable_lexsolve(inst, prefs, most, cuts).solution
        assert again is not None and set(again.edges) == set(sol.edges)
        cuts.append(no_good(core, sol))
    assert stable_lexsolve(inst, prefs, most, cuts).solution is None


def test_an_exhausted_budget_leaves_the_candidates_unanswered() -> None:
    inst, prefs = random_case(5)
    most = max(len(p) for p in all_pairings(inst))
    search = StableSearch(inst, prefs, most)
    best = search.lexsolve()
    assert best is not None
    everyone = sorted(set(inst.edge_cand.tolist()))
    got = search.forced(best, everyone, budget=0.0)
    # only those whose every pair counting rules out are answered: no stable pairing holds them
    assert set(got) == {c for c in everyone if search.dead.issuperset(search.model.cand_expr[c].terms)}
    assert all(not f.includable for f in got.values())
    assert len(got) < len(everyone)
