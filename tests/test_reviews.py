"""reviews.py: reviewer sheets written and read back, rating problems, aggregation and agreement."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_agreement import KRIPPENDORFF_EXAMPLE

from matchmaker import schema as s
from matchmaker.agreement import krippendorff_alpha
from matchmaker.criteria import Criteria, RubricItem, load_criteria
from matchmaker.errors import OutputError, ReviewError
from matchmaker.i18n import code_label
from matchmaker.i18n.wording import review_note_text
from matchmaker.reviews import (
    COMMENT,
    ITEM,
    LEGEND_SHEET,
    META_SHEET,
    RATING,
    REVIEW_SHEET,
    REVIEWER,
    SHEET_SCHEMA,
    Reviews,
    ReviewSheetError,
    read_reviews,
    review_files,
    write_review_sheet,
)
from matchmaker.sample import make_sample_reviews

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ("equal_basis", "openness", "concreteness")


def make_criteria() -> Criteria:
    return Criteria(
        version=1,
        name="Testronde",
        rubric=(
            RubricItem("equal_basis", "Gelijkwaardige uitwisseling", "Op gelijke voet uitwisselen."),
            RubricItem("openness", "Openheid om te leren", "Leren van de partner."),
            RubricItem("concreteness", "Concrete inbreng", "Concrete projecten of beleid."),
        ),
        rubric_scale=(1, 5),
    )


def make_candidates(n: int = 4, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = ["Gent", "Zulte", "Melle", "Aalst", "Brugge", "Hasselt", "Lier", "Mol"]
    provinces = ["Oost-Vlaanderen", "Oost-Vlaanderen", "Oost-Vlaanderen", "Oost-Vlaanderen"]
    provinces += ["West-Vlaanderen", "Limburg", "Antwerpen", "Antwerpen"]
    rows = []
    for i in range(n):
        words = rng.integers(5, 60)
        rows.append(
            {
                s.CANDIDATE_ID: f"{44000 + 7 * i + 1}",
                s.MUNICIPALITY: names[i],
                s.PROVINCE: provinces[i],
                s.MOTIVATION: " ".join(["Wij willen samen leren en uitwisselen."] * int(words)),
                s.PROJECTS: f"Project {i}: lokale welvaart.\nTweede regel.",
                s.ELIGIBLE: True,
            }
        )
    return pd.DataFrame(rows)


def fill(path: Path, ratings: dict[str, dict[str, object]], comments: dict[str, str] | None = None) -> None:
    """Fill a written sheet as a reviewer would: type into the rating and comment cells, save."""
    wb = openpyxl.load_workbook(path)
    ws = wb[REVIEW_SHEET]
    headers = [c.value for c in ws[1]]
    labels = {item.key: item.label for item in make_criteria().rubric}
    for row in ws.iter_rows(min_row=2):
        cid = row[0].value
        for key, value in ratings.get(cid, {}).items():
            row[headers.index(labels[key])].value = value
        if comments and cid in comments:
            row[headers.index("Opmerking")].value = comments[cid]
    wb.save(path)


def sheet(tmp_path: Path, reviewer: str, candidates: pd.DataFrame | None = None) -> Path:
    frame = make_candidates() if candidates is None else candidates
    return write_review_sheet(frame, make_criteria(), reviewer, tmp_path / f"{reviewer}.xlsx")


# --- writing -----------------------------------------------------------------------------------------


def test_sheet_lists_eligible_candidates_with_texts(tmp_path: Path) -> None:
    candidates = make_candidates(5)
    candidates.loc[2, s.ELIGIBLE] = False
    path = sheet(tmp_path, "An", candidates)
    ws = openpyxl.load_workbook(path)[REVIEW_SHEET]
    ids = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    expected = candidates[candidates[s.ELIGIBLE]].sort_values(s.MUNICIPALITY)
    assert ids == list(expected[s.CANDIDATE_ID])
    headers = [c.value for c in ws[1]]
    assert headers == [
        "Kandidaat (NIS-code)",
        "Gemeente",
        "Provincie",
        "Motivatie",
        "Lopende projecten of beleid",
        "Gelijkwaardige uitwisseling",
        "Openheid om te leren",
        "Concrete inbreng",
        "Belangenconflict",
        "Opmerking",
        "Opmerking delen met kandidaat?",
    ]
    first = expected.iloc[0]
    assert ws["B2"].value == first[s.MUNICIPALITY]
    assert ws["D2"].value == first[s.MOTIVATION]
    assert ws["E2"].value == first[s.PROJECTS]
    assert ws["D2"].alignment.wrap_text
    # Long motivations get taller rows, and the text columns are wide enough to read.
    heights = [ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)]
    longest = int(np.argmax([len(m) for m in expected[s.MOTIVATION]]))
    assert heights[longest] == max(heights) and max(heights) > 45
    assert ws.column_dimensions["D"].width >= 50
    assert ws.freeze_panes == "C2"


def test_sheet_validation_protection_and_meta(tmp_path: Path) -> None:
    path = sheet(tmp_path, "An Peeters")
    wb = openpyxl.load_workbook(path)
    ws = wb[REVIEW_SHEET]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(rules) == {"F2:F5", "G2:G5", "H2:H5", "I2:I5", "K2:K5"}
    # the conflict and consent columns offer a list; the ratings a whole number on the scale
    assert (rules.pop("I2:I5").formula1, rules.pop("K2:K5").formula1) == ('"ja"', '"ja,nee"')
    for dv in rules.values():
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "1", "5")
        assert dv.showErrorMessage and dv.allow_blank
        assert "geheel getal van 1 tot 5" in dv.error
    assert ws.protection.sheet
    for row in range(2, 6):
        for col in range(1, 10):
            editable = col >= 6
            assert ws.cell(row=row, column=col).protection.locked is not editable
    assert ws.cell(row=1, column=6).protection.locked
    assert ws["F1"].comment.text == "Op gelijke voet uitwisselen."
    legend = wb[LEGEND_SHEET]
    legend_text = [c.value for row in legend.iter_rows() for c in row if c.value]
    assert "Leren van de partner." in legend_text and "Beoordelaar: An Peeters" in legend_text
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    values = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert values["schema"] == SHEET_SCHEMA
    assert values["reviewer"] == "An Peeters"
    assert wb.security is not None and wb.security.lockStructure


def test_formula_looking_text_stays_text_and_control_characters_go(tmp_path: Path) -> None:
    candidates = make_candidates(4)
    texts = ['=HYPERLINK("http://x","klik")', "+32 9 123 45 67", "-- wij willen leren", "@SUM(A1)"]
    candidates[s.MOTIVATION] = texts
    candidates.loc[0, s.PROJECTS] = "Project\x00 met\x07 stuurtekens\r\nen regel"
    path = sheet(tmp_path, "An", candidates)
    for read_only in (False, True):
        ws = openpyxl.load_workbook(path, read_only=read_only)[REVIEW_SHEET]
        cells = [row[3] for row in ws.iter_rows(min_row=2)]
        assert sorted(c.value for c in cells) == sorted(texts)
        assert {c.data_type for c in cells} == {"s"}
    ws = openpyxl.load_workbook(path)[REVIEW_SHEET]
    gent_row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "Gent")
    assert gent_row[4].value == "Project met stuurtekens\nen regel"
    assert gent_row[3].quotePrefix


def test_write_refuses_bad_input_and_leaves_no_file(tmp_path: Path) -> None:
    none_eligible = make_candidates(3).assign(**{s.ELIGIBLE: False})
    with pytest.raises(ReviewError, match="no eligible candidates"):
        write_review_sheet(none_eligible, make_criteria(), "An", tmp_path / "a.xlsx")
    with pytest.raises(ReviewError, match="reviewer name is empty"):
        write_review_sheet(make_candidates(), make_criteria(), " \x01 ", tmp_path / "a.xlsx")
    with pytest.raises(OutputError, match=r"\.xlsx"):
        write_review_sheet(make_candidates(), make_criteria(), "An", tmp_path / "a.csv")
    no_rubric = Criteria(version=1, name="x")
    with pytest.raises(ReviewError, match="no rubric items"):
        write_review_sheet(make_candidates(), no_rubric, "An", tmp_path / "a.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_write_is_atomic_and_replaces(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "sheet.xlsx"
    with pytest.raises(OutputError, match="does not exist"):
        write_review_sheet(make_candidates(2), make_criteria(), "An", out)
    out.parent.mkdir()
    write_review_sheet(make_candidates(2), make_criteria(), "An", out)
    write_review_sheet(make_candidates(3), make_criteria(), "An", out)
    assert [p.name for p in out.parent.iterdir()] == ["sheet.xlsx"]
    assert openpyxl.load_workbook(out)[REVIEW_SHEET].max_row == 4


# --- reading -----------------------------------------------------------------------------------------


def test_round_trip_through_filled_sheets(tmp_path: Path) -> None:
    candidates = make_candidates(4)
    ids = list(candidates[s.CANDIDATE_ID])
    a = sheet(tmp_path, "An")
    b = sheet(tmp_path, "Koen")
    fill(
        a,
        {ids[0]: {"equal_basis": 4, "openness": 5, "concreteness": 3}, ids[1]: {"openness": 2}},
        {ids[0]: "=goed"},
    )
    # Excel stores typed numbers as floats sometimes; a whole float is a whole number.
    fill(
        b,
        {ids[0]: {"equal_basis": 2.0, "openness": "4 "}, ids[3]: {"concreteness": 1}},
        {ids[2]: "geen tijd"},
    )
    reviews = read_reviews([a, b], make_criteria(), candidates)
    got = {(r.reviewer, r.candidate_id, r.item): r.rating for r in reviews.ratings.itertuples()}
    assert got == {
        ("An", ids[0], "equal_basis"): 4,
        ("An", ids[0], "openness"): 5,
        ("An", ids[0], "concreteness"): 3,
        ("An", ids[1], "openness"): 2,
        ("Koen", ids[0], "equal_basis"): 2,
        ("Koen", ids[0], "openness"): 4,
        ("Koen", ids[3], "concreteness"): 1,
    }
    assert list(reviews.ratings.columns) == [REVIEWER, s.CANDIDATE_ID, ITEM, RATING, COMMENT]
    assert reviews.ratings[RATING].dtype == np.int64
    assert set(reviews.ratings.loc[reviews.ratings[REVIEWER] == "An", COMMENT]) == {"=goed", ""}
    assert list(reviews.comments[COMMENT]) == ["=goed", "geen tijd"]
    assert reviews.sources == {"An": a, "Koen": b}
    assert reviews.candidate_ids == tuple(ids)
    table = reviews.aggregate()
    assert table.loc[ids[0], "equal_basis"] == 3.0
    assert math.isnan(table.loc[ids[2], "openness"])


def test_folder_is_read_sorted_and_lock_files_are_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    candidates = make_candidates(3)
    cid = candidates[s.CANDIDATE_ID][0]
    for name in ("Zoe", "Bert"):
        path = write_review_sheet(candidates, make_criteria(), name, folder / f"{name.lower()}.xlsx")
        fill(path, {cid: {"openness": 3}})
    (folder / "~$zoe.xlsx").write_bytes(b"lock")
    (folder / "notes.txt").write_text("not a sheet")
    assert review_files([folder, folder / "zoe.xlsx"]) == [folder / "bert.xlsx", folder / "zoe.xlsx"]
    reviews = read_reviews(folder, make_criteria(), candidates)
    assert reviews.reviewers == ("Bert", "Zoe")
    assert [p.name for p in reviews.sources.values()] == ["bert.xlsx", "zoe.xlsx"]


def test_rating_errors_are_collected_with_row_and_column(tmp_path: Path) -> None:
    candidates = make_candidates(4)
    ids = list(candidates[s.CANDIDATE_ID])
    path = sheet(tmp_path, "An")
    fill(
        path,
        {
            ids[0]: {"equal_basis": 7, "openness": 3.5},
            ids[1]: {"concreteness": "goed"},
            ids[2]: {"openness": 0},
        },
    )
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews(path, make_criteria(), candidates)
    found = {(p.row, p.column, p.problem) for p in caught.value.problems}
    assert found == {
        # rows follow the municipality names: Aalst, Gent, Melle, Zulte
        (3, "F (Gelijkwaardige uitwisseling)", "7 is outside the scale 1 to 5"),
        (3, "G (Openheid om te leren)", "3.5 is not a whole number from 1 to 5"),
        (5, "H (Concrete inbreng)", "'goed' is not a whole number from 1 to 5"),
        (4, "G (Openheid om te leren)", "0 is outside the scale 1 to 5"),
    }
    message = str(caught.value)
    assert message.startswith("4 problem(s) in 1 reviewer sheet(s):")
    assert (
        f"{path}, sheet 'Beoordeling', row 3, column F (Gelijkwaardige uitwisseling): 7 is outside" in message
    )


def test_formula_in_rating_cell_is_an_error(tmp_path: Path) -> None:
    candidates = make_candidates(2)
    path = sheet(tmp_path, "An")
    fill(path, {candidates[s.CANDIDATE_ID][0]: {"openness": "=2+2"}})
    with pytest.raises(ReviewError, match="a formula"):
        read_reviews(path, make_criteria(), candidates)


def test_unknown_and_repeated_candidates(tmp_path: Path) -> None:
    candidates = make_candidates(3)
    path = sheet(tmp_path, "An")
    wb = openpyxl.load_workbook(path)
    ws = wb[REVIEW_SHEET]
    ws["A2"].value = "99999"
    ws["A4"].value = ws["A3"].value
    wb.save(path)
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews(path, make_criteria(), candidates)
    problems = {(p.row, p.problem) for p in caught.value.problems}
    assert problems == {
        (2, "unknown candidate '99999' (not in the form export)"),
        (4, f"candidate {ws['A3'].value} appears again (first in row 3)"),
    }
    assert {p.column for p in caught.value.problems} == {"A (Kandidaat (NIS-code))"}


def test_a_row_whose_id_and_municipality_disagree_is_refused(tmp_path: Path) -> None:
    candidates = make_candidates(4)
    path = sheet(tmp_path, "An")
    fill(path, {cid: {"equal_basis": 4} for cid in candidates[s.CANDIDATE_ID]})
    wb = openpyxl.load_workbook(path)
    ws = wb[REVIEW_SHEET]
    ws["A2"].value, ws["A3"].value = ws["A3"].value, ws["A2"].value  # two ids swapped
    ws["B4"].value = f"  {str(ws['B4'].value).upper()} "  # case and spaces do not matter
    swapped = (ws["A2"].value, ws["B2"].value)
    wb.save(path)
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews(path, make_criteria(), candidates)
    assert [(p.sheet, p.row) for p in caught.value.problems] == [(REVIEW_SHEET, 2), (REVIEW_SHEET, 3)]
    first = caught.value.problems[0]
    name = dict(zip(candidates[s.CANDIDATE_ID], candidates[s.MUNICIPALITY], strict=True))[swapped[0]]
    assert first.problem.startswith(f"candidate {swapped[0]} is {name} in the form export, but the row says")
    assert first.column == "B (Gemeente)"
    assert str(first).startswith(f"{path}, sheet '{REVIEW_SHEET}', row 2, column B (Gemeente): ")


def test_same_reviewer_twice_names_both_files(tmp_path: Path) -> None:
    candidates = make_candidates(2)
    first = write_review_sheet(candidates, make_criteria(), "An Peeters", tmp_path / "a.xlsx")
    second = write_review_sheet(candidates, make_criteria(), "an  peeters", tmp_path / "b.xlsx")
    with pytest.raises(ReviewError) as caught:
        read_reviews([first, second], make_criteria(), candidates)
    assert f"{second}, sheet '_meta': reviewer 'an peeters' already handed in {first}" in str(caught.value)


def test_renamed_and_missing_columns(tmp_path: Path) -> None:
    candidates = make_candidates(2)
    path = sheet(tmp_path, "An")
    wb = openpyxl.load_workbook(path)
    ws = wb[REVIEW_SHEET]
    ws["G1"].value = "Openheid"
    ws.delete_cols(11)
    wb.save(path)
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews(path, make_criteria(), candidates)
    assert {(p.row, p.column, p.problem) for p in caught.value.problems} == {
        (1, "G", "the header is 'Openheid' where 'Openheid om te leren' belongs (renamed or moved column)"),
        (1, "K", "the column 'Opmerking delen met kandidaat?' is missing"),
    }


def test_sheet_for_another_rubric_is_refused(tmp_path: Path) -> None:
    candidates = make_candidates(2)
    path = sheet(tmp_path, "An")
    other = Criteria(version=1, name="x", rubric=(RubricItem("equal_basis", "G"), RubricItem("impact", "I")))
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews(path, other, candidates)
    assert {p.problem for p in caught.value.problems} == {
        "the sheet has no column for the rubric item 'impact'",
        "the sheet rates 'openness', which is not an item of the criteria's rubric",
        "the sheet rates 'concreteness', which is not an item of the criteria's rubric",
    }


def test_not_a_review_sheet_and_unreadable_files(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    folder = tmp_path / "empty"
    folder.mkdir()
    missing = tmp_path / "missing.xlsx"
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews([plain, broken, folder, missing], make_criteria(), make_candidates())
    problems = {(p.path, p.problem.split(" (")[0]) for p in caught.value.problems}
    assert problems == {
        (plain, "not a reviewer sheet made by `matchmaker review-sheet`"),
        (broken, "the workbook is truncated or damaged"),
        (folder, "folder holds no reviewer sheets"),
        (missing, "no such file or folder"),
    }


def test_a_hostile_archive_is_refused_before_openpyxl_parses_it(tmp_path: Path) -> None:
    import io
    import zipfile

    path = sheet(tmp_path, "An")
    valid = path.read_bytes()

    def rewrite(extra: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(valid)) as src,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                dst.writestr(info.filename, extra.pop(info.filename, src.read(info.filename)))
            for name, data in extra.items():
                dst.writestr(name, data)
        return out.getvalue()

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>'
    )
    bomb = tmp_path / "bomb.xlsx"
    # One member claims to expand to about 4 GB in the central directory.
    at = valid.index(b"PK\x01\x02")
    bomb.write_bytes(valid[: at + 24] + (0xFFFFFF00).to_bytes(4, "little") + valid[at + 28 :])
    entities = tmp_path / "entities.xlsx"
    entities.write_bytes(rewrite({"xl/sharedStrings.xml": laughs}))
    encrypted = tmp_path / "locked.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    with pytest.raises(ReviewSheetError) as caught:
        read_reviews([bomb, entities, encrypted], make_criteria(), make_candidates())
    problems = {p.path: p.problem for p in caught.value.problems}
    assert "zip bomb" in problems[bomb]
    assert "document type declaration" in problems[entities]
    assert "password-protected" in problems[encrypted]


def test_a_renamed_rating_sheet_is_named_as_such(tmp_path: Path) -> None:
    path = sheet(tmp_path, "An")
    wb = openpyxl.load_workbook(path)
    wb[REVIEW_SHEET].title = "Blad1"
    wb.save(path)
    with pytest.raises(
        ReviewError, match=r"no sheet 'Beoordeling' \(was it renamed\? the sheets are 'Blad1'"
    ):
        read_reviews(path, make_criteria(), make_candidates())


def test_wrong_schema_version_is_refused(tmp_path: Path) -> None:
    path = sheet(tmp_path, "An")
    wb = openpyxl.load_workbook(path)
    wb[META_SHEET]["B1"].value = "matchmaker.review-sheet/0"
    wb.save(path)
    with pytest.raises(ReviewError, match=r"not a reviewer sheet of version matchmaker\.review-sheet/1"):
        read_reviews(path, make_criteria(), make_candidates())


def test_sheets_without_ratings_aggregate_to_nothing(tmp_path: Path) -> None:
    candidates = make_candidates(3)
    reviews = read_reviews(sheet(tmp_path, "An", candidates), make_criteria(), candidates)
    assert reviews.ratings.empty
    for method in ("mean", "median", "leniency"):
        table = reviews.aggregate(method)  # type: ignore[arg-type]
        assert table.shape == (3, 3) and table.isna().all().all()
    assert all(math.isnan(a) for a in reviews.agreement().values())
    assert reviews.disagreements() == []
    assert reviews.summary()[0] == "Reviews: 0 rating(s) by 1 reviewer(s) (An) on 0 candidate(s)."
    # an empty sheet is not a sign of agreement
    assert not any("differ by less" in line for line in reviews.summary())
    assert "No ratings in the sheets yet" in " ".join(reviews.summary())


def test_ineligible_and_unrated_candidates_become_notes(tmp_path: Path) -> None:
    candidates = make_candidates(3)
    ids = list(candidates[s.CANDIDATE_ID])
    path = sheet(tmp_path, "An", candidates)
    fill(path, {ids[0]: {"openness": 4}, ids[1]: {"openness": 2}})
    later = candidates.copy()
    later.loc[1, s.ELIGIBLE] = False
    reviews = read_reviews(path, make_criteria(), later)
    assert set(reviews.ratings[s.CANDIDATE_ID]) == {ids[0]}
    assert reviews.notes == (
        f"ratings of 1 candidate(s) that are no longer eligible were ignored: Zulte ({ids[1]})",
        f"1 eligible candidate(s) have no rating on any sheet: Melle ({ids[2]})",
    )
    # the notes are their facts worded in English, and read in Dutch and French too
    assert tuple(review_note_text(f, "en") for f in reviews.note_facts) == reviews.notes
    assert [review_note_text(f, "nl") for f in reviews.note_facts] == [
        f"beoordelingen van 1 kandidaat die niet langer in aanmerking komt, zijn genegeerd: Zulte ({ids[1]})",
        f"1 kandidaat die in aanmerking komt, heeft op geen enkel blad een beoordeling: Melle ({ids[2]})",
    ]
    assert review_note_text(reviews.note_facts[1], "fr") == (
        f"1 candidat éligible n'a d'évaluation sur aucune feuille\u00a0: Melle ({ids[2]})"
    )


# --- aggregation -------------------------------------------------------------------------------------


def tiny_reviews(rows: list[tuple[str, str, str, int]], ids: tuple[str, ...] = ("c1", "c2", "c3")) -> Reviews:
    ratings = pd.DataFrame(rows, columns=[REVIEWER, s.CANDIDATE_ID, ITEM, RATING]).assign(**{COMMENT: ""})
    return Reviews(ratings=ratings, items=("openness", "concreteness"), candidate_ids=ids)


def test_mean_and_median_by_hand() -> None:
    reviews = tiny_reviews(
        [
            ("A", "c1", "openness", 5),
            ("B", "c1", "openness", 2),
            ("C", "c1", "openness", 3),
            ("A", "c2", "openness", 4),
            ("A", "c1", "concreteness", 1),
            ("B", "c1", "concreteness", 2),
        ]
    )
    mean = reviews.aggregate("mean")
    median = reviews.aggregate("median")
    assert list(mean.index) == ["c1", "c2", "c3"] and list(mean.columns) == ["openness", "concreteness"]
    assert mean.loc["c1", "openness"] == pytest.approx(10 / 3)
    assert median.loc["c1", "openness"] == 3.0
    assert mean.loc["c1", "concreteness"] == median.loc["c1", "concreteness"] == 1.5
    assert mean.loc["c2", "openness"] == 4.0
    assert mean.loc[["c2", "c3"], "concreteness"].isna().all()
    assert mean.loc["c3"].isna().all()
    assert all(dtype == np.float64 for dtype in mean.dtypes)
    with pytest.raises(ReviewError, match="unknown aggregation method 'mode'"):
        reviews.aggregate("mode")  # type: ignore[arg-type]


def test_leniency_recovers_planted_offsets_exactly() -> None:
    quality = {"c1": 2.0, "c2": 3.0, "c3": 4.0, "c4": 3.0}
    offsets = {"A": 1.0, "B": 0.0, "C": -1.0}
    rows = [
        (r, c, item, int(q + b))
        for item in ("openness", "concreteness")
        for c, q in quality.items()
        for r, b in offsets.items()
    ]
    reviews = tiny_reviews(rows, ids=tuple(quality))
    fitted = reviews.aggregate("leniency")
    for item in ("openness", "concreteness"):
        assert fitted[item].to_dict() == pytest.approx(quality)
    assert reviews.leniency()["openness"].to_dict() == pytest.approx(offsets)
    # The plain mean is the same on a complete balanced design, but not once a lenient rating is missing.
    incomplete = tiny_reviews([r for r in rows if (r[0], r[1]) != ("C", "c1")], ids=tuple(quality))
    assert incomplete.aggregate("leniency")["openness"].to_dict() == pytest.approx(quality)
    assert incomplete.aggregate("mean").loc["c1", "openness"] == 2.5
    assert incomplete.leniency().loc["C"].to_list() == pytest.approx([-1.0, -1.0])


def test_leniency_clips_to_the_scale() -> None:
    reviews = tiny_reviews(
        [
            ("A", "c1", "openness", 5),
            ("B", "c1", "openness", 4),
            ("A", "c2", "openness", 2),
            ("B", "c2", "openness", 1),
            ("A", "c3", "openness", 5),
        ]
    )
    fitted = reviews.aggregate("leniency")["openness"]
    # A is half a point more lenient than B: c3, rated 5 by A alone, is 4.5; nothing leaves the scale.
    assert fitted.to_dict() == pytest.approx({"c1": 4.5, "c2": 1.5, "c3": 4.5})
    clipped = tiny_reviews(
        [("A", "c1", "openness", 5), ("B", "c1", "openness", 1), ("B", "c2", "openness", 5)]
    )
    assert clipped.aggregate("leniency").loc["c2", "openness"] == 5.0


def test_disagreements_flag_spreads_of_two() -> None:
    reviews = tiny_reviews(
        [
            ("A", "c1", "openness", 5),
            ("B", "c1", "openness", 3),
            ("A", "c2", "openness", 4),
            ("B", "c2", "openness", 3),
            ("A", "c2", "concreteness", 1),
            ("B", "c2", "concreteness", 4),
            ("A", "c3", "openness", 1),
        ]
    )
    found = reviews.disagreements()
    assert [(d[s.CANDIDATE_ID], d[ITEM], d["spread"], d["ratings"]) for d in found] == [
        ("c1", "openness", 2, {"A": 5, "B": 3}),
        ("c2", "concreteness", 3, {"A": 1, "B": 4}),
    ]
    assert [d[ITEM] for d in reviews.disagreements(threshold=3)] == ["concreteness"]
    lines = reviews.summary()
    assert "Reviewers differ by 2 points or more on 2 rating(s):" in lines
    assert "  c2 (c2), concreteness: A 1, B 4" in lines


# --- agreement ---------------------------------------------------------------------------------------


def test_agreement_per_item_uses_reviewers_as_coders() -> None:
    rows = []
    for coder, name in enumerate("ABCD"):
        for unit in range(12):
            value = KRIPPENDORFF_EXAMPLE[coder, unit]
            if not math.isnan(value):
                rows.append((name, f"u{unit:02d}", "openness", int(value)))
    rows += [("A", "u00", "concreteness", 4), ("B", "u00", "concreteness", 4)]
    reviews = tiny_reviews(rows, ids=())
    alphas = reviews.agreement()
    assert alphas["openness"] == pytest.approx(krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "interval"))
    assert math.isnan(alphas["concreteness"])
    assert reviews.agreement("ordinal")["openness"] == pytest.approx(0.8153875, abs=1e-6)
    assert "Agreement (Krippendorff's alpha, interval): openness 0.85, concreteness n/a." in reviews.summary()


# --- sample reviews ----------------------------------------------------------------------------------


def test_sample_generator_is_deterministic_and_realistic(tmp_path: Path) -> None:
    candidates = make_candidates(8, seed=3)
    first = make_sample_reviews(candidates, make_criteria(), tmp_path / "one", seed=7)
    second = make_sample_reviews(candidates, make_criteria(), tmp_path / "two", seed=7)
    for a, b in zip(first, second, strict=True):
        assert sheet_values(a) == sheet_values(b)
    reviews = read_reviews(tmp_path / "one", make_criteria(), candidates)
    assert len(reviews.reviewers) == 3
    assert all("(fictief)" in r for r in reviews.reviewers)
    assert 1 <= len(reviews.disagreements()) <= 2
    assert len(reviews.comments) >= 2
    lenient = reviews.leniency().mean(axis=1)
    assert lenient.iloc[0] > lenient.iloc[2]
    doc = json.loads(json.dumps(reviews.to_json()))
    assert doc["reviewers"] == list(reviews.reviewers)
    assert doc["disagreements"][0]["spread"] == 2
    assert set(doc["agreement"]) == set(ITEMS)


def sheet_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_committed_sample_reviews_equal_the_generator(tmp_path: Path) -> None:
    from matchmaker.intake import read_form

    criteria = load_criteria()
    intake = read_form(ROOT / "sample_data" / "candidacies.xlsx", eligibility=criteria.eligibility)
    fresh = make_sample_reviews(intake.candidates, criteria, tmp_path)
    committed = sorted((ROOT / "sample_data" / "reviews").glob("*.xlsx"))
    assert [p.name for p in committed] == [p.name for p in fresh]
    for old, new in zip(committed, fresh, strict=True):
        assert sheet_values(old) == sheet_values(new), old.name
    reviews = read_reviews(ROOT / "sample_data" / "reviews", criteria, intake.candidates)
    assert 1 <= len(reviews.disagreements()) <= 2


# --- properties --------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    quality=st.lists(st.integers(2, 4), min_size=2, max_size=6),
    offsets=st.lists(st.integers(-1, 1), min_size=2, max_size=4),
    dropped=st.sets(st.integers(0, 23), max_size=3),
)
def test_leniency_recovers_any_planted_design(
    quality: list[int], offsets: list[int], dropped: set[int]
) -> None:
    cells = [(r, c) for c in range(len(quality)) for r in range(len(offsets))]
    kept = [cell for i, cell in enumerate(cells) if i not in dropped]
    rows = [(f"r{r}", f"c{c}", "openness", quality[c] + offsets[r]) for r, c in kept]
    reviews = tiny_reviews(rows, ids=tuple(f"c{c}" for c in range(len(quality))))
    every_candidate_rated = {c for _, c in kept} == set(range(len(quality)))
    assume(every_candidate_rated and not reviews.disconnected_items())
    # The model puts the offsets' mean into the candidate effects, so the planted offsets are centred
    # over the reviewers who rated anything.
    rated_by = sorted({r for r, _ in kept})
    mean_offset = sum(offsets[r] for r in rated_by) / len(rated_by)
    expected_offsets = {f"r{r}": offsets[r] - mean_offset for r in rated_by}
    assert reviews.leniency()["openness"].to_dict() == pytest.approx(expected_offsets)
    fitted = reviews.aggregate("leniency")["openness"]
    expected = np.clip([q + mean_offset for q in quality], 1, 5)
    assert fitted.to_list() == pytest.approx(list(expected))


def _with_styled_empty_rows(path: Path, rows: int) -> None:
    """Rewrite the rating sheet with `rows` styled empty rows after the data (a format applied to
    whole rows, as Excel saves it)."""
    import re
    import zipfile

    source = zipfile.ZipFile(path)
    members = [(info, source.read(info)) for info in source.infolist()]
    source.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                last = max(int(r) for r in re.findall(r'<row r="(\d+)"', text))
                extra = "".join(
                    f'<row r="{r}" s="1" customFormat="1"/>' for r in range(last + 1, last + rows + 1)
                )
                text = text.replace("</sheetData>", extra + "</sheetData>")
                data = re.sub(
                    r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:H{last + rows}"/>', text
                ).encode()
            out.writestr(info, data)


def test_a_million_styled_empty_rows_read_fast(tmp_path: Path) -> None:
    import time

    candidates = make_candidates(4)
    path = sheet(tmp_path, "An")
    fill(path, {cid: {"equal_basis": 3, "openness": 4} for cid in candidates[s.CANDIDATE_ID]})
    plain = read_reviews(path, make_criteria(), candidates)
    _with_styled_empty_rows(path, 1_000_000)
    started = time.perf_counter()
    styled = read_reviews(path, make_criteria(), candidates)
    assert time.perf_counter() - started < 5
    pd.testing.assert_frame_equal(styled.ratings, plain.ratings)


def test_a_french_sheet_speaks_french_and_reads_back(tmp_path: Path) -> None:
    # the default criteria give the rubric in French (label_fr, description_fr)
    criteria = load_criteria()
    candidates = make_candidates(3)
    path = write_review_sheet(candidates, criteria, "Fatou", tmp_path / "fr.xlsx", lang="fr")
    wb = openpyxl.load_workbook(path)
    headers = [c.value for c in wb[REVIEW_SHEET][1]]
    assert headers[:3] == ["Candidat (code INS)", "Commune flamande", "Province"]
    assert "Échange d'égal à égal" in headers
    assert headers[-3:] == [
        "Conflit d'intérêts",
        "Commentaire",
        "Communiquer le commentaire au candidat\u00a0?",
    ]
    legend = [c.value for row in wb[LEGEND_SHEET].iter_rows() for c in row if c.value]
    assert legend[0] == "Fiche d'évaluation – Partenariats ODD 2024-2025"
    assert "Est prête à apprendre de l'apport du partenaire." in legend
    provinces = {c.value for c in wb[REVIEW_SHEET]["C"][1:]}
    assert provinces and provinces <= {code_label(p, "fr") for p in candidates[s.PROVINCE]}
    ws = wb[REVIEW_SHEET]
    column = headers.index("Ouverture à l'apprentissage") + 1
    ws.cell(row=2, column=column).value = 4
    ws.cell(row=2, column=headers.index("Commentaire") + 1).value = "Très concret"
    wb.save(path)
    reviews = read_reviews([path], criteria, candidates)
    first = str(ws.cell(row=2, column=1).value)
    assert [(r.candidate_id, r.item, r.rating) for r in reviews.ratings.itertuples()] == [
        (first, "openness", 4)
    ]
    assert list(reviews.comments[COMMENT]) == ["Très concret"]
    with pytest.raises(OutputError, match="unknown language 'de'"):
        write_review_sheet(candidates, criteria, "Fatou", tmp_path / "de.xlsx", lang="de")
