"""`matchmaker score`: real form exports and reviewer sheets in, a ranked table and JSON out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import FormWriter, answers

from matchmaker import schema
from matchmaker.cli import main
from matchmaker.criteria import DEFAULT_CRITERIA, load_criteria
from matchmaker.form_mapping import DEFAULT_MAPPING
from matchmaker.reviews import REVIEW_SHEET

INVOLVED = "Wie is binnen uw bestuur betrokken?"
CITY_LINK = "Heeft uw bestuur een actieve stedenband met een partner in het globale Zuiden?"
LABELS = {item.key: item.label for item in load_criteria().rubric}


def three_and_one_ineligible() -> list[dict[str, Any]]:
    return [
        answers(
            1,
            "Stad Gent",
            actors="Middenveld;Scholen;Jeugdraad;",
            rating=4,
            **{
                INVOLVED: "Burgemeester of schepen;Gemeenteraad;Algemeen directeur;Ambtenaren;",
                CITY_LINK: "Nee",
            },
        ),
        answers(
            2,
            "Antwerpen",
            actors="Middenveld;Scholen;Bedrijven;Adviesraad internationale samenwerking;"
            "Jeugdraad;Seniorenraad;",
            rating=5,
            **{INVOLVED: "Gemeenteraad;", CITY_LINK: "Ja"},
        ),
        answers(3, "Brugge", actors="", rating=None, **{INVOLVED: "Ambtenaren;", CITY_LINK: None}),
        answers(4, "Gemeente Zulte", commit=("Ja", "Nee", "Ja", "Ja")),
    ]


# Hand computation (weights 50 / 35 / 15, see tests/test_scoring.py for the same answers):
#   Gent 37.5 + 33.25 + 15 = 85.75; Antwerpen 50 + 14 + 0 = 64;
#   Brugge without reviews: no self-assessment -> motivation 0, involvement 3.5, unknown link 0 = 3.5.
EXPECTED = {"44021": 85.75, "11002": 64.0, "31005": 3.5}


@pytest.fixture
def form(write_form: FormWriter) -> Path:
    return write_form(three_and_one_ineligible(), name="candidacies.xlsx")


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["score", *args])


def test_ranked_table_and_json(form: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    result = run(str(form), "--json", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "3 eligible candidates of 4 submissions; criteria: SDG-partnerschappen 2024-2025"
    table = [line.split() for line in lines[2:5]]
    assert [row[:2] for row in table] == [["1", "Gent"], ["2", "Antwerpen"], ["3", "Brugge"]]
    assert [row[3] for row in table] == ["85.75", "64.00", "3.50"]
    assert lines[2].endswith("motivation 37.50, involvement 33.25")
    assert "note: motivation: no reviews given" in result.output

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == schema.SCORES_SCHEMA
    assert doc["criteria"]["sha256"] == load_criteria().sha256
    by_id = {c[schema.CANDIDATE_ID]: c for c in doc["candidates"]}
    assert len(by_id) == 4
    for cid, total in EXPECTED.items():
        assert by_id[cid][schema.SCORE] == pytest.approx(total)
        assert sum(by_id[cid][schema.BREAKDOWN].values()) == pytest.approx(total)
    assert by_id["44021"][schema.BREAKDOWN] == {
        "motivation": 37.5,
        "involvement": 33.25,
        "no_city_link": 15.0,
    }
    assert [by_id[c][schema.RANK] for c in ("44021", "11002", "31005")] == [1, 2, 3]
    assert by_id["31005"]["motivation_source"] == "none"
    assert by_id["44021"]["motivation_source"] == "self-assessment"
    (zulte,) = [c for c in doc["candidates"] if c[schema.NAME_AS_WRITTEN] == "Gemeente Zulte"]
    assert zulte[schema.ELIGIBLE] is False and zulte[schema.REASONS]
    assert zulte[schema.SCORE] is None and zulte[schema.BREAKDOWN] is None and zulte[schema.RANK] is None
    assert [r[schema.CANDIDATE_ID] for r in doc["ranking"]] == ["44021", "11002", "31005"]


def fill(sheet: Path, ratings: dict[str, dict[str, int]]) -> None:
    wb = openpyxl.load_workbook(sheet)
    ws = wb[REVIEW_SHEET]
    headers = [cell.value for cell in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for key, value in ratings.get(str(row[0].value), {}).items():
            row[headers.index(LABELS[key])].value = value
    wb.save(sheet)


def test_reviews_replace_the_self_assessment(form: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    runner = CliRunner()
    for reviewer, ratings in (
        ("An", {"equal_basis": 5, "openness": 3, "concreteness": 2}),
        ("Bart", {"equal_basis": 3, "openness": 3, "concreteness": 4}),
    ):
        sheet = folder / f"{reviewer}.xlsx"
        made = runner.invoke(main, ["review-sheet", str(form), "--reviewer", reviewer, "--out", str(sheet)])
        assert made.exit_code == 0, made.output
        fill(sheet, {"31005": ratings})
    out = tmp_path / "scores.json"
    result = run(str(form), "--reviews", str(folder), "--json", str(out))
    assert result.exit_code == 0, result.output
    # Brugge: item means 4, 3, 3 -> 10/3; (10/3 - 1) / 4 = 7/12 -> 50 x 7/12 = 29.1667; + 3.5 = 32.6667
    by_id = {c[schema.CANDIDATE_ID]: c for c in json.loads(out.read_text())["candidates"]}
    assert by_id["31005"][schema.BREAKDOWN]["motivation"] == pytest.approx(29.1667)
    assert by_id["31005"][schema.SCORE] == pytest.approx(32.6667)
    assert by_id["31005"]["motivation_source"] == "reviews"
    assert by_id["44021"][schema.SCORE] == pytest.approx(85.75)  # not reviewed: unchanged
    assert "2 of 3 candidates without reviews; their self-assessment (equal_basis_rating) stands in" in (
        result.output
    )
    for method in ("median", "leniency"):
        again = run(
            str(form),
            "--reviews",
            str(folder / "An.xlsx"),
            "--reviews",
            str(folder / "Bart.xlsx"),
            "--aggregate",
            method,
        )
        assert again.exit_code == 0, again.output
        assert "Brugge" in again.output and "reviews" in again.output


def test_a_weight_change_in_the_criteria_file_moves_the_scores(form: Path, tmp_path: Path) -> None:
    criteria = tmp_path / "criteria.toml"
    text = DEFAULT_CRITERIA.read_text(encoding="utf-8")
    criteria.write_text(text.replace("weight = 35\n", "weight = 0\n"), encoding="utf-8")
    result = run(str(form), "--criteria", str(criteria))
    assert result.exit_code == 0, result.output
    # without involvement: Antwerpen 50 + 0 + 0 = 50, Gent 37.5 + 15 = 52.5, Brugge 0
    table = [line.split() for line in result.output.splitlines()[2:5]]
    assert [(row[1], row[3]) for row in table] == [
        ("Gent", "52.50"),
        ("Antwerpen", "50.00"),
        ("Brugge", "0.00"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}/missing.xlsx"], "missing.xlsx"),
        (["{form}", "--criteria", "{tmp}/nope.toml"], "nope.toml: file not found"),
        (["{form}", "--criteria", "{bad_criteria}"], "bad.toml: criteria.involvement.weight: missing"),
        (["{form}", "--reviews", "{tmp}/no-reviews"], "no-reviews"),
        (["{form}", "--json", "{form}"], "is also an input file"),
        (["{form}", "--mapping", "{mapping}", "--json", "{mapping}"], "is also an input file"),
        (["{form}", "--json", "{tmp}"], "is a directory"),
    ],
)
def test_bad_input_exits_2_with_one_message_and_no_output(
    form: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    bad_criteria = tmp_path / "bad.toml"
    bad_criteria.write_text(DEFAULT_CRITERIA.read_text(encoding="utf-8").replace("weight = 35\n", ""))
    mapping = tmp_path / "mapping.toml"
    mapping.write_bytes(DEFAULT_MAPPING.read_bytes())
    form_bytes, mapping_bytes = form.read_bytes(), mapping.read_bytes()
    before = sorted(tmp_path.rglob("*"))
    argv = [a.format(tmp=tmp_path, form=form, bad_criteria=bad_criteria, mapping=mapping) for a in args]
    result = run(*argv, "--json", str(tmp_path / "scores.json")) if "--json" not in argv else run(*argv)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(tmp_path.rglob("*")) == before
    assert form.read_bytes() == form_bytes
    assert mapping.read_bytes() == mapping_bytes


def test_unknown_aggregation_is_a_usage_error(form: Path) -> None:
    result = run(str(form), "--aggregate", "mode")
    assert result.exit_code == 2
    assert "'mode' is not one of 'mean', 'median', 'leniency'" in result.output


def test_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(main, ["score", "--help"])
    assert result.exit_code == 0
    assert "--reviews" in result.output and "--aggregate" in result.output
    assert result.output.strip().splitlines()[-1].strip().startswith("matchmaker score ")
