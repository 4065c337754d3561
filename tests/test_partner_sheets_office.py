"""The sample's filled partner sheets saved again by LibreOffice (as .xlsx, and through .ods back to
.xlsx) read back through `pair --partner-ratings` with the very same ratings (needs soffice)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc",
)
SHEETS = ("Karongi.xlsx", "Commune-fictive-A-placeholder.xlsx")


def convert(source: Path, to: str, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(out.parent / 'profile').as_uri()}",  # not shared with another run
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = out / f"{source.stem}.{to}"
    assert converted.exists(), f"LibreOffice wrote no {converted.name}"
    return converted


def ratings(tmp_path: Path, sheets: Path, name: str) -> list[dict[str, object]]:
    result = tmp_path / f"{name}.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "matchmaker",
            "pair",
            str(SAMPLE_DIR / "candidacies.xlsx"),
            "--partners",
            str(SAMPLE_DIR / "partners.csv"),
            "--partner-ratings",
            str(sheets),
            "--stability",
            "report",
            "--json",
            str(result),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    got = json.loads(result.read_text(encoding="utf-8"))["stability"]["ratings"]
    assert isinstance(got, list)
    return sorted(got, key=lambda r: (str(r["partner"]), str(r["candidate_id"])))


@needs_office
def test_partner_sheets_saved_by_libreoffice_read_back_the_same(tmp_path: Path) -> None:
    original, resaved, via_ods = tmp_path / "original", tmp_path / "resaved", tmp_path / "via-ods"
    original.mkdir()
    for name in SHEETS:
        shutil.copy(SAMPLE_DIR / "partner-sheets" / name, original / name)
        convert(original / name, "xlsx", resaved)
        ods = convert(original / name, "ods", tmp_path / "ods")
        convert(ods, "xlsx", via_ods)
    expected = ratings(tmp_path, original, "original")
    assert expected and any(r["rating"] is None for r in expected)  # "not acceptable" among them
    assert ratings(tmp_path, resaved, "resaved") == expected
    assert ratings(tmp_path, via_ods, "via-ods") == expected
