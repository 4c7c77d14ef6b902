"""The compiled union-find sweep behind :func:`merge_tree` (numba; imported only when used).

One kernel serves both neighbour sources: grids (neighbours by index arithmetic on the shape,
nothing materialised) and CSR graphs. It visits vertices in sweep order and, for each vertex,
collects the distinct union-find roots of its already-visited neighbours:

- no root: the vertex is a new minimum (a component is born);
- one root: a regular vertex, it joins that component's branch;
- k >= 2 roots: a join saddle; the component with the oldest (lowest) minimum survives and the
  k−1 younger ones die here (elder rule).

Minima are numbered in the order they are born, which is already the (value, id) order.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def _find(parent, x):
    # path halving: amortised near-constant depth without recursion
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True)
def sweep(order, shape, interior_mask, offsets, flat_offsets, indptr, indices, on_grid):
    """Union-find sweep.

    Returns ``(n_minima, minima, death_saddle, parent_index, basin_index)`` where ``minima``
    (vertex ids), ``death_saddle`` (vertex id or -1) and ``parent_index`` (index of the elder
    minimum or -1) are indexed by minimum number (valid up to ``n_minima``) and ``basin_index``
    is, per vertex, the number of the minimum whose branch it belongs to.
    """
    n = order.size
    dims = shape.size
    n_offsets = flat_offsets.size
    parent = np.full(n, -1, np.int32)  # -1: not visited yet
    comp_min = np.empty(n, np.int32)  # per root: number of its oldest minimum
    basin_index = np.empty(n, np.int32)
    minima = np.empty(n, np.int64)
    death_saddle = np.full(n, -1, np.int64)
    parent_index = np.full(n, -1, np.int64)
    max_degree = n_offsets
    if not on_grid:
        max_degree = 0
        for v in range(n):
            max_degree = max(max_degree, indptr[v + 1] - indptr[v])
    roots = np.empty(max(max_degree, 1), np.int32)
    coord = np.empty(dims, np.int64)
    n_minima = 0
    for i in range(n):
        v = order[i]
        n_roots = 0
        last_root = -1
        if on_grid:
            interior = interior_mask[v]
            if not interior:  # only boundary vertices need their coordinates
                rest = v
                for d in range(dims - 1, -1, -1):
                    coord[d] = rest % shape[d]
                    rest //= shape[d]
            for k in range(n_offsets):
                if not interior:
                    inside = True
                    for d in range(dims):
                        c = coord[d] + offsets[k, d]
                        if c < 0 or c >= shape[d]:
                            inside = False
                            break
                    if not inside:
                        continue
                u = v + flat_offsets[k]
                pu = parent[u]
                # cheap exits first: unvisited, or hanging directly off the last root found
                if pu < 0 or pu == last_root:
                    continue
                r = _find(parent, u)
                if r == last_root:
                    continue
                last_root = r
                seen = False
                for j in range(n_roots - 1, -1, -1):
                    if roots[j] == r:
                        seen = True
                        break
                if not seen:
                    roots[n_roots] = r
                    n_roots += 1
        else:
            for p in range(indptr[v], indptr[v + 1]):
                u = indices[p]
                pu = parent[u]
                if pu < 0 or pu == last_root:
                    continue
                r = _find(parent, u)
                if r == last_root:
                    continue
                last_root = r
                seen = False
                for j in range(n_roots - 1, -1, -1):
                    if roots[j] == r:
                        seen = True
                        break
                if not seen:
                    roots[n_roots] = r
                    n_roots += 1
        if n_roots == 0:
            parent[v] = v
            comp_min[v] = n_minima
            basin_index[v] = n_minima
            minima[n_minima] = v
            n_minima += 1
        elif n_roots == 1:
            r = roots[0]
            parent[v] = r
            basin_index[v] = comp_min[r]
        else:
            best = roots[0]
            for j in range(1, n_roots):
                if comp_min[roots[j]] < comp_min[best]:
                    best = roots[j]
            elder = comp_min[best]
            for j in range(n_roots):
                r = roots[j]
                if r != best:
                    young = comp_min[r]
                    death_saddle[young] = v
                    parent_index[young] = elder
                    parent[r] = best
            parent[v] = best
            basin_index[v] = elder
    return n_minima, minima, death_saddle, parent_index, basin_index


@njit(cache=True)
def sort_ties_by_id(order, keys):
    """Make an (unstable) argsort of ``keys`` stable in place: sort each run of equal keys by
    vertex id. Much cheaper than a stable float sort, since ties are rare except on plateaus."""
    n = order.size
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and keys[order[stop]] == keys[order[start]]:
            stop += 1
        if stop - start > 1:
            order[start:stop] = np.sort(order[start:stop])
        start = stop
    return order
