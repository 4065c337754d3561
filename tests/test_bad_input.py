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
    errors = [line for line in lines if line.startswith("Error:")]  # after any progress lines
    assert errors == lines[-1:], result.output
    assert str(path) in errors[0]
    assert "Traceback" not in result.output
    return errors[0]


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


# --- every kind of bad input file: exit 2, one line naming it, nothing written, fast ----------------------


def _stray_far(path: Path, value: str) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["Id", "Naam"])
    wb.active["XFD1048576"] = value
    wb.active["XFD1048575"] = value
    wb.save(path)
    return path


def _with_doctype(source: Path, path: Path) -> None:
    """The workbook with an entity declared before its sheet's XML (what entity expansion needs)."""
    import zipfile

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.endswith("sheet1.xml"):
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            out.writestr(info, data)


def _bad(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "bad" / kind
    path.parent.mkdir(exist_ok=True)
    return path


BAD_KINDS = {
    # kind: (file name, how to make it, the command's arguments with {bad} and {forms}, a phrase)
    "forms: a fifo": ("f.xlsx", "fifo", ["intake", "{bad}"], "not a regular file"),
    "forms: a link to /dev/zero": ("f.csv", "zero", ["intake", "{bad}"], "behind a link"),
    "forms: a dangling link": ("f.xlsx", "dangling", ["intake", "{bad}"], "does not exist"),
    "forms: stray text cells far away": ("f.xlsx", "stray", ["intake", "{bad}"], "far beyond its data"),
    "forms: truncated ods": ("f.ods", b"PK\x03\x04", ["intake", "{bad}"], "truncated or damaged"),
    "forms for score: a fifo": ("f.xlsx", "fifo", ["score", "{bad}"], "not a regular file"),
    "partners: a fifo": ("p.csv", "fifo", ["pair", "{forms}", "--partners", "{bad}"], "not a regular file"),
    "partners: a link to /dev/zero": (
        "p.csv",
        "zero",
        ["pair", "{forms}", "--partners", "{bad}"],
        "behind a link",
    ),
    "partners: a quote left open": (
        "p.csv",
        b'partner,country,region,themes,languages,has_flemish_link\nA,Rwanda,"R,,Frans,Nee\nB,Rwanda,R,,Frans,Nee\n',
        ["pair", "{forms}", "--partners", "{bad}"],
        "a quote left open",
    ),
    "partners: broken ods": (
        "p.ods",
        b"PK\x03\x04" + b"\0" * 40,
        ["pair", "{forms}", "--partners", "{bad}"],
        "damaged",
    ),
    "criteria: a fifo": (
        "c.toml",
        "fifo",
        ["intake", "{forms}", "--criteria", "{bad}"],
        "not a regular file",
    ),
    "criteria: a link to /dev/zero": (
        "c.toml",
        "zero",
        ["intake", "{forms}", "--criteria", "{bad}"],
        "behind a link",
    ),
    "mapping: a fifo": ("m.toml", "fifo", ["intake", "{forms}", "--mapping", "{bad}"], "not a regular file"),
    "decisions: a fifo": (
        "d.xlsx",
        "fifo",
        ["pair", "{forms}", "--partners", str(SAMPLE / "partners.csv"), "--decisions", "{bad}"],
        "not a regular file",
    ),
    "decisions: a text file": (
        "d.xlsx",
        b"geen werkboek",
        ["pair", "{forms}", "--partners", str(SAMPLE / "partners.csv"), "--decisions", "{bad}"],
        "not a readable .xlsx workbook",
    ),
    "forms: the partners file": (
        "p.csv",
        "partners",
        ["intake", "{bad}"],
        "did you swap FORMS and --partners",
    ),
    "partners: the form export": (
        "f.xlsx",
        "workbook",
        ["pair", "{forms}", "--partners", "{bad}"],
        "did you swap FORMS and --partners",
    ),
    "forms: a text file named .xlsx": (
        "f.xlsx",
        b"geen werkboek",
        ["intake", "{bad}"],
        "not an .xlsx workbook",
    ),
    "forms: an empty file": ("f.csv", b"", ["intake", "{bad}"], "the file is empty"),
    "forms: a folder": ("f.xlsx", "folder", ["intake", "{bad}"], "is a directory"),
    "forms: a text file": ("f.txt", b"Id,Naam\n1,Gent\n", ["intake", "{bad}"], "unsupported file type"),
    "forms: a workbook named .csv": ("f.csv", "workbook", ["intake", "{bad}"], "with a .csv name"),
    "forms: a quote left open": (
        "f.csv",
        b'Id,Naam van het lokaal bestuur\n1,"Gent\n2,Brugge\n',
        ["intake", "{bad}"],
        "a quote left open",
    ),
    "forms: a cut workbook": ("f.xlsx", "cut", ["intake", "{bad}"], "truncated or damaged"),
    "forms: an encrypted workbook": (
        "f.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        ["intake", "{bad}"],
        "password-protected",
    ),
    "forms: an entity declaration": ("f.xlsx", "doctype", ["intake", "{bad}"], "document type declaration"),
    "mapping: a yes/no as text": (
        "m.toml",
        b'version = 1\ndayfirst = "no"\n',
        ["intake", "{forms}", "--mapping", "{bad}"],
        "expected true or false",
    ),
    "mapping: nested too deeply": (
        "m.toml",
        b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        ["intake", "{forms}", "--mapping", "{bad}"],
        "nested too deeply",
    ),
    "criteria: not TOML": (
        "c.toml",
        b"dit is = = geen toml",
        ["intake", "{forms}", "--criteria", "{bad}"],
        "TOML",
    ),
    "reviews: a text file named .xlsx": (
        "r.xlsx",
        b"geen werkboek",
        ["score", "{forms}", "--reviews", "{bad}"],
        "not an .xlsx workbook",
    ),
    "reviews: the form export": (
        "r.xlsx",
        "workbook",
        ["score", "{forms}", "--reviews", "{bad}"],
        "not a reviewer sheet",
    ),
    "partner ratings: a text file named .xlsx": (
        "k.xlsx",
        b"geen werkboek",
        ["pair", "{forms}", "--partners", str(SAMPLE / "partners.csv"), "--partner-ratings", "{bad}"],
        "not an .xlsx workbook",
    ),
    "partner ratings: the form export": (
        "k.xlsx",
        "workbook",
        ["pair", "{forms}", "--partners", str(SAMPLE / "partners.csv"), "--partner-ratings", "{bad}"],
        "not a partner sheet",
    ),
    "partners: a text file named .xlsx": (
        "p.xlsx",
        b"partner,country\nKarongi,Rwanda\n",
        ["pair", "{forms}", "--partners", "{bad}"],
        "not an .xlsx workbook",
    ),
    "partners: an empty file": ("p.csv", b"", ["pair", "{forms}", "--partners", "{bad}"], "is empty"),
    "decisions: a cut workbook": (
        "d.xlsx",
        "cut",
        ["pair", "{forms}", "--partners", str(SAMPLE / "partners.csv"), "--decisions", "{bad}"],
        "truncated or damaged",
    ),
    "decisions: the form export": (
        "d.xlsx",
        "workbook",
        ["pair", "{forms}", "--partners", str(SAMPLE / "partners.csv"), "--decisions", "{bad}"],
        "expected a shortlist",
    ),
    "verify: not JSON": ("r.json", b"geen json", ["verify", "{bad}"], "not a JSON file"),
    "verify: a fifo": ("r.json", "fifo", ["verify", "{bad}"], "not a regular file"),
    "verify: a workbook": ("r.json", "workbook", ["verify", "{bad}"], "wants the result .json"),
    "verify: JSON nested too deeply": (
        "r.json",
        b"[" * 100_000 + b"]" * 100_000,
        ["verify", "{bad}"],
        "nested",
    ),
}


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_file_is_refused_in_one_line(kind: str, forms: Path, tmp_path: Path) -> None:
    import os
    import time

    name, content, args, phrase = BAD_KINDS[kind]
    bad = _bad(tmp_path, name)
    if content == "fifo":
        os.mkfifo(bad)
    elif content == "zero":
        bad.symlink_to("/dev/zero")
    elif content == "dangling":
        bad.symlink_to(tmp_path / "nowhere")
    elif content == "stray":
        _stray_far(bad, "x")
    elif content == "workbook":
        shutil.copy(SAMPLE / "candidacies.xlsx", bad)
    elif content == "partners":
        shutil.copy(SAMPLE / "partners.csv", bad)
    elif content == "folder":
        bad.mkdir()
    elif content == "cut":
        bad.write_bytes((SAMPLE / "candidacies.xlsx").read_bytes()[:3000])
    elif content == "doctype":
        _with_doctype(SAMPLE / "candidacies.xlsx", bad)
    else:
        assert isinstance(content, bytes)
        bad.write_bytes(content)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    started = time.perf_counter()
    result = run(*(a.format(bad=bad, forms=forms) for a in args), "--json", tmp_path / "out.json")
    assert time.perf_counter() - started < 10
    line = refused(result, bad)
    assert phrase in line, line
    for library in ("openpyxl", "calamine", "xlrd"):
        assert library not in line.lower()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_stray_blank_cell_far_away_is_read_as_the_data_it_ends(forms: Path, tmp_path: Path) -> None:
    from matchmaker.intake import read_form

    wb = openpyxl.load_workbook(forms)
    wb.active["XFD1048576"] = " "
    stray = tmp_path / "stray.xlsx"
    wb.save(stray)
    assert read_form(stray).summary() == read_form(forms).summary()
