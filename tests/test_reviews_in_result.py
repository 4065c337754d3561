"""The reviewers' agreement and disagreements travel from `pair --reviews` into the JSON, the printed
report and the workbook; without reviews, all three say that the self-assessment stood in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from matchmaker.audit import verify
from matchmaker.cli import main
from matchmaker.criteria import load_criteria
from matchmaker.decisions import read_decisions
from matchmaker.export import SHEET_OVERVIEW, SHEET_SHORTLIST, build_workbook
from matchmaker.export.terminal import review_lines
from matchmaker.i18n import label
from matchmaker.intake import read_form
from matchmaker.pairing import PairingResult
from matchmaker.pipeline import run
from matchmaker.reviews import read_reviews

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
FORMS = SAMPLE / "candidacies.xlsx"
PARTNERS = SAMPLE / "partners.csv"
REVIEWS = SAMPLE / "reviews"
# the two disagreements of two points planted in the sample reviews (matchmaker.sample._sample_ratings)
PLANTED = {"Zoersel", "Brasschaat"}


def _pair(folder: Path, name: str, *extra: str) -> tuple[Any, dict[str, Any], openpyxl.Workbook]:
    out, doc = folder / f"{name}.xlsx", folder / f"{name}.json"
    args = ["pair", str(FORMS), "--partners", str(PARTNERS), "--out", str(out), "--json", str(doc), *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result, json.loads(doc.read_text(encoding="utf-8")), openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any], openpyxl.Workbook, Path]:
    folder = tmp_path_factory.mktemp("reviewed")
    result, doc, wb = _pair(folder, "nl", "--reviews", str(REVIEWS))
    return result, doc, wb, folder / "nl.json"


@pytest.fixture(scope="module")
def unreviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any], openpyxl.Workbook]:
    return _pair(tmp_path_factory.mktemp("unreviewed"), "nl")


@pytest.fixture(scope="module")
def sample_reviews() -> Any:
    criteria = load_criteria()
    candidates = read_form(FORMS, eligibility=criteria.eligibility).candidates
    return read_reviews(REVIEWS, criteria, candidates)


def rows(ws: Worksheet) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def section(ws: Worksheet, title: str, next_title: str) -> list[list[Any]]:
    """The rows of the Overzicht between two section titles."""
    values = rows(ws)
    start = next(i for i, r in enumerate(values) if r[0] == title)
    end = next(i for i, r in enumerate(values) if r[0] == next_title and i > start)
    return values[start + 1 : end]


def shortlist_marks(wb: openpyxl.Workbook, lang: str) -> dict[str, Any]:
    """Municipality -> the disagreement marker on the Shortlist, for the marked rows."""
    ws = wb[SHEET_SHORTLIST]
    names = [c.value for c in ws[1]]
    j, k = names.index(label("reviewer_disagreement", lang)), names.index(label("municipality", lang))
    return {r[k].value: r[j].value for r in ws.iter_rows(min_row=2) if r[j].value}


def test_the_json_carries_agreement_per_item_and_the_planted_disagreements(
    reviewed: tuple[Any, dict[str, Any], openpyxl.Workbook, Path], sample_reviews: Any
) -> None:
    _, doc, _, _ = reviewed
    block = doc["reviews"]
    expected = sample_reviews.agreement()
    assert set(block["agreement"]) == set(expected) == {"equal_basis", "openness", "concreteness"}
    for item, alpha in expected.items():
        assert block["agreement"][item] == pytest.approx(alpha)
    assert {d["municipality"] for d in block["disagreements"]} == PLANTED
    assert block["disagreements"] == sample_reviews.disagreements()
    assert all(d["spread"] >= 2 and len(d["ratings"]) == 3 for d in block["disagreements"])
    assert block["given"] is True and block["aggregate"] == "mean" and block["threshold"] == 2
    assert block["reviewers"] == list(sample_reviews.reviewers) and len(block["reviewers"]) == 3
    assert block["ratings"] == len(sample_reviews.ratings)
    assert block["labels"]["concreteness"] == "Concrete inbreng"
    eligible = [c for c in doc["candidates"] if c["eligible"]]
    assert block["motivation_source"] == {"reviews": len(eligible)}
    # every key the result had before is still there
    for key in ("schema", "pairs", "candidates", "manifest", "explanations", "changes", "issues"):
        assert key in doc
    recorded = [e for e in doc["manifest"]["inputs"] if e["role"] == "reviews"]
    assert sorted(Path(e["path"]).name for e in recorded) == [
        "reviewer-a.xlsx",
        "reviewer-b.xlsx",
        "reviewer-c.xlsx",
    ]


def test_pair_prints_the_agreement_after_an_unchanged_table(
    reviewed: tuple[Any, dict[str, Any], openpyxl.Workbook, Path],
) -> None:
    result, doc, _, _ = reviewed
    out = result.stdout
    table = out[: out.index("Reviews:")]
    assert len([line for line in table.splitlines() if line.startswith(("Rwanda ", "Benin "))]) == 7
    assert "Agreement (Krippendorff's alpha, interval): Gelijkwaardige uitwisseling " in out
    assert "Reviewers differ by 2 points or more on 2 rating(s):" in out
    for d in doc["reviews"]["disagreements"]:
        line = next(li for li in out.splitlines() if li.strip().startswith(f"{d['municipality']} ("))
        assert all(f"{r} {v}" in line for r, v in d["ratings"].items())
    assert "Agreement" not in result.stderr


def test_the_workbook_shows_reviewers_agreement_and_disagreements_in_dutch(
    reviewed: tuple[Any, dict[str, Any], openpyxl.Workbook, Path], sample_reviews: Any
) -> None:
    _, doc, wb, _ = reviewed
    block = section(wb[SHEET_OVERVIEW], "Beoordelingen", "Deze berekening")
    by_label = {r[0]: r[1:] for r in block if r[0] is not None}
    assert by_label["Beoordelaars"][0] == "; ".join(sample_reviews.reviewers)
    assert by_label["Gegeven scores"][0] == len(sample_reviews.ratings)
    assert by_label["Scores waarop beoordelaars 2 punten of meer verschillen"][0] == 2
    assert by_label["Rubriekitem"][:2] == ["Krippendorffs alfa", "Betekenis"]
    criteria = load_criteria()
    for item in criteria.rubric:
        alpha = sample_reviews.agreement()[item.key]
        assert by_label[item.label][0] == pytest.approx(alpha)
    header = by_label["Gemeente"]
    assert header == ["NIS-code", "Rubriekitem", "Verschil", "Scores per beoordelaar"]
    firsts = [r[0] for r in block]
    shown = {
        r[0]: r[1:] for r in block[firsts.index("Gemeente") + 1 : firsts.index("Belangenconflicten")] if r[0]
    }
    assert set(shown) == PLANTED
    # the sample's one conflict of interest, declared by Reviewer B on the sheet
    conflicts = block[firsts.index("Belangenconflicten") + 1 :]
    assert conflicts[0][:4] == ["Beoordelaar", "Gemeente", "NIS-code", "Gemeld"]
    (declared,) = doc["reviews"]["conflicts"]
    assert conflicts[1][:4] == [
        declared["reviewer"],
        declared["municipality"],
        int(declared["candidate_id"]) if isinstance(conflicts[1][2], int) else declared["candidate_id"],
        "door de beoordelaar, op het blad",
    ]
    for d in doc["reviews"]["disagreements"]:
        refnis, item, spread, ratings = shown[d["municipality"]][:4]
        assert str(refnis) == d["candidate_id"] and spread == d["spread"]
        assert item == doc["reviews"]["labels"][d["item"]]
        assert ratings.splitlines() == [f"{r}: {v}" for r, v in d["ratings"].items()]
    marks = shortlist_marks(wb, "nl")
    assert set(marks) == PLANTED
    assert marks["Zoersel"].startswith("Concrete inbreng (")


def test_the_workbook_shows_them_in_french(tmp_path: Path, sample_reviews: Any) -> None:
    _, doc, wb = _pair(tmp_path, "fr", "--reviews", str(REVIEWS), "--lang", "fr")
    block = section(wb[SHEET_OVERVIEW], "Évaluations", "Ce calcul")
    by_label = {r[0]: r[1:] for r in block if r[0] is not None}
    assert by_label["Évaluateurs"][0] == "; ".join(sample_reviews.reviewers)
    assert by_label["Combinées par"][0] == "la moyenne"
    assert by_label["Notes où les évaluateurs divergent de 2\u00a0points ou plus"][0] == 2
    assert by_label["Critère de la grille"][:2] == ["Alpha de Krippendorff", "Lecture"]
    assert any(str(r[0]).startswith("Alpha de Krippendorff\u00a0:") for r in block)
    firsts = [r[0] for r in block]
    start, end = firsts.index("Commune flamande") + 1, firsts.index("Conflits d'intérêts")
    shown = {r[0]: r[1:] for r in block[start:end] if r[0]}
    assert set(shown) == PLANTED
    for d in doc["reviews"]["disagreements"]:
        ratings = shown[d["municipality"]][3]
        assert ratings.splitlines() == [f"{r}\u00a0: {v}" for r, v in d["ratings"].items()]
    assert set(shortlist_marks(wb, "fr")) == PLANTED


def test_without_reviews_everything_says_the_self_assessment_stood_in(
    unreviewed: tuple[Any, dict[str, Any], openpyxl.Workbook],
) -> None:
    result, doc, wb = unreviewed
    block = doc["reviews"]
    assert block["given"] is False and block["reviewers"] == [] and block["disagreements"] == []
    assert block["aggregate"] is None and block["agreement"] == {}
    own = [c for c in doc["candidates"] if c.get("motivation_source") == "self-assessment"]
    assert own and block["motivation_source"]["self-assessment"] == len(own)
    assert any("self-assessment" in note for note in block["scoring_notes"])
    assert "note: motivation: no reviews given; every candidate's self-assessment" in result.stdout
    assert "Agreement" not in result.stdout
    lines = section(wb[SHEET_OVERVIEW], "Beoordelingen", "Deze berekening")
    texts = [r[0] for r in lines if r[0]]
    assert texts[0] == (
        f"Geen beoordelingen ingelezen: de motivatiescore van {len(own)} kandidaten komt uit hun "
        "zelfevaluatie op het formulier."
    )
    assert "Beoordelaars oneens" not in [c.value for c in wb[SHEET_SHORTLIST][1]]


def test_verify_still_verifies_a_result_with_reviews(
    reviewed: tuple[Any, dict[str, Any], openpyxl.Workbook, Path],
) -> None:
    *_, path = reviewed
    report = verify(path)
    assert report.ok, report.lines()
    assert sum(f["role"] == "reviews" for f in report.files) == 3


def test_a_sheet_named_twice_is_one_input(tmp_path: Path) -> None:
    result = run(FORMS, PARTNERS, reviews=[REVIEWS, REVIEWS / "reviewer-a.xlsx"])
    recorded = [e["path"] for e in result.manifest["inputs"] if e["role"] == "reviews"]
    assert len(recorded) == 3 == len(set(recorded))
    assert len(result.reviews["reviewers"]) == 3


def test_review_lines_and_a_result_without_a_reviews_record() -> None:
    block = {
        "reviewers": ["An", "Bo"],
        "ratings": 4,
        "aggregate": "median",
        "labels": {"openness": "Openheid"},
        "agreement": {"openness": None},
        "disagreements": [],
        "threshold": 2,
        "scoring_notes": ["motivation: 1 of 2 candidates without reviews"],
    }
    assert review_lines(block) == [
        "Reviews: 4 rating(s) by 2 reviewer(s) (An; Bo), combined by median.",
        "Agreement (Krippendorff's alpha, interval): Openheid n/a.",
        "Reviewers differ by less than 2 points everywhere.",
        "note: motivation: 1 of 2 candidates without reviews",
    ]
    assert review_lines({}) == []
    # a result made without the pipeline records nothing about reviews: no section, no error
    bare = PairingResult("optimal", 0.0, {}, [], {}, [], [], [], [])
    assert bare.to_json()["reviews"] == {}
    wb = build_workbook(bare)
    assert "Beoordelingen" not in [r[0] for r in rows(wb[SHEET_OVERVIEW])]


def test_decisions_are_read_past_the_disagreement_column(
    reviewed: tuple[Any, dict[str, Any], openpyxl.Workbook, Path],
) -> None:
    *_, path = reviewed
    wb = openpyxl.load_workbook(path.with_suffix(".xlsx"))
    ws = wb[SHEET_SHORTLIST]
    names = [c.value for c in ws[1]]
    assert names.index("Beoordelaars oneens") < names.index("Beslissing")
    row = next(r for r in ws.iter_rows(min_row=2) if r[names.index("Gemeente")].value == "Zoersel")
    row[names.index("Beslissing")].value = "uitsluiten"
    edited = path.with_name("decided.xlsx")
    wb.save(edited)
    decisions = read_decisions(edited)
    assert decisions.excluded == (str(row[names.index("NIS-code")].value),)
