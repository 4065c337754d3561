"""intake.py: normalisation, duplicates, eligibility, the mapping file and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT, FormWriter, answers
from openpyxl import Workbook

from matchmaker import schema as s
from matchmaker.criteria import Eligibility
from matchmaker.errors import IntakeError
from matchmaker.form_mapping import DEFAULT_MAPPING
from matchmaker.intake import CANDIDATE_COLUMNS, IntakeResult, read_form

SESSIONS = "Engagement: deelname aan minstens 3 digitale sessies per jaar"
RATING = "Hoe groot is de bereidheid om op gelijkwaardige basis uit te wisselen?"
NAME = "Naam van het lokaal bestuur"


def by_id(result: IntakeResult, submission_id: int) -> dict[str, Any]:
    frame = result.candidates
    return dict(frame[frame[s.SUBMISSION_ID] == submission_id].iloc[0])


def issues_of(result: IntakeResult, submission_id: int) -> list[dict[str, Any]]:
    return [i for i in result.issues if i["submission_id"] == submission_id]


# --- the candidate record ------------------------------------------------------------------------


def test_one_row_per_submission_with_every_schema_field(write_form: FormWriter) -> None:
    path = write_form([answers(1, "Stad Gent"), answers(2, "Gemeente Zulte")])
    result = read_form(path)
    frame = result.candidates
    assert list(frame.columns) == list(CANDIDATE_COLUMNS)
    assert len(frame) == 2
    gent = by_id(result, 1)
    assert gent[s.CANDIDATE_ID] == "44021"
    assert (gent[s.MUNICIPALITY], gent[s.PROVINCE], gent[s.RESOLUTION]) == (
        "Gent",
        "Oost-Vlaanderen",
        "exact",
    )
    assert gent[s.NAME_AS_WRITTEN] == "Stad Gent"
    assert gent[s.COUNTRY_PREFERENCE] == "Rwanda"
    assert gent[s.INVOLVED] == ["mayor_aldermen", "civil_servants"]
    assert gent[s.OTHER_ACTORS] == ["civil_society", "schools"]
    assert gent[s.LANGUAGES] == ["nl", "en"]
    assert gent[s.THEMES] == []
    assert gent[s.CITY_LINK] is False
    assert all(gent[c] is True for c in s.COMMITMENTS)
    assert gent[s.BOARD_APPROVAL] == "yes"
    assert gent[s.EQUAL_BASIS_RATING] == 4
    assert isinstance(gent[s.COMPLETED], pd.Timestamp)
    assert gent[s.COMPLETED] == pd.Timestamp("2023-10-01 11:00")
    assert gent[s.ELIGIBLE] is True or gent[s.ELIGIBLE] == True  # noqa: E712 (numpy bool)
    assert gent[s.REASONS] == []
    assert result.issues == []
    assert len(result.sha256) == 64 and result.path == path


def test_yes_no_answers_are_normalised(write_form: FormWriter) -> None:
    rows = [
        answers(1, "Gent", commit=("ja", "JA", "Ja ", " ja ")),
        answers(2, "Zulte", commit=("Ja", "Nee", "nee ", "NEE")),
        answers(3, "Aalst", commit=("Misschien", "Ja", "", "Ja")),
    ]
    result = read_form(write_form(rows))
    assert [by_id(result, 1)[c] for c in s.COMMITMENTS] == [True, True, True, True]
    assert [by_id(result, 2)[c] for c in s.COMMITMENTS] == [True, False, False, False]
    assert [by_id(result, 3)[c] for c in s.COMMITMENTS] == [None, True, None, True]
    kinds = {(i["column"], i[("kind")]) for i in issues_of(result, 3)}
    assert (SESSIONS, "unreadable-answer") in kinds
    assert ("Engagement: tijdsinvestering januari 2024 - december 2025", "unanswered") in kinds
    assert by_id(result, 1)[s.ELIGIBLE]
    assert not by_id(result, 2)[s.ELIGIBLE]
    assert not by_id(result, 3)[s.ELIGIBLE]
    assert "refuses a commitment: one work visit and hosting one delegation" in by_id(result, 2)[s.REASONS]
    assert any("not confirmed" in r for r in by_id(result, 3)[s.REASONS])


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        (4, 4, None),
        ("4", 4, None),
        (" 5 ", 5, None),
        (3.0, 3, None),
        ("2/5", 2, None),
        ("4 - groot", 4, None),
        ("4-5", None, "unreadable-answer"),
        ("vier", None, "unreadable-answer"),
        (7, None, "unreadable-answer"),
        (3.5, None, "unreadable-answer"),
        (None, None, "unanswered"),
    ],
)
def test_rating_as_number_or_text(
    write_form: FormWriter, value: object, expected: int | None, problem: str
) -> None:
    result = read_form(write_form([answers(1, "Gent", rating=value)]))
    got = by_id(result, 1)[s.EQUAL_BASIS_RATING]
    assert (None if pd.isna(got) else int(got)) == expected
    assert [i["kind"] for i in issues_of(result, 1) if i["column"] == RATING] == (
        [problem] if problem else []
    )
    assert str(result.candidates[s.EQUAL_BASIS_RATING].dtype) == "Int64"


def test_multi_select_with_trailing_separator_spaces_case_and_other_text(write_form: FormWriter) -> None:
    row = answers(
        1,
        "Gent",
        actors=" middenveld ; Scholen;;Jeugdraad; Lokale ondernemers ;",
        languages="Frans;nederlands ;Spaans;",
        themes="Innovatie;Hernieuwbare energie",
    )
    result = read_form(write_form([row]))
    gent = by_id(result, 1)
    assert gent[s.OTHER_ACTORS] == ["civil_society", "schools"]
    assert gent[s.OTHER_ACTORS_OTHER] == ["Jeugdraad", "Lokale ondernemers"]
    assert gent[s.LANGUAGES] == ["nl", "fr"]
    assert gent[s.THEMES] == ["innovation", "renewable_energy"]
    unknown = [i for i in issues_of(result, 1) if i["kind"] == "unknown-option"]
    assert [(i["value"], i["column"]) for i in unknown] == [
        ("Spaans", "In welke talen kan uw delegatie werken?")
    ]


def test_lists_are_not_shared_between_rows(write_form: FormWriter) -> None:
    result = read_form(write_form([answers(1, "Gent"), answers(2, "Zulte")]))
    first, second = result.candidates[s.LANGUAGES]
    first.append("xx")
    assert second == ["nl", "en"]


def test_country_preference_options_and_short_forms(write_form: FormWriter) -> None:
    rows = [
        answers(1, "Gent", pref="Rwanda (burgerparticipatie)"),
        answers(2, "Zulte", pref="benin (lokale welvaart) "),
        answers(3, "Aalst", pref="Geen voorkeur"),
        answers(4, "Lier", pref="Rwanda"),
        answers(5, "Genk", pref="Kongo"),
        answers(6, "Ronse", pref=""),
    ]
    result = read_form(write_form(rows))
    prefs = result.candidates.set_index(s.SUBMISSION_ID)[s.COUNTRY_PREFERENCE].to_dict()
    assert prefs == {1: "Rwanda", 2: "Benin", 3: "any", 4: "Rwanda", 5: None, 6: None}
    assert [i["kind"] for i in issues_of(result, 5)] == ["unknown-option"]
    assert [i["kind"] for i in issues_of(result, 6)] == ["unanswered"]


def test_text_that_looks_like_a_formula_is_kept_as_text(write_form: FormWriter) -> None:
    formula = '=HYPERLINK("https://example.org","klik")'
    rows = [answers(1, "Gent", motivation=formula), answers(2, "Zulte", motivation="@iedereen: +samen")]
    result = read_form(write_form(rows))
    assert by_id(result, 1)[s.MOTIVATION] == formula
    assert by_id(result, 2)[s.MOTIVATION] == "@iedereen: +samen"
    assert {i["kind"] for i in result.issues} == {"formula-like-text"}


def test_blank_rows_are_dropped_and_counted(write_form: FormWriter) -> None:
    # A blank row after the last one is not stored in an .xlsx at all; these three are.
    result = read_form(write_form([None, answers(1, "Gent"), None, None, answers(2, "Zulte")]))
    assert list(result.candidates[s.SUBMISSION_ID]) == [1, 2]
    assert result.summary()["blank_rows_dropped"] == 3


def test_submission_numbers_stored_as_text(write_form: FormWriter) -> None:
    rows = [answers(1, "Gent"), answers(2, "Zulte"), answers(3, "Aalst")]
    rows[0]["Id"], rows[1]["Id"], rows[2]["Id"] = "7", "8.0", " 9 "
    result = read_form(write_form(rows))
    assert list(result.candidates[s.SUBMISSION_ID]) == [7, 8, 9]
    assert result.issues == []


def test_missing_and_repeated_submission_numbers_get_fresh_ones(write_form: FormWriter) -> None:
    rows = [answers(3, "Gent"), answers(3, "Zulte"), answers(1, "Aalst", Id=None), answers(2, "Lier", Id="2")]
    result = read_form(write_form(rows))
    ids = list(result.candidates[s.SUBMISSION_ID])
    assert ids == [3, 4, 5, 2]
    assert sum(1 for i in result.issues if i["kind"] == "bad-id") == 2


def test_dates_written_as_text_or_serial_numbers(write_form: FormWriter) -> None:
    rows = [
        answers(1, "Gent", completed="15/10/2023 14:30:00"),
        answers(2, "Zulte", completed="2023-10-16 09:05"),
        answers(3, "Aalst", completed=45215.5),
        answers(4, "Lier", completed="gisteren"),
    ]
    result = read_form(write_form(rows))
    completed = result.candidates.set_index(s.SUBMISSION_ID)[s.COMPLETED]
    assert completed[1] == pd.Timestamp("2023-10-15 14:30")
    assert completed[2] == pd.Timestamp("2023-10-16 09:05")
    assert completed[3] == pd.Timestamp("2023-10-16 12:00")  # Excel day 45000 is 2023-03-15
    assert pd.isna(completed[4])
    kinds = [i["kind"] for i in issues_of(result, 4) if i["column"] == "Tijd van voltooien"]
    assert kinds == ["unreadable-answer"]


def test_dates_with_month_names_in_dutch_french_or_english(write_form: FormWriter) -> None:
    rows = [
        answers(1, "Gent", completed="maandag 16 oktober 2023 14:32:10"),
        answers(2, "Zulte", completed="1er octobre 2023 09:05"),
        answers(3, "Aalst", completed="3 mrt. 2024"),
        answers(4, "Lier", completed="16 October 2023 8:00"),
        answers(5, "Mol", completed="16 brumaire 2023"),
    ]
    result = read_form(write_form(rows))
    completed = result.candidates.set_index(s.SUBMISSION_ID)[s.COMPLETED]
    assert completed[1] == pd.Timestamp("2023-10-16 14:32:10")
    assert completed[2] == pd.Timestamp("2023-10-01 09:05")
    assert completed[3] == pd.Timestamp("2024-03-03")
    assert completed[4] == pd.Timestamp("2023-10-16 08:00")
    assert pd.isna(completed[5])  # not a month this reader knows: reported, not guessed
    kinds = [i["kind"] for i in issues_of(result, 5) if i["column"] == "Tijd van voltooien"]
    assert kinds == ["unreadable-answer"]


# --- names and duplicates --------------------------------------------------------------------------


def test_names_are_resolved_and_reported(write_form: FormWriter) -> None:
    rows = [
        answers(1, "Gemeente Melle"),
        answers(2, "Luik"),
        answers(3, "Bruxelles"),
        answers(4, "Oudenarde"),
        answers(5, "Intercommunale Leiedal"),
        answers(6, "9620"),
        answers(7, ""),
    ]
    result = read_form(write_form(rows))
    frame = result.candidates.set_index(s.SUBMISSION_ID)
    assert list(frame[s.RESOLUTION]) == [
        "merged",
        "not-flemish",
        "not-flemish",
        "fuzzy",
        "unresolved",
        "postal",
        "unresolved",
    ]
    assert list(frame[s.REFNIS]) == ["44088", None, None, "45035", None, "41081", None]
    assert frame.loc[1, s.NAME_AS_WRITTEN] == "Gemeente Melle"
    assert "merged into Merelbeke-Melle" in frame.loc[1, s.RESOLUTION_NOTE]
    kinds = {i["submission_id"]: i["kind"] for i in result.issues}
    assert kinds == {
        2: "name-not-flemish",
        3: "name-not-flemish",
        4: "name-low-confidence",
        5: "name-unresolved",
        7: "unanswered",
    }
    assert list(frame[s.ELIGIBLE]) == [True, False, False, True, False, True, False]
    assert "not a Flemish local government" in frame.loc[2, s.REASONS][0]
    assert "not recognised" in frame.loc[5, s.REASONS][0]
    # A name that is not Flemish keeps its own id; it never takes a REFNIS.
    assert frame.loc[2, s.CANDIDATE_ID] == "row-2"


def test_the_latest_completed_submission_counts(write_form: FormWriter) -> None:
    t = dt.datetime(2023, 10, 10, 12, 0)
    rows = [
        answers(1, "Gemeente Zulte", completed=t, pref="Benin (lokale welvaart)"),
        answers(2, "Gent", completed=t),
        # Submission 3 was completed after 4, although numbered before it.
        answers(3, "zulte", completed=t + dt.timedelta(days=3)),
        answers(4, "Stad Zulte", completed=t + dt.timedelta(days=2), commit=("Ja", "Nee", "Ja", "Ja")),
        answers(5, "Wachtebeke", completed=t),
        answers(6, "Lochristi", completed=t + dt.timedelta(hours=1)),
    ]
    result = read_form(write_form(rows))
    frame = result.candidates.set_index(s.SUBMISSION_ID)
    assert frame.loc[3, s.CANDIDATE_ID] == "44081"
    assert frame.loc[3, s.ELIGIBLE]
    for old in (1, 4):
        assert frame.loc[old, s.CANDIDATE_ID] == f"row-{old}"
        assert frame.loc[old, s.SUPERSEDED_BY] == 3
        assert "superseded by submission 3" in frame.loc[old, s.REASONS]
        assert not frame.loc[old, s.ELIGIBLE]
    # An old name and the new one are the same municipality.
    assert frame.loc[6, s.CANDIDATE_ID] == "44087"
    assert frame.loc[5, s.SUPERSEDED_BY] == 6
    assert pd.isna(frame.loc[2, s.SUPERSEDED_BY])
    assert result.candidates[s.CANDIDATE_ID].is_unique
    assert result.summary()["superseded"] == 3
    assert result.summary()["candidates"] == 3
    assert sorted(i["submission_id"] for i in result.issues if i["kind"] == "superseded") == [1, 4, 5]


def test_on_equal_completion_times_the_higher_number_counts(write_form: FormWriter) -> None:
    t = dt.datetime(2023, 10, 10, 12, 0)
    result = read_form(write_form([answers(8, "Gent", completed=t), answers(9, "Stad Gent", completed=t)]))
    assert by_id(result, 9)[s.CANDIDATE_ID] == "44021"
    assert by_id(result, 8)[s.SUPERSEDED_BY] == 9
    # The tie is broken by the submission number, and said so: a person may know better.
    ties = [i for i in result.issues if i["kind"] == "same-completion-time"]
    assert [i["submission_id"] for i in ties] == [8]
    assert "same moment" in ties[0]["problem"] and "9" in ties[0]["problem"]


def test_a_submission_superseded_by_a_similarity_read_says_so(write_form: FormWriter) -> None:
    # If "Gentt" is not Gent after all, submission 1 is the one that should count.
    result = read_form(write_form([answers(1, "Stad Gent"), answers(2, "Gentt")]))
    assert by_id(result, 1)[s.SUPERSEDED_BY] == 2
    [problem] = [i["problem"] for i in issues_of(result, 1) if i["kind"] == "superseded"]
    assert "'Gentt', read as Gent by similarity: please check" in problem


def test_a_submission_without_completion_time_says_why_it_lost(write_form: FormWriter) -> None:
    rows = [
        answers(1, "Gent", completed=None),
        answers(2, "Stad Gent"),
        answers(3, "Zulte", completed=None),
        answers(4, "Zulte", completed=None),
    ]
    result = read_form(write_form(rows))
    [lost] = [i["problem"] for i in issues_of(result, 1) if i["kind"] == "superseded"]
    assert lost.endswith("submission 2 counts; this submission has no completion time")
    [tie] = [i["problem"] for i in issues_of(result, 3) if i["kind"] == "superseded"]
    assert "neither has a completion time, so the higher submission number decides" in tie
    assert by_id(result, 4)[s.CANDIDATE_ID] == "44081"


def test_a_start_after_the_completion_is_reported(write_form: FormWriter) -> None:
    t = dt.datetime(2023, 11, 6, 11, 0)
    row = answers(1, "Gent", completed=t)
    row["Begintijd"] = t + dt.timedelta(hours=1)
    result = read_form(write_form([row, answers(2, "Zulte")]))
    found = [(i["submission_id"], i["column"], i["kind"]) for i in result.issues]
    assert found == [(1, "Begintijd", "time-order")]
    assert by_id(result, 1)[s.ELIGIBLE]


def test_two_former_municipalities_of_one_merger_are_named_as_such(write_form: FormWriter) -> None:
    rows = [answers(1, "Stad Bilzen"), answers(2, "Gemeente Hoeselt"), answers(3, "Gent"), answers(4, "Gent")]
    result = read_form(write_form(rows))
    assert by_id(result, 1)[s.SUPERSEDED_BY] == 2
    merged = [i["problem"] for i in issues_of(result, 1) if i["kind"] == "superseded"]
    assert merged and "Bilzen and Hoeselt are one municipality since the merger, Bilzen-Hoeselt" in merged[0]
    assert "Gemeente Hoeselt" in merged[0]
    again = [i["problem"] for i in issues_of(result, 3) if i["kind"] == "superseded"]
    assert again == ["Gent submitted again: submission 4 counts"]


def test_a_later_submission_that_refuses_still_counts(write_form: FormWriter) -> None:
    rows = [answers(1, "Gent"), answers(2, "Gent", commit=("Ja", "Ja", "Nee", "Ja"))]
    result = read_form(write_form(rows))
    assert by_id(result, 2)[s.CANDIDATE_ID] == "44021"
    assert not by_id(result, 2)[s.ELIGIBLE]
    assert result.eligible().empty


def test_eligibility_rules_come_from_the_criteria(write_form: FormWriter) -> None:
    rows = [answers(1, "Gent", commit=("Ja", "Ja", "Ja", "Nee")), answers(2, "Luik")]
    path = write_form(rows)
    strict = read_form(path)
    assert strict.summary()["eligible"] == 0
    relaxed = read_form(
        path,
        eligibility=Eligibility(
            require=("commit_sessions", "commit_visit", "commit_time"), require_flemish=False
        ),
    )
    assert list(relaxed.candidates[s.ELIGIBLE]) == [True, True]


# --- result documents ---------------------------------------------------------------------------------


def test_to_json_has_the_intake_schema_and_every_submission_once(sample_form: Path) -> None:
    result = read_form(sample_form)
    doc = json.loads(json.dumps(result.to_json()))  # plain JSON, nothing pandas left
    assert doc["schema"] == s.INTAKE_SCHEMA
    assert len(doc["candidates"]) == len(result.candidates)
    ids = [c["submission_id"] for c in doc["candidates"]]
    assert len(ids) == len(set(ids))
    first = doc["candidates"][0]
    for key in ("candidate_id", "submission_id", "name_as_written", "municipality", "refnis", "province"):
        assert key in first
    assert first["resolution"] in s.RESOLUTIONS
    assert isinstance(first["reasons"], list) and isinstance(first["eligible"], bool)
    dt.datetime.fromisoformat(first["completed"])
    assert set(doc["issues"][0]) >= set(s.ISSUE_FIELDS)


def test_summary_of_the_sample(sample_form: Path) -> None:
    summary = read_form(sample_form).summary()
    assert summary["submissions"] == 38
    assert summary["blank_rows_dropped"] == 2
    assert summary["superseded"] == 4
    assert summary["resolution"]["not-flemish"] == 2
    assert sum(summary["resolution"].values()) == 38


# --- the mapping -------------------------------------------------------------------------------------------

GOOGLE_MAPPING = """version = 1
name = "Google Forms export"
multi_separator = ","
dayfirst = true

[columns]
"Tijdstempel" = "completed"
"Gemeente" = "name_as_written"
"Welk land verkiest u?" = "country_preference"
"Motivatie" = "motivation"
"Talen" = "languages"
"Partners in de gemeente" = "other_actors"
"Digitale sessies" = "commit_sessions"
"Werkbezoek" = "commit_visit"
"Tijd" = "commit_time"
"Feedback" = "commit_feedback"

[required]
fields = ["completed", "name_as_written", "commit_sessions", "commit_visit", "commit_time", "commit_feedback"]

[answers]
yes = ["Ja", "Yes"]
no = ["Nee", "No"]

[options.country_preference]
"Rwanda" = "Rwanda"
"Benin" = "Benin"
"Maakt niet uit" = "any"

[options.languages]
"Nederlands" = "nl"
"Frans" = "fr"
"Engels" = "en"

[options.other_actors]
"Verenigingen" = "civil_society"
"Scholen" = "schools"

[other]
other_actors = "other_actors_other"
"""


def test_a_google_forms_export_reads_through_another_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "google.toml"
    mapping.write_text(GOOGLE_MAPPING, encoding="utf-8")
    form = tmp_path / "google.csv"
    form.write_text(
        "Tijdstempel,Gemeente,Welk land verkiest u?,Motivatie,Talen,Partners in de gemeente,"
        "Digitale sessies,Werkbezoek,Tijd,Feedback\n"
        '03/11/2023 14:05:09,Stad Gent,Benin,Wij willen leren.,"Nederlands, Frans",'
        '"Scholen, Jeugdhuis",Yes,Ja,Ja,Ja\n'
        "04/11/2023 08:00:00,Luik,Maakt niet uit,Nous voulons apprendre.,Frans,,Ja,Ja,Ja,No\n",
        encoding="utf-8",
    )
    result = read_form(form, mapping=mapping)
    frame = result.candidates
    assert list(frame[s.SUBMISSION_ID]) == [1, 2]  # no Id column: row numbers
    gent = by_id(result, 1)
    assert gent[s.REFNIS] == "44021"
    assert gent[s.COMPLETED] == pd.Timestamp("2023-11-03 14:05:09")
    assert gent[s.COUNTRY_PREFERENCE] == "Benin"
    assert gent[s.LANGUAGES] == ["nl", "fr"]
    assert gent[s.OTHER_ACTORS] == ["schools"]
    assert gent[s.OTHER_ACTORS_OTHER] == ["Jeugdhuis"]
    assert gent[s.ELIGIBLE]
    assert by_id(result, 2)[s.COUNTRY_PREFERENCE] == "any"
    assert by_id(result, 2)[s.COMMIT_FEEDBACK] is False
    # Columns the Google form does not have are simply empty.
    assert gent[s.THEMES] == [] and gent[s.CONTACT_EMAIL] is None


def test_a_renamed_question_is_a_mapping_change(tmp_path: Path, write_form: FormWriter) -> None:
    from matchmaker.sample import HEADERS

    renamed = [("Naam van uw gemeente of stad" if h == NAME else h) for h in HEADERS]
    path = write_form([{**answers(1, "Gent"), "Naam van uw gemeente of stad": "Gent"}], headers=renamed)
    with pytest.raises(IntakeError, match="required column"):
        read_form(path)
    mapping = tmp_path / "renamed.toml"
    text = DEFAULT_MAPPING.read_text(encoding="utf-8")
    mapping.write_text(text.replace(f'"{NAME}" =', '"Naam van uw gemeente of stad" ='), encoding="utf-8")
    assert read_form(path, mapping=mapping).candidates.loc[0, s.REFNIS] == "44021"


def test_headers_match_without_case_or_stray_spaces(write_form: FormWriter) -> None:
    from matchmaker.sample import HEADERS

    sloppy = [f" {h.upper()}  " if h == NAME else h for h in HEADERS]
    row = answers(1, "Gent")
    row[f" {NAME.upper()}  "] = row.pop(NAME)
    assert read_form(write_form([row], headers=sloppy)).candidates.loc[0, s.REFNIS] == "44021"


def test_headers_match_across_dash_and_quote_styles(write_form: FormWriter) -> None:
    from matchmaker.sample import HEADERS

    time_q = "Engagement: tijdsinvestering januari 2024 - december 2025"
    themes_q = "Welke thema's rond lokale welvaart spreken u aan?"
    swap = {
        time_q: time_q.replace(" - ", " – "),
        themes_q: themes_q.replace("'", "’"),
        RATING: RATING.rstrip("?"),
    }
    headers = [swap.get(h, h) for h in HEADERS]
    row = answers(1, "Gent", themes="Innovatie;", commit=("Ja", "Ja", "Nee", "Ja"))
    row = {swap.get(k, k): v for k, v in row.items()}
    result = read_form(write_form([row], headers=headers))
    assert by_id(result, 1)[s.COMMIT_TIME] is False
    assert by_id(result, 1)[s.THEMES] == ["innovation"]
    assert by_id(result, 1)[s.EQUAL_BASIS_RATING] == 4
    assert result.issues == []


def test_unambiguous_sloppiness_is_accepted_quietly(write_form: FormWriter) -> None:
    row = answers(1, "Gent", languages="Engels, Frans", commit=("Ja.", "ja;", "JA", "Ja"))
    result = read_form(write_form([row]))
    assert by_id(result, 1)[s.LANGUAGES] == ["fr", "en"]
    assert by_id(result, 1)[s.ELIGIBLE]
    assert result.issues == []


def test_serial_dates_keep_whole_seconds_also_when_stored_as_text(write_form: FormWriter) -> None:
    # 14:30 is 0.6041666... of a day: read back as 14:29:59.99999 without rounding.
    rows = [
        answers(1, "Gent", completed=45216.6041666667),
        answers(2, "Zulte", completed="45216,5"),
        answers(3, "Aalst", completed="45216.75"),
    ]
    result = read_form(write_form(rows))
    completed = result.candidates.set_index(s.SUBMISSION_ID)[s.COMPLETED]
    assert completed[1] == pd.Timestamp("2023-10-17 14:30:00")
    assert completed[2] == pd.Timestamp("2023-10-17 12:00:00")
    assert completed[3] == pd.Timestamp("2023-10-17 18:00:00")
    assert result.to_json()["candidates"][0]["completed"] == "2023-10-17T14:30:00"
    assert not [i for i in result.issues if i["column"] == "Tijd van voltooien"]


def test_neen_is_no(write_form: FormWriter) -> None:
    result = read_form(write_form([answers(1, "Gent", commit=("Ja", "Neen", "neen", "Ja"))]))
    assert [by_id(result, 1)[c] for c in s.COMMITMENTS] == [True, False, False, True]
    assert "refuses a commitment: one work visit and hosting one delegation" in by_id(result, 1)[s.REASONS]


def _workbook_with_sheets(sheets: list[tuple[str, list[list[object]], bool]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows, hidden in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if hidden:
            sheet.sheet_state = "hidden"
    book.active = next(i for i, (_, _, hidden) in enumerate(sheets) if not hidden)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("before", "passed"),
    [
        ([("Lijsten", [["Gent"], ["Aalst"]], True)], "'Lijsten' (hidden)"),
        ([("Sheet1", [], False)], "'Sheet1' (empty)"),
        (
            [("Uitleg", [["Export van het formulier"], ["zie blad Form1"]], False)],
            "'Uitleg' (no form answers)",
        ),
    ],
)
def test_the_answers_are_found_on_a_later_sheet(
    tmp_path: Path, before: list[tuple[str, list[list[object]], bool]], passed: str
) -> None:
    from matchmaker.sample import HEADERS

    form = [
        list(HEADERS),
        [answers(1, "Gent")[h] for h in HEADERS],
        [answers(2, "Zulte")[h] for h in HEADERS],
    ]
    path = tmp_path / "sheets.xlsx"
    path.write_bytes(_workbook_with_sheets([*before, ("Form1", form, False)]))
    result = read_form(path)
    assert list(result.candidates[s.REFNIS]) == ["44021", "44081"]
    notes = [i["problem"] for i in result.issues if i["kind"] == "other-sheet"]
    assert len(notes) == 1 and "'Form1'" in notes[0] and passed in notes[0]


def test_a_workbook_of_empty_sheets_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty-sheets.xlsx"
    path.write_bytes(_workbook_with_sheets([("Sheet1", [], False), ("Sheet2", [], False)]))
    with pytest.raises(IntakeError, match="the workbook is empty"):
        read_form(path)


def test_a_time_without_a_day_is_not_a_completion_time(write_form: FormWriter) -> None:
    result = read_form(write_form([answers(1, "Gent", completed=dt.time(10, 30))]))
    assert pd.isna(by_id(result, 1)[s.COMPLETED])
    assert [i["kind"] for i in result.issues if i["column"] == "Tijd van voltooien"] == ["unreadable-answer"]


def test_a_title_above_the_header_row_is_skipped(tmp_path: Path) -> None:
    from matchmaker.sample import HEADERS

    row = answers(1, "Gent")
    path = tmp_path / "titled.xlsx"
    path.write_bytes(
        _xlsx_bytes([["Kandidaturen SDG-partnerschappen"], [], list(HEADERS), [row[h] for h in HEADERS]])
    )
    result = read_form(path)
    assert result.candidates.loc[0, s.REFNIS] == "44021"
    assert [i["kind"] for i in result.issues] == ["skipped-rows"]


def test_a_csv_row_with_too_many_cells_is_reported(tmp_path: Path) -> None:
    mapping = tmp_path / "small.toml"
    mapping.write_text(
        "version = 1\n[columns]\n'Wie' = 'name_as_written'\n'Waarom' = 'motivation'\n", encoding="utf-8"
    )
    form = tmp_path / "shifted.csv"
    form.write_text("Wie,Waarom\nGent,Om te leren\nZulte,Om te leren, en te delen\n", encoding="utf-8")
    result = read_form(form, mapping=mapping)
    assert list(result.candidates[s.MOTIVATION]) == ["Om te leren", "Om te leren"]
    assert [(i["submission_id"], i["kind"]) for i in result.issues if i["kind"] == "row-shape"] == [
        (2, "row-shape")
    ]


def test_a_missing_optional_column_is_reported_once(write_form: FormWriter) -> None:
    from matchmaker.sample import HEADERS

    headers = [h for h in HEADERS if h != RATING]
    result = read_form(write_form([answers(1, "Gent"), answers(2, "Zulte")], headers=headers))
    missing = [i for i in result.issues if i["kind"] == "missing-column"]
    assert [(i["column"], i["submission_id"]) for i in missing] == [(RATING, None)]
    assert result.candidates[s.EQUAL_BASIS_RATING].isna().all()


# --- bad input: each kind, one clear IntakeError naming the file ----------------------------------------


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in replace.items():
            if name not in source.namelist():
                target.writestr(name, content)
    return buffer.getvalue()


def _valid_form(write_form: FormWriter) -> bytes:
    return write_form([answers(1, "Gent")], name="valid.xlsx").read_bytes()


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol4;</t></si></sst>"""


def _declare_huge(data: bytes) -> bytes:
    """Patch the central directory so one member claims to expand to about 4 GB."""
    at = data.index(b"PK\x01\x02")
    return data[: at + 24] + struct.pack("<I", 0xFFFFFF00) + data[at + 28 :]


def _understate(data: bytes, member: str, size: int) -> bytes:
    """Patch the central directory so `member` claims to expand to only `size` bytes."""
    at = 0
    while (at := data.index(b"PK\x01\x02", at + 1)) >= 0:
        name_length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + name_length].decode() == member:
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]
    raise AssertionError(member)


def _real_bomb(write_form: FormWriter) -> bytes:
    filler = b"<!-- " + b"0" * (40 * 1024 * 1024) + b" -->"
    return _rewrite_zip(_valid_form(write_form), {"xl/padding.xml": filler})


def _bad_files(write_form: FormWriter, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """kind -> (file, a phrase the message must contain)."""
    from matchmaker.sample import HEADERS

    valid = _valid_form(write_form)
    cases: dict[str, tuple[str, bytes | None, str]] = {
        "zero bytes": ("empty.xlsx", b"", "empty (0 bytes)"),
        "zero-byte csv": ("empty.csv", b"", "empty (0 bytes)"),
        "empty sheet": ("blank.xlsx", _xlsx_bytes([]), "first sheet is empty"),
        "not a spreadsheet": (
            "notes.xlsx",
            b"Dit is geen spreadsheet maar een notitie.\n",
            "not an .xlsx workbook",
        ),
        "csv text named xlsx": ("export.xlsx", b"Id,Naam\n1,Gent\n", "looks like CSV text"),
        # Random bytes hold commas too; calling them CSV would send the user the wrong way.
        "random bytes": ("noise.xlsx", bytes(range(256)) * 8, "(not a zip archive)"),
        "truncated zip": ("truncated.xlsx", valid[: len(valid) // 2], "truncated or damaged"),
        "encrypted (OLE)": (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048,
            "password-protected",
        ),
        "word document": (
            "letter.xlsx",
            _rewrite_zip(
                valid,
                {
                    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org'
                    b'/package/2006/content-types"><Default Extension="xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
                },
            ),
            "not an Excel workbook",
        ),
        "plain zip": ("archive.xlsx", _zip_of({"readme.txt": b"hello"}), "not an Excel workbook"),
        "required columns missing": (
            "partial.xlsx",
            _xlsx_bytes([["Id", "Naam", "Voorkeur partnerland"], [1, "An", "Geen voorkeur"]]),
            "required column(s) missing",
        ),
        "duplicate headers": (
            "dupes.xlsx",
            _xlsx_bytes([[*HEADERS, NAME], [1] + [None] * len(HEADERS)]),
            "appears twice",
        ),
        "header only": ("header.xlsx", _xlsx_bytes([list(HEADERS)]), "no submissions"),
        "header and blank rows": (
            "header2.xlsx",
            _xlsx_bytes([list(HEADERS), [], [None, " "]]),
            "no submissions",
        ),
        "billion laughs": (
            "laughs.xlsx",
            _rewrite_zip(valid, {"xl/sharedStrings.xml": BILLION_LAUGHS}),
            "document type declaration",
        ),
        "declared zip bomb": ("bomb.xlsx", _declare_huge(valid), "zip bomb"),
        "understated size": ("liar.xlsx", _understate(valid, "xl/worksheets/sheet1.xml", 100), "damaged"),
        "real zip bomb": ("bomb2.xlsx", _real_bomb(write_form), "zip bomb"),
        "damaged sheet xml": (
            "broken.xlsx",
            _rewrite_zip(
                valid, {"xl/worksheets/sheet1.xml": b"<?xml version='1.0'?><worksheet><sheetData><row>"}
            ),
            "damaged",
        ),
        # Windows-1252 is read (an issue says so); bytes it does not define are neither
        "csv in no known encoding": (
            "latin1.csv",
            ("Id,Naam van het lokaal bestuur\n1,Liège\n").encode("cp1252") + b"\x81\x8d\n",
            "not UTF-8",
        ),
        "binary csv": ("binary.csv", b"\x00\x01\x02\x03" * 100, "binary data"),
        # A stray quote would swallow the later rows into one cell: those submissions would vanish.
        "unclosed quote in csv": (
            "quote.csv",
            b'Id,Naam van het lokaal bestuur,Tijd van voltooien\n1,"Gent,2023-10-01\n2,Zulte,2023-10-02\n',
            "the row starting on line 2",
        ),
        "text after a closing quote in csv": (
            "quote2.csv",
            b'Id,Naam van het lokaal bestuur\n1,"Gent" (stad)\n2,Zulte\n',
            "not valid CSV in the row starting on line 2",
        ),
        "xlsx named csv": ("export.csv", valid, "name it .xlsx"),
        "text named xls": ("old.xls", b"Dit is geen spreadsheet.\n", "not an .xlsx workbook"),
        "truncated ods": ("calc.ods", b"PK\x03\x04", "truncated or damaged"),
        "wrong extension txt": ("form.txt", b"Id\n1\n", "expected a .xlsx or .csv"),
        "no extension": ("form", b"Id\n1\n", "(no extension)"),
    }
    files: dict[str, tuple[Path, str]] = {}
    for kind, (name, content, phrase) in cases.items():
        path = tmp_path / "bad" / name
        path.parent.mkdir(exist_ok=True)
        assert content is not None
        path.write_bytes(content)
        files[kind] = (path, phrase)
    folder = tmp_path / "bad" / "folder.xlsx"
    folder.mkdir()
    files["a directory"] = (folder, "is a directory")
    files["missing file"] = (tmp_path / "bad" / "nowhere.xlsx", "file not found")
    return files


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_every_kind_of_bad_input_is_one_clear_intake_error(write_form: FormWriter, tmp_path: Path) -> None:
    files = _bad_files(write_form, tmp_path)
    assert len(files) >= 12
    for kind, (path, phrase) in files.items():
        with pytest.raises(IntakeError) as info:
            read_form(path)
        message = str(info.value)
        assert str(path) in message, kind
        assert phrase in message, f"{kind}: {message}"
        assert "\n" not in message, kind


def test_the_zip_bomb_is_refused_before_parsing(write_form: FormWriter, tmp_path: Path) -> None:
    # The declared size is a lie here: parsing would not even be slow. Refusal proves the check
    # reads the central directory first.
    path = tmp_path / "liar.xlsx"
    path.write_bytes(_declare_huge(_valid_form(write_form)))
    with pytest.raises(IntakeError, match="would expand to"):
        read_form(path)


def test_a_utf8_csv_with_bom_and_semicolons_reads(write_form: FormWriter, tmp_path: Path) -> None:
    from matchmaker.sample import HEADERS

    csv_path = write_form([answers(1, "Liège"), answers(2, "Sint-Genesius-Rode")], name="form.csv")
    text = csv_path.read_text(encoding="utf-8")
    semicolons = tmp_path / "excel.csv"
    # Belgian Excel writes ';' between fields; the multi-select ';' then needs quoting.
    import csv as csv_module

    rows = list(csv_module.reader(io.StringIO(text)))
    out = io.StringIO()
    csv_module.writer(out, delimiter=";").writerows(rows)
    semicolons.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    for path in (csv_path, semicolons):
        result = read_form(path)
        assert list(result.candidates[s.RESOLUTION]) == ["not-flemish", "exact"]
        assert by_id(result, 2)[s.LANGUAGES] == ["nl", "en"]
        assert by_id(result, 2)[s.COMPLETED] == pd.Timestamp("2023-10-01 12:00")
        assert len(result.candidates.columns) == len(CANDIDATE_COLUMNS)
    assert len(HEADERS) == 24


# --- a messy export, end to end ---------------------------------------------------------------------

# tests/data/messy-export.xlsx: a hidden options sheet first, the answers on "Antwoorden" in reversed
# column order with trailing spaces in the headers and an extra column. Per submission, by hand:
# (REFNIS or None, counts, eligible).
MESSY_TRUTH: dict[int, tuple[str | None, bool, bool]] = {
    1: (None, False, False),  # "Tielt (Vlaams-Brabant)": the Tielt in Tielt-Winge? not guessed
    2: ("71016", True, True),  # "Stad Genk (Limburg)": Limburg is the province here
    3: (None, False, False),  # "3390 Tielt": postal code of Tielt-Winge
    4: ("37022", True, True),  # "Tielt (West-Vl.)", completed "45201,4" (serial as text)
    5: ("73110", False, False),  # "Stad Bilzen", superseded by Hoeselt (one municipality now)
    6: ("73110", True, True),
    7: ("24062", False, False),  # same completion time as 8: the higher number counts
    8: ("24062", True, True),
    9: ("44081", True, True),  # started after it was completed: reported, still counts
    10: ("33011", True, False),  # "Neen" to the work visit
    11: (None, False, False),  # a formula naming Gent is not a name
    12: (None, False, False),  # "Antwerpen (provincie)"
    13: ("12025", True, True),  # completed as a serial number with a binary fraction
}


def test_a_messy_export_resolves_as_the_truth_table_says() -> None:
    result = read_form(ROOT / "tests" / "data" / "messy-export.xlsx")
    frame = result.candidates.set_index(s.SUBMISSION_ID)
    assert sorted(frame.index) == sorted(MESSY_TRUTH)
    for sid, (refnis, counts, eligible) in MESSY_TRUTH.items():
        row = frame.loc[sid]
        assert row[s.REFNIS] == refnis, sid
        assert (row[s.CANDIDATE_ID] == refnis) is counts, sid
        assert bool(row[s.ELIGIBLE]) is eligible, sid
    assert frame.loc[4, s.COMPLETED] == pd.Timestamp("2023-10-02 09:36:00")
    assert frame.loc[13, s.COMPLETED] == pd.Timestamp("2023-10-17 14:30:00")
    kinds = {(i["submission_id"], i["kind"]) for i in result.issues}
    assert {(None, "other-sheet"), (7, "same-completion-time"), (9, "time-order")} <= kinds
    assert {(1, "name-unresolved"), (3, "name-unresolved"), (11, "name-unresolved")} <= kinds


def test_a_very_wide_export_reads_quickly(write_form: FormWriter, tmp_path: Path) -> None:
    # 10,000 unknown columns: each header is looked up once, not the whole mapping per header.
    import csv as csv_module
    import time

    text = write_form([answers(1, "Gent"), answers(2, "Zulte")], name="form.csv").read_text(encoding="utf-8")
    rows = list(csv_module.reader(io.StringIO(text)))
    extra = [f"Extra vraag {i}" for i in range(10_000)]
    wide = tmp_path / "wide.csv"
    with wide.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_module.writer(handle)
        writer.writerow(rows[0] + extra)
        for row in rows[1:]:
            writer.writerow(row + ["x"] * len(extra))
    started = time.perf_counter()
    result = read_form(wide)
    assert time.perf_counter() - started < 5
    assert list(result.candidates[s.REFNIS]) == ["44021", "44081"]


def test_an_export_that_writes_dates_month_first_is_read_month_first(write_form: FormWriter) -> None:
    # An export saved in a US locale: "10/16/2023" proves the order, so "11/10/2023" is 10 November
    # (read day first it would be 11 October, before 16 October, and the wrong submission would count).
    rows = [
        answers(1, "Gent", completed="10/16/2023 2:32:10 PM"),
        answers(2, "Stad Gent", completed="11/10/2023 9:00:00 AM"),
        answers(3, "Zulte", completed="10/20/2023 8:00:00 AM"),
    ]
    result = read_form(write_form(rows))
    completed = result.candidates.set_index(s.SUBMISSION_ID)[s.COMPLETED]
    assert completed[1] == pd.Timestamp("2023-10-16 14:32:10")
    assert completed[2] == pd.Timestamp("2023-11-10 09:00:00")
    assert by_id(result, 1)[s.SUPERSEDED_BY] == 2
    notes = [i["problem"] for i in result.issues if i["kind"] == "date-order"]
    assert len(notes) == 1 and "month first" in notes[0]


def test_dates_that_read_either_way_in_a_mixed_export_are_reported(write_form: FormWriter) -> None:
    rows = [
        answers(1, "Gent", completed="16/10/2023 14:32:10"),
        answers(2, "Zulte", completed="10/17/2023 09:00:00"),
        answers(3, "Aalst", completed="05/11/2023 09:00:00"),
        answers(4, "Lier", completed="11/11/2023 09:00:00"),
    ]
    result = read_form(write_form(rows))
    assert by_id(result, 3)[s.COMPLETED] == pd.Timestamp("2023-11-05 09:00:00")  # the mapping's day first
    flagged = [(i["submission_id"], i["column"]) for i in result.issues if i["kind"] == "date-order"]
    assert flagged == [(3, "Tijd van voltooien")]  # 11/11 reads the same either way


def test_answers_that_spell_not_available_are_kept_as_written(write_form: FormWriter) -> None:
    # "NA" or "None" is an answer to read, not a blank cell (the .xlsx and .csv readers agree).
    row = answers(1, "NA", **{"Zo ja, met welke partner en in welk land?": "None"})
    for name in ("form.xlsx", "form.csv"):
        result = read_form(write_form([row], name=name))
        record = by_id(result, 1)
        assert (record[s.NAME_AS_WRITTEN], record[s.CITY_LINK_PARTNER]) == ("NA", "None")
        assert [i["kind"] for i in issues_of(result, 1)] == ["name-unresolved"]
