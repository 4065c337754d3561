"""The explanations and the unfilled-slot diagnoses, facts and sentences."""

from __future__ import annotations

import pytest

from matchmaker.pairing import solve_pairing

from .helpers import (
    cand,
    chosen,
    criteria,
    frame,
    partner,
)


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
