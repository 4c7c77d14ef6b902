"""ContourView: filled contours of a landscape (or of a 2-D slice of an n-D one), linked.

Contours are computed here with contourpy and travel as binary arrays; the browser draws them as
SVG paths, shades the selected basins' points on a canvas underneath, draws the critical points
(minima red, saddles orange) on top, and a colour bar. For an n-D landscape the view shows the
2-D slice through ``slice_index`` (default: the centre) spanned by ``slice_axes``; the browser
offers dropdowns for the axes and sliders for the other coordinates, and the slice is recomputed
in Python when they change (a static HTML export keeps the slice it was saved with). The colour
levels follow ``scale`` ("linear", "log" or "auto", as the loss axes of the other views); both
level sets are precomputed, so the scale also switches in a static export.

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=3, resolution=21)
    >>> view = lw.ContourView(land, levels=10, scale="log")  # doctest: +SKIP
    >>> view.slice_axes = [0, 2]  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import traitlets

from ._base import BaseView
from ._contours import slice_payload
from ._scale import scale_trait
from ._topology import check_tree_of, topology_payload, validate_tree


class ContourView(BaseView):
    """Filled contour plot of a landscape, linked to the other views through ``selection``.

    Args:
        land: a ``Landscape`` with at least 2 dimensions.
        tree: its ``MergeTree`` (computed with ``lw.merge_tree(land)`` when None).
        levels: number of contour levels (2..64).
        scale: colour levels, ``"linear"``, ``"log"`` or ``"auto"`` (default: log when the
            losses span more than two decades; a shifted log when some are <= 0; see
            :mod:`landscape_widgets.widgets._scale`).
        log_scale: deprecated alias: ``True`` means ``scale="log"``, ``False`` ``"linear"``.
        slice_axes: the two axes spanning the plane (n-D only; default ``[0, 1]``).
        slice_index: grid index along every axis of the point the plane goes through (default:
            the centre); only the entries of the non-slice axes matter.
        selection, width, height: see ``BaseView``.

    Traits (all synced): ``levels``, ``scale``, ``slice_axes``, ``slice_index``,
    ``axis_names`` (labels per axis), plus ``selection``, ``width``, ``height``, ``_data``.
    ``log_scale`` is a plain property kept for older code (``scale == "log"``).

    Click a point to select its basin (shift adds); drag a box to select the basins whose minima
    lie in it (or, if none, the basins of the points in it). Hover shows loss, basin, persistence,
    basin size and coordinates.

    Raises:
        ValueError: for a 1-D landscape, a tree of another shape, bad slice axes or indices, or
            a ``scale`` other than "linear", "log" or "auto".
        TypeError: for unknown keyword arguments.
    """

    _bundle: ClassVar[str] = "contour_view"
    _options: ClassVar[set[str]] = {"levels", "scale", "slice_axes", "slice_index",
                                    "axis_names"}

    levels = traitlets.Int(12, help="number of contour levels").tag(sync=True)
    scale = scale_trait()
    slice_axes = traitlets.List(traitlets.Int(), help="the two axes of the plane").tag(sync=True)
    slice_index = traitlets.List(traitlets.Int(), help="grid index the plane passes through").tag(
        sync=True
    )
    axis_names = traitlets.List(traitlets.Unicode(), help="axis labels").tag(sync=True)

    def __init__(self, land: Any, tree: Any = None, **kwargs: Any) -> None:
        values = getattr(land, "values", None)
        if values is None or not hasattr(land, "axes"):
            raise TypeError(f"ContourView: expected a Landscape, got {type(land).__name__}")
        if np.ndim(values) < 2:
            raise ValueError(
                f"ContourView: needs a landscape with at least 2 dimensions, got a "
                f"{np.ndim(values)}-D one of shape {tuple(np.shape(values))} "
                "(draw 1-D landscapes with ProfileView or a line plot)"
            )
        if tree is None:
            from ..topology import merge_tree

            tree = merge_tree(land)
        validate_tree(tree, "ContourView")
        check_tree_of(tree, land, "ContourView")
        if "log_scale" in kwargs:
            kwargs["scale"] = "log" if kwargs.pop("log_scale") else "linear"
        dims = land.values.ndim
        kwargs.setdefault("slice_axes", [0, 1])
        kwargs.setdefault("slice_index", [len(a) // 2 for a in land.axes])
        kwargs.setdefault("axis_names", [f"α{i + 1}" for i in range(dims)])
        self.land, self.tree = land, tree
        self._topology = topology_payload(tree, land.axes)
        super().__init__(**kwargs)
        self._refresh()
        self.observe(self._refresh, names=["levels", "slice_axes", "slice_index"])

    @property
    def log_scale(self) -> bool:
        """Deprecated alias of ``scale == "log"``; setting it sets ``scale``."""
        return self.scale == "log"

    @log_scale.setter
    def log_scale(self, value: bool) -> None:
        self.scale = "log" if value else "linear"

    @traitlets.validate("levels")
    def _valid_levels(self, proposal: dict[str, Any]) -> int:
        if not 2 <= proposal["value"] <= 64:
            raise traitlets.TraitError(f"levels: expected 2..64, got {proposal['value']}")
        return proposal["value"]

    @traitlets.validate("slice_axes")
    def _valid_axes(self, proposal: dict[str, Any]) -> list[int]:
        axes, dims = list(proposal["value"]), self.land.values.ndim
        if len(axes) != 2 or axes[0] == axes[1] or not all(0 <= a < dims for a in axes):
            raise traitlets.TraitError(
                f"slice_axes: expected two different axes in 0..{dims - 1}, got {axes}"
            )
        return axes

    @traitlets.validate("slice_index")
    def _valid_index(self, proposal: dict[str, Any]) -> list[int]:
        index, shape = list(proposal["value"]), self.land.shape
        ok = len(index) == len(shape)
        if not ok or not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
            raise traitlets.TraitError(
                f"slice_index: expected one grid index per axis within {list(shape)}, got {index}"
            )
        return index

    @traitlets.validate("axis_names")
    def _valid_names(self, proposal: dict[str, Any]) -> list[str]:
        if len(proposal["value"]) != self.land.values.ndim:
            raise traitlets.TraitError(
                f"axis_names: expected {self.land.values.ndim} names, got {len(proposal['value'])}"
            )
        return proposal["value"]

    def _refresh(self, change: Any = None) -> None:
        data = slice_payload(
            self.land, self.tree, tuple(self.slice_axes), tuple(self.slice_index),
            self.levels,
        )
        self._data = {"topology": self._topology, "slice": data}
