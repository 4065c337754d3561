"""Agreement among reviewers, on plain arrays: Krippendorff's alpha, the leniency model, disagreements.

Pure numpy (scipy for one graph question); `reviews.Reviews` turns its ratings table into these arrays.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np

METRICS: Final = ("interval", "ordinal", "nominal")
Metric = Literal["interval", "ordinal", "nominal"]

# The call's rule: reviewers this many points apart on one item are shown to the committee.
DISAGREEMENT_POINTS: Final = 2


# --- the leniency model ----------------------------------------------------------------------------


def leniency_fit(
    candidate_index: np.ndarray, reviewer_index: np.ndarray, ratings: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares of rating = candidate effect + reviewer offset on the observed cells.

    Offsets are constrained to sum to zero, by writing the last reviewer's offset as minus the sum of
    the others. Returns (candidate effects, reviewer offsets) for indices 0..max. When the rating design
    splits into unconnected groups the split between effects and offsets is not identified and the
    minimum-norm solution is returned.
    """
    n_cand = int(candidate_index.max()) + 1
    n_rev = int(reviewer_index.max()) + 1
    design = np.zeros((len(ratings), n_cand + n_rev - 1))
    rows = np.arange(len(ratings))
    design[rows, candidate_index] = 1.0
    last = reviewer_index == n_rev - 1
    design[rows[~last], n_cand + reviewer_index[~last]] = 1.0
    design[np.ix_(rows[last], np.arange(n_cand, n_cand + n_rev - 1))] = -1.0
    solution, *_ = np.linalg.lstsq(design, ratings.astype(float), rcond=None)
    effects = solution[:n_cand]
    offsets = np.append(solution[n_cand:], -solution[n_cand:].sum())
    return effects, offsets


def components(candidate_index: np.ndarray, reviewer_index: np.ndarray) -> int:
    """How many unconnected groups the rating design has (candidates and reviewers linked by a rating).

    With more than one, `leniency_fit` cannot separate a reviewer's offset from the candidates' quality.
    """
    if len(candidate_index) == 0:
        return 0
    # scipy is imported here, not at the top: the pair command never needs it.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n_cand = int(candidate_index.max()) + 1
    size = n_cand + int(reviewer_index.max()) + 1
    graph = coo_matrix(
        (np.ones(len(candidate_index)), (candidate_index, n_cand + reviewer_index)), shape=(size, size)
    )
    count: int = connected_components(graph, directed=False)[0]
    return count


# --- disagreements ---------------------------------------------------------------------------------


def spreads(groups: np.ndarray, ratings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per group 0..max of `groups` (one candidate and item): how many ratings, highest minus lowest."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    n = int(groups.max()) + 1
    values = ratings.astype(float)
    high = np.full(n, -np.inf)
    low = np.full(n, np.inf)
    np.maximum.at(high, groups, values)
    np.minimum.at(low, groups, values)
    return np.bincount(groups, minlength=n), high - low


def disagreeing(
    groups: np.ndarray, ratings: np.ndarray, threshold: float = DISAGREEMENT_POINTS
) -> np.ndarray:
    """Per group: whether two or more ratings lie `threshold` points or more apart."""
    count, spread = spreads(groups, ratings)
    flagged: np.ndarray = (count >= 2) & (spread >= threshold)
    return flagged


# --- Krippendorff's alpha --------------------------------------------------------------------------


def _difference(values: np.ndarray, marginals: np.ndarray, metric: Metric) -> np.ndarray:
    """Squared difference delta^2(c, k) between the sorted distinct values, per Krippendorff's metrics."""
    if metric == "nominal":
        return 1.0 - np.eye(len(values))
    if metric == "interval":
        return np.asarray(np.subtract.outer(values, values) ** 2)
    # ordinal: the sum of the marginals from c to k, less half of the two end points.
    cumulative = np.concatenate([[0.0], np.cumsum(marginals)])
    lo = np.minimum.outer(np.arange(len(values)), np.arange(len(values)))
    hi = np.maximum.outer(np.arange(len(values)), np.arange(len(values)))
    between = cumulative[hi + 1] - cumulative[lo]
    return np.asarray((between - (marginals[lo] + marginals[hi]) / 2.0) ** 2)


def coincidence_matrix(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values and the coincidence matrix o_ck of a coders x units array (NaN = missing).

    Each unit with m >= 2 values adds every ordered pair of values from different coders, weighted
    1 / (m - 1); units with a single value are not pairable and add nothing.
    """
    matrix = np.asarray(data, dtype=float)
    present = ~np.isnan(matrix)
    values = np.unique(matrix[present])
    if values.size == 0:
        return values, np.zeros((0, 0))
    # counts[u, c]: how many coders gave unit u the value c
    counts = np.stack([((matrix == v) & present).sum(axis=0) for v in values], axis=1).astype(float)
    per_unit = counts.sum(axis=1)
    pairable = per_unit >= 2
    counts, per_unit = counts[pairable], per_unit[pairable]
    weighted = counts / np.maximum(per_unit - 1.0, 1.0)[:, None]
    return values, counts.T @ weighted - np.diag(weighted.sum(axis=0))


def krippendorff_alpha(data: np.ndarray, metric: Metric = "interval") -> float:
    """Krippendorff's alpha of a coders x units array (NaN = missing value), from the coincidence matrix.

    Follows K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), Annenberg School
    for Communication, University of Pennsylvania: alpha = 1 - D_o / D_e with
    D_o = sum_ck o_ck delta^2_ck / n and D_e = sum_ck n_c n_k delta^2_ck / (n (n - 1)).
    Returns NaN when alpha is undefined (fewer than two pairable values, or no variation at all).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    values, coincidences = coincidence_matrix(data)
    marginals = coincidences.sum(axis=1)
    total = float(marginals.sum())
    if total < 2:
        return float("nan")
    delta = _difference(values, marginals, metric)
    observed = float((coincidences * delta).sum()) / total
    expected = float((np.outer(marginals, marginals) * delta).sum()) / (total * (total - 1.0))
    if expected == 0.0:
        return float("nan")
    return 1.0 - observed / expected
