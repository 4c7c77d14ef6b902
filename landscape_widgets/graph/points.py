"""One entry point for the graphs of scattered points, chosen by name (``connectivity``)."""

from __future__ import annotations

import numpy as np

from ._graph import Graph

# names accepted by ``point_graph`` (and by merge_tree / Explorer / LandscapeCollection for
# scattered landscapes); "symmetric_knn" is the mutual kNN graph (knn_graph(symmetric=True))
POINT_CONNECTIVITIES = ("symmetric_knn", "knn", "delaunay", "gabriel")
DEFAULT_POINT_CONNECTIVITY = "symmetric_knn"


def check_point_connectivity(connectivity: str) -> str:
    """``connectivity`` itself (``"symmetric-knn"`` spelled as ``"symmetric_knn"``), or a
    ValueError naming the choices."""
    name = "symmetric_knn" if connectivity == "symmetric-knn" else connectivity
    if name not in POINT_CONNECTIVITIES:
        raise ValueError(
            f"connectivity: expected one of {POINT_CONNECTIVITIES} for scattered points, "
            f"got {connectivity!r}"
        )
    return name


def point_graph(points: np.ndarray, connectivity: str = DEFAULT_POINT_CONNECTIVITY,
                k: int | None = None) -> Graph:
    """The graph of scattered ``(N, dims)`` points named by ``connectivity``.

    Args:
        points: finite coordinates.
        connectivity: "symmetric_knn" (mutual kNN, the default), "knn" (union kNN),
            "delaunay" or "gabriel" (both at most 3-D).
        k: neighbours per point of the kNN graphs (default ``4 * dims``); not allowed with the
            other two.

    Example:
        >>> import numpy as np
        >>> pts = np.random.default_rng(0).uniform(size=(50, 2))
        >>> point_graph(pts, "gabriel").connectivity
        'gabriel'
    """
    from .knn import knn_graph
    from .triangulation import delaunay_graph, gabriel_graph

    name = check_point_connectivity(connectivity)
    if name in ("knn", "symmetric_knn"):
        return knn_graph(points, k=k, symmetric=name == "symmetric_knn")
    if k is not None:
        raise ValueError(f"k: only the kNN graphs take k, got k={k} with connectivity={name!r}")
    return delaunay_graph(points) if name == "delaunay" else gabriel_graph(points)
