"""The contour tree against topopy, against brute-force join/split trees, and its invariants."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscape_widgets as lw
from landscape_widgets.graph import edge_graph, lattice_graph
from landscape_widgets.topology import ContourTree, contour_tree, merge_tree

from .merge_tree_reference import adjacency_of, reference_merge_tree

LINE = np.array([0.0, 2.0, 1.0, 3.0, 0.5])


def test_hand_computed_line():
    ct = contour_tree(LINE)
    assert isinstance(ct, ContourTree)
    assert ct.nodes.tolist() == [0, 4, 2, 1, 3]
    assert ct.node_kind.tolist() == ["min", "min", "min", "max", "max"]
    assert ct.arcs.tolist() == [[0, 1], [2, 1], [2, 3], [4, 3]]
    assert ct.vertex_arc.tolist() == [-1] * 5
    assert ct.leaves.tolist() == [0, 4]  # in 1-D only the ends are leaves
    assert ct.join_tree.pairs.tolist() == [[0.5, 3.0], [1.0, 2.0]]
    assert ct.split_tree.pairs.tolist() == [[2.0, 1.0]]


def test_regular_vertices_lie_on_arcs():
    # a ramp 0 < 1 < 2 < 3 with a second minimum: 0 - 1 - 2 - 3(max) - 2.5 - 0.5
    values = np.array([0.0, 1.0, 2.0, 3.0, 2.5, 0.5])
    ct = contour_tree(values)
    assert ct.nodes.tolist() == [0, 5, 3]
    assert ct.arcs.tolist() == [[0, 3], [5, 3]]
    assert ct.vertex_arc.tolist() == [-1, 0, 0, -1, 1, -1]
    assert ct.augmented_arcs.tolist() == [[0, 1], [1, 2], [2, 3], [4, 3], [5, 4]]


def test_saddle_of_a_two_dimensional_grid():
    # two pits and two peaks around a centre saddle (full connectivity)
    values = np.array([[0.0, 2.0, 4.0],
                       [2.0, 2.5, 2.0],
                       [4.0, 2.0, 1.0]])
    ct = contour_tree(values)
    assert ct.minima.tolist() == [0, 8]
    assert ct.maxima.tolist() == [2, 6]
    assert len(ct.leaves) == 4 and len(ct.saddles) >= 1


def _reference_arcs(graph, values):
    """topopy's ContourTree on the same graph (nglpy PrebuiltGraph), regular vertices dropped;
    None when topopy's result is not a tree."""
    nglpy = pytest.importorskip("nglpy")
    topopy = pytest.importorskip("topopy")
    nx = pytest.importorskip("networkx")
    tree = topopy.ContourTree(graph=nglpy.PrebuiltGraph([tuple(e) for e in graph.edges.tolist()]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree.build(np.arange(values.size, dtype=float)[:, None], values)
    g = nx.Graph()  # topopy keeps only the critical vertices of either merge tree
    g.add_edges_from(tree.edges)
    if not nx.is_tree(g):
        return None
    for v in list(g.nodes):  # drop regular vertices: one neighbour below, one above
        nb = list(g.neighbors(v))
        if len(nb) == 2 and (values[nb[0]] - values[v]) * (values[nb[1]] - values[v]) < 0:
            g.add_edge(*nb)
            g.remove_node(v)
    return {tuple(sorted(e, key=lambda x: values[x])) for e in g.edges}


def test_agrees_with_topopy_on_grids():
    rng = np.random.default_rng(7)
    compared = not_a_tree = 0
    for trial in range(60):
        shape = [(5, 5), (6, 7), (4, 4, 3), (3, 3, 3)][trial % 4]
        values = rng.permutation(int(np.prod(shape))).astype(float)
        reference = _reference_arcs(lattice_graph(shape, "full"), values)
        if reference is None:  # topopy returns a graph with a cycle now and then
            not_a_tree += 1
            continue
        ours = contour_tree(values.reshape(shape), "full")
        assert {tuple(a) for a in ours.arcs.tolist()} == reference
        compared += 1
    assert compared >= 50 and not_a_tree <= 10


def test_agrees_with_topopy_on_smooth_axis_grids():
    # Landscaper 1.3.1 runs topopy on an empty-region graph, which on a grid is the axis lattice
    ax = np.linspace(-5, 5, 15)
    x, y = np.meshgrid(ax, ax, indexing="ij")
    himmelblau = (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
    reference = _reference_arcs(lattice_graph(x.shape, "axis"), himmelblau.ravel())
    ours = contour_tree(himmelblau, "axis")
    assert {tuple(a) for a in ours.arcs.tolist()} == reference
    assert ours.minima.size == 4 and ours.join_tree.n_saddles == 3


def _brute_join_split(n, arcs_or_graph, values):
    """Brute-force (BFS at every step) join and split trees: minima, basins, death saddles."""
    if isinstance(arcs_or_graph, np.ndarray):
        adjacency = [[] for _ in range(n)]
        for a, b in arcs_or_graph.tolist():
            adjacency[a].append(b)
            adjacency[b].append(a)
    else:
        adjacency = adjacency_of(arcs_or_graph)
    out = []
    for sign in (1, -1):
        ref = reference_merge_tree(sign * values, adjacency)
        out.append((ref["minima"], ref["basins"].tolist(), ref["death_saddle"]))
    return out


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 16), st.integers(0, 2**32 - 1), st.floats(0.0, 3.0))
def test_random_graphs_tree_reproduces_join_and_split_trees(n, seed, density):
    """Carr et al.: the contour tree is the tree whose join and split trees are the domain's.
    On a graph whose cycles are not filled in, the two trees may not fit one tree: then a
    ValueError says so; otherwise the result must reproduce both (checked by brute force)."""
    rng = np.random.default_rng(seed)
    edges = [(i, int(rng.integers(0, i))) for i in range(1, n)]  # connected
    edges += [tuple(rng.integers(0, n, 2)) for _ in range(int(density * n))]
    graph = edge_graph(n, edges)
    values = rng.permutation(n).astype(float)
    try:
        ct = contour_tree(values, graph=graph)
    except ValueError as err:
        assert "do not fit one tree" in str(err)
        return
    assert len(ct.augmented_arcs) == n - 1
    assert _brute_join_split(n, ct.augmented_arcs, values) == _brute_join_split(n, graph, values)
    _check_invariants(ct)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([(7, 6), (12, 12), (4, 5, 3)]), st.integers(0, 2**32 - 1),
       st.booleans())
def test_full_grids_always_give_a_tree_with_minima_plus_maxima_leaves(shape, seed, ties):
    rng = np.random.default_rng(seed)
    values = (rng.integers(0, 4, shape) if ties else rng.normal(size=shape)).astype(float)
    ct = contour_tree(values, "full")
    _check_invariants(ct)
    # on a 2-D/3-D grid with full connectivity every extremum is a leaf and vice versa
    assert len(ct.leaves) == ct.minima.size + ct.maxima.size
    assert ct.minima.size == merge_tree(values).n_minima
    assert ct.maxima.size == merge_tree(values, direction="super").n_minima


def _check_invariants(ct):
    n = ct.n_vertices
    sv = ct.sweep_values
    lower, upper = ct.augmented_arcs[:, 0], ct.augmented_arcs[:, 1]
    assert np.all((sv[lower] < sv[upper]) | ((sv[lower] == sv[upper]) & (lower < upper)))
    # degrees: one arc down per lower component the vertex joins, one up per upper component
    down = np.bincount(upper, minlength=n)
    up = np.bincount(lower, minlength=n)
    join, split = ct.join_tree, ct.split_tree
    join_children = np.ones(n, dtype=int)
    join_children[join.minima] = 0
    np.add.at(join_children, join.death_saddle[join.death_saddle >= 0], 1)
    split_children = np.ones(n, dtype=int)
    split_children[split.minima] = 0
    np.add.at(split_children, split.death_saddle[split.death_saddle >= 0], 1)
    np.testing.assert_array_equal(down, join_children)
    np.testing.assert_array_equal(up, split_children)
    # kinds and the unaugmented arcs
    is_node = np.zeros(n, dtype=bool)
    is_node[ct.nodes] = True
    np.testing.assert_array_equal(is_node, ~((down == 1) & (up == 1)))
    kinds = dict(zip(ct.nodes.tolist(), ct.node_kind.tolist()))
    for v, kind in kinds.items():
        expected = {(True, True): "isolated", (True, False): "min", (False, True): "max",
                    (False, False): "saddle"}[(down[v] == 0, up[v] == 0)]
        assert kind == expected
    assert set(ct.minima.tolist()) | set(ct.nodes[ct.node_kind == "isolated"].tolist()) == set(
        join.minima.tolist())
    components = n - len(ct.augmented_arcs)
    assert len(ct.arcs) == len(ct.nodes) - components  # a forest on the nodes
    regular = np.flatnonzero(ct.vertex_arc >= 0)
    assert regular.size == n - len(ct.nodes)
    assert len(ct.augmented_arcs) == len(ct.arcs) + regular.size  # each subdivides one arc
    a, b = ct.arcs[ct.vertex_arc[regular], 0], ct.arcs[ct.vertex_arc[regular], 1]
    assert np.all((sv[a] <= sv[regular]) & (sv[regular] <= sv[b]))


def test_axis_grid_with_unfilled_squares_is_refused():
    # the level sets wind around the unfilled squares of the 4-neighbour lattice
    values = np.array([[2.0, 8.0, 3.0], [6.0, 0.0, 4.0], [7.0, 5.0, 1.0]])
    with pytest.raises(ValueError, match="do not fit one tree.*connectivity='full'"):
        contour_tree(values, "axis")
    assert contour_tree(values, "full").augmented_arcs.shape == (8, 2)
    # the smallest graph found: a square 1-2-3-4 with a triangle 0-1-4 on one side
    graph = edge_graph(5, [(0, 1), (0, 4), (1, 2), (1, 4), (2, 3), (3, 4)])
    with pytest.raises(ValueError, match="do not fit one tree"):
        contour_tree(np.array([2.0, 4.0, 1.0, 3.0, 0.0]), graph=graph)


def test_disconnected_graph_gives_a_forest():
    graph = edge_graph(5, [(0, 1), (1, 2)])  # 3 and 4 are isolated
    ct = contour_tree(np.array([0.0, 2.0, 1.0, 5.0, 4.0]), graph=graph)
    assert ct.arcs.tolist() == [[0, 1], [2, 1]]
    assert dict(zip(ct.nodes.tolist(), ct.node_kind.tolist()))[3] == "isolated"


def test_scattered_points_and_landscapes():
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (200, 2))
    values = (points**2).sum(1)
    ct = contour_tree(points, values, k=8)
    assert ct.minima.tolist() == [int(np.argmin(values))]
    land = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=2, resolution=11)
    assert lw.contour_tree(land).minima.tolist() == [land.center_index]
    assert "ContourTree(n_vertices=121" in repr(lw.contour_tree(land))


def test_nan_counts_as_plus_inf():
    # a diverged column (NaN) between two valleys: they meet only through it, at +inf
    values = np.array([[0.0, np.nan, 1.0], [2.0, np.nan, 0.5], [3.0, np.nan, 0.2]])
    ct = contour_tree(values)
    assert ct.minima.tolist() == [0, 8]
    assert ct.arcs.tolist() == [[0, 1], [1, 7], [8, 1]]
    assert dict(zip(ct.nodes.tolist(), ct.node_kind.tolist())) == {
        0: "min", 8: "min", 1: "saddle", 7: "max"}
    _check_invariants(ct)
