"""The printed workbook: LibreOffice converts shortlists to PDF and every word on every page is
measured, so no sheet prints smaller than 9 pt text (needs soffice and pdftotext, else skipped).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker.sample import make_export, write_export

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
# pdftotext's word box is the font's ascent plus descent: 1.2 times the point size for Carlito
# (and 1.16 for DejaVu), so 9 pt text measures at least 10.4 pt.
MIN_WORD_HEIGHT = 10.4
_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>')

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed: "
    "apt-get install libreoffice-calc poppler-utils fonts-crosextra-carlito",
)


def render(workbook: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(workbook.parent), str(workbook)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return workbook.with_suffix(".pdf")


def word_heights(pdf: Path) -> list[list[tuple[float, str]]]:
    """Every page's words with their heights in points."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True)
    return [
        [(float(y1) - float(y0), html.unescape(word)) for y0, y1, word in _WORD.findall(page)]
        for page in text.stdout.split("<page ")[1:]
    ]


def pair(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / f"{name}.xlsx"
    subprocess.run(
        [sys.executable, "-m", "matchmaker", "pair", *args, "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    return out


def assert_readable(pdf: Path) -> None:
    pages = word_heights(pdf)
    assert pages
    for number, words in enumerate(pages, start=1):
        assert words, f"page {number} of {pdf.name} is empty"
        height, word = min(words)
        assert height >= MIN_WORD_HEIGHT, f"page {number} of {pdf.name}: {word!r} is {height:.1f} pt high"


@needs_office
def test_the_demo_and_the_readme_shortlists_print_at_9_pt_or_more(tmp_path: Path) -> None:
    form, partners, reviews = (str(SAMPLE / n) for n in ("candidacies.xlsx", "partners.csv", "reviews"))
    demo = pair(tmp_path, "demo", form, "--partners", partners, "--reviews", reviews)
    tour = pair(
        tmp_path,
        "tour",
        form,
        "--partners",
        partners,
        "--reviews",
        reviews,
        "--alternatives",
        "2",
        "--lang",
        "fr",
    )
    sheets = str(SAMPLE / "partner-sheets")
    stable = pair(
        tmp_path, "stable", form, "--partners", partners, "--partner-ratings", sheets, "--stability", "report"
    )
    for workbook in (demo, tour, stable):
        assert_readable(render(workbook))


@needs_office
def test_a_300_candidate_shortlist_prints_at_9_pt_or_more(tmp_path: Path) -> None:
    export = tmp_path / "big-export.xlsx"
    write_export(make_export(300, seed=3), export)
    big = pair(tmp_path, "big", str(export), "--partners", str(SAMPLE / "partners.csv"), "--solver", "highs")
    assert_readable(render(big))
