"""answers.py: one answer -> a value of its field's kind, or the kind of issue it raises."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from matchmaker import answers
from matchmaker.form_mapping import load_mapping


def test_yes_no_reads_the_mapping_s_answers() -> None:
    read = answers.yes_no(load_mapping())
    assert read("Ja.") == (True, None)
    assert read(" nee ") == (False, None)
    assert read(None) == (None, answers.UNANSWERED)
    assert read("misschien") == (None, answers.UNREADABLE)


def test_choice_accepts_an_unambiguous_short_form() -> None:
    read = answers.choice({"Rwanda (burgerparticipatie)": "Rwanda", "Benin": "Benin"})
    assert read("rwanda") == ("Rwanda", None)
    assert read("Benin;") == ("Benin", None)
    assert read("Peru") == (None, answers.UNKNOWN_OPTION)
    assert read("") == (None, answers.UNANSWERED)


def test_rating_takes_a_whole_number_within_bounds() -> None:
    read = answers.rating((1, 5))
    assert read(4) == (4, None)
    assert read("4 - groot") == (4, None)
    assert read("4/5") == (4, None)
    assert read(4.5) == (None, answers.UNREADABLE)
    assert read(6) == (None, answers.UNREADABLE)
    assert read(" ") == (None, answers.UNANSWERED)


def test_timestamps_from_cells_text_and_serial_numbers() -> None:
    read = answers.timestamp(dayfirst=True)
    assert read(dt.datetime(2023, 10, 16, 14, 32)) == (pd.Timestamp("2023-10-16 14:32"), None)
    assert read("16/10/2023 14:32") == (pd.Timestamp("2023-10-16 14:32"), None)
    assert read("maandag 16 oktober 2023 14:32") == (pd.Timestamp("2023-10-16 14:32"), None)
    assert read(45215.5) == (pd.Timestamp("2023-10-16 12:00"), None)
    assert read("10:30") == (None, answers.UNREADABLE)
    assert read(dt.time(10, 30)) == (None, answers.UNREADABLE)
    assert read(None) == (None, answers.UNANSWERED)


def test_submission_ids_and_free_text() -> None:
    assert [answers.submission_id(v) for v in (12, 12.0, "12", "12.0", 1.5, True, "x", None)] == [
        12,
        12,
        12,
        12,
        None,
        None,
        None,
        None,
    ]
    assert answers.free_text(" =SUM(A1) ") == ("=SUM(A1)", answers.FORMULA_TEXT)
    assert answers.free_text("-5 graden") == ("-5 graden", None)
    assert answers.free_text("") == (None, None)


def test_multi_reader_gives_fresh_lists_per_answer() -> None:
    read = answers.multi_reader({"Nederlands": "nl", "Frans": "fr"}, ";")
    first, second = read("Frans;Nederlands"), read("Frans;Nederlands")
    assert first == (["nl", "fr"], []) == second
    first[0].append("en")
    assert read("Frans;Nederlands") == (["nl", "fr"], [])


@pytest.mark.parametrize(
    "text",
    [
        "15/10/2023 14:30:00",
        "1/2/2024 8:05",
        "01-02-2024",
        "16.10.2023 09:05",
        "2023-10-16 09:05",
        "2023-10-16T09:05:07",
    ],
)
@pytest.mark.parametrize("dayfirst", [True, False])
def test_common_date_texts_read_as_pandas_reads_them(text: str, dayfirst: bool) -> None:
    import warnings

    from matchmaker.answers import timestamp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = pd.to_datetime(text, dayfirst=dayfirst and not text.startswith("2023-"))
    assert timestamp(dayfirst)(text) == (expected, None)


def test_read_each_reads_a_column_as_one_read_a_cell_reads() -> None:
    mapping = load_mapping()
    read = answers.yes_no(mapping)
    values: list[object] = ["Ja", 1, 1.0, True, "ja ", None, "Nee", 0, False, "Ja", "?"]
    assert answers.read_each(read, values) == [read(v) for v in values]
    rating = answers.rating((1, 5))
    assert answers.read_each(rating, values) == [rating(v) for v in values]
    # 1, 1.0 and True are equal keys of a dict, but not the same answer
    assert answers.read_each(repr, [1, 1.0, True, 1, True]) == ["1", "1.0", "True", "1", "True"]
    # an unhashable cell is read all the same
    assert answers.read_each(lambda v: (str(v), None), [[1], "a"]) == [("[1]", None), ("a", None)]
