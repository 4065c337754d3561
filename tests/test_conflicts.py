"""Conflicts of interest and consent to share comments: declared on the sample's reviewer sheets or
in the committee's file, the aggregate checked against the ratings read by hand from the sheets,
refusals with their file and row, the result, manifest, Overzicht and the letters."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from matchmaker.agreement import krippendorff_alpha
from matchmaker.cli import main
from matchmaker.conflicts import read_conflicts
from matchmaker.criteria import load_criteria
from matchmaker.errors import ReviewError
from matchmaker.intake import read_form
from matchmaker.reviews import REVIEW_SHEET, Reviews, ReviewSheetError, read_reviews

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def headers(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)[REVIEW_SHEET]
    return {str(c.value): c.column for c in ws[1]}


def sheet_rows(path: Path) -> dict[str, dict[str, object]]:
    """Each row of a reviewer sheet by candidate id, its cells by header, as a person reads them."""
    ws = openpyxl.load_workbook(path)[REVIEW_SHEET]
    heads = [str(c.value) for c in ws[1]]
    out = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] is not None:
            out[str(row[0])] = dict(zip(heads, row, strict=False))
    return out


ITEMS = {"equal_basis": "Gelijkwaardige uitwisseling", "openness": "Openheid om te leren",
         "concreteness": "Concrete inbreng"}  # fmt: skip


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    for name in ("candidacies.xlsx", "partners.csv"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    shutil.copytree(SAMPLE / "reviews", tmp_path / "reviews")
    return tmp_path


def declare(path: Path, cid: str, *, clear: bool = True) -> int:
    """Mark a conflict with `cid` on a reviewer sheet, clearing its ratings; the row it is on."""
    wb = openpyxl.load_workbook(path)
    ws = wb[REVIEW_SHEET]
    col = headers(path)
    for r in range(2, ws.max_row + 1):
        if str(ws.cell(row=r, column=1).value) == cid:
            ws.cell(row=r, column=col["Belangenconflict"]).value = "ja"
            if clear:
                for header in ITEMS.values():
                    ws.cell(row=r, column=col[header]).value = None
            wb.save(path)
            return r
    raise AssertionError(f"{cid} not on {path}")


def test_a_conflict_on_a_sample_sheet_changes_the_aggregate_as_by_hand(sample: Path) -> None:
    criteria = load_criteria()
    candidates = read_form(sample / "candidacies.xlsx", eligibility=criteria.eligibility).candidates
    sheets = sorted((sample / "reviews").glob("*.xlsx"))
    before = read_reviews(sheets, criteria, candidates)
    by_sheet = [sheet_rows(p) for p in sheets]
    # a candidate every reviewer rated, whose ratings by A are not the mean of the others'
    cid = next(
        c
        for c in by_sheet[0]
        if all(by_sheet[k][c][ITEMS["equal_basis"]] is not None for k in range(3))
        and by_sheet[0][c][ITEMS["equal_basis"]] != by_sheet[1][c][ITEMS["equal_basis"]]
    )
    declare(sheets[0], cid)
    after = read_reviews(sheets, criteria, candidates)
    table = after.aggregate("mean")
    for key, header in ITEMS.items():
        others = [by_sheet[k][cid][header] for k in (1, 2) if by_sheet[k][cid][header] is not None]
        by_hand = sum(others) / len(others)  # type: ignore[arg-type]
        assert table.loc[cid, key] == pytest.approx(by_hand)
        everyone = [by_sheet[k][cid][header] for k in range(3)]
        assert before.aggregate("mean").loc[cid, key] == pytest.approx(sum(everyone) / 3)  # type: ignore[arg-type]
    assert table.loc[cid, "equal_basis"] != before.aggregate("mean").loc[cid, "equal_basis"]
    # the other candidates keep their aggregate
    rest = [c for c in table.index if c != cid]
    pd.testing.assert_frame_equal(table.loc[rest], before.aggregate("mean").loc[rest])
    declared = {(c["reviewer"], c["candidate_id"], c["declared"]) for c in after.conflicts}
    assert ("Reviewer A - An Peeters (fictief)", cid, "sheet") in declared
    # the sample's own: Reviewer B declares a conflict with the candidate B left unrated
    b_rows = by_sheet[1]
    assert {c for c, row in b_rows.items() if row["Belangenconflict"] == "ja"} == {
        c["candidate_id"] for c in before.conflicts
    }


def test_conflicted_ratings_leave_the_agreement_figures(sample: Path) -> None:
    """Reviews holding ratings of a reviewer declared in conflict (as a notebook may build them):
    alpha and the leniency fit are those of the ratings without them."""
    criteria = load_criteria()
    candidates = read_form(sample / "candidacies.xlsx", eligibility=criteria.eligibility).candidates
    read = read_reviews(sorted((sample / "reviews").glob("*.xlsx")), criteria, candidates)
    a, cid = "Reviewer A - An Peeters (fictief)", str(read.ratings["candidate_id"].iloc[0])
    conflicted = Reviews(
        ratings=read.ratings,
        items=read.items,
        scale=read.scale,
        candidate_ids=read.candidate_ids,
        conflicts=({"reviewer": a, "candidate_id": cid},),
    )
    kept = read.ratings[~((read.ratings["reviewer"] == a) & (read.ratings["candidate_id"] == cid))]
    assert len(kept) == len(read.ratings) - 3
    without = Reviews(ratings=kept, items=read.items, scale=read.scale, candidate_ids=read.candidate_ids)
    for item, alpha in conflicted.agreement().items():
        rows = kept[kept["item"] == item]
        table = rows.pivot_table(index="reviewer", columns="candidate_id", values="rating", aggfunc="first")
        assert alpha == pytest.approx(krippendorff_alpha(table.to_numpy(dtype=float)))
    assert conflicted.agreement() != read.agreement()
    pd.testing.assert_frame_equal(conflicted.aggregate("leniency"), without.aggregate("leniency"))
    pd.testing.assert_frame_equal(conflicted.leniency(), without.leniency())
    assert conflicted.to_json()["ratings"] == len(kept)
    assert not np.isnan(conflicted.aggregate().loc[cid]).any()  # the others still rate it


def test_a_rating_despite_a_conflict_on_the_sheet_is_refused_with_its_row(sample: Path) -> None:
    criteria = load_criteria()
    candidates = read_form(sample / "candidacies.xlsx", eligibility=criteria.eligibility).candidates
    path = sample / "reviews" / "reviewer-c.xlsx"
    cid = next(iter(sheet_rows(path)))
    row = declare(path, cid, clear=False)
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews(path, criteria, candidates)
    (problem,) = caught.value.problems
    assert (problem.path, problem.row, problem.column) == (path, row, "I (Belangenconflict)")
    assert "despite the declared conflict" in problem.problem


def test_the_committee_file_refuses_ratings_and_bad_rows(sample: Path) -> None:
    common = [str(sample / "candidacies.xlsx"), "--partners", str(sample / "partners.csv")]
    common += ["--reviews", str(sample / "reviews")]
    out = ["--out", str(sample / "s.xlsx"), "--json", str(sample / "r.json")]
    conflicts = sample / "conflicts.csv"
    first = next(iter(sheet_rows(sample / "reviews" / "reviewer-a.xlsx").values()))  # on row 2
    name = first["Gemeente"]
    conflicts.write_text(
        f"reviewer,municipality\nreviewer a - an peeters (fictief),{name}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["pair", *common, "--conflicts", str(conflicts), *out])
    assert result.exit_code == 2
    assert "reviewer-a.xlsx, sheet 'Beoordeling', row 2:" in result.output
    assert f"declared in {conflicts} row 2" in result.output
    assert not (sample / "s.xlsx").exists()
    # a name nobody can find, an empty cell, a reviewer without a sheet: each with its row
    conflicts.write_text(
        f"Reviewer,Gemeente\nReviewer A - An Peeters (fictief),Gentt\n,{name}\nNiemand,{name}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReviewError) as caught:
        read_conflicts(conflicts, read_form(sample / "candidacies.xlsx").candidates)
    assert "row 2: no candidate 'Gentt'; did you mean 'Gent'?" in str(caught.value)
    assert "row 3: give both the reviewer and the municipality" in str(caught.value)
    conflicts.write_text(f"reviewer,municipality\nNiemand,{name}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pair", *common, "--conflicts", str(conflicts), *out])
    assert result.exit_code == 2 and f"{conflicts}, row 2: no reviewer sheet by 'Niemand'" in result.output
    # the heading counts the reviewer sheets, and names the conflicts file apart
    conflicts.write_text(
        f"reviewer,municipality\nreviewer a - an peeters (fictief),{name}\nNiemand,{name}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["pair", *common, "--conflicts", str(conflicts), *out])
    assert result.exit_code == 2
    assert "2 problem(s) in 1 reviewer sheet(s) and the conflicts file:" in result.output, result.output
    conflicts.write_text(f"reviewer,municipality\nNiemand,{name}\nNiemand Anders,{name}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pair", *common, "--conflicts", str(conflicts), *out])
    assert result.exit_code == 2 and "2 problem(s) in the conflicts file:" in result.output, result.output
    conflicts.write_text("wie,wat\nA,B\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pair", *common, "--conflicts", str(conflicts), *out])
    assert result.exit_code == 2 and "needs the columns reviewer and municipality" in result.output


def test_declared_conflicts_in_result_manifest_overzicht_and_letters(sample: Path) -> None:
    a_sheet = sample / "reviews" / "reviewer-a.xlsx"
    rows = sheet_rows(a_sheet)
    cid = next(iter(rows))
    declare(a_sheet, cid)  # A's ratings cleared: the committee's declaration is then accepted
    conflicts = sample / "conflicts.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["reviewer", "municipality"])
    ws.append(["Reviewer A - An Peeters (fictief)", str(rows[cid]["Gemeente"])])
    wb.save(conflicts)
    common = [str(sample / "candidacies.xlsx"), "--partners", str(sample / "partners.csv")]
    common += ["--reviews", str(sample / "reviews"), "--conflicts", str(conflicts)]
    out = ["--out", str(sample / "s.xlsx"), "--json", str(sample / "r.json")]
    result = CliRunner().invoke(main, ["pair", *common, *out])
    assert result.exit_code == 0, result.output
    doc = json.loads((sample / "r.json").read_text(encoding="utf-8"))
    declared = {(c["reviewer"], c["candidate_id"], c["declared"]) for c in doc["reviews"]["conflicts"]}
    b_cid = next(
        c for c, row in sheet_rows(sample / "reviews" / "reviewer-b.xlsx").items() if row["Belangenconflict"]
    )
    assert declared == {
        ("Reviewer A - An Peeters (fictief)", cid, "committee"),
        ("Reviewer B - Koen Maes (fictief)", b_cid, "sheet"),
    }
    options = doc["manifest"]["options"]
    assert options["conflicts"] == str(conflicts)
    assert {(c["reviewer"], c["candidate_id"]) for c in options["declared_conflicts"]} == {
        (r, c) for r, c, _ in declared
    }
    assert "conflicts" in {entry["role"] for entry in doc["manifest"]["inputs"]}
    # Overzicht names both, with where each was declared
    overview = openpyxl.load_workbook(sample / "s.xlsx")["Overzicht"]
    texts = [str(c.value) for row in overview.iter_rows() for c in row if c.value is not None]
    at = texts.index("Belangenconflicten")
    shown = texts[at:]
    assert "Reviewer A - An Peeters (fictief)" in shown and "Reviewer B - Koen Maes (fictief)" in shown
    assert "door het comité (conflicts.xlsx, rij 2)" in shown
    assert "door de beoordelaar, op het blad" in shown
    # the letters quote only comments their reviewer agreed to share (the sample: C's, not A's or B's)
    letters = sample / "letters"
    result = CliRunner().invoke(main, ["letters", str(sample / "r.json"), "--out", str(letters)])
    assert result.exit_code == 0, result.output
    quoted = {}
    for path in letters.glob("*.docx"):
        paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
        quoted[path.name] = [p for p in paragraphs if p.startswith("Beoordelaar ")]
    all_quoted = [q for qs in quoted.values() for q in qs]
    sheets = {p.name: sheet_rows(p) for p in sorted((sample / "reviews").glob("*.xlsx"))}
    shared = [
        row["Opmerking"]
        for rows_ in sheets.values()
        for row in rows_.values()
        if row["Opmerking"] and row["Opmerking delen met kandidaat?"] == "ja"
    ]
    withheld = [
        row["Opmerking"]
        for rows_ in sheets.values()
        for row in rows_.values()
        if row["Opmerking"] and row["Opmerking delen met kandidaat?"] != "ja"
    ]
    assert shared and withheld
    assert sorted(q.split(": ", 1)[1] for q in all_quoted) == sorted(shared)
    assert not any(w in q for w in withheld for q in all_quoted)


def test_a_sheet_written_before_these_columns_reads_as_before(sample: Path) -> None:
    """A sheet handed out before the conflict and consent columns existed: no conflict, nothing shared."""
    criteria = load_criteria()
    candidates = read_form(sample / "candidacies.xlsx", eligibility=criteria.eligibility).candidates
    path = sample / "reviews" / "reviewer-c.xlsx"
    fresh = read_reviews(path, criteria, candidates)
    wb = openpyxl.load_workbook(path)
    ws, meta = wb[REVIEW_SHEET], wb["_meta"]
    ws.delete_cols(11)  # the consent column, then the conflict column
    ws.delete_cols(9)
    for r in range(meta.max_row, 0, -1):
        if meta.cell(row=r, column=1).value in ("column:conflict", "column:share"):
            meta.delete_rows(r)
    wb.save(path)
    old = read_reviews(path, criteria, candidates)
    pd.testing.assert_frame_equal(old.ratings, fresh.ratings)
    assert not old.conflicts and not old.shared_comments() and fresh.shared_comments()


def test_score_takes_the_committee_file_too(sample: Path) -> None:
    rows = sheet_rows(sample / "reviews" / "reviewer-c.xlsx")
    cid = next(iter(rows))
    conflicts = sample / "conflicts.csv"
    conflicts.write_text(
        f"reviewer,municipality\nReviewer C - Fatou Diallo (fictief),{cid}\n", encoding="utf-8"
    )
    args = ["score", str(sample / "candidacies.xlsx"), "--reviews", str(sample / "reviews")]
    refused = CliRunner().invoke(main, [*args, "--conflicts", str(conflicts)])
    assert refused.exit_code == 2 and "reviewer-c.xlsx, sheet 'Beoordeling', row 2:" in refused.output
    declare(sample / "reviews" / "reviewer-c.xlsx", cid)
    result = CliRunner().invoke(main, [*args, "--conflicts", str(conflicts)])
    assert result.exit_code == 0, result.output
    assert (
        f"Conflict of interest: Reviewer C - Fatou Diallo (fictief) with {rows[cid]['Gemeente']} ({cid})"
        in result.output
    )
