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


def lattice_offsets(dims: int, connectivity: str = "full") -> np.ndarray:
    """``(K, dims)`` int64 neighbour offsets: K = 3**dims − 1 ("full") or 2·dims ("axis").

    Example:
        >>> lattice_offsets(2, "axis").tolist()
        [[-1, 0], [0, -1], [0, 1], [1, 0]]
    """
    check_connectivity(connectivity)
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
    shape = check_shape(shape)
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
            index = [slice(None)] * len(shape)
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
    return Graph(indptr, indices, n, shape=shape, connectivity=connectivity)
