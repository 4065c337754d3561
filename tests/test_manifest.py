"""The manifest a result records: every input with its role and SHA-256, the versions and options."""

from __future__ import annotations

import hashlib
from pathlib import Path

from matchmaker import __version__
from matchmaker.criteria import load_criteria
from matchmaker.manifest import build_manifest, input_entry, versions


def test_an_input_entry_records_the_files_sha256(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_bytes(b"partner,country\n")
    digest = hashlib.sha256(b"partner,country\n").hexdigest()
    assert input_entry("partners", path) == {"role": "partners", "path": str(path), "sha256": digest}
    assert input_entry("forms", path, "given")["sha256"] == "given"


def test_versions_name_matchmaker_and_python() -> None:
    found = versions()
    assert found["matchmaker"] == __version__
    assert found["python"].count(".") == 2


def test_the_manifest_keeps_the_pairings_own_entries_and_adds_the_run() -> None:
    criteria = load_criteria(None)
    manifest = build_manifest(
        {"created": "2024-01-01T00:00:00"},
        inputs=[{"role": "forms", "path": "f.xlsx", "sha256": "x"}],
        criteria=criteria,
        solver="cbc",
        status="optimal",
        options={"strict": False},
    )
    assert list(manifest) == [
        "created",
        "inputs",
        "criteria",
        "criteria_sha256",
        "versions",
        "solver",
        "solver_status",
        "options",
        "platform",
        "cwd",
    ]
    assert manifest["criteria"] == str(criteria.path)
    assert manifest["criteria_sha256"]
    assert manifest["options"] == {"strict": False}
