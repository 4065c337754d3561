"""The pairing's input: the pair table of the candidates and partners, encoded as an `Instance`.

Also the one check of the committee's locks, and the facts of why a pair is not allowed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .. import schema as s
from ..criteria import Criteria, PairingSettings
from ..errors import DecisionError, InfeasibleError, MatchmakerError
from ..i18n.wording import obstacle_phrase

# Pair values are kept as whole numbers of 10**-6 points inside the model: every objective is then
# integral, so an absolute gap of 0.5 proves exact optimality and "value >= best" needs no tolerance.
VALUE_DECIMALS = 6
UNIT = 10**VALUE_DECIMALS
EDGE_TERMS = ("score", "preference", "themes", "language")
FIT_TERMS = EDGE_TERMS[1:]
SOLVERS = ("cbc", "highs")
DISTINCT = ("pairs", "selection")

Pair = tuple[str, str]  # (candidate id, partner)


@dataclass(frozen=True)
class Instance:
    """The core's whole input: who may pair with whom, at what value, under which limits.

    Candidates come in tie-break order (earlier wins a tie), partners in file order (earlier goes
    to the earlier candidate when nothing else decides). Values are integers in units of 1/UNIT:
    `edge_value` is what the model maximises, the sum of `edge_score` (the candidate's score) and
    `edge_fit` (the fit terms of the pair), kept apart so that scores can change without the fit.
    """

    candidates: tuple[str, ...]
    provinces: tuple[str | None, ...]
    partners: tuple[str, ...]
    countries: tuple[str, ...]  # per partner
    edge_cand: np.ndarray[Any, np.dtype[np.int64]]
    edge_partner: np.ndarray[Any, np.dtype[np.int64]]
    edge_value: np.ndarray[Any, np.dtype[np.int64]]
    quotas: Mapping[str, int]
    max_per_province: int | None = None
    locks: tuple[int, ...] = ()  # edge indices
    keep: tuple[int, ...] = ()  # edge indices
    keep_selected: tuple[int, ...] = ()  # candidate indices: selected before, to stay selected
    fit: np.ndarray[Any, np.dtype[np.int64]] | None = None  # the fit part of edge_value; None: no fit

    @property
    def n_edges(self) -> int:
        return len(self.edge_cand)

    @property
    def edge_fit(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """The fit part of each edge's value (preference, themes, language), in units."""
        return np.zeros(self.n_edges, dtype=np.int64) if self.fit is None else self.fit

    @property
    def edge_score(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """The score part of each edge's value (the candidate's score), in units."""
        score: np.ndarray[Any, np.dtype[np.int64]] = self.edge_value - self.edge_fit
        return score

    def with_edge_scores(self, scores: np.ndarray[Any, Any]) -> Instance:
        """The same instance with other score parts per edge (units), the fit parts unchanged."""
        fit = self.edge_fit
        value = np.asarray(scores, dtype=np.int64) + fit
        return dataclasses.replace(self, edge_value=value, fit=fit)

    @classmethod
    def assignment(cls, values: np.ndarray[Any, Any]) -> Instance:
        """The pure assignment problem: every candidate may pair with every partner of one country,
        at `values[i, j]` (integers in units of 1/UNIT), no other limit. For comparisons with
        `scipy.optimize.linear_sum_assignment`."""
        n, m = values.shape
        ci, pj = np.nonzero(np.ones((n, m), dtype=bool))
        return cls(
            candidates=tuple(f"c{i}" for i in range(n)),
            provinces=(None,) * n,
            partners=tuple(f"p{j}" for j in range(m)),
            countries=("X",) * m,
            edge_cand=ci.astype(np.int64),
            edge_partner=pj.astype(np.int64),
            edge_value=values[ci, pj].astype(np.int64),
            quotas={"X": m},
        )


@dataclass(frozen=True)
class Solution:
    """One pairing: the chosen edge indices and its lexicographic objective."""

    edges: tuple[int, ...]
    count: int
    kept: int
    value: int  # units of 1/UNIT
    optimal: bool
    stayed: int = 0  # of the instance's `keep_selected` candidates, how many are selected


# --- the pair table -------------------------------------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if value is None or value is pd.NA:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v) for v in value]


def _text_or_none(value: Any) -> str | None:
    if s.is_missing(value):
        return None
    text = str(value).strip()
    return text or None


REQUIRED_CANDIDATE_COLUMNS = (
    s.CANDIDATE_ID,
    s.ELIGIBLE,
    s.SCORE,
    s.COUNTRY_PREFERENCE,
    s.LANGUAGES,
    s.THEMES,
    s.PROVINCE,
    s.MUNICIPALITY,
)
REQUIRED_PARTNER_COLUMNS = (s.PARTNER, s.COUNTRY, s.PARTNER_THEMES, s.PARTNER_LANGUAGES)


def _check_frames(candidates: pd.DataFrame, partners: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_CANDIDATE_COLUMNS if c not in candidates.columns]
    if missing:
        raise MatchmakerError(f"the candidates table lacks column(s) {', '.join(missing)} (score it first)")
    missing = [c for c in REQUIRED_PARTNER_COLUMNS if c not in partners.columns]
    if missing:
        raise MatchmakerError(f"the partners table lacks column(s) {', '.join(missing)}")
    ids = candidates[s.CANDIDATE_ID].astype(str)
    doubled = sorted(set(ids[ids.duplicated()]))
    if doubled:
        raise MatchmakerError(f"candidate id(s) {', '.join(doubled)} appear more than once")
    names = partners[s.PARTNER].astype(str)
    doubled = sorted(set(names[names.duplicated()]))
    if doubled:
        raise MatchmakerError(f"partner(s) {', '.join(doubled)} appear more than once")


def _chain_order(pool: pd.DataFrame, tie_break: Sequence[str]) -> pd.DataFrame:
    """Sort the pool by the tie-break chain (ascending, missing last), then by candidate id."""
    keys = [k for k in tie_break if k in pool.columns and k != s.CANDIDATE_ID]
    unknown = [k for k in tie_break if k not in pool.columns]
    if unknown:
        raise MatchmakerError(f"tie-break key(s) {', '.join(unknown)} are not candidate fields")
    frame = pool.assign(_id=pool[s.CANDIDATE_ID].astype(str))
    return frame.sort_values([*keys, "_id"], na_position="last", kind="mergesort").drop(columns="_id")


@dataclass
class _Table:
    """The vectorised pair table: masks and value terms for every pool candidate x partner."""

    pool: pd.DataFrame  # eligible scored candidates in tie-break order
    partners: pd.DataFrame
    ids: list[str]
    names: list[str]
    countries: list[str]
    partner_ok: np.ndarray[Any, Any]
    pref_ok: np.ndarray[Any, Any]
    lang_ok: np.ndarray[Any, Any]
    forbidden: np.ndarray[Any, Any]
    above_min: np.ndarray[Any, Any]
    terms: dict[str, np.ndarray[Any, Any]]  # units, per term
    value: np.ndarray[Any, Any]  # units

    @property
    def allowed(self) -> np.ndarray[Any, Any]:
        allowed: np.ndarray[Any, Any] = (
            self.partner_ok[None, :] & self.pref_ok & self.lang_ok & ~self.forbidden & self.above_min
        )
        return allowed

    @cached_property
    def edges(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """The allowed pairs, the model's edges: candidate row and partner column per edge."""
        ei, ej = np.nonzero(self.allowed)
        return ei, ej

    @cached_property
    def edge_index(self) -> dict[tuple[int, int], int]:
        """The edge of each allowed (row, column)."""
        ei, ej = self.edges
        return {(int(i), int(j)): e for e, (i, j) in enumerate(zip(ei, ej, strict=True))}

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.ids)}

    @cached_property
    def col_of(self) -> dict[str, int]:
        return {p: j for j, p in enumerate(self.names)}

    def edge(self, pair: Pair) -> int | None:
        """The edge of an allowed (candidate id, partner), None when the pair is not an edge."""
        i, j = self.row_of.get(pair[0]), self.col_of.get(pair[1])
        return None if i is None or j is None else self.edge_index.get((i, j))


def _bits(lists: Sequence[list[str]], codes: dict[str, int]) -> np.ndarray[Any, Any]:
    out = np.zeros(len(lists), dtype=np.int64)
    for k, items in enumerate(lists):
        mask = 0
        for item in items:
            mask |= 1 << codes.setdefault(item, len(codes))
        out[k] = mask
    return out


def _table(
    pool: pd.DataFrame, partners: pd.DataFrame, settings: PairingSettings, forbids: Iterable[Pair]
) -> _Table:
    ids = pool[s.CANDIDATE_ID].astype(str).tolist()
    names = partners[s.PARTNER].astype(str).tolist()
    countries = partners[s.COUNTRY].astype(str).tolist()
    n, m = len(ids), len(names)
    if "eligible" in partners.columns:
        eligible = partners["eligible"].astype(bool).to_numpy()
    elif s.HAS_FLEMISH_LINK in partners.columns:  # a table not made by read_partners
        eligible = ~partners[s.HAS_FLEMISH_LINK].astype(bool).to_numpy()
    else:
        eligible = np.ones(m, dtype=bool)
    in_quota = np.array([settings.quotas.get(c, 0) > 0 for c in countries], dtype=bool)
    partner_ok = eligible & in_quota
    country_codes = {c: k for k, c in enumerate(sorted(set(countries)))}
    pcountry = np.array([country_codes[c] for c in countries], dtype=np.int64)
    prefs = [_text_or_none(v) for v in pool[s.COUNTRY_PREFERENCE]]
    # -1: no answer (both countries, no bonus); -2: "any"; else the country's code
    pref = np.array([-1 if p is None else -2 if p == "any" else country_codes.get(p, -3) for p in prefs])
    match = pref[:, None] == pcountry[None, :]
    open_ = (pref < -0.5) & (pref > -2.5)
    pref_ok = match | open_[:, None]
    fit = settings.fit
    pref_term = np.where(match, fit.preference_match, np.where((pref == -2)[:, None], fit.no_preference, 0.0))

    lang_codes: dict[str, int] = {}
    cand_lang = _bits([_as_list(v) for v in pool[s.LANGUAGES]], lang_codes)
    part_lang = _bits([_as_list(v) for v in partners[s.PARTNER_LANGUAGES]], lang_codes)
    need = np.zeros(m, dtype=np.int64)
    hard = np.zeros(m, dtype=bool)
    for j, country in enumerate(countries):
        rule = settings.languages.get(country)
        if rule is None:  # no rule for the country: the partner's own languages give the bonus
            need[j] = part_lang[j]
        else:
            need[j] = _bits([list(rule.any_of)], lang_codes)[0]
            hard[j] = rule.mode == "hard"
    speaks = (cand_lang[:, None] & need[None, :]) != 0
    lang_ok = speaks | ~hard[None, :]
    lang_term = np.where(speaks, fit.language_match, 0.0)

    theme_codes: dict[str, int] = {}
    cand_theme = _bits([_as_list(v) for v in pool[s.THEMES]], theme_codes)
    part_theme = _bits([_as_list(v) for v in partners[s.PARTNER_THEMES]], theme_codes)
    shared = np.bitwise_count((cand_theme[:, None] & part_theme[None, :]).astype(np.uint64)).astype(float)
    offered = np.bitwise_count(part_theme.astype(np.uint64)).astype(float)
    share = np.divide(shared, offered[None, :], out=np.zeros((n, m)), where=offered[None, :] > 0)
    theme_term = fit.theme_overlap * share

    score = pool[s.SCORE].astype(float).to_numpy()
    terms = {
        "score": np.rint(np.repeat(score[:, None], m, axis=1) * UNIT).astype(np.int64),
        "preference": np.rint(pref_term * UNIT).astype(np.int64),
        "themes": np.rint(theme_term * UNIT).astype(np.int64),
        "language": np.rint(lang_term * UNIT).astype(np.int64),
    }
    value = terms["score"] + terms["preference"] + terms["themes"] + terms["language"]
    above_min = (
        np.ones((n, m), dtype=bool)
        if settings.min_value is None
        else value >= round(settings.min_value * UNIT)
    )
    forbidden = np.zeros((n, m), dtype=bool)
    row = {c: i for i, c in enumerate(ids)}
    col = {p: j for j, p in enumerate(names)}
    for c, p in forbids:
        if c in row and p in col:
            forbidden[row[c], col[p]] = True
    return _Table(
        pool,
        partners,
        ids,
        names,
        countries,
        partner_ok,
        pref_ok,
        lang_ok,
        forbidden,
        above_min,
        terms,
        value,
    )


def pair_table(
    candidates: pd.DataFrame, partners: pd.DataFrame, criteria: Criteria, forbids: Iterable[Pair] = ()
) -> _Table:
    """The pair table of the eligible scored candidates (in tie-break order) and the partners."""
    scored = candidates[s.SCORE].notna() & candidates[s.ELIGIBLE].fillna(False).astype(bool)
    pool = _chain_order(candidates[scored], criteria.tie_break).reset_index(drop=True)
    return _table(pool, partners.reset_index(drop=True), criteria.pairing, forbids)


def pair_obstacle(table: _Table, i: int, j: int, settings: PairingSettings) -> dict[str, Any] | None:
    """Why candidate i may not pair with partner j, as a `kind` code and the facts behind it.

    Kinds: no_slots, partner_not_eligible (reasons), preference (asked), language (languages),
    forbidden, below_min (value, min_value). None when the pair is allowed. `i18n.wording.obstacle_phrase`
    words them, in English here and in the workbook's language there.
    """
    partner = table.names[j]
    country = table.countries[j]
    row = table.partners.iloc[j]
    base: dict[str, Any] = {"partner": partner, "country": country}
    if not table.partner_ok[j]:
        if country not in settings.quotas or settings.quotas.get(country, 0) <= 0:
            return {"kind": "no_slots", **base}
        reasons = _as_list(row.get("reasons")) if "reasons" in row else []
        return {"kind": "partner_not_eligible", **base, "reasons": reasons}
    if not table.pref_ok[i, j]:
        asked = _text_or_none(table.pool.iloc[i][s.COUNTRY_PREFERENCE])
        return {"kind": "preference", **base, "asked": asked}
    if not table.lang_ok[i, j]:
        return {"kind": "language", **base, "languages": list(settings.languages[country].any_of)}
    if table.forbidden[i, j]:
        return {"kind": "forbidden", **base}
    if not table.above_min[i, j]:
        worth = round(int(table.value[i, j]) / UNIT, VALUE_DECIMALS)
        return {"kind": "below_min", **base, "value": worth, "min_value": settings.min_value}
    return None


# --- the one lock check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockConflict:
    """Locks (or a lock and a forbid) that no pairing can honour together, before any solve.

    `kind`: both (a pair locked and forbidden), candidate or partner (one side locked twice),
    quota (a country's locks beyond its quota), province (a province's locks beyond the cap).
    `key` is the candidate, partner, country or province concerned; `limit` the quota or cap.
    """

    kind: str
    pairs: tuple[Pair, ...]
    key: str
    limit: int | None = None


def lock_conflicts(
    locks: Iterable[Pair],
    forbids: Iterable[Pair] = (),
    *,
    country_of: Mapping[str, str] | None = None,
    province_of: Mapping[str, str | None] | None = None,
    quotas: Mapping[str, int] | None = None,
    max_per_province: int | None = None,
) -> list[LockConflict]:
    """The one check of locks against each other and the limits: every conflict, in a fixed order.

    The committee's decisions (with their rows) and the pairing's own locks (with the candidates'
    names) both word what this finds; a limit is checked only where its facts are given.
    """
    locks = list(dict.fromkeys((str(c), str(p)) for c, p in locks))
    forbidden = {(str(c), str(p)) for c, p in forbids}
    found = [LockConflict("both", (pair,), pair[0]) for pair in locks if pair in forbidden]
    for side, kind in ((1, "partner"), (0, "candidate")):
        groups: dict[str, list[Pair]] = {}
        for pair in locks:
            groups.setdefault(pair[side], []).append(pair)
        found += [LockConflict(kind, tuple(g), key) for key, g in groups.items() if len(g) > 1]
    if country_of is not None and quotas is not None:
        per_country: dict[str, list[Pair]] = {}
        for pair in locks:
            if pair[1] in country_of:
                per_country.setdefault(country_of[pair[1]], []).append(pair)
        for country, group in per_country.items():
            quota = quotas.get(country)
            if quota is not None and len(group) > quota:
                found.append(LockConflict("quota", tuple(group), country, int(quota)))
    if province_of is not None and max_per_province is not None:
        per_province: dict[str, list[Pair]] = {}
        for pair in locks:
            province = province_of.get(pair[0])
            if province is not None:
                per_province.setdefault(province, []).append(pair)
        for province, group in per_province.items():
            if len(group) > max_per_province:
                found.append(LockConflict("province", tuple(group), province, max_per_province))
    return found


def check_locks(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    locks: Iterable[Pair],
    forbids: Iterable[Pair] = (),
) -> _Table:
    """Every check of the committee's locks (and forbids) that needs no solve, in this order.

    DecisionError: a lock or forbid names an unknown candidate or partner; a pair is both locked and
    forbidden; two locks give one candidate or one partner two pairs. InfeasibleError: a locked
    candidate is not eligible or has no score; a locked pair is not allowed (the obstacle is named);
    the locks alone exceed a country's quota or the province cap. Returns the pair table they were
    checked against (with the forbids applied), for the solve to go on from.
    """
    _check_frames(candidates, partners)
    partners = partners.reset_index(drop=True)
    locks = [(str(c), str(p)) for c, p in locks]
    forbids = [(str(c), str(p)) for c, p in forbids]
    all_ids = set(candidates[s.CANDIDATE_ID].astype(str))
    all_partners = set(partners[s.PARTNER].astype(str))
    for kind, pairs in (("lock", locks), ("forbid", forbids)):
        for c, p in pairs:
            if c not in all_ids:
                raise DecisionError(f"{kind} {c}={p}: there is no candidate {c!r}")
            if p not in all_partners:
                raise DecisionError(f"{kind} {c}={p}: there is no partner {p!r}")
    municipalities = (
        candidates[s.MUNICIPALITY] if s.MUNICIPALITY in candidates else pd.Series([None] * len(candidates))
    )
    named = {
        str(c): m for c, m in zip(candidates[s.CANDIDATE_ID], municipalities, strict=True) if _text_or_none(m)
    }

    def who(cid: str) -> str:
        """A candidate as a person reads it in a message: "Lier (12021)"."""
        return f"{named[cid]} ({cid})" if cid in named else cid

    for conflict in lock_conflicts(sorted(set(locks)), forbids):
        if conflict.kind == "both":
            raise DecisionError(f"{who(conflict.key)}={conflict.pairs[0][1]} is both locked and forbidden")
    order = {pair: k for k, pair in reversed(list(enumerate(locks)))}  # a pair's first place
    twice = [c for c in lock_conflicts(locks) if c.kind in ("candidate", "partner")]
    for conflict in sorted(twice, key=lambda c: (c.kind != "candidate", order[c.pairs[1]])):
        (first_c, first_p), (c, p) = conflict.pairs[:2]
        label = "candidate" if conflict.kind == "candidate" else "partner"
        whom = who(c) if conflict.kind == "candidate" else p
        first, second = f"{who(first_c)}={first_p}", f"{who(c)}={p}"
        raise DecisionError(f"locks {first} and {second} give {label} {whom} two pairs")
    locks = list(dict.fromkeys(locks))

    table = pair_table(candidates, partners, criteria, forbids)
    settings = criteria.pairing
    by_id = candidates.assign(_id=candidates[s.CANDIDATE_ID].astype(str)).set_index("_id")
    lock_edges: list[int] = []
    for c, p in locks:
        if c not in table.row_of:
            row = by_id.loc[c]
            reasons = _as_list(row.get(s.REASONS)) if s.REASONS in row else []
            why = "has no score" if bool(row[s.ELIGIBLE]) else "is not eligible"
            detail = f" ({'; '.join(reasons)})" if reasons and why == "is not eligible" else ""
            raise InfeasibleError(f"lock {who(c)}={p}: the candidate {why}{detail}")
        i, j = table.row_of[c], table.col_of[p]
        if (i, j) not in table.edge_index:
            data = pair_obstacle(table, i, j, settings)
            text = None if data is None else obstacle_phrase(data, "en")
            if data is not None and data.get("reasons"):
                text = f"{text} ({'; '.join(data['reasons'])})"
            raise InfeasibleError(f"lock {who(c)}={p}: the pair is not allowed: {text}")
        lock_edges.append(table.edge_index[(i, j)])

    # locks that break a quota or the province cap by themselves: say so before solving
    ei, ej = table.edges
    written: dict[Pair, str] = {}
    country_of: dict[str, str] = {}
    province_of: dict[str, str | None] = {}
    for e in lock_edges:
        i, j = int(ei[e]), int(ej[e])
        name = _text_or_none(table.pool.iloc[i].get(s.MUNICIPALITY))
        pair = (table.ids[i], table.names[j])
        written[pair] = f"{name} ({pair[0]})={pair[1]}" if name else f"{pair[0]}={pair[1]}"
        country_of[pair[1]] = table.countries[j]
        province_of[pair[0]] = _text_or_none(table.pool.iloc[i][s.PROVINCE])
    quotas = {c: int(settings.quotas.get(c, 0)) for c in country_of.values()}
    limits = lock_conflicts(
        written,
        country_of=country_of,
        province_of=province_of,
        quotas=quotas,
        max_per_province=settings.max_per_province,
    )
    for conflict in limits:
        shown = ", ".join(written[pair] for pair in conflict.pairs)
        if conflict.kind == "quota":
            raise InfeasibleError(f"locks {shown} exceed the {conflict.key} quota of {conflict.limit}")
        raise InfeasibleError(
            f"locks {shown} exceed the cap of {conflict.limit} candidates per province ({conflict.key})"
        )
    return table


class Encoded(NamedTuple):
    """The tables encoded for the solve: the pair table, the instance and the decisions as read."""

    table: _Table
    instance: Instance
    locks: list[Pair]  # each once, in order
    forbids: list[Pair]
    keep: list[Pair]


def encode(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    *,
    locks: Iterable[Pair] = (),
    forbids: Iterable[Pair] = (),
    keep: Iterable[Pair] = (),
) -> Encoded:
    """The candidates and partners tables as an `Instance`, after `check_locks`.

    Kept pairs that are no longer allowed are left out of the instance (the result says why).
    """
    locks = [(str(c), str(p)) for c, p in locks]
    forbids = [(str(c), str(p)) for c, p in forbids]
    keep = [(str(c), str(p)) for c, p in keep]
    table = check_locks(candidates, partners, criteria, locks, forbids)
    locks = list(dict.fromkeys(locks))
    lock_edges = [table.edge_index[(table.row_of[c], table.col_of[p])] for c, p in locks]
    keep_edges = sorted({e for e in map(table.edge, keep) if e is not None})
    settings = criteria.pairing
    ei, ej = table.edges
    fit = sum(table.terms[t] for t in FIT_TERMS)
    instance = Instance(
        candidates=tuple(table.ids),
        provinces=tuple(_text_or_none(v) for v in table.pool[s.PROVINCE]),
        partners=tuple(table.names),
        countries=tuple(table.countries),
        edge_cand=ei.astype(np.int64),
        edge_partner=ej.astype(np.int64),
        edge_value=table.value[ei, ej].astype(np.int64),
        quotas={str(k): int(v) for k, v in settings.quotas.items()},
        max_per_province=settings.max_per_province,
        locks=tuple(lock_edges),
        keep=tuple(keep_edges),
        fit=np.asarray(fit, dtype=np.int64)[ei, ej],
    )
    return Encoded(table, instance, locks, forbids, keep)
