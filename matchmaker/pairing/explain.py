"""The facts behind a pairing: why each candidate is (not) selected, why slots stay unfilled, why
a kept pair changed. The `why` and `reason` fields are those facts worded by `i18n.wording` in English.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

import numpy as np

from ..criteria import PairingSettings
from ..i18n.wording import change_reason, unfilled_text, why_text
from ..schema import ChangeRecord, ExplanationRecord
from .counterfactual import Forced
from .instance import EDGE_TERMS, UNIT, VALUE_DECIMALS, Instance, Pair, Solution, _Table, pair_obstacle


def _obstacle_key(data: dict[str, Any]) -> tuple[Any, ...]:
    """What tells obstacles apart in a list: the partner, except for the preference and language
    obstacles, which say the same of every partner of the country."""
    if data["kind"] in ("preference", "language"):
        return (data["kind"], data["country"])
    return (data["kind"], data["partner"])


def no_pair_obstacles(table: _Table, i: int, settings: PairingSettings) -> list[dict[str, Any]]:
    """Why a candidate has no allowed pair at all: per country up to 3 distinct obstacles (as
    `pair_obstacle`, or kind no_partner), leaving out partners nobody may have."""
    out: list[dict[str, Any]] = []
    for country in sorted(set(table.countries)):
        cols = [j for j, c in enumerate(table.countries) if c == country]
        usable = [j for j in cols if table.partner_ok[j]]
        found = [pair_obstacle(table, i, j, settings) for j in (usable or cols[:1])]
        if not usable and found[0] is None:
            found = [{"kind": "no_partner", "partner": None, "country": country}]
        distinct: dict[tuple[Any, ...], dict[str, Any]] = {}
        for data in found:
            if data is not None:
                distinct.setdefault(_obstacle_key(data), data)
        out += list(distinct.values())[:3]
    return out


def diagnose(
    table: _Table, inst: Instance, best: Solution, country: str, quota: int, settings: PairingSettings
) -> dict[str, Any]:
    """The cause of unfilled slots in one country: `reason` in plain words, a `cause` code
    (few_partners | no_partners | few_candidates | blocked) and the counts behind it."""
    ej, ei = inst.edge_partner, inst.edge_cand
    filled = sum(1 for e in best.edges if inst.countries[int(ej[e])] == country)
    in_country = [j for j, c in enumerate(table.countries) if c == country]
    n_partners = int(sum(bool(table.partner_ok[j]) for j in in_country))
    facts: dict[str, Any] = {
        "filled": filled,
        "quota": quota,
        "eligible_partners": n_partners,
        "ineligible_partners": len(in_country) - n_partners,
    }
    rule = settings.languages.get(country)
    hard_languages = list(rule.any_of) if rule is not None and rule.mode == "hard" else None

    def done(cause: str) -> dict[str, Any]:
        return {
            "reason": unfilled_text({"country": country, "cause": cause, **facts}, "en"),
            "cause": cause,
            **facts,
        }

    if n_partners < quota and n_partners == filled:
        return done("few_partners")
    cols = np.array(in_country, dtype=np.int64)
    if len(cols) == 0:
        return done("no_partners")
    ok = table.partner_ok[cols]
    accept = table.pref_ok[:, cols][:, ok].any(axis=1) if ok.any() else np.zeros(len(table.ids), bool)
    speak = (table.pref_ok & table.lang_ok)[:, cols][:, ok].any(axis=1) if ok.any() else accept
    with_edge = {int(ei[e]) for e in range(inst.n_edges) if inst.countries[int(ej[e])] == country}
    facts.update(
        candidates=len(with_edge),
        accepting=int(accept.sum()),
        language_ok=int(speak.sum()),
        languages=hard_languages or [],
    )
    if len(with_edge) <= filled:
        return done("few_candidates")
    # enough candidates in principle: they are taken elsewhere or blocked by the province cap
    elsewhere = []
    capped: dict[str, list[str]] = {}
    chosen = {int(ei[e]): int(ej[e]) for e in best.edges}
    per_province: dict[str, int] = {}
    for i in chosen:
        prov = inst.provinces[i]
        if prov is not None:
            per_province[prov] = per_province.get(prov, 0) + 1
    for i in sorted(with_edge):
        if i in chosen:
            if inst.countries[chosen[i]] != country:
                elsewhere.append(table.ids[i])
            continue
        prov = inst.provinces[i]
        if (
            settings.max_per_province is not None
            and prov is not None
            and per_province.get(prov, 0) >= settings.max_per_province
        ):
            capped.setdefault(prov, []).append(table.ids[i])
    facts.update(
        elsewhere=len(elsewhere),
        capped=sum(len(v) for v in capped.values()),
        capped_provinces=sorted(capped),
        max_per_province=settings.max_per_province,
    )
    return done("blocked")


def explain(
    table: _Table,
    inst: Instance,
    best: Solution,
    forced: dict[int, Forced],
    label: list[str],
    settings: PairingSettings,
    explain: bool,
    tie_break: Sequence[str],
    capped: Collection[int] = (),
    missed: Mapping[str, Collection[int]] | None = None,
) -> list[ExplanationRecord]:
    """One record per eligible scored candidate: selected or not, the cause, the facts, the score
    it would need (from the `forced` re-solves) and the sentence. `capped`: the unselected
    candidates that one more seat for their province would select (the province cap binds).
    `missed`: per kind ("whatif", "province_cap"), the candidates whose answer the time budget
    left uncomputed: their records say so (`not_computed`), with no value in its place."""
    missed = missed or {}
    ei, ej = inst.edge_cand, inst.edge_partner
    chosen = {int(ei[e]): e for e in best.edges}
    with_edges = set(ei.tolist())
    per_province: dict[str, list[int]] = {}
    for i in chosen:
        prov = inst.provinces[i]
        if prov is not None:
            per_province.setdefault(prov, []).append(i)
    known = dict(zip(table.ids, label, strict=True))
    out: list[ExplanationRecord] = []
    for i, cid in enumerate(table.ids):
        rec: dict[str, Any] = {
            "candidate_id": cid,
            "municipality": label[i],
            "selected": i in chosen,
            "partner": None,
            "country": None,
            "cause": None,
            "why": "",
            "score_needed": None,
            "displaces": [],
        }
        if i in chosen:
            e = chosen[i]
            j = int(ej[e])
            terms = {t: int(table.terms[t][i, j]) / UNIT for t in EDGE_TERMS}
            locked = e in set(inst.locks)
            value = int(inst.edge_value[e]) / UNIT
            rec.update(
                partner=table.names[j],
                country=table.countries[j],
                cause="locked" if locked else "selected",
                score_needed=0.0,
                value=value,
                breakdown=terms,
            )
        elif i not in with_edges:
            obstacles = no_pair_obstacles(table, i, settings)
            rec.update(cause="no_pair", obstacles=obstacles)
        else:
            rec.update(
                _unselected(
                    table,
                    inst,
                    best,
                    forced.get(i),
                    i,
                    label,
                    settings,
                    per_province,
                    explain,
                    tie_break,
                    i in capped,
                )
            )
            lost = []
            if i in missed.get("whatif", ()):
                lost += ["score_needed", "displaces"]
                rec.update(need="budget", score_needed=None, displaces=[])
            if i in missed.get("province_cap", ()):
                lost.append("cause")  # whether one more seat for its province would select it
            if lost:
                rec["not_computed"] = lost
        rec["why"] = why_text(rec, known, "en") or ""
        out.append(cast(ExplanationRecord, rec))  # built up case by case, the record's keys
    return out


# causes a re-solve's finding (no score helps, a tie) says more precisely
_WEAK = ("outranked", "quota", "locks")


def _unselected(
    table: _Table,
    inst: Instance,
    best: Solution,
    forced: Forced | None,
    i: int,
    label: list[str],
    settings: PairingSettings,
    per_province: dict[str, list[int]],
    explain: bool,
    tie_break: Sequence[str],
    capped: bool,
) -> dict[str, Any]:
    ei, ej = inst.edge_cand, inst.edge_partner
    mine = [e for e in range(inst.n_edges) if int(ei[e]) == i]
    countries = sorted({inst.countries[int(ej[e])] for e in mine})
    best_mine = max(int(inst.edge_value[e]) for e in mine) / UNIT
    prov = inst.provinces[i]
    cap = settings.max_per_province
    cause = "outranked"
    # the facts the sentence is worded from, in English here and in the workbook's language there
    facts: dict[str, Any] = {
        "countries": countries,
        "best_value": best_mine,
        "province": prov,
        "max_per_province": cap,
        "province_taken_by": [],
        "outranked_by": [],
        "quota_full": [],
        "tie_break": list(tie_break),
    }
    if capped and prov is not None:
        # one more seat for the province would select it (a re-solve showed it): the cap binds
        cause = "province_cap"
        facts["province_taken_by"] = [
            {"candidate_id": table.ids[k], "municipality": label[k]} for k in sorted(per_province[prov])
        ]
    # The competitors it could have displaced: the selected candidates, not locked by the committee,
    # on a partner it may pair with; each compared on that partner (its value there vs theirs).
    taken = {int(ej[e]): e for e in best.edges}
    locked = set(inst.locks)
    contests: list[tuple[int, int, int]] = []  # (margin, partner, rival edge)
    free: set[str] = set()
    for e in mine:
        j = int(ej[e])
        f = taken.get(j)
        if f is None:
            free.add(inst.countries[j])
        elif f not in locked:
            contests.append((int(inst.edge_value[f]) - int(inst.edge_value[e]), j, e))
    contests.sort()
    facts["outranked_by"] = [
        {
            "candidate_id": table.ids[int(ei[taken[j]])],
            "municipality": label[int(ei[taken[j]])],
            "country": inst.countries[j],
            "partner": inst.partners[j],
            "value": int(inst.edge_value[taken[j]]) / UNIT,
            "own_value": int(inst.edge_value[e]) / UNIT,
        }
        for _, j, e in contests[:5]
    ]
    facts["outranked_count"] = len(contests)
    filled: dict[str, int] = {}
    for e in best.edges:
        filled[inst.countries[int(ej[e])]] = filled.get(inst.countries[int(ej[e])], 0) + 1
    facts["quota_full"] = sorted(c for c in free if filled.get(c, 0) >= int(inst.quotas.get(c, 0)))
    if cause == "outranked" and not contests:
        cause = "quota" if facts["quota_full"] else "locks" if not free else cause
    rec: dict[str, Any] = {"cause": cause, **facts}
    # Raising this candidate's score by d adds exactly d to every pairing that includes it (it sits in
    # at most one pair, and every pair value counts its score once) and changes no other pairing; the
    # slot count and the kept-pair count do not depend on scores. The best pairing without it is the
    # chosen one (value V*); the best with it has value V_c. It is selected once V_c + d > V*, and at
    # V_c + d = V* the tie-break decides: so the exact increase needed is V* - V_c, from one re-solve.
    # need: what a higher score would do (score | tie | slots | stay | kept | time_limit | not_computed)
    needed: float | None = None
    if not explain:
        rec["need"] = "not_computed"
    elif forced is None:
        rec["need"] = "time_limit"
    elif not forced.includable or forced.count < best.count:
        cause = "slots" if cause in _WEAK else cause
        rec["need"] = "slots"
    elif forced.stayed < best.stayed:
        rec["need"] = "stay"
    elif forced.kept < best.kept or forced.value is None:
        rec["need"] = "kept"
    else:
        needed = round((best.value - forced.value) / UNIT, VALUE_DECIMALS)
        out = sorted({int(ei[e]) for e in best.edges} - {int(ei[e]) for e in forced.edges})
        rec["displaces"] = [table.ids[k] for k in out]
        rec["need"] = "tie" if needed <= 0 else "score"
        if needed <= 0:
            cause = "tie" if cause in _WEAK else cause
    rec.update(cause=cause, score_needed=needed)
    return rec


def changes(
    table: _Table,
    pairs: Sequence[Mapping[str, Any]],
    keep: list[Pair],
    locks: list[Pair],
    settings: PairingSettings,
    dropped: Mapping[Pair, str] | None = None,
) -> list[ChangeRecord]:
    """The pairs of the previous shortlist (`keep`) that were dropped, with the cause, and the new ones.

    `dropped` holds the stage that dropped each pair that stays allowed (`dropped_causes`).
    """
    out: list[ChangeRecord] = []
    if not keep:
        return out
    now = {(p["candidate_id"], p["partner"]) for p in pairs}
    for c, p in keep:
        if (c, p) in now:
            continue
        # cause: not_candidate | no_partner | locked | an obstacle kind (pair_obstacle) | the stage
        # that drops it: more_slots | stay | more_kept | more_value | tie
        obstacle: dict[str, Any] | None = None
        in_lock = [lp for lp in locks if (lp[0] == c) != (lp[1] == p)]
        if c not in table.row_of:
            cause = "not_candidate"
        elif p not in table.col_of:
            cause = "no_partner"
        elif (obstacle := pair_obstacle(table, table.row_of[c], table.col_of[p], settings)) is not None:
            cause = obstacle["kind"]
        elif in_lock:
            cause = "locked"
        else:
            cause = (dropped or {}).get((c, p), "more_slots")
        record: dict[str, Any] = {
            "candidate_id": c,
            "partner": p,
            "change": "dropped",
            "reason": None,
            "cause": cause,
            "obstacle": obstacle,
        }
        record["reason"] = change_reason(record, "en")
        out.append(cast(ChangeRecord, record))
    kept_set = set(keep)
    for pr in pairs:
        if (pr["candidate_id"], pr["partner"]) not in kept_set:
            added = {"candidate_id": pr["candidate_id"], "partner": pr["partner"], "change": "added"}
            out.append(cast(ChangeRecord, {**added, "reason": change_reason(added, "en"), "cause": "new"}))
    return out
