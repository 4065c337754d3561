"""pairing/stability.py: blocking pairs, the weak-stability family and the stable optimum, against
brute force over all pairings of small instances and against the `matching` package."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import numpy as np
import pytest

from matchmaker.pairing.instance import Instance
from matchmaker.pairing.lexicographic import PairingModel, lexsolve
from matchmaker.pairing.model import families
from matchmaker.pairing.stability import (
    Preferences,
    blocking_pairs,
    dead_edges,
    stability_family,
)
from matchmaker.pairing.stable_search import fewest_blocking, stable_lexsolve


def random_case(seed: int, side: bool = True) -> tuple[Instance, Preferences]:
    rng = random.Random(seed)
    n, m = rng.randint(2, 5), rng.randint(2, 4)
    countries = tuple(rng.choice("AB") for _ in range(m)) if side else ("A",) * m
    provinces = tuple(rng.choice(["x", "y", None]) for _ in range(n)) if side else (None,) * n
    edges = [(i, j) for i in range(n) for j in range(m) if rng.random() < 0.75]
    ec = np.array([i for i, _ in edges], dtype=np.int64)
    ep = np.array([j for _, j in edges], dtype=np.int64)
    value = np.array([rng.randint(1, 9) for _ in edges], dtype=np.int64)
    fit = np.array([rng.randint(0, 3) for _ in edges], dtype=np.int64)
    quotas = {"A": rng.randint(1, m), "B": rng.randint(1, m)} if side else {"A": m}
    cap = rng.choice([1, 2, None]) if side else None
    locks: tuple[int, ...] = ()
    if side and edges and rng.random() < 0.2:
        locks = (rng.randrange(len(edges)),)
    inst = Instance(
        candidates=tuple(f"c{i}" for i in range(n)),
        provinces=provinces,
        partners=tuple(f"p{j}" for j in range(m)),
        countries=countries,
        edge_cand=ec,
        edge_partner=ep,
        edge_value=value + fit,
        quotas=quotas,
        max_per_province=cap,
        locks=locks,
        fit=fit,
    )
    rating = np.array([rng.randint(0, 5) for _ in edges], dtype=np.int64)
    return inst, Preferences(fit, rating)


def feasible(inst: Instance, edges: tuple[int, ...]) -> bool:
    cands = [int(inst.edge_cand[e]) for e in edges]
    parts = [int(inst.edge_partner[e]) for e in edges]
    if len(set(cands)) < len(cands) or len(set(parts)) < len(parts):
        return False
    if any(e not in edges for e in inst.locks):
        return False
    for k, q in inst.quotas.items():
        if sum(1 for p in parts if inst.countries[p] == k) > q:
            return False
    if any(inst.countries[p] not in inst.quotas for p in parts):
        return False
    if inst.max_per_province is not None:
        for r in {inst.provinces[c] for c in cands} - {None}:
            if sum(1 for c in cands if inst.provinces[c] == r) > inst.max_per_province:
                return False
    return True


def all_pairings(inst: Instance) -> list[tuple[int, ...]]:
    out = []
    for size in range(0, min(len(inst.candidates), len(inst.partners)) + 1):
        for combo in itertools.combinations(range(inst.n_edges), size):
            if feasible(inst, combo):
                out.append(combo)
    return out


def brute_blocking(inst: Instance, prefs: Preferences, edges: tuple[int, ...]) -> list[int]:
    """The definition carried out literally: make the swap and test every hard rule."""
    out = []
    for e in range(inst.n_edges):
        if e in edges:
            continue
        c, p = int(inst.edge_cand[e]), int(inst.edge_partner[e])
        mc = next((f for f in edges if inst.edge_cand[f] == c), None)
        mp = next((f for f in edges if inst.edge_partner[f] == p), None)
        if mc is not None and not prefs.candidate[e] > prefs.candidate[mc]:
            continue
        if mp is not None and not prefs.partner[e] > prefs.partner[mp]:
            continue
        swapped = tuple(sorted({*edges, e} - {mc, mp}))
        if feasible(inst, swapped):
            out.append(e)
    return out


def test_blocking_pairs_are_the_definition() -> None:
    for seed in range(150):
        inst, prefs = random_case(seed)
        for pairing in all_pairings(inst):
            found = [b.edge for b in blocking_pairs(inst, pairing, prefs)]
            assert found == brute_blocking(inst, prefs, pairing), (seed, pairing)


def _lex_key(inst: Instance, edges: tuple[int, ...]) -> tuple[int, int]:
    return len(edges), int(inst.edge_value[list(edges)].sum())


@pytest.mark.parametrize("seed", range(60))
def test_the_stable_optimum_is_the_best_stable_pairing(seed: int) -> None:
    inst, prefs = random_case(seed)
    pairings = all_pairings(inst)
    if not pairings:
        return
    most = max(len(p) for p in pairings)
    at_most = [p for p in pairings if len(p) == most]
    stable = [p for p in at_most if not brute_blocking(inst, prefs, p)]
    got = stable_lexsolve(inst, prefs, most)
    if not stable:
        assert got.solution is None
        fewest = min(len(brute_blocking(inst, prefs, p)) for p in at_most)
        sol = fewest_blocking(inst, prefs, most)
        assert sol.count == most
        assert len(brute_blocking(inst, prefs, sol.edges)) == fewest
        return
    assert got.solution is not None
    best_value = max(_lex_key(inst, p)[1] for p in stable)
    assert got.solution.count == most
    assert got.solution.value == best_value
    assert not brute_blocking(inst, prefs, got.solution.edges)


@pytest.mark.parametrize("seed", range(40))
def test_the_full_family_keeps_every_stable_pairing_with_the_most_slots(seed: int) -> None:
    inst, prefs = random_case(seed)
    pairings = all_pairings(inst)
    if not pairings:
        return
    most = max(len(p) for p in pairings)
    fam = stability_family(inst, prefs)
    assert fam.network is False
    for p in pairings:
        if len(p) != most:
            continue
        x = np.zeros(inst.n_edges)
        x[list(p)] = 1
        holds = all(
            (row.lin.arrays()[1] @ x[row.lin.arrays()[0]] - row.rhs) * row.sense >= 0 for row in fam.rows
        )
        assert holds == (not brute_blocking(inst, prefs, p)), (seed, p)


def most_slots_cases(n: int) -> Iterator[tuple[int, Instance, Preferences, list[tuple[int, ...]], int]]:
    """Seed, instance, preferences, all its pairings and the most slots, for the first n seeds."""
    for seed in range(n):
        inst, prefs = random_case(seed)
        pairings = all_pairings(inst)
        if pairings:
            yield seed, inst, prefs, pairings, max(len(p) for p in pairings)


def test_fewest_blocking_is_the_best_pairing_with_the_fewest_blocking_pairs() -> None:
    cases = 0
    for seed, inst, prefs, pairings, most in most_slots_cases(400):
        at_most = {p: len(brute_blocking(inst, prefs, p)) for p in pairings if len(p) == most}
        fewest = min(at_most.values())
        if not fewest:
            continue  # a stable pairing exists: `fewest_blocking` is not asked
        cases += 1
        sol = fewest_blocking(inst, prefs, most)
        assert sol.count == most and sol.optimal
        assert at_most[tuple(sorted(sol.edges))] == fewest, seed
        assert sol.value == max(_lex_key(inst, p)[1] for p, n in at_most.items() if n == fewest), seed
    assert cases >= 5


def test_a_dead_edge_is_in_no_stable_pairing_with_the_most_slots() -> None:
    dead_total = 0
    for seed, inst, prefs, pairings, most in most_slots_cases(400):
        dead = set(dead_edges(inst, prefs, most))
        dead_total += len(dead)
        for p in pairings:
            if len(p) == most and not brute_blocking(inst, prefs, p):
                assert not dead & set(p), (seed, p, dead)
    assert dead_total > 0  # the counting does leave pairs out


def test_the_stability_family_makes_lexsolve_solve_integer_programs() -> None:
    inst, prefs = random_case(3)
    model = PairingModel(inst, (*families(inst), stability_family(inst, prefs)))
    assert not model.network
    assert lexsolve(model) is not None


@pytest.mark.parametrize("seed", range(30))
def test_blocking_pairs_agree_with_the_matching_package(seed: int) -> None:
    from matching import MultipleMatching
    from matching.games import HospitalResident

    rng = random.Random(1000 + seed)
    n, m = rng.randint(2, 6), rng.randint(2, 5)
    edges = [(i, j) for i in range(n) for j in range(m) if rng.random() < 0.8]
    if not edges:
        return
    # strict preferences: distinct numbers per candidate and per partner
    cand_val = {e: v for e, v in zip(edges, rng.sample(range(100), len(edges)), strict=True)}
    part_val = {e: v for e, v in zip(edges, rng.sample(range(100), len(edges)), strict=True)}
    inst = Instance(
        candidates=tuple(f"c{i}" for i in range(n)),
        provinces=(None,) * n,
        partners=tuple(f"p{j}" for j in range(m)),
        countries=("A",) * m,
        edge_cand=np.array([i for i, _ in edges], dtype=np.int64),
        edge_partner=np.array([j for _, j in edges], dtype=np.int64),
        edge_value=np.ones(len(edges), dtype=np.int64),
        quotas={"A": m},
    )
    prefs = Preferences(
        np.array([cand_val[e] for e in edges], dtype=np.int64),
        np.array([part_val[e] for e in edges], dtype=np.int64),
    )
    resident_prefs = {
        f"c{i}": [f"p{j}" for (_, j) in sorted((e for e in edges if e[0] == i), key=lambda e: -cand_val[e])]
        for i in range(n)
    }
    hospital_prefs = {
        f"p{j}": [f"c{i}" for (i, _) in sorted((e for e in edges if e[1] == j), key=lambda e: -part_val[e])]
        for j in range(m)
    }
    resident_prefs = {k: v for k, v in resident_prefs.items() if v}
    hospital_prefs = {k: v for k, v in hospital_prefs.items() if v}
    # a random pairing
    pairing: list[int] = []
    for k in rng.sample(range(len(edges)), len(edges)):
        i, j = edges[k]
        if all(edges[f][0] != i and edges[f][1] != j for f in pairing) and rng.random() < 0.6:
            pairing.append(k)
    game = HospitalResident.create_from_dictionaries(
        resident_prefs, hospital_prefs, dict.fromkeys(hospital_prefs, 1)
    )
    hospitals = {h.name: h for h in game.hospitals}
    residents = {r.name: r for r in game.residents}
    game.matching = MultipleMatching({h: [] for h in game.hospitals})
    for k in pairing:  # per key: a dict given to the constructor would not set the players' matches
        i, j = edges[k]
        game.matching[hospitals[f"p{j}"]] = [residents[f"c{i}"]]
    game.check_stability()
    theirs = sorted((r.name, h.name) for r, h in game.blocking_pairs)
    found = blocking_pairs(inst, pairing, prefs)
    ours = sorted((f"c{edges[b.edge][0]}", f"p{edges[b.edge][1]}") for b in found)
    assert ours == theirs
