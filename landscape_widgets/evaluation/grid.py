"""The grid a landscape is sampled on: axes, shape, and the coordinates of any run of flat ids.

Coordinates are produced per chunk from flat ids (C order, matching ``Landscape.points``), so a
6-D grid never needs its full ``(size, dims)`` coordinate table in memory at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
