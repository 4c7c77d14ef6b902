"""Delaunay and Gabriel graphs of scattered points (Xie et al.'s unstructured representations).

The Delaunay graph joins two points when some empty ball passes through both (the edges of the
Delaunay triangulation, from scipy's Qhull); the Gabriel graph keeps the Delaunay edges whose
*diametral* ball (the ball with the edge as diameter) holds no other point. Both are built in at
most 3 dimensions: a Delaunay triangulation of N points in d dimensions can have O(N^⌈d/2⌉)
simplices, so above 3-D use ``knn_graph``. scipy.spatial is imported only when a graph is built.
"""

from __future__ import annotations

import numpy as np

from ._graph import Graph, csr_from_directed
from .knn import _check_points

MAX_DIMS = 3
# a point within this fraction of |u − v|² of the diametral sphere counts as on it (inside):
# exactly cocircular points (a grid's square) then drop the diagonal whatever the rounding
_GABRIEL_RTOL = 1e-12


def _check_low_dims(pts: np.ndarray, who: str) -> None:
    if pts.shape[1] > MAX_DIMS:
        raise ValueError(
            f"points: {who} supports at most {MAX_DIMS} dimensions (a Delaunay triangulation "
            f"grows like N^(d/2)), got {pts.shape[1]}; use knn_graph for higher dimensions"
        )


def delaunay_edges(points: np.ndarray) -> np.ndarray:
    """``(E, 2)`` undirected edges (u < v, sorted) of the Delaunay triangulation of points.

    1-D points are joined to their neighbours in sorted order. A point Qhull leaves out of the
    triangulation (a duplicate, or one coplanar with a facet) is joined to its nearest vertex.
    """
    pts = _check_points(points)
    _check_low_dims(pts, "a Delaunay graph")
    n, dims = pts.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    if dims == 1:
        order = np.argsort(pts[:, 0], kind="stable")
        src, dst = order[:-1], order[1:]
    elif n <= dims:  # too few points for a simplex: they are all mutual neighbours
        src, dst = np.triu_indices(n, k=1)
    else:
        from scipy.spatial import Delaunay, QhullError

        try:
            tri = Delaunay(pts)
        except QhullError as err:
            raise ValueError(
                f"points: no {dims}-D Delaunay triangulation exists (the points are degenerate: "
                f"all on a lower-dimensional plane?): {str(err).splitlines()[0]}"
            ) from err
        simplices = np.asarray(tri.simplices, dtype=np.int64)
        a, b = np.triu_indices(dims + 1, k=1)
        src, dst = simplices[:, a].ravel(), simplices[:, b].ravel()
        coplanar = np.asarray(tri.coplanar, dtype=np.int64).reshape(-1, 3)
        if coplanar.size:
            src = np.concatenate([src, coplanar[:, 0]])
            dst = np.concatenate([dst, coplanar[:, 2]])
    indptr, indices = csr_from_directed(n, np.asarray(src), np.asarray(dst))
    return Graph(indptr, indices, n).edges


def delaunay_graph(points: np.ndarray) -> Graph:
    """The Delaunay graph of ``(N, dims)`` points, ``dims <= 3`` (scipy.spatial.Delaunay).

    Example:
        >>> import numpy as np
        >>> square = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.1]])
        >>> delaunay_graph(square).n_edges  # 4 sides and one diagonal
        5
    """
    pts = _check_points(points)
    edges = delaunay_edges(pts)
    n = pts.shape[0]
    indptr, indices = csr_from_directed(n, edges[:, 0], edges[:, 1])
    return Graph(indptr, indices, n, connectivity="delaunay")


def gabriel_graph(points: np.ndarray) -> Graph:
    """The Gabriel graph of ``(N, dims)`` points, ``dims <= 3``: u–v is an edge when no other
    point w lies in the closed ball with diameter uv, i.e. ``(w − u)·(w − v) > 0`` for every
    other w. Every Gabriel edge is a Delaunay edge, so only those are tested. (A duplicated
    point lies on the sphere of its twin's edges, so by this definition the twins keep only
    their edge to each other: remove duplicates first.)

    Example:
        >>> import numpy as np
        >>> square = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> gabriel_graph(square).edges.tolist()  # the diagonals have corners on their sphere
        [[0, 1], [0, 2], [1, 3], [2, 3]]
    """
    pts = _check_points(points)
    n = pts.shape[0]
    edges = delaunay_edges(pts)
    if len(edges):
        keep = _diametral_ball_empty(pts, edges)
        edges = edges[keep]
    indptr, indices = csr_from_directed(n, edges[:, 0], edges[:, 1])
    return Graph(indptr, indices, n, connectivity="gabriel")


def _diametral_ball_empty(pts: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Per edge, whether its closed diametral ball holds no point other than its two ends.

    ``(w − u)·(w − v) = |w − m|² − r²`` (m the midpoint, r half the length), so the point most
    inside the ball is the one nearest m: only that one is tested, found among m's 3 nearest
    points (u and v, at distance r, are at most two of them).
    """
    from scipy.spatial import KDTree

    u, v = pts[edges[:, 0]], pts[edges[:, 1]]
    length2 = np.einsum("ij,ij->i", u - v, u - v)
    k = min(3, pts.shape[0])
    _, near = KDTree(pts).query((u + v) / 2, k=k)
    near = np.asarray(near, dtype=np.int64).reshape(len(edges), k)
    other = (near != edges[:, :1]) & (near != edges[:, 1:])
    if k < 3:  # two points: nothing else can be inside
        return np.ones(len(edges), dtype=bool)
    first = np.argmax(other, axis=1)  # the nearest point that is not an end
    w = pts[near[np.arange(len(edges)), first]]
    dot = np.einsum("ij,ij->i", w - u, w - v)
    return dot > _GABRIEL_RTOL * length2
