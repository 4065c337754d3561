"""The committee's decisions: written into the shortlist workbook, read back, re-solved with."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.packaging.custom import CustomPropertyList
from result_factory import make_result

from matchmaker import schema as s
from matchmaker.audit import verify
from matchmaker.cli import main
from matchmaker.criteria import Criteria, PairingSettings
from matchmaker.decisions import read_decisions
from matchmaker.errors import DecisionError
from matchmaker.export import SHEET_PAIRS, SHEET_SHORTLIST, write_shortlist

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def decide(path: Path, sheet: str, edits: dict[str, dict[str, Any]], *, out: Path | None = None) -> Path:
    """Write values into the rows of `sheet` named by municipality: {municipality: {header: value}}."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    name_col = headers.index("Gemeente") + 1
    done = set()
    for i in range(2, ws.max_row + 1):
        name = ws.cell(row=i, column=name_col).value
        for header, value in edits.get(name, {}).items():
            ws.cell(row=i, column=headers.index(header) + 1).value = value
            done.add(name)
    assert done == set(edits), f"rows not found: {set(edits) - done}"
    target = out or path
    wb.save(target)
    return target


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_shortlist(make_result(), tmp_path / "shortlist.xlsx")


def test_an_untouched_workbook_keeps_every_pair_and_the_earlier_decisions(workbook: Path) -> None:
    decisions = read_decisions(workbook)
    pairs = {(p[s.CANDIDATE_ID], p[s.PARTNER]) for p in make_result().pairs}
    assert set(decisions.previous) == pairs
    # Gent - Karongi was locked before and is shown as "vast"; the refusal is carried over from Parameters
    assert decisions.locks == (("44021", "Karongi"),)
    assert decisions.forbids == (("46021", "Commune C (placeholder)"),)
    assert decisions.excluded == ()
    assert set(decisions.keep) == pairs


def test_vast_weiger_and_exclusions_are_read_with_their_rows(workbook: Path) -> None:
    decide(workbook, SHEET_PAIRS, {"Antwerpen": {"Beslissing": " Vast "}, "Leuven": {"Beslissing": "WEIGER"}})
    decide(
        workbook,
        SHEET_SHORTLIST,
        {"Brugge": {"Beslissing": "uitsluiten"}, "Vilvoorde": {"Koppelen aan": "Commune B (placeholder)"}},
    )
    decisions = read_decisions(workbook)
    assert set(decisions.locks) == {
        ("44021", "Karongi"),
        ("11002", "Bugesera"),
        ("23088", "Commune B (placeholder)"),
    }
    assert ("24062", "Gatsibo") in decisions.forbids
    assert decisions.excluded == ("31005",)
    # what is refused or excluded is not kept; the rest is
    assert ("24062", "Gatsibo") not in decisions.keep
    assert ("31005", "Nyanza") not in decisions.keep
    assert ("11002", "Bugesera") in decisions.keep
    # an excluded candidate is refused with every partner listed in the workbook
    forbids = set(decisions.all_forbids())
    partners = [p[s.PARTNER] for p in make_result().partners]
    assert {("31005", p) for p in partners} <= forbids
    assert decisions.source("lock", ("11002", "Bugesera")) == {"sheet": SHEET_PAIRS, "row": 3}
    assert decisions.source("exclude", ("31005", "")) == {"sheet": SHEET_SHORTLIST, "row": 5}


def test_english_and_french_words_are_understood(tmp_path: Path) -> None:
    out = write_shortlist(make_result(), tmp_path / "en.xlsx", lang="en")
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET_PAIRS]
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("Decision") + 1).value = "keep"
    ws.cell(row=4, column=headers.index("Decision") + 1).value = "refuser"
    wb.save(out)
    decisions = read_decisions(out)
    assert ("11002", "Bugesera") in decisions.locks
    assert ("24062", "Gatsibo") in decisions.forbids


def test_two_locks_on_one_partner_name_both_rows(workbook: Path) -> None:
    decide(workbook, SHEET_SHORTLIST, {"Vilvoorde": {"Koppelen aan": "Karongi"}})
    with pytest.raises(DecisionError) as caught:
        read_decisions(workbook)
    message = str(caught.value)
    assert "Karongi is kept with more than one candidate" in message
    assert "Koppelingen row 2" in message and "Shortlist row 9" in message
    assert str(workbook) in message


def test_two_locks_for_one_candidate_name_both_rows(workbook: Path) -> None:
    decide(workbook, SHEET_SHORTLIST, {"Gent": {"Koppelen aan": "Bugesera"}})
    with pytest.raises(DecisionError, match=r"Gent is kept with more than one partner \(Karongi, Bugesera"):
        read_decisions(workbook)


def test_a_pair_both_kept_and_refused_is_a_contradiction(workbook: Path) -> None:
    decide(workbook, SHEET_PAIRS, {"Antwerpen": {"Beslissing": "vast"}})
    decide(workbook, SHEET_SHORTLIST, {"Antwerpen": {"Beslissing": "weiger", "Koppelen aan": "Bugesera"}})
    with pytest.raises(DecisionError, match="Antwerpen – Bugesera is both kept and refused"):
        read_decisions(workbook)


def test_an_excluded_candidate_cannot_be_kept(workbook: Path) -> None:
    decide(workbook, SHEET_SHORTLIST, {"Gent": {"Beslissing": "uitsluiten"}})
    with pytest.raises(
        DecisionError, match=r"Gent is both excluded and kept with Karongi \(Koppelingen row 2"
    ):
        read_decisions(workbook)


def test_locks_beyond_a_quota_or_a_province_cap_are_refused(workbook: Path) -> None:
    decide(workbook, SHEET_PAIRS, {"Antwerpen": {"Beslissing": "vast"}, "Mechelen": {"Beslissing": "vast"}})
    tight_quota = Criteria(version=1, name="t", pairing=PairingSettings(quotas={"Rwanda": 1, "Benin": 4}))
    with pytest.raises(DecisionError, match=r"2 pairs kept for Rwanda, but its quota is 1: Gent – Karongi"):
        read_decisions(workbook, criteria=tight_quota)
    one_per_province = Criteria(version=1, name="t", pairing=PairingSettings(max_per_province=1))
    with pytest.raises(DecisionError, match=r"2 pairs kept in province Antwerpen, but at most 1") as caught:
        read_decisions(workbook, criteria=one_per_province)
    assert "Antwerpen – Bugesera (Koppelingen row 3)" in str(caught.value)
    assert "Mechelen – Commune B (placeholder) (Koppelingen row 7)" in str(caught.value)
    # within the default limits the same decisions are fine
    assert len(read_decisions(workbook, criteria=Criteria(version=1, name="t")).locks) == 3


def test_every_unclear_row_is_reported_at_once(workbook: Path) -> None:
    decide(workbook, SHEET_PAIRS, {"Antwerpen": {"Beslissing": "misschien"}})
    decide(
        workbook,
        SHEET_SHORTLIST,
        {"Genk": {"Beslissing": "vast"}, "Aalst": {"Koppelen aan": "Atlantis"}},
    )
    with pytest.raises(DecisionError) as caught:
        read_decisions(workbook)
    message = str(caught.value)
    assert "Koppelingen row 3: unknown decision 'misschien'; write 'vast' or 'weiger'" in message
    assert "Shortlist row 11: 'vast' needs a partner in column 'Koppelen aan'" in message
    assert "unknown partner 'Atlantis'" in message


def test_files_that_are_not_shortlists_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DecisionError, match="file not found"):
        read_decisions(tmp_path / "none.xlsx")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(DecisionError, match=r"notes\.xlsx: not a readable \.xlsx workbook"):
        read_decisions(text)
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(DecisionError, match="no sheet 'Koppelingen'"):
        read_decisions(other)


def test_changes_name_the_decision_and_the_pair_replaced(workbook: Path) -> None:
    decide(workbook, SHEET_PAIRS, {"Kortrijk": {"Beslissing": "weiger"}, "Antwerpen": {"Beslissing": "vast"}})
    decisions = read_decisions(workbook)
    before = make_result()
    pairs = [dict(p) for p in before.pairs]
    kortrijk = next(p for p in pairs if p[s.CANDIDATE_ID] == "34022")
    kortrijk[s.CANDIDATE_ID] = "23088"  # Vilvoorde takes Commune C
    after = dataclasses.replace(before, pairs=pairs)
    changes = {(c[s.CANDIDATE_ID], c[s.PARTNER]): c for c in decisions.changes(after)}
    removed = changes[("34022", "Commune C (placeholder)")]
    assert removed["change"] == "removed" and removed["decision"] == "forbid"
    assert removed["source"] == {"sheet": SHEET_PAIRS, "row": 8}
    assert removed["related"] == [["23088", "Commune C (placeholder)"]]
    added = changes[("23088", "Commune C (placeholder)")]
    assert added["change"] == "added" and added["decision"] is None
    assert added["related"] == [["34022", "Commune C (placeholder)"]]
    assert changes[("11002", "Bugesera")]["change"] == "kept"
    assert changes[("11002", "Bugesera")]["decision"] == "lock"
    assert len(changes) == len(before.pairs) + 1


# --- end to end, on the sample data ------------------------------------------------------------------


@pytest.fixture(scope="module")
def first_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("round")
    for name in ("candidacies.xlsx", "partners.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    shutil.copytree(SAMPLE / "reviews", folder / "reviews")
    result = CliRunner().invoke(main, [*pair_args(folder), "--out", str(folder / "r1.xlsx")])
    assert result.exit_code == 0, result.output
    return folder


def pair_args(folder: Path) -> list[str]:
    return [
        "pair",
        str(folder / "candidacies.xlsx"),
        "--partners",
        str(folder / "partners.csv"),
        "--reviews",
        str(folder / "reviews"),
    ]


def test_round_trip_re_solves_with_the_decisions_and_marks_the_changes(
    first_round: Path, tmp_path: Path
) -> None:
    r1 = openpyxl.load_workbook(first_round / "r1.xlsx")[SHEET_PAIRS]
    headers = [c.value for c in r1[1]]
    rows = [dict(zip(headers, (c.value for c in row), strict=True)) for row in r1.iter_rows(min_row=2)]
    keep, refuse = rows[0], rows[-1]
    decided = decide(
        first_round / "r1.xlsx",
        SHEET_PAIRS,
        {keep["Gemeente"]: {"Beslissing": "vast"}, refuse["Gemeente"]: {"Beslissing": "weiger"}},
        out=tmp_path / "decided.xlsx",
    )
    args = [*pair_args(first_round), "--decisions", str(decided), "--out", str(tmp_path / "r2.xlsx")]
    result = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "r2.json")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    now = {(p["candidate_id"], p["partner"]) for p in doc["pairs"]}
    assert (str(keep["NIS-code"]), keep["Partner"]) in now
    assert (str(refuse["NIS-code"]), refuse["Partner"]) not in now
    assert [str(keep["NIS-code"]), keep["Partner"]] in doc["constraints"]["locked"]
    # as few other pairs as possible change: at most the refused pair and what replaces it
    before = {(str(r["NIS-code"]), r["Partner"]) for r in rows}
    assert len(before - now) <= 2
    removed = [c for c in doc["changes"] if c["change"] == "removed"]
    assert {"decision": "forbid", "source": {"sheet": SHEET_PAIRS, "row": len(rows) + 1}}.items() <= removed[
        0
    ].items()
    # the terminal says so too, with the decision's row
    assert "Changes from the previous shortlist:" in result.stdout
    assert (
        f"removed: {refuse['Gemeente']} with {refuse['Partner']} (forbid, {SHEET_PAIRS} row {len(rows) + 1})"
        in result.stdout
    )
    # the new workbook shows the lock as "vast" and marks the change
    r2 = openpyxl.load_workbook(tmp_path / "r2.xlsx")
    pairs = r2[SHEET_PAIRS]
    h2 = [c.value for c in pairs[1]]
    marks = {row[0].value: row[h2.index("Wijziging")].value for row in pairs.iter_rows(min_row=2)}
    decisions = {row[0].value: row[h2.index("Beslissing")].value for row in pairs.iter_rows(min_row=2)}
    assert decisions[keep["Gemeente"]] == "vast"
    assert marks[keep["Gemeente"]].startswith("behouden: beslissing 'vast' (Koppelingen rij 2)")
    overview = [[c.value for c in row] for row in r2["Overzicht"].iter_rows()]
    gone = next(r for r in overview if r[0] == "vervallen")
    assert gone[1:3] == [refuse["Gemeente"], refuse["Partner"]]
    assert gone[4].startswith(f"beslissing 'weiger' (Koppelingen rij {len(rows) + 1})")
    # a third round from the new workbook keeps the refusal: it is carried on the Parameters sheet
    third = read_decisions(tmp_path / "r2.xlsx")
    assert (str(refuse["NIS-code"]), refuse["Partner"]) in third.forbids


def test_the_decisions_workbook_is_not_overwritten(first_round: Path) -> None:
    target = first_round / "r1.xlsx"
    before = target.read_bytes()
    result = CliRunner().invoke(
        main, [*pair_args(first_round), "--decisions", str(target), "--out", str(target)]
    )
    assert result.exit_code == 2
    assert "is also an input" in result.output
    assert target.read_bytes() == before


def test_contradictory_decisions_stop_the_command_with_exit_2(first_round: Path, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(first_round / "r1.xlsx")[SHEET_PAIRS]
    first, second = ws.cell(row=2, column=1).value, ws.cell(row=3, column=1).value
    partner = ws.cell(row=2, column=4).value
    decided = decide(
        first_round / "r1.xlsx", SHEET_PAIRS, {first: {"Beslissing": "vast"}}, out=tmp_path / "d.xlsx"
    )
    decided = decide(decided, SHEET_SHORTLIST, {second: {"Koppelen aan": partner}})
    result = CliRunner().invoke(
        main, [*pair_args(first_round), "--decisions", str(decided), "--out", str(tmp_path / "o.xlsx")]
    )
    assert result.exit_code == 2
    assert f"{partner} is kept with more than one candidate" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.xlsx").exists()


def test_a_pair_pushed_out_by_a_chosen_partner_says_why_in_french(first_round: Path, tmp_path: Path) -> None:
    pairs = openpyxl.load_workbook(first_round / "r1.xlsx")[SHEET_PAIRS]
    headers = [c.value for c in pairs[1]]
    shown = [dict(zip(headers, (c.value for c in row), strict=True)) for row in pairs.iter_rows(min_row=2)]
    target = shown[0]  # its partner goes to a candidate the committee picks on the Shortlist
    reserves = openpyxl.load_workbook(first_round / "r1.xlsx")["Reservelijst"]
    newcomer = reserves.cell(row=2, column=3).value
    decided = decide(
        first_round / "r1.xlsx",
        "Shortlist",
        {newcomer: {"Koppelen aan": target["Partner"]}},
        out=tmp_path / "d.xlsx",
    )
    out = tmp_path / "r2.xlsx"
    args = [*pair_args(first_round), "--decisions", str(decided), "--lang", "fr", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "r2.json")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    gone = next(c for c in doc["changes"] if c["change"] == "removed")
    assert (gone["candidate_id"], gone["partner"]) == (str(target["NIS-code"]), target["Partner"])
    assert gone["cause"] == "locked" and gone["decision"] is None
    overview = [[c.value for c in row] for row in openpyxl.load_workbook(out)["Overzicht"].iter_rows()]
    row = next(r for r in overview if r[0] == "supprimé")
    assert row[1:3] == [target["Gemeente"], target["Partner"]]
    assert row[4] == f"remplacé par {newcomer} – {target['Partner']}\u00a0; un couple imposé prend sa place"


def test_a_partner_typed_in_koppelen_aan_is_matched_without_case_or_spaces(workbook: Path) -> None:
    decide(workbook, SHEET_SHORTLIST, {"Vilvoorde": {"Koppelen aan": "  commune b   (PLACEHOLDER) "}})
    assert ("23088", "Commune B (placeholder)") in read_decisions(workbook).locks


def test_a_misspelt_partner_in_koppelen_aan_says_what_was_meant(workbook: Path) -> None:
    decide(workbook, SHEET_SHORTLIST, {"Vilvoorde": {"Koppelen aan": "Bugesra"}})
    with pytest.raises(DecisionError) as caught:
        read_decisions(workbook)
    assert "Shortlist row 9: unknown partner 'Bugesra'; did you mean 'Bugesera'?" in str(caught.value)


def test_a_lock_from_the_workbook_on_an_unknown_candidate_names_its_sheet_and_row(
    first_round: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(first_round / "r1.xlsx")
    ws = wb[SHEET_PAIRS]
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("NIS-code") + 1).value = "99999"
    ws.cell(row=3, column=headers.index("Beslissing") + 1).value = "vast"
    decided = tmp_path / "d.xlsx"
    wb.save(decided)
    result = CliRunner().invoke(
        main, [*pair_args(first_round), "--decisions", str(decided), "--out", str(tmp_path / "o.xlsx")]
    )
    assert result.exit_code == 2, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert f"{decided}, sheet '{SHEET_PAIRS}' row 3: lock 99999=" in line
    assert "no candidate '99999'" in line
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.xlsx").exists()


def test_a_refused_pair_moves_its_candidate_to_another_partner(first_round: Path, tmp_path: Path) -> None:
    pairs = openpyxl.load_workbook(first_round / "r1.xlsx")[SHEET_PAIRS]
    headers = [c.value for c in pairs[1]]
    before = [dict(zip(headers, (c.value for c in row), strict=True)) for row in pairs.iter_rows(min_row=2)]
    refused = next(r for r in before if r["Gemeente"] == "Merelbeke-Melle")
    assert refused["Partner"] == "Karongi"
    decided = decide(
        first_round / "r1.xlsx",
        SHEET_PAIRS,
        {"Merelbeke-Melle": {"Beslissing": "weiger"}},
        out=tmp_path / "d.xlsx",
    )
    args = [*pair_args(first_round), "--decisions", str(decided), "--out", str(tmp_path / "r2.xlsx")]
    result = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "r2.json")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    now = {p["candidate_id"]: p["partner"] for p in doc["pairs"]}
    mm = str(refused["NIS-code"])
    # it stays selected with another partner; every candidate of the first round stays in
    assert mm in now and now[mm] != "Karongi"
    assert len(now) == len(before)
    assert set(now) == {str(r["NIS-code"]) for r in before}
    # nothing was kept by the committee: no sentence may say so, and every change has its cause
    assert not doc["constraints"]["locked"]
    for change in doc["changes"]:
        if change["change"] != "kept":
            assert change["cause"] or change["decision"], change
    moved = [c for c in doc["changes"] if c["change"] == "removed" and c["decision"] is None]
    assert all(c["cause"] in {"stay", "more_kept", "more_value", "tie"} for c in moved)


def test_a_withdrawn_country_moves_its_candidates_where_they_qualify(
    first_round: Path, tmp_path: Path
) -> None:
    # Rwanda suspends the cooperation: its partners leave the list, and Halle, asked, accepts Benin
    # and can work in French (it could not pair there in the first round)
    folder = tmp_path / "round2"
    shutil.copytree(first_round, folder)
    lines = (folder / "partners.csv").read_text(encoding="utf-8").splitlines()
    rwanda = [line.split(",")[0] for line in lines[1:] if ",Rwanda," in line]
    (folder / "partners.csv").write_text(
        "\n".join(line for line in lines if ",Rwanda," not in line) + "\n", encoding="utf-8"
    )
    form = openpyxl.load_workbook(folder / "candidacies.xlsx")
    ws = form.active
    assert ws is not None
    heads = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[heads.index("Naam van het lokaal bestuur")].value == "Stad Halle (1500)":
            row[heads.index("Voorkeur partnerland")].value = "Geen voorkeur"
            row[heads.index("In welke talen kan uw delegatie werken?")].value = "Nederlands;Frans;Engels;"
    form.save(folder / "candidacies.xlsx")
    before = json.loads(_first_json(first_round, tmp_path))
    args = [
        *pair_args(folder),
        "--decisions",
        str(first_round / "r1.xlsx"),
        "--out",
        str(tmp_path / "r2.xlsx"),
    ]
    result = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "r2.json")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    now = {p["candidate_id"]: (p["partner"], p["country"]) for p in doc["pairs"]}
    was = {p["candidate_id"]: (p["partner"], p["country"]) for p in before["pairs"]}
    halle = next(p["candidate_id"] for p in before["pairs"] if p["municipality"] == "Halle")
    assert was[halle][0] in rwanda
    assert now[halle][1] == "Benin"
    # the Benin pairs of the first round stay, and no pair is left in Rwanda
    assert {c: v for c, v in was.items() if v[1] == "Benin"}.items() <= now.items()
    assert all(country != "Rwanda" for _, country in now.values())
    for change in doc["changes"]:
        if change["change"] != "kept":
            assert change["cause"] or change["decision"], change
    gone = {c["partner"]: c["cause"] for c in doc["changes"] if c["change"] == "removed"}
    assert gone == dict.fromkeys(rwanda, "no_partner")
    added = next(c for c in doc["changes"] if c["change"] == "added")
    assert (added["candidate_id"], added["cause"]) == (halle, "moved")


def _first_json(first_round: Path, tmp_path: Path) -> str:
    out = tmp_path / "r1.json"
    args = [*pair_args(first_round), "--out", str(tmp_path / "r1.xlsx"), "--json", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _rows(path: Path, sheet: str) -> dict[str, dict[str, Any]]:
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    rows = [dict(zip(headers, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]
    return {r["Gemeente"]: r for r in rows if r.get("Gemeente")}


def _round(folder: Path, decided: Path, out: Path) -> dict[str, Any]:
    args = [*pair_args(folder), "--decisions", str(decided), "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--json", str(out.with_suffix(".json"))])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return doc


def test_standing_decisions_and_notes_come_back_where_they_were_made(
    first_round: Path, tmp_path: Path
) -> None:
    r1 = first_round / "r1.xlsx"
    pairs = _rows(r1, SHEET_PAIRS)
    halle, mm = str(pairs["Halle"]["NIS-code"]), str(pairs["Merelbeke-Melle"]["NIS-code"])
    decided = decide(
        r1,
        SHEET_PAIRS,
        {
            "Merelbeke-Melle": {"Beslissing": "weiger", "Opmerking": "liever een ander district"},
            "Aalst": {"Opmerking": "bezoek gepland in mei"},
        },
        out=tmp_path / "d1.xlsx",
    )
    decide(decided, SHEET_SHORTLIST, {"Halle": {"Beslissing": "uitsluiten"}})
    r2 = tmp_path / "r2.xlsx"
    doc = _round(first_round, decided, r2)
    assert doc["constraints"]["excluded"] == [halle]
    # the exclusion is one decision, not a refusal per partner
    assert doc["constraints"]["forbidden"] == [[mm, "Karongi"]]
    assert doc["manifest"]["options"]["exclude"] == [halle]
    # round 2 shows each decision again in the row where it was made, and the notes in their rows
    shortlist, koppelingen = _rows(r2, SHEET_SHORTLIST), _rows(r2, SHEET_PAIRS)
    assert shortlist["Halle"]["Beslissing"] == "uitsluiten"
    assert (shortlist["Merelbeke-Melle"]["Beslissing"], shortlist["Merelbeke-Melle"]["Koppelen aan"]) == (
        "weiger",
        "Karongi",
    )
    assert koppelingen["Aalst"]["Opmerking"] == "bezoek gepland in mei"
    # its pair is gone (refused): the note goes with the candidate, naming the partner it was about
    assert "Karongi" not in {r["Partner"] for r in koppelingen.values() if r["Gemeente"] == "Merelbeke-Melle"}
    assert shortlist["Merelbeke-Melle"]["Opmerking"] == "Karongi: liever een ander district"
    assert not any(
        r["Beslissing"] for name, r in shortlist.items() if name not in {"Halle", "Merelbeke-Melle"}
    )
    # the round verifies: re-run with its decisions (the candidates selected before included)
    report = verify(r2.with_suffix(".json"))
    assert report.ok, report.lines()
    # the untouched round-2 workbook reads back to the same decisions (no refusals on Parameters)
    again = read_decisions(r2)
    assert again.excluded == (halle,) and again.forbids == ((mm, "Karongi"),)
    doc3 = _round(first_round, r2, tmp_path / "r3.xlsx")
    assert doc3["constraints"]["excluded"] == [halle]
    assert [mm, "Karongi"] in doc3["constraints"]["forbidden"]
    assert _rows(tmp_path / "r3.xlsx", SHEET_PAIRS)["Aalst"]["Opmerking"] == "bezoek gepland in mei"
    # clearing the two cells in round 2 lifts both decisions in round 3
    wb = openpyxl.load_workbook(r2)
    ws = wb[SHEET_SHORTLIST]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("Gemeente")].value in {"Halle", "Merelbeke-Melle"}:
            row[headers.index("Beslissing")].value = None
            row[headers.index("Koppelen aan")].value = None
    cleared = tmp_path / "cleared.xlsx"
    wb.save(cleared)
    lifted = read_decisions(cleared)
    assert lifted.excluded == () and lifted.forbids == ()
    doc4 = _round(first_round, cleared, tmp_path / "r4.xlsx")
    assert doc4["constraints"]["excluded"] == [] and doc4["constraints"]["forbidden"] == []
    edges = {(e["candidate_id"], e["partner"]) for e in doc4["edges"]}
    assert (mm, "Karongi") in edges and any(c == halle for c, _ in edges)
    shortlist4 = _rows(tmp_path / "r4.xlsx", SHEET_SHORTLIST)
    assert not shortlist4["Halle"]["Beslissing"] and not shortlist4["Merelbeke-Melle"]["Beslissing"]


def test_a_withdrawal_is_replaced_as_the_next_round_would_replace_it(
    first_round: Path, tmp_path: Path
) -> None:
    """The replacement named for Halle is what the committee gets by excluding Halle: the same
    pairs, as round 2 with 'uitsluiten' on Halle's row."""
    doc = json.loads(_first_json(first_round, tmp_path))
    halle = next(p["candidate_id"] for p in doc["pairs"] if p["municipality"] == "Halle")
    said = next(r for r in doc["replacements"] if r["candidate_id"] == halle)
    brasschaat = next(e["candidate_id"] for e in doc["explanations"] if e["municipality"] == "Brasschaat")
    assert (said["replacement"], said["partner"], said["moves"]) == (brasschaat, "Gatsibo", [])
    # the reserves: Oudenaarde and Zulte need fewer points, but their province is full
    rwanda = [r for r in doc["reserves"] if r["country"] == "Rwanda"]
    assert [r["municipality"] for r in rwanda[:3]] == ["Oudenaarde", "Zulte", "Brasschaat"]
    assert [r["own_province"] for r in rwanda[:3]] == [True, True, False]
    assert [r["score_needed"] for r in rwanda] == sorted(r["score_needed"] for r in rwanda)
    decided = decide(
        tmp_path / "r1.xlsx",
        SHEET_SHORTLIST,
        {"Halle": {"Beslissing": "uitsluiten"}},
        out=tmp_path / "d.xlsx",
    )
    round2 = _round(first_round, decided, tmp_path / "r2.xlsx")
    before = {(p["candidate_id"], p["partner"]) for p in doc["pairs"]}
    after = {(p["candidate_id"], p["partner"]) for p in round2["pairs"]}
    expected = {p for p in before if p[0] != halle} | {(brasschaat, "Gatsibo")}
    assert after == expected
    assert round2["objective"] == pytest.approx(said["objective"])


def test_a_second_round_says_what_the_decisions_cost(first_round: Path, tmp_path: Path) -> None:
    # the committee excludes the best Benin candidate: its slot stays open, the total drops by its value
    r1 = openpyxl.load_workbook(first_round / "r1.xlsx")
    pairs = r1[SHEET_PAIRS]
    headers = [c.value for c in pairs[1]]
    before = [dict(zip(headers, (c.value for c in row), strict=True)) for row in pairs.iter_rows(min_row=2)]
    total_before = sum(r["Waarde koppeling"] for r in before)
    best = max((r for r in before if r["Land"] == "Benin"), key=lambda r: r["Waarde koppeling"])
    decided = decide(
        first_round / "r1.xlsx",
        SHEET_SHORTLIST,
        {best["Gemeente"]: {"Beslissing": "uitsluiten"}},
        out=tmp_path / "decided.xlsx",
    )
    args = [*pair_args(first_round), "--decisions", str(decided), "--out", str(tmp_path / "r2.xlsx")]
    result = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "r2.json")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    total_after = sum(p["value"] for p in doc["pairs"])
    cost = doc["cost"]
    assert cost["total_value_before"] == pytest.approx(total_before)
    assert cost["total_value"] == pytest.approx(total_after)
    assert cost["difference"] == pytest.approx(total_after - total_before)
    assert (cost["filled_before"], cost["filled"]) == (len(before), len(doc["pairs"]))
    removed = next(c for c in doc["changes"] if c["change"] == "removed")
    assert removed["value"] == pytest.approx(best["Waarde koppeling"])
    assert f"total value {total_before:.2f} -> {total_after:.2f}" in result.stdout

    def shown(value: float) -> str:
        return f"{value:.1f}".replace(".", ",")

    total_before, total_after = cost["total_value_before"], cost["total_value"]

    overview = [
        c.value for row in openpyxl.load_workbook(tmp_path / "r2.xlsx")["Overzicht"].iter_rows() for c in row
    ]
    texts = [v for v in overview if isinstance(v, str)]
    assert f"Totale waarde van de koppelingen: {shown(total_before)} → {shown(total_after)}" in "\n".join(
        texts
    )
    assert f"de beslissingen kosten {shown(total_before - total_after)} punten" in "\n".join(texts)
    assert f"Ingevulde plaatsen: {len(before)} → {len(doc['pairs'])}." in texts
    row = next(
        r
        for r in openpyxl.load_workbook(tmp_path / "r2.xlsx")["Overzicht"].iter_rows(values_only=True)
        if r[0] == "vervallen"
    )
    assert row[1] == best["Gemeente"] and row[3] == pytest.approx(-best["Waarde koppeling"])

    # a workbook that does not record its total (saved without the document properties): the
    # total now, the points per change, and a sentence saying the previous total is not known
    wb = openpyxl.load_workbook(decided)
    wb.custom_doc_props = CustomPropertyList()
    wb.save(tmp_path / "bare.xlsx")
    args = [*pair_args(first_round), "--decisions", str(tmp_path / "bare.xlsx"), "--lang", "fr"]
    result = CliRunner().invoke(
        main, [*args, "--out", str(tmp_path / "r2fr.xlsx"), "--json", str(tmp_path / "b.json")]
    )
    assert result.exit_code == 0, result.output
    cost = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["cost"]
    assert cost["total_value_before"] is None and cost["difference"] is None
    assert "the previous workbook does not record its total" in result.stdout
    texts = [
        c.value
        for row in openpyxl.load_workbook(tmp_path / "r2fr.xlsx")["Overzicht"].iter_rows()
        for c in row
    ]
    assert any(
        isinstance(t, str)
        and t.startswith(f"Valeur totale des couples à présent\u00a0: {shown(total_after)}.")
        for t in texts
    )
