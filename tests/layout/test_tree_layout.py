"""Merge-tree layout: hand-computed positions, then structural properties on random fields."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from landscape_widgets.layout import merge_tree_layout
from landscape_widgets.topology import merge_tree


def test_nested_positions(nested_tree):
    lay = merge_tree_layout(nested_tree)
    # nodes: minima 0, 6, 2, 4 then saddles 3, 1, 5; in-order of minima: D(6), A(0), B(2), C(4)
    assert lay.node_vertex.tolist() == [0, 6, 2, 4, 3, 1, 5]
    assert lay.node_index.tolist() == list(range(7))
    assert lay.node_x.tolist() == [0.375, 0.125, 0.625, 0.875, 0.75, 0.5625, 0.34375]
    assert lay.node_y.tolist() == [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0]
    assert lay.node_is_minimum.tolist() == [True] * 4 + [False] * 3
    assert lay.node_basin.tolist() == [0, 6, 2, 4, 2, 0, 0]
    assert lay.node_parent.tolist() == nested_tree.node_parent.tolist() == [5, 6, 4, 4, 5, 6, -1]
    assert lay.edge_source.tolist() == list(range(7))
    assert lay.edge_target.tolist() == [5, 6, 4, 4, 5, 6, -1]
    assert lay.edge_basin.tolist() == [0, 6, 2, 4, 2, 0, 0]
    assert lay.edge_path_offsets.tolist() == [0, 3, 6, 9, 12, 15, 18, 20]
    # A's arc: up from (0.375, 0) to the height of saddle 1, across to its x
    assert lay.edge_path_x[:3].tolist() == [0.375, 0.375, 0.5625]
    assert lay.edge_path_y[:3].tolist() == [0.0, 3.0, 3.0]
    # the root's stem goes up to y_max
    assert lay.edge_path_x[18:].tolist() == [0.34375, 0.34375]
    assert lay.edge_path_y[18:].tolist() == [5.0, 6.0]
    assert (lay.y_min, lay.y_max) == (0.0, 6.0)


def test_star_saddle_has_four_children(star_tree):
    lay = merge_tree_layout(star_tree)
    assert lay.node_vertex.tolist() == [1, 3, 5, 7, 4]
    assert lay.node_x.tolist() == [0.375, 0.625, 0.125, 0.875, 0.5]
    assert lay.node_parent.tolist() == [4, 4, 4, 4, -1]
    assert lay.node_basin.tolist() == [1, 3, 5, 7, 1]


def test_max_basins_drops_branches_and_their_saddles(nested_tree):
    lay = merge_tree_layout(nested_tree, max_basins=2)  # keeps A and D
    assert lay.node_vertex.tolist() == [0, 6, 5]
    assert lay.node_index.tolist() == [0, 1, 6]
    assert lay.node_parent.tolist() == [2, 2, -1]
    assert lay.node_x.tolist() == [0.25, 0.75, 0.5]  # D, now the only child, goes right


fields = arrays(
    np.float64, st.tuples(st.integers(2, 7), st.integers(2, 7)),
    elements=st.integers(0, 9).map(float),  # small integers: plenty of ties and plateaus
)


@given(fields, st.sampled_from(["full", "axis"]))
def test_layout_matches_the_tree(values, connectivity):
    tree = merge_tree(values, connectivity)
    lay = merge_tree_layout(tree)
    m = tree.n_minima
    assert lay.node_parent.tolist() == tree.node_parent.tolist()
    assert lay.node_vertex.tolist() == tree.node_vertex.tolist()
    assert np.array_equal(lay.node_y, tree.node_values)
    # leaves evenly spread, each once
    assert sorted((lay.node_x[:m] * m - 0.5).round(9).tolist()) == list(range(m))
    # every subtree's leaves are contiguous in x, so elbow edges never cross
    leaf_rank = np.rint(lay.node_x[:m] * m - 0.5).astype(int)
    leaves = [[i] if i < m else [] for i in range(tree.n_nodes)]
    for i in np.argsort(tree.node_values, kind="stable"):
        if lay.node_parent[i] >= 0:
            leaves[lay.node_parent[i]] += leaves[i]
    for i in range(m, tree.n_nodes):
        ranks = sorted(leaf_rank[leaves[i]])
        assert ranks == list(range(ranks[0], ranks[0] + len(ranks)))
        children = np.flatnonzero(lay.node_parent == i)
        lo, hi = lay.node_x[children].min(), lay.node_x[children].max()
        assert lay.node_x[i] == pytest.approx((lo + hi) / 2)
    # each path runs from its node to its parent (or up to y_max)
    start, end = lay.edge_path_offsets[:-1], lay.edge_path_offsets[1:] - 1
    assert np.array_equal(lay.edge_path_x[start], lay.node_x[lay.edge_source])
    assert np.array_equal(lay.edge_path_y[start], lay.node_y[lay.edge_source])
    target = lay.edge_target
    assert np.array_equal(lay.edge_path_y[end],
                          np.where(target >= 0, lay.node_y[target], lay.y_max))
    assert np.array_equal(lay.edge_path_x[end],
                          np.where(target >= 0, lay.node_x[target], lay.node_x[lay.edge_source]))
    # an arc lies on the branch of its lower end; a saddle on the surviving branch
    assert np.array_equal(lay.edge_basin, lay.node_basin[lay.edge_source])
    assert np.array_equal(lay.node_basin[:m], tree.minima)
    assert np.array_equal(lay.node_basin[m:], tree.basins[tree.saddles])
