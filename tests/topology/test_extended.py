"""Extended persistence of graphs: cross-checked with the merge tree and graph invariants."""

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from landscape_widgets.graph import edge_graph, knn_graph
from landscape_widgets.topology import extended_persistence, merge_tree

from .conftest import random_graph


def n_components(graph):
    e = graph.edges
    adj = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(graph.n_vertices,) * 2)
    return connected_components(adj, directed=False)


def test_square_with_pendant():
    graph = edge_graph(5, [(0, 1), (1, 2), (2, 3), (3, 0), (3, 4)])
    ep = extended_persistence(graph, np.array([0.0, 2.0, 1.0, 3.0, 5.0]))
    assert ep.ordinary0.tolist() == [[1.0, 2.0]]  # the minimum at 1 joins at 2
    assert ep.extended0.tolist() == [[0.0, 5.0]]  # one component: (min, max)
    assert ep.relative1.tolist() == [[2.0, 1.0]]  # local maximum 2 joins downward at 1
    assert ep.extended1.tolist() == [[3.0, 0.0]]  # the square closes at 3, lowest vertex 0
    assert ep.d0.shape == (2, 2) and ep.d1.shape == (2, 2)
    assert ep.total_persistence(0) == pytest.approx(1 + 25)
    assert ep.total_persistence() == pytest.approx(1 + 25 + 1 + 9)


@pytest.mark.parametrize("seed", range(6))
def test_random_graph_invariants(seed):
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, 60, 90)
    values = rng.random(60)
    ep = extended_persistence(graph, values)
    tree = merge_tree(values, graph=graph)
    finite = tree.pairs[np.isfinite(tree.pairs[:, 1])]
    np.testing.assert_array_equal(np.sort(ep.ordinary0, axis=0), np.sort(finite, axis=0))
    n_comp, labels = n_components(graph)
    assert len(ep.extended0) == n_comp
    expected = sorted((values[labels == c].min(), values[labels == c].max())
                      for c in range(n_comp))
    assert sorted(map(tuple, ep.extended0.tolist())) == expected
    assert len(ep.extended1) == graph.n_edges - graph.n_vertices + n_comp  # cycle rank
    assert np.all(ep.extended1[:, 0] >= ep.extended1[:, 1])
    assert np.all(ep.relative1[:, 0] > ep.relative1[:, 1])


def test_knn_graph_of_points():
    points = np.random.default_rng(0).random((200, 2))
    ep = extended_persistence(knn_graph(points, k=8), np.sin(6 * points[:, 0]) + points[:, 1])
    assert len(ep.extended0) == 1 and len(ep.extended1) > 0


@pytest.mark.parametrize(
    ("values", "match"),
    [
        (np.array([0.0, np.nan, 1.0]), "finite values, got 1 NaN/inf"),
        (np.zeros(4), r"expected shape \(3,\) \(one per vertex\), got \(4,\)"),
    ],
)
def test_bad_inputs(values, match):
    with pytest.raises(ValueError, match=match):
        extended_persistence(edge_graph(3, [(0, 1)]), values)
    with pytest.raises(TypeError, match="graph: expected a landscape_widgets Graph"):
        extended_persistence([(0, 1)], np.zeros(2))
    with pytest.raises(ValueError, match="degree: expected 0, 1 or None"):
        extended_persistence(edge_graph(2, [(0, 1)]), np.zeros(2)).total_persistence(2)
