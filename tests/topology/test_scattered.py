"""Merge trees of scattered landscapes: the graph by name, against the brute-force reference and
on Himmelblau's function sampled at 3,000 Sobol' points."""

import numpy as np
import pytest
from scipy.stats import qmc

from landscape_widgets.graph import delaunay_graph, gabriel_graph, knn_graph, point_graph
from landscape_widgets.landscape import Landscape
from landscape_widgets.topology import merge_tree

from .merge_tree_reference import adjacency_of, reference_merge_tree

GRAPHS = ["symmetric_knn", "knn", "delaunay", "gabriel"]


def himmelblau(p):
    x, y = p[:, 0], p[:, 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


@pytest.fixture(scope="module")
def himmelblau_samples():
    pts = qmc.scale(qmc.Sobol(d=2, scramble=True, seed=0).random_base2(12)[:3000],
                    [-5, -5], [5, 5])
    return Landscape.from_points(pts, himmelblau(pts), bounds=5.0)


@pytest.mark.parametrize("connectivity", GRAPHS)
def test_himmelblau_scattered_four_minima_three_saddles(himmelblau_samples, connectivity):
    land = himmelblau_samples
    tree = merge_tree(land, connectivity=connectivity)
    # no persistence threshold needed: at 3,000 Sobol' points every graph (mutual kNN included)
    # yields exactly the four basins, joined by three saddles
    assert tree.n_minima == 4 and tree.n_saddles == 3
    known = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186],
                      [3.584428, -1.848126]])
    found = land.points[tree.minima]
    for point in known:
        nearest = np.argmin(np.linalg.norm(found - point, axis=1))
        assert np.linalg.norm(found[nearest] - point) < 0.2
        # it is the lowest sample around that minimum
        around = np.linalg.norm(land.points - point, axis=1) < 0.5
        assert land.values[tree.minima[nearest]] == land.values[around].min()
    # the three join saddles of Himmelblau: f = 13.31, 67.72, 104.02 (the fourth, 178.3,
    # closes the loop around the maximum)
    np.testing.assert_allclose(np.sort(tree.pairs[:, 1]), [13.3119, 67.7193, 104.0224],
                               rtol=0.02)
    saddles = land.points[tree.saddles]
    for point in ([3.3852, 0.0739], [0.0867, 2.8843], [-3.0730, -0.0814]):
        assert np.min(np.linalg.norm(saddles - point, axis=1)) < 0.3


@pytest.mark.parametrize("connectivity", GRAPHS)
def test_scattered_tree_is_the_tree_of_its_graph(connectivity):
    rng = np.random.default_rng(4)
    pts = rng.uniform(-1, 1, size=(60, 2))
    vals = np.sin(3 * pts[:, 0]) * np.cos(2 * pts[:, 1]) + 0.1 * rng.normal(size=60)
    land = Landscape.from_points(pts, vals)
    tree = merge_tree(land, connectivity=connectivity)
    graph = point_graph(pts, connectivity)
    ref = reference_merge_tree(vals, adjacency_of(graph))
    assert tree.minima.tolist() == ref["minima"]
    assert tree.saddles.tolist() == ref["saddles"]
    np.testing.assert_array_equal(tree.basins, ref["basins"])
    np.testing.assert_array_equal(tree.pairs, ref["pairs"])
    assert tree.shape is None and tree.n_vertices == 60


def test_default_graph_is_mutual_knn_with_4n_neighbours():
    rng = np.random.default_rng(1)
    pts = rng.uniform(size=(80, 3))
    vals = rng.normal(size=80)
    land = Landscape.from_points(pts, vals)
    expected = merge_tree(vals, graph=knn_graph(pts, k=12, symmetric=True))
    np.testing.assert_array_equal(merge_tree(land).pairs, expected.pairs)
    np.testing.assert_array_equal(merge_tree(land, k=5).pairs,
                                  merge_tree(vals, graph=knn_graph(pts, 5, symmetric=True)).pairs)
    # and the (points, values) form takes the graph names too
    np.testing.assert_array_equal(merge_tree(pts, vals, "delaunay").basins,
                                  merge_tree(vals, graph=delaunay_graph(pts)).basins)


def test_graph_names_on_a_grid_landscape_use_its_points():
    land = Landscape.from_function(himmelblau, dims=2, resolution=41, extent=5.0)
    tree = merge_tree(land, connectivity="gabriel")  # = the axis lattice of the grid
    np.testing.assert_array_equal(tree.pairs, merge_tree(land, "axis").pairs)
    np.testing.assert_array_equal(
        tree.pairs, merge_tree(land.values, graph=gabriel_graph(land.points)).pairs
    )


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda land: merge_tree(land, connectivity="full"), "connectivity: expected one of"),
        (lambda land: merge_tree(land, connectivity="hexagonal"),
         "connectivity: expected 'full' or 'axis' .grids. or one of"),
        (lambda land: merge_tree(land.points, land.values, "axis"), "is a grid connectivity"),
        (lambda land: merge_tree(np.zeros((9, 4)), np.zeros(9), "delaunay"), "at most 3 dim"),
    ],
)
def test_bad_connectivities(call, match):
    pts = np.random.default_rng(0).uniform(size=(20, 2))
    land = Landscape.from_points(pts, pts.sum(1))
    with pytest.raises(ValueError, match=match):
        call(land)


@pytest.mark.parametrize("connectivity", GRAPHS)
def test_metrics_and_profile_of_scattered_trees(himmelblau_samples, connectivity):
    import landscape_widgets as lw

    land = himmelblau_samples
    tree = merge_tree(land, connectivity=connectivity)
    m = lw.landscape_metrics(tree)
    assert m.n_minima == 4 and m.basin_sizes.sum() == land.size
    # SMAD: the mean leaf-arc gap, by hand from the tree's nodes
    arcs = [tree.sweep_values[tree.node_vertex[tree.node_parent[i]]] - tree.values[tree.minima[i]]
            for i in range(tree.n_minima) if tree.node_parent[i] >= 0]
    assert m.smad == pytest.approx(np.mean(arcs))
    profile = lw.landscape_profile(tree)
    assert profile.n_points == land.size and profile.basin_size.sum() == land.size
