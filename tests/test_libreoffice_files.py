"""Files saved again by LibreOffice (tests/data/libreoffice, made once with soffice --convert-to)
read as their originals: the same intake, partners, ratings, scores and decisions, and the
engine's own workbooks still known as its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import SAMPLE_DIR

from matchmaker.cli import main
from matchmaker.criteria import load_criteria
from matchmaker.decisions import read_decisions
from matchmaker.export.typed import typed_decisions
from matchmaker.intake import read_form
from matchmaker.partner_sheets import read_partner_ratings, typed_partner_ratings
from matchmaker.partners import read_partners
from matchmaker.pipeline import RunOptions, score_forms
from matchmaker.reviews import read_reviews, typed_ratings

DATA = Path(__file__).resolve().parent / "data" / "libreoffice"
SAVED = ("lo.xlsx", "ods")


def saved(name: str, kind: str) -> Path:
    return DATA / f"{name}.{kind}"


@pytest.fixture(scope="module")
def candidates() -> pd.DataFrame:
    return read_form(DATA / "export.xlsx", eligibility=load_criteria().eligibility).candidates


@pytest.mark.parametrize("kind", SAVED)
def test_the_form_export_reads_the_same(kind: str) -> None:
    eligibility = load_criteria().eligibility
    original = read_form(DATA / "export.xlsx", eligibility=eligibility)
    again = read_form(saved("export", kind), eligibility=eligibility)
    pd.testing.assert_frame_equal(again.candidates, original.candidates)
    assert again.issues == original.issues
    assert again.summary() == original.summary()


@pytest.mark.parametrize("kind", SAVED)
def test_the_partners_file_reads_the_same(kind: str) -> None:
    pd.testing.assert_frame_equal(
        read_partners(saved("partners", kind)), read_partners(DATA / "partners.csv")
    )


@pytest.mark.parametrize("kind", SAVED)
def test_a_filled_reviewer_sheet_gives_the_same_ratings_and_scores(
    kind: str, candidates: pd.DataFrame
) -> None:
    criteria = load_criteria()
    original = read_reviews(DATA / "reviewer.xlsx", criteria, candidates)
    again = read_reviews(saved("reviewer", kind), criteria, candidates)
    pd.testing.assert_frame_equal(again.ratings, original.ratings)
    assert again.summary() == original.summary()
    scores = [
        score_forms(DATA / "export.xlsx", RunOptions(criteria=criteria, reviews=(path,))).scores.totals
        for path in (DATA / "reviewer.xlsx", saved("reviewer", kind))
    ]
    pd.testing.assert_frame_equal(scores[1], scores[0])


@pytest.mark.parametrize("kind", SAVED)
def test_a_filled_partner_sheet_gives_the_same_ratings(kind: str, candidates: pd.DataFrame) -> None:
    partners = read_partners(DATA / "partners.csv")
    original = read_partner_ratings(DATA / "partner-sheet.xlsx", candidates, partners)
    assert original  # the sheet holds ratings
    assert read_partner_ratings(saved("partner-sheet", kind), candidates, partners) == original


@pytest.mark.parametrize("kind", SAVED)
@pytest.mark.parametrize("name", ["shortlist", "shortlist-decided"])
def test_the_committee_decisions_read_the_same(kind: str, name: str) -> None:
    original, again = read_decisions(DATA / f"{name}.xlsx"), read_decisions(saved(name, kind))
    for field in ("locks", "forbids", "excluded", "previous", "partners"):
        assert getattr(again, field) == getattr(original, field), field
    if name == "shortlist-decided":
        assert len(again.locks) > len(read_decisions(DATA / "shortlist.xlsx").locks)
        assert again.excluded


@pytest.mark.parametrize("kind", SAVED)
def test_own_workbooks_are_known_after_a_libreoffice_save(kind: str) -> None:
    for name, judge in (
        ("shortlist", typed_decisions),
        ("shortlist-decided", typed_decisions),
        ("reviewer", typed_ratings),
        ("reviewer-blank", typed_ratings),
        ("partner-sheet", typed_partner_ratings),
    ):
        original = judge(DATA / f"{name}.xlsx")
        assert judge(saved(name, kind)) == original, name
        assert original is None or "matchmaker wrote" not in original
    assert typed_ratings(saved("reviewer-blank", kind)) is None
    # the "vast" the engine itself wrote for an earlier lock is not taken for the committee's
    assert typed_decisions(saved("shortlist", kind)) is None
    assert "5 typed decision(s)" in str(typed_decisions(saved("shortlist-decided", kind)))
    # what another kind of file is stays refused
    assert typed_ratings(saved("shortlist", kind)) == "is not a reviewer sheet matchmaker wrote"
    assert typed_decisions(saved("export", kind)) == "is not a shortlist matchmaker wrote"


def test_review_sheet_replaces_its_untouched_sheet_saved_by_libreoffice_but_not_a_filled_one(
    tmp_path: Path,
) -> None:
    blank, filled = tmp_path / "blank.xlsx", tmp_path / "filled.xlsx"
    shutil.copy(saved("reviewer-blank", "lo.xlsx"), blank)
    shutil.copy(saved("reviewer", "lo.xlsx"), filled)
    before = filled.read_bytes()
    args = ["review-sheet", str(SAMPLE_DIR / "candidacies.xlsx"), "--reviewer", "An Peeters", "--out"]
    refused = CliRunner().invoke(main, [*args, str(filled)])
    assert refused.exit_code == 2
    assert f"{filled}: already exists and holds 73 rating(s) or comment(s)" in refused.output
    assert filled.read_bytes() == before
    replaced = CliRunner().invoke(main, [*args, str(blank)])
    assert replaced.exit_code == 0, replaced.output
    assert (
        typed_ratings(blank) is None and blank.read_bytes() != saved("reviewer-blank", "lo.xlsx").read_bytes()
    )
