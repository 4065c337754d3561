"""The shortlist's sheets: what a committee reads, in its language, and what it decides in."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet
from result_factory import HOSTILE_MOTIVATION, make_result
from workbook_helpers import all_cells, column, header, leftovers

from matchmaker import schema as s
from matchmaker.cli import main
from matchmaker.criteria import Criteria, PairingSettings
from matchmaker.errors import OutputError
from matchmaker.export import (
    SHEET_ALTERNATIVES,
    SHEET_INTAKE,
    SHEET_MOTIVATION,
    SHEET_OVERVIEW,
    SHEET_PAIRS,
    SHEET_PARAMETERS,
    SHEET_PARTNERS,
    SHEET_RESERVES,
    SHEET_SHORTLIST,
    build_workbook,
    write_shortlist,
)
from matchmaker.i18n import code_label, label


@pytest.fixture
def shortlist(tmp_path: Path) -> Path:
    return write_shortlist(make_result(), tmp_path / "shortlist.xlsx")


def test_formula_looking_text_is_written_as_text(shortlist: Path) -> None:
    wb = openpyxl.load_workbook(shortlist)
    suspicious = [c for c in all_cells(wb) if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    values = {c.value for c in suspicious}
    assert HOSTILE_MOTIVATION in values
    assert "=cmd|' /C calc'!A0" in values
    assert "-5 projecten\tin uitvoering" in values
    assert "+32 gemeente Nergens" in values
    assert all(c.data_type == "s" for c in suspicious)
    # and Excel keeps it text when someone edits the cell
    assert all(c.quotePrefix for c in suspicious)


def test_control_characters_never_reach_the_workbook(shortlist: Path) -> None:
    wb = openpyxl.load_workbook(shortlist)
    texts = [c.value for c in all_cells(wb) if isinstance(c.value, str)]
    assert not [t for t in texts if any(ord(ch) < 32 and ch not in "\t\n" for ch in t)]


def test_contacts_are_left_out_by_default(shortlist: Path) -> None:
    wb = openpyxl.load_workbook(shortlist)
    texts = " ".join(str(c.value) for c in all_cells(wb))
    for personal in (
        "contact@gent.be",
        "Contact Gent",
        "Invuller Gent",
        "invuller@gent.be",
        "iemand@nergens.be",
    ):
        assert personal not in texts
    # the value of an intake issue on a personal column is left out too
    intake = wb[SHEET_INTAKE]
    row = column(intake, "Kolom").index("E-mailadres contactpersoon") + 2
    assert intake.cell(row=row, column=header(intake).index("Antwoord") + 1).value is None
    assert "Contactgegevens zijn weggelaten" in texts


def test_contacts_are_written_when_asked(tmp_path: Path) -> None:
    out = write_shortlist(make_result(), tmp_path / "s.xlsx", include_contacts=True)
    ws = openpyxl.load_workbook(out)[SHEET_SHORTLIST]
    assert "contact@gent.be" in column(ws, "E-mail contactpersoon")
    assert "Contact Gent" in column(ws, "Contactpersoon")


# --- the workbook ---------------------------------------------------------------------------------------


def test_sheets_are_named_in_dutch_in_this_order(shortlist: Path) -> None:
    wb = openpyxl.load_workbook(shortlist)
    assert wb.sheetnames == [
        SHEET_OVERVIEW,
        SHEET_PAIRS,
        SHEET_SHORTLIST,
        SHEET_RESERVES,
        SHEET_ALTERNATIVES,
        SHEET_MOTIVATION,
        SHEET_INTAKE,
        SHEET_PARTNERS,
        SHEET_PARAMETERS,
    ]
    assert wb.active.title == SHEET_OVERVIEW


def test_no_alternatives_sheet_without_alternatives(tmp_path: Path) -> None:
    result = dataclasses.replace(make_result(), alternatives=[])
    wb = openpyxl.load_workbook(write_shortlist(result, tmp_path / "s.xlsx"))
    assert SHEET_ALTERNATIVES not in wb.sheetnames


def test_koppelingen_has_one_row_per_pair_and_an_empty_decision_column(shortlist: Path) -> None:
    result = make_result()
    ws = openpyxl.load_workbook(shortlist)[SHEET_PAIRS]
    assert header(ws)[:7] == [
        "Gemeente",
        "NIS-code",
        "Provincie",
        "Partner",
        "Land",
        "Regio",
        "Waarde koppeling",
    ]
    assert sorted(zip(map(str, column(ws, "NIS-code")), column(ws, "Partner"), strict=True)) == sorted(
        (p[s.CANDIDATE_ID], p[s.PARTNER]) for p in result.pairs
    )
    values = dict(zip(column(ws, "Partner"), column(ws, "Waarde koppeling"), strict=True))
    assert values == {p[s.PARTNER]: p["value"] for p in result.pairs}
    # the breakdown has a column per component, and the numbers add up to the value
    components = header(ws)[7 : header(ws).index("Beslissing")]
    assert len(components) == 4
    for i in range(2, ws.max_row + 1):
        parts = [ws.cell(row=i, column=8 + k).value for k in range(len(components))]
        assert sum(parts) == pytest.approx(ws.cell(row=i, column=7).value)
    # only the pair the committee locked before is marked; the rest is for the committee
    decisions = dict(zip(column(ws, "Gemeente"), column(ws, "Beslissing"), strict=True))
    assert decisions.pop("Gent") == "vast"
    assert set(decisions.values()) == {None}


def test_decision_columns_offer_a_list_and_explain_themselves(shortlist: Path) -> None:
    wb = openpyxl.load_workbook(shortlist)
    pairs = wb[SHEET_PAIRS]
    rules = pairs.data_validations.dataValidation
    letter = openpyxl.utils.get_column_letter(header(pairs).index("Beslissing") + 1)
    rule = next(r for r in rules if letter + "2" in str(r.sqref))
    assert rule.type == "list" and rule.formula1 == '"vast,weiger"'
    assert "vast" in rule.prompt and "weiger" in rule.prompt
    assert pairs[f"{letter}1"].comment is not None
    shortlist_ws = wb[SHEET_SHORTLIST]
    formulas = {r.formula1 for r in shortlist_ws.data_validations.dataValidation}
    assert '"uitsluiten,weiger"' in formulas
    # "Koppelen aan" lists the eligible partners from the Partners sheet
    partner_list = next(f for f in formulas if "Partners" in f)
    eligible = [p[s.PARTNER] for p in make_result().partners if p[s.ELIGIBLE]]
    assert partner_list.endswith(f"$A${len(eligible) + 1}")
    assert sorted(column(wb[SHEET_PARTNERS], "Partner")[: len(eligible)]) == sorted(eligible)


def test_shortlist_ranks_every_eligible_candidate_with_why_and_score_needed(shortlist: Path) -> None:
    result = make_result()
    ws = openpyxl.load_workbook(shortlist)[SHEET_SHORTLIST]
    eligible = [c for c in result.candidates if c[s.ELIGIBLE]]
    assert column(ws, "Rang") == sorted(c[s.RANK] for c in eligible)
    assert column(ws, "Score") == [c[s.SCORE] for c in sorted(eligible, key=lambda c: c[s.RANK])]
    selected = {p[s.CANDIDATE_ID] for p in result.pairs}
    flags = dict(zip(map(str, column(ws, "NIS-code")), column(ws, "Geselecteerd"), strict=True))
    assert flags == {c[s.CANDIDATE_ID]: "ja" if c[s.CANDIDATE_ID] in selected else "nee" for c in eligible}
    needed = {e[s.CANDIDATE_ID]: e["score_needed"] for e in result.explanations}
    extra = column(ws, "Extra punten nodig")
    assert dict(zip(map(str, column(ws, "NIS-code")), extra, strict=True)) == needed
    assert "max. 2 per provincie bereikt" in column(ws, "Waarom (niet)")
    # score components, labelled
    for name in ("Motivatie", "Betrokkenheid", "Geen stedenband"):
        assert name in header(ws)


def test_shortlist_has_a_bar_chart_of_the_scores_and_data_bars(shortlist: Path) -> None:
    ws = openpyxl.load_workbook(shortlist)[SHEET_SHORTLIST]
    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.tagname == "barChart" and chart.type == "bar"
    score_ref = chart.series[0].val.numRef.f
    assert score_ref == f"'Shortlist'!$H$2:$H${ws.max_row}"
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert any(rule.type == "dataBar" for rule in rules)
    bars = next(cf for cf in ws.conditional_formatting if cf.rules[0].type == "dataBar")
    assert str(bars.sqref) == f"H2:H{ws.max_row}"


def test_a_long_shortlist_charts_the_best_fifty(tmp_path: Path) -> None:
    result = make_result()
    base = [c for c in result.candidates if c[s.ELIGIBLE]]
    many = [
        {**base[k % len(base)], s.CANDIDATE_ID: str(20000 + k), s.RANK: k + 1, s.SCORE: 100.0 - k}
        for k in range(60)
    ]
    out = write_shortlist(dataclasses.replace(result, candidates=many), tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(out)[SHEET_SHORTLIST]
    assert ws.max_row >= 61
    chart = ws._charts[0]
    assert chart.series[0].val.numRef.f == "'Shortlist'!$H$2:$H$51"
    title = "".join(r.t for p in chart.title.tx.rich.p for r in p.r)
    assert "beste 50" in title


def test_overzicht_shows_slots_budget_and_run(shortlist: Path) -> None:
    ws = openpyxl.load_workbook(shortlist)[SHEET_OVERVIEW]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    by_label = {r[0]: r[1:] for r in rows if r[0] is not None}
    assert by_label["Rwanda"][:3] == [4, 4, 0]
    assert by_label["Benin"][:3] == [4, 3, 1]
    assert "3 van 4 ingevuld" in by_label["Benin"][3]
    assert by_label["Per partnerschap"][0] == 35000
    assert by_label["Ingevulde partnerschappen"][0] == 7
    assert by_label["Totaal"][0] == 7 * 35000
    halves = [r[1] for r in rows if r[0] in ("  Vlaamse kant", "  Partnerkant")]
    assert halves == [17500, 17500, 7 * 17500, 7 * 17500]
    assert by_label["Status oplossing"][0] == "optimaal"
    assert by_label["Bestand"][0] == "candidacies.xlsx"


def test_budget_comes_from_the_criteria(tmp_path: Path) -> None:
    criteria = Criteria(version=1, name="Test", pairing=PairingSettings(budget_per_partnership=40000))
    out = write_shortlist(make_result(), tmp_path / "s.xlsx", criteria=criteria)
    ws = openpyxl.load_workbook(out)[SHEET_OVERVIEW]
    by_label = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value}
    assert by_label["Per partnerschap"] == 40000
    assert by_label["Totaal"] == 7 * 40000
    assert ws["A1"].value.endswith("Test")


def test_intake_lists_every_ineligible_submission_and_every_issue(shortlist: Path) -> None:
    result = make_result()
    ws = openpyxl.load_workbook(shortlist)[SHEET_INTAKE]
    reasons = [r for c in result.candidates if not c[s.ELIGIBLE] for r in c[s.REASONS]]
    problems = [i["problem"] for i in result.issues]
    assert sorted(column(ws, "Probleem of reden")) == sorted(reasons + problems)
    kinds = dict(zip(column(ws, "Inzending"), column(ws, "Soort"), strict=False))
    assert kinds[22] == "vervangen door latere inzending"
    assert kinds[21] == "niet in aanmerking"
    assert column(ws, "Inzending") == sorted(column(ws, "Inzending"))


def test_parameters_record_constraints_decisions_inputs_and_versions(shortlist: Path) -> None:
    ws = openpyxl.load_workbook(shortlist)[SHEET_PARAMETERS]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for r in rows for v in r if v is not None]
    assert ["vast", "Gent", 44021, "Karongi"] in rows
    assert ["geweigerd", "Sint-Niklaas", 46021, "Commune C (placeholder)"] in rows
    assert "a" * 64 in flat and "b" * 64 in flat
    assert "candidacies.xlsx" in flat and not any(str(v).startswith("/data/") for v in flat)
    assert ["pulp", "3.3.0", None, None] in rows
    assert ["Max. per provincie", 2, None, None] in rows


def test_parameters_read_as_words_without_paths_or_json(tmp_path: Path) -> None:
    result = make_result()
    manifest = {
        **result.manifest,
        "criteria": "/home/someone/criteria.toml",
        "cwd": "/home/someone/work",
        "platform": "linux",
        "options": {"reviews": ["/home/someone/reviews"], "aggregate": "median", "strict": True},
    }
    result = dataclasses.replace(result, manifest=manifest)
    criteria = Criteria(version=1, name="Oproep", tie_break=("completed", "refnis"))
    for lang in ("nl", "fr"):
        book = write_shortlist(result, tmp_path / f"{lang}.xlsx", criteria=criteria, lang=lang)
        rows = [[c.value for c in row] for row in openpyxl.load_workbook(book)[SHEET_PARAMETERS].iter_rows()]
        flat = [str(v) for r in rows for v in r if v is not None]
        assert not [v for v in flat if "/home/" in v or "/data/" in v or v.startswith(("{", "[", '"'))]
        assert "completed, refnis" not in flat
        settings = {r[0]: r[1] for r in rows}
        tie = {
            "nl": "formulier het vroegst ingevuld, dan laagste NIS-code",
            "fr": "formulaire rempli le plus tôt, puis code INS le plus bas",
        }[lang]
        assert settings[label("tie_break", lang)] == tie
        assert settings[label("aggregate_reviews", lang)] == label("aggregate_median", lang)
        assert settings[label("strict_input", lang)] == label("yes", lang)


@pytest.mark.parametrize(
    ("lang", "headers"),
    [
        ("en", ["Municipality", "NIS code", "Province", "Partner", "Country", "Region", "Pair value"]),
        (
            "fr",
            ["Commune flamande", "Code INS", "Province", "Partenaire", "Pays", "Région", "Valeur du couple"],
        ),
    ],
)
def test_headers_follow_the_language_and_sheet_names_do_not(
    tmp_path: Path, lang: str, headers: list[str]
) -> None:
    wb = openpyxl.load_workbook(write_shortlist(make_result(), tmp_path / "s.xlsx", lang=lang))
    assert SHEET_PAIRS in wb.sheetnames
    assert header(wb[SHEET_PAIRS])[:7] == headers
    words = {"en": '"keep,reject"', "fr": '"garder,refuser"'}[lang]
    assert words in {r.formula1 for r in wb[SHEET_PAIRS].data_validations.dataValidation}
    if lang == "fr":
        assert "Bénin" in column(wb[SHEET_PAIRS], "Pays")


def test_an_unknown_language_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="unknown language 'de'"):
        write_shortlist(make_result(), tmp_path / "s.xlsx", lang="de")
    assert list(tmp_path.iterdir()) == []


def test_changes_are_marked_in_koppelingen_and_listed_on_overzicht(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_shortlist(make_result(changes=True), tmp_path / "s.xlsx"))
    pairs = wb[SHEET_PAIRS]
    marks = dict(zip(column(pairs, "Gemeente"), column(pairs, "Wijziging"), strict=True))
    assert marks["Kortrijk"] == "nieuw: in plaats van Sint-Niklaas – Commune C (placeholder)"
    assert marks["Gent"].startswith("behouden: beslissing 'vast'")
    overview = [[c.value for c in row] for row in wb[SHEET_OVERVIEW].iter_rows()]
    removed = next(r for r in overview if r[0] == "vervallen")
    # a change record without its value (an older result) shows no points
    assert removed[1:4] == ["Sint-Niklaas", "Commune C (placeholder)", None]
    assert "beslissing 'weiger'" in removed[4]


# --- output paths ----------------------------------------------------------------------------------------


def test_the_workbook_never_overwrites_an_input(tmp_path: Path) -> None:
    source = tmp_path / "candidacies.xlsx"
    source.write_bytes(b"the export")
    result = dataclasses.replace(make_result(), manifest={"inputs": [{"path": str(source), "sha256": "x"}]})
    with pytest.raises(OutputError, match="is also an input"):
        write_shortlist(result, source)
    assert source.read_bytes() == b"the export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["candidacies.xlsx"]


def test_an_unwritable_workbook_path_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"missing.*does not exist"):
        write_shortlist(make_result(), tmp_path / "missing" / "s.xlsx")


def test_a_failing_workbook_leaves_the_previous_file_and_no_partial_one(tmp_path: Path) -> None:
    out = write_shortlist(make_result(), tmp_path / "s.xlsx")
    before = out.read_bytes()
    broken = make_result()
    broken = dataclasses.replace(broken, constraints={**broken.constraints, "locked": [["44021"]]})
    with pytest.raises(ValueError, match="not a pair"):
        write_shortlist(broken, out)
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == []


# --- end to end: `matchmaker pair` on the sample data ----------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def _pair(folder: Path, *extra: str) -> Any:
    args = ["pair", str(SAMPLE / "candidacies.xlsx"), "--partners", str(SAMPLE / "partners.csv")]
    return CliRunner().invoke(main, [*args, "--reviews", str(SAMPLE / "reviews"), *extra])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[openpyxl.Workbook, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("demo")
    result = _pair(
        folder, "--alternatives", "1", "--out", str(folder / "s.xlsx"), "--json", str(folder / "r.json")
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((folder / "r.json").read_text(encoding="utf-8"))
    return openpyxl.load_workbook(folder / "s.xlsx"), doc


def test_demo_workbook_matches_the_result_json(demo: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    wb, doc = demo
    assert wb.sheetnames[:5] == [
        SHEET_OVERVIEW,
        SHEET_PAIRS,
        SHEET_SHORTLIST,
        SHEET_RESERVES,
        SHEET_ALTERNATIVES,
    ]
    pairs = wb[SHEET_PAIRS]
    shown = set(zip(map(str, column(pairs, "NIS-code")), column(pairs, "Partner"), strict=True))
    assert shown == {(p["candidate_id"], p["partner"]) for p in doc["pairs"]}
    eligible = [c for c in doc["candidates"] if c["eligible"]]
    assert len(column(wb[SHEET_SHORTLIST], "Rang")) == len(eligible)
    assert len(wb[SHEET_SHORTLIST]._charts) == 1
    assert len(column(wb[SHEET_RESERVES], "Gemeente")) == len(doc["reserves"])
    intake = wb[SHEET_INTAKE]
    # one row per issue, worded in Dutch (tests/test_intake_words.py checks the words)
    assert column(intake, "Soort").count(label("input_problem")) == len(doc["issues"])
    for cand in doc["candidates"]:
        if not cand["eligible"]:
            assert cand["submission_id"] in column(intake, "Inzending")


def test_demo_workbook_keeps_hostile_text_inert_and_contacts_out(
    demo: tuple[openpyxl.Workbook, dict[str, Any]],
) -> None:
    wb, doc = demo
    texts = [c for c in all_cells(wb) if isinstance(c.value, str)]
    formula_like = [c for c in texts if c.value[:1] in "=+-@"]
    assert any(c.value.startswith("=HYPERLINK(") for c in formula_like)
    assert all(c.data_type == "s" for c in formula_like)
    joined = " ".join(c.value for c in texts)
    for cand in doc["candidates"]:
        for field in s.PERSONAL_FIELDS:
            value = cand.get(field)
            if isinstance(value, str) and len(value) > 3 and value != "anonymous":
                assert value not in joined, (field, value)


def test_demo_in_french_with_contacts(tmp_path: Path) -> None:
    result = _pair(tmp_path, "--lang", "fr", "--include-contacts", "--out", str(tmp_path / "fr.xlsx"))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "fr.xlsx")
    assert header(wb[SHEET_PAIRS])[:4] == ["Commune flamande", "Code INS", "Province", "Partenaire"]
    assert "Personne de contact" in header(wb[SHEET_SHORTLIST])
    assert "ines.desmet@gent.example" in column(wb[SHEET_SHORTLIST], "Courriel de contact")


def test_pair_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    forms = tmp_path / "candidacies.xlsx"
    forms.write_bytes((SAMPLE / "candidacies.xlsx").read_bytes())
    args = ["pair", str(forms), "--partners", str(SAMPLE / "partners.csv"), "--out", str(forms)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "is also an input" in result.output
    assert forms.read_bytes() == (SAMPLE / "candidacies.xlsx").read_bytes()
    assert leftovers(tmp_path) == []


def test_pair_into_a_missing_folder_is_exit_2_without_traceback(tmp_path: Path) -> None:
    result = _pair(tmp_path, "--out", str(tmp_path / "no" / "s.xlsx"))
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output


@pytest.fixture(scope="module")
def demo_fr(tmp_path_factory: pytest.TempPathFactory) -> tuple[openpyxl.Workbook, dict[str, Any], str]:
    folder = tmp_path_factory.mktemp("demo_fr")
    result = _pair(folder, "--lang", "fr", "--out", str(folder / "s.xlsx"), "--json", str(folder / "r.json"))
    assert result.exit_code == 0, result.output
    doc = json.loads((folder / "r.json").read_text(encoding="utf-8"))
    return openpyxl.load_workbook(folder / "s.xlsx"), doc, result.stdout


def french(text: str) -> str:
    """French typography: a no-break space before ":" and ";", so no line starts with one."""
    return text.replace(" :", "\u00a0:").replace(" ;", "\u00a0;")


def _by_name(ws: Worksheet, name_header: str, value_header: str) -> dict[str, Any]:
    return dict(zip(column(ws, name_header), column(ws, value_header), strict=True))


def _gent_by_hand(doc: dict[str, Any]) -> tuple[str, str, float, float, float]:
    """Gent's case worked out from the JSON's own pairs and edges, not from its explanation: the
    selected pair on a partner Gent may have whose value is closest to Gent's there."""
    gent = next(c for c in doc["candidates"] if c.get("municipality") == "Gent" and c["eligible"])
    mine = {e["partner"]: e["value"] for e in doc["edges"] if e["candidate_id"] == gent["candidate_id"]}
    contests = [(p["value"] - mine[p["partner"]], p) for p in doc["pairs"] if p["partner"] in mine]
    gap, rival = min(contests, key=lambda kv: kv[0])
    return rival["partner"], rival["municipality"], mine[rival["partner"]], rival["value"], gap


def _comma(value: float) -> str:
    return f"{math.ceil(round(value * 100, 6)) / 100:.2f}".replace(".", ",")


def test_gent_outranked_reads_in_dutch_with_its_names_and_numbers(
    demo: tuple[openpyxl.Workbook, dict[str, Any]],
) -> None:
    wb, doc = demo
    partner, rival, own, theirs, gap = _gent_by_hand(doc)
    assert rival == "Aalst" and _comma(gap) == "9,67"
    why = _by_name(wb[SHEET_SHORTLIST], "Gemeente", "Waarom (niet)")["Gent"]
    own_text, theirs_text = f"{own:.2f}".replace(".", ","), f"{theirs:.2f}".replace(".", ",")
    assert why == (
        f"Niet geselecteerd: met {partner} zou de koppeling {own_text} punten waard zijn, minder dan die "
        f"van {rival} ({theirs_text}). Met meer dan {_comma(gap)} extra punten zou deze kandidaat {rival} "
        "vervangen."
    )
    # the JSON keeps the same sentence in English and the facts behind it
    gent = next(e for e in doc["explanations"] if e["municipality"] == "Gent")
    assert gent["why"].startswith(f"Not selected: with {partner} its pair would be worth")
    # the province is full, but one more seat for it would not select Gent: the cap is not the reason
    assert gent["cause"] == "outranked" and gent["province_taken_by"] == []
    assert gent["outranked_by"][0]["municipality"] == rival
    assert gent["need"] == "score" and gent["score_needed"] == pytest.approx(gap, abs=1e-3)


def test_gent_outranked_reads_in_french(demo_fr: tuple[openpyxl.Workbook, dict[str, Any], str]) -> None:
    wb, doc, _ = demo_fr
    partner, rival, own, theirs, gap = _gent_by_hand(doc)
    why = _by_name(wb[SHEET_SHORTLIST], "Commune flamande", "Pourquoi (pas)")["Gent"]
    own_text, theirs_text = f"{own:.2f}".replace(".", ","), f"{theirs:.2f}".replace(".", ",")
    assert why == french(
        f"Non retenu : avec {partner}, son couple vaudrait {own_text} points, moins que celui retenu "
        f"pour {rival} ({theirs_text}). Avec plus de {_comma(gap)} points supplémentaires, "
        f"ce candidat remplacerait {rival}."
    )
    # the reserve list gives the same sentence, and the province column its French name
    reserves = wb[SHEET_RESERVES]
    assert _by_name(reserves, "Commune flamande", "Pourquoi (pas)")["Gent"] == why
    assert _by_name(reserves, "Commune flamande", "Province")["Gent"] == "Flandre-Orientale"


def test_every_why_cell_is_in_the_workbook_language(
    demo: tuple[openpyxl.Workbook, dict[str, Any]], demo_fr: tuple[openpyxl.Workbook, dict[str, Any], str]
) -> None:
    english = ("not selected", "selected:", "outranked", "points would", "its best pair", "accept Benin")
    for wb, head, openers in (
        (demo[0], "Waarom (niet)", ("Geselecteerd: ", "Niet geselecteerd: ", "Vastgelegd door")),
        (demo_fr[0], "Pourquoi (pas)", (french("Retenu : "), french("Non retenu : "), "Imposé par")),
    ):
        for sheet in (SHEET_SHORTLIST, SHEET_RESERVES):
            whys = [w for w in column(wb[sheet], head) if w]
            assert whys, sheet
            for why in whys:
                assert why.startswith(openers), why
                assert not any(word in why.casefold() for word in english), why
                assert len(why) < 220, why  # a sentence or two; the full account stays in the JSON
                assert not re.search(r"\d\.\d", why), why  # comma decimals


def test_selected_and_no_pair_sentences_name_partner_country_and_obstacle(
    demo: tuple[openpyxl.Workbook, dict[str, Any]], demo_fr: tuple[openpyxl.Workbook, dict[str, Any], str]
) -> None:
    wb, doc = demo
    pair = max(doc["pairs"], key=lambda p: p["value"])
    value = f"{pair['value']:.2f}".replace(".", ",")
    nl = _by_name(wb[SHEET_SHORTLIST], "Gemeente", "Waarom (niet)")
    fr = _by_name(demo_fr[0][SHEET_SHORTLIST], "Commune flamande", "Pourquoi (pas)")
    country = {"Benin": ("Benin", "au Bénin"), "Rwanda": ("Rwanda", "au Rwanda")}[pair["country"]]
    assert nl[pair["municipality"]] == (
        f"Geselecteerd: koppeling met {pair['partner']} in {country[0]}, {value} punten."
    )
    assert fr[pair["municipality"]] == french(
        f"Retenu : associé à {pair['partner']} {country[1]}, {value} points."
    )
    # a candidate that asked for Benin but does not work in French has no possible pair
    stuck = next(
        e["municipality"]
        for e in doc["explanations"]
        if e["cause"] == "no_pair" and {o["kind"] for o in e["obstacles"]} == {"language", "preference"}
    )
    assert nl[stuck] == (
        "Niet geselecteerd: geen mogelijke koppeling (Benin vraagt een delegatie die in het Frans werkt; "
        "voorkeur voor Benin, niet voor Rwanda)."
    )
    assert fr[stuck] == french(
        "Non retenu : aucun couple possible (le Bénin demande une délégation travaillant en français ; "
        "préférence pour le Bénin, pas pour le Rwanda)."
    )


def test_unfilled_benin_slot_is_explained_in_dutch_and_french(
    demo: tuple[openpyxl.Workbook, dict[str, Any]], demo_fr: tuple[openpyxl.Workbook, dict[str, Any], str]
) -> None:
    wb, doc = demo
    # by hand: eligible candidates open to Benin (asked for it, or any country), with and without French
    open_to_benin = [
        c
        for c in doc["candidates"]
        if c["eligible"] and c.get("score") is not None and c["country_preference"] in ("Benin", "any", None)
    ]
    speaking = sum("fr" in c["languages"] for c in open_to_benin)
    others = len(open_to_benin) - speaking
    filled = doc["filled"]["Benin"]
    assert (speaking, others, filled) == (3, 6, 3)
    rows = {r[0]: r for r in wb[SHEET_OVERVIEW].iter_rows(values_only=True) if r[0]}
    assert rows["Benin"][4] == (
        f"{filled} van 4 plaatsen ingevuld: slechts {speaking} kandidaten staan open voor Benin en werken "
        f"in het Frans; nog {others} staan open voor Benin maar werken niet in het Frans."
    )
    rows = {r[0]: r for r in demo_fr[0][SHEET_OVERVIEW].iter_rows(values_only=True) if r[0]}
    assert rows["Bénin"][4] == french(
        f"{filled} places pourvues sur 4 : seulement {speaking} candidats éligibles acceptent le Bénin et "
        f"travaillent en français ; {others} autres acceptent le Bénin mais ne travaillent pas en français."
    )
    # the printed report and the JSON stay English, whatever the workbook's language
    assert "Unfilled Benin: 3 of 4 slots filled: only 3 eligible candidates" in demo_fr[2]
    assert doc["unfilled"][0]["country"] == "Benin"
    assert doc["unfilled"][0]["reason"].startswith("3 of 4 slots filled")


def test_partner_reasons_follow_the_language(demo_fr: tuple[openpyxl.Workbook, dict[str, Any], str]) -> None:
    wb, doc, _ = demo_fr
    ws = wb[SHEET_PARTNERS]
    reasons = _by_name(ws, "Partenaire", "Raisons")
    linked = [p["partner"] for p in doc["partners"] if p["has_flemish_link"]]
    assert linked
    assert {reasons[p] for p in linked} == {"a déjà un jumelage avec une collectivité flamande"}


def _explained(**facts: Any) -> dict[str, Any]:
    return {s.CANDIDATE_ID: "46021", "selected": False, "why": "engine sentence", **facts}


@pytest.mark.parametrize(
    ("facts", "lang", "expected"),
    [
        (
            {
                "cause": "province_cap",
                "province": "Limburg",
                "province_taken_by": [{"candidate_id": "71022"}],
            },
            "nl",
            "Niet geselecteerd: in de provincie Limburg is al 1 kandidaat geselecteerd (Hasselt). "
            "Het staat gelijk en verliest op de volgorde bij gelijke waarde.",
        ),
        (
            {
                "cause": "province_cap",
                "province": "Limburg",
                "province_taken_by": [{"candidate_id": "71022"}],
            },
            "fr",
            "Non retenu : la province de Limbourg compte déjà 1 candidat retenu (Hasselt). "
            "Il est à égalité et perd au départage.",
        ),
    ],
)
def test_singular_province_cap_and_a_tie(facts: dict[str, Any], lang: str, expected: str) -> None:
    result = make_result()
    explanations = [e for e in result.explanations if e[s.CANDIDATE_ID] != "46021"]
    explanations.append(_explained(need="tie", score_needed=0.0, **facts))
    wb = build_workbook(dataclasses.replace(result, explanations=explanations), lang=lang)
    ws = wb[SHEET_SHORTLIST]
    j = header(ws).index(label("why", lang)) + 1
    row = next(i for i in range(2, ws.max_row + 1) if str(ws.cell(row=i, column=3).value) == "46021")
    assert ws.cell(row=row, column=j).value == french(expected)


@pytest.mark.parametrize(
    ("facts", "nl", "fr"),
    [
        (
            {
                "cause": "outranked",
                "need": "score",
                "score_needed": 12.001,
                "countries": ["Benin", "Rwanda"],
                "best_value": 61.5,
                "outranked_by": [
                    {"candidate_id": "11002", "value": 80.0},
                    {"candidate_id": "12025", "value": 70.25},
                ],
                "displaces": ["12025", "34022"],
            },
            "Niet geselecteerd: de beste koppeling levert 61,50 punten op, minder dan de geselecteerde "
            "kandidaten in Benin en Rwanda (laagste: Mechelen, 70,25). Met meer dan 12,01 extra punten "
            "zou deze kandidaat Mechelen en Kortrijk vervangen.",
            "Non retenu : son meilleur couple vaut 61,50 points, moins que les candidats retenus au Bénin et "
            "au Rwanda (le dernier : Mechelen, 70,25). Avec plus de 12,01 points supplémentaires, ce "
            "candidat remplacerait Mechelen et Kortrijk.",
        ),
        (
            {"cause": "slots", "need": "slots", "outranked_by": []},
            "Niet geselecteerd. Geen hogere score helpt: "
            "met deze kandidaat erbij blijven meer plaatsen open.",
            "Non retenu. Aucun score ne suffit : avec ce candidat, plus de places resteraient vacantes.",
        ),
        (
            {
                "cause": "no_pair",
                "obstacles": [
                    {"kind": "forbidden", "partner": "Karongi", "country": "Rwanda"},
                    {
                        "kind": "below_min",
                        "partner": "Nyanza",
                        "country": "Rwanda",
                        "value": 41.5,
                        "min_value": 60,
                    },
                ],
            },
            "Niet geselecteerd: geen mogelijke koppeling (koppeling met Karongi geweigerd; koppeling met "
            "Nyanza is 41,50 punten waard, onder het minimum van 60).",
            "Non retenu : aucun couple possible (couple avec Karongi refusé ; le couple avec Nyanza vaut "
            "41,50 points, sous le minimum de 60).",
        ),
        # a record without the facts (an older result file) keeps the sentence it recorded
        ({"cause": "outranked"}, "engine sentence", "engine sentence"),
    ],
)
def test_why_sentences_in_dutch_and_french(tmp_path: Path, facts: dict[str, Any], nl: str, fr: str) -> None:
    result = make_result()
    explanations = [e for e in result.explanations if e[s.CANDIDATE_ID] != "46021"]
    explanations.append(_explained(**facts))
    for lang, expected in (("nl", nl), ("fr", fr)):
        out = write_shortlist(
            dataclasses.replace(result, explanations=explanations), tmp_path / f"{lang}.xlsx", lang=lang
        )
        ws = openpyxl.load_workbook(out)[SHEET_SHORTLIST]
        whys = dict(
            zip(map(str, column(ws, label("refnis", lang))), column(ws, label("why", lang)), strict=True)
        )
        assert whys["46021"] == french(expected)


def test_a_pair_dropped_for_a_lock_says_so_in_the_workbook_language(tmp_path: Path) -> None:
    result = make_result(changes=True)
    changes = [
        *result.changes,
        {
            s.CANDIDATE_ID: "31005",
            s.PARTNER: "Gatsibo",
            s.COUNTRY: "Rwanda",
            "change": "removed",
            "reason": "locked pair 46021=Gatsibo takes its place",
            "cause": "locked",
        },
    ]
    for lang, word, expected in (
        ("nl", "vervallen", "een vastgelegde koppeling neemt de plaats in"),
        ("fr", "supprimé", "un couple imposé prend sa place"),
    ):
        out = write_shortlist(
            dataclasses.replace(result, changes=changes), tmp_path / f"{lang}.xlsx", lang=lang
        )
        overview = [[c.value for c in row] for row in openpyxl.load_workbook(out)[SHEET_OVERVIEW].iter_rows()]
        dropped = next(r for r in overview if r[0] == word and r[1] == "Brugge")
        assert dropped[4] == expected


@pytest.mark.parametrize(
    ("gap", "lang", "expected"),
    [
        (
            {"cause": "few_partners", "eligible_partners": 2, "ineligible_partners": 1},
            "nl",
            "2 van 4 plaatsen ingevuld: slechts 2 partners in Benin komen in aanmerking "
            "(1 andere komt niet in aanmerking).",
        ),
        (
            {
                "cause": "blocked",
                "candidates": 5,
                "languages": ["fr"],
                "elsewhere": 1,
                "capped": 2,
                "capped_provinces": ["Limburg", "Oost-Vlaanderen"],
                "max_per_province": 2,
            },
            "fr",
            "2 places pourvues sur 4 : 5 candidats éligibles acceptent le Bénin et travaillent en français ; "
            "1 d'entre eux est associé à un autre pays ; 2 viennent de provinces ayant déjà atteint le "
            "maximum de 2 (Limbourg, Flandre-Orientale).",
        ),
        (
            {"cause": "blocked", "candidates": 3, "languages": [], "elsewhere": 0, "capped": 0},
            "en",
            "2 of 4 slots filled: 3 eligible candidates accept Benin; the locked pairs and the other "
            "constraints leave no more room.",
        ),
        ({"cause": None}, "fr", "recorded sentence"),
    ],
)
def test_unfilled_slots_are_explained_from_their_facts(gap: dict[str, Any], lang: str, expected: str) -> None:
    unfilled = [
        {"country": "Benin", "slots": 2, "reason": "recorded sentence", "filled": 2, "quota": 4, **gap}
    ]
    result = dataclasses.replace(make_result(), unfilled=unfilled, filled={"Rwanda": 4, "Benin": 2})
    wb = build_workbook(result, lang=lang)
    rows = {r[0]: r for r in wb[SHEET_OVERVIEW].iter_rows(values_only=True) if r[0]}
    assert rows[code_label("Benin", lang)][4] == french(expected)


def test_the_input_columns_carry_their_own_validation_and_print(tmp_path: Path) -> None:
    """The committee's input lists sit on the columns headed Beslissing / Koppelen aan, and the
    printed page reaches the decision column, whatever columns stand before them."""
    from matchmaker.pipeline import run

    sample = Path(__file__).resolve().parents[2] / "sample_data"
    result = run(sample / "candidacies.xlsx", sample / "partners.csv", reviews=[sample / "reviews"])
    book = write_shortlist(result, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(book)
    for name in (SHEET_SHORTLIST, SHEET_PAIRS):
        ws = wb[name]
        headers = {c.value: c.column_letter for c in ws[1]}
        decision = headers["Beslissing"]
        ranges = [str(dv.sqref) for dv in ws.data_validations.dataValidation]
        assert any(r.startswith(f"{decision}2:") for r in ranges), (name, ranges)
        if name == SHEET_SHORTLIST:
            assert any(r.startswith(f"{headers['Koppelen aan']}2:") for r in ranges), ranges
            area = str(ws.print_area).split(":")[-1].lstrip("$")
            last = "".join(ch for ch in area if ch.isalpha())
            assert openpyxl.utils.column_index_from_string(last) >= openpyxl.utils.column_index_from_string(
                decision
            )


def test_a_french_workbook_takes_the_call_title_rubric_and_regions_from_the_files(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "sample_data"
    out = tmp_path / "fr.xlsx"
    args = ["pair", str(sample / "candidacies.xlsx"), "--partners", str(sample / "partners.csv")]
    result = CliRunner().invoke(
        main, [*args, "--reviews", str(sample / "reviews"), "--lang", "fr", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    overview = [c.value for c in all_cells(wb) if isinstance(c.value, str)]
    # criteria file: name_fr and the rubric's label_fr; partners file: region_fr
    assert wb[SHEET_OVERVIEW]["A1"].value == "Liste restreinte – Partenariats ODD 2024-2025"
    assert "Échange d'égal à égal" in overview and "Gelijkwaardige uitwisseling" not in overview
    regions = dict(zip(column(wb[SHEET_PAIRS], "Partenaire"), column(wb[SHEET_PAIRS], "Région"), strict=True))
    assert regions["Karongi"] == "Province de l'Ouest"
    assert regions["Commune fictive A (placeholder)"] == "Département fictif 1 (placeholder)"  # as written
    assert "Western Province" not in overview
    # the engine's own French says ODD (the candidates' motivations are theirs, in Dutch)
    own = [
        c.value for name in (SHEET_OVERVIEW, SHEET_PARAMETERS) for row in wb[name].iter_rows() for c in row
    ]
    assert not [v for v in own if isinstance(v, str) and "SDG" in v]
    # the Dutch workbook keeps the Dutch title and names the region in Dutch
    nl = tmp_path / "nl.xlsx"
    result = CliRunner().invoke(main, [*args, "--out", str(nl)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(nl)
    assert wb[SHEET_OVERVIEW]["A1"].value == "Shortlist – SDG-partnerschappen 2024-2025"
    regions = dict(zip(column(wb[SHEET_PAIRS], "Partner"), column(wb[SHEET_PAIRS], "Regio"), strict=True))
    assert regions["Karongi"] == "Westelijke Provincie"
