"""The undirected graph every topology stage runs on, stored as symmetric CSR adjacency.

A graph here is just "which vertices are neighbours": vertex ids are ``0 .. n_vertices-1`` (for
a grid, the flat C-order index of the grid point). Every edge is stored in both directions, so
``indices[indptr[v]:indptr[v + 1]]`` are all neighbours of ``v``, sorted ascending.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Graph:
    """Undirected simple graph (no self loops, no duplicate edges) in CSR form.

    Attributes:
        indptr: ``(n_vertices + 1,)`` int64 offsets into ``indices``.
        indices: int64 neighbour ids; each undirected edge appears twice (u->v and v->u).
        n_vertices: number of vertices.
        shape: grid shape for lattice graphs (enables the merge tree's index-arithmetic fast
            path), else ``None``.
        connectivity: ``"full"`` / ``"axis"`` for lattice graphs, ``"knn"``, ``"symmetric-knn"``,
            ``"delaunay"``, ``"gabriel"`` or ``"edges"`` otherwise.

    Example:
        >>> g = edge_graph(3, [(0, 1), (1, 2)])
        >>> g.n_edges, g.neighbors(1).tolist()
        (2, [0, 2])
    """

    indptr: np.ndarray
    indices: np.ndarray
    n_vertices: int
    shape: tuple[int, ...] | None = None
    connectivity: str = "edges"

    def __post_init__(self) -> None:
        indptr = np.asarray(self.indptr, dtype=np.int64)
        indices = np.asarray(self.indices, dtype=np.int64)
        n = int(self.n_vertices)
        if indptr.shape != (n + 1,) or indptr[0] != 0 or indptr[-1] != indices.size:
            raise ValueError(
                f"indptr: expected shape ({n + 1},) starting at 0 and ending at "
                f"len(indices)={indices.size}, got shape {indptr.shape}"
            )
        object.__setattr__(self, "indptr", _readonly(indptr))
        object.__setattr__(self, "indices", _readonly(indices))
        object.__setattr__(self, "n_vertices", n)

    @property
    def n_edges(self) -> int:
        """Number of undirected edges."""
        return self.indices.size // 2

    @property
    def degrees(self) -> np.ndarray:
        """``(n_vertices,)`` number of neighbours of each vertex."""
        return np.diff(self.indptr)

    def neighbors(self, vertex: int) -> np.ndarray:
        """Sorted neighbour ids of one vertex."""
        v = int(vertex)
        if not 0 <= v < self.n_vertices:
            raise IndexError(f"vertex: expected 0 <= vertex < {self.n_vertices}, got {vertex}")
        return self.indices[self.indptr[v] : self.indptr[v + 1]]

    @property
    def edges(self) -> np.ndarray:
        """``(n_edges, 2)`` int64 array of undirected edges ``(u, v)`` with ``u < v``, sorted."""
        src = np.repeat(np.arange(self.n_vertices, dtype=np.int64), self.degrees)
        keep = src < self.indices
        return np.stack([src[keep], self.indices[keep]], axis=1)

    def __repr__(self) -> str:
        grid = f", shape={self.shape}" if self.shape is not None else ""
        return (
            f"Graph(n_vertices={self.n_vertices}, n_edges={self.n_edges}, "
            f"connectivity={self.connectivity!r}{grid})"
        )


def csr_from_directed(
    n_vertices: int, src: np.ndarray, dst: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric, deduplicated, loop-free CSR (indptr, indices) from directed pairs src->dst."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    a = np.concatenate([src, dst])
    b = np.concatenate([dst, src])
    keep = a != b
    # one int64 key per directed edge: sorting it sorts by (a, b) and makes duplicates adjacent
    key = np.unique(a[keep] * np.int64(n_vertices) + b[keep])
    a, b = np.divmod(key, np.int64(n_vertices))
    indptr = np.zeros(n_vertices + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n_vertices), out=indptr[1:])
    return indptr, b


def edge_graph(n_vertices: int, edges: np.ndarray | list) -> Graph:
    """A graph from a user-supplied edge list.

    Args:
        n_vertices: number of vertices (ids ``0 .. n_vertices-1``; isolated vertices allowed).
        edges: ``(E, 2)`` integer pairs. Direction, duplicates and self loops are ignored.

    Example:
        >>> edge_graph(4, [[0, 1], [1, 0], [2, 3]]).n_edges
        2
    """
    if isinstance(n_vertices, bool) or not isinstance(n_vertices, (int, np.integer)):
        raise TypeError(f"n_vertices: expected an int, got {type(n_vertices).__name__}")
    if n_vertices < 1:
        raise ValueError(f"n_vertices: expected at least 1 vertex, got {n_vertices}")
    e = np.asarray(edges)
    if e.size == 0:
        e = e.reshape(0, 2)
    if e.ndim != 2 or e.shape[1] != 2:
        raise ValueError(f"edges: expected an (E, 2) array of vertex pairs, got shape {e.shape}")
    if e.size and not np.issubdtype(e.dtype, np.integer):
        if not np.all(np.equal(np.mod(e, 1), 0)):
            raise ValueError(f"edges: expected integer vertex ids, got dtype {e.dtype}")
    e = e.astype(np.int64)
    if e.size and (e.min() < 0 or e.max() >= n_vertices):
        raise ValueError(
            f"edges: expected vertex ids in [0, {n_vertices - 1}], "
            f"got ids in [{e.min()}, {e.max()}]"
        )
    indptr, indices = csr_from_directed(int(n_vertices), e[:, 0], e[:, 1])
    return Graph(indptr, indices, int(n_vertices), connectivity="edges")
