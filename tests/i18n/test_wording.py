"""Facts to sentences: each wording function words recorded facts in nl, en and fr, and keeps the
recorded sentence when the facts do not say enough; none of them reads English back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matchmaker import schema as s
from matchmaker.i18n.wording import (
    change_reason,
    change_text,
    display_name,
    gone_text,
    obstacle_phrase,
    pair_key,
    partner_facts,
    partner_reason,
    partner_reasons,
    unfilled_text,
    why_text,
)
from matchmaker.pipeline import run

QUOTAS = {"Rwanda": 4, "Benin": 4}


def partner(**fields: Any) -> dict[str, Any]:
    record = {
        s.PARTNER: "Karongi",
        s.COUNTRY: "Rwanda",
        s.HAS_FLEMISH_LINK: False,
        s.ELIGIBLE: True,
        s.REASONS: [],
    }
    return {**record, **fields}


def test_a_linked_partner_is_worded_from_its_flag() -> None:
    linked = partner(**{s.HAS_FLEMISH_LINK: True, s.ELIGIBLE: False, s.REASONS: ["recorded"]})
    assert partner_facts(linked, QUOTAS) == [{"code": "linked"}]
    assert partner_reasons(linked, QUOTAS, "nl") == ["heeft al een stedenband met een Vlaams lokaal bestuur"]
    assert partner_reasons(linked, QUOTAS, "fr") == ["a déjà un jumelage avec une collectivité flamande"]


def test_a_partner_without_slots_is_worded_from_its_country_quota() -> None:
    benin = partner(**{s.COUNTRY: "Benin", s.ELIGIBLE: False, s.REASONS: ["no slots for Benin"]})
    quotas = {"Rwanda": 4}
    assert partner_facts(benin, quotas) == [{"code": "no_slots", s.COUNTRY: "Benin"}]
    assert partner_reasons(benin, quotas, "nl") == ["geen plaatsen voor Benin"]
    assert partner_reasons(benin, {**quotas, "Benin": 0}, "fr") == ["aucune place pour le Bénin"]


def test_recorded_reasons_stay_when_the_facts_do_not_go_with_them() -> None:
    # the English is never read: a sentence that looks like "no slots" stays as written when the
    # country has slots, and a table's own reasons stay beside no facts
    odd = partner(**{s.ELIGIBLE: False, s.REASONS: ["no slots for Rwanda"]})
    assert partner_facts(odd, QUOTAS) == []
    assert partner_reasons(odd, QUOTAS, "nl") == ["no slots for Rwanda"]
    own = partner(**{s.ELIGIBLE: False, s.REASONS: ["withdrew", "no reply"], s.HAS_FLEMISH_LINK: True})
    assert partner_reasons(own, QUOTAS, "nl") == ["withdrew", "no reply"]
    assert partner_reasons(partner(), QUOTAS, "nl") == []
    assert partner_reasons(partner(**{s.REASONS: "text"}), QUOTAS, "nl") == "text"
    assert partner_reason({"code": "newer"}, "nl") is None


def test_display_names_and_pairs() -> None:
    known = {"44021": "Gent"}
    assert display_name(known, "44021") == "Gent"
    assert display_name(known, "11002") == "11002"
    assert display_name(known, None) == ""
    assert pair_key({s.CANDIDATE_ID: 44021, s.PARTNER: "Karongi"}) == ("44021", "Karongi")
    assert pair_key(["44021", "Karongi"]) == ("44021", "Karongi")
    with pytest.raises(ValueError, match="not a pair"):
        pair_key("44021=Karongi")


def test_a_record_without_facts_keeps_its_recorded_sentence() -> None:
    assert why_text({"why": "engine sentence", "cause": "outranked"}, {}, "nl") == "engine sentence"
    assert unfilled_text({"reason": "engine reason", "cause": "newer"}, "fr") == "engine reason"
    assert gone_text({"reason": "new pair"}, "nl") is None
    assert gone_text({"reason": "recorded"}, "nl") == "recorded"
    assert obstacle_phrase({"kind": "newer"}, "nl") is None


def test_a_change_names_the_pairs_it_involves_in_the_language() -> None:
    change = {
        s.CANDIDATE_ID: "44021",
        s.PARTNER: "Karongi",
        "change": "added",
        "decision": "lock",
        "source": {"sheet": "Koppelingen", "row": 3},
        "related": [["11002", "Karongi"]],
    }
    known = {"11002": "Antwerpen"}
    nl = change_text(change, known, "nl")
    assert "Antwerpen – Karongi" in nl
    assert "Koppelingen" in nl and "3" in nl
    assert change_text(change, known, "fr", kind=False) in change_text(change, known, "fr")


# --- every sentence of a real run renders in every language ------------------------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def sample_run() -> Any:
    """The sample paired twice: once as it is, once keeping a previous shortlist, some of whose
    pairs can no longer stay (a pair against the language rule, a forbidden one, an unknown one)."""
    forms, partners = SAMPLE / "candidacies.xlsx", SAMPLE / "partners.csv"
    first = run(forms, partners, reviews=[SAMPLE / "reviews"])
    keep = [(p[s.CANDIDATE_ID], p[s.PARTNER]) for p in first.pairs]
    benin = next(p[s.PARTNER] for p in first.pairs if p[s.COUNTRY] == "Benin")
    outsider = next(e[s.CANDIDATE_ID] for e in first.explanations if e["cause"] == "no_pair")
    keep += [(outsider, benin)]
    second = run(forms, partners, reviews=[SAMPLE / "reviews"], keep=keep, forbids=[keep[0]])
    return first, second


def test_every_sentence_of_the_sample_renders_in_nl_en_and_fr(sample_run: Any) -> None:
    causes = set()
    for result in sample_run:
        known = {e[s.CANDIDATE_ID]: e[s.MUNICIPALITY] for e in result.explanations}
        quotas = result.constraints["per_country"]
        texts = []
        for lang in ("nl", "en", "fr"):
            for e in result.explanations:
                texts.append(why_text(e, known, lang))
                causes.add(e["cause"])
            texts += [unfilled_text(gap, lang) for gap in result.unfilled]
            texts += [change_reason(c, lang) for c in result.changes]
            texts += [r for p in result.partners for r in partner_reasons(p, quotas, lang)]
            for e in result.explanations:
                texts += [obstacle_phrase(o, lang) for o in e.get("obstacles") or ()]
        for text in texts:
            assert isinstance(text, str) and text, text
            assert "{" not in text and "}" not in text, text
    assert sample_run[1].changes and any(c["change"] == "dropped" for c in sample_run[1].changes)
    assert {"selected", "no_pair", "outranked"} <= causes
    # Oost-Vlaanderen is full, but one more seat for it would select nobody: the cap is never the cause
    assert "province_cap" not in causes
