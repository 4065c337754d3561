"""`matchmaker review-sheet` through CliRunner: the sheet it writes, bad options, filled sheets in `score`."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from matchmaker import schema as s
from matchmaker.cli import main
from matchmaker.criteria import load_criteria
from matchmaker.intake import read_form
from matchmaker.reviews import META_SHEET, REVIEW_SHEET

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "candidacies.xlsx"


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    path = tmp_path / "candidacies.xlsx"
    shutil.copy(SAMPLE, path)
    return path


def eligible_ids(forms: Path) -> set[str]:
    intake = read_form(forms, eligibility=load_criteria().eligibility)
    return set(intake.eligible()[s.CANDIDATE_ID])


def test_review_sheet_writes_one_row_per_eligible_candidate(forms: Path, tmp_path: Path) -> None:
    out = tmp_path / "an.xlsx"
    result = CliRunner().invoke(
        main, ["review-sheet", str(forms), "--reviewer", "An Peeters", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    expected = eligible_ids(forms)
    assert result.output == f"Wrote {out}: {len(expected)} eligible candidates for An Peeters\n"
    wb = openpyxl.load_workbook(out)
    ids = {row[0] for row in wb[REVIEW_SHEET].iter_rows(min_row=2, values_only=True)}
    assert ids == expected
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["reviewer"] == "An Peeters"


def test_filled_sheet_problems_reach_the_score_command(forms: Path, tmp_path: Path) -> None:
    out = tmp_path / "an.xlsx"
    runner = CliRunner()
    assert (
        runner.invoke(main, ["review-sheet", str(forms), "--reviewer", "An", "--out", str(out)]).exit_code
        == 0
    )
    wb = openpyxl.load_workbook(out)
    wb[REVIEW_SHEET]["G3"].value = 9
    wb.save(out)
    result = runner.invoke(main, ["score", str(forms), "--reviews", str(out)])
    assert result.exit_code == 2
    assert (
        f"{out}, sheet 'Beoordeling', row 3, column G (Openheid om te leren): 9 is outside" in result.output
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reviewer", "  ", "--out", "{tmp}/a.xlsx"], "Error: the reviewer name is empty"),
        (["--reviewer", "An", "--out", "{tmp}/a.csv"], "a review sheet must be an .xlsx file"),
        (["--reviewer", "An", "--out", "{forms}"], "is also an input file"),
        (["--reviewer", "An", "--out", "{tmp}/missing/a.xlsx"], "does not exist"),
    ],
)
def test_bad_options_exit_2_without_output(
    forms: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    before = sorted(tmp_path.rglob("*"))
    form_bytes = forms.read_bytes()
    argv = [a.format(tmp=tmp_path, forms=forms) for a in args]
    result = CliRunner().invoke(main, ["review-sheet", str(forms), *argv])
    assert result.exit_code == 2
    assert message in result.output
    assert sorted(tmp_path.rglob("*")) == before
    assert forms.read_bytes() == form_bytes


def test_unreadable_form_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "form.xlsx"
    bad.write_text("no workbook")
    result = CliRunner().invoke(
        main, ["review-sheet", str(bad), "--reviewer", "An", "--out", str(tmp_path / "a.xlsx")]
    )
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {bad}")
    assert not (tmp_path / "a.xlsx").exists()


def test_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(main, ["review-sheet", "--help"])
    assert result.exit_code == 0
    last = result.output.strip().splitlines()[-1].strip()
    assert last.startswith("matchmaker review-sheet ") and "--reviewer" in last
