"""Types of the lazily exported public names (written by scripts/write_stub.py)."""

__version__: str

from . import examples as examples
from . import plot as plot
from .compare import DistanceMatrix as DistanceMatrix
from .compare import LandscapeCollection as LandscapeCollection
from .compare import MDSEmbedding as MDSEmbedding
from .compare import SweepConfig as SweepConfig
from .compare import SweepError as SweepError
from .compare import mds_embedding as mds_embedding
from .compare import sweep_checkpoints as sweep_checkpoints
from .compare import sweep_training as sweep_training
from .evaluation import sample_landscape as sample_landscape
from .graph import Graph as Graph
from .graph import delaunay_graph as delaunay_graph
from .graph import edge_graph as edge_graph
from .graph import gabriel_graph as gabriel_graph
from .graph import knn_graph as knn_graph
from .graph import lattice_graph as lattice_graph
from .graph import point_graph as point_graph
from .hessian import SpectralDensity as SpectralDensity
from .hessian import hessian_metrics as hessian_metrics
from .hessian import hutchinson_trace as hutchinson_trace
from .hessian import hvp_operator as hvp_operator
from .hessian import lanczos_eigenpairs as lanczos_eigenpairs
from .hessian import spectral_density as spectral_density
from .landscape import Landscape as Landscape
from .layout import BarcodeRows as BarcodeRows
from .layout import LandscapeProfile as LandscapeProfile
from .layout import TreeLayout as TreeLayout
from .layout import barcode_rows as barcode_rows
from .layout import landscape_profile as landscape_profile
from .layout import merge_tree_layout as merge_tree_layout
from .metrics import BasinStatistic as BasinStatistic
from .metrics import LandscapeMetrics as LandscapeMetrics
from .metrics import basin_statistic as basin_statistic
from .metrics import landscape_metrics as landscape_metrics
from .metrics import smad as smad
from .model.loss import ModelLoss as ModelLoss
from .model.loss import model_loss as model_loss
from .provenance import Provenance as Provenance
from .subspace import ProjectedPath as ProjectedPath
from .subspace import Subspace as Subspace
from .subspace import hessian_subspace as hessian_subspace
from .subspace import interpolate as interpolate
from .subspace import project_trajectory as project_trajectory
from .subspace import random_subspace as random_subspace
from .subspace import trajectory_subspace as trajectory_subspace
from .topology import ContourTree as ContourTree
from .topology import MergeTree as MergeTree
from .topology import contour_tree as contour_tree
from .topology import diagram_distance as diagram_distance
from .topology import extended_persistence as extended_persistence
from .topology import merge_tree as merge_tree
from .trajectories import Embedding as Embedding
from .trajectories import GraphPersistence as GraphPersistence
from .trajectories import Trajectories as Trajectories
from .trajectories import jump_and_retrain as jump_and_retrain
from .trajectories import pca_embedding as pca_embedding
from .trajectories import phate_embedding as phate_embedding
from .trajectories import trajectory_topology as trajectory_topology
from .widgets import BarcodeView as BarcodeView
from .widgets import ContourView as ContourView
from .widgets import CurveView as CurveView
from .widgets import EntrySelection as EntrySelection
from .widgets import Explorer as Explorer
from .widgets import Gallery as Gallery
from .widgets import MergeTreeView as MergeTreeView
from .widgets import MetricScatterView as MetricScatterView
from .widgets import PersistenceDiagramView as PersistenceDiagramView
from .widgets import ProfileView as ProfileView
from .widgets import Selection as Selection
from .widgets import SpectrumView as SpectrumView
from .widgets import TopologyModel as TopologyModel
from .widgets import TrajectoryView as TrajectoryView

__all__ = [
    "BarcodeRows",
    "BarcodeView",
    "BasinStatistic",
    "ContourTree",
    "ContourView",
    "CurveView",
    "DistanceMatrix",
    "Embedding",
    "EntrySelection",
    "Explorer",
    "Gallery",
    "Graph",
    "GraphPersistence",
    "Landscape",
    "LandscapeCollection",
    "LandscapeMetrics",
    "LandscapeProfile",
    "MDSEmbedding",
    "MergeTree",
    "MergeTreeView",
    "MetricScatterView",
    "ModelLoss",
    "PersistenceDiagramView",
    "ProfileView",
    "ProjectedPath",
    "Provenance",
    "Selection",
    "SpectralDensity",
    "SpectrumView",
    "Subspace",
    "SweepConfig",
    "SweepError",
    "TopologyModel",
    "Trajectories",
    "TrajectoryView",
    "TreeLayout",
    "barcode_rows",
    "basin_statistic",
    "contour_tree",
    "delaunay_graph",
    "diagram_distance",
    "edge_graph",
    "examples",
    "extended_persistence",
    "gabriel_graph",
    "hessian_metrics",
    "hessian_subspace",
    "hutchinson_trace",
    "hvp_operator",
    "interpolate",
    "jump_and_retrain",
    "knn_graph",
    "lanczos_eigenpairs",
    "landscape_metrics",
    "landscape_profile",
    "lattice_graph",
    "mds_embedding",
    "merge_tree",
    "merge_tree_layout",
    "model_loss",
    "pca_embedding",
    "phate_embedding",
    "plot",
    "point_graph",
    "project_trajectory",
    "random_subspace",
    "sample_landscape",
    "smad",
    "spectral_density",
    "sweep_checkpoints",
    "sweep_training",
    "trajectory_subspace",
    "trajectory_topology",
]
