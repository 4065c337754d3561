"""What leaves the engine for people: the shortlist workbook (its layout, builder and sheets) and
the tables printed on a terminal.
"""

from __future__ import annotations

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
