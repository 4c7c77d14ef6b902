"""Simplification by persistence: a contraction of the original tree."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landscape_widgets import Landscape
from landscape_widgets.topology import merge_tree


def contracted_parents(tree, simple) -> dict[int, int]:
    """Expected vertex-level parent links: walk up the original tree to a surviving node."""
    surviving = set(simple.node_vertex.tolist())
    parent_of = {int(tree.node_vertex[i]): int(tree.node_vertex[p])
                 for i, p in enumerate(tree.node_parent) if p >= 0}
    expected = {}
    for v in surviving:
        up = parent_of.get(v)
        while up is not None and up not in surviving:
            up = parent_of.get(up)
        if up is not None:
            expected[v] = up
    return expected


def check_simplified(tree, eps):
    simple = tree.simplify(eps)
    keep = np.concatenate([[True], tree.persistence >= eps])
    np.testing.assert_array_equal(simple.minima, tree.minima[keep])
    np.testing.assert_array_equal(simple.pairs, tree.pairs[keep[1:]])
    assert set(simple.saddles) == set(tree.death_saddle[keep][tree.death_saddle[keep] >= 0])
    got = {int(simple.node_vertex[i]): int(simple.node_vertex[p])
           for i, p in enumerate(simple.node_parent) if p >= 0}
    assert got == contracted_parents(tree, simple)
    # every vertex's new basin is the first surviving minimum up its chain of elders
    elder = dict(zip(tree.minima.tolist(), tree.parent_minimum.tolist(), strict=True))
    survivors = set(simple.minima.tolist())
    for v in np.random.default_rng(0).choice(tree.n_vertices, 50):
        b = int(tree.basins[v])
        while b not in survivors:
            b = elder[b]
        assert simple.basins[v] == b
    assert simple.branch_sizes().sum() == tree.n_vertices
    return simple


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["full", "axis"]), st.floats(0, 1))
def test_simplify_is_the_contraction(seed, connectivity, eps):
    values = np.random.default_rng(seed).random((9, 11))
    check_simplified(merge_tree(values, connectivity), eps)


def test_simplify_extremes_and_composition():
    tree = merge_tree(np.random.default_rng(1).random((15, 15)))
    assert tree.simplify(0.0) is tree
    flat = tree.simplify(np.inf)
    assert flat.minima.tolist() == [tree.minima[0]] and flat.n_saddles == 0
    assert np.all(flat.basins == tree.minima[0])
    a = tree.simplify(0.1).simplify(0.3)
    b = tree.simplify(0.3)
    for name in ("minima", "saddles", "node_parent", "basins", "pairs"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_noisy_wells_simplify_to_the_wells():
    def wells(p):
        centres = np.array([[-1.0, -1.0], [1.0, 0.5], [-0.5, 1.2]])
        d2 = ((p[:, None, :] - centres[None]) ** 2).sum(-1)
        return -(np.exp(-d2 / 0.3)).sum(1)

    land = Landscape.from_function(wells, dims=2, resolution=81)
    noise = 0.01 * np.random.default_rng(2).random(land.shape)
    tree = merge_tree(Landscape.from_array(land.values + noise))
    assert tree.n_minima > 10
    simple = check_simplified(tree, 0.1)
    assert simple.n_minima == 3 and simple.n_saddles == 2


@pytest.mark.parametrize("eps", [0.05, 0.2])
def test_simplify_on_graph_with_nan(eps):
    values = np.random.default_rng(5).random((12, 12))
    values[3:5, :] = np.nan
    check_simplified(merge_tree(values, "axis"), eps)
