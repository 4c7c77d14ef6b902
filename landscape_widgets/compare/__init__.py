"""Comparing many landscapes: seeds × hyperparameters × checkpoints.

- :class:`LandscapeCollection`: landscapes keyed by named parameters (``{"lr": 0.01,
  "seed": 1}``) with their topological, Hessian and user metrics; built incrementally, saved to
  one directory (a JSON index + one ``.npz`` per landscape, no pickle), ``table()`` as a pandas
  DataFrame (pandas is imported only there).
- ``coll.distance_matrix()``: pairwise bottleneck/Wasserstein distances between the entries'
  persistence diagrams (:class:`DistanceMatrix`), mapped to 2-D by :func:`mds_embedding`.
- :func:`sweep_checkpoints` / :func:`sweep_training`: fill a collection from checkpoints or from
  a grid of training runs with one fixed configuration (:class:`SweepConfig`, or its fields as
  keywords), one progress bar, resumption and an ``on_entry`` hook for live views.

The browser views of a collection (``lw.Gallery``, ``lw.MetricScatterView``) live in
``landscape_widgets.widgets``. torch is imported only by the sweeps, pandas only by tables.

Example:
    >>> import landscape_widgets as lw
    >>> coll = lw.LandscapeCollection()
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=9)
    >>> coll.add({"seed": 0}, land).metrics["n_minima"]
    1.0
"""

from ._distributed import SweepError
from .collection import (
    HESSIAN_METRICS,
    REDUCTIONS,
    TOPOLOGY_METRICS,
    Entry,
    LandscapeCollection,
    reduce_values,
)
from .distances import DistanceMatrix, MDSEmbedding, mds_embedding
from .sweep import sweep_checkpoints, sweep_training
from .sweep_config import SweepConfig, SweepOptions

__all__ = [
    "HESSIAN_METRICS",
    "REDUCTIONS",
    "DistanceMatrix",
    "MDSEmbedding",
    "SweepConfig",
    "SweepError",
    "SweepOptions",
    "TOPOLOGY_METRICS",
    "Entry",
    "LandscapeCollection",
    "mds_embedding",
    "reduce_values",
    "sweep_checkpoints",
    "sweep_training",
]
