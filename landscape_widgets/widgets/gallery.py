"""Gallery: a collection at a glance: heat map, relation scatter, profiles, and an Explorer.

Everything sits in one widget output (Colab renders each output in its own iframe):

- a **heat map** of one metric on a ``rows`` × ``cols`` grid of two keys, reduced (mean by
  default) over the remaining keys, e.g. over seeds; the metric and the reduction are chosen in
  the browser or from Python. Click a cell to select its entries; shift-click adds or removes.
- a **scatter** (:class:`MetricScatterView`) of any metric against any other, coloured by a
  parameter; click or box-select points.
- **small multiples**: the landscape profile of every selected entry (so a cell shows one per
  seed), on one shared loss axis (``shared_axis``), basins coloured by their mean loss. Each
  entry ships its compact topology simplified to its ``profile_basins`` most persistent basins
  (:func:`thumbnail_topology`); the browser computes and draws the profile with ProfileView's
  own code (one profile geometry and one renderer).
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

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import traitlets
from ipywidgets import widget_serialization

from ._base import BaseView, check_kwargs
from ._gallery_data import (
    DISTANCES,
    EXPLORER_MODES,
    check_gallery_options,
    map_payload,
    profiles_payload,
    thumbnail_threshold,
    thumbnail_topology,
)
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

# the payload's helpers, importable from here as before
__all__ = ["DISTANCES", "EXPLORER_MODES", "Gallery", "map_payload", "profiles_payload",
           "thumbnail_threshold", "thumbnail_topology"]

_EXPLORER_CACHE = 4


class Gallery(BaseView):
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
        profile_basins: at most this many basins per profile thumbnail (the most persistent;
            basins tied at the cut are left out together), an integer >= 1.
        max_profiles: at most this many thumbnails at once.
        selection: an ``EntrySelection`` to share with views outside the gallery.
        distance: None (no map), ``"wasserstein"`` or ``"bottleneck"``: add a map of the entries
            by that distance between their persistence diagrams (classical MDS; see
            ``collection.distance_matrix``); ``distance_order``: the Wasserstein order (1).
        width, height: size of the heat map (and of the scatter) in CSS pixels; the map is a
            ``height`` × ``height`` square.
        expected: the number of entries the collection will hold (a sweep being run), shown as
            "12 of 40 entries" while :meth:`add` fills it; 0 (default) shows no progress.

    A live Gallery: ``collection`` may be empty (pass ``rows``, and ``cols``, when it has no key
    names yet); :meth:`add` adds or replaces one entry and updates the browser view, so
    ``lw.sweep_checkpoints(..., on_entry=gallery.add)`` shows the sweep as it runs.

    Traits: ``selection``, ``scatter`` (the child ``MetricScatterView``), ``rows``, ``cols``,
    ``metric``, ``reduce``, ``max_profiles``, ``shared_axis`` (thumbnails on one loss axis),
    ``explorer`` (the open ``Explorer`` or None), ``explorer_entry`` (its entry id),
    ``expected``, ``width``, ``height``; ``_explorers`` (id -> Explorer, with
    ``explorers="all"``) and
    ``_data`` (entries, thumbnails and, with ``distance``, the map). ``distances``: the
    ``DistanceMatrix`` behind the map (None without one).

    Raises:
        TypeError: for a non-collection or unknown keyword arguments.
        ValueError: for unknown key or metric names, ``rows == cols``, an empty selection, an
            unknown ``distance``, a map of fewer than 2 entries or of diagrams at infinite
            distance, a ``profile_basins`` that is not an integer >= 1, or an empty collection
            without key names and without ``rows``.
    """

    _bundle: ClassVar[str] = "gallery"
    _selection_class: ClassVar[type[Any]] = EntrySelection

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
    expected = traitlets.Int(0, help="entries the collection will hold (0: unknown)").tag(
        sync=True)
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
                   "selection", "width", "height", "shared_axis", "distance", "distance_order",
                   "expected"}
        check_kwargs("Gallery", kwargs, allowed)
        check_collection(collection, "Gallery", allow_empty=True)
        if rows is None:
            if not collection.keys:
                raise ValueError("rows: the collection has no entries and no key names yet; "
                                 "pass rows= (and cols=) for a Gallery that fills live")
            rows = collection.keys[0]
        where = kwargs.pop("where", None)
        mode, basins, distance = check_gallery_options(kwargs.pop("explorers", "live"),
                                                       kwargs.pop("profile_basins", 32),
                                                       kwargs.pop("distance", None))
        self.profile_basins = basins
        self.distance_order = float(kwargs.pop("distance_order", 1.0))
        if collection.keys:  # else checked at the first entry (add)
            collection.check_columns(rows=rows, cols=cols, metric=metric)
        x, y, color = default_axes(collection, kwargs.pop("x", None), kwargs.pop("y", None),
                                   kwargs.pop("color", cols or rows))
        entries = selected_entries(collection, where) if len(collection) else []
        self.collection = collection
        self.where = dict(where or {})
        self.mode = mode
        self.distance = distance
        self._cache: OrderedDict[str, Explorer] = OrderedDict()
        self._thumbs: dict[str, dict[str, Any]] = {}  # per entry id: computed once
        self._lock = threading.Lock()  # add() may come from a sweep's callback thread
        sel = kwargs.pop("selection", None) or EntrySelection()
        size = {k: kwargs[k] for k in ("width", "height") if k in kwargs}
        scatter = MetricScatterView._of_entries(collection, entries, x, y, color, where,
                                                selection=sel, **size)
        explorers: dict[str, Explorer] = {}
        if mode == "all":
            for e in entries:
                explorers[e.id] = Explorer(collection.landscape(e), tree=collection.tree(e))
        self._init_traits(selection=sel, scatter=scatter, rows=rows, cols=cols or "",
                          metric=metric, reduce=reduce, _explorers=explorers, **kwargs)
        if distance is not None and len(entries) == 1:
            raise ValueError("distance: a map needs at least 2 entries, got 1")
        self.distances = None
        self._entry_ids = {e.id for e in entries}
        self._show_entries(entries)
        sel.observe(self._on_active, names="active")
        active = sel.active
        if isinstance(active, str) and active in self._entry_ids:  # ids are str
            self.open_entry(active)

    def _show_entries(self, entries: list[Any]) -> None:
        """Send the shown entries to the browser: table, thumbnails (each computed once), map."""
        for e in entries:
            if e.id not in self._thumbs:
                self._thumbs[e.id] = thumbnail_topology(self.collection.tree(e),
                                                        self.profile_basins)
        payload = entries_payload(self.collection, entries)
        payload["profiles"] = [self._thumbs[e.id] for e in entries]
        if self.distance is not None and len(entries) >= 2:
            payload["map"], self.distances = map_payload(self.collection, entries,
                                                         self.distance, self.distance_order)
        elif self.distance is not None:
            # a map needs two entries: a live gallery shows it from the second one on
            payload["map"] = {"ids": [], "coords": [], "metric": self.distance,
                              "order": None, "explained": None}
        self.scatter._data = entries_payload(self.collection, entries)
        self._data = payload

    # ------------------------------------------------------------------ validation
    @traitlets.validate("rows", "cols")
    def _valid_key(self, proposal: dict[str, Any]) -> str:
        name = proposal["value"]
        role = proposal["trait"].name
        coll = getattr(self, "collection", None)
        # no key names yet (an empty, live collection): checked at the first entry
        if coll is not None and coll.keys and not (role == "cols" and name == ""):
            coll.check_columns(**{role: name})
        other = self.cols if role == "rows" else self.rows
        if name and name == other:
            raise traitlets.TraitError(f"{role}: rows and cols must be different keys")
        return name

    @traitlets.validate("metric")
    def _valid_metric(self, proposal: dict[str, Any]) -> str:
        coll = getattr(self, "collection", None)
        if coll is not None and len(coll):  # user metrics exist once entries do
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

    @traitlets.validate("max_profiles", "expected")
    def _valid_count(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        name = proposal["trait"].name
        lo, hi = (1, 1000) if name == "max_profiles" else (0, 10**7)
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

    def add(self, key: Mapping[str, Any], landscape: Any, *, tree: Any = None,
            hessian: Any = None, scalars: Mapping[str, Any] | None = None) -> Any:
        """Add one entry to the collection, or replace the one with this key, and show it.

        The browser view updates without recomputing the other entries (their thumbnails are
        kept; with ``distance=`` the map is recomputed). Meant as a sweep's callback:
        ``lw.sweep_checkpoints(..., on_entry=gallery.add)``. When the collection already holds
        this very landscape under ``key`` (the sweep wrote it there), it is not added again.

        Args:
            key, landscape, tree, hessian, scalars: as ``LandscapeCollection.add``.

        Returns:
            The collection's :class:`Entry`.

        Raises:
            ValueError: a key without the gallery's ``rows``/``cols``, names that are not
                metrics (as the constructor), and what ``LandscapeCollection.add`` raises.
            TypeError: what ``LandscapeCollection.add`` raises for a wrong landscape.
        """
        if not isinstance(key, Mapping):
            raise TypeError(f"key: expected a mapping of key names to values, got "
                            f"{type(key).__name__}")
        missing = [k for k in (self.rows, self.cols) if k and k not in key]
        if missing:
            raise ValueError(f"key: expected the gallery's keys {missing} in the entry's key, "
                             f"got {dict(key)}")
        with self._lock:
            coll = self.collection
            held = coll.get(key)
            if (held is not None and tree is None and hessian is None and scalars is None
                    and coll.landscape(held) is landscape):
                entry = held
            else:
                entry = coll.add(key, landscape, tree=tree, hessian=hessian, scalars=scalars,
                                 replace=True)
            self._check_names()
            shown = not self.where or entry in coll.find(**self.where)
            self._thumbs.pop(entry.id, None)  # replaced: a new thumbnail
            stale = self._cache.pop(entry.id, None)
            if shown:
                self._entry_ids.add(entry.id)
                if self.mode == "all":
                    explorers = dict(self._explorers)
                    explorers[entry.id] = Explorer(coll.landscape(entry), tree=coll.tree(entry))
                    self._explorers = explorers
            self._show_entries(self.entries)
            if stale is not None and self.explorer is stale:
                self.open_entry(entry.id)  # the open Explorer shows the new landscape
                _close_explorer(stale)
            elif stale is not None:
                _close_explorer(stale)
        return entry

    def _check_names(self) -> None:
        """The checks the constructor defers for a collection without entries: rows, cols and
        metric, and the scatter's axes."""
        self.collection.check_columns(rows=self.rows, cols=self.cols or None,
                                      metric=self.metric)
        sc = self.scatter
        self.collection.check_columns(x=sc.x, y=sc.y, color=sc.color or None)

    def _on_active(self, change: dict[str, Any]) -> None:
        new = change["new"]
        if new is not None and new in self._entry_ids and new != self.explorer_entry:
            self.open_entry(new)

    def __repr__(self) -> str:
        return (f"Gallery({len(self._entry_ids)} entries, rows={self.rows!r}, "
                f"cols={self.cols!r}, metric={self.metric!r}, reduce={self.reduce!r})")


def _close_explorer(ex: Explorer) -> None:
    """Close an evicted Explorer and its views (frees their browser models)."""
    for view in ex.views:
        view.close()
    ex.selection.close()
    ex.close()
