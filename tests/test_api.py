"""The library API: every public name resolves, and the package import stays light."""

from __future__ import annotations

import subprocess
import sys

import matchmaker


def test_every_public_name_resolves() -> None:
    for name in matchmaker.__all__:
        assert getattr(matchmaker, name) is not None, name
    assert set(matchmaker.__all__) == {"__version__", *matchmaker._API}


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        matchmaker.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_the_package_does_not_import_the_heavy_stages() -> None:
    heavy = "('pandas', 'pulp', 'openpyxl')"
    code = f"import sys, matchmaker; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
