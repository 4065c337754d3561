"""The library's writers never replace typed work or a file they did not write, unless forced:
the shortlist, the reviewer and partner sheets, the JSON documents (real files, written and read)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR
from result_factory import make_result
from workbook_helpers import leftovers

from matchmaker.criteria import load_criteria
from matchmaker.decisions import read_decisions
from matchmaker.errors import OutputError
from matchmaker.export import write_shortlist
from matchmaker.intake import read_form
from matchmaker.partner_sheets import read_partner_ratings, write_partner_sheets
from matchmaker.partners import read_partners
from matchmaker.reviews import read_reviews, typed_ratings, write_review_sheet

DATA = Path(__file__).resolve().parent / "data" / "libreoffice"


@pytest.fixture(scope="module")
def tables() -> tuple[object, object, object]:
    criteria = load_criteria()
    candidates = read_form(SAMPLE_DIR / "candidacies.xlsx", eligibility=criteria.eligibility).candidates
    return candidates, read_partners(SAMPLE_DIR / "partners.csv"), criteria


def test_write_shortlist_keeps_the_committee_decisions(tmp_path: Path) -> None:
    out = tmp_path / "shortlist.xlsx"
    shutil.copy(DATA / "shortlist-decided.xlsx", out)
    before = out.read_bytes()
    with pytest.raises(OutputError, match=r"holds 5 typed decision\(s\).*--force"):
        write_shortlist(make_result(), out)
    assert out.read_bytes() == before and leftovers(tmp_path) == []
    write_shortlist(make_result(), out, force=True)
    assert len(read_decisions(out).locks) < len(read_decisions(DATA / "shortlist-decided.xlsx").locks)


def test_write_shortlist_replaces_its_own_untouched_shortlist(tmp_path: Path) -> None:
    out = write_shortlist(make_result(), tmp_path / "shortlist.xlsx")  # an earlier lock reads "vast"
    write_shortlist(make_result(seed=1), out)
    shutil.copy(DATA / "shortlist.lo.xlsx", out)  # the same, saved by LibreOffice
    write_shortlist(make_result(), out)
    assert leftovers(tmp_path) == []


def test_write_shortlist_refuses_a_workbook_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "shortlist.xlsx"
    shutil.copy(SAMPLE_DIR / "candidacies.xlsx", out)
    with pytest.raises(OutputError, match="is not a shortlist matchmaker wrote"):
        write_shortlist(make_result(), out)
    assert out.read_bytes() == (SAMPLE_DIR / "candidacies.xlsx").read_bytes()


def test_write_review_sheet_keeps_a_filled_sheet_and_replaces_a_blank_one(
    tmp_path: Path, tables: tuple
) -> None:
    candidates, _, criteria = tables
    filled, blank = tmp_path / "filled.xlsx", tmp_path / "blank.xlsx"
    shutil.copy(SAMPLE_DIR / "reviews" / "reviewer-a.xlsx", filled)
    ratings = read_reviews(filled, criteria, candidates).ratings
    with pytest.raises(
        OutputError, match=r"filled.xlsx: already exists and holds \d+ rating\(s\) or comment"
    ):
        write_review_sheet(candidates, criteria, "An Peeters", filled)
    assert read_reviews(filled, criteria, candidates).ratings.equals(ratings)
    write_review_sheet(candidates, criteria, "An Peeters", blank)
    write_review_sheet(candidates, criteria, "Bart Claes", blank)  # its own untouched sheet: replaced
    write_review_sheet(candidates, criteria, "An Peeters", filled, force=True)
    assert typed_ratings(filled) is None and typed_ratings(blank) is None
    assert leftovers(tmp_path) == []


def test_write_partner_sheets_writes_none_when_one_holds_ratings(tmp_path: Path, tables: tuple) -> None:
    candidates, partners, criteria = tables
    folder = tmp_path / "sheets"
    written = write_partner_sheets(candidates, partners, criteria, folder)
    shutil.copy(SAMPLE_DIR / "partner-sheets" / "Karongi.xlsx", folder / "Karongi.xlsx")
    stamps = {p.name: p.stat().st_mtime_ns for p in written}
    with pytest.raises(OutputError, match=r"Karongi.xlsx: already exists and holds \d+ rating\(s\)"):
        write_partner_sheets(candidates, partners, criteria, folder)
    assert {p.name: p.stat().st_mtime_ns for p in written} == stamps
    assert read_partner_ratings(folder / "Karongi.xlsx", candidates, partners)
    with pytest.raises(OutputError, match=r"Karongi\.xlsx: already exists"):
        write_partner_sheets(candidates, partners, criteria, folder / "Karongi.xlsx", partner="Karongi")
    write_partner_sheets(candidates, partners, criteria, folder, force=True)
    assert read_partner_ratings(folder / "Karongi.xlsx", candidates, partners) == []
