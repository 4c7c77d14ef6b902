"""The one data object of the toolkit: a loss landscape sampled on a regular n-D grid.

Every later stage (graph, topology, metrics, layout, widgets) takes a :class:`Landscape`;
it can come from a model (``sample_landscape``), from an array, or from an analytic function.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._checks import integer, is_integer, json_object, json_type, real_array

Extent = float | Sequence[float] | Sequence[Sequence[float]]

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Provenance:
    """Where a landscape came from; JSON-serialisable so it survives save/load.

    ``source`` is one of "array", "function", "random", "hessian", "interpolation".
    """

    source: str = "array"
    normalization: str | None = None
    seed: int | None = None
    eigenvalues: tuple[float, ...] | None = None
    resolution: tuple[int, ...] | None = None
    extent: tuple[tuple[float, float], ...] | None = None
    loss_name: str | None = None
    model_name: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Provenance:
        """The inverse of :meth:`to_json`; every field's JSON type is checked (a saved file is
        untrusted input), unknown fields are refused."""
        data = dict(json_object("provenance", data))
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(
                f"provenance: expected the fields {sorted(cls.__dataclass_fields__)}, got "
                f"unknown ones {unknown}"
            )
        for key in ("source", "normalization", "loss_name", "model_name"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"provenance.{key}: expected a string or null, got "
                                 f"{json_type(value)}")
        if data.get("source", "") is None:
            raise ValueError("provenance.source: expected a string, got null")
        if data.get("seed") is not None and not is_integer(data["seed"]):
            raise ValueError(f"provenance.seed: expected an integer or null, got "
                             f"{json_type(data['seed'])}")
        for key, item in (("eigenvalues", "number"), ("resolution", "integer")):
            value = data.get(key)
            if value is None:
                continue
            good = is_integer if item == "integer" else _is_json_number
            if not isinstance(value, list) or not all(good(v) for v in value):
                raise ValueError(f"provenance.{key}: expected an array of {item}s or null, got "
                                 f"{json_type(value)}")
            data[key] = tuple(value)
        extent = data.get("extent")
        if extent is not None:
            if not isinstance(extent, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(_is_json_number(b) for b in p)
                for p in extent
            ):
                raise ValueError(f"provenance.extent: expected an array of [low, high] number "
                                 f"pairs or null, got {json_type(extent)}")
            data["extent"] = tuple(tuple(float(b) for b in pair) for pair in extent)
        if "extra" in data:
            data["extra"] = dict(json_object("provenance.extra", data["extra"]))
        return cls(**data)


def _is_json_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def grid_bounds(dims: int, extent: Extent) -> tuple[tuple[float, float], ...]:
    """Normalise ``extent`` to one ``(low, high)`` pair per axis.

    ``extent`` is a positive number ``e`` (every axis spans ``[-e, e]``), one number per axis, or
    one ``(low, high)`` pair per axis.
    """
    if isinstance(extent, (str, bytes)) or extent is None:
        raise TypeError(
            f"extent: expected a number, {dims} numbers or {dims} (low, high) pairs, "
            f"got {type(extent).__name__} {extent!r}"
        )
    arr = real_array("extent", extent, allow_bool=False)
    if arr.ndim == 0:
        arr = np.full(dims, float(arr))
    if arr.ndim == 1:
        if arr.shape[0] != dims:
            raise ValueError(
                f"extent: expected one number or {dims} numbers (one per axis), got {arr.shape[0]}"
            )
        if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
            raise ValueError(f"extent: expected positive finite half-widths, got {arr.tolist()}")
        return tuple((-float(e), float(e)) for e in arr)
    if arr.ndim == 2 and arr.shape == (dims, 2):
        if not np.all(np.isfinite(arr)) or np.any(arr[:, 1] <= arr[:, 0]):
            raise ValueError(
                f"extent: expected (low, high) pairs with low < high, got {arr.tolist()}"
            )
        return tuple((float(lo), float(hi)) for lo, hi in arr)
    raise ValueError(
        f"extent: expected a number, {dims} numbers or {dims} (low, high) pairs, "
        f"got an array of shape {arr.shape}"
    )


def grid_resolution(dims: int, resolution: int | Sequence[int]) -> tuple[int, ...]:
    """Normalise ``resolution`` to one point count (>= 2) per axis."""
    if isinstance(resolution, np.ndarray) and resolution.ndim == 0:
        resolution = resolution[()]
    if is_integer(resolution):
        res = (int(resolution),) * dims
    else:
        if isinstance(resolution, (str, bytes)) or not hasattr(resolution, "__iter__"):
            raise TypeError(
                f"resolution: expected an integer or {dims} integers (points per axis), got "
                f"{type(resolution).__name__} {resolution!r}"
            )
        res = tuple(integer("resolution", r) for r in resolution)
        if len(res) != dims:
            raise ValueError(f"resolution: expected one integer or {dims} integers, got {len(res)}")
    if any(r < 2 for r in res):
        raise ValueError(f"resolution: expected at least 2 points per axis, got {res}")
    return res


def grid_axes(dims: int, resolution: int | Sequence[int], extent: Extent) -> tuple[np.ndarray, ...]:
    """Evenly spaced axes of a grid. With an odd resolution and a symmetric extent, the centre
    point is exactly 0 (the model itself)."""
    if not is_integer(dims) or dims < 1:
        raise ValueError(f"dims: expected an integer >= 1, got {dims!r}")
    res = grid_resolution(dims, resolution)
    bounds = grid_bounds(dims, extent)
    axes = []
    for r, (lo, hi) in zip(res, bounds):
        axis = np.linspace(lo, hi, r)
        if r % 2 == 1 and math.isclose(lo, -hi):
            axis[r // 2] = 0.0
        axes.append(axis)
    return tuple(axes)


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Landscape:
    """A scalar field sampled on a regular grid in an n-D subspace.

    Attributes:
        values: array of shape ``(r_1, ..., r_n)``, float64; NaN/inf are kept (divergent points).
        axes: one increasing 1-D coordinate array per dimension.
        provenance: how the landscape was made.

    Example:
        >>> import numpy as np
        >>> land = Landscape.from_function(lambda p: (p**2).sum(1), dims=2, resolution=5)
        >>> land.shape, land.points.shape
        ((5, 5), (25, 2))
    """

    values: np.ndarray
    axes: tuple[np.ndarray, ...]
    provenance: Provenance = field(default_factory=Provenance)

    def __post_init__(self) -> None:
        values = real_array("values", self.values)
        if values.ndim < 1 or values.size == 0:
            raise ValueError(f"values: expected a non-empty n-D array, got shape {values.shape}")
        if isinstance(self.axes, (str, bytes)) or not hasattr(self.axes, "__iter__"):
            raise TypeError(
                f"axes: expected one 1-D array per dimension, got {type(self.axes).__name__}"
            )
        axes = tuple(real_array(f"axes[{i}]", a) for i, a in enumerate(self.axes))
        if len(axes) != values.ndim:
            raise ValueError(
                f"axes: expected {values.ndim} axes for values of shape {values.shape}, "
                f"got {len(axes)}"
            )
        for i, (a, n) in enumerate(zip(axes, values.shape)):
            if a.ndim != 1 or a.shape[0] != n:
                raise ValueError(f"axes[{i}]: expected a 1-D array of length {n}, got {a.shape}")
            if not np.all(np.isfinite(a)):
                raise ValueError(
                    f"axes[{i}]: expected finite coordinates, got {a[~np.isfinite(a)][:3].tolist()}"
                )
            if n > 1 and not np.all(np.diff(a) > 0):
                raise ValueError(f"axes[{i}]: expected strictly increasing coordinates")
        object.__setattr__(self, "values", _readonly(values))
        object.__setattr__(self, "axes", tuple(_readonly(a) for a in axes))

    # ------------------------------------------------------------------ shape helpers
    @property
    def dims(self) -> int:
        return self.values.ndim

    @property
    def shape(self) -> tuple[int, ...]:
        return self.values.shape

    @property
    def size(self) -> int:
        return self.values.size

    @property
    def points(self) -> np.ndarray:
        """Coordinates of every grid point, shape ``(size, dims)``, in C (row-major) order, so
        row ``i`` is the point of flat vertex id ``i``."""
        mesh = np.meshgrid(*self.axes, indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)

    def coordinates(self, vertex: int) -> np.ndarray:
        """Coordinates of one flat vertex id."""
        index = np.unravel_index(int(vertex), self.shape)
        return np.array([a[i] for a, i in zip(self.axes, index)])

    @property
    def center_index(self) -> int:
        """Flat id of the grid point nearest the origin (the model itself)."""
        index = tuple(int(np.argmin(np.abs(a))) for a in self.axes)
        return int(np.ravel_multi_index(index, self.shape))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_array(
        cls,
        values: np.ndarray,
        axes: Sequence[np.ndarray] | None = None,
        extent: Extent | None = None,
        provenance: Provenance | None = None,
    ) -> Landscape:
        """Wrap an n-D array. Without ``axes``, axes span ``extent`` (default: ``[-1, 1]``).
        Complex or non-numeric values are refused (TypeError)."""
        values = real_array("values", values)
        if values.ndim < 1 or values.size == 0:
            raise ValueError(f"values: expected a non-empty n-D array, got shape {values.shape}")
        if axes is None:
            if min(values.shape) < 2:
                raise ValueError(
                    f"values: expected at least 2 points per axis, got shape {values.shape}"
                )
            axes = grid_axes(values.ndim, values.shape, 1.0 if extent is None else extent)
        if provenance is None:
            provenance = Provenance(source="array", resolution=tuple(values.shape))
        return cls(values=values, axes=tuple(axes), provenance=provenance)

    @classmethod
    def from_function(
        cls,
        f: Callable[[np.ndarray], np.ndarray],
        dims: int = 2,
        resolution: int | Sequence[int] = 101,
        extent: Extent = 2.0,
    ) -> Landscape:
        """Sample ``f`` (``(N, dims) -> (N,)``, vectorised) on a grid."""
        axes = grid_axes(dims, resolution, extent)
        shape = tuple(len(a) for a in axes)
        mesh = np.meshgrid(*axes, indexing="ij")
        pts = np.stack([m.ravel() for m in mesh], axis=1)
        vals = real_array("f", f(pts))
        if vals.shape not in ((pts.shape[0],), shape):
            raise ValueError(
                f"f: expected it to return {pts.shape[0]} values for an ({pts.shape[0]}, {dims}) "
                f"array of points, got shape {vals.shape}"
            )
        prov = Provenance(
            source="function",
            resolution=shape,
            extent=grid_bounds(dims, extent),
            loss_name=getattr(f, "__name__", None),
        )
        return cls(values=vals.reshape(shape), axes=axes, provenance=prov)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write to one ``.npz`` file (arrays + JSON metadata; no pickle)."""
        path = Path(path)
        if path.suffix != ".npz":
            path = (
                path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")
            )
        meta = {
            "format": "landscape_widgets.Landscape",
            "version": FORMAT_VERSION,
            "provenance": self.provenance.to_json(),
        }
        arrays = {f"axis_{i}": a for i, a in enumerate(self.axes)}
        np.savez_compressed(path, values=self.values, meta=np.array(json.dumps(meta)), **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Landscape:
        """Read a file written by :meth:`save`."""
        with np.load(Path(path), allow_pickle=False) as data:
            meta = json_object(f"{path}: meta", json.loads(str(data["meta"])))
            if meta.get("format") != "landscape_widgets.Landscape":
                raise ValueError(f"{path}: not a saved Landscape (format={meta.get('format')!r})")
            values = data["values"]
            axes = tuple(data[f"axis_{i}"] for i in range(values.ndim))
        provenance = Provenance.from_json(meta.get("provenance"))
        return cls(values=values, axes=axes, provenance=provenance)

    def __repr__(self) -> str:
        finite = self.values[np.isfinite(self.values)]
        rng = f"[{finite.min():.4g}, {finite.max():.4g}]" if finite.size else "[no finite values]"
        return (
            f"Landscape(shape={self.shape}, source={self.provenance.source!r}, "
            f"values in {rng}, non-finite={self.size - finite.size})"
        )
