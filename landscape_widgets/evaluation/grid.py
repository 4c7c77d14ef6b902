"""Where a landscape is sampled: a grid (axes, shape, and the coordinates of any run of flat ids)
or a :class:`PointSet` of scattered points (Sobol', Latin hypercube, uniform, or given).

Grid coordinates are produced per chunk from flat ids (C order, matching ``Landscape.points``),
so a 6-D grid never needs its full ``(size, dims)`` coordinate table in memory at once. Both
kinds offer the same ``dims``/``shape``/``size``/``coordinates``/``centre``/``bounds``, so the
evaluation walker takes either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..landscape import Extent, grid_axes, grid_bounds


@dataclass(frozen=True, eq=False)
class Grid:
    """A regular grid: one increasing axis per direction.

    Example:
        >>> g = Grid.build(dims=2, resolution=3, extent=1.0)
        >>> g.shape, g.coordinates(np.array([0, 4])).tolist()
        ((3, 3), [[-1.0, -1.0], [0.0, 0.0]])
    """

    axes: tuple[np.ndarray, ...]
    bounds: tuple[tuple[float, float], ...]

    @classmethod
    def build(cls, dims: int, resolution: int | Sequence[int], extent: Extent) -> Grid:
        axes = grid_axes(dims, resolution, extent)  # validates dims, resolution and extent
        return cls(axes=axes, bounds=grid_bounds(dims, extent))

    @property
    def dims(self) -> int:
        return len(self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.axes)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def coordinates(self, flat_ids: np.ndarray) -> np.ndarray:
        """``(len(flat_ids), dims)`` coordinates of the given flat ids (C order)."""
        index = np.unravel_index(np.asarray(flat_ids, dtype=np.int64), self.shape)
        return np.stack([axis[i] for axis, i in zip(self.axes, index, strict=True)], axis=1)

    @property
    def centre(self) -> np.ndarray:
        """The origin of the subspace (the model itself), whether or not it is a grid point."""
        return np.zeros(self.dims)


SAMPLERS = ("sobol", "random", "latin")


def sampling_sites(dims: int, resolution: Any, extent: Extent, points: Any,
                   sampler: str, seed: int | None) -> Grid | PointSet:
    """The grid (``resolution``, default 41), or with ``points`` (a count or an ``(N, dims)``
    array) the scattered points, that ``sample_landscape`` evaluates."""
    if points is None:
        return Grid.build(dims, 41 if resolution is None else resolution, extent)
    if resolution is not None:
        raise ValueError(
            f"resolution: a grid resolution and scattered points exclude each other, got "
            f"resolution={resolution!r} and points"
        )
    if isinstance(points, (int, np.integer)) and not isinstance(points, bool):
        return PointSet.sample(dims, int(points), extent, sampler, seed)
    if isinstance(points, (bool, str)) or not hasattr(points, "__len__"):
        raise TypeError(
            f"points: expected a number of points or an (N, {dims}) array, got "
            f"{type(points).__name__}"
        )
    return PointSet.given(points, dims, None)


@dataclass(frozen=True, eq=False)
class PointSet:
    """Scattered points in a box, walked like a :class:`Grid` (vertex id = row of ``points``).

    Example:
        >>> s = PointSet.sample(dims=2, n_points=8, extent=1.0, sampler="sobol", seed=0)
        >>> s.shape, bool(np.all(np.abs(s.points) <= 1.0))
        ((8,), True)
    """

    points: np.ndarray
    bounds: tuple[tuple[float, float], ...]
    sampler: str = "given"
    seed: int | None = None

    @classmethod
    def sample(cls, dims: int, n_points: int, extent: Extent, sampler: str = "sobol",
               seed: int | None = 0) -> PointSet:
        """``n_points`` points in the box ``extent`` (as for a grid) drawn by ``sampler``:
        "sobol" (scrambled Sobol' sequence), "latin" (Latin hypercube) or "random" (uniform);
        ``seed`` makes them reproducible."""
        if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)):
            raise TypeError(
                f"points: expected a number of points or an (N, dims) array, got "
                f"{type(n_points).__name__}"
            )
        if n_points < 1:
            raise ValueError(f"points: expected at least 1 point, got {n_points}")
        if sampler not in SAMPLERS:
            raise ValueError(f"sampler: expected one of {SAMPLERS}, got {sampler!r}")
        bounds = grid_bounds(dims, extent)
        unit = _unit_sample(dims, int(n_points), sampler, seed)
        lo = np.array([b[0] for b in bounds])
        hi = np.array([b[1] for b in bounds])
        return cls(points=lo + unit * (hi - lo), bounds=bounds, sampler=sampler, seed=seed)

    @classmethod
    def given(cls, points: np.ndarray, dims: int, extent: Extent | None) -> PointSet:
        """User-chosen ``(N, dims)`` coordinates; the box is ``extent`` or their bounding box."""
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[0] == 0 or pts.shape[1] != dims:
            raise ValueError(
                f"points: expected an (N, {dims}) array (one column per subspace direction), "
                f"got shape {pts.shape}"
            )
        if not np.all(np.isfinite(pts)):
            raise ValueError("points: expected finite coordinates, got NaN or inf")
        if extent is None:
            bounds = tuple((float(lo), float(hi)) for lo, hi in zip(pts.min(0), pts.max(0)))
        else:
            bounds = grid_bounds(dims, extent)
        return cls(points=pts, bounds=bounds)

    @property
    def dims(self) -> int:
        return int(self.points.shape[1])

    @property
    def shape(self) -> tuple[int, ...]:
        return (int(self.points.shape[0]),)

    @property
    def size(self) -> int:
        return int(self.points.shape[0])

    def coordinates(self, flat_ids: np.ndarray) -> np.ndarray:
        """``(len(flat_ids), dims)`` coordinates of the given vertex ids."""
        return self.points[np.asarray(flat_ids, dtype=np.int64)]

    @property
    def centre(self) -> np.ndarray:
        """The origin of the subspace (the model itself), whether or not it is a sample."""
        return np.zeros(self.dims)

    @property
    def fingerprint_extra(self) -> dict[str, str]:
        """What a checkpoint must also match: the coordinates themselves (by hash)."""
        import hashlib

        digest = hashlib.sha256(np.ascontiguousarray(self.points, dtype="<f8").tobytes())
        return {"points_sha256": digest.hexdigest()}


def _unit_sample(dims: int, n: int, sampler: str, seed: int | None) -> np.ndarray:
    if sampler == "random":
        return np.random.default_rng(seed).uniform(size=(n, dims))
    import warnings

    from scipy.stats import qmc

    # scipy's stubs name only `rng=`, which draws another sequence than the `seed=` it still
    # takes; the landscapes' documented points are those of `seed=`
    if sampler == "latin":
        return qmc.LatinHypercube(d=dims, seed=seed).random(n)  # pyright: ignore[reportCallIssue]
    with warnings.catch_warnings():
        # Sobol' points balance best in powers of two; any n is still a low-discrepancy set
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        return qmc.Sobol(d=dims, scramble=True, seed=seed).random(n)  # pyright: ignore[reportCallIssue]
