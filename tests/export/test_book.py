"""The workbook builder: any text reads back as written, styled headers, typed numbers, wrapped rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from result_factory import make_result

from matchmaker import schema as s
from matchmaker.cells import clean_text
from matchmaker.export import (
    SHEET_ALTERNATIVES,
    SHEET_INTAKE,
    SHEET_MOTIVATION,
    SHEET_PAIRS,
    SHEET_PARTNERS,
    SHEET_RESERVES,
    SHEET_SHORTLIST,
    build_workbook,
    write_shortlist,
)

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["=1+1", "+32 9 123", "-5", "@SUM(A1)", "#N/A", '=HYPERLINK("x")', "\x00=x", "#DIV/0!"]
)


@pytest.fixture
def shortlist(tmp_path: Path) -> Path:
    return write_shortlist(make_result(), tmp_path / "shortlist.xlsx")


@settings(max_examples=20, deadline=None)
@given(motivation=TEXT, name=TEXT)
def test_any_form_text_reads_back_as_the_same_text(motivation: str, name: str) -> None:
    result = make_result()
    candidates = [dict(c) for c in result.candidates]
    candidates[0][s.MOTIVATION] = motivation
    candidates[0][s.MUNICIPALITY] = name
    result = dataclasses.replace(result, candidates=candidates)
    buffer = io.BytesIO()
    build_workbook(result).save(buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cell = wb[SHEET_MOTIVATION].cell(row=2, column=4)  # the first candidate ranks first
    expected = clean_text(motivation)
    assert cell.value == (expected or None)
    if expected:
        assert cell.data_type == "s"


def test_every_table_sheet_has_a_frozen_styled_header_and_a_filter(shortlist: Path) -> None:
    wb = openpyxl.load_workbook(shortlist)
    for name in (
        SHEET_PAIRS,
        SHEET_SHORTLIST,
        SHEET_RESERVES,
        SHEET_ALTERNATIVES,
        SHEET_INTAKE,
        SHEET_PARTNERS,
    ):
        ws = wb[name]
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2"), name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("1F4E78"), name
        assert ws.print_title_rows == "$1:$1", name
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, name
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(6 <= w <= 90 for w in widths), (name, widths)


def test_numbers_are_numbers_with_formats(shortlist: Path) -> None:
    wb = openpyxl.load_workbook(shortlist)
    pairs = wb[SHEET_PAIRS]
    value = pairs.cell(row=2, column=7)
    # the format names the workbook's locale (nl-BE): comma decimals wherever the file is opened
    assert isinstance(value.value, float) and value.number_format == "[$-813]0.0_)"
    assert isinstance(pairs.cell(row=2, column=2).value, int)  # NIS code: no "number stored as text"
    gap = wb[SHEET_ALTERNATIVES].cell(row=2, column=3)
    assert gap.value == pytest.approx(0.0125) and gap.number_format == "[$-813]0.0%_)"
    completed = wb[SHEET_INTAKE].cell(row=2, column=2)
    assert isinstance(completed.value, dt.datetime) and completed.number_format == "[$-813]yyyy-mm-dd hh:mm"


def test_long_text_wraps_and_its_row_is_tall_enough(shortlist: Path) -> None:
    ws = openpyxl.load_workbook(shortlist)[SHEET_MOTIVATION]
    long_rows = [i for i in range(2, ws.max_row + 1) if len(str(ws.cell(row=i, column=4).value)) > 200]
    assert long_rows
    for i in long_rows:
        assert ws.cell(row=i, column=4).alignment.wrap_text
        assert (ws.row_dimensions[i].height or 0) >= 45
