"""Entries of a LandscapeCollection: key values, the :class:`Entry` dataclass and its metrics.

Key names and values (bool, int, float or str), the topology and Hessian metrics stored with
each entry, the strict-JSON encoding of their numbers (``collection.json``), and the key
validation and lookup of a collection (``_CollectionKeys``, a mixin). Split from
``collection.py``; everything here is re-exported there.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import json_object, json_type

if TYPE_CHECKING:  # pragma: no cover
    from ..landscape import Landscape
    from ..topology.tree import MergeTree

KeyValue = bool | int | float | str

TOPOLOGY_METRICS = (
    "n_minima", "n_saddles", "average_persistence", "average_persistence_diagonal",
    "total_persistence", "smad", "loss_range", "center_loss", "min_loss",
)
HESSIAN_METRICS = ("top_eigenvalue", "trace", "trace_std_error")
_UNSAFE = re.compile(r"[^A-Za-z0-9.=+\-]")


# ---------------------------------------------------------------------------- JSON helpers
def _encode_float(x: float) -> float | str:
    """Strict JSON has no NaN/inf: they are written as the strings "NaN", "Infinity"."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _decode_float(x: Any, where: str = "value") -> float:
    if isinstance(x, str) and x in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[x]
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(
            f"{where}: expected a number or \"NaN\", \"Infinity\", \"-Infinity\", got "
            f"{json_type(x)}"
        )
    return float(x)


def _decode_numbers(where: str, data: Any) -> dict[str, float]:
    """A JSON object of numbers (an entry's topology, hessian or scalars), checked."""
    return {str(k): _decode_float(v, f"{where}[{k!r}]")
            for k, v in json_object(where, data).items()}


def check_index(data: Any, path: Path) -> dict[str, Any]:
    """The decoded ``collection.json``, with the JSON type of every top-level field checked
    (a collection directory is untrusted input): an object whose ``keys`` is an array of
    strings, ``settings`` and ``attrs`` objects, ``entries`` an array of objects."""
    where = repr(str(path))  # quoted, as every file error names its file
    data = json_object(where, data)
    keys = data.get("keys")
    if keys is not None and not (isinstance(keys, list)
                                 and all(isinstance(k, str) for k in keys)):
        raise ValueError(f"{where}: keys: expected an array of strings, got {json_type(keys)}")
    for name in ("settings", "attrs"):
        if data.get(name) is not None:
            json_object(f"{where}: {name}", data[name])
    entries = data.get("entries")
    if entries is not None:
        if not isinstance(entries, list):
            raise ValueError(f"{where}: entries: expected an array, got {json_type(entries)}")
        for i, raw in enumerate(entries):
            json_object(f"{where}: entries[{i}]", raw)
    return dict(data)



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


def value_kind(value: KeyValue) -> str:
    """"bool", "number" or "str": Python has ``True == 1`` (and equal hashes), so lookups
    compare the kind as well, and one key name holds values of one kind (a table column cannot
    tell ``True`` from ``1``)."""
    if isinstance(value, bool):
        return "bool"
    return "str" if isinstance(value, str) else "number"


def same_value(a: KeyValue, b: KeyValue) -> bool:
    """``a == b`` with ``True`` and ``1`` (and ``False`` and ``0``) different."""
    return value_kind(a) == value_kind(b) and a == b


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
        data = json_object("entry", data)
        entry_id = data.get("id")
        if not isinstance(entry_id, str):
            raise ValueError(f"entry id: expected a string, got {json_type(entry_id)}")
        where = f"entry {entry_id!r}"
        file = data.get("file")
        if file is not None and not isinstance(file, str):
            raise ValueError(f"{where}: file: expected a string or null, got {json_type(file)}")
        return cls(
            id=entry_id,
            key={k: key_value(k, v) for k, v in json_object(f"{where}: key",
                                                            data.get("key")).items()},
            topology=_decode_numbers(f"{where}: topology", data.get("topology")),
            hessian=_decode_numbers(f"{where}: hessian", data.get("hessian", {})),
            scalars=_decode_numbers(f"{where}: scalars", data.get("scalars", {})),
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


class _CollectionKeys:
    """Key validation and lookup of :class:`LandscapeCollection` (a mixin)."""

    _keys: tuple[str, ...] | None
    _entries: dict[str, Entry]
    _by_key: dict[tuple[tuple[str, KeyValue], ...], str]

    if TYPE_CHECKING:  # pragma: no cover - provided by LandscapeCollection
        @property
        def keys(self) -> tuple[str, ...]: ...

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

    def _canon(self, key: Mapping[str, KeyValue]) -> tuple[tuple[str, KeyValue], ...]:
        # (kind, value): {"a": 1} and {"a": True} must not find each other's entry
        return tuple((value_kind(key[k]), key[k]) for k in (self._keys or tuple(key)))

    def _check_key_kinds(self, key: Mapping[str, KeyValue]) -> None:
        """Refuse a key whose value is of another kind (bool / number / str) than the values
        of the same name in the entries already there: ``True == 1`` in Python and pandas,
        so tables, pivots and the gallery could not keep them apart."""
        for entry in self._entries.values():
            for name, value in key.items():
                old = entry.key.get(name)
                if old is None or value_kind(old) == value_kind(value):
                    continue
                raise TypeError(
                    f"key {name!r}: expected a {value_kind(old)} like the other entries of this "
                    f"collection (e.g. {old!r}), got {value!r} (a {value_kind(value)}); True "
                    "and 1 are different keys, but one column of a table cannot hold both"
                )
            return  # every entry was checked the same way: the first one decides

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
        return [e for e in self._entries.values()
                if all(same_value(e.key[k], v) for k, v in want.items())]

    def values_of(self, name: str) -> list[KeyValue]:
        """Distinct values of key ``name``, sorted (numbers ascending, then strings)."""
        if name not in self.keys:
            raise ValueError(f"{name!r} is not a key; keys are {list(self.keys)}")
        seen: dict[Any, KeyValue] = {}
        for e in self._entries.values():
            value = e.key[name]
            seen.setdefault((value_kind(value), value), value)
        return sorted(seen.values(), key=sort_key)
