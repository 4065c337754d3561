"""Cell hygiene: text an .xlsx can hold, never a formula, finite numbers."""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pytest

from matchmaker.cells import as_number, clean_text, put_text, trimmed_text, write_text


def test_clean_text_strips_control_characters_and_normalises_line_ends() -> None:
    assert clean_text("a\x00b\x07c\x1fd\x7f") == "abcd"
    assert clean_text("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour"
    assert clean_text("mail an@example.be now", scrub_emails=True) == "mail [e-mail] now"


def test_clean_text_truncates_to_what_one_cell_holds() -> None:
    text = clean_text("x" * 40_000)
    assert len(text) == 32_767 and text.endswith("[…]")


def test_trimmed_text_is_clean_and_trimmed_and_empty_when_missing() -> None:
    assert trimmed_text("  Gent\x00 \r\n") == "Gent"
    assert trimmed_text(None) == ""
    assert trimmed_text(float("nan")) == ""


@pytest.mark.parametrize("text", ["=1+1", "+32 9 123", "-5", "@SUM(A1)", "#N/A", "plain"])
def test_text_is_written_as_text_even_when_it_looks_like_a_formula(text: str) -> None:
    ws = openpyxl.Workbook().active
    put_text(ws, 1, 1, text)
    cell = write_text(ws.cell(row=2, column=1), text)
    for written in (ws.cell(row=1, column=1), cell):
        assert written.value == text
        assert written.data_type == "s"
        assert bool(written.quotePrefix) == text.startswith(("=", "+", "-", "@"))


def test_as_number_takes_finite_numbers_only() -> None:
    assert as_number(3) == 3.0
    assert as_number(np.float64(2.5)) == 2.5
    assert as_number(np.int64(4)) == 4.0
    for value in (True, None, "3", math.nan, math.inf):
        assert as_number(value) is None


def test_scrubbing_e_mail_addresses_takes_linear_time() -> None:
    import time

    for word in ("a" * 200_000, "a" * 200_000 + "@", "a." * 100_000 + "@x", "@a" * 100_000):
        started = time.perf_counter()
        clean_text(f"mail {word} or an.peeters@zulte.be", scrub_emails=True)
        assert time.perf_counter() - started < 0.5, word[:10]
    assert clean_text("mail an.peeters@zulte.be, x!b@c.org", scrub_emails=True) == "mail [e-mail], x![e-mail]"
