"""criteria.py: the shipped criteria file loads as written, and every kind of bad file is refused."""

from __future__ import annotations

import hashlib
import math
import tomllib
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from toml_helpers import TOML_VALUES, Path_, paths, replaced

from matchmaker import schema
from matchmaker.criteria import (
    DEFAULT_CRITERIA,
    AnswerSource,
    ChoicesSource,
    Criteria,
    RubricSource,
    load_criteria,
)
from matchmaker.errors import CriteriaError, MatchmakerError

DEFAULT_TEXT = DEFAULT_CRITERIA.read_text(encoding="utf-8")


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    assert DEFAULT_TEXT.count(old) == 1, f"the default criteria file no longer holds {old!r} once"
    path = tmp_path / "variant.toml"
    path.write_text(DEFAULT_TEXT.replace(old, new), encoding="utf-8")
    return path


def test_default_file_loads_with_path_and_checksum() -> None:
    criteria = load_criteria()
    assert criteria.path == DEFAULT_CRITERIA
    assert criteria.sha256 == hashlib.sha256(DEFAULT_CRITERIA.read_bytes()).hexdigest()
    assert criteria.version == 1
    assert [c.key for c in criteria.criteria] == ["motivation", "involvement", "no_city_link"]
    assert {c.key: c.weight for c in criteria.criteria} == {
        "motivation": 50.0,
        "involvement": 35.0,
        "no_city_link": 15.0,
    }
    assert [item.key for item in criteria.rubric] == ["equal_basis", "openness", "concreteness"]
    assert criteria.rubric_scale == (1, 5)
    assert criteria.tie_break == ("completed", "refnis")


def test_default_file_keeps_the_shapes_other_stages_read() -> None:
    criteria = load_criteria()
    assert criteria.eligibility.require == schema.COMMITMENTS
    assert criteria.eligibility.require_flemish is True
    assert dict(criteria.pairing.quotas) == {"Rwanda": 4, "Benin": 4}
    assert criteria.pairing.max_per_province == 2
    assert criteria.pairing.min_value is None  # commented out in the file
    assert criteria.pairing.budget_per_partnership == 35000
    assert criteria.pairing.fit.theme_overlap == 10.0
    assert criteria.pairing.languages["Benin"].any_of == ("fr",)
    assert criteria.pairing.languages["Benin"].mode == "hard"
    assert criteria.pairing.languages["Rwanda"].mode == "soft"


def test_default_criteria_specs() -> None:
    criteria = load_criteria()
    motivation = criteria.criterion("motivation")
    assert isinstance(motivation.spec, RubricSource)
    assert motivation.spec.items == ("equal_basis", "openness", "concreteness")
    assert motivation.spec.fallback == schema.EQUAL_BASIS_RATING
    assert motivation.bounds == (1.0, 5.0)
    involvement = criteria.criterion("involvement")
    assert isinstance(involvement.spec, ChoicesSource)
    assert involvement.spec.bonus_when == ("political", "administrative")
    # 1.5 + 1 + 1.5 + 1 + bonus 2 + capped other actors 3
    assert involvement.spec.maximum() == 10.0
    assert involvement.bounds == (0.0, 10.0)
    link = criteria.criterion("no_city_link")
    assert isinstance(link.spec, AnswerSource)
    assert (link.spec.yes, link.spec.no, link.spec.unknown) == (0.0, 1.0, 0.0)
    with pytest.raises(KeyError):
        criteria.criterion("charisma")


def test_with_weights_changes_only_the_weights() -> None:
    criteria = load_criteria()
    changed = criteria.with_weights({"involvement": 60})
    assert [c.weight for c in changed.criteria] == [50.0, 60.0, 15.0]
    assert changed.criteria[1].spec == criteria.criteria[1].spec
    assert changed.sha256 is None  # the weights are no longer the file's
    with pytest.raises(CriteriaError, match="unknown criterion charisma"):
        criteria.with_weights({"charisma": 1})
    with pytest.raises(CriteriaError, match="weight"):
        criteria.with_weights({"motivation": -1})
    with pytest.raises(CriteriaError, match="weight"):
        criteria.with_weights({"motivation": math.nan})


# (replace this text, by this, the dotted key the message must name, a fragment of what it says)
BAD_EDITS = [
    pytest.param(
        'name = "SDG', 'colour = "red"\nname = "SDG', "colour", "valid: version, name", id="unknown-top-key"
    ),
    pytest.param(
        "weight = 50\n",
        "weight = 50\nwieght = 5\n",
        "criteria.motivation.wieght",
        "unknown key",
        id="unknown-criterion-key",
    ),
    pytest.param(
        "preference_match = 5.0",
        "preferense_match = 5.0",
        "pairing.fit.preferense_match",
        "valid: preference_match",
        id="unknown-fit-key",
    ),
    pytest.param(
        "require_flemish = true\n",
        "require_flemish = true\nrequire_belgian = true\n",
        "eligibility.require_belgian",
        "unknown key",
        id="unknown-eligibility-key",
    ),
    pytest.param(
        'label = "Openheid om te leren"',
        'label = "Openheid om te leren"\nlevel = 2',
        "rubric.items.openness.level",
        "valid: label, description",
        id="unknown-rubric-key",
    ),
    pytest.param("weight = 35\n", "", "criteria.involvement.weight", "missing", id="missing-weight"),
    pytest.param(
        "weight = 15\n",
        "weight = -15\n",
        "criteria.no_city_link.weight",
        "a number >= 0",
        id="negative-weight",
    ),
    pytest.param(
        "weight = 15\n",
        'weight = "vijftien"\n',
        "criteria.no_city_link.weight",
        "expected a number",
        id="weight-not-a-number",
    ),
    pytest.param(
        "bounds = [0, 10]",
        "bounds = [10, 0]",
        "criteria.involvement.bounds",
        "bounds reversed",
        id="bounds-reversed",
    ),
    pytest.param(
        "bounds = [1, 5]  ",
        "bounds = [5, 5]  ",
        "criteria.motivation.bounds",
        "lowest < highest",
        id="bounds-equal",
    ),
    pytest.param(
        "scale = [1, 5]", "scale = [5, 1]", "rubric.scale", "bounds reversed", id="rubric-scale-reversed"
    ),
    pytest.param(
        "bounds = [0, 10]",
        "bounds = [0, 8]",
        "criteria.involvement.bounds",
        "does not cover the reachable raw values 0..10",
        id="bounds-too-narrow",
    ),
    pytest.param(
        'source = "answer"',
        'source = "survey"',
        "criteria.no_city_link.source",
        "valid: rubric, choices, answer",
        id="unknown-source",
    ),
    pytest.param(
        'field = "city_link"',
        'field = "stedenband"',
        "criteria.no_city_link.field",
        "valid: city_link",
        id="form-field-not-in-schema",
    ),
    pytest.param(
        'field = "other_actors"',
        'field = "actors"',
        "criteria.involvement.groups.other_actors.field",
        "valid: involved, other_actors",
        id="choice-field-not-in-schema",
    ),
    pytest.param(
        'fallback = "equal_basis_rating"',
        'fallback = "motivation"',
        "criteria.motivation.fallback",
        "valid: equal_basis_rating",
        id="fallback-not-a-rating",
    ),
    pytest.param(
        'items = ["equal_basis", "openness", "concreteness"]',
        'items = ["equal_basis", "enthusiasm"]',
        "criteria.motivation.items",
        "valid: equal_basis, openness, concreteness",
        id="rubric-item-not-in-rubric",
    ),
    pytest.param(
        "mayor_aldermen = 1.5",
        "mayor = 1.5",
        "criteria.involvement.groups.political.points.mayor",
        "unknown code; valid: mayor_aldermen",
        id="unknown-choice-code",
    ),
    pytest.param(
        "mayor_aldermen = 1.5, council = 1.0 }",
        "mayor_aldermen = 1.5, council = -1.0 }",
        "criteria.involvement.groups.political.points.council",
        "a number >= 0",
        id="negative-points",
    ),
    pytest.param(
        "general_director = 1.5",
        "mayor_aldermen = 1.5",
        "criteria.involvement.groups.administrative.points.mayor_aldermen",
        "already counted in group 'political'",
        id="code-in-two-groups",
    ),
    pytest.param(
        "cap = 3.0 ",
        "",
        "criteria.involvement.groups.other_actors.cap",
        "need a cap",
        id="free-text-without-cap",
    ),
    pytest.param(
        'when_all = ["political", "administrative"]',
        'when_all = ["political", "civil"]',
        "criteria.involvement.bonus.when_all",
        "valid: political, administrative, other_actors",
        id="bonus-unknown-group",
    ),
    pytest.param(
        "unknown = 0 ",
        "unknown = 2 ",
        "criteria.no_city_link.unknown",
        "outside the bounds",
        id="unknown-value-outside-bounds",
    ),
    pytest.param(
        "quotas = { Rwanda = 4, Benin = 4 }",
        "quotas = { Rwanda = -1, Benin = 4 }",
        "pairing.quotas.Rwanda",
        "whole number >= 0",
        id="negative-quota",
    ),
    pytest.param(
        "quotas = { Rwanda = 4, Benin = 4 }",
        "quotas = { Rwanda = 4, Burundi = 4 }",
        "pairing.quotas.Burundi",
        "unknown country; valid: Rwanda, Benin",
        id="quota-unknown-country",
    ),
    pytest.param(
        "max_per_province = 2",
        "max_per_province = 0",
        "pairing.max_per_province",
        "whole number >= 1",
        id="province-cap-zero",
    ),
    pytest.param(
        "[pairing.languages.Rwanda]",
        "[pairing.languages.Burundi]",
        "pairing.languages.Burundi",
        "unknown country",
        id="language-unknown-country",
    ),
    pytest.param(
        'mode = "hard" ',
        'mode = "strict" ',
        "pairing.languages.Benin.mode",
        "valid: hard, soft",
        id="language-mode",
    ),
    pytest.param(
        'any_of = ["fr"]',
        'any_of = ["french"]',
        "pairing.languages.Benin.any_of",
        "valid: nl, fr, en",
        id="language-code",
    ),
    pytest.param(
        'order = ["completed", "refnis"]',
        'order = ["completed", "postcode"]',
        "tie_break.order",
        "valid: completed, started, refnis",
        id="tie-break-unknown",
    ),
    pytest.param(
        'order = ["completed", "refnis"]',
        'order = ["refnis", "refnis"]',
        "tie_break.order",
        "listed twice",
        id="tie-break-twice",
    ),
    pytest.param(
        '"commit_sessions", "commit_visit"',
        '"commit_sessions", "commit_visits"',
        "eligibility.require",
        "valid: commit_sessions",
        id="unknown-commitment",
    ),
    pytest.param(
        "version = 1\n",
        "version = 2\n",
        "version",
        "unsupported version 2; valid: 1",
        id="version-unsupported",
    ),
    pytest.param(
        "version = 1\n# Selection", "# Selection", "version", "must be the first key", id="version-missing"
    ),
    pytest.param("[tie_break]\n", "[tie_breaker]\n", "tie_breaker", "unknown key", id="misspelt-table"),
    pytest.param(
        "weight = 50\n", "weight = 1e308\n", "criteria.motivation.weight", "not a sane", id="huge-weight"
    ),
    pytest.param("Rwanda = 4,", "Rwanda = 4000000000,", "pairing.quotas", "not a sane", id="huge-quota"),
]


@pytest.mark.parametrize(("old", "new", "key", "fragment"), BAD_EDITS)
def test_bad_criteria_file_names_file_key_and_valid_values(
    tmp_path: Path, old: str, new: str, key: str, fragment: str
) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(CriteriaError) as caught:
        load_criteria(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert f": {key}: " in message or f": {key}." in message, message
    assert fragment in message, message
    assert caught.value.exit_code == 2
    assert isinstance(caught.value, MatchmakerError)


def test_version_must_come_first(tmp_path: Path) -> None:
    name_line = 'name = "SDG-partnerschappen 2024-2025"\n'
    text = DEFAULT_TEXT.replace("version = 1\n", "").replace(name_line, name_line + "version = 1\n")
    path = tmp_path / "late-version.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CriteriaError, match=r"version: must be the first key of the file"):
        load_criteria(path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(CriteriaError, match=rf"^{path}: file not found$"):
        load_criteria(path)


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="is a folder"):
        load_criteria(tmp_path)


def test_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "criteria.toml"
    path.write_text("version = 1\nthis is not = = toml\n", encoding="utf-8")
    with pytest.raises(CriteriaError, match=rf"^{path}: not a valid TOML file \(.*line 2"):
        load_criteria(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "criteria.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\xff\xfe binary")
    with pytest.raises(CriteriaError, match=rf"^{path}: not a TOML file"):
        load_criteria(path)


def test_a_criterion_can_be_added_by_configuration(tmp_path: Path) -> None:
    extra = """
[criteria.board_approval]
label = "Goedkeuring college"
weight = 5
source = "answer"
field = "commit_feedback"
bounds = [0, 1]
yes = 1
no = 0
unknown = 0
"""
    path = write_variant(tmp_path, "\n[pairing]\n", f"{extra}\n[pairing]\n")
    criteria = load_criteria(path)
    assert isinstance(criteria, Criteria)
    assert [c.key for c in criteria.criteria][-1] == "board_approval"
    assert criteria.criterion("board_approval").weight == 5.0


def test_optional_pairing_keys_absent_mean_no_limit(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "max_per_province = 2\n", "")
    assert load_criteria(path).pairing.max_per_province is None


def test_deeply_nested_criteria_are_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("version = 1\nx = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(CriteriaError, match="nested too deeply"):
        load_criteria(path)


# --- every key type-checked -----------------------------------------------------------------------------

_CRITERIA_DOC = tomllib.loads(DEFAULT_CRITERIA.read_text(encoding="utf-8"))
_CRITERIA_PATHS = list(paths(_CRITERIA_DOC))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(_CRITERIA_PATHS), value=TOML_VALUES)
def test_any_value_at_any_key_is_a_criteria_error_naming_the_file(where: Path_, value: object) -> None:
    doc = replaced(_CRITERIA_DOC, where, value)
    with mock.patch("matchmaker.criteria.tomllib.loads", return_value=doc):
        try:
            load_criteria(DEFAULT_CRITERIA)
        except CriteriaError as exc:
            message = str(exc)
            assert message.startswith(f"{DEFAULT_CRITERIA}: ") and "\n" not in message, message


def test_the_file_may_give_its_texts_in_french_and_english(tmp_path: Path) -> None:
    criteria = load_criteria()
    assert criteria.name_in("fr") == "Partenariats ODD 2024-2025"
    assert criteria.name_in("nl") == criteria.name == "SDG-partnerschappen 2024-2025"
    item = next(i for i in criteria.rubric if i.key == "equal_basis")
    assert item.labels["fr"] == "Échange d'égal à égal" and item.descriptions["en"].startswith("Wants")
    assert criteria.criterion("involvement").labels == {
        "en": "Breadth of involvement",
        "fr": "Ampleur de l'implication",
    }
    # the translations are texts, not settings of the criterion
    assert "label_fr" not in criteria.criterion("involvement").params
    # without them the title stays as written; a language the workbook does not speak is refused
    bare = load_criteria(write_variant(tmp_path, 'name_fr = "Partenariats ODD 2024-2025"\n', ""))
    assert bare.name_in("fr") == bare.name
    with pytest.raises(CriteriaError, match="name_de"):
        load_criteria(write_variant(tmp_path, 'name_fr = "', 'name_de = "'))
    with pytest.raises(CriteriaError, match=r"rubric.items.openness.label_fr"):
        load_criteria(write_variant(tmp_path, 'label_fr = "Ouverture à l\'apprentissage"', "label_fr = 3"))
