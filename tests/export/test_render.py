"""The printed workbook: LibreOffice converts shortlists to PDF and every word on every page is
measured, so no sheet prints smaller than 9 pt text (needs soffice and pdftotext, else skipped).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from collections import Counter
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
    # the README's second command: a lock and a forbid
    locked = pair(
        tmp_path,
        "locked",
        form,
        "--partners",
        partners,
        "--reviews",
        reviews,
        "--lock",
        "Gent=Karongi",
        "--forbid",
        "Mechelen=Commune fictive C (placeholder)",
    )
    sheets = str(SAMPLE / "partner-sheets")
    stable = pair(
        tmp_path, "stable", form, "--partners", partners, "--partner-ratings", sheets, "--stability", "report"
    )
    for workbook in (demo, tour, locked, stable):
        pdf = render(workbook)
        assert_readable(pdf)
        # numbers in the workbook's locale: comma decimals in Dutch and French (not "92.2")
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True)
        assert re.search(r"\b\d+,\d\b", text.stdout), workbook.name
        assert not re.search(r"(?<![\d.])\d{2,3}\.\d(?![\d.])", text.stdout), workbook.name
    # settings as the criteria file writes them: weight 50, not 50,0; fit points 2,5
    layout = subprocess.run(
        ["pdftotext", "-layout", str(demo.with_suffix(".pdf")), "-"], capture_output=True, text=True
    )
    weights = [line.split()[-1] for line in layout.stdout.splitlines() if "beoordeling op de rubriek" in line]
    assert weights == ["50"], weights
    assert re.search(r"Geen voorkeur\s+2,5\n", layout.stdout)


def header_words(pdf: Path, page: int = 1) -> list[str]:
    """The words of the header row on a page: those above the first row of data (a NIS code)."""
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    words = [(float(y0), html.unescape(word)) for y0, _, word in _WORD.findall(text.stdout)]
    first_data = min(y for y, word in words if re.fullmatch(r"\d{5}", word))
    return [word for y, word in words if y < first_data - 2]


def rating_sheets(tmp_path: Path, lang: str) -> tuple[Path, Path]:
    """A reviewer sheet and a partner sheet of the sample, written by the command line in `lang`."""
    form = str(SAMPLE / "candidacies.xlsx")
    review, partner = tmp_path / f"review-{lang}.xlsx", tmp_path / f"partner-{lang}.xlsx"
    for command, *args, out in (
        ("review-sheet", "--reviewer", "An", review),
        (
            "partner-sheet",
            "--partners",
            str(SAMPLE / "partners.csv"),
            "--partner",
            "Commune fictive A (placeholder)",
            partner,
        ),
    ):
        run = [sys.executable, "-m", "matchmaker", command, form, *args, "--lang", lang, "--out", str(out)]
        subprocess.run(run, check=True, capture_output=True)
    return review, partner


def sheet_layout(workbook: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The (key, header) of the first sheet's columns as its _meta sheet records them, and the
    candidate ids of its rows."""
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    meta = [(str(a), str(b)) for a, b, *_ in book["_meta"].iter_rows(values_only=True)]
    columns = [(key.removeprefix("column:"), header) for key, header in meta if key.startswith("column:")]
    ids = [str(row[0]) for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    return columns, ids


def sheet_columns(workbook: Path) -> list[str]:
    """The headers of a workbook's first sheet, in column order, as written."""
    import openpyxl

    ws = openpyxl.load_workbook(workbook).worksheets[0]
    return [str(cell.value) for cell in ws[1]]


@needs_office
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_sheet_headers_break_between_words_never_inside_one(tmp_path: Path, lang: str) -> None:
    from matchmaker.criteria import load_criteria
    from matchmaker.i18n import label
    from matchmaker.partner_sheets import _FACT_COLUMNS, _INPUT_COLUMNS

    review, partner = rating_sheets(tmp_path, lang)
    rubric = [item.labels.get(lang) or item.label for item in load_criteria().rubric]
    partner_headers = [label(key, lang) for _, key, _ in (*_FACT_COLUMNS, *_INPUT_COLUMNS)]
    for workbook, headers in ((review, rubric), (partner, partner_headers)):
        pdf = render(workbook)
        # the sheet spans two pages in width: the header row is split over pages 1 and 2
        shown = header_words(pdf, 1) + header_words(pdf, 2)
        for header in headers:
            for word in header.split():
                assert word in shown, f"{workbook.name}: {word!r} of {header!r} is broken: {shown}"


@needs_office
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_reviewer_and_partner_sheets_print_at_9_pt_or_more(tmp_path: Path, lang: str) -> None:
    """Both rating sheets print every page at 9 pt or more, two pages wide: the candidate and
    municipality columns on both, the texts on the first, what a person fills in on the second."""
    for workbook, second in zip(rating_sheets(tmp_path, lang), ("item:", "motivation"), strict=True):
        pdf = render(workbook)
        assert_readable(pdf)
        columns, ids = sheet_layout(workbook)
        split = next(i for i, (key, _) in enumerate(columns) if key.startswith(second))
        pages = word_heights(pdf)
        # every candidate's row prints exactly twice: once on each of the two pages in width
        printed = Counter(w for words in pages for _, w in words if re.fullmatch(r"\d{5}", w))
        assert printed == Counter(ids * 2), (workbook.name, printed)
        left, right = set(header_words(pdf, 1)), set(header_words(pdf, 2))
        for j, (_, header) in enumerate(columns):
            sides = (left, right) if j < 2 else (left,) if j < split else (right,)
            for side in sides:
                assert set(header.split()) <= side, (workbook.name, header, sorted(side))
        only_right = set(columns[-1][1].split()) - {w for _, h in columns[:split] for w in h.split()}
        assert only_right and not only_right & left, (workbook.name, only_right)


@needs_office
def test_a_300_candidate_shortlist_prints_at_9_pt_or_more(tmp_path: Path) -> None:
    export = tmp_path / "big-export.xlsx"
    write_export(make_export(300, seed=3), export)
    big = pair(tmp_path, "big", str(export), "--partners", str(SAMPLE / "partners.csv"), "--solver", "highs")
    assert_readable(render(big))


@needs_office
def test_the_robustness_sheet_prints_at_9_pt_or_more(tmp_path: Path) -> None:
    """pair --robustness on the close-calls sample, in English: the Robuustheid sheet's pages print
    its tables at 9 pt or more, with the chart (an image, so no words of its own) among them."""
    close = SAMPLE / "close-calls"
    book = pair(
        tmp_path,
        "robust",
        str(close / "candidacies.xlsx"),
        "--partners",
        str(close / "partners.csv"),
        "--reviews",
        str(close / "reviews"),
        "--robustness",
        "--robustness-samples",
        "5",
        "--lang",
        "en",
    )
    pdf = render(book)
    assert_readable(pdf)
    pages = [" ".join(w for _, w in words) for words in word_heights(pdf)]
    sheet = [p for p in pages if "Robuustheid –" in p]
    assert sheet and "Candidates selected under some plausible weighting" in " ".join(sheet)
