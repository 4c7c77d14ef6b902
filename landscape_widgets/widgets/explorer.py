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

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import traitlets
from ipywidgets import widget_serialization

from ._base import BaseView, check_kwargs
from ._scale import check_scale, scale_trait
from ._topology import check_tree_of, validate_tree
from .barcode_view import BarcodeView
from .contour_view import ContourView, check_field
from .merge_tree_view import MergeTreeView
from .persistence_diagram_view import PersistenceDiagramView
from .profile_view import ProfileView
from .selection import Selection
from .spectrum_view import SpectrumView

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
        land: a ``Landscape`` (any dimension; 1-D landscapes get no contour view), on a grid or
            at scattered points (only 2-D scattered landscapes get a contour view: contours of
            the triangulated samples).
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

    Traits (widget references, all linked through ``selection``): ``contour``, ``profile``,
    ``merge_tree``, ``barcode``, ``diagram``, ``spectrum``; plus ``selection`` and ``scale``
    (synced; setting it, here or with the header toggle, sets every view's ``scale``).

    Attributes:
        landscape, tree: the inputs.

    Raises:
        TypeError: for unknown keyword arguments or a non-Landscape input.
        ValueError: if ``scale`` is not "linear", "log" or "auto", if ``tree`` is not the
            merge tree of ``land``'s values, if ``land`` has no finite value, for an unknown
            ``field``, or for ``field``/``trajectory`` on a landscape without a contour view.
    """

    _bundle: ClassVar[str] = "explorer"
    _options: ClassVar[set[str]] = {"contour", "profile", "merge_tree", "barcode", "diagram",
                                    "spectrum", "scale"}

    contour = _slot(ContourView, "contour plot (None for 1-D landscapes and scattered ones "
                                 "that are not 2-D)")
    profile = _slot(ProfileView, "landscape profile")
    merge_tree = _slot(MergeTreeView, "merge tree")
    barcode = _slot(BarcodeView, "persistence barcode")
    diagram = _slot(PersistenceDiagramView, "persistence diagram")
    spectrum = _slot(SpectrumView, "Hessian spectrum (optional)")
    scale = scale_trait()

    def __init__(
        self,
        land: Landscape,
        connectivity: str | None = None,
        *,
        tree: MergeTree | None = None,
        spectrum: Any = None,
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
        scale = check_scale(kwargs.pop("scale", "auto"), "Explorer")
        on_map = {k: kwargs.pop(k) for k in ("field", "trajectory") if kwargs.get(k) is not None}
        kwargs.pop("field", None), kwargs.pop("trajectory", None)
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
        shared = {"selection": sel, "scale": scale}
        views: dict[str, Any] = {
            "profile": ProfileView(tree, landscape=land, width=340, height=300, **shared),
            "merge_tree": MergeTreeView(tree, landscape=land, width=340, height=300, **shared),
            "barcode": BarcodeView(tree, landscape=land, width=420, height=260, **shared),
            "diagram": PersistenceDiagramView(tree, landscape=land, width=340, height=260,
                                              **shared),
        }
        scattered = not getattr(land, "is_grid", True)
        if (land.dims == 2) if scattered else land.values.ndim >= 2:
            views["contour"] = ContourView(land, tree, width=420, height=330, **on_map, **shared)
        elif on_map:
            raise ValueError(
                f"{' and '.join(on_map)}: drawn on the contour map, which this landscape has "
                f"none of ({land.dims}-D{' scattered' if scattered else ''}; a contour map needs "
                "a grid of 2 or more dimensions or 2-D scattered points)"
            )
        if spectrum is not None:
            views["spectrum"] = SpectrumView(spectrum, width=340, height=260, selection=sel)
        super().__init__(selection=sel, scale=scale, **views)
        self.observe(self._spread_scale, names="scale")

    def _spread_scale(self, change: Any) -> None:
        for view in self.views:
            if view.has_trait("scale"):
                view.scale = change["new"]

    @property
    def views(self) -> list[BaseView]:
        """The views present, in dashboard order."""
        names = ("contour", "profile", "merge_tree", "barcode", "diagram", "spectrum")
        return [v for v in (getattr(self, n) for n in names) if v is not None]
