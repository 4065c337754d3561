"""The printed tables: the pairing report, the intake overview and the reviewers' agreement."""

from __future__ import annotations

import dataclasses

from pairing.helpers import cand, criteria, frame, partner
from result_factory import make_result

from matchmaker.export.terminal import INTAKE_TABLE_ROWS, format_report, intake_lines, review_lines
from matchmaker.pairing import solve_pairing


def test_the_pairing_report_lists_pairs_filled_slots_and_reserves() -> None:
    # the factory's reserves carry no values; the report prints a real result's
    result = dataclasses.replace(make_result(), reserves=[])
    report = format_report(result).splitlines()
    assert report[0].split()[:3] == ["country", "partner", "municipality"]
    assert set(report[1]) == {"-"}
    assert any(line.startswith("Filled: ") for line in report)
    assert any(line.startswith("Reserves ") and line.endswith(": none") for line in report)
    for pair in result.pairs:
        assert any(pair["partner"] in line for line in report[2 : 2 + len(result.pairs)])


SUMMARY = {
    "submissions": 3,
    "candidates": 2,
    "eligible": 1,
    "superseded": 1,
    "blank_rows_dropped": 0,
    "resolution": {"exact": 2, "fuzzy": 1},
    "issues": {},
}


def row(i: int, eligible: bool = True) -> dict[str, object]:
    return {
        "submission_id": i,
        "name_as_written": "Gent",
        "municipality": "Gent",
        "resolution": "exact",
        "country_preference": None,
        "eligible": eligible,
        "reason": None if eligible else "superseded by 2",
    }


def test_intake_lines_count_read_names_and_show_a_row_per_submission() -> None:
    lines = intake_lines("forms.xlsx", SUMMARY, [row(1), row(2, eligible=False)])
    assert lines[0] == (
        "forms.xlsx: 3 submissions, 2 candidate municipalities, 1 eligible, 1 superseded, "
        "0 blank rows dropped"
    )
    assert lines[1:3] == ["names: exact 2, fuzzy 1", "issues: none"]
    assert lines[3].split() == ["id", "name", "as", "written", "municipality", "how", "pref", "status"]
    assert lines[4].endswith(" eligible")
    assert lines[5].endswith("- superseded by 2")


def test_intake_lines_stop_after_the_first_hundred_rows() -> None:
    lines = intake_lines("f.xlsx", SUMMARY, [row(i) for i in range(INTAKE_TABLE_ROWS + 5)])
    assert len(lines) == 4 + INTAKE_TABLE_ROWS + 1
    assert lines[-1] == "... 5 more submissions (all of them are in --json)"


def test_review_lines_without_reviews_are_only_the_scoring_notes() -> None:
    assert review_lines({}) == []
    assert review_lines({"scoring_notes": ["Gent rated itself"]}) == ["note: Gent rated itself"]


def test_report_says_when_alternatives_only_reshuffle_partners() -> None:
    # two equal Rwandan districts: the only other pairing swaps them, with the same candidates
    rows = [cand("1", 90, pref="Rwanda", minutes=1), cand("2", 80, pref="Rwanda", minutes=2)]
    parts = frame([partner("R1", "Rwanda"), partner("R2", "Rwanda")])
    swapped = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=1, distinct="pairs")
    assert swapped.alternatives[0]["gap_pct"] == 0
    assert "every alternative selects the same candidates" in format_report(swapped)
    # the districts are interchangeable, and the report says so once
    assert format_report(swapped).count("R1 and R2 are interchangeable") == 1
    # by default alternatives differ in whom they select: there is none here, and the report says so
    none = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=1)
    assert not none.alternatives and "No other pairing fills as many slots" in format_report(none)
    # a third candidate makes "select someone else" possible: distinct selections say who comes in
    rows.append(cand("3", 70, pref="Rwanda", minutes=3))
    other = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=1, distinct="selection")
    report = format_report(other)
    assert "every alternative selects the same candidates" not in report
    assert "in;" in report and "out" in report
