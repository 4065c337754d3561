"""pair --robustness on the close-calls sample: the result's robustness block is the analysis of the
robustness command, every pairing it lists is what a plain run at weights inside its region chooses,
the Robuustheid sheet holds the table and the chart, the explanations say the share, verify passes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from matchmaker.audit import verify
from matchmaker.cli import main
from matchmaker.criteria import load_criteria
from matchmaker.export import SHEET_ROBUSTNESS, SHEET_SHORTLIST
from matchmaker.i18n import sentence
from matchmaker.i18n.wording import percent_text, why_text
from matchmaker.pipeline import RunOptions, robustness, run

CLOSE = Path(__file__).resolve().parent.parent / "sample_data" / "close-calls"
FILES = [str(CLOSE / "candidacies.xlsx"), "--partners", str(CLOSE / "partners.csv")]
REVIEWS = ["--reviews", str(CLOSE / "reviews")]


@pytest.fixture(scope="module")
def paired(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("robust")
    out, result = folder / "shortlist.xlsx", folder / "result.json"
    outputs = ["--out", str(out), "--json", str(result)]
    ran = CliRunner().invoke(
        main,
        ["pair", *FILES, *REVIEWS, "--robustness", "--robustness-samples", "12", "--seed", "3", *outputs],
    )
    assert ran.exit_code == 0, ran.output
    return out, result, ran.output


def test_the_block_is_the_robustness_commands_analysis(paired: tuple[Path, Path, str]) -> None:
    _, result_path, output = paired
    doc = json.loads(result_path.read_text(encoding="utf-8"))
    block = doc["robustness"]
    alone = robustness(
        CLOSE / "candidacies.xlsx",
        CLOSE / "partners.csv",
        RunOptions(reviews=(CLOSE / "reviews",)),
        samples=12,
        seed=3,
    ).to_json()
    alone.pop("manifest")
    assert json.loads(json.dumps(alone)) == block
    # the pairing at the chosen weights is the one pair chose
    chosen = [p for p in block["pairings"] if p["contains_chosen"]]
    assert len(chosen) == 1
    assert sorted(map(tuple, chosen[0]["pairs"])) == sorted(
        (p["candidate_id"], p["partner"]) for p in doc["pairs"]
    )
    assert abs(sum(p["share"] for p in block["pairings"]) - 1) < 1e-6
    assert doc["manifest"]["options"]["robustness"] == {"samples": 12, "seed": 3}
    # the sample has close calls: the selection changes within the plausible weights
    same = sum(p["share"] for p in block["pairings"] if set(p["selected"]) == set(chosen[0]["selected"]))
    assert 0 < same < 1
    assert (
        sentence(
            "robustness_summary",
            "en",
            share=percent_text(same, "en"),
            pairs=percent_text(chosen[0]["share"], "en"),
            method="exact",
        )
        in output
    )


def test_every_region_is_what_a_plain_run_chooses_inside_it(paired: tuple[Path, Path, str]) -> None:
    """The independent check: re-solve at a weighting inside each region with the whole pipeline."""
    _, result_path, _ = paired
    block = json.loads(result_path.read_text(encoding="utf-8"))["robustness"]
    criteria = load_criteria()
    keys = block["weights"]["criteria"]
    for pairing in block["pairings"]:
        corners = np.array(pairing["vertices"], dtype=float)
        inside = corners.mean(axis=0)  # the vertices' mean lies inside the convex region
        again = run(
            CLOSE / "candidacies.xlsx",
            CLOSE / "partners.csv",
            reviews=[CLOSE / "reviews"],
            criteria=criteria.with_weights(dict(zip(keys, inside.tolist(), strict=True))),
        )
        got = sorted((p["candidate_id"], p["partner"]) for p in again.pairs)
        assert got == sorted(map(tuple, pairing["pairs"])), pairing["id"]


def test_the_sheet_holds_the_table_the_chart_and_prints_on_a4_landscape(
    paired: tuple[Path, Path, str],
) -> None:
    out, result_path, _ = paired
    block = json.loads(result_path.read_text(encoding="utf-8"))["robustness"]
    book = load_workbook(out)
    assert SHEET_ROBUSTNESS in book.sheetnames
    ws = book[SHEET_ROBUSTNESS]
    assert len(ws._images) == 1
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    refnis_col = None
    shares: dict[str, float] = {}
    for row in ws.iter_rows(values_only=True):
        if "NIS-code" in row:
            refnis_col = row.index("NIS-code")
            continue
        if refnis_col is not None and row[refnis_col] is None:
            break
        if refnis_col is not None:
            shares[str(row[refnis_col])] = float(row[refnis_col + 2])
    expected = {
        c["candidate_id"]: c["selection_share"] for c in block["candidates"] if c["selection_share"] > 0
    }
    assert expected and all(shares[cid] == pytest.approx(v) for cid, v in expected.items())
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert f"{block['solves']} keer opgelost" in text and "seed van de steekproeven 3" in text


def test_the_explanations_say_the_share_where_the_selection_depends_on_the_weights(
    paired: tuple[Path, Path, str],
) -> None:
    out, result_path, _ = paired
    doc = json.loads(result_path.read_text(encoding="utf-8"))
    shares = {c["candidate_id"]: c["selection_share"] for c in doc["robustness"]["candidates"]}
    close = {cid for cid, v in shares.items() if 0 < v < 1}
    assert close
    for e in doc["explanations"]:
        said = "of the plausible weightings" in e["why"]
        assert said == (e["candidate_id"] in close), e["why"]
    ws = load_workbook(out)[SHEET_SHORTLIST]
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    for cid in close:
        key = (
            "why_weight_share"
            if any(p["candidate_id"] == cid for p in doc["pairs"])
            else "why_weight_share_not"
        )
        assert sentence(key, "nl", share=percent_text(shares[cid], "nl")) in text


def test_verify_re_runs_the_analysis(paired: tuple[Path, Path, str]) -> None:
    _, result_path, _ = paired
    report = verify(result_path)
    assert report.ok, report.lines()
    doc = json.loads(result_path.read_text(encoding="utf-8"))
    doc["robustness"]["pairings"][0]["share"] += 0.01
    changed = result_path.with_name("changed.json")
    changed.write_text(json.dumps(doc), encoding="utf-8")
    assert not verify(changed).ok


def test_a_share_of_zero_or_one_says_nothing() -> None:
    record = {"cause": "selected", "selected": True, "partner": "Karongi", "country": "Rwanda", "value": 80.0}
    plain = why_text(record, {}, "fr")
    assert plain and why_text({**record, "weight_share": 1.0}, {}, "fr") == plain
    assert why_text({**record, "weight_share": 0.996}, {}, "fr") == f"{plain} " + sentence(
        "why_weight_share", "fr", share="99"
    )
    assert [percent_text(v, "nl") for v in (0.0, 0.001, 0.5, 0.999, 1.0)] == ["0", "1", "50", "99", "100"]


def test_robustness_with_stable_pairing_is_refused(tmp_path: Path) -> None:
    ran = CliRunner().invoke(
        main,
        ["pair", *FILES, "--robustness", "--stability", "require", "--out", str(tmp_path / "s.xlsx")],
    )
    assert ran.exit_code == 2
    assert "--robustness" in ran.output and not (tmp_path / "s.xlsx").exists()


def test_the_report_and_the_letters_take_the_block_the_result_carries(
    paired: tuple[Path, Path, str], tmp_path: Path
) -> None:
    import docx

    from matchmaker.letters import write_decision_letters
    from matchmaker.report import report_from_files

    _, result_path, _ = paired
    doc = json.loads(result_path.read_text(encoding="utf-8"))
    page = report_from_files(result_path, tmp_path / "report.html", lang="en").read_text(encoding="utf-8")
    assert sentence("report_robustness", "en") in page and "<polygon" in page
    written = write_decision_letters(result_path, tmp_path / "letters", lang="en")
    close = next(c for c in doc["robustness"]["candidates"] if 0 < c["selection_share"] < 1)
    name = next(e["municipality"] for e in doc["explanations"] if e["candidate_id"] == close["candidate_id"])
    letter = next(p for p in written if p.suffix == ".docx" and name.replace(" ", "-") in p.name)
    text = "\n".join(p.text for p in docx.Document(str(letter)).paragraphs)
    assert sentence("letter_heading_robustness", "en") in text
    assert f"selected in {percent_text(close['selection_share'], 'en')}% of the plausible weightings" in text
