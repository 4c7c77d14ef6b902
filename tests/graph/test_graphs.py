"""Lattice adjacency against coordinates, kNN against brute force, edge lists, errors."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from landscape_widgets.graph import Graph, edge_graph, knn_graph, lattice_graph, lattice_offsets


def brute_lattice_edges(shape, connectivity):
    coords = np.stack(np.unravel_index(np.arange(int(np.prod(shape))), shape), axis=1)
    diff = np.abs(coords[:, None, :] - coords[None, :, :])
    if connectivity == "full":
        adjacent = diff.max(-1) == 1
    else:
        adjacent = diff.sum(-1) == 1
    u, v = np.nonzero(np.triu(adjacent))
    return np.stack([u, v], axis=1)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (1, 4), (3, 1, 2), (2, 3, 2, 3)])
@pytest.mark.parametrize("connectivity", ["full", "axis"])
def test_lattice_matches_coordinates(shape, connectivity):
    graph = lattice_graph(shape, connectivity)
    np.testing.assert_array_equal(graph.edges, brute_lattice_edges(shape, connectivity))
    assert graph.shape == shape and graph.connectivity == connectivity
    for v in range(graph.n_vertices):  # CSR rows are sorted
        assert np.all(np.diff(graph.neighbors(v)) > 0)


@pytest.mark.parametrize("dims", [1, 2, 3, 4, 5])
def test_offset_counts(dims):
    assert len(lattice_offsets(dims, "full")) == 3**dims - 1
    assert len(lattice_offsets(dims, "axis")) == 2 * dims
    interior = lattice_graph((3,) * dims, "full").degrees[(3**dims) // 2]
    assert interior == 3**dims - 1


def test_edge_graph_dedupes_and_drops_loops():
    graph = edge_graph(5, [(0, 1), (1, 0), (2, 2), (4, 3), (3, 4)])
    assert graph.edges.tolist() == [[0, 1], [3, 4]]
    assert graph.degrees.tolist() == [1, 1, 0, 1, 1]
    assert edge_graph(3, []).n_edges == 0
    assert "n_edges=2" in repr(graph)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: edge_graph(0, []), "n_vertices: expected at least 1"),
        (lambda: edge_graph(3, [(0, 3)]), r"vertex ids in \[0, 2\], got ids in \[0, 3\]"),
        (lambda: edge_graph(3, [(0, -1)]), r"vertex ids in \[0, 2\]"),
        (lambda: edge_graph(3, [0, 1, 2]), r"\(E, 2\) array of vertex pairs, got shape \(3,\)"),
        (lambda: edge_graph(3, [(0.5, 1)]), "integer vertex ids"),
        (lambda: edge_graph(2.0, []), "n_vertices: expected an int"),
        (lambda: lattice_graph((3, 0)), "each of length >= 1"),
        (lambda: lattice_graph((3, 3), "diag"), "connectivity: expected 'full' or 'axis'"),
        (lambda: knn_graph(np.ones((5, 2)), k=-2), "k: expected a positive .* got -2"),
        (lambda: knn_graph(np.ones((5, 2)), k=0), "k: expected a positive"),
        (lambda: knn_graph(np.ones(5)), r"\(N, dims\) array, got shape \(5,\)"),
        (lambda: knn_graph(np.ones((0, 2))), r"non-empty \(N, dims\)"),
        (lambda: knn_graph(np.array([[0.0, np.nan]])), "finite coordinates"),
        (lambda: knn_graph(np.ones((5, 2)), method="ball"), "method: expected one of"),
        (lambda: knn_graph(np.ones((5, 2)), k=2.5), "k: expected an int"),
        (lambda: Graph(np.array([0, 1]), np.array([0, 1]), 1), "indptr: expected shape"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def brute_knn(points, k):
    d = cdist(points, points)
    np.fill_diagonal(d, np.inf)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


@pytest.mark.parametrize("dims", [2, 3, 5])
def test_exact_knn_against_brute_force(dims):
    points = np.random.default_rng(dims).random((150, dims))
    k = 4 * dims
    nbrs = brute_knn(points, k)
    directed = {(i, int(j)) for i in range(150) for j in nbrs[i]}
    union = {tuple(sorted(e)) for e in directed}
    mutual = {tuple(sorted(e)) for e in directed if (e[1], e[0]) in directed}
    g = knn_graph(points)  # default k = 4 * dims
    assert {tuple(e) for e in g.edges.tolist()} == union
    assert g.degrees.min() >= k
    gs = knn_graph(points, symmetric=True)
    assert {tuple(e) for e in gs.edges.tolist()} == mutual
    assert gs.connectivity == "symmetric-knn"


def test_knn_with_duplicate_points_and_tiny_inputs():
    points = np.array([[0.0], [0.0], [1.0], [5.0]])
    g = knn_graph(points, k=1)
    assert [0, 1] in g.edges.tolist() and g.degrees.min() >= 1
    assert knn_graph(np.zeros((1, 3))).n_edges == 0
    assert knn_graph(np.random.default_rng(0).random((4, 2)), k=10).n_edges == 6  # k capped


@pytest.mark.slow
def test_nndescent_is_close_to_exact():
    points = np.random.default_rng(0).random((2000, 20))
    exact = {tuple(e) for e in knn_graph(points, k=10, method="exact").edges.tolist()}
    approx = {tuple(e) for e in knn_graph(points, k=10, method="nndescent").edges.tolist()}
    assert len(exact & approx) / len(exact) > 0.9
