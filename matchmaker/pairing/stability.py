"""Stability of a pairing when the partners rate the candidates too: blocking pairs under the
programme's rules, the weak-stability constraint family, and the stable lexicographic optimum.

A pair (candidate c, partner p) blocks a pairing when both strictly prefer each other to what they
have (an unpaired candidate or an open slot prefers any acceptable match) and carrying out the swap
(c leaves its partner, p leaves its candidate, c and p pair) keeps every hard rule: the pair is
allowed (preference, language, forbids, not "not acceptable"), no locked pair is undone, the country
quota of p and the province cap of c still hold. A candidate ranks partners by the pair fit
(country preference, shared themes, language); a partner ranks candidates by its rating (unrated
candidates below every rated one). Ties are allowed: weak stability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .instance import Instance
from .model import Family, Lin, Row, RowFamily, families


@dataclass(frozen=True)
class Preferences:
    """Both sides' preferences over the instance's edges: higher is better, equal is a tie."""

    candidate: np.ndarray[Any, np.dtype[np.int64]]  # per edge: the candidate's valuation of the partner
    partner: np.ndarray[Any, np.dtype[np.int64]]  # per edge: the partner's rating (0: not rated)

    @classmethod
    def of(cls, inst: Instance, ratings: dict[tuple[int, int], int]) -> Preferences:
        """The candidates' preferences from the pair fit, the partners' from `ratings` keyed by
        (candidate index, partner index)."""
        partner = np.array(
            [
                ratings.get((int(c), int(p)), 0)
                for c, p in zip(inst.edge_cand.tolist(), inst.edge_partner.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        return cls(np.asarray(inst.edge_fit, dtype=np.int64), partner)


@dataclass(frozen=True)
class Blocking:
    """One blocking pair: its edge, and the facts that make it block."""

    edge: int
    candidate: int
    partner: int
    cand_edge: int | None  # the candidate's own pair, None: unpaired
    partner_edge: int | None  # the partner's own pair, None: an open slot


def _locked_sides(inst: Instance) -> tuple[set[int], set[int]]:
    cands = {int(inst.edge_cand[e]) for e in inst.locks}
    partners = {int(inst.edge_partner[e]) for e in inst.locks}
    return cands, partners


def blocking_pairs(inst: Instance, edges: Sequence[int], prefs: Preferences) -> list[Blocking]:
    """Every pair that blocks the pairing `edges` (edge indices of `inst`), in edge order.

    A pure function of the instance, the pairing and the preferences; see the module docstring for
    the definition.
    """
    ec, ep = inst.edge_cand, inst.edge_partner
    chosen = [int(e) for e in edges]
    of_cand = {int(ec[e]): e for e in chosen}
    of_partner = {int(ep[e]): e for e in chosen}
    per_country: dict[str, int] = {}
    per_province: dict[str, int] = {}
    for e in chosen:
        country = inst.countries[int(ep[e])]
        per_country[country] = per_country.get(country, 0) + 1
        province = inst.provinces[int(ec[e])]
        if province is not None:
            per_province[province] = per_province.get(province, 0) + 1
    locked_c, locked_p = _locked_sides(inst)
    cap = inst.max_per_province
    out: list[Blocking] = []
    for e in range(inst.n_edges):
        c, p = int(ec[e]), int(ep[e])
        if c in locked_c or p in locked_p or of_cand.get(c) == e:
            continue
        mc, mp = of_cand.get(c), of_partner.get(p)
        if mc is not None and prefs.candidate[e] <= prefs.candidate[mc]:
            continue
        if mp is not None and prefs.partner[e] <= prefs.partner[mp]:
            continue
        if mp is None:  # p's country gains a pair, unless c leaves a partner of that country
            country = inst.countries[p]
            moved = mc is not None and inst.countries[int(ep[mc])] == country
            if per_country.get(country, 0) + 1 - int(moved) > int(inst.quotas.get(country, 0)):
                continue
        province = inst.provinces[c]
        if mc is None and cap is not None and province is not None:
            # c's province gains a pair, unless p leaves a candidate of that province
            moved = mp is not None and inst.provinces[int(ec[mp])] == province
            if per_province.get(province, 0) + 1 - int(moved) > cap:
                continue
        out.append(Blocking(e, c, p, mc, mp))
    return out


# --- the constraint family -----------------------------------------------------------------------------


class _Index:
    """The edges grouped per candidate, partner, country and province, for stating the rows."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.of_cand: dict[int, list[int]] = {}
        self.of_partner: dict[int, list[int]] = {}
        self.of_country: dict[str, list[int]] = {}
        self.of_province: dict[str, list[int]] = {}
        for e, (c, p) in enumerate(zip(inst.edge_cand.tolist(), inst.edge_partner.tolist(), strict=True)):
            self.of_cand.setdefault(c, []).append(e)
            self.of_partner.setdefault(p, []).append(e)
            self.of_country.setdefault(inst.countries[p], []).append(e)
            province = inst.provinces[c]
            if province is not None:
                self.of_province.setdefault(province, []).append(e)
        # a quota (cap) can stop a swap only when fewer slots than partners (candidates) have edges
        self.quota_binds = {
            k: int(inst.quotas.get(k, 0)) < len({inst.edge_partner[e] for e in es})
            for k, es in self.of_country.items()
        }
        cap = inst.max_per_province
        self.cap_binds = {
            r: cap is not None and cap < len({inst.edge_cand[e] for e in es})
            for r, es in self.of_province.items()
        }


def _add(terms: dict[int, int], edges: Sequence[int], weight: int) -> None:
    for e in edges:
        terms[e] = terms.get(e, 0) + weight


def edge_rows(index: _Index, prefs: Preferences, e: int) -> list[Row]:
    """The rows that make edge e non-blocking in every pairing with the most slots.

    After Delorme, Garcia, Gondzio, Kalcsics, Manlove and Pettersson (EJOR 2019), the weak-stability
    rows per acceptable pair, split by who is paired and extended with the quota and the cap: (a) not
    both paired worse; (b) c paired worse needs p paired, unless p's country is full and c's partner
    is of another country; (c) p paired worse needs c paired, unless c's province is full and p's
    candidate is from another province; (d) both unpaired only when the quota or the cap stops them.
    Row (d) is left out when both could stop it: at the most slots such a pair could simply be added.
    """
    inst = index.inst
    c, p = int(inst.edge_cand[e]), int(inst.edge_partner[e])
    country, province = inst.countries[p], inst.provinces[c]
    mine_c, mine_p = index.of_cand[c], index.of_partner[p]
    worse_c = [f for f in mine_c if prefs.candidate[f] < prefs.candidate[e]]
    worse_p = [f for f in mine_p if prefs.partner[f] < prefs.partner[e]]
    quota = int(inst.quotas.get(country, 0))
    q_binds = index.quota_binds.get(country, False)
    cap = inst.max_per_province
    r_binds = province is not None and index.cap_binds.get(province, False)
    rows: list[Row] = []
    if worse_c and worse_p:  # (a)
        terms: dict[int, int] = {}
        _add(terms, worse_c, 1)
        _add(terms, worse_p, 1)
        rows.append(Row(Lin(terms), -1, 1))
    if worse_c:  # (b): M * (y_p - W_c) + N_k - (c paired in k) >= 0
        terms = {}
        weight = quota if q_binds else 1
        _add(terms, mine_p, weight)
        _add(terms, worse_c, -weight)
        if q_binds:
            _add(terms, index.of_country[country], 1)
            _add(terms, [f for f in mine_c if inst.countries[int(inst.edge_partner[f])] == country], -1)
        rows.append(Row(Lin(terms), 1, 0))
    if worse_p:  # (c): M * (y_c - W_p) + P_r - (p paired in r) >= 0
        terms = {}
        assert cap is not None or not r_binds
        weight = int(cap) if r_binds and cap is not None else 1
        _add(terms, mine_c, weight)
        _add(terms, worse_p, -weight)
        if r_binds and province is not None:
            _add(terms, index.of_province[province], 1)
            _add(terms, [f for f in mine_p if inst.provinces[int(inst.edge_cand[f])] == province], -1)
        rows.append(Row(Lin(terms), 1, 0))
    if not (q_binds and r_binds):  # (d)
        terms = {}
        if q_binds:
            _add(terms, mine_c, quota)
            _add(terms, mine_p, quota)
            _add(terms, index.of_country[country], 1)
            rows.append(Row(Lin(terms), 1, quota))
        elif r_binds and cap is not None and province is not None:
            _add(terms, mine_c, cap)
            _add(terms, mine_p, cap)
            _add(terms, index.of_province[province], 1)
            rows.append(Row(Lin(terms), 1, cap))
        else:
            _add(terms, mine_c, 1)
            _add(terms, mine_p, 1)
            rows.append(Row(Lin(terms), 1, 1))
    return rows


def free_edges(inst: Instance) -> list[int]:
    """The edges that can block at all: neither side is in a locked pair."""
    locked_c, locked_p = _locked_sides(inst)
    return [
        e
        for e in range(inst.n_edges)
        if int(inst.edge_cand[e]) not in locked_c and int(inst.edge_partner[e]) not in locked_p
    ]


def dead_edges(inst: Instance, prefs: Preferences, count: int) -> list[int]:
    """The free edges no stable pairing with `count` slots can hold, from counting alone.

    When (c, p) is paired, every candidate p rated above c (with an allowed pair with p) must be
    paired too, or sit in a full province other than c's (else it and p block); those from c's own
    province or from none must be paired. So each province r needs at least min(|above in r|, cap)
    pairs (the cap when one of them can be in no pair), c's own |above in r| + 1 (at most the
    cap). The same holds for the partners c prefers to p, per country with its quota. More than
    `count` pairs needed: the edge is in no stable pairing with `count` slots. Repeated until
    nothing changes, since a candidate or partner left without a live pair can only be exempted.
    """
    locked_c, locked_p = _locked_sides(inst)
    index = _Index(inst)
    ec, ep = inst.edge_cand, inst.edge_partner
    cap = None if inst.max_per_province is None else int(inst.max_per_province)
    inf = float("inf")

    def need(groups: dict[Any, list[int]], own: Any, limit: Any) -> float:
        """groups: key -> [members, members that can be in no pair]."""
        total = 0.0
        for key, (n, stuck) in groups.items():
            bound = limit(key)
            if key == own or bound is None:
                if stuck or (bound is not None and n + (key == own) > bound):
                    return inf
                total += n + (key == own)
            else:
                total += bound if stuck else min(n, bound)
        return total if own in groups else total + 1

    dead: set[int] = set()
    while True:
        # per candidate (partner): its live pairs' preference values, best first, with the other side
        best_c = _top_two(
            [(int(ec[e]), int(ep[e]), int(prefs.candidate[e])) for e in range(inst.n_edges) if e not in dead]
        )
        best_p = _top_two(
            [(int(ep[e]), int(ec[e]), int(prefs.partner[e])) for e in range(inst.n_edges) if e not in dead]
        )
        grown = False
        for e in range(inst.n_edges):
            c, p = int(ec[e]), int(ep[e])
            if e in dead or c in locked_c or p in locked_p:
                continue
            # a candidate p rates above c: in a lock, paired with a partner it likes at least as
            # much as p, or unpaired in a full province; "stuck" when it has no such live pair
            above = _grouped(
                index.of_partner[p],
                prefs.partner,
                e,
                ec,
                inst.provinces,
                best_c,
                p,
                prefs.candidate,
                locked_c,
            )
            by_cap = need(above, inst.provinces[c], lambda r: None if r is None else cap)
            # the same for a partner c prefers to p, with its country's quota
            preferred = _grouped(
                index.of_cand[c], prefs.candidate, e, ep, inst.countries, best_p, c, prefs.partner, locked_p
            )
            by_quota = need(preferred, inst.countries[p], lambda k: int(inst.quotas.get(str(k), 0)))
            if max(by_cap, by_quota) > count:
                dead.add(e)
                grown = True
        if not grown:
            return sorted(dead)


def _grouped(
    mine: Sequence[int],
    rank: np.ndarray[Any, Any],
    e: int,
    side: np.ndarray[Any, Any],
    group_of: Sequence[Any],
    top: dict[int, tuple[tuple[int, int], ...]],
    here: int,
    their_rank: np.ndarray[Any, Any],
    locked: set[int],
) -> dict[Any, list[int]]:
    """The other sides of the pairs in `mine` ranked above e, per group: [how many, how many have no
    live pair they like at least as much as the one with `here` (and are not locked)]."""
    groups: dict[Any, list[int]] = {}
    for f in mine:
        if rank[f] > rank[e]:
            other = int(side[f])
            g = groups.setdefault(group_of[other], [0, 0])
            g[0] += 1
            g[1] += other not in locked and _best_without(top.get(other, ()), here) < their_rank[f]
    return groups


def _top_two(values: list[tuple[int, int, int]]) -> dict[int, tuple[tuple[int, int], ...]]:
    """Per owner, its two best (value, other side) among (owner, other side, value)."""
    out: dict[int, list[tuple[int, int]]] = {}
    for owner, other, value in values:
        top = out.setdefault(owner, [])
        top.append((value, other))
        top.sort(reverse=True)
        del top[2:]
    return {k: tuple(v) for k, v in out.items()}


def _best_without(top: tuple[tuple[int, int], ...], other: int) -> float:
    """The best value of an owner's live pairs leaving out the pair with `other`."""
    for value, who in top:
        if who != other:
            return value
    return float("-inf")


def stability_family(inst: Instance, prefs: Preferences, edges: Sequence[int] | None = None) -> RowFamily:
    """The weak-stability rows of `edges` (default: every edge that can block) as a constraint
    family. Its rows break the network structure of the pairing model (`network=False`), so every
    solve under it is an integer solve."""
    index = _Index(inst)
    rows = [row for e in (free_edges(inst) if edges is None else edges) for row in edge_rows(index, prefs, e)]
    return RowFamily("stable", tuple(rows), network=False)


def stable_families(
    inst: Instance, prefs: Preferences, edges: Sequence[int] | None = None
) -> tuple[Family, ...]:
    """The instance's own families plus the stability rows of `edges`."""
    return (*families(inst), stability_family(inst, prefs, edges))
