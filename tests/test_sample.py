"""sample.py: the committed sample files are the generator's output, and intake reads them as intended."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR
from openpyxl import load_workbook

from matchmaker import schema as s
from matchmaker.form_mapping import option_codes, parse_multi
from matchmaker.intake import read_form
from matchmaker.sample import CLOSE_CALLS, HEADERS, main, make_export, partner_rows, truth, write_export


def _cells(path: Path) -> tuple[str, list[tuple[object, ...]]]:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return sheet.title, rows


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    assert main([str(out)]) == 0
    return out


def test_committed_workbook_equals_the_generator_output(generated: Path) -> None:
    committed = _cells(SAMPLE_DIR / "candidacies.xlsx")
    fresh = _cells(generated / "candidacies.xlsx")
    assert committed == fresh
    title, rows = committed
    assert title == "Form1"
    assert rows[0] == HEADERS


def test_committed_partners_and_truth_equal_the_generator_output(generated: Path) -> None:
    assert _csv_rows(SAMPLE_DIR / "partners.csv") == _csv_rows(generated / "partners.csv")
    committed = json.loads((SAMPLE_DIR / "truth.json").read_text(encoding="utf-8"))
    assert committed == json.loads((generated / "truth.json").read_text(encoding="utf-8"))


def test_committed_close_calls_equal_the_generator_output(generated: Path) -> None:
    committed, fresh = SAMPLE_DIR / CLOSE_CALLS, generated / CLOSE_CALLS
    assert _cells(committed / "candidacies.xlsx") == _cells(fresh / "candidacies.xlsx")
    assert _csv_rows(committed / "partners.csv") == _csv_rows(fresh / "partners.csv")
    sheets = sorted(p.name for p in (committed / "reviews").glob("*.xlsx"))
    assert sheets == sorted(p.name for p in (fresh / "reviews").glob("*.xlsx")) and len(sheets) == 3
    for name in sheets:
        assert _cells(committed / "reviews" / name) == _cells(fresh / "reviews" / name)


def test_the_generator_is_deterministic(tmp_path: Path, generated: Path) -> None:
    again = tmp_path / "again"
    assert main([str(again)]) == 0
    assert _cells(again / "candidacies.xlsx") == _cells(generated / "candidacies.xlsx")


def test_the_generator_needs_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_partners_file_follows_the_domain() -> None:
    rows = _csv_rows(SAMPLE_DIR / "partners.csv")
    assert list(rows[0]) == [
        *("partner", "country", "region", "themes", "languages", "has_flemish_link"),
        *("region_nl", "region_fr"),  # the region in the workbooks' languages, where it is known
    ]
    rwanda = {r["partner"]: r["region"] for r in rows if r["country"] == "Rwanda"}
    assert rwanda == {
        "Karongi": "Western Province",
        "Bugesera": "Eastern Province",
        "Gatsibo": "Eastern Province",
        "Nyanza": "Southern Province",
    }
    benin = [r for r in rows if r["country"] == "Benin"]
    assert all("placeholder" in r["partner"] and "placeholder" in r["region"] for r in benin)
    assert sum(r["has_flemish_link"] == "Nee" for r in benin) == 11
    assert sum(r["has_flemish_link"] == "Ja" for r in benin) == 2
    assert len({r["partner"] for r in rows}) == len(rows)
    themes = option_codes(None, s.THEMES)
    languages = option_codes(None, s.LANGUAGES)
    for row in rows:
        assert parse_multi(row["themes"], themes)[1] == []
        codes, unknown = parse_multi(row["languages"], languages)
        assert unknown == [] and "fr" in codes
    assert partner_rows() == rows


def test_intake_of_the_sample_agrees_with_the_hand_written_truth() -> None:
    result = read_form(SAMPLE_DIR / "candidacies.xlsx")
    frame = result.candidates.set_index(s.SUBMISSION_ID)
    facts = truth()
    assert sorted(frame.index) == [t["id"] for t in facts]
    for t in facts:
        row = frame.loc[t["id"]]
        assert row[s.NAME_AS_WRITTEN] == t["written"]
        assert row[s.REFNIS] == t["refnis"], t["written"]
        assert (row[s.CANDIDATE_ID] == t["refnis"]) == t["counts"], t["written"]
        if t["refuses_commitment"] or t["refnis"] is None or not t["counts"]:
            assert not row[s.ELIGIBLE], t["written"]
        else:
            assert row[s.ELIGIBLE], t["written"]
        if t["why_none"] == "not Flemish":
            assert row[s.RESOLUTION] == "not-flemish"


def test_the_sample_makes_an_interesting_pairing() -> None:
    eligible = read_form(SAMPLE_DIR / "candidacies.xlsx").eligible()
    assert 18 <= len(eligible) <= 26
    prefs = set(eligible[s.COUNTRY_PREFERENCE])
    assert prefs == {"Rwanda", "Benin", "any"}
    # Benin needs French: only 3 eligible candidates accept Benin and work in French, as in 2024.
    benin_ready = eligible[
        eligible[s.COUNTRY_PREFERENCE].isin(["Benin", "any"]) & eligible[s.LANGUAGES].map(lambda x: "fr" in x)
    ]
    assert len(benin_ready) == 3
    assert len(set(benin_ready[s.PROVINCE])) == 3
    # No candidate who prefers Rwanda could fill a Benin slot in French either.
    assert not eligible[s.LANGUAGES].map(lambda x: "fr" in x).sum() > 3
    assert (eligible[s.COUNTRY_PREFERENCE] != "Benin").sum() >= 4
    assert eligible[s.PROVINCE].nunique() == 5


def test_make_export_scales(tmp_path: Path) -> None:
    rows = make_export(300, seed=1)
    submissions = [r for r in rows if r is not None]
    assert len(submissions) == 300
    assert make_export(300, seed=1) == rows
    path = write_export(rows, tmp_path / "big.xlsx")
    result = read_form(path)
    assert len(result.candidates) == 300
    assert result.candidates[s.CANDIDATE_ID].is_unique
