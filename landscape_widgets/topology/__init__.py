"""Topology of level sets: merge trees (sublevel and super-level), contour trees, 0-dim
persistence and distances between diagrams, extended persistence of graphs.

numba and gudhi are imported only when a tree, diagram or distance is computed.

Example:
    >>> import numpy as np
    >>> from landscape_widgets.topology import merge_tree
    >>> merge_tree(np.array([[0.0, 1.0, 0.2]])).pairs.tolist()
    [[0.2, 1.0]]
"""

from .build import merge_tree
from .contour_tree import ContourTree, contour_tree
from .distance import diagram_distance
from .extended import ExtendedPersistence, extended_persistence
from .tree import MergeTree

__all__ = ["ContourTree", "ExtendedPersistence", "MergeTree", "contour_tree", "diagram_distance",
           "extended_persistence", "merge_tree"]
