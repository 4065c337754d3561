"""How much the pairing depends on the weights: the exact split of the plausible weights into the
regions where each pairing is optimal, the shares that follow, and the reviewers' uncertainty.

An analysis over the pairing (same lexicographic objective and tie-break chain as `pair`), re-solved
through one in-process model whose costs change: weighted scores -> edge costs -> solve.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from . import schema as s
from .criteria import Criteria
from .errors import InfeasibleError, MatchmakerError
from .pairing.engines import IncrementalEngine
from .pairing.instance import UNIT, Instance, Solution, encode
from .pairing.lexicographic import _settle
from .pairing.model import Lin, Model
from .scoring import DECIMALS, ScoreMatrix, criterion_matrix, weighted_scores
from .weight_space import Array, Cell, Region, box, cell, region_of, sample, segment

if TYPE_CHECKING:
    from .pairing import PairingResult
    from .pipeline import RunOptions, Scored
    from .reviews import Reviews

SCHEMA: Final = "matchmaker.robustness/1"
# Up to this many criteria the split is exact; beyond, weights are sampled.
EXACT_MAX: Final = 5
METHODS: Final = ("auto", "exact", "sampled")


@dataclass(frozen=True)
class Pairing:
    """One pairing: its edges, and its value as a function of the weights, a @ w + b (points)."""

    edges: tuple[int, ...]
    a: Array  # k: the selected candidates' normalised values, summed
    b: float  # the pairs' fit points, summed

    def value(self, w: Array) -> Array:
        return np.asarray(np.asarray(w) @ self.a + self.b)

    def key(self) -> tuple[float, ...]:
        """Equal for pairings whose value is the same function of the weights."""
        return (*np.round(self.a, 9).tolist(), round(self.b, 9))


class Resolver:
    """The pairing model of one instance held by one HiGHS model; each solve changes only its costs.

    `values` (per instance candidate, k criteria) turn weights into scores; the slot count is
    fixed first (it does not depend on the weights), value is maximised next, ties settled by the
    tie-break chain exactly as `pair` settles them.
    """

    def __init__(self, instance: Instance, values: Array) -> None:
        self.instance = instance
        self.model = Model(instance)
        self.engine = IncrementalEngine(self.model)
        self.network = self.model.network
        self.values = np.asarray(values, dtype=float)
        self.cols = np.arange(instance.n_edges)
        self.fit_units = instance.edge_fit.astype(float)
        self.solves = 0
        # a settled pairing per value function: within one region the tie-break picks the same one
        self.settled: dict[tuple[float, ...], Pairing] = {}
        ran = self.engine.solve(self.model.count_expr, [], None, self.network)
        if ran is None:
            raise InfeasibleError("the locked pairs cannot all be honoured together")
        self.count = int(ran.chosen.sum())
        top = float(instance.edge_fit.max()) / UNIT if instance.n_edges else 0.0
        total = float(self.values.max(initial=0.0)) if self.values.size else 0.0
        # more than any pairing's value: count first, then value, in one objective
        self.big = float((self.count + 1) * (total * 1000 + top + 1) * UNIT)

    def units(self, w: Array, rounded: bool = False) -> Array:
        """Each candidate's score at weights w in units (rounded as `score` rounds, with `rounded`)."""
        score = self.values @ np.asarray(w, dtype=float)
        if rounded:
            contrib = np.round(self.values * np.asarray(w, dtype=float), DECIMALS)
            score = np.round(contrib.sum(axis=1), DECIMALS)
        return np.asarray(np.rint(score * UNIT))

    def pairing(self, edges: Sequence[int] | Array) -> Pairing:
        idx = np.asarray(edges, dtype=np.int64)
        cand = self.instance.edge_cand[idx]
        return Pairing(
            tuple(int(e) for e in idx),
            self.values[cand].sum(axis=0) if len(idx) else np.zeros(self.values.shape[1]),
            float(self.fit_units[idx].sum()) / UNIT,
        )

    def settled_at(self, w: Array) -> Pairing:
        """`solve(w)`, settling the ties once per value function (the certificate reused)."""
        found = self.solve(w, settle=False)
        key = found.key()
        if key not in self.settled:
            self.settled[key] = self.solve(w, settle=True)
        return self.settled[key]

    def solve(self, w: Array, *, settle: bool = True, rounded: bool = False) -> Pairing:
        """The pairing `pair` would choose at weights w (without `settle`: an optimal one)."""
        edge_units = self.units(w, rounded)[self.instance.edge_cand] + self.fit_units
        self.solves += 1
        ran = self.engine.solve(Lin(idx=self.cols, coef=edge_units + self.big), [], None, self.network)
        if ran is None:
            raise InfeasibleError("the locked pairs cannot all be honoured together")
        edges = np.flatnonzero(ran.chosen)
        unique = ran.reduced is not None and bool(np.all(ran.reduced[~ran.chosen] >= 0.5))
        if settle and not unique:
            model = self.model
            value = float(edge_units[edges].sum())
            sol = Solution(tuple(int(e) for e in edges), len(edges), 0, int(value), True)
            face = [
                model.at_least(model.count_expr, self.count),
                model.at_most(model.count_expr, self.count),
                model.at_least(Lin(idx=self.cols, coef=edge_units), value),
            ]
            settled = _settle(model, self.engine, sol, face, None, self.network)
            self.engine.set_extra([])
            edges = np.asarray(settled.edges, dtype=np.int64)
        return self.pairing(edges)


# --- the exact split -------------------------------------------------------------------------------


def _cells(region: Region, known: Sequence[Pairing], scale: float) -> list[tuple[Pairing, Cell]]:
    """Each known pairing's cell of the upper envelope of their values over the region."""
    a_r, b_r = region.rows()
    out = []
    for p in known:
        others = [q for q in known if q is not p]
        if others:
            g = np.array([q.a - p.a for q in others])
            h = np.array([p.b - q.b for q in others])
            a_p, b_p = region.in_coordinates(g, h)
            found = cell(np.vstack([a_r, a_p]), np.concatenate([b_r, b_p]), scale)
        else:
            found = cell(a_r, b_r, scale)
        if found is not None:
            out.append((p, found))
    return out


def decompose(resolver: Resolver, region: Region) -> tuple[list[tuple[Pairing, Cell]], int]:
    """Every pairing optimal on a full-dimensional part of the region, with its cell, and the
    number of solves it took.

    The known pairings' upper envelope is a lower bound of the optimal value, a convex function;
    where the two agree at every vertex of a cell they agree on the whole cell. So: solve at every
    vertex not yet checked; a better pairing found there joins, until none is found.
    """
    tol = 1e-5 * (resolver.count + 1)
    scale = region.total
    known: dict[tuple[float, ...], Pairing] = {}
    start = cell(*region.rows(), scale)
    if start is None:
        raise MatchmakerError("the plausible weights leave no region to analyse")
    for point in [region.chosen, *region.lift(start.vertices)]:
        p = resolver.solve(point, settle=False)
        known.setdefault(p.key(), p)
    checked: set[tuple[float, ...]] = set()
    solves = len(known)
    while True:
        cells = _cells(region, list(known.values()), scale)
        found = False
        for _p, c in cells:
            for x in c.vertices:
                mark = tuple(np.round(x, 7).tolist())
                if mark in checked:
                    continue
                checked.add(mark)
                w = region.lift(x)
                q = resolver.solve(w, settle=False)
                solves += 1
                best = max(float(p.value(w)) for p in known.values())
                if float(q.value(w)) > best + tol and q.key() not in known:
                    known[q.key()] = q
                    found = True
        if not found:
            break
    # each cell's pairing as `pair` settles it at a weighting inside the cell
    settled = []
    for p, c in cells:
        q = resolver.solve(region.lift(c.interior), settle=True)
        solves += 1
        settled.append((q if q.key() == p.key() else p, c))
    return settled, solves


def _line_reach(
    resolver: Resolver, p0: Pairing, w_at: Callable[[float], Array], t0: float, t1: float
) -> float:
    """How far from t0 towards t1 the pairing p0 stays optimal on the line w_at(t)."""
    tol = 1e-5 * (resolver.count + 1)
    t = t1
    for _ in range(200):
        w = w_at(t)
        q = resolver.solve(w, settle=False)
        gain_t = float(q.value(w) - p0.value(w))
        if gain_t <= tol:
            return t
        gain_0 = float(q.value(w_at(t0)) - p0.value(w_at(t0)))
        crossing = t0 + (t - t0) * (-gain_0) / (gain_t - gain_0)
        t = float(np.clip(crossing, min(t0, t), max(t0, t)))
        if abs(t - t0) < 1e-9:
            return t0
    return t


def intervals(resolver: Resolver, region: Region, p0: Pairing) -> dict[str, dict[str, float]]:
    """Per weight, the interval (points) in which the chosen pairing stays optimal when only that
    weight moves and the others keep their proportions and the total."""
    out = {}
    for j, key in enumerate(region.criteria):
        start, end = segment(region, j)
        t0 = float(region.chosen[j])

        def w_at(t: float, start: Array = start, end: Array = end) -> Array:
            return np.asarray(start + (end - start) * (t / region.total))

        low = _line_reach(resolver, p0, w_at, t0, 0.0)
        high = _line_reach(resolver, p0, w_at, t0, region.total)
        out[key] = {"low": round(low, 4), "high": round(high, 4)}
    return out


def _distance(region: Region, p0: Pairing, q: Pairing) -> float | None:
    """The max-norm distance (points) from the chosen weights to where q is at least as good as p0."""
    from scipy.optimize import linprog

    k = region.k
    w0 = region.chosen
    c = np.zeros(k + 1)
    c[-1] = 1.0
    eye = np.eye(k)
    a_ub = np.vstack(
        [
            np.hstack([eye, -np.ones((k, 1))]),
            np.hstack([-eye, -np.ones((k, 1))]),
            np.hstack([(p0.a - q.a)[None, :], np.zeros((1, 1))]),
        ]
    )
    b_ub = np.concatenate([w0, -w0, [q.b - p0.b]])
    a_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[region.total], bounds=[(0, None)] * (k + 1))
    return float(res.x[-1]) if int(res.status) == 0 else None


def radius(resolver: Resolver, region: Region, p0: Pairing, known: Iterable[Pairing]) -> float | None:
    """The largest move of the weights (max-norm, points, total kept, weights >= 0) within which
    the chosen pairing stays optimal; None when no weighting changes it."""
    tol = 1e-5 * (resolver.count + 1)
    others = {q.key(): q for q in known if q.key() != p0.key()}
    while True:
        reach = [d for q in others.values() if (d := _distance(region, p0, q)) is not None]
        r = min(reach) if reach else region.total
        found = cell(*box(region, region.chosen, r), region.total)
        new = False
        for x in [] if found is None else found.vertices:
            w = region.lift(x)
            q = resolver.solve(w, settle=False)
            if float(q.value(w) - p0.value(w)) > tol and q.key() not in others:
                others[q.key()] = q
                new = True
        if not new:
            return round(r, 4) if reach else None


# --- the analysis ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Robustness:
    """The analysis as the `matchmaker.robustness/1` JSON states it; `to_json` gives that document."""

    criteria: tuple[str, ...]
    chosen: dict[str, float]
    region: dict[str, Any]
    method: str
    pairings: list[dict[str, Any]]
    candidates: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    intervals: dict[str, dict[str, float]]
    radius: float | None
    uncertainty: dict[str, Any]
    samples: int = 0
    seed: int | None = None
    solves: int = 0
    names: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def chosen_share(self) -> float:
        """The share of the plausible weightings under which the chosen pairing is optimal."""
        return float(sum(p["share"] for p in self.pairings if p["contains_chosen"]))

    @property
    def selection_share(self) -> float:
        """The share under which the same candidates are selected as at the chosen weights."""
        chosen = next((set(p["selected"]) for p in self.pairings if p["contains_chosen"]), set())
        return float(sum(p["share"] for p in self.pairings if set(p["selected"]) == chosen))

    def error(self, share: float) -> float:
        """The Monte Carlo standard error of a share (0 when exact)."""
        if self.method == "exact" or not self.samples:
            return 0.0
        return float(np.sqrt(share * (1 - share) / self.samples))

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "weights": {"criteria": list(self.criteria), "chosen": self.chosen, "region": self.region},
            "method": self.method,
            "samples": self.samples,
            "seed": self.seed,
            "solves": self.solves,
            "pairings": self.pairings,
            "candidates": self.candidates,
            "pairs": self.pairs,
            "intervals": self.intervals,
            "radius": self.radius,
            "uncertainty": self.uncertainty,
            "manifest": self.manifest,
        }

    def summary(self, lang: str = "en") -> list[str]:
        """The lines the command prints, worded through the catalogue."""
        from .i18n import number, sentence

        def pct(share: float) -> str:
            return number(100 * share, lang, 0)

        lines = [
            sentence(
                "robustness_summary",
                lang,
                share=pct(self.selection_share),
                pairs=pct(self.chosen_share),
                method=sentence(f"robustness_method_{self.method}", lang, n=self.samples),
            )
        ]
        region = self.region
        lines.append(
            sentence(
                "robustness_region_default" if region["default"] else "robustness_region_given",
                lang,
                spread=number(region["spread"], lang, 0),
            )
        )
        close = [c for c in self.candidates if 0 < c["selection_share"] < 1]
        close.sort(key=lambda c: (-c["selection_share"], c["candidate_id"]))
        for c in close[:8]:
            lines.append(
                sentence(
                    "robustness_candidate",
                    lang,
                    name=self.names.get(c["candidate_id"], c["candidate_id"]),
                    share=pct(c["selection_share"]),
                )
            )
        if self.radius is not None:
            lines.append(sentence("robustness_radius", lang, radius=number(self.radius, lang, 1)))
        else:
            lines.append(sentence("robustness_radius_none", lang))
        return lines


def _tables(
    resolver: Resolver,
    found: Sequence[tuple[Pairing, float, Cell | None]],
    region: Region,
    chosen: Pairing,
    inst: Instance,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    ids, partners = inst.candidates, inst.partners
    ec, ep = inst.edge_cand, inst.edge_partner
    pairings = []
    cand_share: dict[str, float] = {}
    cand_moment: dict[str, Array] = {}
    pair_share: dict[tuple[str, str], float] = {}
    for n, (p, share, c) in enumerate(sorted(found, key=lambda f: -f[1])):
        pairs = sorted((ids[int(ec[e])], partners[int(ep[e])]) for e in p.edges)
        selected = sorted(cid for cid, _ in pairs)
        centre = None if c is None else region.lift(c.centroid)
        pairings.append(
            {
                "id": n + 1,
                "share": round(float(share), 6),
                "pairs": [list(pr) for pr in pairs],
                "selected": selected,
                "vertices": [] if c is None else np.round(region.lift(c.vertices), 4).tolist(),
                "contains_chosen": p.edges == chosen.edges,
            }
        )
        for cid in selected:
            cand_share[cid] = cand_share.get(cid, 0.0) + share
            if centre is not None:
                cand_moment[cid] = cand_moment.get(cid, np.zeros(region.k)) + share * centre
        for pr in pairs:
            pair_share[pr] = pair_share.get(pr, 0.0) + share
    candidates: list[dict[str, Any]] = []
    for cid in ids:
        share = cand_share.get(cid, 0.0)
        central = None
        if cid in cand_moment and share > 0:
            central = dict(zip(region.criteria, np.round(cand_moment[cid] / share, 4).tolist(), strict=True))
        candidates.append(
            {
                "candidate_id": cid,
                "selection_share": round(float(share), 6),
                "possible": share > 1e-9,
                "necessary": share > 1 - 1e-9,
                "central_weights": central,
            }
        )
    shares: list[dict[str, Any]] = [
        {"candidate_id": c, "partner": p, "share": round(float(v), 6)}
        for (c, p), v in sorted(pair_share.items())
    ]
    return pairings, candidates, shares


def analyse(
    candidates: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    matrix: ScoreMatrix,
    *,
    method: str = "auto",
    samples: int = 1000,
    seed: int = 0,
    locks: Iterable[tuple[str, str]] = (),
    forbids: Iterable[tuple[str, str]] = (),
    rescore: Callable[[np.random.Generator], ScoreMatrix] | None = None,
    uncertainty_samples: int = 0,
) -> Robustness:
    """The weight robustness of the pairing of `candidates` (scored, as `pair` takes them).

    `matrix` is their weight-free score matrix; `rescore`, when given, draws one resample of the
    reviewers' ratings and gives its matrix, for `uncertainty_samples` re-scorings.
    """
    if method not in METHODS:
        raise MatchmakerError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    region = region_of(criteria)
    if method == "auto":
        method = "exact" if 1 < region.k <= EXACT_MAX else "sampled"
    if method == "exact" and not 1 < region.k <= EXACT_MAX:
        raise MatchmakerError(f"the exact split takes 2 to {EXACT_MAX} criteria, not {region.k}")
    inst = encode(candidates, partners, criteria, locks=locks, forbids=forbids).instance
    row = {cid: i for i, cid in enumerate(matrix.candidate_ids)}
    values = matrix.values[[row[c] for c in inst.candidates]] if inst.candidates else np.zeros((0, region.k))
    resolver = Resolver(inst, values)
    chosen = resolver.solve(region.chosen, settle=True, rounded=True)
    rng = np.random.default_rng(seed)
    found: list[tuple[Pairing, float, Cell | None]]
    if method == "exact":
        cells, _ = decompose(resolver, region)
        total = sum(c.volume for _, c in cells)
        found = [(p, c.volume / total, c) for p, c in cells]
        n_samples = 0
    else:
        weights = sample(region, samples, rng)
        counts: dict[tuple[float, ...], list[Any]] = {}
        for w in weights:
            p = resolver.settled_at(w)
            entry = counts.setdefault(p.key(), [p, 0])
            entry[1] += 1
        found = [(p, n / samples, None) for p, n in counts.values()]
        n_samples = samples
    if not any(p.edges == chosen.edges for p, _, _ in found):
        # the chosen weights lie on a boundary the tie-break settles: the pairing of `pair` joins at 0
        same = [f for f in found if f[0].key() == chosen.key()]
        if same:
            found = [(chosen, sh, c) if p.key() == chosen.key() else (p, sh, c) for p, sh, c in found]
        else:
            found.append((chosen, 0.0, None))
    pairings, cands, pairs = _tables(resolver, found, region, chosen, inst)
    known = [p for p, _, _ in found]
    spread = intervals(resolver, region, chosen) if region.k > 1 else {}
    reach = radius(resolver, region, chosen, known) if region.k > 1 else None
    unc = _uncertainty(resolver, region, inst, matrix, rescore, uncertainty_samples, rng, seed)
    names = {}
    if s.MUNICIPALITY in candidates.columns:
        names = {
            str(c): str(m)
            for c, m in zip(candidates[s.CANDIDATE_ID], candidates[s.MUNICIPALITY], strict=True)
            if isinstance(m, str) and m
        }
    return Robustness(
        criteria=region.criteria,
        chosen=dict(zip(region.criteria, region.chosen.tolist(), strict=True)),
        region=region.describe(),
        method=method,
        pairings=pairings,
        candidates=cands,
        pairs=pairs,
        intervals=spread,
        radius=reach,
        uncertainty=unc,
        samples=n_samples,
        seed=seed,
        solves=resolver.solves,
        names=names,
    )


def _uncertainty(
    resolver: Resolver,
    region: Region,
    inst: Instance,
    matrix: ScoreMatrix,
    rescore: Callable[[np.random.Generator], ScoreMatrix] | None,
    n: int,
    rng: np.random.Generator,
    seed: int,
) -> dict[str, Any]:
    """Selection shares and rank intervals under resampled reviewers' ratings, at the chosen
    weights and combined with weights drawn from the region."""
    if rescore is None or n <= 0:
        return {"samples": 0, "seed": seed, "method": None, "candidates": []}
    original = resolver.values
    at_chosen = np.zeros(len(inst.candidates))
    combined = np.zeros(len(inst.candidates))
    ranks = np.zeros((n, len(inst.candidates)))
    weights = sample(region, n, rng) if region.k > 1 else np.tile(region.chosen, (n, 1))
    try:
        for t in range(n):
            drawn = rescore(rng)
            resolver.settled.clear()
            resolver.values = drawn.values[
                [{c: i for i, c in enumerate(drawn.candidate_ids)}[c] for c in inst.candidates]
            ]
            scores = weighted_scores(replace(matrix, values=resolver.values), region.chosen)
            ranks[t] = _ranks(scores)
            for w, tally in ((region.chosen, at_chosen), (weights[t], combined)):
                p = resolver.solve(w, settle=True, rounded=w is region.chosen)
                for e in p.edges:
                    tally[int(inst.edge_cand[e])] += 1
    finally:
        resolver.values = original
        resolver.settled.clear()
    out = []
    for i, cid in enumerate(inst.candidates):
        out.append(
            {
                "candidate_id": cid,
                "selection_share": round(float(at_chosen[i]) / n, 6),
                "combined_share": round(float(combined[i]) / n, 6),
                "rank_low": int(np.percentile(ranks[:, i], 2.5, method="lower")),
                "rank_high": int(np.percentile(ranks[:, i], 97.5, method="higher")),
            }
        )
    return {"samples": n, "seed": seed, "method": "bootstrap of reviewers per candidate", "candidates": out}


def _ranks(scores: Array) -> Array:
    """Rank 1 for the highest score; equal scores share the better rank."""
    order = np.sort(scores)[::-1]
    return np.asarray(np.searchsorted(-order, -scores, side="left") + 1, dtype=float)


def bootstrap(
    reviews: Reviews, aggregate: str, candidates: pd.DataFrame, criteria: Criteria
) -> Callable[[np.random.Generator], ScoreMatrix]:
    """A resampler: per candidate, its reviewers drawn with replacement; their ratings aggregated
    and the candidates re-scored."""
    from .reviews import REVIEWER

    ratings = reviews.rated.reset_index(drop=True)  # a reviewer's ratings despite a conflict never count
    # per candidate, the row positions of each of its reviewers' ratings: a draw is one take
    groups: list[tuple[list[str], list[Array]]] = []
    for _cid, frame in ratings.groupby(s.CANDIDATE_ID, sort=False):
        by = frame.groupby(REVIEWER, sort=False).indices
        who = [str(r) for r in by]
        groups.append((who, [frame.index.to_numpy()[by[r]] for r in by]))

    def draw(rng: np.random.Generator) -> ScoreMatrix:
        rows: list[Array] = []
        names: list[Array] = []
        for who, where in groups:
            picked = rng.integers(0, len(who), size=len(who))
            for k, r in enumerate(picked):
                rows.append(where[r])
                names.append(np.full(len(where[r]), f"{who[r]}#{k}", dtype=object))
        if not rows:
            return criterion_matrix(candidates, criteria, reviews.aggregate(aggregate))  # type: ignore[arg-type]
        taken = ratings.take(np.concatenate(rows)).reset_index(drop=True)
        taken[REVIEWER] = np.concatenate(names)
        resampled = replace(reviews, ratings=taken, conflicts=())
        return criterion_matrix(candidates, criteria, resampled.aggregate(aggregate))  # type: ignore[arg-type]

    return draw


# --- in a run --------------------------------------------------------------------------------------

# Sampled weightings when the split cannot be exact and no more are asked.
MIN_WEIGHT_SAMPLES: Final = 1000


def weight_robustness(
    scored: Scored,
    table: pd.DataFrame,
    partners: pd.DataFrame,
    criteria: Criteria,
    opts: RunOptions,
    locks: Iterable[tuple[str, str]] = (),
    forbids: Iterable[tuple[str, str]] = (),
    *,
    method: str = "auto",
    weights: int | None = None,
) -> Robustness:
    """The analysis of a scored run (`table`: its candidates with their scores): the weights split,
    and with reviews `opts.robustness_samples` resamples of the reviewers."""
    matrix = criterion_matrix(scored.intake.candidates, criteria, scored.aggregated)
    n = max(0, opts.robustness_samples)
    rescore = None
    if scored.reviews is not None and n > 0:
        rescore = bootstrap(scored.reviews, opts.aggregate, scored.intake.candidates, criteria)
    return analyse(
        table,
        partners,
        criteria,
        matrix,
        method=method,
        samples=weights if weights is not None else max(n, MIN_WEIGHT_SAMPLES),
        seed=opts.seed,
        locks=locks,
        forbids=forbids,
        rescore=rescore,
        uncertainty_samples=n if rescore is not None else 0,
    )


def attach(result: PairingResult, analysis: Robustness) -> PairingResult:
    """The result with the analysis as its `robustness` block and each explanation's share of the
    plausible weightings that select the candidate (the sentence says it where it is not 0 or 1)."""
    from .i18n.wording import why_text

    block = {k: v for k, v in analysis.to_json().items() if k != "manifest"}
    shares = {c["candidate_id"]: float(c["selection_share"]) for c in analysis.candidates}
    known = {
        str(e.get("candidate_id")): str(e.get("municipality") or e.get("candidate_id"))
        for e in result.explanations
    }
    explanations = []
    for e in result.explanations:
        rec = dict(e)
        share = shares.get(str(rec.get("candidate_id")))
        if share is not None:
            rec["weight_share"] = share
            rec["why"] = why_text(rec, known, "en") or ""
        explanations.append(rec)
    return replace(result, robustness=block, explanations=explanations)  # type: ignore[arg-type]
