"""The README's tour and library example run exactly as written, on a copy of the sample data."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from matchmaker.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = README.split("```")[1]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]


def test_tour_commands_run_as_written(workdir: Path) -> None:
    lines = [line for block in _blocks("console") for line in block.splitlines()]
    commands = [line[2:] for line in lines if line.startswith("$ ")]
    assert len(commands) >= 5
    runner = CliRunner()
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "matchmaker"
        outcome = runner.invoke(main, argv[1:], catch_exceptions=False)
        assert outcome.exit_code == 0, f"{command}\n{outcome.output}"

    result = json.loads((workdir / "out" / "result.json").read_text(encoding="utf-8"))
    assert result["filled"] == {"Rwanda": 4, "Benin": 3}
    assert len(result["alternatives"]) == 2
    locked = openpyxl.load_workbook(workdir / "out" / "locked.xlsx", read_only=True)
    rows = list(locked["Koppelingen"].iter_rows(values_only=True))
    assert any("Gent" in row and "Karongi" in row for row in rows)
    assert not any("Mechelen" in row and "Commune fictive C (placeholder)" in row for row in rows)


def test_library_example_runs(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = _blocks("python")
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Karongi" in printed and "Merelbeke-Melle" in printed
