"""Metrics against hand-computed values on small trees."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from landscape_widgets import Landscape
from landscape_widgets.graph import edge_graph
from landscape_widgets.metrics import LandscapeMetrics, basin_depths, landscape_metrics, smad
from landscape_widgets.topology import merge_tree

# 1-D: minima 0 (0.0), 4 (0.5), 2 (1.0); saddles 1 (2.0) and 3 (3.0)
# leaf arcs: 0 -> 1: 2.0, 4 -> 3: 2.5, 2 -> 1: 1.0; pairs (0.5, 3.0), (1.0, 2.0)
# branches: {0, 1, 3} -> 0, {2} -> 2, {4} -> 4
LINE = np.array([0.0, 2.0, 1.0, 3.0, 0.5])


def test_hand_computed_line():
    m = landscape_metrics(merge_tree(LINE))
    assert isinstance(m, LandscapeMetrics)
    assert (m.n_minima, m.n_saddles) == (3, 2)
    assert m.average_persistence == pytest.approx((2.5 + 1.0) / 2)
    assert m.average_persistence_diagonal == pytest.approx(1.75 / np.sqrt(2))
    assert m.total_persistence == pytest.approx(2.5**2 + 1.0**2)
    assert m.smad == pytest.approx((2.0 + 2.5 + 1.0) / 3)
    assert m.loss_range == 3.0
    assert m.basin_minima.tolist() == [0, 4, 2]
    assert m.basin_sizes.tolist() == [3, 1, 1]
    assert m.basin_depths.tolist() == [3.0, 2.5, 1.0]
    assert m.as_dict()["basin_sizes"] == [3, 1, 1]


def test_smad_options_hand_computed():
    tree = merge_tree(LINE)
    assert smad(tree, normalize=True) == pytest.approx((2.0 + 2.5 + 1.0) / 3 / 3.0)
    fractions = np.array([3, 1, 1]) / 5
    gaps = np.array([2.0, 2.5, 1.0])
    assert smad(tree, weight="volume") == pytest.approx(np.mean(gaps * fractions))
    assert smad(tree, normalize=True, weight="volume") == pytest.approx(
        np.mean(gaps / 3.0 * fractions))
    assert landscape_metrics(tree, smad_normalize=True).smad == smad(tree, normalize=True)


def test_smad_uses_leaf_arcs_not_pairs():
    # a star: three minima 0.0, 0.1, 0.2 under one saddle at 1.0: arcs 1.0, 0.9, 0.8
    graph = edge_graph(4, [(0, 3), (1, 3), (2, 3)])
    tree = merge_tree(np.array([0.0, 0.1, 0.2, 1.0]), graph=graph)
    assert smad(tree) == pytest.approx(0.9)
    # a nested tree: 0 -(s 1.0)- 1 (0.5) ... the older branch's arc is to its *lowest* saddle
    values = np.array([0.0, 1.0, 0.5, 3.0, 0.2])  # arcs: 0->1: 1.0, 2->1: 0.5, 4->3: 2.8
    assert smad(merge_tree(values)) == pytest.approx((1.0 + 0.5 + 2.8) / 3)


def test_single_basin_and_constant():
    bowl = Landscape.from_function(lambda p: (p**2).sum(1), dims=3, resolution=11)
    m = landscape_metrics(merge_tree(bowl))
    assert (m.n_minima, m.n_saddles, m.smad, m.total_persistence) == (1, 0, 0.0, 0.0)
    assert np.isnan(m.average_persistence)
    assert m.basin_sizes.tolist() == [11**3]
    assert m.basin_depths.tolist() == [pytest.approx(12.0)]
    const = landscape_metrics(merge_tree(np.ones((4, 4))), smad_normalize=True)
    assert const.smad == 0.0 and const.loss_range == 0.0


def test_nonfinite_pairs_are_left_out():
    values = np.array([0.0, np.nan, 1.0, 3.0, 0.5])  # 0 | nan | 1 - 3 - 0.5
    tree = merge_tree(values)
    m = landscape_metrics(tree)
    # minima 0 (0.0), 4 (0.5), 2 (1.0): 2 dies at 3.0 into 4; 4 reaches 0 only through NaN
    assert tree.minima.tolist() == [0, 4, 2]
    np.testing.assert_array_equal(tree.pairs, [[0.5, np.inf], [1.0, 3.0]])
    assert m.total_persistence == pytest.approx(2.0**2)
    assert m.average_persistence == pytest.approx(2.0)
    assert m.smad == pytest.approx((2.5 + 2.0) / 2)  # the arc 0 -> NaN saddle is left out
    assert basin_depths(tree).tolist() == [3.0, np.inf, 2.0]


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (6, 7), elements=st.floats(-10, 10, allow_subnormal=False)),
       st.floats(0.5, 4.0))
def test_scaling_properties(values, scale):
    tree = merge_tree(values)
    scaled = merge_tree(values * scale)
    a, b = landscape_metrics(tree), landscape_metrics(scaled)
    assert b.smad == pytest.approx(a.smad * scale, rel=1e-9, abs=1e-12)
    assert smad(scaled, normalize=True) == pytest.approx(smad(tree, normalize=True), abs=1e-12)
    assert b.total_persistence == pytest.approx(a.total_persistence * scale**2, rel=1e-9,
                                                abs=1e-12)
    assert a.basin_sizes.sum() == values.size
    assert np.all(a.basin_depths >= 0)
    assert a.smad >= 0 and (a.n_saddles > 0 or a.smad == 0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: smad(merge_tree(LINE), weight="area"), "weight: expected one of"),
        (lambda: smad(LINE), "tree: expected a MergeTree, got ndarray"),
        (lambda: landscape_metrics("tree"), "tree: expected a MergeTree, got str"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
