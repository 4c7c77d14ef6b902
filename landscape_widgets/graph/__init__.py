"""Graphs the topology runs on: exact grid lattices, kNN graphs of scattered points, edge lists.

Example:
    >>> from landscape_widgets.graph import lattice_graph
    >>> lattice_graph((41, 41), "axis").n_edges
    3280
"""

from ._graph import Graph, edge_graph
from .knn import knn_graph
from .lattice import lattice_graph, lattice_offsets

__all__ = ["Graph", "edge_graph", "knn_graph", "lattice_graph", "lattice_offsets"]
