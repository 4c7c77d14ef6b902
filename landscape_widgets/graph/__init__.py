"""Graphs the topology runs on: exact grid lattices; kNN, Delaunay and Gabriel graphs of scattered
points; edge lists.

Example:
    >>> from landscape_widgets.graph import lattice_graph
    >>> lattice_graph((41, 41), "axis").n_edges
    3280
"""

from ._graph import Graph, edge_graph
from .knn import knn_graph
from .lattice import lattice_graph, lattice_offsets
from .points import POINT_CONNECTIVITIES, point_graph
from .triangulation import delaunay_graph, gabriel_graph

__all__ = ["POINT_CONNECTIVITIES", "Graph", "delaunay_graph", "edge_graph", "gabriel_graph",
           "knn_graph", "lattice_graph", "lattice_offsets", "point_graph"]
