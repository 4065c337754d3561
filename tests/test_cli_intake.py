"""`matchmaker intake`: the summary, the JSON written and read back, one-line errors with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, FormWriter, answers

from matchmaker import schema as s
from matchmaker.cli import main


def test_intake_prints_a_summary_and_writes_json(write_form: FormWriter, tmp_path: Path) -> None:
    rows = [
        answers(1, "Gemeente Melle"),
        answers(2, "Luik"),
        answers(3, "Stad Gent", commit=("Ja", "Nee", "Ja", "Ja")),
        None,
        answers(4, "Melle"),
    ]
    form = write_form(rows)
    out = tmp_path / "intake.json"
    result = CliRunner().invoke(main, ["intake", str(form), "--json", str(out)])
    assert result.exit_code == 0, result.output
    expected = "4 submissions, 2 candidate municipalities, 1 eligible, 1 superseded, 1 blank rows dropped"
    assert expected in result.output
    assert "not-flemish 1" in result.output
    assert "name-not-flemish 1" in result.output
    assert "Merelbeke-Melle" in result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == s.INTAKE_SCHEMA
    by_id = {c["submission_id"]: c for c in doc["candidates"]}
    assert sorted(by_id) == [1, 2, 3, 4]
    assert by_id[4]["candidate_id"] == "44088" and by_id[4]["eligible"] is True
    assert by_id[1]["candidate_id"] == "row-1" and by_id[1]["superseded_by"] == 4
    assert by_id[2]["resolution"] == "not-flemish" and by_id[2]["refnis"] is None
    assert by_id[3]["reasons"] == ["refuses a commitment: one work visit and hosting one delegation"]
    assert by_id[4]["completed"].startswith("2023-10-01T14:00")
    assert {i["submission_id"] for i in doc["issues"]} == {1, 2}


def test_intake_with_another_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "short.toml"
    mapping.write_text(
        "version = 1\n[columns]\n'Wanneer' = 'completed'\n'Wie' = 'name_as_written'\n"
        "'Sessies' = 'commit_sessions'\n'Bezoek' = 'commit_visit'\n'Tijd' = 'commit_time'\n"
        "'Feedback' = 'commit_feedback'\n[required]\nfields = ['name_as_written']\n",
        encoding="utf-8",
    )
    form = tmp_path / "short.csv"
    form.write_text(
        "Wie,Wanneer,Sessies,Bezoek,Tijd,Feedback\nTielt-Winge,1/12/2023 10:00,Ja,Ja,Ja,Ja\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["intake", str(form), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "1 submissions, 1 candidate municipalities, 1 eligible" in result.output
    assert "Tielt-Winge" in result.output


def test_bad_input_is_one_line_exit_2_and_no_json(tmp_path: Path) -> None:
    out = tmp_path / "intake.json"
    cases = {
        "empty.xlsx": b"",
        "text.xlsx": b"hello",
        "latin1.csv": "Id,Naam\n1,Liège\n".encode("cp1252"),
        "form.pdf": b"%PDF-1.4",
        "noise.xlsx": bytes(range(256)) * 4,
        "quote.csv": b'Id,Naam van het lokaal bestuur\n1,"Gent\n2,Zulte\n',
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = CliRunner().invoke(main, ["intake", str(path), "--json", str(out)])
        assert result.exit_code == 2, (name, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and str(path) in lines[0]
        assert "Traceback" not in result.output
        assert not out.exists()
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_file_and_bad_mapping_exit_2(tmp_path: Path, write_form: FormWriter) -> None:
    result = CliRunner().invoke(main, ["intake", str(tmp_path / "nowhere.xlsx")])
    assert result.exit_code == 2 and "file not found" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text("version = 2\n", encoding="utf-8")
    form = write_form([answers(1, "Gent")])
    result = CliRunner().invoke(main, ["intake", str(form), "--mapping", str(bad)])
    assert result.exit_code == 2 and "bad.toml" in result.output


def test_json_path_that_is_the_input_is_refused(write_form: FormWriter) -> None:
    form = write_form([answers(1, "Gent")])
    before = form.read_bytes()
    result = CliRunner().invoke(main, ["intake", str(form), "--json", str(form)])
    assert result.exit_code == 2
    assert form.read_bytes() == before


def test_intake_of_the_committed_sample() -> None:
    result = CliRunner().invoke(main, ["intake", str(ROOT / "sample_data" / "candidacies.xlsx")])
    assert result.exit_code == 0, result.output
    assert "38 submissions" in result.output
    assert "Tielt-Winge" in result.output


def test_intake_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(main, ["intake", "--help"])
    assert result.exit_code == 0
    assert result.output.rstrip().splitlines()[-1].strip().startswith("matchmaker intake ")


def test_intake_of_a_messy_export_names_what_it_passed_over(tmp_path: Path) -> None:
    out = tmp_path / "intake.json"
    form = ROOT / "tests" / "data" / "messy-export.xlsx"
    result = CliRunner().invoke(main, ["intake", str(form), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "13 submissions, 7 candidate municipalities, 6 eligible, 2 superseded" in result.output
    assert "other-sheet 1" in result.output and "time-order 1" in result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["candidates"]) == 13
    [note] = [i["problem"] for i in doc["issues"] if i["submission_id"] is None]
    assert note == "answers read from sheet 'Antwoorden'; passed over: 'Lijsten' (hidden)"
