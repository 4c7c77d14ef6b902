"""NaN / inf handling, input forms and clear errors for bad inputs."""

import numpy as np
import pytest

from landscape_widgets import Landscape
from landscape_widgets.graph import edge_graph, lattice_graph
from landscape_widgets.topology import MergeTree, merge_tree


def test_nan_is_swept_as_inf_and_flagged():
    values = np.array([0.0, np.nan, 1.0, np.inf, -0.5, 2.0])
    tree = merge_tree(values)
    np.testing.assert_array_equal(tree.values, values)  # kept as given
    assert tree.nonfinite.tolist() == [False, True, False, True, False, False]
    assert tree.sweep_values[1] == np.inf
    # minima 4 (-0.5), 0 (0.0); the NaN at id 1 is the only link 0 <-> {2,3,4,5}... in 1-D
    # 0 - nan - 1.0 - inf - -0.5 - 2.0: components {0}, {2}, {4,5} join only through non-finite
    assert tree.minima.tolist() == [4, 0, 2]
    # inf-valued vertices enter last, ties between them by id: 1 (nan) before 3 (inf)
    assert tree.saddles.tolist() == [1, 3]
    np.testing.assert_array_equal(tree.pairs, [[0.0, np.inf], [1.0, np.inf]])


def test_nan_wall_separates_basins_until_infinity():
    values = np.add.outer(np.arange(5.0), np.arange(5.0))  # one minimum at (0, 0) ...
    values[:, 2] = np.nan  # ... until a NaN wall cuts off a second basin, minimum at (0, 3)
    tree = merge_tree(values)
    assert tree.minima.tolist() == [0, 3]
    assert tree.saddles.tolist() == [2]  # the first NaN vertex joining both sides
    assert tree.pairs[0, 1] == np.inf and np.isinf(tree.persistence[0])


def test_all_nan():
    tree = merge_tree(np.full((3, 3), np.nan))
    assert tree.minima.tolist() == [0] and tree.n_saddles == 0
    assert tree.nonfinite.all() and np.all(tree.sweep_values == np.inf)


def test_negative_infinity_enters_first():
    tree = merge_tree(np.array([0.0, 5.0, -np.inf]))
    assert tree.minima.tolist() == [2, 0]
    assert tree.pairs.tolist() == [[0.0, 5.0]]


def test_input_forms_agree():
    values = np.random.default_rng(0).random((6, 7))
    land = Landscape.from_array(values)
    a = merge_tree(land, "axis")
    b = merge_tree(values, connectivity="axis")
    c = merge_tree(land, graph=lattice_graph((6, 7), "axis"))
    d = merge_tree(land.points, values.ravel(), graph=lattice_graph((6, 7), "axis"))
    for t in (b, c, d):
        np.testing.assert_array_equal(t.pairs, a.pairs)
        np.testing.assert_array_equal(t.basins, a.basins)
    assert a.shape == (6, 7) and d.shape is None
    assert isinstance(a, MergeTree)


def test_scattered_points_default_to_knn():
    rng = np.random.default_rng(0)
    points = rng.random((300, 2))
    values = ((points - 0.25) ** 2).sum(1) * ((points - 0.75) ** 2).sum(1)
    tree = merge_tree(points, values)
    assert tree.shape is None and tree.n_vertices == 300
    assert tree.n_minima >= 2
    assert tree.n_minima - len(tree.pairs) == 1


def test_frozen_and_readonly():
    tree = merge_tree(np.array([1.0, 0.0, 1.0]))
    with pytest.raises(AttributeError):
        tree.minima = np.array([1])
    with pytest.raises(ValueError, match="read-only"):
        tree.basins[0] = 5


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: merge_tree(np.array([])), r"non-empty n-D array, got shape \(0,\)"),
        (lambda: merge_tree(np.ones((3, 3)), "diagonal"), "connectivity: expected 'full' or"),
        (lambda: merge_tree(np.ones((4, 2)), np.ones(3)), r"points: expected an \(3, dims\)"),
        (lambda: merge_tree(np.ones((3, 2)), np.ones((3, 1))), r"non-empty \(N,\) array"),
        (lambda: merge_tree(np.ones(5), graph=edge_graph(4, [(0, 1)])),
         "graph: expected 5 vertices .* got a graph with 4"),
        (lambda: merge_tree(np.ones(5), graph=[(0, 1)]), "graph: expected a landscape_widgets"),
        (lambda: merge_tree(np.ones((5, 2)), np.ones(5), k=-1), "k: expected a positive"),
        (lambda: merge_tree(np.ones(3)).simplify(np.nan), "min_persistence: expected a number"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
