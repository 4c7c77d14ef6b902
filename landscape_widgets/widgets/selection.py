"""The one shared, view-less model that links every view.

Every view holds a reference to the same :class:`Selection` (a widget-serialised trait). In the
browser each view resolves the reference to the shared model, listens to its changes and writes
brushing results into it; Python only observes or sets it. There are no Python observers copying
state between views, so linking also works without a kernel (static HTML export).

Example:
    >>> sel = Selection()
    >>> sel.basins = [12, 40]
    >>> sel.observe(lambda change: print(change["new"]), names="basins")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets
import traitlets


class Selection(ipywidgets.Widget):
    """Shared selection and simplification state of a group of linked views.

    Traits:
        basins: selected basins, as the vertex ids of their minima (the basin ids used by
            ``MergeTree.basins``). Ids are always those of the basins that survive the current
            ``min_persistence`` (the browser relabels a selection when the threshold changes).
        point: one selected grid vertex (flat id), or None.
        hover: the basin under the mouse in any view (browser -> Python only), or None.
        min_persistence: the persistence threshold: pairs with a persistence below it are hidden
            and their basins merged into their parents, in every view.

    Raises:
        TypeError: for unknown keyword arguments.
        traitlets.TraitError: for negative vertex ids or a negative/NaN threshold.
    """

    _model_name = traitlets.Unicode("WidgetModel").tag(sync=True)
    _model_module = traitlets.Unicode("@jupyter-widgets/base").tag(sync=True)

    basins = traitlets.List(traitlets.Int(), help="selected basins (minimum vertex ids)").tag(
        sync=True
    )
    point = traitlets.Int(None, allow_none=True, help="selected vertex id or None").tag(sync=True)
    hover = traitlets.Int(None, allow_none=True, help="basin under the mouse or None").tag(
        sync=True
    )
    min_persistence = traitlets.Float(0.0, help="persistence threshold").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - {"basins", "point", "hover", "min_persistence"})
        if unknown:
            raise TypeError(f"Selection: unexpected keyword argument(s) {', '.join(unknown)}")
        super().__init__(**kwargs)

    @traitlets.validate("basins")
    def _valid_basins(self, proposal: dict[str, Any]) -> list[int]:
        ids = [int(b) for b in proposal["value"]]
        if any(b < 0 for b in ids):
            raise traitlets.TraitError(f"basins: expected vertex ids >= 0, got {ids}")
        return list(dict.fromkeys(ids))  # drop duplicates, keep order

    @traitlets.validate("point")
    def _valid_point(self, proposal: dict[str, Any]) -> int | None:
        value = proposal["value"]
        if value is not None and value < 0:
            raise traitlets.TraitError(f"point: expected a vertex id >= 0 or None, got {value}")
        return value

    @traitlets.validate("min_persistence")
    def _valid_threshold(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if math.isnan(value) or value < 0:
            raise traitlets.TraitError(f"min_persistence: expected a number >= 0, got {value}")
        return value

    def clear(self) -> None:
        """Deselect everything (basins and point)."""
        with self.hold_sync():
            self.basins = []
            self.point = None

    def __repr__(self) -> str:
        return (
            f"Selection(basins={self.basins}, point={self.point}, "
            f"min_persistence={self.min_persistence:g})"
        )
