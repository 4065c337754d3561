"""The pairing model stated once for every engine: linear expressions over the edge variables and
the constraint families (one pair per candidate and per partner, country quotas, province cap, locks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import numpy as np

from .instance import Instance, Solution


class Lin:
    """A linear expression over the edge variables: an integer coefficient per edge index.

    Plain numbers, so both engines read it: PuLP for the main stages on the chosen solver, and the
    in-process HiGHS model for the tie-breaks and the explanations. Each form is made once, on demand.
    """

    __slots__ = ("_coef", "_expr", "_idx", "_terms", "_vars")

    def __init__(
        self,
        terms: dict[int, int] | None = None,
        *,
        idx: np.ndarray[Any, Any] | None = None,
        coef: np.ndarray[Any, Any] | None = None,
    ) -> None:
        self._terms = terms
        self._idx = None if idx is None else np.asarray(idx, dtype=np.int32)
        self._coef = None if coef is None else np.asarray(coef, dtype=float)
        self._expr: Any = None
        self._vars: Sequence[Any] | None = None  # the variables `_expr` is stated in

    @property
    def terms(self) -> dict[int, int]:
        if self._terms is None:
            assert self._idx is not None and self._coef is not None
            self._terms = dict(zip(self._idx.tolist(), self._coef.astype(np.int64).tolist(), strict=True))
        return self._terms

    def arrays(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        if self._idx is None or self._coef is None:
            terms = self.terms
            self._idx = np.fromiter(terms.keys(), dtype=np.int32, count=len(terms))
            self._coef = np.fromiter(terms.values(), dtype=float, count=len(terms))
        return self._idx, self._coef

    def pulp(self, x: Sequence[Any]) -> Any:
        """The expression over the PuLP variables `x` (made once per variable list)."""
        if self._expr is None or self._vars is not x:
            import pulp

            self._expr = pulp.LpAffineExpression({x[e]: w for e, w in self.terms.items()})
            self._vars = x
        return self._expr


class Ran(NamedTuple):
    """What one engine solve found: the chosen edges, whether proven optimal, and from an LP solve
    with integral values the |reduced cost| per edge."""

    chosen: np.ndarray[Any, np.dtype[np.bool_]]
    optimal: bool
    reduced: np.ndarray[Any, Any] | None = None


class Row(NamedTuple):
    """One constraint: `lin >= rhs` (sense 1) or `lin <= rhs` (sense -1)."""

    lin: Lin
    sense: int
    rhs: float


def _groups(
    keys: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The edges grouped by a key per edge (negative: in no group): keys, CSR starts, edge indices."""
    cols = np.flatnonzero(keys >= 0)
    cols = cols[np.argsort(keys[cols], kind="stable")]
    uniq, counts = np.unique(keys[cols], return_counts=True)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int32)
    return uniq, starts, cols.astype(np.int32)


# --- the constraint families ----------------------------------------------------------------------------


class Family(Protocol):
    """A family of constraints of the model. `network`: its rows keep the constraint matrix a network
    matrix, so that the LP relaxation of the model with it is integral (its vertices are pairings)."""

    @property
    def name(self) -> str: ...

    @property
    def network(self) -> bool: ...


class Groups(NamedTuple):
    """A `GroupLimit`'s rows in CSR form: the key of each group, its start, the edges, the limits."""

    keys: np.ndarray[Any, Any]
    starts: np.ndarray[Any, Any]
    edges: np.ndarray[Any, Any]
    limits: np.ndarray[Any, Any]


@dataclass(frozen=True, eq=False)
class GroupLimit:
    """At most `limits[k]` chosen edges among the edges whose key is k (a negative key: no group).

    One row per key that has edges, in key order; its name is `{name}_{key}`, or with
    `label="rank"` `{name}_{position}` among those rows.
    """

    name: str
    keys: np.ndarray[Any, Any]  # per edge
    limits: np.ndarray[Any, Any]  # per key
    label: str = "key"
    network: bool = True

    def groups(self) -> Groups:
        uniq, starts, edges = _groups(np.asarray(self.keys, dtype=np.int64))
        return Groups(uniq, starts, edges, np.asarray(self.limits, dtype=float)[uniq])

    def row_names(self, keys: np.ndarray[Any, Any]) -> list[str]:
        if self.label == "rank":
            return [f"{self.name}_{k}" for k in range(len(keys))]
        return [f"{self.name}_{int(k)}" for k in keys]


@dataclass(frozen=True, eq=False)
class FixedEdges:
    """These edges are in every pairing (the committee's locks)."""

    name: str
    edges: tuple[int, ...]
    network: bool = True  # a fixed variable leaves the matrix as it is


@dataclass(frozen=True, eq=False)
class RowFamily:
    """General rows over the edge variables; `network` says whether they keep the LP integral."""

    name: str
    rows: tuple[Row, ...]
    network: bool = False


def one_per_candidate(inst: Instance) -> GroupLimit:
    return GroupLimit("cand", inst.edge_cand, np.ones(len(inst.candidates)))


def one_per_partner(inst: Instance) -> GroupLimit:
    return GroupLimit("partner", inst.edge_partner, np.ones(len(inst.partners)))


def country_quota(inst: Instance) -> GroupLimit:
    countries = sorted(set(inst.countries))
    code = {c: k for k, c in enumerate(countries)}
    partner_country = np.array([code[c] for c in inst.countries], dtype=np.int64)
    quotas = np.array([int(inst.quotas.get(c, 0)) for c in countries], dtype=float)
    return GroupLimit("quota", partner_country[inst.edge_partner], quotas, label="rank")


def province_cap(inst: Instance) -> GroupLimit | None:
    cap = inst.max_per_province
    if cap is None:
        return None
    provinces = sorted({p for p in inst.provinces if p is not None})
    code = {p: k for k, p in enumerate(provinces)}
    of_cand = np.array([-1 if p is None else code[p] for p in inst.provinces], dtype=np.int64)
    return GroupLimit("province", of_cand[inst.edge_cand], np.full(len(provinces), cap), label="rank")


def locks(inst: Instance) -> FixedEdges:
    return FixedEdges("lock", tuple(inst.locks))


def families(inst: Instance) -> tuple[Family, ...]:
    """The instance's constraint families, in the order the engines state their rows."""
    out: list[Family] = [one_per_candidate(inst), one_per_partner(inst), country_quota(inst)]
    cap = province_cap(inst)
    if cap is not None:
        out.append(cap)
    out.append(locks(inst))
    return tuple(out)


def fixed_edges(fams: Sequence[Family]) -> list[int]:
    """The edges the families fix in every pairing."""
    return [e for f in fams if isinstance(f, FixedEdges) for e in f.edges]


class Model:
    """An instance with its constraint families and the expressions the solve stages maximise.

    Engines (`engines`) build their rows from `families`; the stages (`lexicographic`) state their
    objectives and cuts with `count_expr`, `stay_expr`, `kept_expr`, `value_expr`,
    `cand_expr` and the row helpers.
    """

    def __init__(self, instance: Instance, fams: Sequence[Family] | None = None) -> None:
        self.instance = inst = instance
        self.families: tuple[Family, ...] = families(inst) if fams is None else tuple(fams)
        by_cand: dict[int, dict[int, int]] = {}
        for e, c in enumerate(inst.edge_cand.tolist()):
            by_cand.setdefault(c, {})[e] = 1
        self.cand_expr = {c: Lin(d) for c, d in by_cand.items()}
        n = inst.n_edges
        self.count_expr = Lin(idx=np.arange(n), coef=np.ones(n))
        self.value_expr = Lin(idx=np.arange(n), coef=inst.edge_value)
        self.kept_expr = Lin(dict.fromkeys(inst.keep, 1))
        # each candidate sits in at most one pair: the sum of its edges counts it once when selected
        stay = set(inst.keep_selected)
        self.stay_expr = Lin({e: 1 for e, c in enumerate(inst.edge_cand.tolist()) if c in stay})

    @property
    def network(self) -> bool:
        """Whether every family keeps the LP relaxation integral (then LP solves give pairings)."""
        return all(f.network for f in self.families)

    # -- helpers to state constraints
    def at_least(self, expr: Lin, rhs: float) -> Row:
        return Row(expr, 1, rhs)

    def at_most(self, expr: Lin, rhs: float) -> Row:
        return Row(expr, -1, rhs)

    def weighted(self, weights: Mapping[int, int]) -> Lin:
        return Lin(dict(weights))

    def measure(self, ran: Ran) -> Solution:
        """The solution an engine found: its edges, slot count, kept pairs and value."""
        edges = np.flatnonzero(ran.chosen)
        keep = set(self.instance.keep)
        stay = set(self.instance.keep_selected)
        return Solution(
            edges=tuple(int(e) for e in edges),
            count=len(edges),
            kept=sum(1 for e in edges if int(e) in keep),
            value=int(self.instance.edge_value[edges].sum()),
            optimal=ran.optimal,
            stayed=sum(1 for e in edges if int(self.instance.edge_cand[e]) in stay),
        )
