"""The offline report: one HTML file with nothing fetched from outside, every candidacy in it, the
form's text escaped (the real browser is in test_report_browser.py)."""

from __future__ import annotations

import copy
import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from matchmaker.cli import main
from matchmaker.letters import read_result
from matchmaker.report import render_report

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    common = [str(SAMPLE / "candidacies.xlsx"), "--partners", str(SAMPLE / "partners.csv")]
    common += ["--reviews", str(SAMPLE / "reviews")]
    out = ["--out", str(folder / "s.xlsx"), "--json", str(folder / "result.json")]
    result = CliRunner().invoke(main, ["pair", *common, *out, "--report", str(folder / "pair.html")])
    assert result.exit_code == 0, result.output
    rob = ["--samples", "10", "--json", str(folder / "robustness.json")]
    assert CliRunner().invoke(main, ["robustness", *common, *rob]).exit_code == 0
    return folder


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_report_is_self_contained_and_names_every_candidacy(run: Path, lang: str) -> None:
    out = run / f"report-{lang}.html"
    args = ["report", str(run / "result.json"), "--out", str(out), "--lang", lang]
    result = CliRunner().invoke(main, [*args, "--robustness", str(run / "robustness.json")])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "http" not in text and "src=" not in text and "<script" not in text and "<link" not in text
    parsed = Collect()
    parsed.feed(text)
    assert {"svg", "polygon", "table"} <= set(parsed.tags)  # the agreement bars and the weight triangle
    words = " ".join(parsed.text)
    for cand in read_result(run / "result.json")["candidates"]:
        assert (cand["municipality"] or cand["name_as_written"]) in words
    assert ("Koppelingen" if lang == "nl" else "Couples") in words
    assert out.stat().st_size < 200_000


def test_pair_writes_the_report_beside_the_workbook(run: Path) -> None:
    assert "Open plaatsen" in (run / "pair.html").read_text(encoding="utf-8")


def test_text_from_the_form_is_escaped(run: Path) -> None:
    doc = copy.deepcopy(read_result(run / "result.json"))
    doc["candidates"][0]["municipality"] = "<script>alert(1)</script>"
    text = render_report(doc, lang="en")
    assert "<script>" not in text
    assert html.escape("<script>alert(1)</script>") in text


def test_robustness_writes_the_report_of_its_own_analysis(run: Path) -> None:
    """robustness --report says what `report` says of the pairing and that same analysis."""
    common = [str(SAMPLE / "candidacies.xlsx"), "--partners", str(SAMPLE / "partners.csv")]
    common += ["--reviews", str(SAMPLE / "reviews"), "--samples", "10"]
    direct = run / "robustness-fr.html"
    result = CliRunner().invoke(main, ["robustness", *common, "--report", str(direct), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    via = run / "via-report-fr.html"
    args = ["report", str(run / "result.json"), "--out", str(via), "--lang", "fr"]
    assert CliRunner().invoke(main, [*args, "--robustness", str(run / "robustness.json")]).exit_code == 0
    assert direct.read_text(encoding="utf-8") == via.read_text(encoding="utf-8")
    assert 'id="report-robustness"' in direct.read_text(encoding="utf-8")
    refused = CliRunner().invoke(main, ["robustness", *common, "--report", str(run / "r.txt")])
    assert refused.exit_code == 2 and "give a name ending in .html" in refused.output
