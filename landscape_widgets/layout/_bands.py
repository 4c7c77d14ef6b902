"""Height bands of the landscape profile, computed sparsely: one record ("rect") per basin and
band it is alive in, never a dense basins × bands matrix (a noisy 41⁴ grid has ~300 k basins).

Per rect (basin b, band j), with bands (g_j, g_{j+1}] and counts taken at the band top g_{j+1}:

- ``core``: b's own finite points ≤ g_{j+1}, plus the whole subtree of every child of b that has
  already merged (died in a band below j). This is the sublevel-set component of b at g_{j+1}.
- ``width``: core plus the width of every child still separate (alive) in band j, i.e. all
  finite points of b's subtree ≤ g_{j+1}. Because every ancestor of an alive basin is alive,
  width = sum of ``core`` over the alive rects of b's subtree in band j: one prefix sum over
  rects sorted by (band, in-order position), as subtrees are contiguous in the in-order.
- ``x0``: left edge. Inside its parent's rect, [left children, outermost first][core][right
  children, innermost first]; outermost = dies highest, so siblings outside an alive child are
  alive too and merging always happens next to the core.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._forest import Forest, inorder, path_sum, subtree_sums


def band_of(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Band j of each value: (edges[j], edges[j+1]], the lowest edge counting in band 0."""
    last = edges.size - 2
    step = (edges[-1] - edges[0]) / (last + 1)
    uniform = step > 0 and np.allclose(np.diff(edges), step, rtol=1e-9, atol=0)
    if values.size < 4096 or not uniform:
        return np.clip(np.searchsorted(edges, values, side="left") - 1, 0, last)
    # equal bands: arithmetic is ~10x faster than a binary search on millions of random
    # values; rounding can be off by one band, so correct against the exact edges
    band = np.clip(np.ceil((values - edges[0]) / step).astype(np.int64) - 1, 0, last)
    band -= (values <= edges[band]) & (band > 0)
    band += (values > edges[band + 1]) & (band < last)
    return band


@dataclass(frozen=True, eq=False)
class Bands:
    """Rect records of the profile (internal). Units: numbers of finite points."""

    edges: np.ndarray    # (L+1,) band edges
    band_lo: np.ndarray  # (k,) lowest band of each basin (the one holding its minimum)
    band_hi: np.ndarray  # (k,) highest band (the one holding its death)
    offsets: np.ndarray  # (k+1,) rects of basin b are offsets[b]:offsets[b+1], band ascending
    basin: np.ndarray    # (R,) forest index
    band: np.ndarray     # (R,)
    core: np.ndarray     # (R,) int64
    width: np.ndarray    # (R,) int64
    x0: np.ndarray       # (R,) float64
    left: np.ndarray     # (R,) float64: alive left children's width, the core starts after it
    size: np.ndarray     # (k,) own finite points per basin

    def at(self, basin: np.ndarray, band: np.ndarray) -> np.ndarray:
        """Rect index of (basin, band); the basin must be alive in that band."""
        return self.offsets[basin] + band - self.band_lo[basin]


def layout_bands(forest: Forest, edges: np.ndarray, values: np.ndarray,
                 vertex_basin: np.ndarray, y_lo: np.ndarray, y_hi: np.ndarray) -> Bands:
    """Rect records for the ``forest`` (``values``/``vertex_basin``: finite vertices only)."""
    k = forest.size
    parent = forest.parent
    hi = band_of(edges, y_hi)
    lo = np.minimum(band_of(edges, y_lo), hi)
    n_rect = hi - lo + 1
    offsets = np.concatenate([[0], np.cumsum(n_rect)])
    n_total = int(offsets[-1])
    basin = np.repeat(np.arange(k), n_rect)
    band = lo[basin] + np.arange(n_total) - offsets[basin]

    def at(b: np.ndarray, j: np.ndarray) -> np.ndarray:
        return offsets[b] + j - lo[b]

    def segment_cumsum(x: np.ndarray) -> np.ndarray:
        padded = np.concatenate([[0], np.cumsum(x)])
        return padded[1:] - padded[offsets[basin]]

    # a branch's points lie between its minimum and its death (elder rule); the clip only
    # guards the rect indexing against a tree that breaks that
    vband = np.clip(band_of(edges, values), lo[vertex_basin], hi[vertex_basin])
    own = segment_cumsum(np.bincount(at(vertex_basin, vband), minlength=n_total))
    size = np.bincount(vertex_basin, minlength=k)
    total = subtree_sums(forest, size)
    child = np.flatnonzero(parent >= 0)
    merged = child[hi[child] < hi[parent[child]]]  # children merging below the parent's top
    step = np.bincount(at(parent[merged], hi[merged] + 1), weights=total[merged],
                       minlength=n_total).astype(np.int64)
    core = own + segment_cumsum(step)

    position, start, count = inorder(forest)
    key = band * k + position[basin]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    prefix = np.concatenate([[0], np.cumsum(core[order])])
    first_key = band * k + start[basin]
    width = (prefix[np.searchsorted(sorted_key, first_key + count[basin])]
             - prefix[np.searchsorted(sorted_key, first_key)])

    x0, left = _pack(forest, offsets, lo, basin, band, width, edges.size - 1)
    return Bands(edges=edges, band_lo=lo, band_hi=hi, offsets=offsets, basin=basin, band=band,
                 core=core, width=width, x0=x0, left=left, size=size)


def _pack(forest: Forest, offsets: np.ndarray, lo: np.ndarray, basin: np.ndarray,
          band: np.ndarray, width: np.ndarray, n_bands: int) -> tuple[np.ndarray, np.ndarray]:
    """Left edge of every rect, and the width of the alive left children inside it."""
    parent = forest.parent[basin]
    is_root = parent < 0
    safe_parent = np.maximum(parent, 0)
    parent_rect = np.where(is_root, -1, offsets[safe_parent] + band - lo[safe_parent])
    # siblings in the same band form a group; the roots of one band share a virtual parent
    group = np.where(is_root, -1 - band, parent_rect)
    side = forest.side[basin]
    order = np.lexsort((-forest.rank[basin], side, group))  # outermost first in each group
    w = width[order].astype(np.float64)
    padded = np.concatenate([[0.0], np.cumsum(w)])
    g_group, g_side = group[order], side[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = (g_group[1:] != g_group[:-1]) | (g_side[1:] != g_side[:-1])
    start = np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
    inclusive = padded[1:] - padded[start]  # this rect plus its outer siblings' on its side
    root_total = np.bincount(band[is_root], weights=width[is_root], minlength=n_bands)
    parent_width = np.where(g_group < 0, root_total[band[order]],
                            width[np.maximum(g_group, 0)])
    offset = np.empty(order.size)
    offset[order] = np.where(g_side < 0, inclusive - w, parent_width - inclusive)
    # the roots, as a block, are centred on 0.5 of the finite points
    offset[is_root] += (forest.n_finite - root_total[band[is_root]]) / 2
    x0 = path_sum(offset, parent_rect)
    left_child = ~is_root & (side < 0)
    left = np.bincount(parent_rect[left_child], weights=width[left_child],
                       minlength=order.size)
    return x0, left
