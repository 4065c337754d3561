"""form_mapping.py: the mapping file, header matching, option texts to codes."""

from __future__ import annotations

import tomllib
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from toml_helpers import TOML_VALUES, Path_, paths, replaced

from matchmaker import schema as s
from matchmaker.errors import CriteriaError
from matchmaker.form_mapping import (
    DEFAULT_MAPPING,
    FORM_FIELDS,
    answer_text,
    fold,
    header_key,
    is_blank,
    load_mapping,
    option_codes,
    parse_multi,
)


def test_option_codes_and_parse_multi() -> None:
    mapping = load_mapping()
    assert option_codes(mapping, s.THEMES) == {
        "Innovatie": "innovation",
        "Waardig werk": "decent_work",
        "Ongelijkheid": "inequality",
        "Hernieuwbare energie": "renewable_energy",
    }
    assert option_codes(None, s.LANGUAGES) == {"Nederlands": "nl", "Frans": "fr", "Engels": "en"}
    codes = option_codes(mapping, s.LANGUAGES)
    assert parse_multi("Engels;Frans;", codes) == (["fr", "en"], [])
    assert parse_multi(" frans ; ; Swahili", codes) == (["fr"], ["Swahili"])
    assert parse_multi(None, codes) == ([], [])
    assert parse_multi(float("nan"), codes) == ([], [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = 'x'", "version = 1"),
        ("version = 1\n[columns]\n'Id' = 'nonsense'", "unknown field"),
        ("version = 1\n[columns]\n'A' = 'motivation'\n'B' = 'motivation'", "mapped twice"),
        ("version = 1\n[columns]\n'A' = 'themes'", "no [options.themes]"),
        ("version = 1\n[columns]\n'A' = 'themes'\n[options.themes]\n'X' = 'bogus'", "code must be one of"),
        ("version = 1\n[columns]\n'A' = 'motivation'\n[required]\nfields = ['completed']", "no column"),
        ("version = [", "not a valid TOML"),
        ("version = 1\ndayfirst = 'no'\n[columns]\n'A' = 'motivation'", "dayfirst: expected true or false"),
        ("version = 1\nx = " + "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ],
)
def test_a_bad_mapping_file_is_a_criteria_error(tmp_path: Path, text: str, message: str) -> None:
    mapping = tmp_path / "bad.toml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(CriteriaError, match=r"bad\.toml") as info:
        load_mapping(mapping)
    assert message in str(info.value)


def test_a_missing_mapping_file() -> None:
    with pytest.raises(CriteriaError, match=r"nowhere\.toml"):
        load_mapping(ROOT / "nowhere.toml")


def test_the_default_mapping_maps_every_required_field_to_a_header() -> None:
    mapping = load_mapping()
    assert mapping.path == DEFAULT_MAPPING
    assert mapping.sha256 is not None and len(mapping.sha256) == 64
    assert set(mapping.headers) <= set(FORM_FIELDS)
    for fld in mapping.required:
        assert mapping.field_for(mapping.headers[fld]) == fld


def test_headers_and_answers_compare_without_case_accents_dashes_or_spaces() -> None:
    assert fold("  Éénmalig  –  ‘Ja’ ") == "eenmalig - 'ja'"
    assert header_key("Naam van het lokaal bestuur ?") == header_key("naam  van het LOKAAL bestuur:")
    mapping = load_mapping()
    assert mapping.field_for("NAAM VAN HET LOKAAL BESTUUR?") == s.NAME_AS_WRITTEN
    assert mapping.field_for("a question nobody asked") is None


def test_answer_text_and_blanks() -> None:
    assert answer_text("  Gent ") == "Gent"
    assert answer_text(4.0) == "4"
    assert answer_text(pd.Timestamp("2023-10-16 14:32")) == "2023-10-16T14:32:00"
    assert answer_text("   ") is None
    assert answer_text(float("nan")) is None
    assert is_blank(None) and is_blank(" ") and is_blank(pd.NA) and not is_blank(0)


def test_pieces_joined_with_another_separator_are_read_when_each_is_an_option() -> None:
    codes = option_codes(None, s.LANGUAGES)
    assert parse_multi("Engels, Frans", codes) == (["fr", "en"], [])
    assert parse_multi("Engels, Swahili", codes) == ([], ["Engels, Swahili"])
    assert parse_multi(5.0, codes) == ([], ["5"])


# --- every key type-checked -----------------------------------------------------------------------------

_MAPPING_DOC = tomllib.loads(DEFAULT_MAPPING.read_text(encoding="utf-8"))
_MAPPING_PATHS = list(paths(_MAPPING_DOC))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(_MAPPING_PATHS), value=TOML_VALUES)
def test_any_value_at_any_key_is_a_criteria_error_naming_the_file(where: Path_, value: object) -> None:
    doc = replaced(_MAPPING_DOC, where, value)
    with mock.patch("matchmaker.form_mapping.tomllib.loads", return_value=doc):
        try:
            load_mapping(DEFAULT_MAPPING)
        except CriteriaError as exc:
            message = str(exc)
            assert message.startswith(f"{DEFAULT_MAPPING}: ") and "\n" not in message, message
