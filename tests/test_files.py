"""Atomic writing and the JSON writer: a file is replaced whole or not at all, never over an input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import signal
import stat
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from result_factory import make_result
from workbook_helpers import leftovers

from matchmaker import schema as s
from matchmaker.errors import IntakeError, OutputError
from matchmaker.files import (
    atomic_path,
    check_regular,
    check_workbook_archive,
    decode_text,
    file_sha256,
    guard_existing,
    own_json,
    read_input,
    read_workbook,
    save_workbook,
    sniff,
    write_json,
)
from matchmaker.schema import to_jsonable

# --- write_json --------------------------------------------------------------------------------------


def test_write_json_round_trips_plain_values_and_keeps_non_ascii(tmp_path: Path) -> None:
    doc = {"name": "Zulte – Bénin", "n": 3, "nested": {"list": [1, 2.5, None]}}
    out = write_json(doc, tmp_path / "r.json")
    text = out.read_text(encoding="utf-8")
    assert "Bénin" in text and "\\u" not in text
    assert text.startswith("{\n  ")
    assert json.loads(text) == doc


def test_write_json_converts_pandas_numpy_and_missing_values(tmp_path: Path) -> None:
    doc = {
        "ts": pd.Timestamp("2024-01-02 03:04:05"),
        "date": dt.date(2024, 1, 2),
        "nat": pd.NaT,
        "na": pd.NA,
        "nan": float("nan"),
        "inf": math.inf,
        "np_int": np.int64(7),
        "np_float": np.float64(1.5),
        "np_nan": np.float64("nan"),
        "np_bool": np.bool_(True),
        "array": np.array([1, 2]),
        "path": Path("a/b.xlsx"),
        "tuple": (1, "x"),
        "set": {"b", "a"},
    }
    loaded = json.loads(write_json(doc, tmp_path / "r.json").read_text(encoding="utf-8"))
    assert loaded == {
        "ts": "2024-01-02T03:04:05",
        "date": "2024-01-02",
        "nat": None,
        "na": None,
        "nan": None,
        "inf": None,
        "np_int": 7,
        "np_float": 1.5,
        "np_nan": None,
        "np_bool": True,
        "array": [1, 2],
        "path": str(Path("a/b.xlsx")),
        "tuple": [1, "x"],
        "set": ["a", "b"],
    }


def test_write_json_writes_a_pairing_result_document(tmp_path: Path) -> None:
    result = make_result()
    loaded = json.loads(write_json(result.to_json(), tmp_path / "r.json").read_text(encoding="utf-8"))
    assert loaded["schema"] == s.RESULT_SCHEMA
    assert loaded["pairs"] == result.pairs


def test_write_json_replaces_its_own_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = write_json({"schema": "matchmaker.intake/1", "a": 0}, tmp_path / "r.json")
    write_json({"a": 1}, out)
    assert json.loads(out.read_text(encoding="utf-8")) == {"a": 1}
    assert leftovers(tmp_path) == []


def test_write_json_never_replaces_a_file_it_did_not_write_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "notes.json"
    out.write_text('{"my": "notes"}', encoding="utf-8")
    with pytest.raises(OutputError, match=r"notes.json: already exists and is not a file matchmaker wrote"):
        write_json({"schema": "matchmaker.intake/1"}, out)
    assert out.read_text(encoding="utf-8") == '{"my": "notes"}'
    write_json({"schema": "matchmaker.intake/1"}, out, force=True)
    assert json.loads(out.read_text(encoding="utf-8")) == {"schema": "matchmaker.intake/1"}
    assert leftovers(tmp_path) == []


def test_write_json_gives_the_file_ordinary_permissions(tmp_path: Path) -> None:
    out = write_json({"a": 1}, tmp_path / "r.json")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_write_json_refuses_an_input_file_as_output(tmp_path: Path) -> None:
    source = tmp_path / "candidacies.xlsx"
    source.write_bytes(b"original")
    with pytest.raises(OutputError, match=r"candidacies\.xlsx: is also an input"):
        write_json({"a": 1}, tmp_path / "." / "candidacies.xlsx", inputs=[source])
    assert source.read_bytes() == b"original"


def test_write_json_to_a_missing_folder_names_the_path(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "r.json"
    with pytest.raises(OutputError, match=r"nowhere.*does not exist"):
        write_json({"a": 1}, out)


def test_write_json_to_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        write_json({"a": 1}, tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_write_json_into_a_read_only_folder_is_an_output_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match=r"r\.json: cannot write"):
            write_json({"a": 1}, folder / "r.json")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_a_value_json_cannot_hold_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    old = '{"schema": "matchmaker.intake/1"}'
    out.write_text(old, encoding="utf-8")
    with pytest.raises(TypeError, match="cannot write a object"):
        write_json({"bad": object()}, out)
    assert out.read_text(encoding="utf-8") == old
    assert leftovers(tmp_path) == []


def test_to_jsonable_keeps_plain_json_as_it_is() -> None:
    doc = {"a": [1, 2.5, "x", None, True, {"b": False}]}
    assert to_jsonable(doc) == doc


# --- atomic_path ---------------------------------------------------------------------------------------


def test_atomic_path_keeps_the_extension_and_removes_the_file_on_error(tmp_path: Path) -> None:
    out = tmp_path / "sheet.xlsx"
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".xlsx"
        tmp.write_bytes(b"partial")
        raise RuntimeError("writer failed halfway")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_replaces_the_target_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "sheet.xlsx"
    out.write_bytes(b"old")
    with atomic_path(out) as tmp:
        tmp.write_bytes(b"new")
        assert out.read_bytes() == b"old"
    assert out.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [out]


# --- cell safety ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs a folder nobody can write to")
def test_write_json_where_even_root_cannot_write_is_an_output_error() -> None:
    with pytest.raises(OutputError, match=r"/proc/result\.json: cannot write"):
        write_json({"a": 1}, Path("/proc/result.json"))


# --- explanations in the workbook's language -------------------------------------------------------------


# --- reading workbooks safely, checksums ---------------------------------------------------------------


def test_check_workbook_archive_refuses_what_is_not_a_safe_xlsx(tmp_path: Path) -> None:
    text = tmp_path / "text.xlsx"
    text.write_text("id,name\n1,Gent\n", encoding="utf-8")
    ole = tmp_path / "old.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    plain_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    for path, message in (
        (text, "not a zip archive"),
        (ole, "password-protected"),
        (plain_zip, r"no \[Content_Types\]\.xml"),
        (tmp_path / "missing.xlsx", "cannot read the file"),
    ):
        with pytest.raises(IntakeError, match=message):
            check_workbook_archive(path)
    book = tmp_path / "book.xlsx"
    openpyxl.Workbook().save(book)
    check_workbook_archive(book)
    assert sniff(book, book.read_bytes()[:8]) == "zip"


def test_save_workbook_writes_atomically_and_never_over_an_input(tmp_path: Path) -> None:
    out = save_workbook(openpyxl.Workbook(), tmp_path / "book.xlsx")
    assert openpyxl.load_workbook(out).sheetnames == ["Sheet"]
    assert leftovers(tmp_path) == []
    with pytest.raises(OutputError, match="is also an input file"):
        save_workbook(openpyxl.Workbook(), out, inputs=[out])


def test_file_sha256_reads_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    data = os.urandom(3 << 20)  # more than one block
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


# --- the safe reader: regular files only, bounded, the sheet's real extent --------------------------------


class _Deadline(Exception):
    pass


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a reader that waits on a pipe or reads /dev/zero never returns."""

    def expired(*_: object) -> None:
        raise _Deadline(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    dangling = tmp_path / "gone.xlsx"
    dangling.symlink_to(tmp_path / "nowhere.xlsx")
    return {"fifo": fifo, "link to /dev/zero": zero, "folder": folder, "dangling link": dangling}


def test_only_regular_files_are_read_and_never_hang(tmp_path: Path) -> None:
    phrases = {"fifo": "not a regular file", "link to /dev/zero": "behind a link", "folder": "is a folder"}
    phrases["dangling link"] = "does not exist"
    for kind, path in special_files(tmp_path).items():
        for read in (
            lambda p: read_input(p, limit=1 << 20),
            lambda p: read_workbook(p),
            lambda p: check_regular(p),
        ):
            with deadline(5), pytest.raises(IntakeError) as info:
                read(path)
            assert str(path) in str(info.value) and phrases[kind] in str(info.value), kind


def test_inputs_beyond_their_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(IntakeError, match="more than a partners file may hold"):
        read_input(big, what="partners file", limit=100)
    assert read_input(big, limit=4000) == b"a,b\n" * 1000


def test_text_is_decoded_from_what_office_programs_save(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    for data, encoding in (
        ("Liège;Zulte\n".encode(), "UTF-8"),
        (b"\xef\xbb\xbf" + "Liège\n".encode(), "UTF-8"),
        ("Liège\n".encode("utf-16"), "UTF-16"),
        ("Liège;Hélène\n".encode("cp1252"), "Windows-1252"),
    ):
        text, found = decode_text(path, data)
        assert (text.split(";")[0].strip(), found) == ("Liège", encoding)
    with pytest.raises(IntakeError, match="binary data"):
        decode_text(path, b"\x00\x01\x02")


def test_a_stray_cell_far_away_does_not_blow_up_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "stray.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Id", "Naam"])
    ws.append([1, "Zulte"])
    ws["XFD1048576"] = " "
    wb.save(path)
    assert path.stat().st_size < 20_000
    started = time.perf_counter()
    with deadline(20):
        sheets = read_workbook(path)
        rows = sheets[0].load()
    assert time.perf_counter() - started < 5
    assert rows == [["Id", "Naam"], [1, "Zulte"]]
    # a stray cell with text far away: refused, bounded, never 512 GiB
    ws["XFD1048576"] = "x"
    ws["XFD1048575"] = "y"
    wb.save(path)
    with deadline(20), pytest.raises(IntakeError, match="far beyond its data"):
        read_workbook(path)[0].load()


def test_own_outputs_are_recognised_and_others_are_not(tmp_path: Path) -> None:
    mine = write_json({"schema": "matchmaker.intake/1", "candidates": []}, tmp_path / "mine.json")
    assert own_json(mine) is None
    theirs = tmp_path / "theirs.json"
    theirs.write_text('{"schema": "other/1"}', encoding="utf-8")
    assert own_json(theirs) == "is not a file matchmaker wrote"
    with pytest.raises(OutputError, match="--force"):
        guard_existing(theirs, force=False, judge=own_json)
    guard_existing(theirs, force=True, judge=own_json)
    guard_existing(tmp_path / "new.json", force=False, judge=own_json)


@pytest.mark.parametrize(
    ("xml", "rows"),
    [
        # styled empty rows after the data are not data
        (b'<row r="1"><c r="A1"><v>1</v></c></row><row r="2" s="1"/><row r="900000" s="1"/>', 1),
        (b'<row r="1"/><row r="7" spans="1:2"><c r="B7" t="inlineStr"><is><t>x</t></is></c></row>', 7),
        (b'<row r="3"><c r="C3"><f>A1+1</f></c></row><row r="4"><c r="A4" s="2"/></row>', 3),
        # a row without its number, or tags with a prefix: everything is read
        (b'<row><c><v>1</v></c></row><row r="9" s="1"/>', None),
        (b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>', None),
        # no value at all: nothing to bound by
        (b'<row r="5" s="1"/>', None),
    ],
)
def test_the_rows_worth_reading_end_at_the_last_value(xml: bytes, rows: int | None) -> None:
    from matchmaker.files import _Extent, _scan

    extent = _Extent()
    _scan(extent, xml)
    assert extent.data_rows == rows


def test_the_last_value_is_found_across_chunks() -> None:
    from matchmaker.files import _Extent, _scan

    extent = _Extent()
    _scan(extent, b'<row r="41" spans="1:3">')  # the chunk ended inside the row
    _scan(extent, b'<c r="A41"><v>2</v></c></row><row r="42" s="3"/>')
    assert extent.data_rows == 41


@pytest.mark.parametrize(
    ("xml", "columns"),
    [
        (b'<row r="1"><c r="A1"><v>1</v></c><c r="X1"><v>2</v></c></row>', 24),
        # attributes apart by a tab or a line break: the widest cell is found all the same
        (b'<row r="1"><c r="A1"><v>1</v></c><c\tr="AB1"><v>2</v></c></row>', 28),
        (b'<row r="1"><c r="A1"><v>1</v></c>\n<c s="1"\nr="C1"><v>2</v></c></row>', 3),
        (b'<row r="1"><c\r\nr="ZZ1"><v>1</v></c><c r="B1"/></row>', 26 * 27),
        # a line break in a text, no attribute after it: the usual way
        (b'<row r="1"><c r="D1" t="inlineStr"><is><t>a\nb</t></is></c></row>', 4),
    ],
)
def test_the_widest_column_is_found_whatever_white_space_parts_the_attributes(
    xml: bytes, columns: int
) -> None:
    from matchmaker.files import _Extent, _scan

    extent = _Extent()
    _scan(extent, xml)
    assert extent.max_col == columns


def test_the_cycle_collector_is_paused_and_left_as_it_was() -> None:
    import gc

    from matchmaker.files import collector_paused

    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller's choice is not overruled
    finally:
        gc.enable()
