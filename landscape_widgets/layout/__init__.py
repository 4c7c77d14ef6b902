"""Geometry for drawing, as plain arrays any renderer can use: the topological landscape profile
(Oesterling et al.), the merge-tree layout and barcode rows. Every element carries the vertex id
of its basin's minimum, the key the widgets use for brushing.

Example:
    >>> import numpy as np
    >>> from landscape_widgets.topology import merge_tree
    >>> tree = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))
    >>> landscape_profile(tree).basin_ids.tolist(), barcode_rows(tree).basin.tolist()
    ([0, 4, 2], [0, 4, 2])
"""

from .barcode import BarcodeRows, barcode_rows
from .profile import LandscapeProfile, landscape_profile
from .tree_layout import TreeLayout, merge_tree_layout

__all__ = [
    "BarcodeRows",
    "LandscapeProfile",
    "TreeLayout",
    "barcode_rows",
    "landscape_profile",
    "merge_tree_layout",
]
