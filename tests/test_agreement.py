"""agreement.py: Krippendorff's alpha, the leniency model and the disagreement test, on plain arrays."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.agreement import (
    DISAGREEMENT_POINTS,
    coincidence_matrix,
    components,
    disagreeing,
    krippendorff_alpha,
    leniency_fit,
    spreads,
)

# --- the leniency model ----------------------------------------------------------------------------


def test_leniency_fit_separates_quality_from_offsets() -> None:
    candidates = np.array([0, 0, 1, 1, 2, 2])
    reviewers = np.array([0, 1, 0, 1, 0, 1])
    ratings = np.array([3, 2, 5, 4, 2, 1])
    effects, offsets = leniency_fit(candidates, reviewers, ratings)
    assert effects.tolist() == pytest.approx([2.5, 4.5, 1.5])
    assert offsets.tolist() == pytest.approx([0.5, -0.5])


def test_components_of_the_rating_design() -> None:
    assert components(np.array([0, 0, 1]), np.array([0, 1, 1])) == 1
    # reviewer 0 rates candidate 0 only, reviewer 1 candidate 1 only: two islands
    assert components(np.array([0, 1]), np.array([0, 1])) == 2
    assert components(np.array([], dtype=int), np.array([], dtype=int)) == 0


# --- disagreements ---------------------------------------------------------------------------------


def test_spreads_and_disagreements_per_group() -> None:
    groups = np.array([0, 0, 1, 1, 2, 0])
    ratings = np.array([5, 3, 4, 3, 1, 4])
    count, spread = spreads(groups, ratings)
    assert count.tolist() == [3, 2, 1]
    assert spread.tolist() == [2.0, 1.0, 0.0]
    assert DISAGREEMENT_POINTS == 2
    assert disagreeing(groups, ratings).tolist() == [True, False, False]
    assert disagreeing(groups, ratings, threshold=1).tolist() == [True, True, False]
    assert disagreeing(np.array([], dtype=int), np.array([], dtype=int)).tolist() == []


# --- Krippendorff's alpha --------------------------------------------------------------------------

NAN = float("nan")
# K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
# Communication, University of Pennsylvania: the example of 4 observers and 12 units with missing values.
KRIPPENDORFF_EXAMPLE = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)


def test_alpha_matches_the_published_example() -> None:
    values, o = coincidence_matrix(KRIPPENDORFF_EXAMPLE)
    assert list(values) == [1, 2, 3, 4, 5]
    # By hand: unit 12 has one value and is not pairable; the remaining 40 values give these marginals.
    assert list(o.sum(axis=1)) == pytest.approx([9, 13, 10, 5, 3])
    assert list(np.diag(o)) == pytest.approx([7, 10, 8, 4, 3])
    # Nominal by hand: 1 - (n - 1) (n - sum o_cc) / (n^2 - sum n_c^2) = 1 - 39 * 8 / (1600 - 384).
    assert krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "nominal") == pytest.approx(
        float(1 - Fraction(312, 1216))
    )
    assert round(krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "nominal"), 3) == 0.743
    assert round(krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "interval"), 3) == 0.849
    assert round(krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "ordinal"), 3) == 0.815


def test_alpha_edge_cases() -> None:
    assert krippendorff_alpha(np.array([[3, 4, 5], [3, 4, 5]])) == 1.0
    assert math.isnan(krippendorff_alpha(np.array([[3, 3], [3, 3]])))
    assert math.isnan(krippendorff_alpha(np.array([[1, NAN], [NAN, 2]])))
    # Two coders who always disagree in opposite directions are worse than chance.
    assert krippendorff_alpha(np.array([[1, 5, 1, 5], [5, 1, 5, 1]])) < 0
    with pytest.raises(ValueError, match="unknown metric"):
        krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "ratio")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=10).filter(lambda v: len(set(v)) > 1))
def test_identical_coders_agree_perfectly(values: list[int]) -> None:
    data = np.array([values, values, values], dtype=float)
    for metric in ("interval", "ordinal", "nominal"):
        assert krippendorff_alpha(data, metric) == pytest.approx(1.0)  # type: ignore[arg-type]
