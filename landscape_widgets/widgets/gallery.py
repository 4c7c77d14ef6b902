"""Gallery: a collection at a glance: heat map, relation scatter, profiles, and an Explorer.

Everything sits in one widget output (Colab renders each output in its own iframe):

- a **heat map** of one metric on a ``rows`` × ``cols`` grid of two keys, reduced (mean by
  default) over the remaining keys, e.g. over seeds; the metric and the reduction are chosen in
  the browser or from Python. Click a cell to select its entries; shift-click adds or removes.
- a **scatter** (:class:`MetricScatterView`) of any metric against any other, coloured by a
  parameter; click or box-select points.
- **small multiples**: the landscape profile of every selected entry (so a cell shows one per
  seed), drawn from thumbnails computed in Python (``landscape_profile`` with at most
  ``profile_basins`` basins each).
- a **map** (with ``distance="wasserstein"`` or ``"bottleneck"``): one point per entry, placed
  by classical MDS so that distances on the map approximate the distances between the entries'
  persistence diagrams (``collection.distance_matrix(...).embedding()``, computed here); click
  or box-select points, linked like the scatter.
- an **Explorer** area: clicking a profile makes its entry the ``active`` one; the full linked
  :class:`Explorer` of that landscape opens below.

Heat map, scatter, map and profiles are linked through one :class:`EntrySelection` (``entries`` and
``active``), in the browser. Opening an Explorer needs its landscape: live, Python observes
``selection.active`` and builds the Explorer (a few are cached). With ``explorers="all"`` the
Explorer of every entry is built up front, so the browser swaps them itself.

Static HTML export (``to_html``): heat map, metric and reduction menus, scatter, map, brushing
and profiles all work without a kernel. The Explorer area shows the embedded Explorers: with
``explorers="all"`` every profile opens its Explorer; with the default ``"live"`` only the one
open at export time is in the file, and clicking another profile says that it needs a kernel.

Example:
    >>> import landscape_widgets as lw
    >>> coll = lw.LandscapeCollection.load("runs/landscapes")  # doctest: +SKIP
    >>> g = lw.Gallery(coll, rows="beta", cols="lr", metric="n_saddles")  # doctest: +SKIP
    >>> g.cell_values()  # what the heat map shows, as a DataFrame  # doctest: +SKIP
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import anywidget
import numpy as np
import traitlets
from ipywidgets import widget_serialization

from ..io.wire import to_wire
from ._base import _BundleText, check_kwargs
from .entry_selection import EntrySelection
from .explorer import Explorer
from .metric_scatter_view import (
    MetricScatterView,
    check_collection,
    default_axes,
    entries_payload,
    selected_entries,
)

if TYPE_CHECKING:  # pragma: no cover - types only; keeps the widgets free of torch
    from ..compare.collection import LandscapeCollection

EXPLORER_MODES = ("live", "all")
DISTANCES = ("wasserstein", "bottleneck")
_EXPLORER_CACHE = 4


def profiles_payload(collection: Any, entries: list[Any], max_basins: int = 32,
                     levels: int = 32) -> dict[str, Any]:
    """Landscape-profile thumbnails of ``entries``, concatenated (CSR offsets per entry).

    For entry ``i``: basins ``basin_offsets[i]:basin_offsets[i+1]`` (``basin_ids``,
    ``basin_mean_loss``; basin ``b``'s outline is ``polygon_x/y[polygon_offsets[b]:
    polygon_offsets[b+1]]``), minima ``minima_offsets[i]:...`` (``minima_x/y``), saddles
    ``saddle_offsets[i]:...`` (``saddle_x/y``), and its value range ``y_min[i]``, ``y_max[i]``.
    """
    from ..layout import landscape_profile

    basin_ids, means, px, py, poly_len = [], [], [], [], []
    mx, my, sx, sy = [], [], [], []
    b_off, m_off, s_off = [0], [0], [0]
    y_min, y_max = [], []
    for e in entries:
        p = landscape_profile(collection.tree(e), max_basins=max_basins, levels=levels)
        basin_ids.append(p.basin_ids)
        means.append(p.basin_mean_loss)
        px.append(p.polygon_x)
        py.append(p.polygon_y)
        poly_len.append(np.diff(p.polygon_offsets))
        mx.append(p.minima_x)
        my.append(p.minima_y)
        sx.append(p.saddle_x)
        sy.append(p.saddle_y)
        b_off.append(b_off[-1] + p.n_basins)
        m_off.append(m_off[-1] + len(p.minima_x))
        s_off.append(s_off[-1] + len(p.saddle_x))
        y_min.append(p.y_min)
        y_max.append(p.y_max)

    def cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    lengths = cat(poly_len, np.int64)
    return {
        "basin_offsets": to_wire(np.array(b_off), "int32"),
        "basin_ids": to_wire(cat(basin_ids, np.int64), "int32"),
        "basin_mean_loss": to_wire(cat(means, float), "float32"),
        "polygon_offsets": to_wire(np.concatenate([[0], np.cumsum(lengths)]), "int32"),
        "polygon_x": to_wire(cat(px, float), "float32"),
        "polygon_y": to_wire(cat(py, float), "float32"),
        "minima_offsets": to_wire(np.array(m_off), "int32"),
        "minima_x": to_wire(cat(mx, float), "float32"),
        "minima_y": to_wire(cat(my, float), "float32"),
        "saddle_offsets": to_wire(np.array(s_off), "int32"),
        "saddle_x": to_wire(cat(sx, float), "float32"),
        "saddle_y": to_wire(cat(sy, float), "float32"),
        "y_min": to_wire(np.array(y_min, dtype=float), "float64"),
        "y_max": to_wire(np.array(y_max, dtype=float), "float64"),
    }


def map_payload(collection: Any, entries: list[Any], distance: str,
                order: float = 1.0) -> tuple[dict[str, Any], Any]:
    """The Gallery's map: classical-MDS coordinates of ``entries`` by the ``distance``
    (``"wasserstein"`` of ``order``, or ``"bottleneck"``) between their 0-dim persistence
    diagrams, with the share of the distances the plane carries (``explained``); and the
    ``DistanceMatrix`` behind it."""
    if distance not in DISTANCES:
        raise ValueError(f"distance: expected one of {DISTANCES} or None, got {distance!r}")
    if len(entries) < 2:
        raise ValueError(f"distance: a map needs at least 2 entries, got {len(entries)}")
    dist = collection.distance_matrix(metric=distance, order=order, entries=entries)
    emb = dist.embedding(dims=2)
    payload = {"ids": list(emb.ids), "coords": emb.coords.tolist(), "metric": distance,
               "order": float(order) if distance == "wasserstein" else None,
               "explained": emb.explained}
    return payload, dist


class Gallery(anywidget.AnyWidget):
    """Heat map, relation scatter, profile small multiples and an Explorer for a collection.

    Args:
        collection: a ``LandscapeCollection``.
        rows: the key along the heat map's rows (e.g. "beta").
        cols: the key along its columns (e.g. "lr"), or None for a single column.
        metric: the metric shown (any of ``collection.metric_names``).
        reduce: how a cell's entries are combined: "mean", "median", "min", "max", "std"
            or "count" (NaN skipped; as ``collection.pivot``).
        x, y, color: the scatter's axes and colour (see :class:`MetricScatterView`; colour
            defaults to ``cols``, else ``rows``).
        where: only entries whose key has these values, e.g. ``{"epoch": 29}``.
        explorers: "live" (build an entry's Explorer in Python when its profile is clicked) or
            "all" (build every Explorer now: the browser and a static export open them without
            a kernel; meant for small collections).
        profile_basins: at most this many basins per profile thumbnail (most persistent kept).
        max_profiles: at most this many thumbnails at once.
        selection: an ``EntrySelection`` to share with views outside the gallery.
        distance: None (no map), ``"wasserstein"`` or ``"bottleneck"``: add a map of the entries
            by that distance between their persistence diagrams (classical MDS; see
            ``collection.distance_matrix``); ``distance_order``: the Wasserstein order (1).
        width, height: size of the heat map (and of the scatter) in CSS pixels; the map is a
            ``height`` × ``height`` square.

    Traits: ``selection``, ``scatter`` (the child ``MetricScatterView``), ``rows``, ``cols``,
    ``metric``, ``reduce``, ``max_profiles``, ``shared_axis`` (thumbnails on one loss axis),
    ``explorer`` (the open ``Explorer`` or None), ``explorer_entry`` (its entry id),
    ``width``, ``height``; ``_explorers`` (id -> Explorer, with ``explorers="all"``) and
    ``_data`` (entries, thumbnails and, with ``distance``, the map). ``distances``: the
    ``DistanceMatrix`` behind the map (None without one).

    Raises:
        TypeError: for a non-collection or unknown keyword arguments.
        ValueError: for unknown key or metric names, ``rows == cols``, an empty selection, an
            unknown ``distance``, or a map of fewer than 2 entries or of diagrams at infinite
            distance.
    """

    _bundle: ClassVar[str] = "gallery"
    _esm = _BundleText()

    selection = traitlets.Instance(EntrySelection, help="the shared entry selection").tag(
        sync=True, **widget_serialization
    )
    scatter = traitlets.Instance(MetricScatterView, help="the linked scatter view").tag(
        sync=True, **widget_serialization
    )
    rows = traitlets.Unicode(help="key along the rows").tag(sync=True)
    cols = traitlets.Unicode("", help="key along the columns ('' for one column)").tag(sync=True)
    metric = traitlets.Unicode("n_saddles", help="metric shown in the heat map").tag(sync=True)
    reduce = traitlets.Unicode("mean", help="reduction over the other keys").tag(sync=True)
    max_profiles = traitlets.Int(24, help="most profile thumbnails shown at once").tag(sync=True)
    shared_axis = traitlets.Bool(True, help="thumbnails share one loss axis").tag(sync=True)
    explorer = traitlets.Instance(Explorer, allow_none=True, help="the open Explorer").tag(
        sync=True, **widget_serialization
    )
    explorer_entry = traitlets.Unicode(None, allow_none=True, help="entry of the open Explorer"
                                       ).tag(sync=True)
    width = traitlets.Int(420, help="heat map width in CSS pixels").tag(sync=True)
    height = traitlets.Int(320, help="heat map height in CSS pixels").tag(sync=True)
    _explorers = traitlets.Dict(
        value_trait=traitlets.Instance(Explorer), help="pre-built Explorers by entry id"
    ).tag(sync=True, **widget_serialization)
    _data = traitlets.Dict(help="entries payload and profile thumbnails").tag(sync=True)

    def __init__(
        self,
        collection: LandscapeCollection,
        rows: str | None = None,
        cols: str | None = None,
        metric: str = "n_saddles",
        reduce: str = "mean",
        **kwargs: Any,
    ) -> None:
        allowed = {"x", "y", "color", "where", "explorers", "profile_basins", "max_profiles",
                   "selection", "width", "height", "shared_axis", "distance", "distance_order"}
        check_kwargs("Gallery", kwargs, allowed)
        check_collection(collection, "Gallery")
        if rows is None:
            rows = collection.keys[0]
        where = kwargs.pop("where", None)
        mode = kwargs.pop("explorers", "live")
        if mode not in EXPLORER_MODES:
            raise ValueError(f"explorers: expected one of {EXPLORER_MODES}, got {mode!r}")
        profile_basins = kwargs.pop("profile_basins", 32)
        distance = kwargs.pop("distance", None)
        distance_order = kwargs.pop("distance_order", 1.0)
        if distance is not None and distance not in DISTANCES:
            raise ValueError(f"distance: expected one of {DISTANCES} or None, got {distance!r}")
        collection.check_columns(rows=rows, cols=cols, metric=metric)
        x, y, color = default_axes(collection, kwargs.pop("x", None), kwargs.pop("y", None),
                                   kwargs.pop("color", cols or rows))
        entries = selected_entries(collection, where)
        self.collection = collection
        self.where = dict(where or {})
        self.mode = mode
        self._cache: OrderedDict[str, Explorer] = OrderedDict()
        sel = kwargs.pop("selection", None) or EntrySelection()
        size = {k: kwargs[k] for k in ("width", "height") if k in kwargs}
        scatter = MetricScatterView(collection, x=x, y=y, color=color, where=where,
                                    selection=sel, **size)
        explorers: dict[str, Explorer] = {}
        if mode == "all":
            for e in entries:
                explorers[e.id] = Explorer(collection.landscape(e), tree=collection.tree(e))
        super().__init__(selection=sel, scatter=scatter, rows=rows, cols=cols or "",
                         metric=metric, reduce=reduce, _explorers=explorers, **kwargs)
        payload = entries_payload(collection, entries)
        payload["profiles"] = profiles_payload(collection, entries, max_basins=profile_basins)
        self.distances = None
        if distance is not None:
            payload["map"], self.distances = map_payload(collection, entries, distance,
                                                         distance_order)
        self._data = payload
        self._entry_ids = {e.id for e in entries}
        sel.observe(self._on_active, names="active")
        active = sel.active
        if isinstance(active, str) and active in self._entry_ids:  # ids are str
            self.open_entry(active)

    # ------------------------------------------------------------------ validation
    @traitlets.validate("rows", "cols")
    def _valid_key(self, proposal: dict[str, Any]) -> str:
        name = proposal["value"]
        role = proposal["trait"].name
        coll = getattr(self, "collection", None)
        if coll is not None and not (role == "cols" and name == ""):
            coll.check_columns(**{role: name})
        other = self.cols if role == "rows" else self.rows
        if name and name == other:
            raise traitlets.TraitError(f"{role}: rows and cols must be different keys")
        return name

    @traitlets.validate("metric")
    def _valid_metric(self, proposal: dict[str, Any]) -> str:
        coll = getattr(self, "collection", None)
        if coll is not None:
            coll.check_columns(metric=proposal["value"])
        return proposal["value"]

    @traitlets.validate("reduce")
    def _valid_reduce(self, proposal: dict[str, Any]) -> str:
        from ..compare import REDUCTIONS

        if proposal["value"] not in REDUCTIONS:
            raise traitlets.TraitError(
                f"reduce: expected one of {REDUCTIONS}, got {proposal['value']!r}"
            )
        return proposal["value"]

    @traitlets.validate("width", "height", "max_profiles")
    def _valid_size(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        name = proposal["trait"].name
        lo, hi = (1, 1000) if name == "max_profiles" else (50, 4000)
        if not lo <= value <= hi:
            raise traitlets.TraitError(f"{name}: expected {lo}..{hi}, got {value}")
        return value

    # ------------------------------------------------------------------ Python API
    @property
    def entries(self) -> list[Any]:
        """The entries shown (``where`` applied), in table order."""
        return [e for e in self.collection.entries if e.id in self._entry_ids]

    def cell_values(self) -> Any:
        """What the heat map shows: ``collection.pivot(metric, rows, cols, reduce, where)``."""
        return self.collection.pivot(self.metric, self.rows, self.cols or None, self.reduce,
                                     where=self.where or None)

    def select(self, **fixed: Any) -> list[str]:
        """Select the shown entries whose key has these values (``g.select(lr=0.01)``); returns
        their ids."""
        ids = [e.id for e in self.collection.find(**fixed) if e.id in self._entry_ids]
        self.selection.entries = ids
        return ids

    def open_entry(self, key: Mapping[str, Any] | str) -> Explorer:
        """Open an entry (key mapping or id) in the gallery's Explorer area and return it."""
        entry = self.collection[key]
        if entry.id not in self._entry_ids:
            raise KeyError(f"entry {entry.label} is not shown in this gallery (where=...)")
        ex = self._explorers.get(entry.id) or self._cache.get(entry.id)
        if ex is None:
            ex = Explorer(self.collection.landscape(entry), tree=self.collection.tree(entry))
            self._cache[entry.id] = ex
            while len(self._cache) > _EXPLORER_CACHE:
                _, old = self._cache.popitem(last=False)
                if old is not self.explorer:
                    _close_explorer(old)
        elif entry.id in self._cache:
            self._cache.move_to_end(entry.id)
        with self.hold_sync():
            self.explorer_entry = entry.id
            self.explorer = ex
        if self.selection.active != entry.id:
            self.selection.active = entry.id
        return ex

    def _on_active(self, change: dict[str, Any]) -> None:
        new = change["new"]
        if new is not None and new in self._entry_ids and new != self.explorer_entry:
            self.open_entry(new)

    def to_html(self, path: str | Path, title: str | None = None) -> Path:
        """Write the gallery as one standalone, offline HTML file (see the module docstring for
        what the Explorer area does there)."""
        from .export import to_html

        return to_html(self, path, title=title)

    def __repr__(self) -> str:
        return (f"Gallery({len(self._entry_ids)} entries, rows={self.rows!r}, "
                f"cols={self.cols!r}, metric={self.metric!r}, reduce={self.reduce!r})")


def _close_explorer(ex: Explorer) -> None:
    """Close an evicted Explorer and its views (frees their browser models)."""
    for view in ex.views:
        view.close()
    ex.selection.close()
    ex.close()
