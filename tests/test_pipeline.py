"""The whole job on the sample data, checked by an independent re-solve with scipy's MILP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from matchmaker.errors import DecisionError, InfeasibleError
from matchmaker.pipeline import run

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
FORMS = SAMPLE / "candidacies.xlsx"
PARTNERS = SAMPLE / "partners.csv"


def reference_optimum(doc: dict[str, Any]) -> tuple[int, float]:
    """Most pairs, then most value, from the JSON's own edges and constraints (scipy, not PuLP)."""
    edges = doc["edges"]
    n = len(edges)
    country = {p["partner"]: p["country"] for p in doc["partners"]}
    province = {c["candidate_id"]: c.get("province") for c in doc["candidates"]}
    cid = np.array([e["candidate_id"] for e in edges])
    pid = np.array([e["partner"] for e in edges])
    rows, hi = [], []
    for c in set(cid):
        rows.append(cid == c)
        hi.append(1)
    for p in set(pid):
        rows.append(pid == p)
        hi.append(1)
    ctry = np.array([country[p] for p in pid])
    for k, q in doc["constraints"]["per_country"].items():
        rows.append(ctry == k)
        hi.append(q)
    cap = doc["constraints"]["max_per_province"]
    prov = np.array([province[c] or "" for c in cid])
    for v in set(prov) - {""}:
        rows.append(prov == v)
        hi.append(cap)
    lb = np.zeros(n)
    for c, p in doc["constraints"]["locked"]:
        lb[(cid == c) & (pid == p)] = 1
    a = np.array(rows, dtype=float)
    value = np.array([e["value"] for e in edges])
    most = milp(
        -np.ones(n), integrality=np.ones(n), bounds=Bounds(lb, 1), constraints=LinearConstraint(a, 0, hi)
    )
    count = round(-most.fun)
    a2 = np.vstack([a, np.ones(n)])
    best = milp(
        -value,
        integrality=np.ones(n),
        bounds=Bounds(lb, 1),
        constraints=LinearConstraint(a2, [0] * len(hi) + [count], [*hi, count]),
    )
    return count, -best.fun


@pytest.fixture(scope="module")
def sample_result() -> Any:
    return run(FORMS, PARTNERS, reviews=[SAMPLE / "reviews"], alternatives=2)


def test_sample_run_is_optimal_by_an_independent_solver(sample_result: Any) -> None:
    doc = json.loads(json.dumps(sample_result.to_json()))  # what a reader of the file would get
    assert doc["schema"] == "matchmaker.result/1"
    count, best = reference_optimum(doc)
    assert len(doc["pairs"]) == count
    assert doc["objective"] == pytest.approx(best, rel=1e-9)
    assert doc["objective"] == pytest.approx(sum(p["value"] for p in doc["pairs"]))
    # the programme's own outcome in 2024: 4 Rwandan pairs, 3 Beninese
    assert doc["filled"] == {"Rwanda": 4, "Benin": 3}
    assert doc["unfilled"][0]["country"] == "Benin" and doc["unfilled"][0]["slots"] == 1
    assert "accept Benin and work in French" in doc["unfilled"][0]["reason"]


def test_sample_run_records_everything(sample_result: Any) -> None:
    doc = sample_result.to_json()
    ids = [c["candidate_id"] for c in doc["candidates"]]
    assert len(ids) == len(set(ids))
    eligible = {c["candidate_id"] for c in doc["candidates"] if c["eligible"] and c["score"] is not None}
    assert {e["candidate_id"] for e in doc["explanations"]} == eligible
    assert all(isinstance(c["completed"], str | None) for c in doc["candidates"])
    selected = {p["candidate_id"] for p in doc["pairs"]}
    assert {r["candidate_id"] for r in doc["reserves"]} <= eligible - selected
    for expl in doc["explanations"]:
        assert expl["selected"] == (expl["candidate_id"] in selected)
        assert expl["why"]
    manifest = doc["manifest"]
    roles = [i["role"] for i in manifest["inputs"]]
    assert roles[:2] == ["forms", "partners"] and roles.count("reviews") == 3
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert len(manifest["criteria_sha256"]) == 64
    assert manifest["solver"] == "cbc" and "pulp" in manifest["versions"]
    assert [a["rank"] for a in doc["alternatives"]] == [1, 2]
    assert doc["issues"] == sample_result.issues and doc["issues"]


def test_locks_and_forbids_by_name(sample_result: Any) -> None:
    first = sample_result.pairs[0]
    name = first["municipality"]
    moved = run(FORMS, PARTNERS, reviews=[SAMPLE / "reviews"], forbids=[f"{name.upper()}={first['partner']}"])
    assert (first["candidate_id"], first["partner"]) not in {
        (p["candidate_id"], p["partner"]) for p in moved.pairs
    }
    assert moved.constraints["forbidden"] == [[first["candidate_id"], first["partner"]]]
    reserve = next(r for r in sample_result.reserves if r["country"] == "Rwanda")
    locked = run(FORMS, PARTNERS, locks=[(reserve["candidate_id"], "karongi")])
    assert [reserve["candidate_id"], "Karongi"] in locked.constraints["locked"]
    assert any(p["candidate_id"] == reserve["candidate_id"] and p["locked"] for p in locked.pairs)


def test_bad_decisions_are_clear() -> None:
    with pytest.raises(DecisionError, match="no candidate 'Atlantis'"):
        run(FORMS, PARTNERS, locks=["Atlantis=Karongi"])
    with pytest.raises(DecisionError, match="no partner 'Kigali'"):
        run(FORMS, PARTNERS, locks=["Gent=Kigali"])
    with pytest.raises(DecisionError, match="CANDIDATE=PARTNER"):
        run(FORMS, PARTNERS, forbids=["Gent"])


def test_a_misspelt_decision_is_refused_with_what_was_probably_meant() -> None:
    # intake may read "Gentt" as Gent and report it; a committee's lock must not guess
    with pytest.raises(DecisionError, match="no candidate 'Gentt'; did you mean 'Gent'"):
        run(FORMS, PARTNERS, locks=["Gentt=Karongi"])
    with pytest.raises(DecisionError, match="did you mean 'Karongi'"):
        run(FORMS, PARTNERS, locks=["Gent=Karongii"])
    # an old name of a merged municipality is not a misspelling: it is the current one
    merged = run(FORMS, PARTNERS, forbids=["Kruibeke=Karongi"])
    assert merged.constraints["forbidden"] == [["46030", "Karongi"]]


def test_strict_turns_an_unfilled_slot_into_an_error() -> None:
    with pytest.raises(InfeasibleError, match="Benin: 3 of 4 slots filled") as err:
        run(FORMS, PARTNERS, strict=True)
    assert err.value.exit_code == 3


def test_options_as_a_record_or_as_keywords_give_the_same_run(sample_result: Any) -> None:
    from matchmaker.pipeline import RunOptions

    options = RunOptions(reviews=(SAMPLE / "reviews",), locks=("Gent=Karongi",))
    by_record = run(FORMS, PARTNERS, options)
    by_keywords = run(FORMS, PARTNERS, reviews=[SAMPLE / "reviews"], locks=["Gent=Karongi"])
    assert by_record.pairs == by_keywords.pairs
    # keywords win over the record's fields
    unlocked = run(FORMS, PARTNERS, options, locks=[])
    assert not any(p["locked"] for p in unlocked.pairs)
    with pytest.raises(TypeError, match="unknown option"):
        run(FORMS, PARTNERS, lock="Gent=Karongi")


def test_the_run_applies_the_committees_decisions(tmp_path: Path) -> None:
    import openpyxl

    from matchmaker.export import SHEET_PAIRS, write_shortlist

    first = run(FORMS, PARTNERS)
    book = write_shortlist(first, tmp_path / "shortlist.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb[SHEET_PAIRS]
    headers = [c.value for c in ws[1]]
    refused = (
        ws.cell(2, headers.index("Gemeente") + 1).value,
        ws.cell(2, headers.index("Partner") + 1).value,
    )
    ws.cell(2, headers.index("Beslissing") + 1).value = "weiger"
    wb.save(book)
    again = run(FORMS, PARTNERS, decisions=book)
    assert (refused[0], refused[1]) not in {(p["municipality"], p["partner"]) for p in again.pairs}
    removed = [c for c in again.changes if c["change"] == "removed"]
    assert any(c["decision"] == "forbid" and c["partner"] == refused[1] for c in removed)
    assert {c["change"] for c in again.changes} >= {"kept", "removed", "added"}
