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
entries that were finished. One process writes a directory at a time.

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
import math
import os
import re
import shutil
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ..landscape import Landscape

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ..topology.tree import MergeTree

KeyValue = bool | int | float | str

FORMAT = "landscape_widgets.LandscapeCollection"
VERSION = 1
INDEX = "collection.json"
LANDSCAPES = "landscapes"

TOPOLOGY_METRICS = (
    "n_minima", "n_saddles", "average_persistence", "average_persistence_diagonal",
    "total_persistence", "smad", "loss_range", "center_loss", "min_loss",
)
HESSIAN_METRICS = ("top_eigenvalue", "trace", "trace_std_error")
REDUCTIONS = ("mean", "median", "min", "max", "std", "count")
CONNECTIVITIES = ("full", "axis")
SMAD_WEIGHTS = ("none", "volume")
_CACHE_SIZE = 4
_UNSAFE = re.compile(r"[^A-Za-z0-9.=+\-]")


# ---------------------------------------------------------------------------- JSON helpers
def _encode_float(x: float) -> float | str:
    """Strict JSON has no NaN/inf: they are written as the strings "NaN", "Infinity"."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _decode_float(x: Any) -> float:
    if isinstance(x, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[x]
    return float(x)


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=1, allow_nan=False), encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------- keys and values
def key_value(name: str, value: Any) -> KeyValue:
    """Validate one key value: bool, int, float (finite) or str; numpy scalars become Python's."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"key {name!r}: expected a finite number, got {value!r}")
        return float(value)
    raise TypeError(
        f"key {name!r}: expected a bool, int, float or str value, got {type(value).__name__}"
    )


def sort_key(value: KeyValue) -> tuple[int, Any]:
    """Order of key values on an axis: numbers (and bools) ascending, then strings."""
    if isinstance(value, str):
        return (1, value)
    return (0, float(value))


def scalar_value(where: str, name: str, value: Any) -> float:
    """A metric or user scalar as a float (NaN and inf allowed: they mean "no value")."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (int, float)):
        value = value.item()  # a 0-d torch tensor
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{where} {name!r}: expected a number, got {type(value).__name__}")
    return float(value)


def _label(key: Mapping[str, KeyValue]) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items())


def _slug(key: Mapping[str, KeyValue]) -> str:
    text = "_".join(f"{_UNSAFE.sub('-', k)}={_UNSAFE.sub('-', str(v))}" for k, v in key.items())
    text = text[:120].lstrip(".") or "entry"
    return text


def _digest(key: Mapping[str, KeyValue]) -> str:
    import hashlib

    canon = json.dumps([[k, repr(v)] for k, v in key.items()], separators=(",", ":"))
    return hashlib.sha1(canon.encode()).hexdigest()[:8]


# ---------------------------------------------------------------------------- entries
@dataclass(frozen=True, eq=False)
class Entry:
    """One landscape of a collection and its numbers (the landscape itself is loaded on demand:
    ``collection.landscape(entry)``).

    Attributes:
        id: a file-name-safe id, unique in the collection (``"lr=0.01_seed=1"``).
        key: the named parameter values (read-only mapping, in the collection's key order).
        topology: ``TOPOLOGY_METRICS`` of its merge tree and landscape.
        hessian: Hessian metrics, possibly empty.
        scalars: user scalars, possibly empty.
        file: where its landscape is stored (None while it is held in memory only).
    """

    id: str
    key: Mapping[str, KeyValue]
    topology: Mapping[str, float]
    hessian: Mapping[str, float] = field(default_factory=dict)
    scalars: Mapping[str, float] = field(default_factory=dict)
    file: Path | None = None

    def __post_init__(self) -> None:
        for name in ("key", "topology", "hessian", "scalars"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def metrics(self) -> dict[str, float]:
        """Every number of the entry: topology, then Hessian, then user scalars."""
        return {**self.topology, **self.hessian, **self.scalars}

    @property
    def label(self) -> str:
        """``"lr=0.01, seed=1"``."""
        return _label(self.key)

    def _to_json(self, root: Path | None) -> dict[str, Any]:
        file = None
        if self.file is not None:
            file = self.file.relative_to(root).as_posix() if root is not None else str(self.file)
        return {
            "id": self.id,
            "key": dict(self.key),
            "file": file,
            "topology": {k: _encode_float(v) for k, v in self.topology.items()},
            "hessian": {k: _encode_float(v) for k, v in self.hessian.items()},
            "scalars": {k: _encode_float(v) for k, v in self.scalars.items()},
        }

    @classmethod
    def _from_json(cls, data: Mapping[str, Any], root: Path) -> Entry:
        file = data.get("file")
        return cls(
            id=str(data["id"]),
            key={k: key_value(k, v) for k, v in data["key"].items()},
            topology={k: _decode_float(v) for k, v in data["topology"].items()},
            hessian={k: _decode_float(v) for k, v in data.get("hessian", {}).items()},
            scalars={k: _decode_float(v) for k, v in data.get("scalars", {}).items()},
            file=None if file is None else root / file,
        )

    def __repr__(self) -> str:
        return f"Entry({self.label})"


def topology_metrics(land: Landscape, tree: MergeTree, smad_normalize: bool = False,
                     smad_weight: str = "none") -> dict[str, float]:
    """The ``TOPOLOGY_METRICS`` of one landscape (what ``add`` stores)."""
    from ..metrics import landscape_metrics

    m = landscape_metrics(tree, smad_normalize=smad_normalize, smad_weight=smad_weight)
    values = land.values
    finite = values[np.isfinite(values)]
    return {
        "n_minima": float(m.n_minima),
        "n_saddles": float(m.n_saddles),
        "average_persistence": float(m.average_persistence),
        "average_persistence_diagonal": float(m.average_persistence_diagonal),
        "total_persistence": float(m.total_persistence),
        "smad": float(m.smad),
        "loss_range": float(m.loss_range),
        "center_loss": float(values.flat[land.center_index]),
        "min_loss": float(finite.min()) if finite.size else math.nan,
    }


def hessian_dict(hessian: Any) -> dict[str, float]:
    """Hessian metrics from a ``HessianMetrics`` (``lw.hessian_metrics``) or a mapping."""
    if hessian is None:
        return {}
    if hasattr(hessian, "top_eigenvalues") and hasattr(hessian, "trace"):
        eig = tuple(hessian.top_eigenvalues)
        return {
            "top_eigenvalue": float(eig[0]) if eig else math.nan,
            "trace": float(hessian.trace),
            "trace_std_error": float(getattr(hessian, "trace_std_error", math.nan)),
        }
    if isinstance(hessian, Mapping):
        return {str(k): scalar_value("hessian", str(k), v) for k, v in hessian.items()}
    raise TypeError(
        "hessian: expected a HessianMetrics (lw.hessian_metrics) or a mapping such as "
        f"{{'top_eigenvalue': ..., 'trace': ...}}, got {type(hessian).__name__}"
    )


# ---------------------------------------------------------------------------- the collection
class LandscapeCollection:
    """Many landscapes keyed by named parameters, with their metrics; one directory on disk.

    Args:
        directory: where the collection lives. If it holds a saved collection, that one is
            opened (and continued: later ``add`` calls are written there at once); otherwise it
            is created on the first ``add``. None: the collection lives in memory until
            ``save``.
        keys: the key names, in order (default: those of the first entry added).
        connectivity: grid connectivity of the merge trees ("full" or "axis"; default "full").
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
        self._by_key: dict[tuple[KeyValue, ...], str] = {}
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
            self._attrs = dict(stored.get("attrs", {}))
            for raw in stored.get("entries", []):
                entry = Entry._from_json(raw, self._root)  # type: ignore[arg-type]
                self._entries[entry.id] = entry
                self._by_key[self._canon(entry.key)] = entry.id

    # ------------------------------------------------------------------ opening
    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> LandscapeCollection:
        """Open a saved collection.

        Raises:
            FileNotFoundError: when ``directory`` holds no ``collection.json``.
        """
        path = Path(directory)
        if not (path / INDEX).is_file():
            raise FileNotFoundError(f"{path}: no saved LandscapeCollection ({INDEX} missing)")
        return cls(path)

    def _read_index(self) -> dict[str, Any]:
        path = self._root / INDEX  # type: ignore[operator]
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a LandscapeCollection index "
                             f"(format={data.get('format')!r})")
        if data.get("version", 0) > VERSION:
            raise ValueError(f"{path}: written by a newer version ({data['version']} > {VERSION})")
        return data

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
        self._attrs.update(values)
        if self._root is not None:
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

    # ------------------------------------------------------------------ keys
    def _check_key_names(self, names: Iterable[str]) -> None:
        reserved = set(TOPOLOGY_METRICS) | set(HESSIAN_METRICS) | {"entry"}
        clash = sorted(set(names) & reserved)
        if clash:
            raise ValueError(f"key names {clash} are reserved for metrics; rename them")

    def normalize_key(self, key: Mapping[str, Any]) -> dict[str, KeyValue]:
        """Validate a key mapping against the collection's key names; returns it in key order.

        Raises:
            TypeError: if ``key`` is not a mapping or holds unsupported values.
            ValueError: if its names differ from the collection's.
        """
        if not isinstance(key, Mapping):
            raise TypeError(
                f"key: expected a mapping of parameter names to values such as "
                f"{{'lr': 0.01, 'seed': 0}}, got {type(key).__name__}"
            )
        names = tuple(str(k) for k in key)
        if not names:
            raise ValueError("key: expected at least one named parameter")
        if self._keys is not None and set(names) != set(self._keys):
            raise ValueError(
                f"key: expected the names {list(self._keys)} (as every entry of this "
                f"collection), got {list(names)}"
            )
        order = self._keys if self._keys is not None else names
        return {k: key_value(k, key[k]) for k in order}

    def _canon(self, key: Mapping[str, KeyValue]) -> tuple[KeyValue, ...]:
        return tuple(key[k] for k in (self._keys or tuple(key)))

    def _resolve(self, key: Any) -> Entry:
        if isinstance(key, Entry):
            key = key.id
        if isinstance(key, str):
            if key in self._entries:
                return self._entries[key]
            raise KeyError(f"no entry with id {key!r}")
        norm = self.normalize_key(key)
        entry_id = self._by_key.get(self._canon(norm))
        if entry_id is None:
            raise KeyError(f"no entry with key {_label(norm)}")
        return self._entries[entry_id]

    def id_for(self, key: Mapping[str, Any]) -> str:
        """The id an entry with ``key`` has (when present) or will get when added."""
        norm = self.normalize_key(key)
        existing = self._by_key.get(self._canon(norm))
        if existing is not None:
            return existing
        base = _slug(norm)
        return base if base not in self._entries else f"{base}-{_digest(norm)}"

    def find(self, **fixed: Any) -> list[Entry]:
        """Entries whose key has the given values, e.g. ``coll.find(lr=0.01)`` (all seeds)."""
        unknown = sorted(set(fixed) - set(self.keys))
        if unknown:
            raise ValueError(f"find: unknown key names {unknown}; keys are {list(self.keys)}")
        want = {k: key_value(k, v) for k, v in fixed.items()}
        return [e for e in self._entries.values() if all(e.key[k] == v for k, v in want.items())]

    def values_of(self, name: str) -> list[KeyValue]:
        """Distinct values of key ``name``, sorted (numbers ascending, then strings)."""
        if name not in self.keys:
            raise ValueError(f"{name!r} is not a key; keys are {list(self.keys)}")
        seen: dict[Any, KeyValue] = {}
        for e in self._entries.values():
            seen.setdefault(e.key[name], e.key[name])
        return sorted(seen.values(), key=sort_key)

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
        canon = self._canon(norm)
        old_id = self._by_key.get(canon)
        if old_id is not None and not replace:
            raise ValueError(
                f"add: the collection already has an entry {_label(norm)} (pass replace=True "
                "to replace it)"
            )
        if tree is None:
            from ..topology import merge_tree

            tree = merge_tree(land, connectivity=self._settings["connectivity"])
        elif tuple(getattr(tree, "shape", ()) or ()) != tuple(land.shape):
            raise ValueError(
                f"tree: expected the merge tree of this landscape (shape {land.shape}), got one "
                f"of shape {getattr(tree, 'shape', None)}"
            )
        topo = topology_metrics(land, tree, self._settings["smad_normalize"],
                                self._settings["smad_weight"])
        entry_id = old_id if old_id is not None else self.id_for(norm)
        file: Path | None = None
        if self._root is not None:
            folder = self._root / LANDSCAPES
            folder.mkdir(parents=True, exist_ok=True)
            file = folder / f"{entry_id}.npz"
            tmp = folder / f".{entry_id}.tmp.npz"
            land.save(tmp)
            os.replace(tmp, file)
        elif source is not None:
            file = source.resolve()
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
        if self._root is not None:
            self._write_index()
        return entry

    # ------------------------------------------------------------------ reading
    @staticmethod
    def _remember(cache: OrderedDict[str, Any], entry_id: str, value: Any) -> None:
        cache[entry_id] = value
        cache.move_to_end(entry_id)
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)

    def landscape(self, key: Mapping[str, Any] | str | Entry) -> Landscape:
        """The landscape of an entry (read from its file when on disk; a few are cached)."""
        entry = self._resolve(key)
        if entry.id in self._memory:
            return self._memory[entry.id]
        if entry.id in self._cache:
            self._cache.move_to_end(entry.id)
            return self._cache[entry.id]
        if entry.file is None or not entry.file.is_file():
            raise FileNotFoundError(f"the landscape file of entry {entry.label} is missing: "
                                    f"{entry.file}")
        land = Landscape.load(entry.file)
        self._remember(self._cache, entry.id, land)
        return land

    def tree(self, key: Mapping[str, Any] | str | Entry) -> MergeTree:
        """The merge tree of an entry (computed with the collection's connectivity, cached)."""
        entry = self._resolve(key)
        if entry.id in self._trees:
            self._trees.move_to_end(entry.id)
            return self._trees[entry.id]
        from ..topology import merge_tree

        tree = merge_tree(self.landscape(entry), connectivity=self._settings["connectivity"])
        self._remember(self._trees, entry.id, tree)
        return tree

    # ------------------------------------------------------------------ tables
    def table(self) -> pandas.DataFrame:
        """A tidy table: one row per entry (indexed by entry id), the key columns, then every
        metric (``metric_names``); missing numbers are NaN. Needs pandas."""
        pd = _pandas()
        names = self.metric_names
        rows = []
        for e in self._entries.values():
            metrics = e.metrics
            rows.append({**dict(e.key), **{n: metrics.get(n, math.nan) for n in names}})
        df = pd.DataFrame(rows, columns=list(self.keys) + names,
                          index=pd.Index(list(self._entries), name="entry"))
        for n in names:
            df[n] = df[n].astype("float64")
        return df

    def pivot(
        self,
        metric: str,
        rows: str,
        cols: str | None = None,
        reduce: str = "mean",
        where: Mapping[str, Any] | None = None,
    ) -> pandas.DataFrame:
        """``metric`` reduced over the other keys (e.g. seeds) on a ``rows`` × ``cols`` grid.

        Args:
            metric: a metric column (``metric_names``).
            rows, cols: key names (``cols`` None: a single column named ``metric``).
            reduce: "mean", "median", "min", "max", "std" (sample, ddof=1) or "count"
                (NaN values are skipped, as pandas does).
            where: only entries whose key has these values, e.g. ``{"epoch": 29}``.

        Returns:
            A DataFrame indexed by the sorted values of ``rows``, with the sorted values of
            ``cols`` as columns; NaN where a cell has no entry (or no value).
        """
        pd = _pandas()
        self.check_columns(metric=metric, rows=rows, cols=cols)
        if reduce not in REDUCTIONS:
            raise ValueError(f"reduce: expected one of {REDUCTIONS}, got {reduce!r}")
        entries = self.find(**(where or {}))
        row_values = self.values_of(rows)
        col_values = self.values_of(cols) if cols else [metric]
        out = pd.DataFrame(np.nan, index=pd.Index(row_values, name=rows),
                           columns=pd.Index(col_values, name=cols), dtype="float64")
        cells: dict[tuple[Any, Any], list[float]] = {}
        for e in entries:
            c = e.key[cols] if cols else metric
            cells.setdefault((e.key[rows], c), []).append(e.metrics.get(metric, math.nan))
        for (r, c), vals in cells.items():
            out.loc[r, c] = reduce_values(vals, reduce)
        if reduce == "count":
            out = out.fillna(0.0)
        return out

    def check_columns(self, **names: str | None) -> None:
        """Raise a ValueError for a name that is neither a key nor a metric; ``rows``/``cols``
        must be keys, ``metric`` a metric."""
        metrics = set(self.metric_names)
        for role, name in names.items():
            if name is None:
                continue
            if role in ("rows", "cols"):
                if name not in self.keys:
                    raise ValueError(f"{role}: expected a key name {list(self.keys)}, "
                                     f"got {name!r}")
            elif role == "metric":
                if name not in metrics:
                    raise ValueError(f"metric: expected one of {sorted(metrics)}, got {name!r}")
            elif name not in metrics and name not in self.keys:
                raise ValueError(f"{role}: expected a key or metric name, got {name!r}")

    # ------------------------------------------------------------------ saving
    def _index(self, root: Path | None, entries: Iterable[Entry] | None = None) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "keys": list(self.keys),
            "settings": dict(self._settings),
            "attrs": self._attrs,
            "entries": [e._to_json(root) for e in (entries if entries is not None
                                                    else self._entries.values())],
        }

    def _write_index(self) -> None:
        assert self._root is not None
        self._root.mkdir(parents=True, exist_ok=True)
        _write_json_atomic(self._root / INDEX, self._index(self._root))

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the whole collection (index + one ``.npz`` per landscape) to ``directory``
        and return its path. Open it again with :meth:`load`.

        Raises:
            FileExistsError: when ``directory`` already holds a different collection.
        """
        root = Path(directory)
        if self._root is not None and root.resolve() == self._root.resolve():
            self._write_index()
            return root
        if (root / INDEX).exists():
            raise FileExistsError(f"{root} already holds a collection; choose another directory")
        folder = root / LANDSCAPES
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for e in self._entries.values():
            file = folder / f"{e.id}.npz"
            if e.id in self._memory:
                self._memory[e.id].save(file)
            elif e.file is not None:
                shutil.copyfile(e.file, file)
            saved.append(Entry(id=e.id, key=e.key, topology=e.topology, hessian=e.hessian,
                               scalars=e.scalars, file=file))
        _write_json_atomic(root / INDEX, self._index(root, saved))
        return root


def reduce_values(values: Iterable[float], how: str) -> float:
    """Reduce numbers as ``LandscapeCollection.pivot`` does (NaN skipped; std with ddof=1)."""
    arr = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    if how == "count":
        return float(arr.size)
    if arr.size == 0:
        return math.nan
    if how == "mean":
        return float(arr.mean())
    if how == "median":
        return float(np.median(arr))
    if how == "min":
        return float(arr.min())
    if how == "max":
        return float(arr.max())
    if how == "std":
        return float(arr.std(ddof=1)) if arr.size > 1 else math.nan
    raise ValueError(f"reduce: expected one of {REDUCTIONS}, got {how!r}")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - pandas is a declared dependency
        raise ImportError(
            "LandscapeCollection.table needs pandas: pip install 'landscape-widgets[compare]'"
        ) from exc
    return pandas
