"""ContourView: filled contours of a landscape (or of a 2-D slice of an n-D one), linked.

Contours are computed here with contourpy and travel as binary arrays; the browser draws them as
SVG paths, outlines the selected basins' pixels, draws the critical points (minima red, saddles
orange) on top, and a colour bar. Level of detail: a slice whose contours exceed
``_contours.POINT_BUDGET`` points per scale (noisy landscapes) sends no polygons, and the
browser colours the raster of values by band (an image inside the SVG); at most about one
critical-point marker per 24 x 24 px is drawn, the most persistent first.
For an n-D landscape the view shows the
2-D slice through ``slice_index`` (default: the centre) spanned by ``slice_axes``; the browser
offers dropdowns for the axes and sliders for the other coordinates, and the slice is recomputed
in Python when they change (a static HTML export keeps the slice it was saved with). A 2-D
scattered landscape is contoured from the linear interpolation on the triangulation of its
samples, with basins per pixel from the nearest sample (``_contours.scattered_slice_payload``).
The colour
levels follow ``scale`` ("linear", "log" or "auto", as the loss axes of the other views); both
level sets are precomputed, so the scale also switches in a static export.

``trajectory=`` draws a training path on top (``lw.project_trajectory``'s result, or a mapping
with ``coords`` and optional ``epochs``, ``losses``, ``labels``): a polyline through the
checkpoints' coordinates on the two slice axes, one marker per checkpoint (the last one larger);
clicking a marker writes its label, epoch, loss and distance off the subspace under the plot.

``field="accuracy"`` colours the map by one of ``land.fields`` (``sample_landscape(metrics=)``)
instead of the loss, on a linear colour bar labelled with the field's name; basins, critical
points and selection stay those of the loss's merge tree.

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=3, resolution=21)
    >>> view = lw.ContourView(land, levels=10, scale="log")  # doctest: +SKIP
    >>> view.slice_axes = [0, 2]  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, cast

import numpy as np
import traitlets

from ..io.wire import to_wire
from ._base import BaseView
from ._contours import scattered_slice_payload, slice_payload
from ._scale import scale_trait
from ._topology import check_tree_of, validate_tree
from .topology_model import resolve_topology, topology_trait

if TYPE_CHECKING:  # pragma: no cover - types only; keeps the widgets free of torch
    from ..landscape import Landscape
    from ..topology.tree import MergeTree


class ContourView(BaseView):
    """Filled contour plot of a landscape, linked to the other views through ``selection``.

    Args:
        land: a ``Landscape`` with at least 2 dimensions (exactly 2 for scattered points).
        tree: its ``MergeTree`` (computed with ``lw.merge_tree(land)`` when None).
        levels: number of contour levels (2..64).
        scale: colour levels, ``"linear"``, ``"log"`` or ``"auto"`` (default: log when the
            losses span more than two decades; a shifted log when some are <= 0; see
            :mod:`landscape_widgets.widgets._scale`).
        log_scale: deprecated alias: ``True`` means ``scale="log"``, ``False`` ``"linear"``.
        slice_axes: the two axes spanning the plane (n-D only; default ``[0, 1]``).
        slice_index: grid index along every axis of the point the plane goes through (default:
            the centre); only the entries of the non-slice axes matter.
        trajectory: a training path to draw: a ``ProjectedPath`` from
            ``lw.project_trajectory`` or a mapping with ``coords`` (``(n, dims)`` subspace
            coordinates) and optional ``epochs``, ``losses``, ``labels`` and ``residuals``
            (one per checkpoint). Checkpoints outside the landscape's extent are clipped (with a
            warning).
        field: colour by ``land.fields[field]`` instead of the loss ("" or None: the loss).
        topology: the landscape's shared ``TopologyModel`` (default: a new one of ``tree``).
        selection, width, height: see ``BaseView``.

    Traits (all synced): ``field``, ``levels``, ``scale``, ``slice_axes``, ``slice_index``,
    ``axis_names`` (labels per axis), plus ``topology``, ``selection``, ``width``,
    ``height``, ``_data``.
    ``log_scale`` is a plain property kept for older code (``scale == "log"``).

    Click a point to select its basin (shift adds); drag a box to select the basins whose minima
    lie in it (or, if none, the basins of the points in it). Hover shows loss, basin, persistence,
    basin size and coordinates. Clicking a checkpoint of the trajectory also shows its epoch and
    loss.

    Raises:
        ValueError: for a 1-D landscape, a tree of another shape, bad slice axes or indices, a
            ``scale`` other than "linear", "log" or "auto", or a ``field`` the landscape lacks.
        TypeError: for unknown keyword arguments.
    """

    _bundle: ClassVar[str] = "contour_view"
    _options: ClassVar[set[str]] = {"levels", "scale", "slice_axes", "slice_index",
                                    "axis_names", "field", "topology"}

    levels = traitlets.Int(12, help="number of contour levels").tag(sync=True)
    scale = scale_trait()
    topology = topology_trait()
    slice_axes = traitlets.List(traitlets.Int(), help="the two axes of the plane").tag(sync=True)
    slice_index = traitlets.List(traitlets.Int(), help="grid index the plane passes through").tag(
        sync=True
    )
    axis_names = traitlets.List(traitlets.Unicode(), help="axis labels").tag(sync=True)
    field = traitlets.Unicode("", help="colour by this field of the landscape ('' = loss)").tag(
        sync=True
    )

    def __init__(self, land: Landscape, tree: MergeTree | None = None, **kwargs: Any) -> None:
        values = getattr(land, "values", None)
        if values is None or not hasattr(land, "axes"):
            raise TypeError(f"ContourView: expected a Landscape, got {type(land).__name__}")
        scattered = not getattr(land, "is_grid", True)
        if scattered and land.dims != 2:
            raise ValueError(
                f"ContourView: a scattered landscape must be 2-D to contour, got {land.dims}-D "
                "(its merge tree, profile, barcode and diagram views work in any dimension)"
            )
        if not scattered and np.ndim(values) < 2:
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
        if kwargs.get("field") is None:
            kwargs.pop("field", None)
        check_field(land, kwargs.get("field", ""))
        if "log_scale" in kwargs:
            kwargs["scale"] = "log" if kwargs.pop("log_scale") else "linear"
        dims = land.dims
        kwargs.setdefault("slice_axes", [0, 1])
        kwargs.setdefault("slice_index", [0] if scattered else [len(a) // 2 for a in land.axes])
        kwargs.setdefault("axis_names", [f"α{i + 1}" for i in range(dims)])
        self.land, self.tree = land, tree
        self.trajectory = trajectory_payload(kwargs.pop("trajectory", None), land)
        kwargs["topology"] = resolve_topology(tree, kwargs.get("topology"), land, "ContourView")
        super().__init__(**kwargs)
        self._refresh()
        self.observe(self._refresh, names=["levels", "slice_axes", "slice_index", "field"])

    @property
    def log_scale(self) -> bool:
        """Deprecated alias of ``scale == "log"``; setting it sets ``scale``."""
        return self.scale == "log"

    @log_scale.setter
    def log_scale(self, value: bool) -> None:
        self.scale = "log" if value else "linear"

    @traitlets.validate("field")
    def _valid_field(self, proposal: dict[str, Any]) -> str:
        check_field(self.land, proposal["value"], error=traitlets.TraitError)
        return proposal["value"]

    @traitlets.validate("levels")
    def _valid_levels(self, proposal: dict[str, Any]) -> int:
        if not 2 <= proposal["value"] <= 64:
            raise traitlets.TraitError(f"levels: expected 2..64, got {proposal['value']}")
        return proposal["value"]

    @traitlets.validate("slice_axes")
    def _valid_axes(self, proposal: dict[str, Any]) -> list[int]:
        axes, dims = list(proposal["value"]), self.land.dims
        if not self.land.is_grid and axes != [0, 1]:
            raise traitlets.TraitError(
                f"slice_axes: a scattered landscape is drawn on its axes [0, 1], got {axes}"
            )
        if len(axes) != 2 or axes[0] == axes[1] or not all(0 <= a < dims for a in axes):
            raise traitlets.TraitError(
                f"slice_axes: expected two different axes in 0..{dims - 1}, got {axes}"
            )
        return axes

    @traitlets.validate("slice_index")
    def _valid_index(self, proposal: dict[str, Any]) -> list[int]:
        index, shape = list(proposal["value"]), self.land.shape
        if not self.land.is_grid:  # no slicing: the whole 2-D point set is drawn
            if index != [0]:
                raise traitlets.TraitError(
                    f"slice_index: a scattered landscape has no slices (expected [0]), got {index}"
                )
            return index
        ok = len(index) == len(shape)
        if not ok or not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
            raise traitlets.TraitError(
                f"slice_index: expected one grid index per axis within {list(shape)}, got {index}"
            )
        return index

    @traitlets.validate("axis_names")
    def _valid_names(self, proposal: dict[str, Any]) -> list[str]:
        if len(proposal["value"]) != self.land.dims:
            raise traitlets.TraitError(
                f"axis_names: expected {self.land.dims} names, got {len(proposal['value'])}"
            )
        return proposal["value"]

    def _refresh(self, change: Any = None) -> None:
        if not self.land.is_grid:
            data = scattered_slice_payload(self.land, self.tree, self.levels, field=self.field)
        else:
            data = slice_payload(
                # _valid_axes keeps exactly two axes
                self.land, self.tree, cast("tuple[int, int]", tuple(self.slice_axes)),
                tuple(self.slice_index),
                self.levels, field=self.field,
            )
        self._data = {"slice": data}
        if self.trajectory is not None:
            self._data["trajectory"] = self.trajectory


def check_field(land: Any, field: Any, error: type[Exception] = ValueError) -> None:
    """Raise ``error`` unless ``field`` is "" (the loss) or a name in ``land.fields``."""
    names = sorted(getattr(land, "fields", {}) or {})
    if not isinstance(field, str):
        raise error(f"field: expected a field name (str) or None, got {type(field).__name__}")
    if field and field not in names:
        have = (f"one of {names}" if names else
                "none: this landscape has no fields (sample_landscape(..., metrics={...}))")
        raise error(f"field: expected a field of the landscape ({have}), got {field!r}")


def trajectory_payload(trajectory: Any, land: Any) -> dict[str, Any] | None:
    """The wire form of ``ContourView(trajectory=...)`` (None stays None), validated against
    the landscape: ``coords`` ``(n, dims)`` float64, ``epochs``/``losses``/``residuals``
    ``(n,)`` float64 (NaN: unknown), ``labels`` n strings (drawn as text only)."""
    if trajectory is None:
        return None
    if isinstance(trajectory, Mapping):
        unknown = sorted(set(trajectory) - {"coords", "epochs", "losses", "labels", "residuals"})
        if unknown or "coords" not in trajectory:
            raise ValueError(
                "trajectory: expected a mapping with 'coords' and optional 'epochs', 'losses', "
                f"'labels', 'residuals', got keys {sorted(trajectory)}"
            )
        get: Callable[..., Any] = trajectory.get
    elif hasattr(trajectory, "coords"):
        def attribute(key: str, default: Any = None) -> Any:
            return getattr(trajectory, key, default)

        get = attribute
    else:
        raise TypeError(
            "trajectory: expected lw.project_trajectory's result or a mapping with 'coords', "
            f"got {type(trajectory).__name__}"
        )
    dims = land.values.ndim
    coords = np.asarray(get("coords"), dtype=np.float64)
    if coords.ndim != 2 or coords.shape[1] != dims or coords.shape[0] < 1:
        raise ValueError(
            f"trajectory: expected coords of shape (n, {dims}) (one row per checkpoint, one "
            f"column per axis of the landscape), got {coords.shape}"
        )
    if not np.all(np.isfinite(coords)):
        raise ValueError("trajectory: expected finite coords, got NaN or inf")
    n = coords.shape[0]

    def per_checkpoint(key: str, default: Any) -> np.ndarray:
        value = get(key)
        arr = np.asarray(default if value is None else value, dtype=np.float64)
        if arr.shape != (n,):
            raise ValueError(
                f"trajectory: expected {key} to hold {n} numbers (one per checkpoint), got "
                f"shape {arr.shape}"
            )
        return arr

    epochs = per_checkpoint("epochs", np.arange(n))
    losses = per_checkpoint("losses", np.full(n, np.nan))
    residuals = per_checkpoint("residuals", np.full(n, np.nan))
    labels = get("labels")
    labels = [f"checkpoint {i}" for i in range(n)] if labels is None else [str(x) for x in labels]
    if len(labels) != n:
        raise ValueError(f"trajectory: expected {n} labels (one per checkpoint), got {len(labels)}")
    low = np.array([a[0] for a in land.axes])
    high = np.array([a[-1] for a in land.axes])
    outside = np.flatnonzero(((coords < low) | (coords > high)).any(axis=1))
    if outside.size:
        warnings.warn(
            f"trajectory: {outside.size} of {n} checkpoints (indices {outside[:8].tolist()}) lie "
            "outside the landscape's extent and are clipped; sample a larger extent to see them",
            UserWarning,
            stacklevel=3,
        )
    return {
        "coords": to_wire(coords, "float64"),
        "epochs": to_wire(epochs, "float64"),
        "losses": to_wire(losses, "float64"),
        "residuals": to_wire(residuals, "float64"),
        "labels": labels,
    }
