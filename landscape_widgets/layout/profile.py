"""Topological landscape profile (Oesterling et al. 2013, as used for loss landscapes in seed 003).

Geometry, precisely:

- Every kept branch of the merge tree (one per minimum) is a **basin**. Its outline spans
  y ∈ [its minimum's value, its death value] (the top of the finite range for the global
  minimum) and, at height v, is as wide as the number of finite points of its **subtree** (its
  own branch plus every branch nested in it) with value ≤ v. So the top of a basin is
  ``subtree size / n_finite`` wide, and the outermost basin's top spans [0, 1].
- A child basin is drawn *inside* its parent: at every height the parent's interval holds
  [left children][core][right children], where the core is the parent's own points plus the
  children already merged. Children are ranked by death value and alternate right/left, the
  lowest-dying innermost, so a child merges into the core right next to it. Painting parents
  first and children on top (``basin_ids`` order), the visible width of a basin's colour just
  below a band top g is exactly the size of its component of {f ≤ g}.
- Heights are quantised into bands (g_k, g_{k+1}] between ``y_min`` and ``y_max`` (``levels``):
  each band gives one rectangle per live basin, as wide as the count at the band's top g_{k+1},
  cut vertically to the basin's own [minimum, death]. Widths are exact at every level and at
  every basin top; a 2.8 M-point landscape gives at most (#basins × levels) rectangles (a
  minimum lying exactly on an edge gets no zero-height rectangle). The outline of a stack is
  its stair-step boundary; where a child shifts by more than its width between two bands, the
  two rectangles meet in a zero-area bridge, so fill it or draw the rectangles.
- x is the fraction of finite points; NaN/±inf vertices count in ``n_nonfinite`` only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..topology.tree import MergeTree
from ._bands import layout_bands
from ._forest import build_forest, check_count, check_tree, freeze

_SPACINGS = ("linear", "quantile")


@dataclass(frozen=True, eq=False)
class LandscapeProfile:
    """Drawable geometry of a topological landscape profile; every element carries the vertex id
    of its basin's minimum (``basin_ids``), the key used for brushing.

    Attributes:
        basin_ids: ``(b,)`` minimum vertex id per basin, in drawing order (parents first).
        basin_parent: ``(b,)`` id of the enclosing basin, -1 for the outermost.
        basin_mean_loss: ``(b,)`` mean finite value of the basin's own branch points (colour).
        basin_size: ``(b,)`` finite points of the own branch; sums to ``n_points - n_nonfinite``.
        basin_subtree_size: ``(b,)`` finite points of the branch and all nested branches
            (the width of the basin's top, times ``n_points - n_nonfinite``).
        basin_min, basin_death: ``(b,)`` drawn y-extent (values clipped to [y_min, y_max]).
        basin_depth: ``(b,)`` death − minimum value (+inf for the outermost basin).
        polygon_offsets: ``(b+1,)`` CSR offsets: basin i's outline is
            ``polygon_x/y[offsets[i]:offsets[i+1]]`` (closed implicitly, counter-clockwise).
        rect_x0, rect_x1, rect_y0, rect_y1, rect_basin: the same shapes as rectangles, grouped
            by basin (drawing order), bottom-up; ``rect_band`` j: the rectangle lies in the band
            (levels[j], levels[j+1]] and is as wide as the count at levels[j+1].
        minima_x, minima_y, minima_basin: one marker per basin minimum.
        saddle_x, saddle_y, saddle_vertex, saddle_basin: one marker per dying basin, on the
            inner edge of its top; ``saddle_basin`` is the basin that dies there.
        levels: ``(L+1,)`` band edges used for the rectangles.
        y_min, y_max: finite value range; n_points: all vertices; n_nonfinite: NaN/±inf ones.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> p = landscape_profile(merge_tree(np.array([0.0, 2.0, 1.0, 3.0])), levels=3)
        >>> p.basin_ids.tolist(), p.basin_size.tolist(), p.basin_subtree_size.tolist()
        ([0, 2], [3, 1], [4, 1])
    """

    basin_ids: np.ndarray
    basin_parent: np.ndarray
    basin_mean_loss: np.ndarray
    basin_size: np.ndarray
    basin_subtree_size: np.ndarray
    basin_min: np.ndarray
    basin_death: np.ndarray
    basin_depth: np.ndarray
    polygon_offsets: np.ndarray
    polygon_x: np.ndarray
    polygon_y: np.ndarray
    rect_x0: np.ndarray
    rect_x1: np.ndarray
    rect_y0: np.ndarray
    rect_y1: np.ndarray
    rect_basin: np.ndarray
    rect_band: np.ndarray
    minima_x: np.ndarray
    minima_y: np.ndarray
    minima_basin: np.ndarray
    saddle_x: np.ndarray
    saddle_y: np.ndarray
    saddle_vertex: np.ndarray
    saddle_basin: np.ndarray
    levels: np.ndarray
    y_min: float
    y_max: float
    n_points: int
    n_nonfinite: int

    def __post_init__(self) -> None:
        freeze(self)

    @property
    def n_basins(self) -> int:
        return int(self.basin_ids.size)

    def polygon(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) outline of the i-th basin (drawing order)."""
        lo, hi = self.polygon_offsets[i], self.polygon_offsets[i + 1]
        return self.polygon_x[lo:hi], self.polygon_y[lo:hi]


def _levels(levels: object, spacing: str, values: np.ndarray, y_min: float,
            y_max: float) -> np.ndarray:
    caller = "landscape_profile"
    if isinstance(levels, (int, np.integer)) and not isinstance(levels, bool):
        if levels < 1:
            raise ValueError(f"{caller}: levels expected an integer >= 1, received {levels}")
        if spacing not in _SPACINGS:
            raise ValueError(f"{caller}: spacing expected one of {_SPACINGS}, received {spacing!r}")
        if spacing == "linear":
            edges = np.linspace(y_min, y_max, int(levels) + 1)
        else:  # equal numbers of points per band: resolves heavy-tailed losses
            edges = np.quantile(values, np.linspace(0.0, 1.0, int(levels) + 1))
        edges = np.unique(np.concatenate([[y_min], edges, [y_max]]))
        return edges if edges.size > 1 else np.array([y_min, y_max])  # constant landscape
    edges = np.array(levels, dtype=np.float64)  # a copy: results are frozen
    if (edges.ndim != 1 or edges.size < 2 or not np.all(np.isfinite(edges))
            or np.any(np.diff(edges) <= 0)):
        raise ValueError(
            f"{caller}: levels expected an integer or a strictly increasing finite 1-D array "
            f"of >= 2 edges, received {np.asarray(levels).tolist()!r}"
        )
    if edges[0] > y_min or edges[-1] < y_max:
        raise ValueError(
            f"{caller}: levels expected to cover the finite values [{y_min}, {y_max}], "
            f"received edges from {edges[0]} to {edges[-1]}"
        )
    return edges


def landscape_profile(
    tree: MergeTree,
    max_basins: int | None = None,
    levels: int | np.ndarray = 64,
    spacing: str = "linear",
) -> LandscapeProfile:
    """Landscape-profile geometry of a merge tree (see the module docstring for the rules).

    Args:
        tree: from ``lw.merge_tree``.
        max_basins: keep only this many most persistent basins (roots always kept); the others'
            points are folded into the nearest kept enclosing basin, as ``tree.simplify`` does.
            Use it to draw big landscapes: cost and output grow with basins × levels.
        levels: number of height bands, or explicit increasing band edges covering the values.
        spacing: "linear" (equal heights) or "quantile" (equal point counts per band).

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> p = landscape_profile(merge_tree(np.array([0.0, 2.0, 1.0, 3.0])), levels=3)
        >>> p.rect_x0.tolist(), p.rect_x1.tolist(), p.rect_y1.tolist()
        ([0.25, 0.125, 0.0, 0.625], [0.75, 0.875, 1.0, 0.875], [1.0, 2.0, 3.0, 2.0])
    """
    caller = "landscape_profile"
    forest = build_forest(check_tree(tree, caller), check_count(max_basins, "max_basins", caller),
                          caller)
    values, vertex_basin = forest.finite_points()
    edges = _levels(levels, spacing, values, forest.y_min, forest.y_max)
    roots = forest.parent < 0
    y_lo = forest.clamp(forest.birth)
    y_hi = np.where(roots, forest.y_max, forest.clamp(forest.death))
    bands = layout_bands(forest, edges, values, vertex_basin, y_lo, y_hi)

    # a minimum exactly on a band edge would start with a zero-height rectangle: skip it
    b, j = bands.basin, bands.band
    keep = ~((j == bands.band_lo[b]) & (j < bands.band_hi[b]) & (y_lo[b] >= edges[j + 1]))
    scale = 1.0 / forest.n_finite
    rects = _rectangles(
        forest.ids, b[keep], j[keep], bands.x0[keep] * scale,
        (bands.x0 + bands.width)[keep] * scale,
        np.maximum(edges[j], y_lo[b])[keep], np.minimum(edges[j + 1], y_hi[b])[keep],
    )
    bottom = bands.offsets[:-1] + ~keep[bands.offsets[:-1]]  # first drawn rect of each basin
    minima_x = bands.x0[bottom] + bands.left[bottom] + bands.core[bottom] / 2
    dying = np.flatnonzero(~roots)
    top = bands.offsets[dying + 1] - 1
    inner_edge = np.where(forest.side[dying] < 0, bands.x0[top] + bands.width[top],
                          bands.x0[top])
    k = forest.size
    mean = np.bincount(vertex_basin, weights=values, minlength=k) / np.maximum(bands.size, 1)
    ids = forest.ids
    with np.errstate(invalid="ignore"):
        depth = np.where(roots, np.inf, forest.death - forest.birth)
    return LandscapeProfile(
        basin_ids=ids,
        basin_parent=np.where(roots, -1, ids[np.maximum(forest.parent, 0)]),
        basin_mean_loss=mean,
        basin_size=bands.size.astype(np.int64),
        basin_subtree_size=bands.width[bands.offsets[1:] - 1].astype(np.int64),
        basin_min=y_lo,
        basin_death=y_hi,
        basin_depth=depth,
        **rects,
        minima_x=minima_x * scale,
        minima_y=y_lo,
        minima_basin=ids,
        saddle_x=inner_edge * scale,
        saddle_y=y_hi[dying],
        saddle_vertex=forest.death_saddle[dying],
        saddle_basin=ids[dying],
        levels=edges,
        y_min=forest.y_min,
        y_max=forest.y_max,
        n_points=int(tree.n_vertices),
        n_nonfinite=int(tree.n_vertices - forest.n_finite),
    )


def _rectangles(ids: np.ndarray, basin: np.ndarray, band: np.ndarray, x0: np.ndarray,
                x1: np.ndarray, y0: np.ndarray, y1: np.ndarray) -> dict[str, np.ndarray]:
    """Rectangles (grouped by basin, bottom-up) and the stair-step outline of each stack: up the
    right edges, then down the left edges, 4 points per rectangle, counter-clockwise."""
    n_rect = np.bincount(basin, minlength=ids.size)
    offsets = np.concatenate([[0], np.cumsum(n_rect)])
    local = np.arange(basin.size) - offsets[basin]
    n = n_rect[basin]
    right = 4 * offsets[basin] + 2 * local
    left = 4 * offsets[basin] + 2 * n + 2 * (n - 1 - local)
    px = np.empty(4 * basin.size)
    py = np.empty_like(px)
    px[right], py[right] = x1, y0
    px[right + 1], py[right + 1] = x1, y1
    px[left], py[left] = x0, y1
    px[left + 1], py[left + 1] = x0, y0
    return dict(
        polygon_offsets=4 * offsets, polygon_x=px, polygon_y=py,
        rect_x0=x0, rect_x1=x1, rect_y0=y0, rect_y1=y1, rect_basin=ids[basin],
        rect_band=band,
    )
