"""Landscapes with known topology: Gaussian wells, Himmelblau, constant, monotone, plateaus."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from landscape_widgets import Landscape
from landscape_widgets.topology import merge_tree

# wells on axis 0, at grid points of a 2-extent grid with odd resolution (so the axis line,
# where the passes lie by reflection symmetry, is sampled)
CENTRES = np.array([-1.2, 0.0, 1.2])
DEPTHS = np.array([1.0, 0.6, 0.8])
SIGMA = 0.35


def wells(points: np.ndarray) -> np.ndarray:
    d2 = (points[:, :1] - CENTRES[None, :]) ** 2 + (points[:, 1:] ** 2).sum(1, keepdims=True)
    return 0.02 * (points**2).sum(1) - (DEPTHS * np.exp(-d2 / (2 * SIGMA**2))).sum(1)


def pass_value(a: float, b: float) -> float:
    """Highest value along the axis between two wells (the continuous saddle)."""
    def on_axis(x):
        p = np.zeros((1, 2))
        p[0, 0] = x
        return -wells(p)[0]
    return -minimize_scalar(on_axis, bounds=(a, b), method="bounded").fun


@pytest.mark.parametrize(("dims", "resolution"), [(2, 121), (3, 61), (4, 25)])
@pytest.mark.parametrize("connectivity", ["full", "axis"])
def test_gaussian_wells(dims, resolution, connectivity):
    land = Landscape.from_function(wells, dims=dims, resolution=resolution, extent=2.0)
    tree = merge_tree(land, connectivity)
    assert tree.n_minima == 3 and tree.n_saddles == 2
    points = land.points
    # minima at the well centres, deepest first
    found = points[tree.minima]
    np.testing.assert_allclose(found[:, 0], CENTRES[np.argsort(-DEPTHS)], atol=0.1)
    np.testing.assert_allclose(found[:, 1:], 0.0, atol=1e-12)
    expected_saddles = sorted([pass_value(-1.2, 0.0), pass_value(0.0, 1.2)])
    spacing = 4.0 / (resolution - 1)
    np.testing.assert_allclose(tree.sweep_values[tree.saddles], expected_saddles,
                               atol=2 * spacing**2)
    # the middle (shallowest) well dies at the lower pass, the right one at the higher
    assert tree.minima[2] == tree.basins[tree.minima[2]]
    assert land.points[tree.minima[2], 0] == pytest.approx(0.0)
    np.testing.assert_allclose(tree.pairs[:, 1], expected_saddles[::-1], atol=2 * spacing**2)


def himmelblau(p):
    x, y = p[:, 0], p[:, 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


@pytest.mark.parametrize("connectivity", ["full", "axis"])
def test_himmelblau_four_minima(connectivity):
    land = Landscape.from_function(himmelblau, dims=2, resolution=201, extent=5.0)
    tree = merge_tree(land, connectivity)
    if connectivity == "axis":
        # without diagonal steps, the narrow diagonal valley near (-3.78, -3.28) holds a
        # spurious discrete minimum (persistence ~0.006) at this resolution
        assert tree.n_minima == 5 and np.sort(tree.persistence)[0] < 0.01
        tree = tree.simplify(0.01)
    assert tree.n_minima == 4
    assert tree.n_saddles == 3
    known = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186],
                      [3.584428, -1.848126]])
    found = land.points[tree.minima]
    for point in known:
        assert np.min(np.linalg.norm(found - point, axis=1)) < 0.05
    assert np.all(tree.pairs[:, 0] < 0.05)  # all four minima have value 0


def test_constant_has_one_minimum_and_no_saddle():
    tree = merge_tree(np.full((6, 7, 3), 2.5))
    assert tree.minima.tolist() == [0]  # ties broken by id: the first vertex
    assert tree.n_saddles == 0 and tree.pairs.shape == (0, 2)
    assert np.all(tree.basins == 0)
    assert tree.node_parent.tolist() == [-1]


def test_monotone_has_one_minimum():
    land = Landscape.from_function(lambda p: p.sum(1), dims=3, resolution=9)
    tree = merge_tree(land)
    assert tree.minima.tolist() == [0] and tree.n_saddles == 0


def test_plateaus_with_ties():
    values = np.array([
        [0, 0, 1, 0, 0],
        [0, 0, 1, 0, 0],
        [1, 1, 1, 0, 0],
    ], dtype=float)
    # axis: two 0-plateaus separated by a wall of ones; the lowest ids are the minima
    tree = merge_tree(values, "axis")
    assert tree.minima.tolist() == [0, 3]
    # the first 1 adjacent to both plateaus in sweep (id) order: vertex 2 (row 0, col 2)
    assert tree.saddles.tolist() == [2]
    assert tree.pairs.tolist() == [[0.0, 1.0]]
    basins = tree.basins.reshape(values.shape)
    assert set(basins[:, 3:].ravel()) == {3} and set(basins[:2, :2].ravel()) == {0}
    assert basins[2, 0] == 0 and basins[2, 2] == 0  # the wall joins the elder branch


def test_four_way_saddle_is_one_node():
    # four minima around a centre cell that is the only way between them (axis connectivity)
    values = np.array([
        [9, 0.3, 9],
        [0.0, 5.0, 0.2],
        [9, 0.1, 9],
    ])
    tree = merge_tree(values, "axis")
    assert tree.minima.tolist() == [3, 7, 5, 1]
    assert tree.saddles.tolist() == [4]
    assert tree.node_parent.tolist() == [4, 4, 4, 4, -1]
    assert tree.death_saddle.tolist() == [-1, 4, 4, 4]
    # the saddle and the corners (9, joining later) belong to the surviving branch
    np.testing.assert_array_equal(tree.basins.reshape(3, 3),
                                  [[3, 1, 3], [3, 3, 5], [3, 7, 3]])


def test_saddle_children_are_its_deaths_plus_one():
    values = np.random.default_rng(0).random((20, 20))
    tree = merge_tree(values, "axis")
    children = np.bincount(tree.node_parent[tree.node_parent >= 0], minlength=tree.n_nodes)
    for k, s in enumerate(tree.saddles):
        deaths = int(np.sum(tree.death_saddle == s))
        assert children[tree.n_minima + k] == deaths + 1


def test_k_way_join_single_saddle():
    # a star graph: three leaves with low values joined through one high centre
    from landscape_widgets.graph import edge_graph

    graph = edge_graph(4, [(0, 3), (1, 3), (2, 3)])
    tree = merge_tree(np.array([0.0, 0.2, 0.1, 5.0]), graph=graph)
    assert tree.minima.tolist() == [0, 2, 1]
    assert tree.saddles.tolist() == [3]
    assert tree.node_parent.tolist() == [3, 3, 3, -1]
    assert tree.pairs.tolist() == [[0.1, 5.0], [0.2, 5.0]]
    assert tree.parent_minimum.tolist() == [-1, 0, 0]
