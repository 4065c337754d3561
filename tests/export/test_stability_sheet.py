"""The Stabiliteit sheet and the explanations under stability, on the sample with its partner
sheets: what the sheet shows is read back and checked against the result and a second solve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR
from openpyxl import load_workbook

from matchmaker.criteria import load_criteria
from matchmaker.export import write_shortlist
from matchmaker.i18n import label
from matchmaker.i18n.wording import blocking_text
from matchmaker.intake import read_form
from matchmaker.pairing import solve_pairing
from matchmaker.partner_sheets import read_partner_ratings
from matchmaker.partners import read_partners
from matchmaker.reviews import read_reviews
from matchmaker.scoring import score, with_scores


@pytest.fixture(scope="module")
def sample() -> dict[str, object]:
    criteria = load_criteria(None)
    intake = read_form(SAMPLE_DIR / "candidacies.xlsx", eligibility=criteria.eligibility)
    agg = read_reviews([SAMPLE_DIR / "reviews"], criteria, intake.candidates).aggregate("mean")
    cands = with_scores(intake.candidates, score(intake.candidates, criteria, agg))
    partners = read_partners(SAMPLE_DIR / "partners.csv")
    read = read_partner_ratings([SAMPLE_DIR / "partner-sheets"], cands, partners)
    ratings = [(r.candidate_id, r.partner, r.rating) for r in read]
    out: dict[str, object] = {"criteria": criteria}
    for mode in ("off", "report", "require"):
        out[mode] = solve_pairing(cands, partners, criteria, partner_ratings=ratings, stability=mode)
    return out


def _texts(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def test_no_stabiliteit_sheet_without_ratings(tmp_path: Path, sample: dict) -> None:
    out = write_shortlist(sample["off"], tmp_path / "off.xlsx", criteria=sample["criteria"])
    assert "Stabiliteit" not in load_workbook(out).sheetnames


@pytest.mark.parametrize(("mode", "lang"), [("report", "nl"), ("require", "fr"), ("report", "en")])
def test_the_sheet_shows_the_block(tmp_path: Path, sample: dict, mode: str, lang: str) -> None:
    result = sample[mode]
    block = result.stability
    out = write_shortlist(result, tmp_path / f"{mode}.xlsx", lang=lang, criteria=sample["criteria"])
    book = load_workbook(out)
    assert book.sheetnames.index("Stabiliteit") == book.sheetnames.index("Parameters") - 1
    ws = book["Stabiliteit"]
    texts = _texts(ws)
    names = {str(x["candidate_id"]): str(x["municipality"]) for x in result.explanations}
    # every blocking pair in words, in the workbook's language
    for pair in block["blocking_pairs"]:
        assert f"• {blocking_text(pair, names, lang)}" in texts
    assert sum(t.startswith("• ") for t in texts) == len(block["blocking_pairs"])
    if mode == "report":
        assert block["blocking_pairs"]  # the usual pairing of the sample is not stable
    # the matrix: a rating (or the mark for "not acceptable") per partner and candidate, as read
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label("municipality", lang))
    # the columns are numbered; the sentence above the matrix names them
    [numbered] = [t for t in texts if " = " in t]
    names_of = dict(re.findall(r"(\d+) = (.+?)(?=; \d+ = |\.$)", numbered))
    assert sorted(names_of.values()) == sorted({r["partner"] for r in block["ratings"]})
    partners = [names_of.get(str(ws.cell(header, j).value)) for j in range(2, ws.max_column + 1)]
    shown: dict[tuple[str, str], object] = {}
    by_name = {v: k for k, v in names.items()}
    for r in range(header + 1, ws.max_row + 1):
        cid = by_name.get(str(ws.cell(r, 1).value))
        if cid is None:
            break
        for j, partner in enumerate(partners, start=2):
            value = ws.cell(r, j).value
            if value is not None and partner is not None:
                shown[(cid, str(partner))] = None if value == label("not_acceptable_mark", lang) else value
                if (cid, partner) in {(p["candidate_id"], p["partner"]) for p in result.pairs}:
                    assert ws.cell(r, j).font.bold
    expected = {(r["candidate_id"], r["partner"]): r["rating"] for r in block["ratings"]}
    assert shown == expected
    # the price of stability in points and percent
    price = block["price_of_stability"]
    assert any(
        label("price_of_stability", lang) == ws.cell(r, 1).value and ws.cell(r, 2).value for r in range(1, 40)
    )
    assert (price["points"] > 0) == (mode == "require")


def test_a_candidate_left_out_or_moved_by_stability_says_so(sample: dict) -> None:
    usual = {p["candidate_id"]: p["partner"] for p in sample["off"].pairs}
    stable = {p["candidate_id"]: p["partner"] for p in sample["require"].pairs}
    moved = {c for c in usual if stable.get(c) != usual[c]}
    assert moved  # the sample's stable pairing differs from the usual one
    said = {
        str(x["candidate_id"]): x
        for x in sample["require"].explanations
        if x.get("partner_without_stability")
    }
    assert set(said) == moved
    for cid, x in said.items():
        # true by construction: the solve without stability pairs it with that partner
        assert x["partner_without_stability"] == usual[cid]
        assert x["selected"] == (cid in stable)
        assert usual[cid] in x["why"]
        assert ("must be stable" in x["why"]) == (cid not in stable)
    # and the usual pairing has pairs that block it: it is not a stable pairing
    assert sample["report"].stability["blocking_pairs"]
    # without ratings the explanations carry no such fact
    assert not any(x.get("partner_without_stability") for x in sample["off"].explanations)


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_a_candidate_moved_by_stability_names_its_partner_without_it(lang: str) -> None:
    from matchmaker.i18n.wording import why_text

    record = {"cause": "selected", "partner": "Karongi", "country": "Rwanda", "value": 80.0}
    plain = why_text(record, {}, lang)
    moved = why_text({**record, "partner_without_stability": "Nyanza"}, {}, lang)
    assert plain and moved and moved.startswith(plain) and "Nyanza" in moved and "Nyanza" not in plain
    # the same partner with and without stability: nothing to say
    assert why_text({**record, "partner_without_stability": "Karongi"}, {}, lang) == plain
