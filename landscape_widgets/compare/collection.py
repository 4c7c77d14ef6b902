"""LandscapeCollection: many landscapes keyed by named parameters, with their metrics.

A study compares landscapes over a grid of runs (learning rate × seed, β × learning rate × seed,
epoch × ...). Each **entry** of a collection is one landscape with

- its **key**: named parameter values, e.g. ``{"lr": 0.01, "seed": 1}`` (every entry of a
  collection has the same key names; values are bool, int, float or str);
- its **topology** metrics: the scalar fields of ``lw.landscape_metrics`` of its merge tree, plus
  ``center_loss`` (the loss at the grid point nearest the origin: the model itself) and
  ``min_loss`` (the lowest finite value);
- optional **Hessian** metrics (``top_eigenvalue``, ``trace``, ``trace_std_error``, from
  ``lw.hessian_metrics`` or a plain mapping);
- optional user **scalars** (test error, accuracy, ...).

Saved to one directory, without pickle::

    <directory>/
      collection.json        the index (strict JSON): key names, settings, attrs, entries
      landscapes/<id>.npz    one Landscape per entry (``Landscape.save``)

A collection opened on a directory writes each entry as it is added: the landscape file first
(to a temporary name, then ``os.replace``), then the index (the same way). An entry listed in the
index therefore always has its file, and after a crash or Ctrl-C the collection holds exactly the
entries that were finished. Writers take turns through a lock file (``collection.lock``) and
re-read the index under it, so several processes can add to one directory without losing
entries. The directory is untrusted input when read: see ``store.py``.

Example:
    >>> import landscape_widgets as lw
    >>> coll = lw.LandscapeCollection()
    >>> for seed in (0, 1):
    ...     land = lw.Landscape.from_function(lambda p: (p**2).sum(1) + seed, resolution=9)
    ...     _ = coll.add({"lr": 0.1, "seed": seed}, land, scalars={"accuracy": 0.9})
    >>> len(coll), coll.keys, coll[{"lr": 0.1, "seed": 1}].metrics["center_loss"]
    (2, ('lr', 'seed'), 1.0)
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..landscape import Landscape
from .distances import _CollectionDistances
from .entry import (
    _UNSAFE,
    HESSIAN_METRICS,
    TOPOLOGY_METRICS,
    Entry,
    KeyValue,
    _CollectionKeys,
    _decode_float,
    _digest,
    _encode_float,
    _label,
    _slug,
    hessian_dict,
    key_value,
    scalar_value,
    sort_key,
    topology_metrics,
)
from .store import (
    _CACHE_SIZE,
    FORMAT,
    INDEX,
    LANDSCAPES,
    VERSION,
    _CollectionStore,
    _landscapes_folder,
    _write_json_atomic,
)
from .table import REDUCTIONS, _CollectionTables, _pandas, reduce_values

GRID_CONNECTIVITIES = ("full", "axis")
# grids take every name; scattered landscapes only the graph names (see lw.point_graph)
CONNECTIVITIES = GRID_CONNECTIVITIES + ("symmetric_knn", "knn", "delaunay", "gabriel")
SMAD_WEIGHTS = ("none", "volume")


# ---------------------------------------------------------------------------- the collection
class LandscapeCollection(_CollectionKeys, _CollectionStore, _CollectionTables,
                          _CollectionDistances):
    """Many landscapes keyed by named parameters, with their metrics; one directory on disk.

    Args:
        directory: where the collection lives. If it holds a saved collection, that one is
            opened (and continued: later ``add`` calls are written there at once); otherwise it
            is created on the first ``add``. None: the collection lives in memory until
            ``save``.
        keys: the key names, in order (default: those of the first entry added).
        connectivity: the graph of the merge trees: "full" (default) or "axis" for grid
            landscapes; "symmetric_knn" (mutual kNN, k = 4·dims), "knn", "delaunay" or
            "gabriel" for scattered ones (``sample_landscape(points=...)``), or for grids
            treated as point sets.
        smad_normalize, smad_weight: SMAD options passed to ``landscape_metrics``.

    Settings left as None take the stored ones of an existing directory (or the defaults);
    settings that contradict the stored ones raise a ValueError rather than mix two kinds of
    metrics in one table.

    Raises:
        ValueError: for unknown settings or settings that contradict a saved collection.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        *,
        keys: Iterable[str] | None = None,
        connectivity: str | None = None,
        smad_normalize: bool | None = None,
        smad_weight: str | None = None,
    ) -> None:
        self._root = None if directory is None else Path(directory)
        self._entries: dict[str, Entry] = {}  # id -> entry, insertion order
        self._by_key: dict[tuple[tuple[str, KeyValue], ...], str] = {}
        self._memory: dict[str, Landscape] = {}  # landscapes not (yet) on disk
        self._cache: OrderedDict[str, Landscape] = OrderedDict()
        self._trees: OrderedDict[str, Any] = OrderedDict()
        self._attrs: dict[str, Any] = {}
        stored: dict[str, Any] = {}
        if self._root is not None and (self._root / INDEX).is_file():
            stored = self._read_index()
        given = {"connectivity": connectivity, "smad_normalize": smad_normalize,
                 "smad_weight": smad_weight}
        defaults = {"connectivity": "full", "smad_normalize": False, "smad_weight": "none"}
        settings = {}
        for name, value in given.items():
            old = stored.get("settings", {}).get(name)
            if value is not None and old is not None and value != old:
                raise ValueError(
                    f"LandscapeCollection: {name}={value!r} contradicts the saved collection in "
                    f"{self._root} ({name}={old!r})"
                )
            settings[name] = value if value is not None else (old if old is not None
                                                                else defaults[name])
        if settings["connectivity"] not in CONNECTIVITIES:
            raise ValueError(
                f"connectivity: expected one of {CONNECTIVITIES}, got {settings['connectivity']!r}"
            )
        if settings["smad_weight"] not in SMAD_WEIGHTS:
            raise ValueError(
                f"smad_weight: expected one of {SMAD_WEIGHTS}, got {settings['smad_weight']!r}"
            )
        settings["smad_normalize"] = bool(settings["smad_normalize"])
        self._settings = settings
        stored_keys = stored.get("keys")
        if keys is not None:
            if isinstance(keys, str):
                keys = (keys,)
            keys = tuple(str(k) for k in keys)
            if len(set(keys)) != len(keys) or not keys:
                raise ValueError(f"keys: expected distinct key names, got {keys}")
            if stored_keys is not None and tuple(stored_keys) != keys:
                raise ValueError(
                    f"LandscapeCollection: keys={keys} contradicts the saved collection in "
                    f"{self._root} (keys={tuple(stored_keys)})"
                )
            self._check_key_names(keys)
        self._keys: tuple[str, ...] | None = (
            keys if keys is not None else (tuple(stored_keys) if stored_keys else None)
        )
        if stored:
            self._attrs = dict(stored["attrs"])
            for entry in stored["entries"]:  # checked by _read_index: files stay in the directory
                self._check_key_kinds(entry.key)  # True and 1 in one column: refused
                self._entries[entry.id] = entry
                self._by_key[self._canon(entry.key)] = entry.id

    # ------------------------------------------------------------------ properties
    @property
    def directory(self) -> Path | None:
        """The directory the collection is written to, or None (in memory)."""
        return self._root

    @property
    def keys(self) -> tuple[str, ...]:
        """Key names, in order (empty before the first entry when not given)."""
        return self._keys or ()

    @property
    def settings(self) -> dict[str, Any]:
        """``connectivity``, ``smad_normalize``, ``smad_weight``."""
        return dict(self._settings)

    @property
    def attrs(self) -> dict[str, Any]:
        """A copy of the free-form, JSON-able metadata saved with the collection (the sweep
        helpers record their configuration under ``"sweep"``)."""
        return json.loads(json.dumps(self._attrs))

    def update_attrs(self, **values: Any) -> None:
        """Set metadata entries (JSON-able) and write them at once when on disk."""
        try:
            json.dumps(values, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"update_attrs: expected JSON-able values ({exc})") from exc
        if self._root is None:
            self._attrs.update(values)
            return
        with self._writing():
            self._merge_from_disk()
            self._attrs.update(values)
            self._write_index()

    @property
    def entries(self) -> list[Entry]:
        """All entries, in the order they were added."""
        return list(self._entries.values())

    @property
    def ids(self) -> list[str]:
        return list(self._entries)

    @property
    def metric_names(self) -> list[str]:
        """Names of the table's metric columns: topology, Hessian (when any entry has them),
        then user scalars in first-seen order."""
        hess: dict[str, None] = {}
        scal: dict[str, None] = {}
        for e in self._entries.values():
            hess.update(dict.fromkeys(e.hessian))
            scal.update(dict.fromkeys(e.scalars))
        ordered_hess = [n for n in HESSIAN_METRICS if n in hess] + [
            n for n in hess if n not in HESSIAN_METRICS
        ]
        return list(TOPOLOGY_METRICS) + ordered_hess + list(scal)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries.values()))

    def __contains__(self, key: Any) -> bool:
        try:
            self._resolve(key)
        except (KeyError, TypeError, ValueError):
            return False
        return True

    def __getitem__(self, key: Mapping[str, Any] | str) -> Entry:
        """The entry of a key mapping, or of an id."""
        return self._resolve(key)

    def get(self, key: Mapping[str, Any] | str, default: Any = None) -> Entry | Any:
        try:
            return self._resolve(key)
        except KeyError:
            return default

    def __repr__(self) -> str:
        where = f", directory={str(self._root)!r}" if self._root is not None else ""
        return f"LandscapeCollection({len(self)} entries, keys={self.keys}{where})"

    # ------------------------------------------------------------------ adding
    def add(
        self,
        key: Mapping[str, Any],
        landscape: Landscape | str | os.PathLike[str],
        *,
        tree: Any = None,
        hessian: Any = None,
        scalars: Mapping[str, Any] | None = None,
        replace: bool = False,
    ) -> Entry:
        """Add one landscape and compute its metrics; on disk, write it at once.

        Args:
            key: named parameter values, e.g. ``{"lr": 0.01, "seed": 1}``.
            landscape: a ``Landscape`` or the path of one saved with ``Landscape.save``.
            tree: its merge tree, when already computed (else ``lw.merge_tree`` with the
                collection's connectivity).
            hessian: ``lw.hessian_metrics(...)`` or a mapping of numbers.
            scalars: user numbers such as ``{"test_error": 0.08}``.
            replace: replace an existing entry with the same key (else a ValueError).

        Returns:
            The new :class:`Entry`.
        """
        norm = self.normalize_key(key)
        if self._keys is None:
            self._check_key_names(norm)
        self._check_key_kinds(norm)
        source: Path | None = None
        if isinstance(landscape, (str, os.PathLike)):
            source = Path(landscape)
            land = Landscape.load(source)
        elif isinstance(landscape, Landscape):
            land = landscape
        else:
            raise TypeError(
                f"landscape: expected a Landscape or the path of a saved one, got "
                f"{type(landscape).__name__}"
            )
        hess = hessian_dict(hessian)
        scal = {str(k): scalar_value("scalar", str(k), v) for k, v in (scalars or {}).items()}
        reserved = set(TOPOLOGY_METRICS) | set(norm) | {"entry"}
        clash = sorted(((set(scal) | set(hess)) & reserved) | (set(scal) & set(hess))
                       | (set(scal) & set(HESSIAN_METRICS)))
        if clash:
            raise ValueError(
                f"scalars/hessian: the names {clash} clash with key names or metric columns"
            )
        self._check_new_key(norm, replace)  # early, before the costly part
        connectivity = self._settings["connectivity"]
        if not land.is_grid and connectivity in GRID_CONNECTIVITIES:
            raise ValueError(
                f"landscape: a scattered landscape needs a graph of its points, but the "
                f"collection's connectivity is the grid connectivity {connectivity!r}; use "
                f"LandscapeCollection(connectivity=...) with one of {CONNECTIVITIES[2:]}"
            )
        if tree is None:
            from ..topology import merge_tree

            tree = merge_tree(land, connectivity=connectivity)
        elif not _tree_fits(tree, land):
            raise ValueError(
                f"tree: expected the merge tree of this landscape (shape {land.shape}), got one "
                f"of shape {getattr(tree, 'shape', None)}"
            )
        topo = topology_metrics(land, tree, self._settings["smad_normalize"],
                                self._settings["smad_weight"])
        if self._root is None:
            file = None if source is None else source.resolve()
            return self._insert(self.id_for(norm), norm, land, tree, topo, hess, scal, file)
        with self._writing():
            # Another process may have added entries (or set the key names) meanwhile.
            self._merge_from_disk()
            norm = self.normalize_key(key)
            self._check_new_key(norm, replace)
            entry_id = self.id_for(norm)
            file = _landscapes_folder(self._root) / f"{entry_id}.npz"
            land.save(file, overwrite=True)  # our own folder; atomic
            entry = self._insert(entry_id, norm, land, tree, topo, hess, scal, file)
            self._write_index()
        return entry

    def _check_new_key(self, norm: dict[str, KeyValue], replace: bool) -> None:
        if self._by_key.get(self._canon(norm)) is not None and not replace:
            raise ValueError(
                f"add: the collection already has an entry {_label(norm)} (pass replace=True "
                "to replace it)"
            )

    def _insert(self, entry_id: str, norm: dict[str, KeyValue], land: Landscape, tree: Any,
                topo: dict[str, float], hess: dict[str, float], scal: dict[str, float],
                file: Path | None) -> Entry:
        """Record an entry in memory (its file, if any, is already written)."""
        canon = self._canon(norm)
        entry = Entry(id=entry_id, key=norm, topology=topo, hessian=hess, scalars=scal, file=file)
        if self._keys is None:
            self._keys = tuple(norm)
        self._entries[entry_id] = entry
        self._by_key[canon] = entry_id
        self._cache.pop(entry_id, None)
        self._trees.pop(entry_id, None)
        if file is None:
            self._memory[entry_id] = land
        else:
            self._memory.pop(entry_id, None)
            self._remember(self._cache, entry_id, land)
        self._remember(self._trees, entry_id, tree)
        return entry


def _tree_fits(tree: Any, land: Landscape) -> bool:
    """A grid's tree has the grid's shape; a scattered one's has one vertex per point."""
    if land.is_grid:
        return tuple(getattr(tree, "shape", ()) or ()) == tuple(land.shape)
    return getattr(tree, "shape", 0) is None and getattr(tree, "n_vertices", -1) == land.size


__all__ = [
    "CONNECTIVITIES", "FORMAT", "GRID_CONNECTIVITIES", "HESSIAN_METRICS", "INDEX", "LANDSCAPES",
    "REDUCTIONS",
    "SMAD_WEIGHTS", "TOPOLOGY_METRICS", "VERSION", "Entry", "KeyValue", "LandscapeCollection",
    "hessian_dict", "key_value", "reduce_values", "scalar_value", "sort_key", "topology_metrics",
]
# Private helpers re-exported for existing imports from this module.
_reexported = (_CACHE_SIZE, _UNSAFE, _decode_float, _digest, _encode_float, _pandas, _slug,
               _write_json_atomic)
