"""`matchmaker pair` through click's CliRunner: the table, the files it writes, the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from matchmaker.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
FORMS = str(SAMPLE / "candidacies.xlsx")
PARTNERS = str(SAMPLE / "partners.csv")


def test_pair_prints_the_table_and_writes_both_files(tmp_path: Path) -> None:
    out, result_json = tmp_path / "shortlist.xlsx", tmp_path / "result.json"
    args = ["pair", FORMS, "--partners", PARTNERS, "--reviews", str(SAMPLE / "reviews")]
    args += ["--out", str(out), "--json", str(result_json), "--alternatives", "1"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "Karongi" in res.stdout and "Filled: Rwanda 4, Benin 3" in res.stdout
    assert "Unfilled Benin: 3 of 4 slots filled" in res.stdout
    # the reserves by the extra points they need, the full province marked; who replaces a withdrawal
    assert (
        "Reserves Rwanda (extra points needed): 1. Oudenaarde (+5.25*), 2. Zulte (+7.31*), 3. Brasschaat"
        in res.stdout
    )
    assert "  Halle: Brasschaat takes the place, with Gatsibo" in res.stdout
    assert "pairing with cbc" in res.stderr and "pairing with cbc" not in res.stdout
    doc = json.loads(result_json.read_text(encoding="utf-8"))
    assert doc["status"] == "optimal" and len(doc["pairs"]) == 7
    assert len(doc["alternatives"]) == 1
    pairs_in_table = [line for line in res.stdout.splitlines() if line.startswith(("Rwanda ", "Benin "))]
    assert len(pairs_in_table) == 7
    book = load_workbook(out, read_only=True)
    assert len(book.sheetnames) >= 3  # the workbook's content is the export's business; it exists and opens


def test_highs_gives_the_same_pairs(tmp_path: Path) -> None:
    docs = []
    for solver in ("cbc", "highs"):
        target = tmp_path / f"{solver}.json"
        args = ["pair", FORMS, "--partners", PARTNERS, "--solver", solver, "--time-limit", "60"]
        args += ["--out", str(tmp_path / f"{solver}.xlsx"), "--json", str(target)]
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
        assert "Running HiGHS" not in res.output
        docs.append(json.loads(target.read_text(encoding="utf-8")))
    assert docs[0]["pairs"] == docs[1]["pairs"]
    assert docs[0]["explanations"] == docs[1]["explanations"]


def test_strict_exits_3_with_the_diagnosis_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    res = CliRunner().invoke(main, ["pair", FORMS, "--partners", PARTNERS, "--strict", "--out", str(out)])
    assert res.exit_code == 3
    diagnosis = "Benin: 3 of 4 slots filled: only 3 eligible candidates accept Benin and work in French"
    assert diagnosis in res.stderr
    assert "Traceback" not in res.output
    assert not out.exists()


def test_bad_lock_exits_2_without_traceback(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    res = CliRunner().invoke(
        main, ["pair", FORMS, "--partners", PARTNERS, "--lock", "Atlantis=Karongi", "--out", str(out)]
    )
    assert res.exit_code == 2
    assert "no candidate 'Atlantis'" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not out.exists()


def test_missing_partners_file(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["pair", FORMS, "--partners", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "s.xlsx")]
    )
    assert res.exit_code == 2
    assert "nope.csv" in res.stderr


def test_help_ends_with_an_example() -> None:
    res = CliRunner().invoke(main, ["pair", "--help"])
    assert res.exit_code == 0
    tail = res.output.rstrip().splitlines()[-3:]
    assert tail[0].strip() == "Example:" or tail[1].strip().startswith("matchmaker pair candidacies.xlsx")
    assert tail[-1].strip().endswith("--json result.json")
    for option in (
        "--lock",
        "--forbid",
        "--alternatives",
        "--solver",
        "--time-limit",
        "--strict",
        "--out",
        "--json",
    ):
        assert option in res.output


def test_no_solver_banner_at_file_descriptor_level(tmp_path: Path) -> None:
    # highspy prints from C to fd 1, past click's captured streams: only a real process shows it
    args = [sys.executable, "-m", "matchmaker", "pair", FORMS, "--partners", PARTNERS, "--solver", "highs"]
    args += ["--out", str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "r.json")]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "HiGHS" not in done.stdout and "HiGHS" not in done.stderr
    assert done.stdout.startswith("country")


def test_pair_takes_the_review_aggregation(tmp_path: Path) -> None:
    """--aggregate reaches the scores: leniency-corrected ratings give other scores than the mean."""
    root = Path(__file__).resolve().parent.parent / "sample_data"
    docs = {}
    for method in ("mean", "leniency"):
        out = tmp_path / f"{method}.json"
        args = [str(root / "candidacies.xlsx"), "--partners", str(root / "partners.csv")]
        args += ["--reviews", str(root / "reviews"), "--aggregate", method]
        args += ["--out", str(tmp_path / f"{method}.xlsx"), "--json", str(out)]
        outcome = CliRunner().invoke(main, ["pair", *args])
        assert outcome.exit_code == 0, outcome.output
        docs[method] = json.loads(out.read_text(encoding="utf-8"))
    assert docs["mean"]["manifest"]["options"]["aggregate"] == "mean"
    assert docs["leniency"]["manifest"]["options"]["aggregate"] == "leniency"
    scores = {
        m: {c["candidate_id"]: c["score"] for c in d["candidates"] if c["eligible"]} for m, d in docs.items()
    }
    assert scores["mean"].keys() == scores["leniency"].keys()
    assert scores["mean"] != scores["leniency"]


def test_json_and_workbook_may_not_share_a_path(tmp_path: Path) -> None:
    same = tmp_path / "result.xlsx"
    res = CliRunner().invoke(
        main, ["pair", FORMS, "--partners", PARTNERS, "--out", str(same), "--json", str(same)]
    )
    assert res.exit_code == 2
    assert "--json and --out name the same file" in res.output
    assert not same.exists()
