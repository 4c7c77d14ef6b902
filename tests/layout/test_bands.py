"""The fast band lookup for equal bands agrees with a binary search, edges included."""

import numpy as np
import pytest

from landscape_widgets.layout._bands import band_of


@pytest.mark.parametrize("lo, hi, n", [(0.0, 1.0, 64), (-3.7, 12.1, 7), (1e-3, 1e3, 50)])
def test_equal_bands_match_searchsorted(lo, hi, n):
    edges = np.linspace(lo, hi, n + 1)
    rng = np.random.default_rng(0)
    values = np.concatenate([
        rng.uniform(lo, hi, 5000),
        edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf),
    ])
    values = np.clip(values, lo, hi)
    expected = np.clip(np.searchsorted(edges, values, side="left") - 1, 0, n - 1)
    assert values.size >= 4096  # the arithmetic path
    assert np.array_equal(band_of(edges, values), expected)
