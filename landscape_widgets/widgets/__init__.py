"""Linked anywidget views of a landscape's topology, and the dashboard that holds them.

Only this subpackage imports ipywidgets/anywidget. Each view ``FooView`` (``foo_view.py``) has a
browser twin ``js/src/foo_view.js`` bundled into ``landscape_widgets/static/``; all views share
one :class:`Selection`. The views of a ``LandscapeCollection`` (``Gallery``,
``MetricScatterView``) share an :class:`EntrySelection` instead.

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=2, resolution=21)
    >>> ex = lw.Explorer(land)  # doctest: +SKIP
"""

from .barcode_view import BarcodeView
from .contour_view import ContourView
from .curve_view import CurveView
from .entry_selection import EntrySelection
from .explorer import Explorer
from .export import to_html
from .gallery import Gallery
from .merge_tree_view import MergeTreeView
from .metric_scatter_view import MetricScatterView
from .persistence_diagram_view import PersistenceDiagramView
from .profile_view import ProfileView
from .selection import Selection
from .spectrum_view import SpectrumView
from .topology_model import TopologyModel
from .trajectory_view import TrajectoryView

__all__ = [
    "BarcodeView",
    "ContourView",
    "CurveView",
    "EntrySelection",
    "Explorer",
    "Gallery",
    "MergeTreeView",
    "MetricScatterView",
    "PersistenceDiagramView",
    "ProfileView",
    "Selection",
    "SpectrumView",
    "TopologyModel",
    "TrajectoryView",
    "to_html",
]
