"""The audit: a recorded result re-run from its inputs gives the same pairs, or says what differs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from matchmaker.audit import verify
from matchmaker.errors import VerifyError
from matchmaker.files import write_json
from matchmaker.pipeline import run

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    """A result JSON written from copies of the sample inputs, as `pair --json` writes it."""
    for name in ("candidacies.xlsx", "partners.csv"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    shutil.copytree(SAMPLE / "reviews", tmp_path / "reviews")
    result = run(tmp_path / "candidacies.xlsx", tmp_path / "partners.csv", reviews=[tmp_path / "reviews"])
    return write_json(result.to_json(), tmp_path / "result.json")


def test_an_untouched_run_verifies(recorded: Path) -> None:
    report = verify(recorded)
    assert report.ok and report.same_pairs
    assert {f["role"] for f in report.files} == {"forms", "partners", "reviews", "criteria"}
    assert all(f["status"] == "unchanged" for f in report.files)
    assert report.lines()[0].endswith("verified: the recorded inputs are unchanged and give the same pairs")
    assert report.to_json()["verified"] is True


def test_a_changed_input_that_changes_the_pairs_is_reported(recorded: Path) -> None:
    doc = json.loads(recorded.read_text(encoding="utf-8"))
    first = doc["pairs"][0]
    partners = recorded.parent / "partners.csv"
    lines = partners.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    link = header.index("has_flemish_link")
    edited = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[0] == first["partner"]:
            cells[link] = "Ja"  # the partner now has a Flemish city link: no longer eligible
        edited.append(",".join(cells))
    partners.write_text("\n".join(edited) + "\n", encoding="utf-8")
    report = verify(recorded)
    assert not report.ok and report.same_pairs is False
    assert [f["status"] for f in report.files if f["role"] == "partners"] == ["changed"]
    assert {(p["candidate_id"], p["partner"]) for p in report.missing_pairs} >= {
        (first["candidate_id"], first["partner"])
    }
    text = "\n".join(report.lines())
    assert "DIFFERENT" in text
    assert "partners.csv: changed since the run (SHA-256 differs)" in text
    assert f"– {first['partner']}: recorded, not chosen now" in text


def test_a_changed_input_with_the_same_pairs_still_fails(recorded: Path) -> None:
    partners = recorded.parent / "partners.csv"
    partners.write_text(partners.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = verify(recorded)
    assert report.same_pairs is True and not report.ok
    assert "the same pairs come out, but the inputs differ" in report.lines()[0]


def test_a_tampered_result_is_caught(recorded: Path) -> None:
    doc = json.loads(recorded.read_text(encoding="utf-8"))
    a, b = doc["pairs"][0], doc["pairs"][1]
    a["partner"], b["partner"] = b["partner"], a["partner"]
    recorded.write_text(json.dumps(doc), encoding="utf-8")
    report = verify(recorded)
    assert report.same_pairs is False and not report.ok
    assert len(report.missing_pairs) == 2 and len(report.new_pairs) == 2


def test_an_input_that_no_longer_reads_is_reported(recorded: Path) -> None:
    reviews = recorded.parent / "reviews"
    shutil.copy(reviews / "reviewer-a.xlsx", reviews / "reviewer-a-copy.xlsx")  # the same reviewer twice
    report = verify(recorded)
    assert report.same_pairs is None and not report.ok
    assert "the run fails now" in report.problems[0] and "reviewer-a-copy.xlsx" in report.problems[0]


def test_a_missing_input_means_the_run_cannot_be_repeated(recorded: Path) -> None:
    (recorded.parent / "candidacies.xlsx").unlink()
    report = verify(recorded)
    assert report.same_pairs is None and not report.ok
    assert "NOT verified" in report.lines()[0]
    assert any("candidacies.xlsx is missing" in p for p in report.problems)


def test_a_new_review_sheet_in_the_recorded_folder_is_reported(recorded: Path) -> None:
    reviews = recorded.parent / "reviews"
    sheet = openpyxl.load_workbook(reviews / "reviewer-a.xlsx")
    sheet["_meta"]["B2"] = "Reviewer D"  # another reviewer, who handed in later
    sheet.save(reviews / "reviewer-d.xlsx")
    report = verify(recorded)
    assert not report.ok
    assert [f["status"] for f in report.files if f["path"].endswith("reviewer-d.xlsx")] == ["new"]


def test_relative_inputs_are_found_from_the_recorded_folder(
    recorded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("candidacies.xlsx", "partners.csv", reviews=["reviews"])
    out = write_json(result.to_json(), tmp_path / "relative.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert verify(out).ok


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        ("not json", "not a JSON file"),
        ('{"schema": "something/1"}', "not a matchmaker result"),
        ('{"schema": "matchmaker.result/1"}', "no manifest of its inputs"),
    ],
)
def test_a_file_that_is_not_a_result_is_a_verify_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(VerifyError, match=message):
        verify(path)


def _edited(recorded: Path, edit: str) -> Path:
    doc = json.loads(recorded.read_text(encoding="utf-8"))
    if edit == "objective":
        doc["objective"] = 999.0
    elif edit == "value":
        doc["edges"][0]["value"] += 1.0
    elif edit == "explanation":
        doc["explanations"][0]["why"] = "Selected because the committee likes it."
    elif edit == "reserve":
        doc["reserves"][0], doc["reserves"][1] = doc["reserves"][1], doc["reserves"][0]
    elif edit == "replacement":
        taken = next(r for r in doc["replacements"] if r["replacement"])
        taken["replacement"] = doc["reserves"][-1]["candidate_id"]
    recorded.write_text(json.dumps(doc), encoding="utf-8")
    return recorded


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        ("objective", "total value: recorded 999.00"),
        ("value", "edges[candidate_id="),
        ("explanation", "Selected because the committee likes it."),
        ("reserve", "reserves[candidate_id="),
        ("replacement", "replacements[candidate_id="),
    ],
)
def test_an_edit_anywhere_in_the_result_is_caught_and_named(recorded: Path, edit: str, words: str) -> None:
    report = verify(_edited(recorded, edit))
    assert not report.ok
    text = "\n".join(report.lines())
    assert "DIFFERENT" in text and words in text, text
    assert report.to_json()["verified"] is False


def test_the_whole_document_is_compared_but_the_time_and_paths(recorded: Path) -> None:
    doc = json.loads(recorded.read_text(encoding="utf-8"))
    doc["manifest"]["created"] = "2001-01-01T00:00:00+00:00"
    doc["manifest"]["cwd"] = "/elsewhere"
    recorded.write_text(json.dumps(doc), encoding="utf-8")
    report = verify(recorded)
    assert report.ok and not report.differences, report.lines()
