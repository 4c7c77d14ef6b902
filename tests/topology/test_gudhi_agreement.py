"""0-dim diagrams agree with gudhi, and which gudhi construction matches which connectivity.

- ``CubicalComplex(vertices=v)``: values on vertices, cells get the max of their vertices. Only
  edges (axis-aligned) merge components, so its H0 is the "axis" (2n) adjacency.
- ``CubicalComplex(top_dimensional_cells=v)``: values on the n-cells, faces get the min of their
  cofaces, so two cells touching at a corner are joined at the later of the two: "full" (3ⁿ−1).
- A lower-star ``SimplexTree`` on a graph's edges matches any graph.
"""

import gudhi
import numpy as np
import pytest

from landscape_widgets.graph import lattice_graph
from landscape_widgets.topology import merge_tree

from .conftest import random_graph


def finite_h0(diagram) -> np.ndarray:
    pts = np.array([p for dim, p in diagram if dim == 0 and np.isfinite(p[1])], dtype=float)
    pts = pts.reshape(-1, 2)
    return pts[np.lexsort((pts[:, 1], pts[:, 0]))]


def ours(tree) -> np.ndarray:
    pts = tree.pairs[(tree.persistence > 0) & np.isfinite(tree.pairs[:, 1])]
    return pts[np.lexsort((pts[:, 1], pts[:, 0]))]


def lower_star(values: np.ndarray, graph) -> gudhi.SimplexTree:
    st = gudhi.SimplexTree()
    for v, f in enumerate(values):
        st.insert([v], filtration=float(f))
    for u, v in graph.edges:
        st.insert([int(u), int(v)], filtration=float(max(values[u], values[v])))
    return st


@pytest.mark.parametrize("shape", [(30, 40), (12, 13, 14)])
def test_cubical_vertices_is_axis_connectivity(shape):
    values = np.random.default_rng(1).random(shape)
    cc = gudhi.CubicalComplex(vertices=values)
    ref = finite_h0(cc.persistence())
    np.testing.assert_array_equal(ours(merge_tree(values, "axis")), ref)
    # and it is not the full connectivity (random fields have fewer minima there)
    assert len(ours(merge_tree(values, "full"))) < len(ref)


@pytest.mark.parametrize("shape", [(30, 40), (12, 13, 14)])
def test_cubical_top_cells_is_full_connectivity(shape):
    values = np.random.default_rng(2).random(shape)
    cc = gudhi.CubicalComplex(top_dimensional_cells=values)
    ref = finite_h0(cc.persistence())
    np.testing.assert_array_equal(ours(merge_tree(values, "full")), ref)


@pytest.mark.parametrize("connectivity", ["full", "axis"])
def test_lower_star_simplex_tree_on_lattice(connectivity):
    values = np.random.default_rng(3).random((8, 9, 7))
    graph = lattice_graph(values.shape, connectivity)
    ref = finite_h0(lower_star(values.ravel(), graph).persistence())
    np.testing.assert_array_equal(ours(merge_tree(values, connectivity)), ref)


@pytest.mark.parametrize("seed", range(5))
def test_lower_star_simplex_tree_on_random_graph(seed):
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, 200, 300)
    values = rng.random(200)
    st = lower_star(values, graph)
    diagram = st.persistence()
    tree = merge_tree(values, graph=graph)
    np.testing.assert_array_equal(ours(tree), finite_h0(diagram))
    # essential classes: one per connected component, born at each component's minimum
    essential = sorted(p[0] for dim, p in diagram if dim == 0 and np.isinf(p[1]))
    never_dies = sorted(values[tree.minima[tree.death_saddle < 0]])
    np.testing.assert_array_equal(essential, never_dies)
