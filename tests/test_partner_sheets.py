"""partner_sheets.py: sheets per partner in its language, read back with every problem located."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_DIR
from openpyxl import load_workbook

from matchmaker.criteria import load_criteria
from matchmaker.i18n import label
from matchmaker.intake import read_form
from matchmaker.partner_sheets import (
    PartnerSheetError,
    read_partner_ratings,
    write_partner_sheets,
)
from matchmaker.partners import read_partners
from matchmaker.sample import sample_partner_ratings


@pytest.fixture(scope="module")
def tables() -> tuple[object, object, object]:
    criteria = load_criteria()
    cands = read_form(SAMPLE_DIR / "candidacies.xlsx", eligibility=criteria.eligibility).candidates
    return cands, read_partners(SAMPLE_DIR / "partners.csv"), criteria


def test_one_sheet_per_eligible_partner_in_its_language(tmp_path: Path, tables: tuple) -> None:
    cands, partners, criteria = tables
    written = write_partner_sheets(cands, partners, criteria, tmp_path / "out")
    assert len(written) == 15  # 4 Rwandan districts, 11 Beninese communes without a city link
    book = load_workbook(tmp_path / "out" / "Karongi.xlsx")
    assert book.sheetnames[:2] == ["Candidates", "Instructions"]
    assert book["_meta"].sheet_state == "hidden"
    sheet = book.worksheets[0]
    assert sheet.protection.sheet
    assert sheet.data_validations.dataValidation  # the rating cells carry validation
    benin = load_workbook(tmp_path / "out" / "Commune-fictive-A-placeholder.xlsx")
    assert benin.sheetnames[0] == "Candidats"
    nl = write_partner_sheets(cands, partners, criteria, tmp_path / "k.xlsx", partner="karongi", lang="nl")
    assert load_workbook(nl[0]).sheetnames[0] == "Kandidaten"


def test_the_sample_sheets_are_the_generator_output(tables: tuple) -> None:
    cands, partners, criteria = tables
    expected = sample_partner_ratings(cands, partners, criteria)
    read = read_partner_ratings(SAMPLE_DIR / "partner-sheets", cands, partners)
    got: dict[str, dict[str, int | None]] = {}
    for r in read:
        got.setdefault(r.partner, {})[r.candidate_id] = r.rating
    assert got == {p: v for p, v in expected.items() if v}
    assert any(r.rating is None for r in read)


def test_every_problem_is_named_with_its_file_and_row(tmp_path: Path, tables: tuple) -> None:
    cands, partners, criteria = tables
    [path] = write_partner_sheets(cands, partners, criteria, tmp_path / "k.xlsx", partner="Karongi")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=11).value = 7
    sheet.cell(row=3, column=11).value = "maybe"
    sheet.cell(row=4, column=11).value = "pas acceptable"
    sheet.cell(row=5, column=1).value = "99999"
    names = [c.value for c in sheet[1]]
    at = names.index(label("municipality", "en")) + 1
    other = sheet.cell(row=7, column=at).value
    sheet.cell(row=6, column=at).value = other  # a row whose municipality is another candidate's
    book.save(path)
    with pytest.raises(PartnerSheetError) as info:
        read_partner_ratings(path, cands, partners)
    text = str(info.value)
    assert "row 2" in text and "outside the scale" in text
    assert "row 3" in text and "'maybe'" in text
    assert "row 5" in text and "unknown candidate '99999'" in text
    assert "row 4" not in text
    assert "row 6" in text and f"the row says '{other}'" in text
    assert "row 7" not in text


def test_a_row_whose_id_and_municipality_disagree_is_refused(tmp_path: Path, tables: tuple) -> None:
    cands, partners, criteria = tables
    [path] = write_partner_sheets(cands, partners, criteria, tmp_path / "k.xlsx", partner="Karongi")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    # two candidate ids swapped: each row's municipality now belongs to the other id
    first, second = sheet.cell(row=2, column=1).value, sheet.cell(row=3, column=1).value
    sheet.cell(row=2, column=1).value, sheet.cell(row=3, column=1).value = second, first
    sheet.cell(row=2, column=11).value = 5
    book.save(path)
    municipality = {str(c): str(m) for c, m in zip(cands["candidate_id"], cands["municipality"], strict=True)}
    with pytest.raises(PartnerSheetError) as info:
        read_partner_ratings(path, cands, partners)
    problems = {(p.path, p.row): p.problem for p in info.value.problems}
    assert set(problems) == {(path, 2), (path, 3)}
    assert f"candidate {second} is {municipality[str(second)]} in the form export" in problems[(path, 2)]
    # the same sheet with the ids in place again reads
    sheet.cell(row=2, column=1).value, sheet.cell(row=3, column=1).value = first, second
    book.save(path)
    [rating] = read_partner_ratings(path, cands, partners)
    assert (rating.candidate_id, rating.rating) == (str(first), 5)
