"""The lower-star filtration of a graph as a gudhi SimplexTree (vertex = its value, edge = the max
of its ends), shared by the extended persistence of graphs and the trajectories' D0/D1."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph import Graph


def lower_star_simplex_tree(graph: Graph, values: np.ndarray) -> tuple[Any, np.ndarray]:
    """Validate ``values`` (finite, one per vertex) and return ``(simplex_tree, values)``.

    Example:
        >>> from landscape_widgets.graph import edge_graph
        >>> st, _ = lower_star_simplex_tree(edge_graph(2, [(0, 1)]), np.array([0.0, 1.0]))
        >>> st.num_simplices()
        3
    """
    import gudhi

    if not isinstance(graph, Graph):
        raise TypeError(f"graph: expected a landscape_widgets Graph, got {type(graph).__name__}")
    vals = np.asarray(values, dtype=np.float64)
    if vals.shape != (graph.n_vertices,):
        raise ValueError(
            f"values: expected shape ({graph.n_vertices},) (one per vertex), got {vals.shape}"
        )
    bad = int((~np.isfinite(vals)).sum())
    if bad:
        raise ValueError(
            f"values: expected finite values, got {bad} NaN/inf (e.g. diverged models); drop "
            "those vertices from the graph first"
        )
    st = gudhi.SimplexTree()
    st.insert_batch(np.arange(graph.n_vertices)[None, :], vals)
    edges = graph.edges
    if edges.size:
        st.insert_batch(edges.T, np.maximum(vals[edges[:, 0]], vals[edges[:, 1]]))
    return st, vals
