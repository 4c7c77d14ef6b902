"""The fast merge tree agrees with a slow BFS-based reference on small graphs and grids."""

import numpy as np
import pytest

from landscape_widgets.graph import lattice_graph
from landscape_widgets.topology import merge_tree

from .conftest import random_graph
from .merge_tree_reference import adjacency_of, reference_merge_tree, vertex_parents


def assert_matches_reference(tree, values, graph):
    ref = reference_merge_tree(np.asarray(values, dtype=float).ravel(), adjacency_of(graph))
    assert tree.minima.tolist() == ref["minima"]
    assert tree.saddles.tolist() == ref["saddles"]
    assert vertex_parents(tree) == ref["parent"]
    np.testing.assert_array_equal(tree.basins, ref["basins"])
    np.testing.assert_array_equal(tree.pairs, ref["pairs"])
    assert tree.death_saddle.tolist() == ref["death_saddle"]
    assert tree.parent_minimum.tolist() == ref["parent_minimum"]


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_with_ties(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    graph = random_graph(rng, n, int(rng.integers(0, 2 * n)))  # often disconnected
    values = rng.integers(0, 5, size=n).astype(float)  # many ties
    if seed % 3 == 0:
        values[rng.random(n) < 0.2] = np.nan
    tree = merge_tree(values, graph=graph)
    assert_matches_reference(tree, values, graph)


@pytest.mark.parametrize("shape", [(7,), (5, 6), (4, 3, 5), (3, 3, 3, 3)])
@pytest.mark.parametrize("connectivity", ["full", "axis"])
def test_random_grids_fast_path(shape, connectivity):
    rng = np.random.default_rng(sum(shape))
    for values in (rng.random(shape), rng.integers(0, 3, size=shape).astype(float)):
        tree = merge_tree(values, connectivity=connectivity)
        assert tree.shape == shape
        assert_matches_reference(tree, values, lattice_graph(shape, connectivity))


def test_grid_path_equals_csr_path():
    rng = np.random.default_rng(3)
    values = rng.random((9, 8, 7))
    for connectivity in ("full", "axis"):
        graph = lattice_graph(values.shape, connectivity)
        fast = merge_tree(values, connectivity)
        via_graph = merge_tree(values.ravel(), graph=graph)
        for name in ("minima", "saddles", "node_parent", "basins", "pairs"):
            np.testing.assert_array_equal(getattr(fast, name), getattr(via_graph, name))
