"""Hypothesis properties of the merge tree."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from landscape_widgets.graph import edge_graph, lattice_graph
from landscape_widgets.topology import merge_tree

from .conftest import random_graph

shapes = st.sampled_from([(12,), (5, 7), (4, 4, 3), (3, 2, 3, 2)])
connectivities = st.sampled_from(["full", "axis"])


@st.composite
def grid_values(draw, integer=False):
    shape = draw(shapes)
    if integer:  # small integers: many ties, and exact arithmetic under transforms
        return draw(arrays(np.float64, shape, elements=st.integers(-4, 4).map(float)))
    return draw(arrays(np.float64, shape,
                       elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False)))


def structure(tree):
    return (tree.minima.tolist(), tree.saddles.tolist(), tree.node_parent.tolist(),
            tree.basins.tolist(), tree.death_saddle.tolist(), tree.parent_minimum.tolist())


@settings(max_examples=60, deadline=None)
@given(grid_values(integer=True), connectivities, st.integers(-100, 100))
def test_adding_a_constant_shifts_every_pair(values, connectivity, c):
    tree = merge_tree(values, connectivity)
    shifted = merge_tree(values + c, connectivity)
    assert structure(shifted) == structure(tree)
    np.testing.assert_array_equal(shifted.pairs, tree.pairs + c)


@settings(max_examples=60, deadline=None)
@given(grid_values(integer=True), connectivities)
def test_strictly_increasing_transform_keeps_structure(values, connectivity):
    tree = merge_tree(values, connectivity)
    transformed = merge_tree(values**3 + 2 * values, connectivity)  # exact on small integers
    assert structure(transformed) == structure(tree)


@settings(max_examples=60, deadline=None)
@given(grid_values(), connectivities)
def test_persistence_nonnegative_and_one_essential_class(values, connectivity):
    tree = merge_tree(values, connectivity)
    assert np.all(tree.persistence >= 0)
    assert tree.n_minima - len(tree.pairs) == 1  # a grid is connected
    assert np.all(np.isfinite(tree.pairs))
    assert tree.n_saddles <= tree.n_minima - 1
    # tree shape: exactly one root, each node's parent is higher in the sweep order
    assert np.sum(tree.node_parent < 0) == 1
    child = np.flatnonzero(tree.node_parent >= 0)
    sv, nv = tree.sweep_values, tree.node_vertex
    parent_vertex = nv[tree.node_parent[child]]
    assert np.all((sv[parent_vertex] > sv[nv[child]])
                  | ((sv[parent_vertex] == sv[nv[child]]) & (parent_vertex > nv[child])))
    assert tree.branch_sizes().sum() == values.size


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 25), st.integers(0, 2**32 - 1), st.booleans())
def test_relabelling_vertices_relabels_the_tree(n, seed, connect):
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, n, 2 * n)
    if connect:  # add a path so the graph is connected
        graph = edge_graph(n, np.concatenate([graph.edges, [(i, i + 1) for i in range(n - 1)]]))
    values = rng.permutation(n).astype(float)  # distinct values: no tie depends on ids
    perm = rng.permutation(n)  # new id of old vertex v is perm[v]
    new_values = np.empty(n)
    new_values[perm] = values
    new_graph = edge_graph(n, perm[graph.edges])
    tree = merge_tree(values, graph=graph)
    new_tree = merge_tree(new_values, graph=new_graph)
    assert new_tree.minima.tolist() == perm[tree.minima].tolist()
    assert new_tree.saddles.tolist() == perm[tree.saddles].tolist()
    assert new_tree.node_parent.tolist() == tree.node_parent.tolist()
    np.testing.assert_array_equal(new_tree.basins[perm], perm[tree.basins])
    np.testing.assert_array_equal(new_tree.pairs, tree.pairs)
    if connect:
        assert tree.n_minima - len(tree.pairs) == 1


def test_lattice_graph_connected_count():
    graph = lattice_graph((5, 6), "axis")
    tree = merge_tree(np.random.default_rng(0).random(30), graph=graph)
    assert tree.n_minima - np.isfinite(tree.pairs[:, 1]).sum() == 1
