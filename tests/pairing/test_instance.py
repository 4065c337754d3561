"""The pair table and the one lock check: allowed pairs, their value terms, the lock errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matchmaker import schema as s
from matchmaker.criteria import LanguageRule
from matchmaker.errors import DecisionError, InfeasibleError
from matchmaker.pairing import UNIT, Instance, check_locks, encode, solve_pairing

from .helpers import (
    cand,
    chosen,
    criteria,
    four,
    frame,
    partner,
)


def test_lock_forces_a_pair_and_errors_name_it() -> None:
    cands, parts = four()
    crit = criteria({"Rwanda": 2})
    result = solve_pairing(cands, parts, crit, locks=[("4", "Bugesera")])
    assert chosen(result) == {("1", "Karongi"), ("4", "Bugesera")}
    assert result.constraints["locked"] == [["4", "Bugesera"]]
    assert next(p for p in result.pairs if p["candidate_id"] == "4")["locked"] is True
    with pytest.raises(DecisionError, match="no candidate '99'"):
        solve_pairing(cands, parts, crit, locks=[("99", "Karongi")])
    with pytest.raises(DecisionError, match="no partner 'Nyanza'"):
        solve_pairing(cands, parts, crit, forbids=[("1", "Nyanza")])
    # messages name the municipality beside its code, as the committee knows it
    with pytest.raises(
        DecisionError, match=r"locks M1 \(1\)=Karongi and M2 \(2\)=Karongi give partner Karongi"
    ):
        solve_pairing(cands, parts, crit, locks=[("1", "Karongi"), ("2", "Karongi")])
    with pytest.raises(DecisionError, match="both locked and forbidden"):
        solve_pairing(cands, parts, crit, locks=[("1", "Karongi")], forbids=[("1", "Karongi")])
    with pytest.raises(InfeasibleError, match="exceed the Rwanda quota of 1"):
        solve_pairing(cands, parts, criteria({"Rwanda": 1}), locks=[("1", "Karongi"), ("2", "Bugesera")])
    benin = pd.concat([cands, frame([cand("5", 50, pref="Benin")])], ignore_index=True)
    with pytest.raises(
        InfeasibleError, match=r"lock M5 \(5\)=Karongi: the pair is not allowed: prefers Benin, not Rwanda"
    ):
        solve_pairing(benin, parts, crit, locks=[("5", "Karongi")])


def test_soft_language_rule_only_changes_the_bonus() -> None:
    rules = {"Benin": LanguageRule(("fr",), "soft")}
    rows = [cand("1", 60, pref="Benin", langs=["nl"]), cand("2", 50, pref="Benin", langs=["fr"])]
    result = solve_pairing(
        frame(rows), frame([partner("B1", "Benin")]), criteria({"Benin": 1}, languages=rules)
    )
    values = {e["candidate_id"]: e["value"] for e in result.edges}
    assert values == {"1": 65.0, "2": 60.0}  # 60 + 5 preference; 50 + 5 preference + 5 French
    assert chosen(result) == {("1", "B1")}


def test_min_value_removes_edges() -> None:
    rows = [cand("1", 60, pref="Rwanda"), cand("2", 40, pref="Rwanda")]
    result = solve_pairing(
        frame(rows), frame([partner("R", "Rwanda")]), criteria({"Rwanda": 1}, min_value=60)
    )
    assert {e["candidate_id"] for e in result.edges} == {"1"}
    low = next(e for e in result.explanations if e["candidate_id"] == "2")
    assert "below the minimum of 60" in low["why"]


def test_check_locks_on_its_own() -> None:
    cands, parts = four()
    crit = criteria({"Rwanda": 2})
    table = check_locks(cands, parts, crit, [("4", "Bugesera")])
    assert table.ids == ["1", "2", "3", "4"]
    with pytest.raises(DecisionError, match="no candidate '99'"):
        check_locks(cands, parts, crit, [("99", "Karongi")])
    with pytest.raises(DecisionError, match="both locked and forbidden"):
        check_locks(cands, parts, crit, [("1", "Karongi")], [("1", "Karongi")])
    with pytest.raises(DecisionError, match=r"locks M1 \(1\)=Karongi and M1 \(1\)=Bugesera give candidate"):
        check_locks(cands, parts, crit, [("1", "Karongi"), ("1", "Bugesera")])
    with pytest.raises(InfeasibleError, match="exceed the Rwanda quota of 1"):
        check_locks(cands, parts, criteria({"Rwanda": 1}), [("1", "Karongi"), ("2", "Bugesera")])
    capped = criteria({"Rwanda": 2}, cap=1)
    provinced = cands.assign(**{s.PROVINCE: "Limburg"})
    with pytest.raises(InfeasibleError, match=r"exceed the cap of 1 candidates per province \(Limburg\)"):
        check_locks(provinced, parts, capped, [("1", "Karongi"), ("2", "Bugesera")])
    refused = pd.concat([cands, frame([cand("6", 50, eligible=False)])], ignore_index=True)
    with pytest.raises(InfeasibleError, match=r"lock M6 \(6\)=Karongi: the candidate is not eligible"):
        check_locks(refused, parts, crit, [("6", "Karongi")])


def test_the_instance_keeps_score_and_fit_apart() -> None:
    rows = [cand("1", 60, pref="Rwanda", themes=["innovation"]), cand("2", 40, pref="any")]
    parts = frame([partner("R", "Rwanda", ["innovation", "decent_work"]), partner("K", "Rwanda")])
    inst = encode(frame(rows), parts, criteria({"Rwanda": 2})).instance
    assert (inst.edge_score + inst.edge_fit == inst.edge_value).all()
    by_cand = dict(zip(inst.edge_cand.tolist(), inst.edge_score.tolist(), strict=False))
    assert by_cand == {0: 60 * UNIT, 1: 40 * UNIT}
    assert inst.edge_fit.min() > 0  # preference and language bonuses on every pair here
    # other scores, the same fit
    other = inst.with_edge_scores(np.full(inst.n_edges, 10 * UNIT))
    assert (other.edge_fit == inst.edge_fit).all()
    assert (other.edge_value == 10 * UNIT + inst.edge_fit).all()
    # an instance built from values alone has no fit part
    plain = Instance.assignment(np.full((2, 2), 3 * UNIT))
    assert (plain.edge_fit == 0).all() and (plain.edge_score == plain.edge_value).all()


def test_lock_conflicts_finds_every_kind_at_once() -> None:
    from matchmaker.pairing import lock_conflicts

    locks = [("a", "R1"), ("a", "R2"), ("b", "R1"), ("c", "B1"), ("d", "B2"), ("c", "B1")]
    found = lock_conflicts(
        locks,
        forbids=[("d", "B2")],
        country_of={"R1": "Rwanda", "R2": "Rwanda", "B1": "Benin", "B2": "Benin"},
        province_of={"a": "Limburg", "b": "Limburg", "c": "Limburg", "d": None},
        quotas={"Rwanda": 4, "Benin": 1},
        max_per_province=2,
    )
    kinds = {(c.kind, c.key): c.pairs for c in found}
    assert kinds == {
        ("both", "d"): (("d", "B2"),),
        ("partner", "R1"): (("a", "R1"), ("b", "R1")),
        ("candidate", "a"): (("a", "R1"), ("a", "R2")),
        ("quota", "Benin"): (("c", "B1"), ("d", "B2")),  # the repeated lock counts once
        ("province", "Limburg"): (("a", "R1"), ("a", "R2"), ("b", "R1"), ("c", "B1")),
    }
    assert {c.limit for c in found if c.kind in ("quota", "province")} == {1, 2}
    # without the facts of a limit, that limit is not checked; honourable locks give nothing
    assert {c.kind for c in lock_conflicts(locks)} == {"partner", "candidate"}
    assert (
        lock_conflicts([("a", "R1"), ("b", "R2")], country_of={"R1": "X", "R2": "X"}, quotas={"X": 2}) == []
    )
