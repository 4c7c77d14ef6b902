"""CurveView: a 1-D landscape (e.g. ``lw.interpolate``) as loss against α.

The loss curve with its minima (red) and the saddles between them (orange: the interior maxima
where two basins merge), the trained model (grid centre) marked; linked like the other views:
click a point of the curve to select its basin, shift adds, a box drag selects the basins whose
points it holds; selected basins are outlined along their stretch of the curve.

Example:
    >>> import numpy as np
    >>> import landscape_widgets as lw
    >>> line = lw.Landscape.from_array(np.cos(np.linspace(0, 9, 50)))
    >>> view = lw.CurveView(line)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..io.wire import to_wire
from ._base import BaseView
from ._scale import check_scale, scale_trait
from ._topology import validate_tree
from .topology_model import resolve_topology, topology_trait


class CurveView(BaseView):
    """Loss against α of a 1-D landscape, its critical points marked, linked to the others.

    Args:
        land: a 1-D ``Landscape``.
        tree: its ``MergeTree`` (default: ``lw.merge_tree(land)``).
        scale: loss axis, ``"linear"``, ``"log"`` or ``"auto"`` (default).
        selection: a shared ``Selection`` (default: a new one).
        topology: the landscape's shared ``TopologyModel`` (default: a new one of ``tree``).
        width, height: size in CSS pixels (the width shrinks to fit the container).

    Raises:
        TypeError: if ``land`` is not a Landscape, or for unknown keyword arguments.
        ValueError: if ``land`` is not 1-D, the tree's shape differs, or ``scale`` is invalid.
    """

    _bundle: ClassVar[str] = "curve_view"
    _options: ClassVar[set[str]] = {"scale", "topology"}

    scale = scale_trait()
    topology = topology_trait()

    def __init__(self, land: Any, tree: Any = None, **kwargs: Any) -> None:
        if not hasattr(land, "values") or not hasattr(land, "axes"):
            raise TypeError(f"CurveView: expected a Landscape, got {type(land).__name__}")
        values = np.asarray(land.values)
        if values.ndim != 1:
            raise ValueError(f"CurveView: expected a 1-D landscape, got shape {values.shape} "
                             "(use ContourView or ProfileView for 2-D and up)")
        if tree is None:
            from ..topology import merge_tree

            tree = merge_tree(land)
        validate_tree(tree, "CurveView")
        if tuple(tree.shape) != tuple(values.shape):
            raise ValueError(f"CurveView: tree shape {tuple(tree.shape)} does not match the "
                             f"landscape's {values.shape}")
        if "scale" in kwargs:
            kwargs["scale"] = check_scale(kwargs["scale"], "CurveView")
        kwargs["topology"] = resolve_topology(tree, kwargs.get("topology"), land, "CurveView")
        super().__init__(**kwargs)
        self.landscape, self.tree = land, tree
        self._data = {
            "curve": {
                "x": to_wire(np.asarray(land.axes[0], dtype=float), "float64"),
                "y": to_wire(values.astype(float), "float64"),
                "basins": to_wire(np.asarray(tree.basins).ravel(), "int32"),
            },
        }
