"""The super-level (split) tree: the merge tree of −f, reported in f's units."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscape_widgets as lw
from landscape_widgets.graph import edge_graph, lattice_graph
from landscape_widgets.topology import extended_persistence, merge_tree

from .conftest import random_graph

LINE = np.array([0.0, 2.0, 1.0, 3.0, 0.5])


def structure(tree):
    return (tree.minima.tolist(), tree.saddles.tolist(), tree.node_parent.tolist(),
            tree.basins.tolist(), tree.death_saddle.tolist(), tree.parent_minimum.tolist())


def test_hand_computed_line():
    # maxima 3 (3.0) and 1 (2.0); going down, 1's component meets 3's at vertex 2 (1.0)
    split = lw.merge_tree(LINE, direction="super")
    assert split.direction == "super" and split.is_super
    assert split.minima.tolist() == [3, 1]
    assert split.saddles.tolist() == [2]
    assert split.pairs.tolist() == [[2.0, 1.0]]  # birth at the maximum, death below it
    assert split.persistence.tolist() == [1.0]
    assert split.persistence_diagram(essential=True).tolist() == [[3.0, -np.inf], [2.0, 1.0]]
    assert split.basins.tolist() == [3, 1, 3, 3, 3]
    assert "direction='super'" in repr(split)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([(15,), (6, 7), (4, 3, 5)]), st.sampled_from(["full", "axis"]),
       st.integers(0, 2**32 - 1))
def test_equals_the_merge_tree_of_minus_f_on_grids(shape, connectivity, seed):
    values = np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape) * 0.5
    split = merge_tree(values, connectivity, direction="super")
    reference = merge_tree(-values, connectivity)
    assert structure(split) == structure(reference)
    np.testing.assert_array_equal(split.pairs, -reference.pairs)
    np.testing.assert_array_equal(split.persistence, reference.persistence)
    assert np.all(split.persistence >= 0)
    np.testing.assert_array_equal(split.values, values.ravel())  # f's units, not −f's


def test_equals_the_merge_tree_of_minus_f_on_graphs(rng):
    for _ in range(40):
        n = int(rng.integers(2, 30))
        graph = random_graph(rng, n, int(rng.integers(0, 3 * n)))
        values = rng.normal(size=n)
        split = merge_tree(values, graph=graph, direction="super")
        reference = merge_tree(-values, graph=graph)
        assert structure(split) == structure(reference)
        np.testing.assert_array_equal(split.pairs, -reference.pairs)


def test_pairs_equal_gudhi_relative_extended_persistence(rng):
    # gudhi's relative H1 of a graph: superlevel components born at a maximum, dying at a join
    for _ in range(40):
        n = int(rng.integers(2, 25))
        graph = random_graph(rng, n, int(rng.integers(0, 3 * n)))
        values = rng.permutation(n).astype(float)
        split = merge_tree(values, graph=graph, direction="super")
        finite = split.pairs[np.isfinite(split.pairs[:, 1])]
        ours = sorted(map(tuple, finite.tolist()))
        gudhi_pairs = sorted(map(tuple, extended_persistence(graph, values).relative1.tolist()))
        assert ours == gudhi_pairs


def test_ties_follow_one_total_order_with_the_sublevel_tree():
    # a plateau: the sublevel sweep takes ids ascending, the super-level sweep descending
    values = np.array([1.0, 1.0, 1.0])
    assert merge_tree(values).minima.tolist() == [0]
    assert merge_tree(values, direction="super").minima.tolist() == [2]


def test_simplify_keeps_the_direction():
    values = np.array([0.0, 3.0, 1.0, 2.9, 0.0, 5.0, 0.0])
    split = merge_tree(values, direction="super")
    assert split.minima.tolist() == [5, 1, 3]
    simple = split.simplify(0.5)  # pairs (3.0, 0.0) and (2.9, 1.0): persistence 3 and 1.9
    assert simple.direction == "super"
    assert simple.minima.tolist() == [5, 1, 3]
    simpler = split.simplify(2.0)  # the maximum 2.9 merges into 3.0
    assert simpler.minima.tolist() == [5, 1]
    assert simpler.pairs.tolist() == [[3.0, 0.0]]


def test_nan_is_the_highest_maximum():
    values = np.array([0.0, np.nan, 0.0, 2.0, 0.0])
    split = merge_tree(values, direction="super")
    assert split.minima[0] == 1  # NaN counts as +inf in both directions
    assert split.nonfinite.tolist() == [False, True, False, False, False]


def test_direction_is_checked():
    with pytest.raises(ValueError, match="direction: expected 'sub' or 'super', got 'up'"):
        merge_tree(LINE, direction="up")
    with pytest.raises(ValueError, match="direction"):
        merge_tree(LINE, graph=edge_graph(5, [(0, 1)]), direction="down")


def test_on_a_landscape_and_a_lattice_graph():
    land = lw.Landscape.from_function(lambda p: -((p**2).sum(1)), dims=2, resolution=9)
    split = lw.merge_tree(land, direction="super")
    assert split.n_minima == 1 and split.minima[0] == land.center_index
    via_graph = merge_tree(land.values, graph=lattice_graph((9, 9), "axis"), direction="super")
    assert structure(via_graph) == structure(merge_tree(land, "axis", direction="super"))
