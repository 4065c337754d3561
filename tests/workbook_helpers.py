"""Helpers for tests that read a workbook back: a sheet's header, a column's values, every cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet


def header(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[1]]


def column(ws: Worksheet, name: str) -> list[Any]:
    j = header(ws).index(name) + 1
    return [ws.cell(row=i, column=j).value for i in range(2, ws.max_row + 1)]


def all_cells(wb: openpyxl.Workbook) -> list[Any]:
    return [cell for ws in wb for row in ws.iter_rows() for cell in row if cell.value is not None]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)
