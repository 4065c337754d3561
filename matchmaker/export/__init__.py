"""What leaves the engine for people: the shortlist workbook (its layout, builder and sheets) and
the tables printed on a terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .layout import (
    SHEET_ALTERNATIVES,
    SHEET_INTAKE,
    SHEET_MOTIVATION,
    SHEET_OVERVIEW,
    SHEET_PAIRS,
    SHEET_PARAMETERS,
    SHEET_PARTNERS,
    SHEET_RESERVES,
    SHEET_ROBUSTNESS,
    SHEET_SHORTLIST,
)

if TYPE_CHECKING:
    from .sheets import build_workbook, write_shortlist

__all__ = [
    "SHEET_ALTERNATIVES",
    "SHEET_INTAKE",
    "SHEET_MOTIVATION",
    "SHEET_OVERVIEW",
    "SHEET_PAIRS",
    "SHEET_PARAMETERS",
    "SHEET_PARTNERS",
    "SHEET_RESERVES",
    "SHEET_ROBUSTNESS",
    "SHEET_SHORTLIST",
    "build_workbook",
    "write_shortlist",
]


def __getattr__(name: str) -> Any:
    # the workbook's builder (openpyxl, the pairing) is loaded when it is first asked for: the
    # terminal's tables, which `intake` prints, need neither
    if name in ("build_workbook", "write_shortlist"):
        from . import sheets

        return getattr(sheets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
