"""Explorer: the whole dashboard in one widget output, every view linked.

Contours (2-D and up), landscape profile, merge tree, barcode, persistence diagram and optionally
a Hessian spectrum share one :class:`Selection`. A persistence-threshold slider (drawn in the
browser) sets ``selection.min_persistence``; every view simplifies live and the selection is
relabelled to the surviving basins. A "loss scale" toggle in the header (auto | linear | log)
sets ``scale`` on every view at once (see :mod:`landscape_widgets.widgets._scale`). All of it
runs in the browser, so ``to_html`` gives a standalone file in which brushing, simplification
and the scale toggle still work without a kernel (only the contour slice of an n-D landscape
stays the one it was saved with).

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.examples.four_wells(resolution=41)  # doctest: +SKIP
    >>> ex = lw.Explorer(land, scale="auto")  # doctest: +SKIP
    >>> ex.selection.observe(print, names="basins")  # doctest: +SKIP
    >>> ex.to_html("landscape.html")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

import numpy as np
import traitlets
from ipywidgets import widget_serialization

from ._base import BaseView, check_kwargs
from ._scale import check_scale, scale_trait
from ._topology import check_tree_of, validate_tree
from .barcode_view import BarcodeView
from .contour_view import ContourView, check_field
from .curve_view import CurveView
from .merge_tree_view import MergeTreeView
from .persistence_diagram_view import PersistenceDiagramView
from .profile_view import ProfileView
from .selection import Selection
from .spectrum_view import SpectrumView
from .topology_model import TopologyModel, topology_trait

if TYPE_CHECKING:  # pragma: no cover - types only; keeps the widgets free of torch
    from ..landscape import Landscape
    from ..topology.tree import MergeTree


def _slot(cls: type, help: str) -> traitlets.Instance:
    return traitlets.Instance(cls, allow_none=True, help=help).tag(
        sync=True, **widget_serialization
    )


class Explorer(BaseView):
    """Dashboard of linked views of one landscape.

    Args:
        land: a ``Landscape`` (any dimension; 1-D landscapes get a curve instead of contours), on
            a grid or at scattered points (only 2-D scattered landscapes get a contour view:
            contours of the triangulated samples).
        connectivity: the graph of ``lw.merge_tree``: "full" or "axis" for a grid; default
            "full" for grids, "symmetric_knn" for scattered points (or "knn", "delaunay",
            "gabriel").
        tree: a precomputed ``MergeTree`` of ``land`` (else computed here).
        spectrum: optional Hessian ``Subspace`` / eigenvalues / ``SpectralDensity`` to show.
        selection: a ``Selection`` to share with views outside the dashboard.
        min_persistence: initial threshold (``selection.min_persistence``).
        scale: loss axes of every view, ``"linear"``, ``"log"`` or ``"auto"`` (default: log
            when the losses span more than two decades; a labelled shifted log when some are
            <= 0).
        field: colour the contour map by ``land.fields[field]`` instead of the loss (see
            :class:`ContourView`); the other views keep the loss.
        trajectory: a training path to draw on the contour map (``lw.project_trajectory``'s
            result or a mapping; see :class:`ContourView`).
        views: which panels to show, in order, from ``VIEW_NAMES`` (default: every one that
            applies: no contour for 1-D landscapes, the spectrum only when one is given).

    Traits (widget references, all linked through ``selection``): ``contour``, ``curve``,
    ``profile``,
    ``merge_tree``, ``barcode``, ``diagram``, ``spectrum``; plus ``selection``, ``topology``
    (the one :class:`TopologyModel` every panel draws from) and ``scale`` (synced; setting
    it, here or with the header toggle, sets every view's ``scale``).

    Attributes:
        landscape, tree: the inputs.

    Raises:
        TypeError: for unknown keyword arguments, a non-Landscape input, or ``views`` that is
            not a list of names.
        ValueError: if ``scale`` is not "linear", "log" or "auto", if ``tree`` is not the
            merge tree of ``land``'s values, if ``land`` has no finite value, for an unknown
            ``field``, for ``field``/``trajectory`` without a contour view, or if ``views``
            names an unknown panel, repeats one, or asks for one that does not apply (a
            contour without a contour map, a curve of a landscape that is not a 1-D grid, a
            spectrum without ``spectrum=``).
    """

    _bundle: ClassVar[str] = "explorer"
    _options: ClassVar[set[str]] = {"contour", "profile", "merge_tree", "barcode", "diagram",
                                    "spectrum", "scale", "title", "order", "curve",
                                    "topology"}

    contour = _slot(ContourView, "contour plot (None for 1-D landscapes and scattered ones "
                                 "that are not 2-D)")
    curve = _slot(CurveView, "loss against alpha (1-D landscapes)")
    profile = _slot(ProfileView, "landscape profile")
    merge_tree = _slot(MergeTreeView, "merge tree")
    barcode = _slot(BarcodeView, "persistence barcode")
    diagram = _slot(PersistenceDiagramView, "persistence diagram")
    spectrum = _slot(SpectrumView, "Hessian spectrum (optional)")
    scale = scale_trait()
    topology = topology_trait()
    title = traitlets.Unicode("", help="what the landscape is (from its provenance)").tag(
        sync=True)
    order = traitlets.List(traitlets.Unicode(), help="panels shown, in order").tag(sync=True)

    def __init__(
        self,
        land: Landscape,
        connectivity: str | None = None,
        *,
        tree: MergeTree | None = None,
        spectrum: Any = None,
        views: Any = None,
        **kwargs: Any,
    ) -> None:
        check_kwargs("Explorer", kwargs,
                     {"selection", "min_persistence", "scale", "field", "trajectory"})
        if not hasattr(land, "values") or not hasattr(land, "axes"):
            raise TypeError(f"Explorer: expected a Landscape, got {type(land).__name__}")
        if not np.isfinite(land.values).any():
            raise ValueError(
                f"Explorer: expected a landscape with at least one finite value to draw, got "
                f"{land.values.size} values, all NaN or ±inf (the model diverged everywhere "
                "on the grid?)"
            )
        order = check_views(views, _has_contour(land), _has_curve(land), spectrum is not None,
                            _kind(land))
        scale = check_scale(kwargs.pop("scale", "auto"), "Explorer")
        on_map = {k: kwargs.pop(k) for k in ("field", "trajectory") if kwargs.get(k) is not None}
        kwargs.pop("field", None)
        kwargs.pop("trajectory", None)
        if "field" in on_map:
            check_field(land, on_map["field"])
        if tree is None:
            from ..topology import merge_tree

            tree = merge_tree(land, connectivity=connectivity)
        validate_tree(tree, "Explorer")
        check_tree_of(tree, land, "Explorer")
        sel = kwargs.get("selection") or Selection()
        if "min_persistence" in kwargs:
            sel.min_persistence = kwargs["min_persistence"]
        self.landscape, self.tree = land, tree
        # one topology on the wire for every panel: the browser decodes it once
        topology = TopologyModel(tree, landscape=land)
        shared = {"selection": sel, "scale": scale, "topology": topology}
        make = {
            "profile": lambda: ProfileView(tree, landscape=land, width=340, height=300,
                                           **shared),
            "merge_tree": lambda: MergeTreeView(tree, landscape=land, width=340, height=300,
                                                **shared),
            "barcode": lambda: BarcodeView(tree, landscape=land, width=420, height=260,
                                           **shared),
            "diagram": lambda: PersistenceDiagramView(tree, landscape=land, width=340,
                                                      height=260, **shared),
            "contour": lambda: ContourView(land, tree, width=420, height=330, **on_map,
                                           **shared),
            "curve": lambda: CurveView(land, tree, width=420, height=300, **shared),
            "spectrum": lambda: SpectrumView(spectrum, width=340, height=260, selection=sel),
        }
        if on_map and "contour" not in order:
            scattered = not getattr(land, "is_grid", True)
            raise ValueError(
                f"{' and '.join(on_map)}: drawn on the contour map, which this Explorer has "
                f"none of ({land.dims}-D{' scattered' if scattered else ''}; a contour map needs "
                "a grid of 2 or more dimensions or 2-D scattered points, and 'contour' in views)"
            )
        panels = {name: make[name]() for name in order}
        super().__init__(selection=sel, scale=scale, title=describe(land), order=list(order),
                         topology=topology, **panels)
        self.observe(self._spread_scale, names="scale")

    def _spread_scale(self, change: Any) -> None:
        for view in self.views:
            if view.has_trait("scale"):
                cast(Any, view).scale = change["new"]  # the views that have the trait

    @property
    def views(self) -> list[BaseView]:
        """The views present, in dashboard order."""
        return [v for v in (getattr(self, n) for n in self.order) if v is not None]


#: Panel names accepted by ``Explorer(views=...)``, in the default order.
VIEW_NAMES = ("contour", "curve", "profile", "merge_tree", "barcode", "diagram", "spectrum")


def _has_contour(land: Any) -> bool:
    """A contour map needs a grid of 2 or more dimensions, or 2-D scattered points."""
    return land.dims == 2 if not getattr(land, "is_grid", True) else land.values.ndim >= 2


def _kind(land: Any) -> str:
    scattered = not getattr(land, "is_grid", True)
    return f"{land.dims}-D {'scattered landscape' if scattered else 'landscape'}"


def _has_curve(land: Any) -> bool:
    return getattr(land, "is_grid", True) and land.values.ndim == 1


def check_views(views: Any, has_contour: bool, has_curve: bool, has_spectrum: bool,
                what: str = "this landscape") -> tuple[str, ...]:
    """Validate ``Explorer(views=...)``; ``None`` gives every panel that applies."""
    applies = {"contour": has_contour, "curve": has_curve, "spectrum": has_spectrum}
    if views is None:
        return tuple(n for n in VIEW_NAMES if applies.get(n, True))
    if isinstance(views, str) or not all(isinstance(v, str) for v in views):
        raise TypeError(f"Explorer: views expected a list of names from {VIEW_NAMES}, "
                        f"received {views!r}")
    views = tuple(views)
    unknown = [v for v in views if v not in VIEW_NAMES]
    if unknown:
        raise ValueError(f"Explorer: views expected names from {VIEW_NAMES}, received unknown "
                         f"{unknown}")
    if not views or len(set(views)) != len(views):
        raise ValueError(f"Explorer: views expected at least one name, each once, received "
                         f"{list(views)}")
    if not applies["contour"] and "contour" in views:
        raise ValueError(f"Explorer: views asked for 'contour', but a {what} has no contour "
                         "map (it needs a grid of 2 or more dimensions or 2-D scattered points; "
                         "use 'curve' for a 1-D grid, or 'profile', 'merge_tree', 'barcode', "
                         "'diagram')")
    if not applies["curve"] and "curve" in views:
        raise ValueError(f"Explorer: views asked for 'curve', which draws 1-D landscapes (on a "
                         f"grid); this one is a {what} (use 'contour')")
    if not applies["spectrum"] and "spectrum" in views:
        raise ValueError("Explorer: views asked for 'spectrum' but no spectrum= was given")
    return views


def describe(land: Any) -> str:
    """One line saying what the landscape is: subspace kind, dims, resolution, loss, model."""
    prov: Any = getattr(land, "provenance", None)  # read only where present (getattr below)
    shape = tuple(land.values.shape)
    scattered = not getattr(land, "is_grid", True)
    parts = []
    source = getattr(prov, "source", None)
    if source:
        parts.append(f"{source} landscape" if source in ("array", "function") else
                     f"{source} subspace")
    parts.append(f"{land.dims}-D")
    parts.append(f"{shape[0]:,} scattered points" if scattered else
                 " × ".join(str(n) for n in shape) + " grid")
    if getattr(prov, "loss_name", None):
        parts.append(f"loss: {prov.loss_name}")
    if getattr(prov, "model_name", None):
        parts.append(f"model: {prov.model_name}")
    if getattr(prov, "normalization", None):
        parts.append(f"{prov.normalization} normalisation")
    return " · ".join(parts)
