"""Files in and out: safe reading of workbook archives (size and entity checks, sniffing), atomic
writing of every output, and the checksums the manifest records.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import xml.parsers.expat
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import defusedxml.ElementTree

from .errors import IntakeError, OutputError
from .schema import to_jsonable

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "MAX_RATIO",
    "MAX_UNCOMPRESSED",
    "RATIO_CHECK_FROM",
    "atomic_path",
    "check_output",
    "check_workbook_archive",
    "check_zip",
    "file_sha256",
    "save_workbook",
    "sniff",
    "write_json",
]

# An .xlsx is a zip archive; neither engine limits how far it may expand, so the declared sizes
# in the central directory are checked before anything is parsed.
MAX_UNCOMPRESSED: Final = 512 * 1024 * 1024
MAX_RATIO: Final = 200
RATIO_CHECK_FROM: Final = 32 * 1024 * 1024
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC: Final = b"PK"


# --- reading workbooks safely ----------------------------------------------------------------------


def sniff(path: Path, head: bytes) -> str:
    """What the file is by its content: 'zip', 'ole' or 'text'."""
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    return "text"


def check_zip(path: Path) -> None:
    """IntakeError unless the zip archive at `path` is an Excel workbook within the size limits,
    every member decompressing to its declared size, without XML document type declarations."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise IntakeError(
            f"{path}: the workbook is truncated or damaged (not a readable zip archive)"
        ) from None
    with archive:
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
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names:
            raise IntakeError(f"{path}: a zip archive, but not an Excel workbook (no [Content_Types].xml)")
        try:
            for info in infos:
                _check_member(path, archive, info)
            types = defusedxml.ElementTree.fromstring(archive.read("[Content_Types].xml"))
        except zipfile.BadZipFile as exc:
            raise IntakeError(f"{path}: the workbook is truncated or damaged ({exc})") from None
        except RuntimeError:  # zipfile's way of saying a member is encrypted
            raise IntakeError(f"{path}: the workbook is password-protected; remove the password") from None
        except NotImplementedError as exc:
            raise IntakeError(f"{path}: the workbook uses an unsupported compression ({exc})") from None
        except defusedxml.DefusedXmlException:
            raise IntakeError(f"{path}: refused: [Content_Types].xml declares XML entities") from None
        except defusedxml.ElementTree.ParseError as exc:
            raise IntakeError(f"{path}: the workbook is damaged ([Content_Types].xml: {exc})") from None
        content_types = " ".join(e.get("ContentType", "") for e in types)
        if "spreadsheetml" not in content_types and "ms-excel" not in content_types:
            raise IntakeError(f"{path}: a zip archive (Office document?), but not an Excel workbook")


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


class _Prolog(Exception):
    pass


def _check_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
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
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
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


@contextmanager
def atomic_path(out: Path | str, *, inputs: Iterable[Path | str] = ()) -> Iterator[Path]:
    """Yield a temporary path beside `out`; on success it replaces `out`, on any error it is removed.

    The temporary file keeps the extension of `out`, so writers that choose a format by suffix work.
    A path that cannot be written, or that is one of `inputs`, raises OutputError naming it; so does
    an OSError of the writer.
    """
    out = check_output(Path(out), inputs)
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


def save_workbook(workbook: Workbook, out: Path | str, *, inputs: Iterable[Path | str] = ()) -> Path:
    """Save an openpyxl workbook to `out` atomically (never over one of `inputs`); return the path."""
    out = Path(out)
    with atomic_path(out, inputs=inputs) as tmp:
        workbook.save(tmp)
    return out


def write_json(doc: Mapping[str, Any], out: Path | str, *, inputs: Iterable[Path | str] = ()) -> Path:
    """Write `doc` as UTF-8 JSON (indented, non-ASCII kept) to `out`, atomically; return the path."""
    text = json.dumps(to_jsonable(doc), ensure_ascii=False, indent=2, allow_nan=False)
    out = Path(out)
    with atomic_path(out, inputs=inputs) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return out
