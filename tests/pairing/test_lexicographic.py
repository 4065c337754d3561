"""The lexicographic optimum: slots before value, kept pairs, ties, brute force, both solvers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matchmaker.criteria import Criteria, FitSettings
from matchmaker.errors import MatchmakerError
from matchmaker.pairing import UNIT, Instance, PairingModel, lexicographic, lexsolve, solve_pairing

from .helpers import (
    all_pairings,
    brute_force,
    cand,
    check_invariants,
    chosen,
    criteria,
    four,
    frame,
    instances,
    partner,
)


def test_slots_come_before_value() -> None:
    # X alone at P1 is worth 110; X at P2 plus Y at P1 is worth only 101, but fills two slots.
    fit = FitSettings(preference_match=0, no_preference=0, theme_overlap=10, language_match=0)
    cands = frame([cand("1", 100, themes=["innovation"]), cand("2", 1, minutes=1)])
    parts = frame([partner("P1", "Benin", ["innovation"]), partner("P2", "Benin", ["decent_work"])])
    result = solve_pairing(cands, parts, criteria({"Benin": 2}, fit=fit), forbids=[("2", "P2")])
    assert chosen(result) == {("1", "P2"), ("2", "P1")}
    assert result.objective == pytest.approx(101.0)
    assert ["2", "P2"] in result.constraints["forbidden"]
    assert ("2", "P2") not in {(e["candidate_id"], e["partner"]) for e in result.edges}


def test_ties_follow_the_chain_on_both_solvers() -> None:
    parts = frame([partner("Karongi", "Rwanda"), partner("Bugesera", "Rwanda"), partner("Gatsibo", "Rwanda")])
    crit = criteria({"Rwanda": 2})
    for early, late in (("2", "1"), ("1", "2")):
        rows = [cand(early, 70, minutes=0), cand(late, 70, minutes=5), cand("3", 70, minutes=9)]
        for solver in ("cbc", "highs"):
            result = solve_pairing(frame(rows), parts, crit, solver=solver)
            # the two earliest completions win, and the earlier one gets the first partner in file order
            assert [(p["candidate_id"], p["partner"]) for p in result.pairs] == [
                (early, "Karongi"),
                (late, "Bugesera"),
            ]
            loser = next(e for e in result.explanations if e["candidate_id"] == "3")
            assert loser["cause"] == "tie" and loser["score_needed"] == 0.0
    # equal completion: the lower REFNIS wins
    rows = [cand("2", 70), cand("1", 70)]
    result = solve_pairing(frame(rows), parts, criteria({"Rwanda": 1}))
    assert chosen(result) == {("1", "Karongi")}


def test_keep_changes_as_few_pairs_as_possible() -> None:
    cands, parts = four()
    crit = criteria({"Rwanda": 2})
    plain = solve_pairing(cands, parts, crit)
    assert chosen(plain) == {("1", "Karongi"), ("2", "Bugesera")}
    # the committee kept 3 and 4 last time: both stay although 1 and 2 are worth more
    kept = solve_pairing(cands, parts, crit, keep=[("3", "Karongi"), ("4", "Bugesera")])
    assert chosen(kept) == {("3", "Karongi"), ("4", "Bugesera")}
    assert kept.changes == []
    # forbidding one kept pair keeps the other and fills the freed slot by value
    one = solve_pairing(
        cands, parts, crit, keep=[("3", "Karongi"), ("4", "Bugesera")], forbids=[("4", "Bugesera")]
    )
    assert chosen(one) == {("3", "Karongi"), ("1", "Bugesera")}
    assert {(c["candidate_id"], c["change"]) for c in one.changes} == {("4", "dropped"), ("1", "added")}


def test_a_refused_pair_moves_its_candidate_before_other_pairs_are_kept() -> None:
    cands, parts = four()
    crit = criteria({"Rwanda": 2})
    # last round: 3 with Karongi, 4 with Bugesera; now 3 - Karongi is refused
    keep = [("4", "Bugesera")]
    result = solve_pairing(
        cands, parts, crit, keep=keep, keep_selected=["3", "4"], forbids=[("3", "Karongi")]
    )
    # both stay selected: 3 moves to Bugesera, 4 to Karongi, although 1 is worth more and 4 kept its pair
    assert chosen(result) == {("3", "Bugesera"), ("4", "Karongi")}
    gone = next(c for c in result.changes if c["change"] == "dropped")
    assert (gone["candidate_id"], gone["partner"], gone["cause"]) == ("4", "Bugesera", "stay")
    assert gone["reason"] == "otherwise a candidate selected in the previous round would drop out"
    # the best of the rest would leave 3 or 4 out: no score makes 1 or 2 enter
    for x in result.explanations:
        if x["candidate_id"] in {"1", "2"}:
            assert x["need"] == "stay" and x["score_needed"] is None
    # without the candidates to keep, the kept pair stays and the value decides the other slot
    plain = solve_pairing(cands, parts, crit, keep=keep, forbids=[("3", "Karongi")])
    assert chosen(plain) == {("4", "Bugesera"), ("1", "Karongi")}


def test_alternatives_are_distinct_and_no_better() -> None:
    rows = [
        cand(str(k), 100 - 7 * k, pref="any", themes=["innovation"] if k % 2 else [], minutes=k)
        for k in range(6)
    ]
    parts = frame([partner("R1", "Rwanda"), partner("B1", "Benin", ["innovation"]), partner("B2", "Benin")])
    result = solve_pairing(frame(rows), parts, criteria({"Rwanda": 1, "Benin": 2}), alternatives=3)
    assert len(result.alternatives) == 3
    seen = [chosen(result)]
    last = result.objective
    for alt in result.alternatives:
        pairs = {(p["candidate_id"], p["partner"]) for p in alt["pairs"]}
        assert pairs not in seen
        seen.append(pairs)
        assert alt["objective"] <= last + 1e-9
        last = alt["objective"]
        assert alt["objective"] == pytest.approx(sum(p["value"] for p in alt["pairs"]))
        assert alt["gap_pct"] == pytest.approx(
            (result.objective - alt["objective"]) / result.objective * 100, abs=1e-3
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_equals_brute_force(case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]]) -> None:
    cands, parts, crit, forbids = case
    result = solve_pairing(cands, parts, crit, forbids=forbids, explain=False)
    check_invariants(result, cands, crit, forbids)
    assert chosen(result) == brute_force(result, cands, crit)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_large_model_path_equals_brute_force(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]],
) -> None:
    # large models solve the value stage first and prune by reduced costs; force that path here
    cands, parts, crit, forbids = case
    saved = lexicographic.VALUE_FIRST_EDGES
    lexicographic.VALUE_FIRST_EDGES = 0
    try:
        result = solve_pairing(cands, parts, crit, forbids=forbids, explain=False)
    finally:
        lexicographic.VALUE_FIRST_EDGES = saved
    assert chosen(result) == brute_force(result, cands, crit)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_cbc_and_highs_agree(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]],
) -> None:
    cands, parts, crit, forbids = case
    cbc = solve_pairing(cands, parts, crit, forbids=forbids, alternatives=1)
    highs = solve_pairing(cands, parts, crit, forbids=forbids, alternatives=1, solver="highs")
    assert cbc.pairs == highs.pairs
    assert cbc.objective == highs.objective
    assert cbc.alternatives == highs.alternatives
    strip = [{k: v for k, v in e.items()} for e in cbc.explanations]
    assert strip == highs.explanations


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_pure_assignment_equals_linear_sum_assignment(n: int, m: int, seed: int) -> None:
    values = np.random.default_rng(seed).integers(1, 100 * UNIT, size=(n, m))
    found = lexsolve(PairingModel(Instance.assignment(values)))
    assert found is not None
    rows, cols = linear_sum_assignment(values, maximize=True)
    assert found[0].count == min(n, m)
    assert found[0].value == int(values[rows, cols].sum())


def test_locks_the_solver_cannot_honour() -> None:
    values = np.full((2, 2), 5 * UNIT)
    inst = Instance.assignment(values)
    # two locks on one partner slip past no check in the core: the solver reports them infeasible
    both = Instance(**{**inst.__dict__, "locks": (0, 2)})
    assert lexsolve(PairingModel(both)) is None


def test_alternatives_by_selection_change_who_is_in() -> None:
    rows = [cand(str(k), 90 - k, pref="Rwanda", minutes=k) for k in range(5)]
    parts = frame([partner(n, "Rwanda") for n in ("Karongi", "Bugesera", "Gatsibo")])
    crit = criteria({"Rwanda": 3})
    by_pairs = solve_pairing(frame(rows), parts, crit, alternatives=1, distinct="pairs")
    # equal partners: the next-best set of pairs is a reshuffle of the same candidates, at no cost
    assert by_pairs.alternatives[0]["gap_pct"] == 0.0
    assert {p["candidate_id"] for p in by_pairs.alternatives[0]["pairs"]} == {"0", "1", "2"}
    by_selection = solve_pairing(frame(rows), parts, crit, alternatives=2, distinct="selection")
    # 0+1+2 is worth 90+89+88 + 3 x 10 = 297; next 0+1+3 (296); then 0+1+4 and 0+2+3 tie at 295 and
    # the tie-break chain keeps the earlier candidate 1 in
    assert by_selection.objective == 297.0
    assert [{p["candidate_id"] for p in a["pairs"]} for a in by_selection.alternatives] == [
        {"0", "1", "3"},
        {"0", "1", "4"},
    ]
    assert [a["objective"] for a in by_selection.alternatives] == [296.0, 295.0]
    with pytest.raises(MatchmakerError, match="distinct must be one of"):
        solve_pairing(frame(rows), parts, crit, distinct="partners")


def test_the_lp_path_only_when_every_family_is_a_network_family() -> None:
    from matchmaker.pairing import Row
    from matchmaker.pairing.model import RowFamily, families

    values = np.random.default_rng(5).integers(1, 100, size=(5, 4)) * UNIT
    inst = Instance.assignment(values)

    def relaxes(model: PairingModel) -> list[bool]:
        seen: list[bool] = []
        solve = model.mip.solve

        def spy(*args: object, **kw: object) -> object:
            seen.append(bool(args[3]))
            return solve(*args, **kw)  # type: ignore[arg-type]

        model.mip.solve = spy  # type: ignore[method-assign]
        return seen

    plain = PairingModel(inst)
    seen = relaxes(plain)
    best = lexsolve(plain)
    assert best is not None and seen and all(seen)
    # the same limit as a family that declares itself not a network family: integer solves only
    limit = Row(plain.count_expr, -1, 2)
    rowed = PairingModel(inst, [*families(inst), RowFamily("limit", (limit,), network=False)])
    seen = relaxes(rowed)
    found = lexsolve(rowed)
    assert found is not None and seen and not any(seen)
    # and it answers as the same limit given as a cut
    cut = lexsolve(plain, [limit])
    assert cut is not None and found[0].edges == cut[0].edges and found[0].value == cut[0].value
    # declared a network family, the LP path is taken again
    network = PairingModel(inst, [*families(inst), RowFamily("limit", (limit,), network=True)])
    seen = relaxes(network)
    assert lexsolve(network) is not None and all(seen)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_decision_stages_equal_brute_force(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]], data: st.DataObject
) -> None:
    # slots, then the locks (hard), then the candidates selected before, then the kept pairs, then value
    cands, parts, crit, forbids = case
    ids = cands["candidate_id"].tolist()
    names = parts["partner"].tolist()
    plain = solve_pairing(cands, parts, crit, forbids=forbids, explain=False)
    edges = [(e["candidate_id"], e["partner"]) for e in plain.edges]
    # the stages conflict most when the previous round's pairs are the best ones and some of the
    # candidates to keep were left out of it
    pair = st.tuples(st.sampled_from(ids), st.sampled_from(names))
    before = sorted(chosen(plain))
    keep = data.draw(st.lists(st.sampled_from(before) | pair if before else pair, unique=True, max_size=3))
    out = sorted(set(ids) - {c for c, _ in chosen(plain)})
    stay = data.draw(st.lists(st.sampled_from(out) if out else st.sampled_from(ids), unique=True, max_size=3))
    locks = data.draw(st.lists(st.sampled_from(edges), max_size=1)) if edges else []
    try:
        result = solve_pairing(
            cands, parts, crit, forbids=forbids, locks=locks, keep=keep, keep_selected=stay, explain=True
        )
    except MatchmakerError:
        return  # the lock cannot be honoured with the quotas
    check_invariants(result, cands, crit, forbids)

    found = all_pairings(result, cands, crit, locks=locks, stay=stay, keep=keep)
    best_key, best = max(found, key=lambda kv: kv[0])
    assert chosen(result) == best
    # the counterfactuals follow the same stages: the score needed is measured on the same face
    for x in result.explanations:
        if x.get("selected") or x.get("need") not in {"score", "tie", "slots", "stay", "kept"}:
            continue
        c = x["candidate_id"]
        with_c = [kv for kv in found if any(d == c for d, _ in kv[1])]
        if not with_c:
            assert x["need"] == "slots"
            continue
        top = max(with_c, key=lambda kv: kv[0])[0]
        if top[0] < best_key[0]:
            assert x["need"] == "slots"
        elif top[1] < best_key[1]:
            assert x["need"] == "stay"
        elif top[2] < best_key[2]:
            assert x["need"] == "kept"
        else:
            assert x["need"] in {"score", "tie"}
            assert x["score_needed"] == pytest.approx((best_key[3] - top[3]) / UNIT, abs=1e-4)  # type: ignore[operator]
