"""The explanations and the unfilled-slot diagnoses, facts and sentences."""

from __future__ import annotations

import ast
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

from matchmaker import pairing
from matchmaker.criteria import Criteria, LanguageRule
from matchmaker.i18n.wording import change_reason, partner_reasons, unfilled_text, why_text
from matchmaker.pairing import PairingResult, solve_pairing

from .helpers import (
    cand,
    chosen,
    criteria,
    frame,
    partner,
)

CATALOGUE = Path(pairing.__file__).parent.parent / "i18n" / "catalogue.toml"


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
    assert "French" in why["11003"]["why"] and "prefers Benin" in why["11003"]["why"]
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
            "reason": "3 of 4 slots filled: 4 eligible candidates accept Rwanda; "
            "1 comes from a province already at the cap of 2 (Limburg).",
        }
    ]
    # the facts behind the sentence, for the workbook to word in its own language
    facts = result.unfilled[0]
    assert (facts["cause"], facts["filled"], facts["candidates"], facts["capped"]) == ("blocked", 3, 4, 1)
    assert facts["capped_provinces"] == ["Limburg"] and facts["max_per_province"] == 2
    capped = next(e for e in result.explanations if e["candidate_id"] == "3")
    assert capped["cause"] == "province_cap"
    assert "the province of Limburg already has 2 selected" in capped["why"]
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
        "3 of 4 slots filled: only 3 eligible candidates accept Benin and work in French"
    )
    assert "1 more accepts Benin but does not work in French" in reason


def test_unfilled_reasons_agree_in_number() -> None:
    """One candidate "accepts", several "accept"; no candidate at all is said so, not "only 0"."""
    rows = [cand("1", 60, pref="Benin", langs=["fr"]), cand("2", 70, pref="Benin", langs=["nl"])]
    parts = frame([partner("B1", "Benin"), partner("B2", "Benin"), partner("K1", "Rwanda")])
    result = solve_pairing(frame(rows), parts, criteria({"Benin": 2, "Rwanda": 1}))
    reasons = {u["country"]: u["reason"] for u in result.unfilled}
    assert reasons["Benin"] == (
        "1 of 2 slots filled: only 1 eligible candidate accepts Benin and works in French; "
        "1 more accepts Benin but does not work in French."
    )
    assert reasons["Rwanda"] == "0 of 1 slots filled: no eligible candidate accepts Rwanda."


# --- the sentences are the catalogue's: the pairing words its facts with `i18n.wording` in English ---


def _solved_instances() -> list[tuple[PairingResult, Criteria]]:
    """Small instances that between them reach every kind of explanation, unfilled slot and change."""
    out = []
    rows = [
        cand("1", 70, pref="Rwanda", langs=["nl", "en"]),
        cand("2", 60, pref="any", langs=["fr"], themes=["innovation"]),
        cand("3", 65, pref="Benin", langs=["nl"]),  # no French: no pair in Benin
        cand("4", 60, pref="Rwanda", minutes=1),  # ties with 5 and loses on the completion time
        cand("5", 60, pref="Rwanda", minutes=2),
        cand("6", 75, pref="Rwanda", province="Limburg"),
        cand("7", 80, pref="Rwanda", province="Limburg"),
        cand("8", 72, pref="Rwanda", province="Limburg"),  # the province is at its cap
        cand("9", 90, eligible=False),
    ]
    parts = [
        partner("R1", "Rwanda"),
        partner("R2", "Rwanda"),
        partner("R3", "Rwanda"),
        partner("R4", "Rwanda"),
        partner("B1", "Benin", ["innovation"]),
        partner("B2", "Benin", [], True),
        partner("U1", "Uganda"),  # a country without slots
    ]
    for crit in (
        criteria({"Rwanda": 4, "Benin": 2}, cap=2),
        criteria({"Rwanda": 3, "Benin": 1}, min_value=70),
        criteria({"Rwanda": 5, "Benin": 1}, languages={"Benin": LanguageRule(("fr",), "hard")}),
    ):
        out.append((solve_pairing(frame(rows), frame(parts), crit), crit))
    crit = criteria({"Rwanda": 2, "Benin": 1})
    keep = [("1", "R1"), ("4", "R2"), ("3", "B1"), ("9", "R3")]
    out.append((solve_pairing(frame(rows), frame(parts), crit, keep=keep, forbids=[("4", "R2")]), crit))
    out.append((solve_pairing(frame(rows), frame(parts), crit, explain=False), crit))
    return out


def test_the_pairing_holds_no_english_sentences_of_its_own() -> None:
    """The `why` and `reason` texts are `i18n.wording`'s English, for every record of several instances."""
    assert importlib.util.find_spec("matchmaker.pairing.english") is None
    causes, changes = set(), set()
    for result, crit in _solved_instances():
        known = {e["candidate_id"]: e["municipality"] for e in result.explanations}
        for e in result.explanations:
            assert e["why"] == why_text(e, known, "en"), e
            causes.add((e["cause"], e.get("need")))
        for gap in result.unfilled:
            assert gap["reason"] == unfilled_text(gap, "en"), gap
        for change in result.changes:
            assert change["reason"] == change_reason(change, "en"), change
            changes.add(change["cause"])
        for p in result.partners:
            assert p["reasons"] == partner_reasons(p, crit.pairing.quotas, "en"), p
    # the instances reach the sentences they are meant to
    assert {("no_pair", None), ("selected", None), ("tie", "tie"), ("province_cap", "score")} <= causes
    assert {("outranked", "not_computed")} <= causes
    assert {"forbidden", "not_candidate", "new"} <= changes


def _pairing_sentence_fragments() -> set[str]:
    """The fixed words of every pairing sentence of the catalogue in English, four words or more."""
    text = CATALOGUE.read_text(encoding="utf-8")
    section = text[text.index("# ---- pairing:") : text.index("# ---- intake:")]
    entries = tomllib.loads(section.replace("# ---- pairing:", "[sentences]\n#", 1))
    fragments = set()
    for entry in entries.get("sentences", {}).values():
        for piece in re.split(r"\{[^}]*\}", entry["en"]):
            piece = piece.strip(" .:;,()")
            if len(piece.split()) >= 4:
                fragments.add(piece.casefold())
    return fragments


def test_no_module_of_the_pairing_spells_out_a_catalogue_sentence() -> None:
    fragments = _pairing_sentence_fragments()
    assert len(fragments) > 20  # the section was found and read
    package = Path(pairing.__file__).parent
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found = [f for f in fragments if f in node.value.casefold()]
                assert not found, f"{path.name}:{node.lineno} spells out {found}"
