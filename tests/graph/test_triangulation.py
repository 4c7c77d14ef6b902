"""Delaunay and Gabriel graphs against their brute-force definitions; point_graph by name."""

import itertools

import numpy as np
import pytest

from landscape_widgets.graph import delaunay_graph, gabriel_graph, knn_graph, point_graph


def brute_gabriel(pts):
    """All pairs u, v with no other point w in the closed ball of diameter uv."""
    n = len(pts)
    edges = []
    for u, v in itertools.combinations(range(n), 2):
        inside = [
            np.dot(pts[w] - pts[u], pts[w] - pts[v]) <= 0 for w in range(n) if w not in (u, v)
        ]
        if not any(inside):
            edges.append((u, v))
    return np.array(edges, dtype=np.int64).reshape(-1, 2)


def circumcircle(a, b, c):
    """Centre and squared radius of the circle through three 2-D points."""
    m = np.array([b - a, c - a])
    rhs = np.array([np.dot(b, b) - np.dot(a, a), np.dot(c, c) - np.dot(a, a)]) / 2
    centre = np.linalg.solve(m, rhs)
    return centre, np.dot(a - centre, a - centre)


def brute_delaunay_2d(pts):
    """Edges of every triangle whose circumcircle holds no other point (points in general
    position: no four cocircular, no three collinear)."""
    n = len(pts)
    edges = set()
    for i, j, k in itertools.combinations(range(n), 3):
        centre, r2 = circumcircle(pts[i], pts[j], pts[k])
        d2 = ((pts - centre) ** 2).sum(1)
        d2[[i, j, k]] = np.inf
        if np.all(d2 > r2):
            edges.update({(i, j), (i, k), (j, k)})
    return np.array(sorted(edges), dtype=np.int64).reshape(-1, 2)


@pytest.mark.parametrize("seed", range(6))
def test_delaunay_2d_is_the_empty_circumcircle_graph(seed):
    pts = np.random.default_rng(seed).uniform(-1, 1, size=(25, 2))
    graph = delaunay_graph(pts)
    np.testing.assert_array_equal(graph.edges, brute_delaunay_2d(pts))
    assert graph.connectivity == "delaunay"


@pytest.mark.parametrize(("dims", "seed"), [(1, 0), (2, 1), (2, 2), (3, 3), (3, 4)])
def test_gabriel_is_the_empty_diametral_ball_graph(dims, seed):
    pts = np.random.default_rng(seed).normal(size=(40, dims))
    graph = gabriel_graph(pts)
    np.testing.assert_array_equal(graph.edges, brute_gabriel(pts))
    assert graph.connectivity == "gabriel"
    # a subgraph of the Delaunay graph
    delaunay = {tuple(e) for e in delaunay_graph(pts).edges.tolist()}
    assert {tuple(e) for e in graph.edges.tolist()} <= delaunay


def test_three_d_delaunay_contains_gabriel_and_is_connected():
    pts = np.random.default_rng(7).uniform(size=(60, 3))
    graph = delaunay_graph(pts)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    adj = csr_matrix((np.ones(graph.indices.size), graph.indices, graph.indptr))
    assert connected_components(adj, directed=False)[0] == 1
    # each edge of a Delaunay tetrahedralisation: every simplex's 6 edges are present
    from scipy.spatial import Delaunay

    edges = {tuple(e) for e in graph.edges.tolist()}
    for simplex in Delaunay(pts).simplices:
        for a, b in itertools.combinations(sorted(simplex), 2):
            assert (a, b) in edges


def test_grid_square_has_no_gabriel_diagonal_and_duplicates_stay_connected():
    x = np.linspace(-1, 1, 5)
    grid = np.stack(np.meshgrid(x, x, indexing="ij"), -1).reshape(-1, 2)
    gabriel = gabriel_graph(grid)
    assert gabriel.n_edges == 2 * 5 * 4  # the axis lattice: diagonals have corners on the ball
    # a duplicate point is left out by Qhull; it is joined to its twin instead of isolated
    pts = np.vstack([np.random.default_rng(0).uniform(size=(10, 2)), [[0.5, 0.5], [0.5, 0.5]]])
    assert delaunay_graph(pts).degrees.min() >= 1


def test_one_d_and_tiny_inputs():
    pts = np.array([[3.0], [1.0], [2.0], [0.0]])
    assert delaunay_graph(pts).edges.tolist() == [[0, 2], [1, 2], [1, 3]]
    assert delaunay_graph(np.zeros((1, 2))).n_edges == 0
    assert delaunay_graph(np.array([[0.0, 0.0], [1.0, 0.0]])).n_edges == 1


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: delaunay_graph(np.zeros((10, 4))), "at most 3 dimensions.*got 4.*knn_graph"),
        (lambda: gabriel_graph(np.zeros((10, 5))), "at most 3 dimensions"),
        (lambda: delaunay_graph(np.array([[0.0, 0], [1, 1], [2, 2], [3, 3]])), "degenerate"),
        (lambda: delaunay_graph(np.zeros(5)), r"points: expected a non-empty \(N, dims\)"),
        (lambda: point_graph(np.zeros((5, 2)), "grid"), "connectivity: expected one of"),
        (lambda: point_graph(np.zeros((5, 2)), "delaunay", k=3), "k: only the kNN graphs"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_point_graph_names():
    pts = np.random.default_rng(3).uniform(size=(80, 2))
    mutual = point_graph(pts)
    assert mutual.connectivity == "symmetric-knn"
    np.testing.assert_array_equal(mutual.edges, knn_graph(pts, 8, symmetric=True).edges)
    np.testing.assert_array_equal(point_graph(pts, "knn", k=3).edges, knn_graph(pts, 3).edges)
    np.testing.assert_array_equal(point_graph(pts, "gabriel").edges, gabriel_graph(pts).edges)
