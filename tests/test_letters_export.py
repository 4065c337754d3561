"""Letters at scale and on paper: every letter of a 300-submission export written, read back with
python-docx and checked against the result (outcome, partner, every number of its table, which adds
up); the sample's letters printed by LibreOffice keep to one A4 page, and one that cannot gets a
header naming the candidacy on its second page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from matchmaker.cli import main
from matchmaker.i18n import code_label, label, number
from matchmaker.letters import (
    MERGE_TABLE,
    NOT_ELIGIBLE,
    NOT_SELECTED,
    RESERVE,
    SELECTED,
    SUPERSEDED,
    criteria_of,
    letters,
    read_result,
    write_letters,
)
from matchmaker.sample import make_export, write_export

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def export_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pairing of a 300-submission export, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("export300")
    write_export(make_export(300, seed=3), folder / "forms.xlsx")
    shutil.copy(SAMPLE / "partners.csv", folder / "partners.csv")
    args = ["pair", str(folder / "forms.xlsx"), "--partners", str(folder / "partners.csv")]
    args += ["--out", str(folder / "s.xlsx"), "--json", str(folder / "result.json")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return folder


def expected_outcome(cand: dict[str, Any], pairs: dict[str, Any], reserves: dict[str, Any]) -> str:
    if cand["superseded_by"] is not None:
        return SUPERSEDED
    if not cand["eligible"]:
        return NOT_ELIGIBLE
    if cand["candidate_id"] in pairs:
        return SELECTED
    return RESERVE if cand["candidate_id"] in reserves else NOT_SELECTED


def parse_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_letters_for_a_300_candidate_export_match_the_result(export_run: Path) -> None:
    out = export_run / "letters"
    args = ["letters", str(export_run / "result.json"), "--out", str(out), "--date", "2024-03-01"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    doc = read_result(export_run / "result.json")
    criteria = criteria_of(doc)
    weights = {c.key: c.weight for c in criteria.criteria}
    pairs = {p["candidate_id"]: p for p in doc["pairs"]}
    reserves = {r["candidate_id"]: r for r in doc["reserves"]}
    candidates = {int(c["submission_id"]): c for c in doc["candidates"]}
    assert len(candidates) == 300
    # the merge table names each letter's file: one row per candidacy
    ws = openpyxl.load_workbook(out / MERGE_TABLE).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    at = {
        key: head.index(label(key, "nl"))
        for key in ("submission", "letter_outcome", "partner", "letter_file")
    }
    assert len(rows) - 1 == 300 == len(list(out.glob("*.docx")))
    seen = set()
    for row in rows[1:]:
        cand = candidates[int(row[at["submission"]])]  # type: ignore[arg-type]
        outcome = expected_outcome(cand, pairs, reserves)
        seen.add(outcome)
        assert row[at["letter_outcome"]] == label(f"letter_outcome_{outcome}", "nl")
        letter = docx.Document(str(out / str(row[at["letter_file"]])))
        text = "\n".join(p.text for p in letter.paragraphs)
        name = cand["municipality"] or cand["name_as_written"]
        assert name in text
        if outcome == SELECTED:
            pair = pairs[cand["candidate_id"]]
            assert row[at["partner"]] == pair["partner"]
            assert f"gekoppeld aan {pair['partner']} in {code_label(pair['country'], 'nl')}" in text
            assert f"{number(pair['value'], 'nl')} punten" in text
        elif outcome == RESERVE:
            assert f"op plaats {reserves[cand['candidate_id']]['rank']}" in text
        elif outcome == NOT_SELECTED:
            assert "niet geselecteerd" in text
        elif outcome == NOT_ELIGIBLE:
            assert "voldoet niet aan de voorwaarden" in text
        else:
            assert "alleen de laatste inzending van een bestuur telt" in text
        if outcome in (SUPERSEDED, NOT_ELIGIBLE):
            assert not letter.tables
            continue
        # the table: per criterion its weight and the candidate's points as the result has them
        (table,) = letter.tables
        cells = [[c.text for c in r.cells] for r in table.rows]
        by_label = {r[0]: r for r in cells[1:]}
        total = by_label.pop(label("letter_total", "nl"))
        assert len(by_label) == len(criteria.criteria)
        points = []
        for c in criteria.criteria:
            line = next(v for k, v in by_label.items() if k and line_is(k, c.key, c.label))
            assert parse_number(line[1]) == weights[c.key]
            assert line[3] == number(cand["breakdown"][c.key], "nl")
            points.append(parse_number(line[3]))
        assert total[3] == number(cand["score"], "nl")
        assert sum(points) == pytest.approx(parse_number(total[3]), abs=0.01 * len(points))
        assert (
            f"{number(cand['score'], 'nl')} van de 100 punten en staat op plaats {cand['rank']} van de"
            in text
        )
        needed = next((e for e in doc["explanations"] if e["candidate_id"] == cand["candidate_id"]), {})
        if outcome != SELECTED and needed.get("need") == "score" and needed.get("score_needed"):
            assert number(needed["score_needed"], "nl") in text
    assert seen == {SELECTED, RESERVE, NOT_SELECTED, NOT_ELIGIBLE, SUPERSEDED}


def line_is(shown: str, key: str, written: str) -> bool:
    """A table row's criterion as the letter names it: the catalogue's label, or the criteria file's."""
    return shown in (label(key, "nl"), written)


# --- on paper --------------------------------------------------------------------------------------

needs_writer = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) and poppler are not installed: "
    "apt-get install libreoffice-writer poppler-utils",
)


def to_pdf(files: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    profile = folder / "profile"  # a profile of its own: another LibreOffice running elsewhere is left alone
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(folder), *map(str, files)], check=True, capture_output=True, timeout=600
    )
    return [folder / f.with_suffix(".pdf").name for f in files]


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return text.stdout.split("\f")[:-1] if text.stdout.endswith("\f") else text.stdout.split("\f")


@needs_writer
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_sample_letters_print_on_one_a4_page(tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    common = [str(SAMPLE / "candidacies.xlsx"), "--partners", str(SAMPLE / "partners.csv")]
    common += ["--reviews", str(SAMPLE / "reviews")]
    result = CliRunner().invoke(
        main, ["pair", *common, "--out", str(folder / "s.xlsx"), "--json", str(folder / "r.json")]
    )
    assert result.exit_code == 0, result.output
    doc = read_result(folder / "r.json")
    made = letters(doc, criteria_of(doc), lang=lang, date=dt.date(2024, 3, 1))
    written = [p for p in write_letters(made, folder / "letters") if p.suffix == ".docx"]
    # the longest letter of each outcome: if they fit, the shorter ones do
    longest: dict[str, tuple[int, Path]] = {}
    for letter, path in zip(made, written, strict=True):
        size = path.stat().st_size + sum(
            len(t) for t in (*letter.grounds, *letter.comments, *letter.paragraphs)
        )
        if letter.outcome not in longest or size > longest[letter.outcome][0]:
            longest[letter.outcome] = (size, path)
    assert set(longest) == {SELECTED, RESERVE, NOT_SELECTED, NOT_ELIGIBLE, SUPERSEDED}
    for pdf in to_pdf([p for _, p in longest.values()], tmp_path / "pdf"):
        printed = pages(pdf)
        assert len(printed) == 1, (pdf.name, len(printed))
        size = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        assert "595.3" in size and "841.8" in size  # A4 in points


@needs_writer
def test_a_letter_too_long_for_a_page_names_the_candidacy_on_the_next(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    common = [str(SAMPLE / "candidacies.xlsx"), "--partners", str(SAMPLE / "partners.csv")]
    result = CliRunner().invoke(
        main, ["pair", *common, "--out", str(folder / "s.xlsx"), "--json", str(folder / "r.json")]
    )
    assert result.exit_code == 0, result.output
    doc = read_result(folder / "r.json")
    cid = doc["pairs"][0]["candidate_id"]
    many = {
        cid: [
            f"Opmerking {i}: de motivatie is helder en de projecten zijn goed beschreven." for i in range(40)
        ]
    }
    made = letters(doc, criteria_of(doc), lang="nl", date=dt.date(2024, 3, 1), comments=many)
    letter = next(x for x in made if x.candidate_id == cid)
    (path, _table) = write_letters([letter], folder / "letters")
    (pdf,) = to_pdf([path], tmp_path / "pdf")
    printed = pages(pdf)
    assert len(printed) >= 2
    reference = f"Betreft: de kandidatuur van {letter.municipality}, inzending {letter.submission}"
    assert reference in printed[0]
    # the header on the pages after the first, and only there
    assert all(reference in " ".join(page.split()) for page in printed[1:])
    assert " ".join(printed[0].split()).count(reference) == 1
