"""k-nearest-neighbour graphs for scattered points (seeds 001/003: k = 4·dims).

``symmetric=False`` keeps u–v when either point is among the other's k nearest (the usual
undirected kNN graph); ``symmetric=True`` keeps it only when each is among the other's k nearest
(mutual kNN). Exact search uses scipy's KD-tree; approximate search uses NN-descent
(``pynndescent``), imported only when used because its numba compilation takes tens of seconds.
"""

from __future__ import annotations

import numpy as np

from .._checks import real_array
from ._graph import Graph, csr_from_directed

METHODS = ("auto", "exact", "nndescent")
# KD-trees degrade towards brute force in high dimension; NN-descent pays off only on big inputs
_EXACT_MAX_DIMS = 12
_EXACT_MAX_POINTS = 200_000


def _check_points(points: np.ndarray) -> np.ndarray:
    pts = real_array("points", points)
    if pts.ndim != 2 or pts.shape[0] == 0 or pts.shape[1] == 0:
        raise ValueError(f"points: expected a non-empty (N, dims) array, got shape {pts.shape}")
    if not np.all(np.isfinite(pts)):
        raise ValueError("points: expected finite coordinates, got NaN or inf")
    return pts


def _exact_neighbors(pts: np.ndarray, k: int) -> np.ndarray:
    from scipy.spatial import KDTree

    _, idx = KDTree(pts).query(pts, k=k + 1)
    return np.asarray(idx, dtype=np.int64).reshape(pts.shape[0], k + 1)


def _nndescent_neighbors(pts: np.ndarray, k: int, random_state: int | None) -> np.ndarray:
    try:
        from pynndescent import NNDescent
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "knn_graph(method='nndescent') needs pynndescent: pip install pynndescent"
        ) from err
    index = NNDescent(pts, n_neighbors=k + 1, random_state=random_state)
    idx, _ = index.neighbor_graph  # type: ignore[misc]  # (indices, distances) once built
    return np.asarray(idx, dtype=np.int64)


def _drop_self(idx: np.ndarray, k: int) -> np.ndarray:
    """Remove each row's own id (with duplicate points it need not come first); keep k others."""
    n = idx.shape[0]
    is_self = idx == np.arange(n)[:, None]
    # rows without their own id (duplicates won the tie) drop their last, farthest entry
    no_self = ~is_self.any(axis=1)
    is_self[no_self, -1] = True
    # rows listing their own id twice cannot happen; keep exactly k per row
    first_self = is_self & (np.cumsum(is_self, axis=1) == 1)
    return idx[~first_self].reshape(n, k)


def knn_graph(
    points: np.ndarray,
    k: int | None = None,
    symmetric: bool = False,
    method: str = "auto",
    random_state: int | None = 0,
) -> Graph:
    """Undirected kNN graph of points.

    Args:
        points: ``(N, dims)`` finite coordinates.
        k: neighbours per point; default ``4 * dims``; capped at ``N − 1``.
        symmetric: mutual kNN (both directions required) instead of the union.
        method: "exact" (KD-tree), "nndescent" (approximate), or "auto": exact unless the
            points have more than 12 dimensions AND there are more than 200,000 of them.
        random_state: seed for NN-descent.

    Example:
        >>> import numpy as np
        >>> g = knn_graph(np.arange(5.0)[:, None], k=1)
        >>> g.edges.tolist()
        [[0, 1], [1, 2], [2, 3], [3, 4]]
    """
    pts = _check_points(points)
    n, dims = pts.shape
    if k is None:
        k = 4 * dims
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k: expected an int or None, got {type(k).__name__}")
    if k < 1:
        raise ValueError(f"k: expected a positive number of neighbours, got {k}")
    if method not in METHODS:
        raise ValueError(f"method: expected one of {METHODS}, got {method!r}")
    k = min(int(k), n - 1)
    if k == 0:  # a single point: no edges
        return Graph(np.zeros(2, np.int64), np.zeros(0, np.int64), 1, connectivity="knn")
    if method == "auto":
        method = "exact" if dims <= _EXACT_MAX_DIMS or n <= _EXACT_MAX_POINTS else "nndescent"
    if method == "exact":
        idx = _exact_neighbors(pts, k)
    else:
        idx = _nndescent_neighbors(pts, k, random_state)
    nbrs = _drop_self(idx, k)
    src = np.repeat(np.arange(n, dtype=np.int64), k)
    dst = nbrs.ravel()
    if symmetric:
        # keep u->v only if v->u is also present (mutual neighbours)
        key = src * n + dst
        reverse = dst * n + src
        mutual = np.isin(key, reverse)
        src, dst = src[mutual], dst[mutual]
    indptr, indices = csr_from_directed(n, src, dst)
    kind = "symmetric-knn" if symmetric else "knn"
    return Graph(indptr, indices, n, connectivity=kind)
