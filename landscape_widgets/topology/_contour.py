"""Join + split tree merge of Carr, Snoeyink & Axen (2003), compiled (numba; imported when used).

Both merge trees come in *augmented* form, one parent per vertex, as arrays:

- ``parent[v]``: the next vertex of v's tree towards the root (-1 at a root): in the join tree
  the next vertex up that touches v's sublevel component, in the split tree the next vertex down
  that touches v's superlevel component;
- ``count[v]``: v's number of children (join tree: lower components v joins; split tree: upper
  components it joins);
- ``child_sum[v]``: the sum of those children's ids. When a vertex has one child left the sum
  *is* that child, so no child lists are needed.

The merge repeatedly takes a contour-tree leaf (a vertex with no children in one tree and one
child in the other), moves its arc into the contour tree, deletes it from the tree where it is a
leaf and splices it out of the other tree (its child takes its place under its parent).
"""

from __future__ import annotations

import numpy as np
from numba import njit


def augmented_links(basin_index: np.ndarray, position: np.ndarray, death_saddle: np.ndarray,
                    n_branches: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(parent, count, child_sum)`` of the augmented tree behind a merge tree.

    A branch's vertices (those labelled with its minimum, its saddles included) follow one
    another up in sweep order: while a component's elder branch is b, every vertex touching it
    is labelled b; its last one leads to the saddle where the branch dies (or is the root).

    Args:
        basin_index: ``(N,)`` branch number of each vertex (``MergeTree.basin_index``).
        position: ``(N,)`` each vertex's position in the tree's own sweep order.
        death_saddle: ``(m,)`` per branch, the vertex where it dies or -1.
        n_branches: m.
    """
    n = basin_index.size
    walk = np.lexsort((position, basin_index))  # grouped by branch, in sweep order
    branch = basin_index[walk]
    parent = np.empty(n, dtype=np.int64)
    parent[walk[:-1]] = walk[1:]
    last = np.ones(n, dtype=bool)
    last[:-1] = branch[1:] != branch[:-1]
    parent[walk[last]] = death_saddle[branch[last]] if n_branches else -1
    has = parent >= 0
    count = np.bincount(parent[has], minlength=n).astype(np.int64)
    child_sum = np.bincount(parent[has], weights=np.flatnonzero(has).astype(np.float64),
                            minlength=n)
    # exact below 2**53, and the sum of a vertex's children ids is far below that here
    return parent, count, np.rint(child_sum).astype(np.int64)


@njit(cache=True)
def merge_trees(join_parent, join_count, join_sum, split_parent, split_count, split_sum):
    """Merge the augmented join (up) and split (down) trees into contour-tree arcs.

    The six arrays are modified in place. Returns ``(arcs, n_arcs)``: ``arcs[:n_arcs]`` are
    ``(lower, upper)`` vertex pairs; ``n_arcs`` is N − (number of components) when the two
    trees are consistent (fewer means the merge ran out of leaves).
    """
    n = join_parent.size
    queue = np.empty(n, np.int64)
    head = 0
    tail = 0
    done = np.zeros(n, np.bool_)
    for v in range(n):
        if join_count[v] + split_count[v] == 1:
            queue[tail] = v
            tail += 1
    arcs = np.empty((max(n - 1, 0), 2), np.int64)
    n_arcs = 0
    while head < tail:
        x = queue[head]
        head += 1
        if done[x] or join_count[x] + split_count[x] != 1:
            continue  # the last vertex of its component (no neighbour left)
        done[x] = True
        if split_count[x] == 0:  # upper leaf: its arc goes down, along the split tree
            y = split_parent[x]
            arcs[n_arcs, 0] = y
            arcs[n_arcs, 1] = x
            split_count[y] -= 1
            split_sum[y] -= x
            child = join_sum[x]  # splice x out of the join tree
            up = join_parent[x]
            join_parent[child] = up
            if up >= 0:
                join_sum[up] += child - x
        else:  # lower leaf: its arc goes up, along the join tree
            y = join_parent[x]
            arcs[n_arcs, 0] = x
            arcs[n_arcs, 1] = y
            join_count[y] -= 1
            join_sum[y] -= x
            child = split_sum[x]  # splice x out of the split tree
            down = split_parent[x]
            split_parent[child] = down
            if down >= 0:
                split_sum[down] += child - x
        n_arcs += 1
        if not done[y] and join_count[y] + split_count[y] == 1:
            queue[tail] = y
            tail += 1
    return arcs, n_arcs
