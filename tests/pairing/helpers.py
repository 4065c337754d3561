"""Shared builders of the pairing tests: rows, criteria, random instances, brute force."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Sequence
from typing import Any

import pandas as pd
import pytest
from hypothesis import strategies as st

from matchmaker import schema as s
from matchmaker.criteria import Criteria, FitSettings, PairingSettings
from matchmaker.pairing import UNIT

BASE = dt.datetime(2023, 10, 1, 9, 0)


def cand(
    cid: str,
    score: float,
    pref: str | None = "any",
    langs: Sequence[str] = ("nl", "en", "fr"),
    themes: Sequence[str] = (),
    province: str | None = None,
    minutes: int = 0,
    eligible: bool = True,
) -> dict[str, Any]:
    return {
        s.CANDIDATE_ID: cid,
        s.SUBMISSION_ID: int(cid) if cid.isdigit() else 0,
        s.COMPLETED: pd.Timestamp(BASE + dt.timedelta(minutes=minutes)),
        s.REFNIS: cid,
        s.MUNICIPALITY: f"M{cid}",
        s.PROVINCE: province,
        s.ELIGIBLE: eligible,
        s.REASONS: [] if eligible else ["refused a commitment"],
        s.SCORE: score if eligible else None,
        s.BREAKDOWN: {"motivation": score} if eligible else None,
        s.COUNTRY_PREFERENCE: pref,
        s.LANGUAGES: list(langs),
        s.THEMES: list(themes),
    }


def frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows))


def partner(name: str, country: str, themes: Sequence[str] = (), linked: bool = False) -> dict[str, Any]:
    return {
        s.PARTNER: name,
        s.COUNTRY: country,
        s.REGION: "R",
        s.PARTNER_THEMES: list(themes),
        s.PARTNER_LANGUAGES: ["fr"] if country == "Benin" else ["en", "fr"],
        s.HAS_FLEMISH_LINK: linked,
        "eligible": not linked,
        "reasons": ["has a city link with a Flemish local government"] if linked else [],
    }


def criteria(
    quotas: dict[str, int] | None = None,
    cap: int | None = None,
    fit: FitSettings | None = None,
    **kw: Any,
) -> Criteria:
    pairing = PairingSettings(
        quotas=quotas or {"Rwanda": 4, "Benin": 4},
        max_per_province=cap,
        fit=fit or FitSettings(),
        **kw,
    )
    return Criteria(version=1, name="test", pairing=pairing)


def chosen(result: Any) -> set[tuple[str, str]]:
    return {(p["candidate_id"], p["partner"]) for p in result.pairs}


def four() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [cand(str(k), 100 - 10 * k, pref="Rwanda", minutes=k) for k in range(1, 5)]
    parts = frame([partner("Karongi", "Rwanda"), partner("Bugesera", "Rwanda")])
    return frame(rows), parts


@st.composite
def instances(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]]:
    n = draw(st.integers(1, 5))
    m = draw(st.integers(1, 4))
    rows = []
    for k in range(n):
        rows.append(
            cand(
                str(10 + k),
                draw(st.sampled_from([50.0, 60.0, 70.0, 62.5])),  # few values, so ties happen
                pref=draw(st.sampled_from(["Rwanda", "Benin", "any", None])),
                langs=draw(st.lists(st.sampled_from(["nl", "fr", "en"]), unique=True)),
                themes=draw(st.lists(st.sampled_from(list(s.THEME_CODES)), unique=True, max_size=3)),
                province=draw(st.sampled_from(["Limburg", "Antwerpen", None])),
                minutes=draw(st.integers(0, 3)),
            )
        )
    parts = [
        partner(
            f"P{k}",
            draw(st.sampled_from(["Rwanda", "Benin"])),
            draw(st.lists(st.sampled_from(list(s.THEME_CODES)), unique=True, max_size=2)),
            linked=draw(st.booleans()) and k == 0,
        )
        for k in range(m)
    ]
    crit = criteria(
        {"Rwanda": draw(st.integers(0, 2)), "Benin": draw(st.integers(0, 2))},
        cap=draw(st.sampled_from([None, 1, 2])),
    )
    forbids = draw(
        st.lists(
            st.tuples(
                st.sampled_from([r[s.CANDIDATE_ID] for r in rows]),
                st.sampled_from([p["partner"] for p in parts]),
            ),
            max_size=2,
        )
    )
    return frame(rows), frame(parts), crit, forbids


def all_pairings(
    result: Any,
    cands: pd.DataFrame,
    crit: Criteria,
    *,
    seat: str | None = None,
    locks: Sequence[tuple[str, str]] = (),
    without: str | None = None,
    stay: Collection[str] = (),
    keep: Collection[tuple[str, str]] = (),
) -> list[tuple[tuple[Any, ...], set[tuple[str, str]]]]:
    """Every feasible set of pairs by enumeration, each with its key: (slots, the `stay` candidates
    selected, the `keep` pairs kept, value, then the tie-break chain); the greatest key is the chosen
    pairing. `seat`: one more seat under the province cap for this province; `without`: a candidate
    left out."""
    order = cands.sort_values([s.COMPLETED, s.REFNIS])[s.CANDIDATE_ID].tolist()
    province = dict(zip(cands[s.CANDIDATE_ID], cands[s.PROVINCE], strict=True))
    country = {p["partner"]: p["country"] for p in result.partners}
    position = {p["partner"]: k for k, p in enumerate(result.partners)}
    options: dict[str, list[tuple[str, int]]] = {c: [] for c in order}
    for e in result.edges:
        if e["candidate_id"] != without:
            options[e["candidate_id"]].append((e["partner"], round(e["value"] * UNIT)))
    out: list[tuple[tuple[Any, ...], set[tuple[str, str]]]] = []
    for picks in itertools.product(*[[None, *options[c]] for c in order]):
        used = [(c, p) for c, p in zip(order, picks, strict=True) if p is not None]
        partners_used = [p[0] for _, p in used]
        if len(set(partners_used)) < len(partners_used):
            continue
        if any(sum(country[p] == k for p in partners_used) > q for k, q in crit.pairing.quotas.items()):
            continue
        cap = crit.pairing.max_per_province
        provs = [province[c] for c, _ in used if not pd.isna(province[c])]
        if cap is not None and any(provs.count(v) > cap + (v == seat) for v in provs):
            continue
        pairs = {(c, p[0]) for c, p in used}
        if not set(locks) <= pairs:
            continue
        key = (
            len(used),
            len(set(stay) & {c for c, _ in pairs}),
            len(set(keep) & pairs),
            sum(p[1] for _, p in used),
            tuple(int(p is not None) for p in picks),  # earlier candidates in, lexicographically
            tuple(-position[p[0]] for p in picks if p is not None),  # then earlier partners
        )
        out.append((key, pairs))
    return out


def brute_force(
    result: Any,
    cands: pd.DataFrame,
    crit: Criteria,
    *,
    seat: str | None = None,
    locks: Sequence[tuple[str, str]] = (),
) -> set[tuple[str, str]]:
    """The best set of pairs by enumeration: by (slots, value), then the tie-break chain."""
    found = all_pairings(result, cands, crit, seat=seat, locks=locks)
    return max(found, key=lambda kv: kv[0])[1] if found else set()


def check_invariants(
    result: Any, cands: pd.DataFrame, crit: Criteria, forbids: Sequence[tuple[str, str]]
) -> None:
    rows = cands.set_index(s.CANDIDATE_ID)
    partners = {p["partner"]: p for p in result.partners}
    used = [p["partner"] for p in result.pairs]
    assert len(used) == len(set(used))
    ids = [p["candidate_id"] for p in result.pairs]
    assert len(ids) == len(set(ids))
    for k, q in crit.pairing.quotas.items():
        assert sum(partners[p]["country"] == k for p in used) <= q
    cap = crit.pairing.max_per_province
    provs = [rows.loc[c, s.PROVINCE] for c in ids if not pd.isna(rows.loc[c, s.PROVINCE])]
    assert cap is None or all(provs.count(v) <= cap for v in provs)
    for e in result.edges:
        row = rows.loc[e["candidate_id"]]
        target = partners[e["partner"]]
        assert row[s.ELIGIBLE] and target["eligible"]
        pref = row[s.COUNTRY_PREFERENCE]
        assert pd.isna(pref) or pref in ("any", target["country"])
        if target["country"] == "Benin":
            assert "fr" in row[s.LANGUAGES]
        assert (e["candidate_id"], e["partner"]) not in set(forbids)
        assert e["value"] == pytest.approx(sum(e["breakdown"].values()))
    assert result.objective == pytest.approx(sum(p["value"] for p in result.pairs))


def solve_with_a_lock(
    case: tuple[pd.DataFrame, pd.DataFrame, Criteria, list[tuple[str, str]]], data: st.DataObject
) -> tuple[Any, list[tuple[str, str]]]:
    """A drawn instance solved with its forbids and, half of the time, one of its pairs locked."""
    from matchmaker.pairing import solve_pairing

    cands, parts, crit, forbids = case
    first = solve_pairing(cands, parts, crit, forbids=forbids, explain=False)
    locks: list[tuple[str, str]] = []
    if first.edges and data.draw(st.booleans()):
        edge = data.draw(st.sampled_from(first.edges))
        locks = [(edge["candidate_id"], edge["partner"])]
    return solve_pairing(cands, parts, crit, forbids=forbids, locks=locks), locks
