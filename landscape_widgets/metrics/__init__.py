"""Landscape metrics from a merge tree: minima/saddle counts, persistence, SMAD, basins, and
per-basin statistics of any field.

Example:
    >>> import numpy as np
    >>> from landscape_widgets.topology import merge_tree
    >>> from landscape_widgets.metrics import landscape_metrics
    >>> landscape_metrics(merge_tree(np.array([1.0, 0.0, 1.0]))).n_minima
    1
"""

from .basins import BasinStatistic, basin_statistic
from .metrics import LandscapeMetrics, basin_depths, landscape_metrics, leaf_arcs, smad

__all__ = [
    "BasinStatistic",
    "LandscapeMetrics",
    "basin_depths",
    "basin_statistic",
    "landscape_metrics",
    "leaf_arcs",
    "smad",
]
