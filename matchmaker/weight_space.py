"""The space of plausible weights: the committee's region as a polytope, its cells, volumes and
centroids, and weights drawn uniformly from it.

Weights are points summing to the configured total, so k criteria span a (k-1)-dimensional
polytope; it is held in the coordinates of the first k-1 weights (the last one is the rest).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .criteria import Criteria, PlausibleWeights
from .errors import CriteriaError

Array = np.ndarray[Any, Any]

# Cells thinner than this share of the total (Chebyshev radius) are boundaries, not regions.
THIN: float = 1e-9


@dataclass(frozen=True)
class Region:
    """The plausible weights: low <= w <= high per criterion, w[a] >= w[b] per order pair, sum = total."""

    criteria: tuple[str, ...]
    total: float
    chosen: Array  # k, the criteria file's weights
    low: Array  # k
    high: Array  # k
    order: tuple[tuple[int, int], ...] = ()  # (heavier, lighter) indices
    given: bool = False  # False: the default region (no [plausible_weights] table)
    spread: float = 15.0

    @property
    def k(self) -> int:
        return len(self.criteria)

    def lift(self, x: Array) -> Array:
        """Weights (... x k) from coordinates (... x k-1)."""
        x = np.asarray(x, dtype=float)
        return np.concatenate([x, self.total - x.sum(axis=-1, keepdims=True)], axis=-1)

    def project(self, w: Array) -> Array:
        return np.asarray(w, dtype=float)[..., :-1]

    def in_coordinates(self, g: Array, h: Array) -> tuple[Array, Array]:
        """Constraints g @ w <= h (rows of g are k-vectors) as A @ x <= b in coordinates."""
        g = np.atleast_2d(np.asarray(g, dtype=float))
        h = np.atleast_1d(np.asarray(h, dtype=float))
        return g[:, :-1] - g[:, -1:], h - g[:, -1] * self.total

    def simplex_rows(self) -> tuple[Array, Array]:
        """w >= 0: the whole weight simplex."""
        return self.in_coordinates(-np.eye(self.k), np.zeros(self.k))

    def rows(self) -> tuple[Array, Array]:
        """The region's constraints in coordinates."""
        eye = np.eye(self.k)
        g = [-eye, eye]
        h = [-self.low, self.high]
        for a, b in self.order:
            row = np.zeros((1, self.k))
            row[0, b], row[0, a] = 1.0, -1.0
            g.append(row)
            h.append(np.zeros(1))
        return self.in_coordinates(np.vstack(g), np.concatenate(h))

    def describe(self) -> dict[str, Any]:
        """The region as the JSON states it."""
        return {
            "total": self.total,
            "bounds": {
                c: [float(lo), float(hi)]
                for c, lo, hi in zip(self.criteria, self.low, self.high, strict=True)
            },
            "order": [[self.criteria[a], self.criteria[b]] for a, b in self.order],
            "default": not self.given,
            "spread": self.spread,
        }


def region_of(criteria: Criteria) -> Region:
    """The plausible weights the criteria file states, or the default: each weight `spread` points
    either side (within 0 and the total)."""
    keys = tuple(c.key for c in criteria.criteria)
    chosen = np.array([c.weight for c in criteria.criteria], dtype=float)
    total = float(chosen.sum())
    plausible = criteria.plausible or PlausibleWeights(given=False)
    low = np.clip(chosen - plausible.spread, 0.0, total)
    high = np.clip(chosen + plausible.spread, 0.0, total)
    for key, (lo, hi) in plausible.ranges.items():
        j = keys.index(key)
        low[j], high[j] = lo, hi
    if not (low <= chosen).all() or not (chosen <= high).all():
        raise CriteriaError("the plausible weights do not contain the criteria's own weights")
    order = tuple((keys.index(a), keys.index(b)) for a, b in plausible.order)
    region = Region(keys, total, chosen, low, high, order, plausible.given, plausible.spread)
    if len(keys) > 1 and cell(*region.rows()) is None:
        where = "" if criteria.path is None else f"{criteria.path}: "
        raise CriteriaError(f"{where}plausible_weights: the ranges and order statements leave no weights")
    return region


# --- polytopes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A full-dimensional polytope in coordinates: its vertices, volume and centroid."""

    vertices: Array  # m x d
    volume: float
    centroid: Array  # d
    interior: Array  # d, a point well inside


def _chebyshev(a: Array, b: Array) -> tuple[Array, float] | None:
    """The centre and radius of the largest ball inside A x <= b; None when empty or unbounded."""
    from scipy.optimize import linprog

    norms = np.linalg.norm(a, axis=1)
    d = a.shape[1]
    c = np.zeros(d + 1)
    c[-1] = -1.0
    res = linprog(
        c,
        A_ub=np.hstack([a, norms[:, None]]),
        b_ub=b,
        bounds=[(None, None)] * d + [(0, None)],
        method="highs",
    )
    if res.status != 0:
        return None
    return np.asarray(res.x[:d]), float(res.x[-1])


def cell(a: Array, b: Array, scale: float = 1.0) -> Cell | None:
    """The polytope A x <= b, or None when it is empty or thinner than THIN x `scale`."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    zero = np.abs(a).max(axis=1) <= 1e-12  # 0 <= b: always true, or never
    if (b[zero] < 0).any():
        return None
    a, b = a[~zero], b[~zero]
    d = a.shape[1]
    if d == 1:
        coef = a[:, 0]
        up = b[coef > 0] / coef[coef > 0]
        down = b[coef < 0] / coef[coef < 0]
        if (b[coef == 0] < 0).any() or not len(up) or not len(down):
            return None
        lo, hi = float(down.max()), float(up.min())
        if hi - lo <= 2 * THIN * scale:
            return None
        middle = np.array([(lo + hi) / 2])
        return Cell(np.array([[lo], [hi]]), hi - lo, middle, middle)
    found = _chebyshev(a, b)
    if found is None or found[1] <= THIN * scale:
        return None
    centre = found[0]
    from scipy.spatial import ConvexHull, HalfspaceIntersection

    hs = HalfspaceIntersection(np.hstack([a, -b[:, None]]), centre)
    points = np.unique(np.round(hs.intersections, 9), axis=0)
    hull = ConvexHull(points)
    vertices = points[hull.vertices]
    return Cell(vertices, float(hull.volume), _centroid(points, hull), centre)


def _centroid(points: Array, hull: Any) -> Array:
    """The centroid of the convex hull: its simplices from a fan around one interior point."""
    inside = points.mean(axis=0)
    d = points.shape[1]
    total, moment = 0.0, np.zeros(d)
    for facet in hull.simplices:
        corners = np.vstack([points[facet], inside])
        vol = abs(np.linalg.det(corners[:-1] - inside)) / math.factorial(d)
        total += vol
        moment += vol * corners.mean(axis=0)
    return moment / total if total > 0 else inside


def inside(a: Array, b: Array, x: Array, tol: float = 1e-9) -> Array:
    """Which points (rows of x) satisfy A x <= b."""
    return np.asarray((np.atleast_2d(x) @ a.T <= b + tol).all(axis=1))


# --- sampling --------------------------------------------------------------------------------------


def sample(region: Region, n: int, rng: np.random.Generator, *, max_rounds: int = 200) -> Array:
    """n weight vectors (n x k) uniform on the region: Dirichlet(1) on the simplex shifted by the
    lower bounds, rejection for the upper bounds and the order statements."""
    spare = region.total - float(region.low.sum())
    if spare < 0:
        raise CriteriaError("plausible_weights: the lower bounds add up to more than the total")
    out: list[Array] = []
    got = 0
    batch = max(64, n)
    for _ in range(max_rounds):
        w = region.low + spare * rng.dirichlet(np.ones(region.k), size=batch)
        keep = (w <= region.high + 1e-12).all(axis=1)
        for a, b in region.order:
            keep &= w[:, a] >= w[:, b]
        out.append(w[keep])
        got += int(keep.sum())
        if got >= n:
            return np.vstack(out)[:n]
        rate = max(got, 1) / (batch * len(out))
        batch = min(1_000_000, math.ceil((n - got) / rate * 1.2) + 64)
    raise CriteriaError("plausible_weights: the region is too small to sample (almost no weights fall in it)")


def box(region: Region, centre: Array, radius: float) -> tuple[Array, Array]:
    """The weights within `radius` points of `centre` in every criterion, inside the simplex."""
    eye = np.eye(region.k)
    g = np.vstack([eye, -eye])
    h = np.concatenate([centre + radius, radius - centre])
    a, b = region.in_coordinates(g, h)
    sa, sb = region.simplex_rows()
    return np.vstack([a, sa]), np.concatenate([b, sb])


def segment(region: Region, j: int) -> tuple[Array, Array]:
    """The weights on the line through the chosen weights where only weight j moves and the
    others keep their proportions (and the total): the endpoints, weight j at 0 and at the total."""
    w0 = region.chosen
    rest = region.total - w0[j]
    ends = []
    for t in (0.0, region.total):
        w = (
            w0 * ((region.total - t) / rest)
            if rest > 0
            else np.full(region.k, (region.total - t) / (region.k - 1))
        )
        w[j] = t
        ends.append(w)
    return ends[0], ends[1]
