"""The contour tree: join (sublevel) and split (superlevel) trees merged (Carr et al. 2003).

A contour tree tracks the connected components of the level sets ``{f = t}`` as ``t`` rises:
leaves are minima (a contour appears) and maxima (one vanishes); interior nodes are saddles,
where contours merge or split. Carr, Snoeyink & Axen (2003) build it from the two merge trees of
the same total order, which on a graph are exactly ``merge_tree(f)`` and
``merge_tree(f, direction="super")``; on a graph with cycles the result is the tree whose join
and split trees are those two (the Reeb graph's loops are not represented).

Conventions: vertices are totally ordered by ``(value, id)`` with NaN as +inf (as in the merge
tree). The **augmented** tree has every vertex, ``n_vertices − n_components`` arcs
``(lower, upper)``; the **unaugmented** tree keeps the nodes (every vertex that is not regular,
i.e. not exactly one neighbour below and one above) and joins them by arcs, each of which carries
the regular vertices it passes through (``vertex_arc``).

Node kinds: "min" (no neighbour below in the tree), "max" (none above), "saddle" (any other
non-regular node) and "isolated" (a component of one vertex, which the merge trees count both as
a minimum and as a maximum). On a 2-D or 3-D grid with "full" connectivity every minimum and
maximum is a leaf; on a general graph a minimum may also split (up-degree > 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..graph import Graph
from .tree import MergeTree

KINDS = ("regular", "min", "max", "saddle", "isolated")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class ContourTree:
    """Contour tree of a scalar field on a graph (grid or scattered points), augmented and not.

    Attributes:
        values, sweep_values, shape: as in :class:`MergeTree` (NaN swept as +inf).
        nodes: ``(k,)`` vertex ids of the nodes, in ascending ``(value, id)`` order.
        node_kind: ``(k,)`` "min", "max", "saddle" or "isolated" per node.
        arcs: ``(a,)``-by-2 vertex ids ``(lower, upper)`` of the unaugmented arcs, sorted.
        vertex_arc: ``(N,)`` index into ``arcs`` of the arc each regular vertex lies on; -1 for
            nodes.
        augmented_arcs: ``(N − components, 2)`` vertex ids ``(lower, upper)``: every arc of the
            augmented tree (consecutive vertices along the unaugmented arcs).
        join_tree: the merge tree of the sublevel sets (``merge_tree(f)``): its pairs are the
            minima's barcode (birth at a minimum, death at a join saddle).
        split_tree: the super-level tree (``merge_tree(f, direction="super")``): its pairs are
            the maxima's barcode (birth at a maximum, death at a split saddle below it).

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import contour_tree
        >>> ct = contour_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))
        >>> ct.nodes.tolist(), ct.node_kind.tolist()
        ([0, 4, 2, 1, 3], ['min', 'min', 'min', 'max', 'max'])
        >>> ct.arcs.tolist()
        [[0, 1], [2, 1], [2, 3], [4, 3]]
    """

    values: np.ndarray
    sweep_values: np.ndarray
    shape: tuple[int, ...] | None
    nodes: np.ndarray
    node_kind: np.ndarray
    arcs: np.ndarray
    vertex_arc: np.ndarray
    augmented_arcs: np.ndarray
    join_tree: MergeTree
    split_tree: MergeTree

    def __post_init__(self) -> None:
        for name in ("values", "sweep_values", "nodes", "node_kind", "arcs", "vertex_arc",
                     "augmented_arcs"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    @property
    def n_vertices(self) -> int:
        return self.values.size

    @property
    def node_values(self) -> np.ndarray:
        """``(k,)`` sweep value of each node."""
        return self.sweep_values[self.nodes]

    def _of_kind(self, kind: str) -> np.ndarray:
        return self.nodes[self.node_kind == kind]

    @property
    def minima(self) -> np.ndarray:
        """Vertex ids of the "min" nodes, ascending."""
        return self._of_kind("min")

    @property
    def maxima(self) -> np.ndarray:
        """Vertex ids of the "max" nodes, ascending."""
        return self._of_kind("max")

    @property
    def saddles(self) -> np.ndarray:
        """Vertex ids of the "saddle" nodes, ascending."""
        return self._of_kind("saddle")

    def degrees(self) -> tuple[np.ndarray, np.ndarray]:
        """``(down, up)`` per node: its number of arcs going down and going up."""
        index = np.searchsorted(self._node_sorted, self.arcs)
        order = self._node_order
        down = np.bincount(order[index[:, 1]], minlength=self.nodes.size)
        up = np.bincount(order[index[:, 0]], minlength=self.nodes.size)
        return down, up

    @property
    def leaves(self) -> np.ndarray:
        """Vertex ids of the nodes with exactly one arc (ascending (value, id) order)."""
        down, up = self.degrees()
        return self.nodes[down + up == 1]

    @property
    def _node_sorted(self) -> np.ndarray:
        return np.sort(self.nodes)

    @property
    def _node_order(self) -> np.ndarray:
        return np.argsort(self.nodes, kind="stable")

    def __repr__(self) -> str:
        counts = {k: int(np.sum(self.node_kind == k)) for k in ("min", "max", "saddle")}
        return (
            f"ContourTree(n_vertices={self.n_vertices}, n_minima={counts['min']}, "
            f"n_maxima={counts['max']}, n_saddles={counts['saddle']}, n_arcs={len(self.arcs)})"
        )


def total_order_position(sweep_values: np.ndarray) -> np.ndarray:
    """``(N,)`` each vertex's position in ascending ``(sweep value, id)`` order."""
    from ._sweep import sort_ties_by_id

    order = sort_ties_by_id(np.argsort(sweep_values), sweep_values)
    position = np.empty(order.size, dtype=np.int64)
    position[order] = np.arange(order.size)
    return position


def merge_join_split(join: MergeTree, split: MergeTree) -> ContourTree:
    """The contour tree of the field both trees were built from (same graph, same values)."""
    from ._contour import augmented_links, merge_trees

    if join.is_super or not split.is_super:
        raise ValueError("merge_join_split: expected a sublevel tree and a super-level tree")
    if join.n_vertices != split.n_vertices or not np.array_equal(
            join.sweep_values, split.sweep_values, equal_nan=True):
        raise ValueError("merge_join_split: the two trees are of different fields")
    n = join.n_vertices
    position = total_order_position(join.sweep_values)
    links = [augmented_links(t.basin_index, pos, t.death_saddle, t.n_minima)
             for t, pos in ((join, position), (split, n - 1 - position))]
    (jp, jc, js), (sp, sc, ss) = links
    down_count, up_count = jc.copy(), sc.copy()
    arcs, n_arcs = merge_trees(jp, jc, js, sp, sc, ss)
    components = int(np.sum(join.death_saddle < 0))  # branches that never die
    augmented = arcs[:n_arcs]
    augmented = augmented[np.lexsort((augmented[:, 1], augmented[:, 0]))]
    if n_arcs != n - components or not _reproduces(augmented, join, split):
        raise ValueError(
            "contour_tree: the join and split trees of this graph do not fit one tree: some "
            "level set winds around a cycle of the graph that no triangle fills (a square of an "
            "'axis' grid, a hole of a kNN graph), so only a Reeb graph with loops describes "
            "them. Use connectivity='full' on grids, or a triangulation (e.g. a Delaunay graph)")
    return _condense(join, split, augmented, down_count, up_count)


def _reproduces(augmented: np.ndarray, join: MergeTree, split: MergeTree) -> bool:
    """Whether the tree's own join and split trees are the given ones (Carr et al.'s defining
    property). Minima, basins and death saddles fix the augmented trees, so they are compared."""
    from ..graph import edge_graph
    from .build import merge_tree

    tree_graph = edge_graph(join.n_vertices, augmented)
    for given in (join, split):
        again = merge_tree(given.values, graph=tree_graph, direction=given.direction)
        if not (np.array_equal(again.minima, given.minima)
                and np.array_equal(again.basins, given.basins)
                and np.array_equal(again.death_saddle, given.death_saddle)):
            return False
    return True


def _condense(join: MergeTree, split: MergeTree, augmented: np.ndarray, down: np.ndarray,
              up: np.ndarray) -> ContourTree:
    """Drop the regular vertices (one arc down, one up): each chain of them becomes one arc."""
    n = join.n_vertices
    regular = (down == 1) & (up == 1)
    above = np.arange(n)
    above[augmented[:, 0]] = augmented[:, 1]  # a regular vertex's only arc up
    below = np.arange(n)
    below[augmented[:, 1]] = augmented[:, 0]
    top = np.where(regular, above, np.arange(n))
    bottom = np.where(regular, below, np.arange(n))
    for ptr in (top, bottom):  # pointer jumping to the first node up / down
        while True:
            nxt = np.where(regular[ptr], ptr[ptr], ptr)
            if np.array_equal(nxt, ptr):
                break
            ptr[:] = nxt
    starts = augmented[~regular[augmented[:, 0]]]
    arcs = np.stack([starts[:, 0], top[starts[:, 1]]], axis=1).reshape(-1, 2)
    arcs = arcs[np.lexsort((arcs[:, 1], arcs[:, 0]))]
    key = arcs[:, 0] * n + arcs[:, 1]
    vertex_arc = np.full(n, -1, dtype=np.int64)
    reg = np.flatnonzero(regular)
    vertex_arc[reg] = np.searchsorted(key, bottom[reg] * n + top[reg])
    position = total_order_position(join.sweep_values)
    nodes = np.flatnonzero(~regular)
    nodes = nodes[np.argsort(position[nodes])]
    kind = np.full(nodes.size, "saddle", dtype="<U8")
    low, high = down[nodes] == 0, up[nodes] == 0
    kind[low] = "min"
    kind[high] = "max"
    kind[low & high] = "isolated"
    return ContourTree(
        values=join.values, sweep_values=join.sweep_values, shape=join.shape, nodes=nodes,
        node_kind=kind, arcs=arcs, vertex_arc=vertex_arc, augmented_arcs=augmented,
        join_tree=join, split_tree=split,
    )


def contour_tree(data: object, values: np.ndarray | str | None = None, connectivity: str = "full",
                 graph: Graph | None = None, k: int | None = None,
                 symmetric: bool = False) -> ContourTree:
    """Contour tree of a landscape, grid array, or scattered points, on the same graph as
    :func:`merge_tree` (called with the same arguments): its join tree is ``merge_tree(f)``
    and its split tree ``merge_tree(f, direction="super")``, merged by Carr, Snoeyink & Axen's
    (2003) leaf-peeling algorithm: after the two sweeps, linear time in N.

    Its barcodes are those of its two trees: ``ct.join_tree.pairs`` (minima) and
    ``ct.split_tree.pairs`` (maxima, read downwards).

    Example:
        >>> import numpy as np
        >>> ct = contour_tree(np.array([[0.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 0.0]]),
        ...                   "axis")
        >>> ct.minima.tolist(), ct.maxima.tolist(), ct.saddles.tolist()
        ([0, 2, 6, 8], [4], [1, 3, 5])
    """
    from .build import merge_tree

    shared = graph
    if graph is None and values is not None and not isinstance(values, str):
        # scattered points: one kNN graph for both sweeps (the two trees must share it)
        from ..graph import knn_graph

        shared = knn_graph(np.asarray(data, dtype=np.float64), k=k, symmetric=symmetric)
    join = merge_tree(data, values=values, connectivity=connectivity, graph=shared, k=k,
                      symmetric=symmetric)
    split = merge_tree(data, values=values, connectivity=connectivity, graph=shared, k=k,
                       symmetric=symmetric, direction="super")
    return merge_join_split(join, split)
