"""weight_space.py: the plausible region from the criteria, its polytope, and uniform sampling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matchmaker.criteria import DEFAULT_CRITERIA, load_criteria
from matchmaker.errors import CriteriaError
from matchmaker.weight_space import Region, cell, region_of, sample

DEFAULT_TEXT = DEFAULT_CRITERIA.read_text(encoding="utf-8")


def with_table(tmp_path: Path, table: str) -> Path:
    path = tmp_path / "criteria.toml"
    path.write_text(DEFAULT_TEXT + "\n[plausible_weights]\n" + table, encoding="utf-8")
    return path


def test_the_default_region_is_fifteen_points_either_side() -> None:
    region = region_of(load_criteria())
    assert not region.given
    assert region.low.tolist() == [35, 20, 0]
    assert region.high.tolist() == [65, 50, 30]
    assert region.describe()["default"] is True


def test_ranges_and_order_are_read_from_the_criteria_file(tmp_path: Path) -> None:
    path = with_table(
        tmp_path, 'spread = 10\nranges = { motivation = [40, 70] }\norder = ["motivation >= involvement"]\n'
    )
    criteria = load_criteria(path)
    assert criteria.plausible is not None and criteria.plausible.given
    region = region_of(criteria)
    assert region.low.tolist() == [40, 25, 5]
    assert region.high.tolist() == [70, 45, 25]
    assert region.order == ((0, 1),)
    assert region.describe()["order"] == [["motivation", "involvement"]]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("ranges = { motivation = [55, 70] }\n", "plausible_weights.ranges.motivation: .* does not contain"),
        ("ranges = { wealth = [0, 10] }\n", "plausible_weights.ranges.wealth: unknown criterion"),
        ('order = ["motivation > involvement"]\n', "plausible_weights.order: .* not written as"),
        ('order = ["involvement >= motivation"]\n', "does not hold for the weights themselves"),
        ("colour = 1\n", "plausible_weights.colour: unknown key"),
        ("spread = -1\n", "plausible_weights.spread"),
    ],
)
def test_a_bad_table_names_file_and_key(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(CriteriaError, match=message) as caught:
        load_criteria(with_table(tmp_path, table))
    assert str(tmp_path) in str(caught.value)


def test_the_file_without_the_table_loads_as_before() -> None:
    assert load_criteria().plausible is None


def region(low: list[float], high: list[float], order: tuple[tuple[int, int], ...] = ()) -> Region:
    return Region(("a", "b", "c"), 100.0, np.array([50.0, 35.0, 15.0]), np.array(low), np.array(high), order)


@pytest.mark.parametrize(
    "r",
    [
        region([0, 0, 0], [100, 100, 100]),
        region([35, 20, 0], [65, 50, 30]),
        region([20, 10, 5], [80, 60, 40], ((0, 1), (1, 2))),
    ],
)
def test_samples_have_the_moments_of_the_uniform_region(r: Region) -> None:
    n = 20_000
    w = sample(r, n, np.random.default_rng(1))
    assert w.shape == (n, 3)
    assert np.allclose(w.sum(axis=1), 100)
    assert (w >= r.low - 1e-9).all() and (w <= r.high + 1e-9).all()
    polytope = cell(*r.rows())
    assert polytope is not None
    centre = r.lift(polytope.centroid)
    error = w.std(axis=0) / np.sqrt(n)
    assert np.all(np.abs(w.mean(axis=0) - centre) < 4 * error + 1e-9)


def test_the_whole_simplex_is_sampled_uniformly_not_by_normalised_uniforms() -> None:
    w = sample(region([0, 0, 0], [100, 100, 100]), 40_000, np.random.default_rng(2))
    # uniform on the triangle: P(w1 > 60) = 0.4^2 = 0.16; var(w1) = 100^2 * 2 / (9 * 4)
    share = float((w[:, 0] > 60).mean())
    assert abs(share - 0.16) < 4 * np.sqrt(0.16 * 0.84 / len(w))
    assert abs(w[:, 0].var() - 1e4 * 2 / 36) < 0.05 * 1e4 * 2 / 36


def test_an_empty_region_is_a_clear_error(tmp_path: Path) -> None:
    path = with_table(
        tmp_path, "ranges = { motivation = [50, 50], involvement = [35, 35], no_city_link = [16, 30] }\n"
    )
    with pytest.raises(CriteriaError, match="bounds reversed or equal"):
        load_criteria(path)
    path = with_table(tmp_path, "spread = 0\n")
    with pytest.raises(CriteriaError, match="leave no weights"):
        region_of(load_criteria(path))
