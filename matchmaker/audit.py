"""The audit: re-run a recorded pairing result from the inputs and options its manifest records, check
every input file against its SHA-256, and report whether the same pairs come out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .cells import as_number
from .errors import MatchmakerError, VerifyError
from .files import check_regular, file_sha256, read_input, sniff
from .pipeline import run
from .schema import CANDIDATE_ID, MUNICIPALITY, NAME_AS_WRITTEN, PARTNER, RESULT_SCHEMA

__all__ = ["VerifyReport", "verify"]


@dataclass(frozen=True)
class VerifyReport:
    """What re-running a recorded result showed: input files that changed, pairs that differ."""

    path: Path
    files: list[dict[str, Any]]  # role, path, status (unchanged | changed | missing | new), sha256s
    same_pairs: bool | None  # None when the run could not be repeated
    missing_pairs: list[dict[str, Any]] = field(default_factory=list)  # recorded, not found again
    new_pairs: list[dict[str, Any]] = field(default_factory=list)  # found again, not recorded
    objective: tuple[float | None, float | None] = (None, None)  # recorded, now
    status: tuple[str | None, str | None] = (None, None)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The same inputs, unchanged, give the same pairs."""
        unchanged = all(f["status"] == "unchanged" for f in self.files)
        return bool(self.same_pairs) and unchanged and not self.problems

    def lines(self) -> list[str]:
        """The report as lines of plain text, the verdict first."""
        if self.ok:
            head = f"{self.path}: verified: the recorded inputs are unchanged and give the same pairs"
        elif self.same_pairs:
            head = f"{self.path}: the same pairs come out, but the inputs differ from the recorded ones"
        elif self.same_pairs is None:
            head = f"{self.path}: NOT verified: the run could not be repeated"
        else:
            head = f"{self.path}: DIFFERENT: the recorded inputs now give other pairs"
        out = [head]
        for f in self.files:
            if f["status"] != "unchanged":
                what = {
                    "changed": "changed since the run (SHA-256 differs)",
                    "missing": "missing",
                    "new": "new since the run",
                }[f["status"]]
                out.append(f"  {f['role']} {f['path']}: {what}")
        for pair in self.missing_pairs:
            out.append(f"  - {pair['name']} – {pair['partner']}: recorded, not chosen now")
        for pair in self.new_pairs:
            out.append(f"  + {pair['name']} – {pair['partner']}: chosen now, not recorded")
        before, now = self.objective
        if before is not None and now is not None and not math.isclose(before, now, abs_tol=1e-6):
            out.append(f"  total value: recorded {before:.2f}, now {now:.2f}")
        if self.status[0] != self.status[1] and self.status[1] is not None:
            out.append(f"  solution status: recorded {self.status[0]}, now {self.status[1]}")
        out += [f"  {problem}" for problem in self.problems]
        if self.same_pairs is not None:
            out.append(f"  {len(self.files)} input file(s) checked")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "result": str(self.path),
            "verified": self.ok,
            "same_pairs": self.same_pairs,
            "files": self.files,
            "missing_pairs": self.missing_pairs,
            "new_pairs": self.new_pairs,
            "objective": {"recorded": self.objective[0], "now": self.objective[1]},
            "status": {"recorded": self.status[0], "now": self.status[1]},
            "problems": self.problems,
        }


def _load_result(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise VerifyError(f"{path}: file not found")
    if path.is_dir():
        raise VerifyError(f"{path}: is a folder; expected a result .json written by matchmaker pair --json")
    data = read_input(path, what="result .json", limit=MAX_RESULT_BYTES, error=VerifyError)
    if sniff(path, data[:8]) != "text":
        raise VerifyError(
            f"{path}: a workbook, not a result; verify wants the result .json written by "
            "`matchmaker pair --json`"
        )
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerifyError(f"{path}: not a JSON file ({exc})") from None
    except RecursionError:
        raise VerifyError(f"{path}: not a result: JSON nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("schema") != RESULT_SCHEMA:
        raise VerifyError(f"{path}: not a matchmaker result (expected schema {RESULT_SCHEMA!r})")
    manifest = doc.get("manifest")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("inputs"), list):
        raise VerifyError(f"{path}: the result has no manifest of its inputs; it cannot be re-run")
    return doc


# A result of 100,000 submissions is some 200 MB of JSON.
MAX_RESULT_BYTES: Final = 1024 * 1024 * 1024


def _hash(path: Path) -> str | None:
    """The SHA-256 of a recorded input, or None when it is no regular file (a pipe or /dev/zero
    would be read forever)."""
    try:
        check_regular(path, error=VerifyError)
    except VerifyError:
        return None
    return file_sha256(path)


def _locate(recorded: str, bases: list[Path]) -> Path | None:
    """A recorded path as it can be found now: as written, or from the folders the run may have used."""
    given = Path(recorded)
    if given.is_absolute():
        return given if given.exists() else None
    for base in bases:
        if (base / given).exists():
            return base / given
    return None


def verify(result_path: Path | str, *, progress: Callable[[str], None] | None = None) -> VerifyReport:
    """Re-run the pairing from the inputs and options a result JSON records; compare the pairs.

    Relative input paths are looked up from the current folder, then from the result's folder.
    Raises VerifyError when the file is not a result; everything else goes into the report.
    """
    path = Path(result_path)
    doc = _load_result(path)
    manifest: dict[str, Any] = doc["manifest"]
    bases = [Path(str(manifest["cwd"]))] if manifest.get("cwd") else []
    bases += [Path.cwd(), path.resolve().parent]
    files: list[dict[str, Any]] = []
    located: dict[str, list[Path]] = {}
    for entry in manifest["inputs"]:
        if not isinstance(entry, Mapping):
            continue
        recorded, role = str(entry.get("path")), str(entry.get("role") or "input")
        found = _locate(recorded, bases)
        status = "missing"
        current = None
        if found is not None:
            current = _hash(found)
            status = (
                "not a file"
                if current is None
                else "unchanged"
                if current == entry.get("sha256")
                else "changed"
            )
            located.setdefault(role, []).append(found)
        files.append(
            {
                "role": role,
                "path": recorded,
                "status": status,
                "recorded": entry.get("sha256"),
                "now": current,
            }
        )
    criteria_path = manifest.get("criteria")
    criteria_file = None
    if criteria_path:
        criteria_file = _locate(str(criteria_path), bases)
        current = _hash(criteria_file) if criteria_file else None
        status = (
            "missing"
            if criteria_file is None
            else "unchanged"
            if current == manifest.get("criteria_sha256")
            else "changed"
        )
        files.append(
            {
                "role": "criteria",
                "path": str(criteria_path),
                "status": status,
                "recorded": manifest.get("criteria_sha256"),
                "now": current,
            }
        )
    recorded_pairs = [p for p in doc.get("pairs") or () if isinstance(p, Mapping)]
    names = {
        str(c.get(CANDIDATE_ID)): c.get(MUNICIPALITY) or c.get(NAME_AS_WRITTEN)
        for c in doc.get("candidates") or ()
    }

    def described(pair: Mapping[str, Any]) -> dict[str, Any]:
        cid = str(pair.get(CANDIDATE_ID))
        return {CANDIDATE_ID: cid, "name": names.get(cid) or cid, PARTNER: pair.get(PARTNER)}

    recorded_objective = as_number(doc.get("objective"))
    recorded_status = doc.get("status")
    needed = [f for f in files if f["role"] in {"forms", "partners", "criteria", "mapping"}]
    lost = [f for f in needed if f["status"] in {"missing", "not a file"}]
    if lost or not located.get("forms") or not located.get("partners"):
        problems = [
            f"cannot re-run: {f['role']} file {f['path']} is "
            + ("missing" if f["status"] == "missing" else "not a regular file")
            for f in lost
        ]
        if not lost:
            problems.append(
                "cannot re-run: the manifest does not record the form export and the partners file"
            )
        return VerifyReport(
            path,
            files,
            None,
            objective=(recorded_objective, None),
            status=(recorded_status, None),
            problems=problems,
        )

    options: Mapping[str, Any] = manifest.get("options") or {}
    reviews = [_locate(str(p), bases) or Path(str(p)) for p in options.get("reviews") or ()]
    try:
        again = run(
            located["forms"][0],
            located["partners"][0],
            criteria=criteria_file,
            mapping=located["mapping"][0] if located.get("mapping") else None,
            reviews=reviews,
            locks=list(options.get("locks") or ()),
            forbids=list(options.get("forbids") or ()),
            keep=list(options.get("keep") or ()),
            alternatives=0,  # alternatives do not change the pairs
            solver=str(manifest.get("solver") or "cbc"),
            time_limit=options.get("time_limit"),
            strict=bool(options.get("strict")),
            aggregate=str(options.get("aggregate") or "mean"),
            partner_ratings=[
                _locate(str(p), bases) or Path(str(p)) for p in options.get("partner_ratings") or ()
            ],
            stability=str(options.get("stability") or "off"),
            progress=progress,
        )
    except MatchmakerError as exc:
        return VerifyReport(
            path,
            files,
            None,
            objective=(recorded_objective, None),
            status=(recorded_status, None),
            problems=[f"the run fails now: {exc}"],
        )

    # Review sheets added to a recorded folder since the run are inputs too.
    known = {p.resolve() for paths in located.values() for p in paths}
    for entry in again.manifest.get("inputs") or ():
        found = Path(str(entry.get("path")))
        if entry.get("role") == "reviews" and found.resolve() not in known:
            files.append(
                {
                    "role": "reviews",
                    "path": str(found),
                    "status": "new",
                    "recorded": None,
                    "now": entry.get("sha256"),
                }
            )
    before = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))): p for p in recorded_pairs}
    now = {(str(p.get(CANDIDATE_ID)), str(p.get(PARTNER))): p for p in again.pairs}
    for p in again.candidates:
        names.setdefault(str(p.get(CANDIDATE_ID)), p.get(MUNICIPALITY) or p.get(NAME_AS_WRITTEN))
    return VerifyReport(
        path,
        files,
        set(before) == set(now),
        missing_pairs=[described(p) for k, p in before.items() if k not in now],
        new_pairs=[described(p) for k, p in now.items() if k not in before],
        objective=(recorded_objective, again.objective),
        status=(recorded_status, again.status),
    )
