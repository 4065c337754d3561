"""Files people can trust, through the command line: typed work is never overwritten, and every kind
of bad input file ends in exit 2 with one line naming the file, fast, writing nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from matchmaker.cli import main
from matchmaker.reviews import REVIEW_SHEET

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    path = tmp_path / "candidacies.xlsx"
    shutil.copy(SAMPLE / "candidacies.xlsx", path)
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result: Result, path: Path) -> str:
    """The one line of a refusal naming `path`; asserts exit 2 and no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert str(path) in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


# --- no typed work is ever overwritten --------------------------------------------------------------


def review_sheet(forms: Path, out: Path, *extra: str) -> Result:
    return run("review-sheet", forms, "--reviewer", "An Peeters", "--out", out, *extra)


def test_a_filled_reviewer_sheet_is_never_overwritten(forms: Path, tmp_path: Path) -> None:
    out = tmp_path / "an.xlsx"
    assert review_sheet(forms, out).exit_code == 0
    # the engine's own untouched sheet may be replaced
    assert review_sheet(forms, out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    wb[REVIEW_SHEET].cell(row=2, column=6, value=4)
    wb.save(out)
    typed = out.read_bytes()
    line = refused(review_sheet(forms, out), out)
    assert "1 rating(s) or comment(s)" in line and "--force" in line
    assert out.read_bytes() == typed
    assert review_sheet(forms, out, "--force").exit_code == 0
    assert out.read_bytes() != typed


def test_a_file_the_engine_did_not_write_is_never_overwritten(forms: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "begroting 2024"
    wb.save(foreign)
    before = foreign.read_bytes()
    line = refused(review_sheet(forms, foreign), foreign)
    assert "not a reviewer sheet matchmaker wrote" in line
    partners = SAMPLE / "partners.csv"
    line = refused(run("pair", forms, "--partners", partners, "--out", foreign), foreign)
    assert "not a shortlist matchmaker wrote" in line
    assert foreign.read_bytes() == before
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}\n', encoding="utf-8")
    line = refused(run("intake", forms, "--json", notes), notes)
    assert "not a file matchmaker wrote" in line
    assert notes.read_text(encoding="utf-8") == '{"mine": true}\n'
    assert run("intake", forms, "--json", notes, "--force").exit_code == 0
    assert json.loads(notes.read_text(encoding="utf-8"))["schema"] == "matchmaker.intake/1"
    # and now it is the engine's own: replaced without --force
    assert run("intake", forms, "--json", notes).exit_code == 0


def test_a_shortlist_with_decisions_is_never_overwritten(forms: Path, tmp_path: Path) -> None:
    out, result_json = tmp_path / "shortlist.xlsx", tmp_path / "result.json"
    args = ["pair", forms, "--partners", SAMPLE / "partners.csv", "--out", out, "--json", result_json]
    assert run(*args).exit_code == 0
    assert run(*args).exit_code == 0  # untouched: the engine replaces its own output
    wb = openpyxl.load_workbook(out)
    ws = wb["Koppelingen"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Beslissing") + 1, value="weiger")
    wb.save(out)
    decided = out.read_bytes()
    line = refused(run(*args), out)
    assert "typed decision(s)" in line and "--force" in line
    assert out.read_bytes() == decided


@pytest.mark.parametrize(
    ("option", "name", "phrase"),
    [("--out", "shortlist.ods", "must be an .xlsx file"), ("--json", "result.txt", "ending in .json")],
)
def test_output_names_must_say_what_they_hold(
    forms: Path, tmp_path: Path, option: str, name: str, phrase: str
) -> None:
    target = tmp_path / name
    args = ["pair", forms, "--partners", SAMPLE / "partners.csv", option, target]
    if option == "--json":
        args += ["--out", tmp_path / "shortlist.xlsx"]
    line = refused(run(*args), target)
    assert phrase in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["candidacies.xlsx"]
