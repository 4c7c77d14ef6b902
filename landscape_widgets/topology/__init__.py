"""Topology of sublevel sets: merge trees, 0-dim persistence, extended persistence of graphs.

numba and gudhi are imported only when a tree or diagram is computed.

Example:
    >>> import numpy as np
    >>> from landscape_widgets.topology import merge_tree
    >>> merge_tree(np.array([[0.0, 1.0, 0.2]])).pairs.tolist()
    [[0.2, 1.0]]
"""

from .build import merge_tree
from .extended import ExtendedPersistence, extended_persistence
from .tree import MergeTree

__all__ = ["ExtendedPersistence", "MergeTree", "extended_persistence", "merge_tree"]
