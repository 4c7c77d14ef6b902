"""The one data object of the toolkit: a loss landscape sampled on a regular n-D grid or at
scattered points.

Every later stage (graph, topology, metrics, layout, widgets) takes a :class:`Landscape`;
it can come from a model (``sample_landscape``), from an array, from an analytic function, or
from scattered samples (``Landscape.from_points``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ._checks import integer, is_integer, real_array
from .provenance import Provenance

Extent = float | Sequence[float] | Sequence[Sequence[float]]

__all__ = ["Extent", "Landscape", "Provenance", "grid_axes", "grid_bounds", "grid_resolution"]


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
    given: Any = resolution  # untrusted: checked below whatever its annotation says
    if isinstance(given, np.ndarray) and given.ndim == 0:
        given = given[()]
    if is_integer(given):
        res = (int(given),) * dims
    else:
        if isinstance(given, (str, bytes)) or not hasattr(given, "__iter__"):
            raise TypeError(
                f"resolution: expected an integer or {dims} integers (points per axis), got "
                f"{type(given).__name__} {given!r}"
            )
        res = tuple(integer("resolution", r) for r in given)
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


def _checked_fields(fields: Any, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
    """``fields`` as a fresh ``{name: read-only float64 array of shape}`` dict."""
    if not isinstance(fields, Mapping):
        raise TypeError(
            f"fields: expected a mapping of names to arrays, got {type(fields).__name__}"
        )
    out = {}
    for name, arr in fields.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"fields: expected non-empty string names, got {name!r}")
        arr = np.asarray(arr, dtype=np.float64)
        if arr.shape != shape and arr.shape != (int(np.prod(shape)),):
            raise ValueError(
                f"fields[{name!r}]: expected the shape of values {shape}, got {arr.shape}"
            )
        out[name] = _readonly(arr.reshape(shape))
    return out


@dataclass(frozen=True, eq=False)
class Landscape:
    """A scalar field sampled on a regular grid, or at scattered points, in an n-D subspace.

    Attributes:
        values: grid: array of shape ``(r_1, ..., r_n)``; scattered: ``(N,)``. float64;
            NaN/inf are kept (divergent points).
        axes: grid: one increasing 1-D coordinate array per dimension; scattered: ``()``.
        provenance: how the landscape was made (``provenance.extent`` is the sampling box).
        fields: more values per point, ``{name: array}`` shaped like ``values`` (float64), e.g.
            the accuracy from ``sample_landscape(..., metrics={"accuracy": acc})``.
        scattered_points: scattered: the ``(N, dims)`` sample coordinates (row ``i`` is the
            point of vertex ``i``); None for a grid. Read them as ``land.points`` either way.

    Example:
        >>> import numpy as np
        >>> land = Landscape.from_function(lambda p: (p**2).sum(1), dims=2, resolution=5)
        >>> land.shape, land.points.shape, land.is_grid
        ((5, 5), (25, 2), True)
        >>> pts = np.array([[0.0, 0.0], [0.5, -0.5], [1.0, 1.0]])
        >>> cloud = Landscape.from_points(pts, (pts**2).sum(1), bounds=1.0)
        >>> cloud.is_grid, cloud.dims, cloud.shape, cloud.bounds
        (False, 2, (3,), ((-1.0, 1.0), (-1.0, 1.0)))
    """

    values: np.ndarray
    axes: tuple[np.ndarray, ...]
    provenance: Provenance = field(default_factory=Provenance)
    fields: Mapping[str, np.ndarray] = field(default_factory=dict)
    scattered_points: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.scattered_points is not None:
            self._check_scattered()
            return
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
        object.__setattr__(self, "fields", _checked_fields(self.fields, values.shape))

    def _check_scattered(self) -> None:
        values = real_array("values", self.values)
        points = real_array("points", self.scattered_points)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(
                f"values: expected a non-empty (N,) array for scattered points, got shape "
                f"{values.shape}"
            )
        if points.ndim != 2 or points.shape[0] != values.size or points.shape[1] == 0:
            raise ValueError(
                f"points: expected an ({values.size}, dims) array (one row per value), got "
                f"shape {points.shape}"
            )
        if not np.all(np.isfinite(points)):
            raise ValueError("points: expected finite coordinates, got NaN or inf")
        if len(self.axes):
            raise ValueError(
                f"axes: a scattered landscape has no grid axes, got {len(self.axes)} of them"
            )
        object.__setattr__(self, "values", _readonly(values))
        object.__setattr__(self, "axes", ())
        object.__setattr__(self, "scattered_points", _readonly(points))
        object.__setattr__(self, "fields", _checked_fields(self.fields, values.shape))

    # ------------------------------------------------------------------ shape helpers
    @property
    def is_grid(self) -> bool:
        """True for a regular grid, False for scattered samples."""
        return self.scattered_points is None

    @property
    def dims(self) -> int:
        if self.scattered_points is not None:
            return int(self.scattered_points.shape[1])
        return self.values.ndim

    @property
    def shape(self) -> tuple[int, ...]:
        return self.values.shape

    @property
    def size(self) -> int:
        return self.values.size

    @property
    def points(self) -> np.ndarray:
        """Coordinates of every vertex, shape ``(size, dims)``: the samples of a scattered
        landscape; for a grid, every grid point in C (row-major) order, so row ``i`` is the point
        of flat vertex id ``i``."""
        if self.scattered_points is not None:
            return self.scattered_points
        mesh = np.meshgrid(*self.axes, indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)

    @property
    def bounds(self) -> tuple[tuple[float, float], ...]:
        """One ``(low, high)`` pair per axis: the grid's ends, or a scattered landscape's
        sampling box (``provenance.extent``; the points' bounding box when unknown)."""
        if self.scattered_points is None:
            return tuple((float(a[0]), float(a[-1])) for a in self.axes)
        if self.provenance.extent is not None:
            return tuple((float(lo), float(hi)) for lo, hi in self.provenance.extent)
        pts = self.scattered_points
        return tuple(
            (float(lo), float(hi)) for lo, hi in zip(pts.min(axis=0), pts.max(axis=0))
        )

    def coordinates(self, vertex: int) -> np.ndarray:
        """Coordinates of one flat vertex id."""
        if self.scattered_points is not None:
            return self.scattered_points[int(vertex)].copy()
        index = np.unravel_index(int(vertex), self.shape)
        return np.array([a[i] for a, i in zip(self.axes, index)])

    @property
    def center_index(self) -> int:
        """Flat id of the vertex nearest the origin (the model itself)."""
        if self.scattered_points is not None:
            return int(np.argmin(np.einsum("ij,ij->i", self.scattered_points,
                                           self.scattered_points)))
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

    @classmethod
    def from_points(
        cls,
        points: np.ndarray,
        values: np.ndarray,
        bounds: Extent | None = None,
        provenance: Provenance | None = None,
    ) -> Landscape:
        """Wrap scattered samples: ``(N, dims)`` coordinates and their ``(N,)`` values.

        Args:
            points: finite sample coordinates; row ``i`` is vertex ``i``.
            values: one value per point (NaN/inf kept).
            bounds: the sampling box, as ``extent`` of :func:`grid_bounds` (a half-width, one
                per axis, or ``(low, high)`` pairs); default: the points' bounding box.
            provenance: how the samples were made (its ``extent`` is set from ``bounds``).
        """
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[0] == 0 or pts.shape[1] == 0:
            raise ValueError(f"points: expected a non-empty (N, dims) array, got shape {pts.shape}")
        if bounds is None:
            box = (provenance.extent if provenance is not None and provenance.extent else
                   tuple((float(lo), float(hi)) for lo, hi in zip(pts.min(0), pts.max(0))))
        else:
            box = grid_bounds(pts.shape[1], bounds)
            lo, hi = np.array(box).T
            outside = int(np.sum(np.any((pts < lo) | (pts > hi), axis=1)))
            if outside:
                raise ValueError(
                    f"bounds: expected a box holding every point, but {outside} of {len(pts)} "
                    f"points lie outside {box}"
                )
        if provenance is None:
            provenance = Provenance(source="array")
        provenance = replace(provenance, extent=tuple(tuple(map(float, b)) for b in box))
        return cls(values=values, axes=(), provenance=provenance, scattered_points=pts)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write to one ``.npz`` file (arrays + JSON metadata; no pickle) and return its path.

        The write is atomic: an exception or Ctrl-C leaves the previous file as it was.

        Raises:
            FileExistsError: when ``path`` exists and is not a saved Landscape (pass
                ``overwrite=True`` to replace it anyway).
        """
        from .io.landscape_npz import save_npz

        return save_npz(self, path, overwrite=overwrite)

    @classmethod
    def load(cls, path: str | Path, *, max_bytes: int | None = None) -> Landscape:
        """Read a file written by :meth:`save`, or a complete ``.zarr`` store written by
        ``sample_landscape(..., store=...)``. The file is untrusted input: array sizes are
        checked before anything is allocated (at most ``max_bytes``; default 64 MiB or 64 times
        the file's size, whichever is larger).

        Raises:
            FileNotFoundError: when ``path`` does not exist.
            FileFormatError: (a ValueError) for an empty, truncated, damaged or oversized file,
                another format, or a format version this release does not read.
        """
        path = Path(path)
        if path.suffix == ".zarr":
            from .io.zarr_store import load_landscape

            return load_landscape(path, max_bytes)
        from .io.landscape_npz import load_npz

        return load_npz(path, max_bytes)

    def __repr__(self) -> str:
        finite = self.values[np.isfinite(self.values)]
        rng = f"[{finite.min():.4g}, {finite.max():.4g}]" if finite.size else "[no finite values]"
        where = f"shape={self.shape}" if self.is_grid else f"points={self.size}, dims={self.dims}"
        return (
            f"Landscape({where}, source={self.provenance.source!r}, "
            f"values in {rng}, non-finite={self.size - finite.size})"
        )

