"""The terminal report of a pairing (`format_report`, in the package for now)."""

from __future__ import annotations

from matchmaker.pairing import solve_pairing

from .helpers import (
    cand,
    criteria,
    frame,
    partner,
)


def test_report_says_when_alternatives_only_reshuffle_partners() -> None:
    from matchmaker.pairing import format_report

    # two equal Rwandan districts: the only other pairing swaps them, with the same candidates
    rows = [cand("1", 90, pref="Rwanda", minutes=1), cand("2", 80, pref="Rwanda", minutes=2)]
    parts = frame([partner("R1", "Rwanda"), partner("R2", "Rwanda")])
    swapped = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=1)
    assert swapped.alternatives[0]["gap_pct"] == 0
    assert "every alternative selects the same candidates" in format_report(swapped)
    # a third candidate makes "select someone else" possible: distinct selections say who comes in
    rows.append(cand("3", 70, pref="Rwanda", minutes=3))
    other = solve_pairing(frame(rows), parts, criteria({"Rwanda": 2}), alternatives=1, distinct="selection")
    report = format_report(other)
    assert "every alternative selects the same candidates" not in report
    assert "in;" in report and "out" in report
