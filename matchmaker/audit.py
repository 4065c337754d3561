"""The audit: re-run a recorded pairing result from the inputs and options its manifest records, check
every input file against its SHA-256, and report whether the same pairs come out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, Final

from .cells import as_number
from .errors import MatchmakerError, VerifyError
from .files import check_regular, file_sha256, read_input, sniff
from .pairing.budget import DEFAULT_BUDGET
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
    # every other difference of the whole result document, in words (the manifest's time and paths aside)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The same inputs, unchanged, give the same result document."""
        unchanged = all(f["status"] == "unchanged" for f in self.files)
        before, now = self.objective
        same_value = before is None or now is None or math.isclose(before, now, abs_tol=1e-6)
        same = self.status[1] is None or self.status[0] == self.status[1]
        clean = not self.problems and not self.differences and same_value and same
        return bool(self.same_pairs) and unchanged and clean

    def lines(self) -> list[str]:
        """The report as lines of plain text, the verdict first."""
        if self.ok:
            head = f"{self.path}: verified: the recorded inputs are unchanged and give the same pairs"
        elif self.same_pairs and all(f["status"] == "unchanged" for f in self.files):
            head = f"{self.path}: DIFFERENT: the same pairs come out, but the result differs from the record"
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
                    "not a file": "not a regular file (a device, a pipe or a link to one): not read",
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
        shown = self.differences[:MAX_DIFFERENCES]
        out += [f"  {line}" for line in shown]
        if len(self.differences) > len(shown):
            out.append(f"  and {len(self.differences) - len(shown)} more difference(s)")
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
            "differences": self.differences,
        }


MAX_DIFFERENCES = 20
# the manifest's fields that say when and where a run was made, not what it decided
_MANIFEST_AS_RUN = frozenset({"created", "inputs", "criteria", "cwd"})
_OPTION_PATHS = frozenset({"reviews", "decisions", "conflicts"})


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


def _label(key: str, item: Any) -> str:
    """A list item as a person finds it: by its candidate, partner or country where it has one."""
    if isinstance(item, Mapping):
        for field_ in (CANDIDATE_ID, PARTNER, "country", "rank"):
            if item.get(field_) is not None:
                return f"{key}[{field_}={item.get(field_)}]"
    return key


def differences(recorded: Any, now: Any, where: str = "") -> list[str]:
    """Every difference between two result documents, each as a line of words."""
    if isinstance(recorded, Mapping) and isinstance(now, Mapping):
        out: list[str] = []
        for key in list(dict.fromkeys([*recorded, *now])):
            if (where == "manifest" and key in _MANIFEST_AS_RUN) or (
                where == "manifest.options" and key in _OPTION_PATHS
            ):
                continue
            path = f"{where}.{key}" if where else str(key)
            if key not in now:
                out.append(f"{path}: recorded {_shown(recorded[key])}, not there now")
            elif key not in recorded:
                out.append(f"{path}: not recorded, now {_shown(now[key])}")
            else:
                out += differences(recorded[key], now[key], path)
        return out
    if isinstance(recorded, list) and isinstance(now, list):
        out = []
        if len(recorded) != len(now):
            out.append(f"{where}: recorded {len(recorded)} item(s), now {len(now)}")
        for k, (a, b) in enumerate(zip(recorded, now, strict=False)):
            out += differences(a, b, f"{_label(where, a)}" if _label(where, a) != where else f"{where}[{k}]")
        return out
    numbers = (int, float)
    if isinstance(recorded, numbers) and isinstance(now, numbers) and not isinstance(recorded, bool):
        if isinstance(now, bool) or not math.isclose(float(recorded), float(now), rel_tol=1e-9, abs_tol=1e-9):
            return [f"{where}: recorded {_shown(recorded)}, now {_shown(now)}"]
        return []
    if recorded == now or (isinstance(recorded, str) and isinstance(now, str) and _same_file(recorded, now)):
        return []
    return [f"{where}: recorded {_shown(recorded)}, now {_shown(now)}"]


def _same_file(recorded: str, now: str) -> bool:
    """Two paths of one input file as two runs wrote them (relative or from another folder): a path,
    not a fact of the result, so not a difference."""
    if not any(sep in recorded + now for sep in ("/", "\\")):
        return False
    return PureWindowsPath(recorded).name == PureWindowsPath(now).name != ""


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


def _option(options: Mapping[str, Any], group: str, key: str) -> float:
    """A number recorded in a group of the manifest's options (0 when not recorded)."""
    found = options.get(group)
    value = as_number(found.get(key)) if isinstance(found, Mapping) else None
    return value if value is not None else 0


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
            exclude=list(options.get("exclude") or ()),
            stay=[str(c) for c in options.get("stay") or ()],
            alternatives=int(options.get("alternatives") or 0),
            distinct=str(options.get("distinct") or "selection"),
            solver=str(manifest.get("solver") or "cbc"),
            time_limit=options.get("time_limit"),
            # a result from before the budget: the default
            time_budget=options.get("time_budget", DEFAULT_BUDGET),
            strict=bool(options.get("strict")),
            aggregate=str(options.get("aggregate") or "mean"),
            partner_ratings=[
                _locate(str(p), bases) or Path(str(p)) for p in options.get("partner_ratings") or ()
            ],
            stability=str(options.get("stability") or "off"),
            conflicts=(_locate(str(options["conflicts"]), bases) or Path(str(options["conflicts"])))
            if options.get("conflicts")
            else None,
            robustness=isinstance(options.get("robustness"), Mapping),
            robustness_samples=int(_option(options, "robustness", "samples")),
            seed=int(_option(options, "robustness", "seed")),
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
    decided = options.get("decisions")
    if decided:  # the changes from the shortlist the committee decided on, as the run made them
        from .criteria import load_criteria
        from .decisions import read_decisions

        book = _locate(str(decided), bases)
        if book is not None:
            read = read_decisions(book, criteria=load_criteria(criteria_file))
            again = read.apply(again)
    found = json.loads(json.dumps(again.to_json(), default=str))
    diffs = [line for line in differences(doc, found) if not line.startswith("pairs")]
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
        # the total value and the status have lines of their own
        differences=[d for d in diffs if not d.startswith(("objective:", "status:"))],
    )
