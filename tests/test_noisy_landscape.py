"""``examples.noisy_landscape``: seeded many-basin landscapes whose basin counts are known."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets import examples


def brute_force_minima(values: np.ndarray, connectivity: str) -> int:
    """Vertices strictly below every neighbour, by a plain loop over the neighbour offsets."""
    dims = values.ndim
    if connectivity == "full":
        offsets = [o for o in itertools.product((-1, 0, 1), repeat=dims) if any(o)]
    else:
        offsets = [tuple(s if i == d else 0 for i in range(dims)) for d in range(dims)
                   for s in (-1, 1)]
    count = 0
    for index in np.ndindex(values.shape):
        neighbours = (tuple(i + o for i, o in zip(index, off)) for off in offsets)
        inside = [n for n in neighbours if all(0 <= i < s for i, s in zip(n, values.shape))]
        count += all(values[index] < values[n] for n in inside)
    return count


@pytest.mark.parametrize(("pattern", "resolution", "dims", "connectivity"), [
    ("noise", 31, 2, "full"), ("noise", 31, 2, "axis"), ("noise", 9, 3, "full"),
    ("checkerboard", 21, 2, "axis"), ("checkerboard", 21, 2, "full"), ("sines", 21, 2, "full"),
    ("sines", 9, 3, "axis"),
])
def test_basins_are_the_local_minima(pattern: str, resolution: int, dims: int,
                                     connectivity: str) -> None:
    land = examples.noisy_landscape(pattern, resolution=resolution, dims=dims)
    assert land.shape == (resolution,) * dims
    tree = lw.merge_tree(land, connectivity=connectivity)
    assert len(tree.minima) == brute_force_minima(land.values, connectivity)


def test_documented_basin_counts() -> None:
    noise = examples.noisy_landscape("noise")
    assert len(lw.merge_tree(noise, connectivity="full").minima) == 4547
    assert len(lw.merge_tree(noise, connectivity="axis").minima) == 8208
    board = examples.noisy_landscape("checkerboard")
    assert len(lw.merge_tree(board, connectivity="axis").minima) == 20201 == (201**2 + 1) // 2
    sines = examples.noisy_landscape("sines", resolution=21, dims=3)
    assert len(lw.merge_tree(sines).minima) == 4**3


def test_seeded() -> None:
    a = examples.noisy_landscape("sines", resolution=11, seed=3)
    b = examples.noisy_landscape("sines", resolution=11, seed=3)
    c = examples.noisy_landscape("sines", resolution=11, seed=4)
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)
    assert a.bounds == ((-1.0, 1.0), (-1.0, 1.0))
    # without noise the pattern is exact: 0/1 squares
    board = examples.noisy_landscape("checkerboard", resolution=3, noise=0.0)
    np.testing.assert_array_equal(board.values, [[0, 1, 0], [1, 0, 1], [0, 1, 0]])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"pattern": "stripes"}, r"pattern: expected one of .*'noise'.*got 'stripes'"),
    ({"resolution": 1}, r"resolution: expected an integer >= 2, got 1"),
    ({"resolution": 2.5}, r"resolution: expected an integer >= 2, got 2.5"),
    ({"dims": 0}, r"dims: expected an integer >= 1, got 0"),
    ({"noise": -0.1}, r"noise: expected a finite number >= 0, got -0.1"),
    ({"noise": float("nan")}, r"noise: expected a finite number >= 0, got nan"),
])
def test_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        examples.noisy_landscape(**kwargs)
