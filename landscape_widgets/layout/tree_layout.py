"""Merge-tree layout: node positions and orthogonal ("elbow") edges, ready for any renderer.

Leaves (minima) are spread evenly over [0, 1] in the same left-to-right order as the landscape
profile (left children, the branch itself, right children), so brushing a basin lights up matching
places in both views and no two edges cross. A saddle is centred over its children (midway between
its leftmost and rightmost child). y is the node's value; non-finite values are clipped to the
finite range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..topology.tree import MergeTree, index_of
from ._forest import build_forest, check_count, check_tree, freeze, inorder


@dataclass(frozen=True, eq=False)
class TreeLayout:
    """Positions of the merge tree's nodes and the polylines of its arcs.

    Attributes:
        node_x, node_y: ``(n,)`` x in [0, 1], y = value (clipped to [y_min, y_max]).
        node_vertex: ``(n,)`` vertex id of each node; nodes keep ``MergeTree.node_vertex`` order
            (minima, then saddles), restricted to the kept basins.
        node_index: ``(n,)`` index of each node in ``MergeTree.node_vertex``.
        node_is_minimum: ``(n,)`` True for leaves.
        node_basin: ``(n,)`` minimum id of the branch the node lies on: the minimum itself for a
            leaf, the surviving (elder) branch for a saddle.
        node_parent: ``(n,)`` layout index of the parent node, -1 for the root.
        edge_source, edge_target: ``(e,)`` node indices, child -> parent; a root's stem up to
            ``y_max`` has target -1.
        edge_basin: ``(e,)`` minimum id of the branch the arc belongs to.
        edge_path_offsets, edge_path_x, edge_path_y: CSR polylines, vertical from the child
            then horizontal to the parent (3 points; stems 2).
        y_min, y_max: finite value range.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> lay = merge_tree_layout(merge_tree(np.array([0.0, 2.0, 1.0, 3.0])))
        >>> lay.node_x.tolist(), lay.node_y.tolist(), lay.edge_target.tolist()
        ([0.25, 0.75, 0.5], [0.0, 1.0, 2.0], [2, 2, -1])
    """

    node_x: np.ndarray
    node_y: np.ndarray
    node_vertex: np.ndarray
    node_index: np.ndarray
    node_is_minimum: np.ndarray
    node_basin: np.ndarray
    node_parent: np.ndarray
    edge_source: np.ndarray
    edge_target: np.ndarray
    edge_basin: np.ndarray
    edge_path_offsets: np.ndarray
    edge_path_x: np.ndarray
    edge_path_y: np.ndarray
    y_min: float
    y_max: float

    def __post_init__(self) -> None:
        freeze(self)

    @property
    def n_nodes(self) -> int:
        return int(self.node_x.size)


def merge_tree_layout(tree: MergeTree, max_basins: int | None = None) -> TreeLayout:
    """Layout of the merge tree, optionally reduced to its ``max_basins`` most persistent
    branches (a dropped branch's leaf, arcs and its death saddle, when no kept branch dies
    there, disappear).

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> lay = merge_tree_layout(merge_tree(np.array([0.0, 2.0, 1.0, 3.0])))
        >>> lay.edge_path_x.tolist()[:3], lay.edge_path_y.tolist()[:3]
        ([0.25, 0.25, 0.5], [0.0, 2.0, 2.0])
    """
    caller = "merge_tree_layout"
    forest = build_forest(check_tree(tree, caller), check_count(max_basins, "max_basins", caller),
                          caller)
    k = forest.size
    child = np.flatnonzero(forest.parent >= 0)
    # kept saddles: where a kept branch dies, in the tree's saddle (sweep) order
    saddle_rank = index_of(tree.saddles, forest.death_saddle[child])
    kept_ranks, child_node = np.unique(saddle_rank, return_inverse=True)
    saddle_vertex = tree.saddles[kept_ranks]
    n = k + saddle_vertex.size
    child_node = k + child_node.reshape(-1)  # node where each dying branch ends

    node_vertex = np.concatenate([forest.ids, saddle_vertex])
    node_index = np.concatenate([forest.index, tree.n_minima + kept_ranks])
    node_is_minimum = np.arange(n) < k
    branch = np.empty(n, dtype=np.int64)  # forest index of the branch each node lies on
    branch[:k] = np.arange(k)
    branch[child_node] = forest.parent[child]  # all branches dying at a saddle share a parent
    death_node = np.full(k, -1, dtype=np.int64)
    death_node[child] = child_node

    # along each branch: minimum, then its saddles upward; the last node leads to the death
    by_branch = np.lexsort((np.arange(n), branch))  # saddle nodes are already in sweep order
    grouped = branch[by_branch]
    node_parent = np.empty(n, dtype=np.int64)
    node_parent[by_branch[:-1]] = by_branch[1:]
    last = np.ones(n, dtype=bool)
    last[:-1] = grouped[1:] != grouped[:-1]
    node_parent[by_branch[last]] = death_node[grouped[last]]

    values = tree.sweep_values[node_vertex]
    node_y = forest.clamp(values)
    position, _, _ = inorder(forest)
    node_x = np.empty(n)
    node_x[:k] = (position + 0.5) / k
    _centre_saddles(node_x, node_parent, node_vertex, values, k)

    source = np.arange(n)
    target = node_parent
    stem = target < 0
    n_points = np.where(stem, 2, 3)
    offsets = np.concatenate([[0], np.cumsum(n_points)])
    px = np.empty(offsets[-1])
    py = np.empty_like(px)
    tx = node_x[np.maximum(target, 0)]
    ty = np.where(stem, forest.y_max, node_y[np.maximum(target, 0)])
    px[offsets[:-1]], py[offsets[:-1]] = node_x, node_y  # start at the child
    px[offsets[:-1] + 1], py[offsets[:-1] + 1] = node_x, ty  # up to the parent's height
    elbow = offsets[:-1][~stem] + 2
    px[elbow], py[elbow] = tx[~stem], ty[~stem]  # across to the parent
    ids = forest.ids
    return TreeLayout(
        node_x=node_x, node_y=node_y, node_vertex=node_vertex, node_index=node_index,
        node_is_minimum=node_is_minimum, node_basin=ids[branch], node_parent=node_parent,
        edge_source=source, edge_target=target, edge_basin=ids[branch],
        edge_path_offsets=offsets, edge_path_x=px, edge_path_y=py,
        y_min=forest.y_min, y_max=forest.y_max,
    )


def _centre_saddles(node_x: np.ndarray, node_parent: np.ndarray, node_vertex: np.ndarray,
                    values: np.ndarray, n_minima: int) -> None:
    """Set each saddle's x midway between its leftmost and rightmost child, in place.

    Children enter the sweep before their parent, so one pass in (value, id) order sees every
    child before its parent (one scalar step per node; nodes are few compared with vertices).
    """
    n = node_x.size
    lo = [np.inf] * n
    hi = [-np.inf] * n
    xs = node_x.tolist()
    parents = node_parent.tolist()
    for i in np.lexsort((node_vertex, values)).tolist():
        if i >= n_minima:
            xs[i] = (lo[i] + hi[i]) / 2
        p = parents[i]
        if p >= 0:
            lo[p] = min(lo[p], xs[i])
            hi[p] = max(hi[p], xs[i])
    node_x[n_minima:] = xs[n_minima:]
