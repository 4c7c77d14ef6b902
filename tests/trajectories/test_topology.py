"""kNN graph on diffusion-potential distances (the nearest, checked by brute force) and the
sublevel persistence of the loss on it (checked against gudhi run directly, our own union-find
merge tree and the Euler characteristic)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import cdist

from landscape_widgets.graph import edge_graph, knn_graph
from landscape_widgets.topology import merge_tree
from landscape_widgets.trajectories import (
    knn_on_potential,
    nearest_neighbors,
    pca_embedding,
    phate_embedding,
    sublevel_persistence,
    trajectory_topology,
)


def cloud(n: int = 120, dims: int = 6, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, dims))


def gudhi_direct(graph: Any, values: np.ndarray, flag: bool = False) -> dict[int, np.ndarray]:
    """Diagrams by gudhi, built here from scratch (lower-star: edge = max of its ends)."""
    import gudhi

    st_ = gudhi.SimplexTree()
    for v, f in enumerate(values):
        st_.insert([v], filtration=float(f))
    for u, v in graph.edges:
        st_.insert([int(u), int(v)], filtration=float(max(values[u], values[v])))
    if flag:
        st_.expansion(2)
    out: dict[int, list] = {0: [], 1: []}
    for dim, (b, d) in st_.persistence(persistence_dim_max=True):
        if dim <= 1:
            out[dim].append((b, d))
    return {dim: sorted_pairs(np.array(p).reshape(-1, 2)) for dim, p in out.items()}


def sorted_pairs(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float).reshape(-1, 2)
    return a[np.lexsort((a[:, 1], a[:, 0]))]


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_neighbours_are_the_nearest(metric: str) -> None:
    pts = cloud() + (3.0 if metric == "cosine" else 0.0)
    k = 20
    idx, dist = nearest_neighbors(pts, k, metric)
    full = cdist(pts, pts, metric=metric)
    np.fill_diagonal(full, np.inf)
    brute = np.argsort(full, axis=1, kind="stable")[:, :k]
    np.testing.assert_array_equal(idx, brute)
    np.testing.assert_allclose(dist, np.take_along_axis(full, brute, axis=1), atol=1e-10)
    # and not the farthest: every neighbour is at most as far as every non-neighbour
    for i in range(len(pts)):
        others = np.setdiff1d(np.arange(len(pts)), np.r_[idx[i], i])
        assert full[i, idx[i]].max() <= full[i, others].min() + 1e-12
    assert (idx != np.arange(len(pts))[:, None]).all()


def test_ties_are_broken_by_index_and_self_excluded() -> None:
    pts = np.array([[0.0], [1.0], [-1.0], [1.0], [2.0]])  # 1 and 3 coincide
    idx, dist = nearest_neighbors(pts, 2)
    assert idx[0].tolist() == [1, 2]  # three at distance 1: lowest ids first
    assert idx[1].tolist() == [3, 0] and dist[1].tolist() == [0.0, 1.0]
    assert idx[3].tolist() == [1, 0]


def test_graph_is_the_union_of_knn_lists_and_matches_graph_stage() -> None:
    pts = cloud(80, 5, seed=2)
    g = knn_on_potential(pts, k=7)
    idx, _ = nearest_neighbors(pts, 7)
    expected = {tuple(sorted((i, int(j)))) for i in range(80) for j in idx[i]}
    assert {tuple(e) for e in g.edges.tolist()} == expected
    assert g.connectivity == "knn" and g.n_vertices == 80
    # the graph stage's KD-tree kNN graph gives the same edges (no ties in random data)
    np.testing.assert_array_equal(g.edges, knn_graph(pts, k=7).edges)


def test_persistence_matches_gudhi_directly() -> None:
    pts = cloud(150, 4, seed=3)
    values = np.random.default_rng(4).random(150)
    g = knn_on_potential(pts, k=6)
    for flag in (False, True):
        p = sublevel_persistence(g, values, "flag" if flag else "graph")
        ref = gudhi_direct(g, values, flag)
        np.testing.assert_array_equal(sorted_pairs(p.d0), ref[0])
        np.testing.assert_array_equal(sorted_pairs(p.d1), ref[1])
    p = sublevel_persistence(g, values)
    assert np.isinf(p.d1[:, 1]).all()  # a 1-complex: no cycle ever dies
    flag = sublevel_persistence(g, values, "flag")
    assert np.isfinite(flag.d1[:, 1]).any()


def test_d0_matches_merge_tree_and_counts_match_euler_characteristic() -> None:
    pts = cloud(200, 3, seed=5)
    values = (pts**2).sum(1) + np.sin(3 * pts[:, 0])
    g = knn_on_potential(pts, k=4)
    p = sublevel_persistence(g, values)
    finite = p.d0[np.isfinite(p.d0[:, 1])]
    tree = merge_tree(values, graph=g)  # the package's own union-find sweep
    tree_pairs = tree.pairs[np.isfinite(tree.pairs[:, 1])]  # the tree marks other components inf
    np.testing.assert_allclose(sorted_pairs(finite),
                               sorted_pairs(tree_pairs[tree_pairs[:, 1] > tree_pairs[:, 0]]))
    adj = csr_matrix((np.ones(len(g.indices)), g.indices, g.indptr), shape=(200, 200))
    n_comp = connected_components(adj, directed=False)[0]
    assert int((~np.isfinite(p.d0[:, 1])).sum()) == n_comp
    assert len(p.d1) == g.n_edges - g.n_vertices + n_comp  # independent cycles


def test_pair_vertices_carry_the_values() -> None:
    pts = cloud(100, 3, seed=6)
    values = np.random.default_rng(7).random(100)
    for complex_ in ("graph", "flag"):
        p = sublevel_persistence(knn_on_potential(pts, k=5), values, complex_)
        for d, verts in ((p.d0, p.d0_vertices), (p.d1, p.d1_vertices)):
            np.testing.assert_array_equal(values[verts[:, 0]], d[:, 0])
            fin = np.isfinite(d[:, 1])
            np.testing.assert_array_equal(values[verts[fin, 1]], d[fin, 1])
            assert (verts[~fin, 1] == -1).all()


def test_total_persistence_by_hand() -> None:
    # path 0-1-2-3 with values 0, 2, 1, 3: D0 = {(1, 2), (0, inf)}, no cycle
    g = edge_graph(4, [(0, 1), (1, 2), (2, 3)])
    p = sublevel_persistence(g, np.array([0.0, 2.0, 1.0, 3.0]))
    assert p.d0.tolist() == [[1.0, 2.0], [0.0, np.inf]] and len(p.d1) == 0
    assert p.d0_vertices.tolist() == [[2, 1], [0, -1]]
    assert p.max_value == 3.0
    assert p.total_persistence(0) == 1.0 + 9.0  # essential class dies at the max value
    assert p.total_persistence(0, essential="drop") == 1.0
    # a square 0-1-2-3-0 with values 0, 2, 1, 3: one cycle born at 3
    sq = edge_graph(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
    p = sublevel_persistence(sq, np.array([0.0, 2.0, 1.0, 3.0]))
    assert p.d1.tolist() == [[3.0, np.inf]] and p.d1_vertices.tolist() == [[3, -1]]
    assert p.total_persistence(1) == 0.0  # born at the max value: (3 - 3)^2
    assert p.total_persistence(None) == p.total_persistence(0) + p.total_persistence(1)
    with pytest.raises(ValueError, match="essential"):
        p.total_persistence(essential="inf")


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.floats(-50, 50))
def test_shifting_values_shifts_the_diagrams(seed: int, shift: float) -> None:
    rng = np.random.default_rng(seed)
    pts = rng.normal(size=(40, 3))
    values = rng.integers(0, 8, size=40).astype(float)  # ties on purpose
    g = knn_on_potential(pts, k=4)
    a = sublevel_persistence(g, values)
    b = sublevel_persistence(g, values + shift)
    np.testing.assert_allclose(b.d0, a.d0 + shift)
    np.testing.assert_allclose(b.d1, a.d1 + shift)
    assert b.total_persistence() == pytest.approx(a.total_persistence())


def test_on_real_trajectories(traj: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        emb = phate_embedding(traj, t=5)
    p = trajectory_topology(emb, traj.train_loss)  # k = 20, capped at n - 1
    assert p.k == traj.n_samples - 1 and p.graph.n_vertices == traj.n_samples
    assert p.total_persistence() > 0
    ref = gudhi_direct(p.graph, traj.train_loss)
    np.testing.assert_array_equal(sorted_pairs(p.d0), ref[0])
    small = trajectory_topology(emb.potential, traj.eval_loss, k=3)
    idx, _ = nearest_neighbors(emb.potential, 3)
    assert small.graph.n_edges <= 3 * traj.n_samples
    assert {tuple(sorted((i, int(j)))) for i in range(traj.n_samples) for j in idx[i]} == \
        {tuple(e) for e in small.graph.edges.tolist()}


def test_bad_input(traj: Any) -> None:
    g = edge_graph(3, [(0, 1), (1, 2)])
    with pytest.raises(ValueError, match="finite"):
        sublevel_persistence(g, np.array([0.0, np.nan, 1.0]))
    with pytest.raises(ValueError, match="shape"):
        sublevel_persistence(g, np.zeros(4))
    with pytest.raises(ValueError, match="complex"):
        sublevel_persistence(g, np.zeros(3), "clique")
    with pytest.raises(TypeError, match="Graph"):
        sublevel_persistence(np.eye(3), np.zeros(3))
    with pytest.raises(ValueError, match="no diffusion potential"):
        trajectory_topology(pca_embedding(traj), traj.train_loss)
    with pytest.raises(ValueError, match="metric"):
        nearest_neighbors(cloud(), 3, "manhattan")
