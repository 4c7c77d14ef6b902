"""Exact neighbour structure of a regular n-D grid, from index arithmetic only.

Vertex ids are flat C-order indices. "full" connectivity joins every pair of grid points whose
indices differ by at most 1 on every axis (3ⁿ−1 offsets: the 8-neighbourhood of an image in 2-D);
"axis" joins only points that differ by 1 on exactly one axis (2n offsets). No coordinates are
ever built: a neighbour of flat id ``v`` is ``v + Σ offset_i·stride_i`` wherever the offset stays
inside the grid on each axis.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from ._graph import Graph, csr_from_directed

CONNECTIVITIES = ("full", "axis")

# "full" gives every vertex 3ⁿ−1 neighbour slots, and the merge-tree sweep tests each of them:
# about size·(3ⁿ−1)/2 edges. Above this many the work runs into minutes (a 2¹⁴ grid has
# 3.9e10; measured 40-110 M slots per second on one core) and the offset table alone into
# gigabytes (3ⁿ·n int64), so "full" is refused there with a pointer to "axis" (2n neighbours).
# Raise it deliberately if you have the time: ``landscape_widgets.graph.lattice.MAX_FULL_EDGES``.
MAX_FULL_EDGES = 10**9


def check_connectivity(connectivity: str) -> str:
    if connectivity not in CONNECTIVITIES:
        raise ValueError(f"connectivity: expected 'full' or 'axis', got {connectivity!r}")
    return connectivity


def check_shape(shape: Sequence[int]) -> tuple[int, ...]:
    try:
        out = tuple(int(s) for s in shape)
    except TypeError as err:
        raise TypeError(f"shape: expected a sequence of ints, got {shape!r}") from err
    if len(out) == 0 or any(s < 1 for s in out):
        raise ValueError(f"shape: expected at least one axis, each of length >= 1, got {out}")
    return out


def lattice_edge_estimate(shape: Sequence[int], connectivity: str = "full") -> int:
    """The edges a sweep over this grid examines: ``size·(3ⁿ−1)/2`` for "full" (every
    neighbour slot, inside the grid or not), ``size·n`` for "axis"; ``n`` counts the axes
    longer than 1 (the others have no neighbours along them).

    Example:
        >>> lattice_edge_estimate((41, 41, 41, 41)), lattice_edge_estimate((2,) * 14)
        (113030440, 39182073856)
    """
    shape = check_shape(shape)
    dims = sum(1 for s in shape if s > 1)
    size = 1
    for s in shape:
        size *= s
    per_vertex = 3**dims - 1 if check_connectivity(connectivity) == "full" else 2 * dims
    return size * per_vertex // 2


def check_lattice_cost(shape: Sequence[int], connectivity: str) -> None:
    """Refuse "full" connectivity where the sweep would examine more than ``MAX_FULL_EDGES``
    edges (minutes to hours of work, gigabytes of offsets), saying how to get "axis"."""
    if check_connectivity(connectivity) != "full":
        return
    shape = check_shape(shape)
    edges = lattice_edge_estimate(shape, "full")
    if edges <= MAX_FULL_EDGES:
        return
    dims = sum(1 for s in shape if s > 1)
    size = edges * 2 // (3**dims - 1)
    raise ValueError(
        f"connectivity: 'full' joins each point of this {dims}-D grid (shape {shape}, {size} "
        f"points) to its 3^{dims}-1 = {3**dims - 1} neighbours, about {edges:.2g} edges to "
        f"examine; expected at most {MAX_FULL_EDGES:.0e} (more takes minutes to hours). Use "
        f"connectivity='axis' ({2 * dims} neighbours per point: merge_tree(land, "
        "connectivity='axis'), Explorer(land, connectivity='axis'), "
        "LandscapeCollection(..., connectivity='axis')), or a coarser grid"
    )


def lattice_offsets(dims: int, connectivity: str = "full") -> np.ndarray:
    """``(K, dims)`` int64 neighbour offsets: K = 3**dims − 1 ("full") or 2·dims ("axis").

    Example:
        >>> lattice_offsets(2, "axis").tolist()
        [[-1, 0], [0, -1], [0, 1], [1, 0]]
    """
    check_connectivity(connectivity)
    if dims >= 1:
        check_lattice_cost((2,) * int(dims), connectivity)  # the smallest grid with dims axes
    if connectivity == "axis":
        eye = np.eye(dims, dtype=np.int64)
        offsets = np.concatenate([-eye, eye])
    else:
        offsets = np.array(
            [o for o in itertools.product((-1, 0, 1), repeat=dims) if any(o)], dtype=np.int64
        ).reshape(-1, dims)
    # lexicographic order = ascending flat offset, so CSR rows come out sorted
    return offsets[np.lexsort(offsets.T[::-1])]


def c_strides(shape: Sequence[int]) -> np.ndarray:
    """Element strides of a C-order array of this shape (flat id = Σ index_i·stride_i)."""
    shape = tuple(shape)
    strides = np.ones(len(shape), dtype=np.int64)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    return strides


def lattice_graph(shape: Sequence[int], connectivity: str = "full") -> Graph:
    """Explicit CSR graph of a grid's lattice adjacency.

    Memory grows as ``size × K`` (K = 80 neighbours in 4-D "full"), so for big grids prefer
    ``merge_tree(landscape)``, which walks the same neighbours by index arithmetic without
    materialising them.

    Example:
        >>> lattice_graph((3, 3), "full").degrees.reshape(3, 3).tolist()
        [[3, 5, 3], [5, 8, 5], [3, 5, 3]]
    """
    full_shape = check_shape(shape)
    check_lattice_cost(full_shape, connectivity)
    # axes of length 1 carry no edges: dropping them keeps every flat id and every edge
    shape = tuple(s for s in full_shape if s > 1) or (1,)
    offsets = lattice_offsets(len(shape), connectivity)
    strides = c_strides(shape)
    n = int(np.prod(shape))
    src_parts, dst_parts = [], []
    for off in offsets:
        if off.tolist() > [0] * len(shape):
            continue  # each undirected edge once; csr_from_directed adds the reverse
        # valid sources: those whose shifted index stays on the grid on every axis
        valid = np.ones(shape, dtype=bool)
        for axis, o in enumerate(off):
            index: list[int | slice] = [slice(None)] * len(shape)
            if o == -1:
                index[axis] = 0
                valid[tuple(index)] = False
            elif o == 1:
                index[axis] = -1
                valid[tuple(index)] = False
        src = np.flatnonzero(valid)
        src_parts.append(src)
        dst_parts.append(src + int(off @ strides))
    src = np.concatenate(src_parts) if src_parts else np.zeros(0, np.int64)
    dst = np.concatenate(dst_parts) if dst_parts else np.zeros(0, np.int64)
    indptr, indices = csr_from_directed(n, src, dst)
    return Graph(indptr, indices, n, shape=full_shape, connectivity=connectivity)
