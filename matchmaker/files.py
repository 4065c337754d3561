"""Files in and out: safe reading of every input (regular files only, size, archive and extent
checks, sniffing, decoding), atomic writing that never replaces typed work, and checksums.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import stat
import tempfile
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import defusedxml.ElementTree

from .errors import IntakeError, MatchmakerError, OutputError

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "MAX_CELLS",
    "MAX_RATIO",
    "MAX_UNCOMPRESSED",
    "RATIO_CHECK_FROM",
    "WORKBOOK_SUFFIXES",
    "Book",
    "Grid",
    "Sheet",
    "atomic_path",
    "check_output",
    "check_regular",
    "check_workbook_archive",
    "check_zip",
    "collector_paused",
    "decode_text",
    "file_sha256",
    "guard_existing",
    "own_json",
    "read_book",
    "read_input",
    "read_workbook",
    "save_workbook",
    "sniff",
    "workbook_custom_properties",
    "workbook_keywords",
    "write_json",
]

# An .xlsx is a zip archive; neither engine limits how far it may expand, so the declared sizes
# in the central directory are checked before anything is parsed.
MAX_UNCOMPRESSED: Final = 512 * 1024 * 1024
MAX_RATIO: Final = 200
RATIO_CHECK_FROM: Final = 32 * 1024 * 1024
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC: Final = b"PK"


# --- regular files, read within limits --------------------------------------------------------------


def check_regular(
    path: Path, *, what: str = "file", limit: int | None = None, error: type[MatchmakerError] = IntakeError
) -> int:
    """The size of `path` if it is a regular file within `limit` bytes; otherwise `error` naming it.

    A pipe, a device or a socket (or a link to one) is refused before it is opened: reading one
    would wait forever or never end.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise error(f"{path}: a link to a file that does not exist") from None
        raise error(f"{path}: file not found") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is a folder; expected a {what}")
    if not stat.S_ISREG(info.st_mode):
        behind = ", behind a link" if os.path.islink(path) else ""
        raise error(f"{path}: not a regular file (a pipe, device or socket{behind}); give a saved {what}")
    if limit is not None and info.st_size > limit:
        raise error(
            f"{path}: {info.st_size / 2**20:,.1f} MB is more than a {what} may hold "
            f"({limit / 2**20:,.0f} MB); is it the right file?"
        )
    return info.st_size


def read_input(
    path: Path, *, what: str = "file", limit: int, error: type[MatchmakerError] = IntakeError
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (checked before and while reading)."""
    check_regular(path, what=what, limit=limit, error=error)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise error(f"{path}: grew beyond {limit / 2**20:,.0f} MB while being read; is it the right file?")
    return data


def decode_text(path: Path, data: bytes, *, error: type[MatchmakerError] = IntakeError) -> tuple[str, str]:
    """Text and its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Excel and LibreOffice on Belgian settings save "CSV" in Windows-1252; it is read, and the caller
    says so. Binary data is refused.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise error(f"{path}: damaged UTF-16 text; save it again as 'CSV UTF-8'") from None
    if b"\x00" in data[:8192]:
        raise error(f"{path}: binary data, not CSV text")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); save it as 'CSV UTF-8'"
        ) from None
    if any(not (ch.isprintable() or ch in "\r\n\t") for ch in text[:8192]):
        raise error(f"{path}: binary data, not CSV text")
    return text, "Windows-1252"


# --- reading workbooks safely ----------------------------------------------------------------------


def sniff(path: Path, head: bytes) -> str:
    """What the file is by its content: 'zip', 'ole' or 'text'."""
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    return "text"


@dataclass
class _Extent:
    """What a worksheet part holds, counted while it is decompressed: enough to see a stray far cell."""

    cells: int = 0
    max_row: int = 0
    max_col: int = 0
    # the last row holding a value or formula: styled empty rows after it are no data
    last_value_row: int = 0
    current_row: int = 0
    unnumbered: bool = False  # a row without its number (or a prefixed tag): no bound can be trusted

    @property
    def data_rows(self) -> int | None:
        """The rows worth reading, when the scan could tell; None to read them all."""
        if self.unnumbered or not self.max_row or not self.last_value_row:
            return None
        return self.last_value_row

    @property
    def area(self) -> int:
        return self.max_row * self.max_col


_ROW_NUMBER = re.compile(rb'<row\s(?:[^>]*?\s)?r="([0-9]{1,7})"')
_ROW_FAST = re.compile(rb'<row r="([0-9]{1,7})"')
# a cell reference's column in any tag (a row's r is digits only): one fast pass with a literal prefix
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_COL3 = re.compile(rb'<c\s(?:[^>]*?\s)?r="([A-Z]{3})[0-9]')
_COL2 = re.compile(rb'<c\s(?:[^>]*?\s)?r="([A-Z]{2})[0-9]')
_COL1 = re.compile(rb'<c\s(?:[^>]*?\s)?r="([A-Z])[0-9]')


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


# a value's or inline text's end, a formula's start (a cell's <f>; <formula1> of a validation is no data)
_VALUE_TAGS: Final = (b"</v>", b"</is>", b"<f>", b"<f ")
# attributes apart by a tab or line break instead of a space (searched as literals: a character
# class first makes the pattern try every byte of the part)
_OTHER_SPACE: Final = (b'\tr="', b'\rr="', b'\nr="')


def _scan(extent: _Extent, text: bytes) -> None:
    extent.cells += text.count(b"<c ") + text.count(b"<c>")
    starts = text.count(b"<row ") + text.count(b"<row>")
    rows = _ROW_FAST.findall(text)  # as every office program writes it; the general pattern else
    if len(rows) != starts:
        rows = _ROW_NUMBER.findall(text)
    if len(rows) != starts or b":row" in text:
        extent.unnumbered = True
    value_at = -1
    for tag in _VALUE_TAGS:  # only after the last one found can a later tag lie: search there alone
        value_at = max(value_at, text.rfind(tag, value_at + 1))
    if value_at >= 0:
        row_at = text.rfind(b"<row", 0, value_at)
        number = _ROW_NUMBER.match(text, row_at) if row_at >= 0 else None
        row = int(number.group(1)) if number else extent.current_row
        extent.last_value_row = max(extent.last_value_row, row)
    if rows:
        extent.current_row = int(rows[-1])
        extent.max_row = max(extent.max_row, *map(int, rows))
    # attributes apart by other white space than a space are read the slow way
    # (a tab or line break anywhere is looked for first: one byte is found at memchr's speed)
    odd = any(c in text for c in b"\t\r\n") and any(s in text for s in _OTHER_SPACE)
    patterns = [_COL3, _COL2, _COL1] if odd else [_CELL_COLUMN]
    for pattern in patterns:
        found = set(pattern.findall(text))
        if found:
            extent.max_col = max(extent.max_col, *(_column_number(c) for c in found))
            break


def _open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise IntakeError(
            f"{path}: the workbook is truncated or damaged (not a readable zip archive)"
        ) from None
    except OSError as exc:
        raise IntakeError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def _check_archive(path: Path, archive: zipfile.ZipFile) -> dict[str, _Extent]:
    """The size limits and every member's content; the extent of each worksheet part."""
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise IntakeError(
            f"{path}: refused: the archive would expand to {total / 2**20:,.0f} MB "
            f"(limit {MAX_UNCOMPRESSED / 2**20:,.0f} MB), a possible zip bomb"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
            raise IntakeError(
                f"{path}: refused: {info.filename} would expand {ratio:,.0f} times, a possible zip bomb"
            )
    extents: dict[str, _Extent] = {}
    try:
        for info in infos:
            extent = None
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                extent = extents.setdefault(info.filename, _Extent())
            _check_member(path, archive, info, extent)
    except zipfile.BadZipFile as exc:
        raise IntakeError(f"{path}: the workbook is truncated or damaged ({exc})") from None
    except RuntimeError:  # zipfile's way of saying a member is encrypted
        raise IntakeError(f"{path}: the workbook is password-protected; remove the password") from None
    except NotImplementedError as exc:
        raise IntakeError(f"{path}: the workbook uses an unsupported compression ({exc})") from None
    return extents


def _check_excel(path: Path, archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        raise IntakeError(f"{path}: a zip archive, but not an Excel workbook (no [Content_Types].xml)")
    try:
        types = defusedxml.ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except defusedxml.DefusedXmlException:
        raise IntakeError(f"{path}: refused: [Content_Types].xml declares XML entities") from None
    except defusedxml.ElementTree.ParseError as exc:
        raise IntakeError(f"{path}: the workbook is damaged ([Content_Types].xml: {exc})") from None
    content_types = " ".join(e.get("ContentType", "") for e in types)
    if "spreadsheetml" not in content_types and "ms-excel" not in content_types:
        raise IntakeError(f"{path}: a zip archive (Office document?), but not an Excel workbook")


_ODS_MIME: Final = b"application/vnd.oasis.opendocument.spreadsheet"


def _is_ods(archive: zipfile.ZipFile) -> bool:
    try:
        return archive.read("mimetype").strip() == _ODS_MIME
    except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
        return False


def check_zip(path: Path) -> dict[str, _Extent]:
    """IntakeError unless the zip archive at `path` is an Excel workbook (or an OpenDocument
    spreadsheet) within the size limits, every member decompressing to its declared size, without
    XML document type declarations. Returns what each worksheet part holds."""
    with _open_archive(path) as archive:
        extents = _check_archive(path, archive)
        if not _is_ods(archive):
            _check_excel(path, archive)
    return extents


def check_workbook_archive(path: Path) -> None:
    """IntakeError unless `path` is an .xlsx archive that is safe to hand to a parser: a zip
    (not encrypted, not an old .xls), within the size limits, without XML entity declarations.
    Other readers of workbooks (reviewer sheets) use it before openpyxl sees the file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise IntakeError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    kind = sniff(path, head)
    if kind == "ole":
        raise IntakeError(f"{path}: the workbook is password-protected (encrypted) or an old .xls file")
    if kind != "zip":
        raise IntakeError(f"{path}: not an .xlsx workbook (not a zip archive)")
    check_zip(path)


# The cells a sheet's extent may span: calamine allocates its whole rectangle, so one stray cell
# at XFD1048576 would ask for 512 GiB. A sparse sheet beyond this is read row by row instead.
MAX_CELLS: Final = 12_000_000
WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm", ".ods", ".xls")
_SPARSE: Final = 8  # an extent this many times the cells present is a sheet with strays far away


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook, its cells read only when asked (a workbook may hold sheets nobody
    needs). `load` gives the rows as lists of values, "" for an empty cell."""

    name: str
    visible: bool
    load: Callable[[], list[list[object]]]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _streamed_sheets(
    path: Path,
    error: type[MatchmakerError],
    what: str,
    *,
    formulas: bool = False,
    extents: Mapping[str, _Extent] | None = None,
) -> list[Sheet]:
    """The sheets of an .xlsx whose extent is far larger than its cells, read row by row: stray
    blank cells far from the data are dropped, and the work stays bounded. Rows after the last one
    holding a value (a million styled empty rows) are not read at all."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(path, read_only=True, data_only=not formulas)
        except Exception:  # a damaged archive fails in the reader in many ways
            raise error(f"{path}: the workbook is damaged and cannot be read") from None

    def loader(name: str) -> Callable[[], list[list[object]]]:
        def load() -> list[list[object]]:
            ws = book[name]
            ws.reset_dimensions()  # the declared dimension may lie; read what is there
            member = str(getattr(ws, "_worksheet_path", "")).lstrip("/")
            extent = (extents or {}).get(member)
            last = extent.data_rows if extent is not None else None
            rows: list[list[object]] = []
            pending = width = work = 0
            too_far = error(
                f"{path}: sheet {name!r} spreads cells far beyond its data; delete the rows "
                f"and columns after the data and save the {what} again"
            )
            try:
                for values in ws.iter_rows(max_row=last, values_only=True):
                    work += len(values) + 1
                    if work > MAX_CELLS:
                        raise too_far
                    row = list(values)
                    while row and _blank(row[-1]):
                        row.pop()
                    if not row:
                        pending += 1
                        continue
                    width = max(width, len(row))
                    if (len(rows) + pending + 1) * width > MAX_CELLS:
                        raise too_far
                    rows.extend([] for _ in range(pending))
                    pending = 0
                    rows.append(["" if v is None else v for v in row])
            except MatchmakerError:
                raise
            except Exception:
                raise error(f"{path}: sheet {name!r} is damaged and cannot be read") from None
            return [r + [""] * (width - len(r)) for r in rows]

        return load

    return [Sheet(ws.title, ws.sheet_state == "visible", loader(ws.title)) for ws in book.worksheets]


def read_workbook(
    path: Path,
    *,
    what: str = "workbook",
    limit: int = MAX_UNCOMPRESSED,
    error: type[MatchmakerError] = IntakeError,
    keep_empty_area: bool = False,
    formulas: bool = False,
) -> list[Sheet]:
    """The sheets of an .xlsx, .xlsm, .ods or .xls file, after every safety check: a regular file
    within `limit`, an archive within its limits, and no sheet whose extent would not fit in memory.

    Which format it is comes from the content, not the name. With `keep_empty_area`, rows and
    columns before the data are kept, so row numbers are the sheet's own. With `formulas`, an .xlsx
    cell holding a formula reads as its text ("=..."), not as the value last computed.
    """
    import python_calamine

    check_regular(path, what=what, limit=limit, error=error)
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise error(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    kind = sniff(path, head)
    if kind == "text":
        hint = "it looks like CSV text: name it .csv" if _looks_like_csv(head) else "not a zip archive"
        raise error(f"{path}: not an .xlsx workbook ({hint}); save it as .xlsx or .ods")
    extents: dict[str, _Extent] = {}
    if kind == "zip":
        try:
            extents = check_zip(path)
        except IntakeError as exc:
            raise error(str(exc)) from None
    sparse = [e for e in extents.values() if e.area > MAX_CELLS and e.area > _SPARSE * e.cells]
    if sparse or (formulas and extents):
        return _streamed_sheets(path, error, what, formulas=formulas, extents=extents)
    dense = [e for e in extents.values() if e.area > MAX_CELLS]
    if dense:
        raise error(
            f"{path}: a sheet holds {dense[0].cells:,} cells, more than a {what} may have; "
            "is it the right file?"
        )
    damaged = (python_calamine.CalamineError, zipfile.BadZipFile, ValueError, OSError)
    locked = "the workbook is password-protected; remove the password and save it again"
    try:
        with path.open("rb") as handle:  # read whole: the format comes from the content, not the name
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        metadata = [
            (m.name, m.visible == python_calamine.SheetVisibleEnum.Visible) for m in workbook.sheets_metadata
        ]
    except python_calamine.PasswordError:
        raise error(f"{path}: {locked}") from None
    except damaged:
        if kind == "ole":
            raise error(
                f"{path}: the workbook is password-protected (encrypted) or damaged; remove the password "
                "and save it again"
            ) from None
        raise error(f"{path}: the workbook is damaged and cannot be read") from None
    if not metadata:
        raise error(f"{path}: the workbook has no sheets")

    def loader(index: int) -> Callable[[], list[list[object]]]:
        def load() -> list[list[object]]:
            # the values as they are: no answer such as "NA" or "None" is quietly made a blank
            try:
                cells = workbook.get_sheet_by_index(index).to_python(skip_empty_area=not keep_empty_area)
            except python_calamine.PasswordError:
                raise error(f"{path}: {locked}") from None
            except damaged:
                raise error(f"{path}: the workbook is damaged and cannot be read") from None
            # fresh lists already: copied only if a version of the reader gives other sequences
            if type(cells) is list and all(type(r) is list for r in cells):
                return cells  # type: ignore[return-value]  # lists of cell values: what a Sheet holds
            return [list(r) for r in cells]

        return load

    return [Sheet(name, visible, loader(i)) for i, (name, visible) in enumerate(metadata)]


class Grid:
    """A sheet's values read the way openpyxl's `iter_rows(values_only=True)` gives them (None for
    an empty cell), so readers written for openpyxl read every format through the safe reader."""

    def __init__(self, sheet: Sheet) -> None:
        self.title = sheet.name
        self._sheet = sheet
        self._rows: list[tuple[object, ...]] | None = None

    def iter_rows(
        self,
        min_row: int = 1,
        max_row: int | None = None,
        max_col: int | None = None,
        values_only: bool = True,
    ) -> Iterator[tuple[object, ...]]:
        if self._rows is None:
            self._rows = [tuple(None if v == "" else v for v in row) for row in self._sheet.load()]
        for row in self._rows[min_row - 1 : max_row]:
            yield row[:max_col] if max_col is not None else row


class Book:
    """The sheets of a workbook by name, as `Grid`s."""

    def __init__(self, sheets: Iterable[Sheet]) -> None:
        self._grids = {sheet.name: Grid(sheet) for sheet in sheets}
        self.sheetnames = list(self._grids)

    def __getitem__(self, name: str) -> Grid:
        return self._grids[name]

    def close(self) -> None:
        self._grids.clear()


def read_book(path: Path, *, what: str, error: type[MatchmakerError] = IntakeError) -> Book:
    """A workbook in any readable format after every safety check, row numbers its own, formulas
    as their text."""
    return Book(read_workbook(path, what=what, error=error, keep_empty_area=True, formulas=True))


def _looks_like_csv(head: bytes) -> bool:
    try:
        first_line = head.decode("utf-8-sig").split("\n", 1)[0]
    except UnicodeDecodeError:
        return False
    return first_line.isprintable() and ("," in first_line or ";" in first_line)


def _doc_properties(path: Path, part: str) -> list[Any]:
    """The elements of one document-properties part of an .xlsx (empty when it has none)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(part)
            if info.file_size > 1 << 20:
                return []
            root = defusedxml.ElementTree.fromstring(archive.read(info))
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError):
        return []
    except (defusedxml.DefusedXmlException, defusedxml.ElementTree.ParseError):
        return []
    return list(root)


def workbook_keywords(path: Path) -> str:
    """The keywords of an .xlsx's or .ods's document properties ("" if none), separated by spaces:
    the engine marks its own workbooks there, and Excel and LibreOffice keep them when they save
    the file again (an .ods holds each word apart)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            member = (
                "meta.xml"
                if "meta.xml" in names and "docProps/core.xml" not in names
                else "docProps/core.xml"
            )
            info = archive.getinfo(member)
            if info.file_size > 1 << 20:
                return ""
            root = defusedxml.ElementTree.fromstring(archive.read(info))
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError):
        return ""
    except (defusedxml.DefusedXmlException, defusedxml.ElementTree.ParseError):
        return ""
    words = [
        (element.text or "").strip()
        for element in root.iter()
        if element.tag.endswith("}keywords") or element.tag.endswith("}keyword")
    ]
    return " ".join(w for w in words if w)


def workbook_custom_properties(path: Path) -> dict[str, str]:
    """The custom document properties of an .xlsx as name -> text ({} if none): the engine records
    figures of its run there, and Excel and LibreOffice keep them when they save the file again."""
    found: dict[str, str] = {}
    for element in _doc_properties(path, "docProps/custom.xml"):
        name = element.get("name")
        if element.tag.endswith("}property") and name and len(element):
            found[name] = (element[0].text or "").strip()
    return found


# --- never over typed work ---------------------------------------------------------------------------

_OWN_JSON = re.compile(rb'"schema":\s*"matchmaker\.[a-z-]+/[0-9]+"|"verified":\s*(?:true|false)')


def own_json(path: Path) -> str | None:
    """Why the JSON file at `path` must not be replaced, or None when the engine wrote it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if head.lstrip().startswith(b"{") and _OWN_JSON.search(head):
        return None
    return "is not a file matchmaker wrote"


def guard_existing(out: Path, *, force: bool, judge: Callable[[Path], str | None]) -> None:
    """OutputError unless `out` may be written: it does not exist, `force` is given, or `judge`
    finds it the engine's own output without typed work (judge returns why not, or None)."""
    if force or not os.path.lexists(out):
        return
    if not os.path.isfile(out):
        reason: str | None = "is not a regular file"
    else:
        reason = judge(out)
    if reason:
        raise OutputError(
            f"{out}: already exists and {reason}; give --force to replace it, or choose another name"
        )


class _Prolog(Exception):
    pass


def _check_member(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, extent: _Extent | None = None
) -> None:
    """Decompress one member in chunks, so no engine ever meets a lie in the declared sizes:
    zipfile stops at the declared size and checks the CRC at the end.

    An XML member must not have a document type declaration, where entity-expansion attacks
    live; only its prolog, up to the first element, goes through the parser.
    """
    in_prolog = info.filename.endswith((".xml", ".rels", ".vml"))
    parser = xml.parsers.expat.ParserCreate()
    found: list[str] = []

    def doctype(*_: object) -> None:
        found.append("doctype")
        raise _Prolog

    def element(*_: object) -> None:
        raise _Prolog

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = element
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            if extent is not None:
                # a tag cut by the chunk's end is scanned with the next chunk
                text = tail + chunk
                cut = text.rfind(b"<")
                _scan(extent, text[:cut] if cut >= 0 else text)
                tail = text[cut:] if cut >= 0 else b""
            if not in_prolog:
                continue
            try:
                parser.Parse(chunk, False)
            except _Prolog:
                in_prolog = False
            except xml.parsers.expat.ExpatError as exc:
                raise IntakeError(f"{path}: the workbook is damaged ({info.filename}: {exc})") from None
            if found:
                raise IntakeError(
                    f"{path}: refused: {info.filename} contains an XML document type declaration "
                    "(a possible entity-expansion attack)"
                )
    if extent is not None and tail:
        _scan(extent, tail)


# --- checksums -------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks: the manifest records it and `verify` compares it."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- atomic output -------------------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output(out: Path, inputs: Iterable[Path | str] = ()) -> Path:
    """Refuse an output path that is a folder, one of the inputs, or in a missing folder."""
    out = Path(out)
    if out.is_dir():
        raise OutputError(f"{out}: is a directory, not an output file")
    for given in inputs:
        if _same_file(out, Path(given)):
            raise OutputError(f"{out}: is also an input file; choose another output path")
    if not out.parent.is_dir():
        raise OutputError(f"{out}: cannot write: folder {out.parent} does not exist")
    return out


def _default_mode() -> int:
    # mkstemp creates 0600 files; the result should get the permissions any new file gets.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


Judge = Callable[[Path], "str | None"]


@contextmanager
def atomic_path(
    out: Path | str, *, inputs: Iterable[Path | str] = (), force: bool = False, judge: Judge | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside `out`; on success it replaces `out`, on any error it is removed.

    The temporary file keeps the extension of `out`, so writers that choose a format by suffix work.
    A path that cannot be written, or that is one of `inputs`, raises OutputError naming it; so does
    an OSError of the writer. With a `judge`, an existing `out` is replaced only as `guard_existing`
    allows: the engine's own untouched output of that kind, or with `force`.
    """
    out = check_output(Path(out), inputs)
    if judge is not None:
        guard_existing(out, force=force, judge=judge)
    parent = out.parent
    if not parent.is_dir():
        raise OutputError(f"{out}: cannot write: folder {parent} does not exist")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=f".tmp{out.suffix}", dir=parent)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            yield tmp
            if out.exists():
                os.chmod(tmp, out.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp, _default_mode())
            os.replace(tmp, out)
        except OSError as exc:
            raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    finally:
        # After a successful replace the temporary name is gone; otherwise nothing partial stays.
        tmp.unlink(missing_ok=True)


def save_workbook(
    workbook: Workbook,
    out: Path | str,
    *,
    inputs: Iterable[Path | str] = (),
    force: bool = False,
    judge: Judge | None = None,
) -> Path:
    """Save an openpyxl workbook to `out` atomically (never over one of `inputs`, nor, with a
    `judge`, over a file it finds typed in or foreign unless `force`); return the path."""
    out = Path(out)
    with atomic_path(out, inputs=inputs, force=force, judge=judge) as tmp:
        workbook.save(tmp)
    return out


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a big input is read or its JSON written: the
    millions of cells, lists and texts made hold no cycles (reference counting frees them), yet
    every full collection walks all of them, which took a third of the time of 100,000 submissions."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_json(
    doc: Mapping[str, Any], out: Path | str, *, inputs: Iterable[Path | str] = (), force: bool = False
) -> Path:
    """Write `doc` as UTF-8 JSON (indented, non-ASCII kept) to `out`, atomically; return the path.
    An existing `out` is replaced only when the engine wrote it (`own_json`), or with `force`.
    The text is written in pieces as it is made (`jsonout`): a large document is never one string."""
    from .jsonout import encoded

    out = Path(out)
    with (
        atomic_path(out, inputs=inputs, force=force, judge=own_json) as tmp,
        tmp.open("wb") as handle,
        collector_paused(),
    ):
        for piece in encoded(doc):
            handle.write(piece)
        handle.write(b"\n")
    return out
