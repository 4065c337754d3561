"""Every claim of every explanation holds, checked against brute force on random small instances."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker import schema as s
from matchmaker.criteria import Criteria
from matchmaker.pairing import UNIT, solve_pairing

from .helpers import (
    all_pairings,
    brute_force,
    cand,
    chosen,
    criteria,
    frame,
    instances,
    partner,
    solve_with_a_lock,
)


def _check_claims(result: object, cands: pd.DataFrame, crit: Criteria, locks: list[tuple[str, str]]) -> None:
    best = chosen(result)
    assert best == brute_force(result, cands, crit, locks=locks)
    value = {(e["candidate_id"], e["partner"]): round(e["value"] * UNIT) for e in result.edges}  # type: ignore[attr-defined]
    holder = {p: c for c, p in best}
    province = dict(zip(cands[s.CANDIDATE_ID], cands[s.PROVINCE], strict=True))
    cap = crit.pairing.max_per_province
    everything = all_pairings(result, cands, crit, locks=locks)
    top = max(k for k, _ in everything)
    for e in result.explanations:  # type: ignore[attr-defined]
        cid = e["candidate_id"]
        mine = {p: v for (c, p), v in value.items() if c == cid}
        assert e["selected"] == (cid in holder.values())
        if e["selected"]:
            continue
        assert (e["cause"] == "no_pair") == (not mine)
        if not mine:
            continue
        # every comparison: a selected rival, not locked, on a partner it may have, values as they are
        for r in e["outranked_by"]:
            assert holder[r["partner"]] == r["candidate_id"]
            assert (r["candidate_id"], r["partner"]) not in set(locks)
            assert round(r["own_value"] * UNIT) == mine[r["partner"]]
            assert round(r["value"] * UNIT) == value[(r["candidate_id"], r["partner"])]
        if e["outranked_by"] and e["cause"] in ("outranked", "tie", "slots", "kept", "province_cap"):
            first = e["outranked_by"][0]
            lower = first["own_value"] < first["value"]
            if e["cause"] != "province_cap":
                assert ("no less than" in e["why"]) == (not lower), e["why"]
        # the province cap is named exactly when one more seat for the province would select it
        prov = province[cid]
        full = cap is not None and not pd.isna(prov) and sum(1 for c, _ in best if province[c] == prov) >= cap
        if full:
            relaxed = brute_force(result, cands, crit, seat=prov, locks=locks)
            assert (e["cause"] == "province_cap") == (cid in {c for c, _ in relaxed}), e
        else:
            assert e["cause"] != "province_cap"
        if e["cause"] == "quota":
            for country in e["quota_full"]:
                taken = sum(1 for _, p in best if _country(result, p) == country)
                assert taken == crit.pairing.quotas[country]
        if e["cause"] == "locks":
            assert all(p in holder and (holder[p], p) in set(locks) for p in mine)
        # the score needed: what the best pairing with it at the same slot count is short of the best
        with_it = [k for k, pairs in everything if cid in {c for c, _ in pairs} and k[0] == top[0]]
        if e["need"] == "slots":
            assert not with_it
        elif e["need"] in ("score", "tie"):
            short = (top[3] - max(k[3] for k in with_it)) / UNIT
            assert e["score_needed"] == pytest.approx(short, abs=1e-6)
            assert (e["need"] == "tie") == (short <= 0)
            assert set(e["displaces"]) <= {c for c, _ in best}
            # exactly the ones the tie-break chain drops: of the best pairings with it, the earliest
            # selection in tie-break order (the key's third part), as a raised score would choose
            top_with = max(k[1] for k in with_it)
            pick = max(
                (k, pairs)
                for k, pairs in everything
                if k[0] == top[0] and k[1] == top_with and cid in {c for c, _ in pairs}
            )
            assert set(e["displaces"]) == {c for c, _ in best} - {c for c, _ in pick[1]}


def _country(result: object, partner_name: str) -> str:
    return next(p["country"] for p in result.partners if p["partner"] == partner_name)  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_every_claim_holds_against_brute_force(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]], data: st.DataObject
) -> None:
    result, locks = solve_with_a_lock(case, data)
    _check_claims(result, case[0], case[2], locks)


def test_a_locked_pair_is_never_the_comparison() -> None:
    """Locked Gent is not a rival anyone is compared with; the comparison is on the same partner."""
    rows = [
        cand("1", 60, pref="Rwanda", minutes=1),
        cand("2", 80, pref="Rwanda", minutes=2),
        cand("3", 70, pref="Rwanda", minutes=3, themes=["sdg6"]),
    ]
    parts = frame([partner("Karongi", "Rwanda"), partner("Nyanza", "Rwanda", themes=["sdg6"])])
    crit = criteria({"Rwanda": 2})
    result = solve_pairing(frame(rows), parts, crit, locks=[("1", "Karongi")])
    three = next(e for e in result.explanations if e["candidate_id"] == "3")
    assert [r["candidate_id"] for r in three["outranked_by"]] == ["2"]
    assert three["outranked_by"][0]["partner"] == "Nyanza"
    _check_claims(result, frame(rows), crit, [("1", "Karongi")])


def test_a_full_province_is_not_the_reason_when_a_seat_more_would_not_help() -> None:
    rows = [
        cand("1", 90, pref="Rwanda", province="Limburg", minutes=1),
        cand("2", 85, pref="Rwanda", province="Antwerpen", minutes=2),
        cand("3", 50, pref="Rwanda", province="Limburg", minutes=3),
    ]
    parts = frame([partner("Karongi", "Rwanda"), partner("Nyanza", "Rwanda")])
    crit = criteria({"Rwanda": 2}, cap=1)
    result = solve_pairing(frame(rows), parts, crit)
    three = next(e for e in result.explanations if e["candidate_id"] == "3")
    assert three["cause"] == "outranked" and "Limburg" not in three["why"]
    _check_claims(result, frame(rows), crit, [])
