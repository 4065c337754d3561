"""A wheel carries the default criteria and form mapping, so an installed engine finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_criteria_files(tmp_path: Path) -> None:
    # Built from a copy: the build leaves its working files beside the sources.
    source = tmp_path / "src"
    skip = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__", "out", ".*_cache")
    shutil.copytree(ROOT, source, ignore=skip)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("matchmaker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for toml in sorted((ROOT / "criteria").glob("*.toml")):
        assert f"matchmaker/_criteria/{toml.name}" in names
    assert "matchmaker/py.typed" in names
