"""The pairing model: hand-solved cases, brute force on random instances, both solvers, explanations."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matchmaker import schema as s
from matchmaker.criteria import Criteria, FitSettings, LanguageRule, PairingSettings
from matchmaker.errors import DecisionError, InfeasibleError, MatchmakerError
from matchmaker.pairing import UNIT, Instance, PairingModel, lexsolve, solve_pairing
from matchmaker.pairing import lexicographic as pairing

BASE = dt.datetime(2023, 10, 1, 9, 0)


def cand(
    cid: str,
    score: float,
    pref: str | None = "any",
    langs: Sequence[str] = ("nl", "en", "fr"),
    themes: Sequence[str] = (),
    province: str | None = None,
    minutes: int = 0,
    eligible: bool = True,
) -> dict[str, Any]:
    return {
        s.CANDIDATE_ID: cid,
        s.SUBMISSION_ID: int(cid) if cid.isdigit() else 0,
        s.COMPLETED: pd.Timestamp(BASE + dt.timedelta(minutes=minutes)),
        s.REFNIS: cid,
        s.MUNICIPALITY: f"M{cid}",
        s.PROVINCE: province,
        s.ELIGIBLE: eligible,
        s.REASONS: [] if eligible else ["refused a commitment"],
        s.SCORE: score if eligible else None,
        s.BREAKDOWN: {"motivation": score} if eligible else None,
        s.COUNTRY_PREFERENCE: pref,
        s.LANGUAGES: list(langs),
        s.THEMES: list(themes),
    }


def frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows))


def partner(name: str, country: str, themes: Sequence[str] = (), linked: bool = False) -> dict[str, Any]:
    return {
        s.PARTNER: name,
        s.COUNTRY: country,
        s.REGION: "R",
        s.PARTNER_THEMES: list(themes),
        s.PARTNER_LANGUAGES: ["fr"] if country == "Benin" else ["en", "fr"],
        s.HAS_FLEMISH_LINK: linked,
        "eligible": not linked,
        "reasons": ["has a city link with a Flemish local government"] if linked else [],
    }


def criteria(
    quotas: dict[str, int] | None = None,
    cap: int | None = None,
    fit: FitSettings | None = None,
    **kw: Any,
) -> Criteria:
    pairing = PairingSettings(
        quotas=quotas or {"Rwanda": 4, "Benin": 4},
        max_per_province=cap,
        fit=fit or FitSettings(),
        **kw,
    )
    return Criteria(version=1, name="test", pairing=pairing)


def chosen(result: Any) -> set[tuple[str, str]]:
    return {(p["candidate_id"], p["partner"]) for p in result.pairs}


# --- tiny models solved by hand -------------------------------------------------------------------


def test_hand_solved_model_and_its_explanations() -> None:
    cands = frame(
        [
            cand("11001", 70, pref="Rwanda", langs=["nl", "en"]),  # A-R1: 70 + 5 + 5 = 80
            cand("11002", 60, pref="any", langs=["fr"], themes=["innovation"]),  # B-B1: 60+2.5+5+5 = 72.5
            cand("11003", 65, pref="Benin", langs=["nl"]),  # no French: no pair in Benin
            cand("11004", 90, eligible=False),
        ]
    )
    parts = frame(
        [
            partner("R1", "Rwanda"),
            partner("B1", "Benin", ["innovation", "decent_work"]),
            partner("B2", "Benin", [], True),
        ]
    )
    result = solve_pairing(cands, parts, criteria({"Rwanda": 1, "Benin": 1}))
    assert chosen(result) == {("11001", "R1"), ("11002", "B1")}
    assert result.objective == pytest.approx(152.5, abs=1e-9)
    assert result.status == "optimal"
    assert result.filled == {"Rwanda": 1, "Benin": 1}
    assert result.unfilled == []
    b1 = next(p for p in result.pairs if p["partner"] == "B1")
    assert b1["breakdown"] == {"score": 60.0, "preference": 2.5, "themes": 5.0, "language": 5.0}
    edges = {(e["candidate_id"], e["partner"]): e["value"] for e in result.edges}
    assert edges == {("11001", "R1"): 80.0, ("11002", "R1"): 67.5, ("11002", "B1"): 72.5}
    why = {e["candidate_id"]: e for e in result.explanations}
    assert set(why) == {"11001", "11002", "11003"}  # every eligible candidate, only those
    assert why["11003"]["cause"] == "no_pair" and why["11003"]["score_needed"] is None
    assert "French" in why["11003"]["why"] and "asked for Benin" in why["11003"]["why"]
    assert why["11001"]["selected"] and why["11001"]["score_needed"] == 0.0
    assert [c["candidate_id"] for c in result.candidates] == ["11001", "11002", "11003", "11004"]
    assert result.partners[2]["eligible"] is False


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


def test_province_cap_and_its_diagnosis() -> None:
    rows = [cand(str(k), 90 - k, pref="Rwanda", province="Limburg", minutes=k) for k in range(1, 4)]
    rows.append(cand("9", 10, pref="Rwanda", province="Antwerpen", minutes=9))
    parts = frame([partner(n, "Rwanda") for n in ("Karongi", "Bugesera", "Gatsibo", "Nyanza")])
    result = solve_pairing(frame(rows), parts, criteria({"Rwanda": 4}, cap=2))
    assert chosen(result) == {("1", "Karongi"), ("2", "Bugesera"), ("9", "Gatsibo")}
    assert [{k: u[k] for k in ("country", "slots", "reason")} for u in result.unfilled] == [
        {
            "country": "Rwanda",
            "slots": 1,
            "reason": "Rwanda: 3 of 4 filled: 4 eligible candidates accept Rwanda; "
            "1 comes from a province already at the cap of 2 (Limburg)",
        }
    ]
    # the facts behind the sentence, for the workbook to word in its own language
    facts = result.unfilled[0]
    assert (facts["cause"], facts["filled"], facts["candidates"], facts["capped"]) == ("blocked", 3, 4, 1)
    assert facts["capped_provinces"] == ["Limburg"] and facts["max_per_province"] == 2
    capped = next(e for e in result.explanations if e["candidate_id"] == "3")
    assert capped["cause"] == "province_cap"
    assert "Limburg already has 2 selected" in capped["why"]
    # to take Bugesera's place from candidate 2 (value 88 + 10), candidate 3 (87 + 10) needs 1 point
    assert capped["score_needed"] == pytest.approx(1.0)


def test_unfilled_benin_in_plain_words() -> None:
    rows = [cand(str(k), 60, pref="Benin", langs=["fr"], minutes=k) for k in range(1, 4)]
    rows += [cand("7", 80, pref="Benin", langs=["nl"]), cand("8", 80, pref="Rwanda", langs=["nl"])]
    parts = frame([partner(f"B{k}", "Benin") for k in range(5)])
    result = solve_pairing(frame(rows), parts, criteria({"Benin": 4}))
    assert result.filled == {"Benin": 3}
    reason = result.unfilled[0]["reason"]
    assert reason.startswith(
        "Benin: 3 of 4 filled: only 3 eligible candidates accept Benin and work in French"
    )
    assert "1 more accepts Benin but does not work in French" in reason


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
    assert "below the minimum 60" in low["why"]


# --- locks, forbids, keep --------------------------------------------------------------------------


def _four() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [cand(str(k), 100 - 10 * k, pref="Rwanda", minutes=k) for k in range(1, 5)]
    parts = frame([partner("Karongi", "Rwanda"), partner("Bugesera", "Rwanda")])
    return frame(rows), parts


def test_lock_forces_a_pair_and_errors_name_it() -> None:
    cands, parts = _four()
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
        InfeasibleError, match=r"lock M5 \(5\)=Karongi: the pair is not allowed: it asked for Benin"
    ):
        solve_pairing(benin, parts, crit, locks=[("5", "Karongi")])


def test_keep_changes_as_few_pairs_as_possible() -> None:
    cands, parts = _four()
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


def test_bad_arguments() -> None:
    cands, parts = _four()
    with pytest.raises(MatchmakerError, match="unknown solver"):
        solve_pairing(cands, parts, criteria(), solver="gurobi")
    with pytest.raises(MatchmakerError, match="lacks column"):
        solve_pairing(cands.drop(columns=[s.SCORE]), parts, criteria())
    with pytest.raises(MatchmakerError, match="appear more than once"):
        solve_pairing(pd.concat([cands, cands]), parts, criteria())


# --- alternatives -------------------------------------------------------------------------------------


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


# --- random instances against brute force ---------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]]:
    n = draw(st.integers(1, 5))
    m = draw(st.integers(1, 4))
    rows = []
    for k in range(n):
        rows.append(
            cand(
                str(10 + k),
                draw(st.sampled_from([50.0, 60.0, 70.0, 62.5])),  # few values, so ties happen
                pref=draw(st.sampled_from(["Rwanda", "Benin", "any", None])),
                langs=draw(st.lists(st.sampled_from(["nl", "fr", "en"]), unique=True)),
                themes=draw(st.lists(st.sampled_from(list(s.THEME_CODES)), unique=True, max_size=3)),
                province=draw(st.sampled_from(["Limburg", "Antwerpen", None])),
                minutes=draw(st.integers(0, 3)),
            )
        )
    parts = [
        partner(
            f"P{k}",
            draw(st.sampled_from(["Rwanda", "Benin"])),
            draw(st.lists(st.sampled_from(list(s.THEME_CODES)), unique=True, max_size=2)),
            linked=draw(st.booleans()) and k == 0,
        )
        for k in range(m)
    ]
    crit = criteria(
        {"Rwanda": draw(st.integers(0, 2)), "Benin": draw(st.integers(0, 2))},
        cap=draw(st.sampled_from([None, 1, 2])),
    )
    forbids = draw(
        st.lists(
            st.tuples(
                st.sampled_from([r[s.CANDIDATE_ID] for r in rows]),
                st.sampled_from([p["partner"] for p in parts]),
            ),
            max_size=2,
        )
    )
    return frame(rows), frame(parts), crit, forbids


def brute_force(result: Any, cands: pd.DataFrame, crit: Criteria) -> set[tuple[str, str]]:
    """Every feasible set of pairs, best by (slots, value), then the tie-break chain, by enumeration."""
    order = cands.sort_values([s.COMPLETED, s.REFNIS])[s.CANDIDATE_ID].tolist()
    province = dict(zip(cands[s.CANDIDATE_ID], cands[s.PROVINCE], strict=True))
    country = {p["partner"]: p["country"] for p in result.partners}
    position = {p["partner"]: k for k, p in enumerate(result.partners)}
    options: dict[str, list[tuple[str, int]]] = {c: [] for c in order}
    for e in result.edges:
        options[e["candidate_id"]].append((e["partner"], round(e["value"] * UNIT)))
    best_key: tuple[Any, ...] | None = None
    best: set[tuple[str, str]] = set()
    for picks in itertools.product(*[[None, *options[c]] for c in order]):
        used = [(c, p) for c, p in zip(order, picks, strict=True) if p is not None]
        partners_used = [p[0] for _, p in used]
        if len(set(partners_used)) < len(partners_used):
            continue
        if any(sum(country[p] == k for p in partners_used) > q for k, q in crit.pairing.quotas.items()):
            continue
        cap = crit.pairing.max_per_province
        provs = [province[c] for c, _ in used if not pd.isna(province[c])]
        if cap is not None and any(provs.count(v) > cap for v in provs):
            continue
        key = (
            len(used),
            sum(p[1] for _, p in used),
            tuple(int(p is not None) for p in picks),  # earlier candidates in, lexicographically
            tuple(-position[p[0]] for p in picks if p is not None),  # then earlier partners
        )
        if best_key is None or key > best_key:
            best_key, best = key, {(c, p[0]) for c, p in used}
    return best


def check_invariants(
    result: Any, cands: pd.DataFrame, crit: Criteria, forbids: Sequence[tuple[str, str]]
) -> None:
    rows = cands.set_index(s.CANDIDATE_ID)
    partners = {p["partner"]: p for p in result.partners}
    used = [p["partner"] for p in result.pairs]
    assert len(used) == len(set(used))
    ids = [p["candidate_id"] for p in result.pairs]
    assert len(ids) == len(set(ids))
    for k, q in crit.pairing.quotas.items():
        assert sum(partners[p]["country"] == k for p in used) <= q
    cap = crit.pairing.max_per_province
    provs = [rows.loc[c, s.PROVINCE] for c in ids if not pd.isna(rows.loc[c, s.PROVINCE])]
    assert cap is None or all(provs.count(v) <= cap for v in provs)
    for e in result.edges:
        row = rows.loc[e["candidate_id"]]
        target = partners[e["partner"]]
        assert row[s.ELIGIBLE] and target["eligible"]
        pref = row[s.COUNTRY_PREFERENCE]
        assert pd.isna(pref) or pref in ("any", target["country"])
        if target["country"] == "Benin":
            assert "fr" in row[s.LANGUAGES]
        assert (e["candidate_id"], e["partner"]) not in set(forbids)
        assert e["value"] == pytest.approx(sum(e["breakdown"].values()))
    assert result.objective == pytest.approx(sum(p["value"] for p in result.pairs))


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
    saved = pairing.VALUE_FIRST_EDGES
    pairing.VALUE_FIRST_EDGES = 0
    try:
        result = solve_pairing(cands, parts, crit, forbids=forbids, explain=False)
    finally:
        pairing.VALUE_FIRST_EDGES = saved
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


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_score_needed_is_exact(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]], data: st.DataObject
) -> None:
    cands, parts, crit, forbids = case
    result = solve_pairing(cands, parts, crit, forbids=forbids)
    losers = [e for e in result.explanations if not e["selected"] and e["score_needed"] is not None]
    if not losers:
        return
    loser = data.draw(st.sampled_from(losers))
    cid, needed = loser["candidate_id"], loser["score_needed"]

    def with_bonus(bonus: float) -> set[str]:
        bumped = cands.copy()
        bumped.loc[bumped[s.CANDIDATE_ID] == cid, s.SCORE] += bonus
        return {
            p["candidate_id"]
            for p in solve_pairing(bumped, parts, crit, forbids=forbids, explain=False).pairs
        }

    assert cid in with_bonus(needed + 0.01)
    if needed >= 0.01:
        assert cid not in with_bonus(needed - 0.01)


# --- the core on its own -----------------------------------------------------------------------------------


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
    by_pairs = solve_pairing(frame(rows), parts, crit, alternatives=1)
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


def test_frames_for_analysts() -> None:
    cands, parts = _four()
    result = solve_pairing(cands, parts, criteria({"Rwanda": 2}))
    pairs = result.to_frame()
    assert list(pairs.columns) == [
        "country",
        "partner",
        "candidate_id",
        "municipality",
        "province",
        "value",
        "score",
        "preference",
        "themes",
        "language",
    ]
    assert pairs["candidate_id"].tolist() == ["1", "2"]
    assert (pairs["value"] == pairs[["score", "preference", "themes", "language"]].sum(axis=1)).all()
    why = result.explanations_frame()
    assert why.set_index("candidate_id")["selected"].to_dict() == {
        "1": True,
        "2": True,
        "3": False,
        "4": False,
    }
    assert why.set_index("candidate_id")["score_needed"].to_dict()["3"] == pytest.approx(10.0)


def test_unfilled_reasons_agree_in_number() -> None:
    """One candidate "accepts", several "accept"; no candidate at all is said so, not "only 0"."""
    rows = [cand("1", 60, pref="Benin", langs=["fr"]), cand("2", 70, pref="Benin", langs=["nl"])]
    parts = frame([partner("B1", "Benin"), partner("B2", "Benin"), partner("K1", "Rwanda")])
    result = solve_pairing(frame(rows), parts, criteria({"Benin": 2, "Rwanda": 1}))
    reasons = {u["country"]: u["reason"] for u in result.unfilled}
    assert reasons["Benin"] == (
        "Benin: 1 of 2 filled: only 1 eligible candidate accepts Benin and works in French; "
        "1 more accepts Benin but does not work in French"
    )
    assert reasons["Rwanda"] == "Rwanda: 0 of 1 filled: no eligible candidate accepts Rwanda"


def test_report_says_when_alternatives_only_reshuffle_partners() -> None:
    from matchmaker.pairing import format_report

    # two equal Rwandan districts: the only other pairing swaps them, with the same candidates
    rows = [cand("1", 90, pref="Rwanda", minutes=1), cand("2", 80, pref="Rwanda", minutes=2)]
    parts = frame([partner("R1", "Rwanda"), partner("R2", "Rwanda")])
    swapped = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=1)
    assert swapped.alternatives[0]["gap_pct"] == 0
    assert "every alternative selects the same candidates" in format_report(swapped)
    # a third candidate makes "select someone else" possible: distinct selections say who comes in
    rows.append(cand("3", 70, pref="Rwanda", minutes=3))
    other = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=1, distinct="selection")
    report = format_report(other)
    assert "every alternative selects the same candidates" not in report
    assert "in;" in report and "out" in report
