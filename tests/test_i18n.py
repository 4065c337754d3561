"""The workbook's words in Dutch, English and French: labels, numbers, lists and sentences."""

from __future__ import annotations

import re

import pytest

from matchmaker.i18n import (
    _LABELS,
    _SENTENCES,
    LANGS,
    code_label,
    in_languages,
    join_words,
    label,
    number,
    province_of,
    sentence,
)


def test_numbers_take_the_decimal_mark_of_the_language() -> None:
    assert [number(9.6666, lang) for lang in LANGS] == ["9,67", "9.67", "9,67"]
    assert number(100.0, "fr", 1) == "100,0"


def test_lists_end_with_the_language_own_conjunction() -> None:
    words = ["Gent", "Aalst", "Zulte"]
    assert [join_words(words, lang) for lang in LANGS] == [
        "Gent, Aalst en Zulte",
        "Gent, Aalst and Zulte",
        "Gent, Aalst et Zulte",
    ]
    assert join_words(["Gent"], "fr") == "Gent" and join_words([], "nl") == ""
    assert join_words(["A", "B"], "nl", conjunction="or") == "A of B"


def test_working_languages_read_as_a_phrase() -> None:
    assert in_languages(["fr"], "nl") == "in het Frans"
    assert in_languages(["fr", "en"], "nl") == "in het Frans of het Engels"
    assert in_languages(["fr", "en"], "en") == "in French or English"
    assert in_languages(["fr", "en"], "fr") == "en français ou en anglais"


def test_provinces_have_their_names_in_each_language() -> None:
    assert [province_of("Vlaams-Brabant", lang) for lang in LANGS] == [
        "provincie Vlaams-Brabant",
        "the province of Flemish Brabant",
        "la province du Brabant flamand",
    ]
    assert province_of("Antwerpen", "fr") == "la province d'Anvers"
    assert code_label("West-Vlaanderen", "fr") == "Flandre-Occidentale"
    assert province_of("Brussel", "nl") == "provincie Brussel"  # unknown: the name as given


def test_sentences_pick_the_singular_for_one() -> None:
    assert sentence("few_candidates", "nl", n=1, country="Benin", speaking="") == (
        "slechts 1 kandidaat staat open voor Benin"
    )
    assert sentence("few_candidates", "nl", n=2, country="Benin", speaking="") == (
        "slechts 2 kandidaten staan open voor Benin"
    )
    assert sentence("few_candidates", "fr", n=0, country="Bénin", speaking="") == (
        "aucun candidat éligible n'accepte le Bénin"
    )


@pytest.mark.parametrize("table", [_LABELS, _SENTENCES])
def test_every_text_exists_in_three_languages_with_the_same_fields(table: dict[str, tuple[str, ...]]) -> None:
    for key, texts in table.items():
        assert len(texts) == 3 and all(texts), key
        fields = [set(re.findall(r"\{(\w+)\}", t)) for t in texts]
        if key.endswith(("_one", "_none")):  # "un seul", "geen enkele": the count may go unwritten
            fields = [f - {"n"} for f in fields]
        assert fields[0] == fields[1] == fields[2], key


def test_french_puts_a_space_before_colons_and_semicolons() -> None:
    for key, texts in _SENTENCES.items():
        french = texts[2]
        assert not re.search(r"\S[:;]", french), (key, french)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'"):
        label("title", "de")
