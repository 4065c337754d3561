"""`matchmaker verify RESULT.json`: exit 0 when the run repeats, 1 when something differs, 2 for bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from matchmaker.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    for name in ("candidacies.xlsx", "partners.csv"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    args = ["pair", str(tmp_path / "candidacies.xlsx"), "--partners", str(tmp_path / "partners.csv")]
    out = ["--out", str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "result.json")]
    result = CliRunner().invoke(main, [*args, *out])
    assert result.exit_code == 0, result.output
    return tmp_path / "result.json"


def test_verify_exits_0_when_the_same_pairs_come_out(recorded: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(recorded)])
    assert result.exit_code == 0, result.output
    assert "verified: the recorded inputs are unchanged and give the same pairs" in result.stdout
    assert "3 input file(s) checked" in result.stdout


def test_verify_exits_1_and_names_the_changed_file(recorded: Path) -> None:
    forms = recorded.parent / "candidacies.xlsx"
    forms.write_bytes(forms.read_bytes() + b"\0")  # same answers for a zip reader, another SHA-256
    result = CliRunner().invoke(main, ["verify", str(recorded)])
    assert result.exit_code == 1
    assert "candidacies.xlsx: changed since the run" in result.stdout


def test_verify_names_an_input_that_is_a_device_without_reading_it(recorded: Path) -> None:
    doc = json.loads(recorded.read_text(encoding="utf-8"))
    doc["manifest"]["inputs"][0]["path"] = "/dev/zero"
    recorded.write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(recorded)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "NOT verified" in result.stdout
    assert "forms /dev/zero: not a regular file" in result.stdout


def test_verify_writes_its_report_as_json(recorded: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(recorded), "--json", str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["verified"] is True and report["same_pairs"] is True
    assert {f["status"] for f in report["files"]} == {"unchanged"}


def test_verify_refuses_to_overwrite_the_result_with_its_report(recorded: Path) -> None:
    before = recorded.read_bytes()
    result = CliRunner().invoke(main, ["verify", str(recorded), "--json", str(recorded)])
    assert result.exit_code == 2
    assert "is also an input" in result.output
    assert recorded.read_bytes() == before


@pytest.mark.parametrize("content", [None, "{}", "[1, 2"])
def test_verify_exits_2_on_a_file_that_is_not_a_result(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "result.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and str(path) in result.output
    assert "Traceback" not in result.output
