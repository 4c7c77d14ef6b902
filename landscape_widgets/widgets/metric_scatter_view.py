"""MetricScatterView: any metric of a collection against any other, one point per entry.

The relation plots of the papers (number of saddles vs accuracy, average persistence vs top
Hessian eigenvalue, ...), coloured by a parameter (ordinal colours over its sorted values, with a
legend) or by a metric (a continuous colour bar). x, y and colour can be changed in the
browser (drop-downs) or from Python (traits). Click a point to select its entry, shift-click to
add or remove it, drag a box to select every point inside; the selection is the shared
:class:`EntrySelection`, so a gallery sharing it highlights the same entries.

Example:
    >>> import landscape_widgets as lw
    >>> coll = lw.LandscapeCollection()  # doctest: +SKIP
    >>> view = lw.MetricScatterView(coll, x="n_saddles", y="accuracy", color="lr")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import traitlets
from ipywidgets import widget_serialization

from ..io.wire import to_wire
from ._base import BaseView, check_kwargs
from .entry_selection import EntrySelection

if TYPE_CHECKING:  # pragma: no cover - types only; keeps the widgets free of torch
    from ..compare.collection import LandscapeCollection


def check_collection(collection: Any, who: str, allow_empty: bool = False) -> None:
    """Raise a TypeError unless ``collection`` is a ``LandscapeCollection``; a ValueError when
    it is empty (unless ``allow_empty``: a live Gallery fills as entries finish)."""
    from ..compare import LandscapeCollection

    if not isinstance(collection, LandscapeCollection):
        raise TypeError(
            f"{who}: expected a LandscapeCollection, got {type(collection).__name__}"
        )
    if len(collection) == 0 and not allow_empty:
        raise ValueError(f"{who}: the collection is empty")


def selected_entries(collection: Any, where: Mapping[str, Any] | None) -> list[Any]:
    """Entries matching ``where`` (all of them when None); a ValueError when none match."""
    entries = collection.find(**(where or {}))
    if not entries:
        raise ValueError(f"where={dict(where or {})}: no entry matches")
    return entries


def entries_payload(collection: Any, entries: list[Any]) -> dict[str, Any]:
    """What every collection view draws from: ids, labels, key values and metric columns.

    ``keys`` holds the key values as JSON (numbers, bools or strings), ``metrics`` one float64
    wire array per metric (NaN where an entry has no value), both in ``ids`` order.
    """
    names = collection.metric_names
    metrics = {
        n: to_wire(np.array([e.metrics.get(n, math.nan) for e in entries], dtype=float),
                   "float64")
        for n in names
    }
    return {
        "ids": [e.id for e in entries],
        "labels": [e.label for e in entries],
        "key_names": list(collection.keys),
        "keys": {k: [e.key[k] for e in entries] for k in collection.keys},
        "metric_names": names,
        "metrics": metrics,
    }


class MetricScatterView(BaseView):
    """Scatter of one metric (or key) against another, one point per entry, linked through an
    :class:`EntrySelection`.

    Args:
        collection: a ``LandscapeCollection``.
        x, y: metric or key names (default: ``n_saddles`` against the first user scalar, else
            ``center_loss``).
        color: a key or metric name to colour by, or "" for one colour (default: the last key).
        log_x, log_y: logarithmic axes (non-positive values are left out while on).
        where: only entries whose key has these values, e.g. ``{"epoch": 29}``.
        selection: an ``EntrySelection`` to share (default: a new one).
        width, height: size in CSS pixels.

    Traits: ``selection``, ``x``, ``y``, ``color``, ``log_x``, ``log_y``, ``width``, ``height``
    and ``_data`` (the entries payload, see :func:`entries_payload`).

    Raises:
        TypeError: for a non-collection or unknown keyword arguments.
        ValueError: for names that are neither keys nor metrics, or an empty selection.
    """

    _bundle: ClassVar[str] = "metric_scatter_view"
    _selection_class: ClassVar[type[Any]] = EntrySelection

    selection = traitlets.Instance(EntrySelection, help="the shared entry selection").tag(
        sync=True, **widget_serialization
    )
    x = traitlets.Unicode(help="metric or key on the x axis").tag(sync=True)
    y = traitlets.Unicode(help="metric or key on the y axis").tag(sync=True)
    color = traitlets.Unicode("", help="key or metric to colour by ('' for none)").tag(sync=True)
    log_x = traitlets.Bool(False, help="logarithmic x axis").tag(sync=True)
    log_y = traitlets.Bool(False, help="logarithmic y axis").tag(sync=True)
    _data = traitlets.Dict(help="entries payload").tag(sync=True)

    def __init__(
        self,
        collection: LandscapeCollection,
        x: str | None = None,
        y: str | None = None,
        color: str | None = None,
        **kwargs: Any,
    ) -> None:
        check_kwargs("MetricScatterView", kwargs,
                     {"selection", "width", "height", "log_x", "log_y", "where"})
        check_collection(collection, "MetricScatterView")
        where = kwargs.pop("where", None)
        entries = selected_entries(collection, where)
        x, y, color = default_axes(collection, x, y, color)
        self.collection = collection
        self.where = dict(where or {})
        self._init_traits(x=x, y=y, color=color, **kwargs)
        self._data = entries_payload(collection, entries)

    @classmethod
    def _of_entries(cls, collection: Any, entries: list[Any], x: str, y: str, color: str,
                    where: Mapping[str, Any] | None, **traits: Any) -> MetricScatterView:
        """The Gallery's scatter: these (checked) entries, possibly none yet (a live Gallery)."""
        view = cls.__new__(cls)
        view.collection = collection
        view.where = dict(where or {})
        view._init_traits(x=x, y=y, color=color, **traits)
        view._data = entries_payload(collection, entries)
        return view

    @traitlets.validate("x", "y", "color")
    def _valid_column(self, proposal: dict[str, Any]) -> str:
        name = proposal["value"]
        coll = getattr(self, "collection", None)
        # a collection with no key names yet (an empty, live one) is checked at its first entry
        if coll is not None and coll.keys and not (proposal["trait"].name == "color"
                                                   and name == ""):
            coll.check_columns(**{proposal["trait"].name: name})
        return name

    def __repr__(self) -> str:
        return f"MetricScatterView(x={self.x!r}, y={self.y!r}, color={self.color!r})"


def default_axes(
    collection: Any, x: str | None, y: str | None, color: str | None
) -> tuple[str, str, str]:
    """Fill unset scatter axes: ``n_saddles`` vs the first user scalar (else ``center_loss``),
    coloured by the last key; check all names."""
    from ..compare import HESSIAN_METRICS, TOPOLOGY_METRICS

    builtin = set(TOPOLOGY_METRICS) | set(HESSIAN_METRICS)
    scalars = [n for n in collection.metric_names if n not in builtin]
    x_name: str = x or "n_saddles"
    y_name: str = y or (str(scalars[0]) if scalars else "center_loss")
    keys = collection.keys
    color_name: str = (str(keys[-1]) if keys else "") if color is None else color
    if keys:  # an empty collection without key names is checked at its first entry
        collection.check_columns(x=x_name, y=y_name, color=color_name or None)
    return x_name, y_name, color_name
