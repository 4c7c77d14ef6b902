"""landscape_widgets: topological analysis of neural-network loss landscapes.

Public names are grouped by pipeline stage and imported lazily, so ``import landscape_widgets``
stays fast and works without torch, numba or gudhi installed until a stage needs them.

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=2, resolution=11)
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module (relative to this package) that defines it, grouped by stage
_EXPORTS: dict[str, str] = {
    # the data object
    "Landscape": ".landscape",
    "Provenance": ".provenance",
    # subspace
    "Subspace": ".subspace",
    "random_subspace": ".subspace",
    "hessian_subspace": ".subspace",
    "interpolate": ".subspace",
    "trajectory_subspace": ".subspace",
    "project_trajectory": ".subspace",
    "ProjectedPath": ".subspace",
    # hessian
    "hvp_operator": ".hessian",
    "lanczos_eigenpairs": ".hessian",
    "hutchinson_trace": ".hessian",
    "spectral_density": ".hessian",
    "SpectralDensity": ".hessian",
    "hessian_metrics": ".hessian",
    # any model, any loss: a loss closure fn(model, batch)
    "model_loss": ".model.loss",
    "ModelLoss": ".model.loss",
    # evaluation
    "sample_landscape": ".evaluation",
    # graph
    "Graph": ".graph",
    "lattice_graph": ".graph",
    "knn_graph": ".graph",
    "delaunay_graph": ".graph",
    "gabriel_graph": ".graph",
    "point_graph": ".graph",
    "edge_graph": ".graph",
    # topology
    "MergeTree": ".topology",
    "merge_tree": ".topology",
    "ContourTree": ".topology",
    "contour_tree": ".topology",
    "diagram_distance": ".topology",
    "extended_persistence": ".topology",
    # metrics
    "LandscapeMetrics": ".metrics",
    "landscape_metrics": ".metrics",
    "smad": ".metrics",
    "basin_statistic": ".metrics",
    "BasinStatistic": ".metrics",
    # compare (many landscapes: seeds x hyperparameters x checkpoints)
    "LandscapeCollection": ".compare",
    "sweep_checkpoints": ".compare",
    "sweep_training": ".compare",
    "DistanceMatrix": ".compare",
    "MDSEmbedding": ".compare",
    "mds_embedding": ".compare",
    "SweepError": ".compare",
    "SweepConfig": ".compare",
    # trajectories (jump and retrain, PHATE, graph persistence; Horoi et al.)
    "Trajectories": ".trajectories",
    "jump_and_retrain": ".trajectories",
    "Embedding": ".trajectories",
    "phate_embedding": ".trajectories",
    "pca_embedding": ".trajectories",
    "GraphPersistence": ".trajectories",
    "trajectory_topology": ".trajectories",
    # layout
    "LandscapeProfile": ".layout",
    "landscape_profile": ".layout",
    "TreeLayout": ".layout",
    "merge_tree_layout": ".layout",
    "BarcodeRows": ".layout",
    "barcode_rows": ".layout",
    # widgets (anywidget views linked through one shared Selection)
    "Selection": ".widgets",
    "TopologyModel": ".widgets",
    "ContourView": ".widgets",
    "CurveView": ".widgets",
    "MergeTreeView": ".widgets",
    "BarcodeView": ".widgets",
    "PersistenceDiagramView": ".widgets",
    "ProfileView": ".widgets",
    "SpectrumView": ".widgets",
    "TrajectoryView": ".widgets",
    "Explorer": ".widgets",
    # widgets of a LandscapeCollection (linked through one EntrySelection)
    "EntrySelection": ".widgets",
    "Gallery": ".widgets",
    "MetricScatterView": ".widgets",
    # submodules: figures for papers (matplotlib, imported on first use) and examples
    "plot": ".plot",
    "examples": ".examples",
}

_SUBMODULES = {"plot", "examples"}  # exported as the module itself, not an attribute of it

# ``from landscape_widgets import *`` must work without the optional matplotlib: plot is left out
__all__ = sorted(set(_EXPORTS) - {"plot"})


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'landscape_widgets' has no attribute {name!r}")
    module = importlib.import_module(module_name, __name__)
    value = module if name in _SUBMODULES else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
