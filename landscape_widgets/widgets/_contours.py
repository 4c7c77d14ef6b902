"""Contour geometry of a 2-D slice, computed with contourpy and packed for the browser.

Level of detail: on a noisy field the polygons explode (a 201² iid-noise slice makes ~1.5 M
points), while the raster ``z`` the browser already gets is small (4 bytes a pixel). When a
scale's bands and iso-lines together exceed :data:`POINT_BUDGET` points, :func:`level_set`
sends no polygons (``raster: True``): the browser colours each pixel of ``z`` by its band on a
canvas, embedded in the SVG as an image, and draws the iso-lines only if they alone fit the
budget. The log bands have other edges than the linear ones, so the browser cannot derive one
polygon set from the other: both travel when they are small, neither when they are not.

A scattered 2-D landscape is first interpolated onto a raster: linearly on the Delaunay
triangulation of its finite samples (``scipy.interpolate.LinearNDInterpolator``; outside their
convex hull the raster is a hole), and each raster pixel takes the basin of its nearest sample.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import contourpy
import numpy as np

from ..io.wire import to_wire
from ._scale import log_edges

if TYPE_CHECKING:  # pragma: no cover - a stub-only alias
    from contourpy._contourpy import FillReturn_OuterOffset


def level_values(vmin: float, vmax: float, n: int, log_scale: bool) -> np.ndarray:
    """``n + 1`` band edges spanning ``[vmin, vmax]``: even, or (``log_scale``) evenly spaced
    on the views' log axis (``log10(v)`` for positive values, else ``log10(v - L0)``; see
    :mod:`._scale`), so losses spanning decades get detail near the minimum.

    Example:
        >>> level_values(0.0, 1.0, 4, False).tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if not np.isfinite(vmin) or not np.isfinite(vmax):
        raise ValueError("the landscape has no finite values to contour")
    if vmax <= vmin:
        vmax = vmin + 1.0
    if not log_scale:
        return np.linspace(vmin, vmax, n + 1)
    return log_edges(vmin, vmax, n)


def _pack_rings(rings: list[np.ndarray], tags: list[int]) -> dict[str, Any]:
    points = np.concatenate(rings) if rings else np.zeros((0, 2))
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in rings])]).astype(np.int32)
    return {
        "points": to_wire(points.astype(np.float32)),
        "offsets": to_wire(offsets, "int32"),
        "level": to_wire(np.asarray(tags, dtype=np.int32), "int32"),
    }


# contour points (bands + iso-lines) per scale before the raster is used: 320 kB of float32
# pairs; smooth landscapes stay under it (four wells at 401²: 32k points on the linear scale,
# 7k on the log one), iid noise at 201² is 1.1 M linear and 0.3 M log
POINT_BUDGET = 40_000


def level_set(
    x: np.ndarray, y: np.ndarray, z: np.ndarray, edges: np.ndarray,
    budget: int = POINT_BUDGET,
) -> dict[str, Any]:
    """The wire form of one scale's contours: ``edges``, ``bands``, ``lines`` and ``raster``.

    Within ``budget`` points (bands and lines together) it is :func:`contour_geometry`'s result
    with ``raster: False``; above it the bands are empty and ``raster: True`` (the browser
    colours ``z`` by band), and the lines are kept only if they alone fit the budget. The
    lines (cheap) come first and the bands stop at the budget, so a noisy slice costs little.
    """
    gen = _generator(x, y, z)
    lines, line_level = _lines(gen, edges)
    n_lines = sum(len(line) for line in lines)
    rings, ring_band = _bands(gen, edges, limit=budget - n_lines)
    raster = rings is None
    if raster:
        rings, ring_band = [], []
        if n_lines > budget:
            lines, line_level = [], []
    return {
        "edges": to_wire(edges, "float64"),
        "bands": _pack_rings(rings, ring_band),
        "lines": _pack_rings(lines, line_level),
        "raster": bool(raster),
    }


def _generator(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> Any:
    return contourpy.contour_generator(
        x, y, np.ma.masked_invalid(z),
        fill_type=contourpy.FillType.OuterOffset, line_type=contourpy.LineType.Separate,
    )


def _bands(
    gen: Any, edges: np.ndarray, limit: float = np.inf
) -> tuple[list[np.ndarray] | None, list[int]]:
    """Rings of the filled bands and each ring's band; ``(None, [])`` once they pass ``limit``
    points (the rest is not computed)."""
    rings: list[np.ndarray] = []
    ring_band: list[int] = []
    total = 0
    for k in range(len(edges) - 1):
        upper = np.nextafter(edges[k + 1], np.inf) if k == len(edges) - 2 else edges[k + 1]
        # FillType.OuterOffset: (points, offsets) lists; the stub's return is the union
        polys, offsets = cast("FillReturn_OuterOffset", gen.filled(edges[k], upper))
        for pts, offs in zip(polys, offsets, strict=True):
            for a, b in zip(offs[:-1], offs[1:], strict=True):
                rings.append(pts[a:b])
                ring_band.append(k)
            total += len(pts)
        if total > limit:
            return None, []
    return rings, ring_band


def _lines(gen: Any, edges: np.ndarray) -> tuple[list[np.ndarray], list[int]]:
    """The iso-lines at the inner edges and each line's edge index."""
    lines, line_level = [], []
    for k in range(1, len(edges) - 1):
        for line in gen.lines(edges[k]):
            lines.append(line)
            line_level.append(k)
    return lines, line_level


def contour_geometry(
    x: np.ndarray, y: np.ndarray, z: np.ndarray, edges: np.ndarray
) -> dict[str, Any]:
    """Filled bands between consecutive ``edges`` and the iso-lines at the inner edges.

    ``z`` has shape ``(len(y), len(x))``; non-finite values are masked out (holes).
    """
    gen = _generator(x, y, z)
    rings, ring_band = _bands(gen, edges)
    lines, line_level = _lines(gen, edges)
    return {"bands": _pack_rings(rings or [], ring_band),
            "lines": _pack_rings(lines, line_level)}


def slice_payload(
    land: Any,
    tree: Any,
    axes: tuple[int, int],
    index: tuple[int, ...],
    levels: int,
    field: str = "",
) -> dict[str, Any]:
    """Everything ContourView draws for the plane spanned by ``axes`` through ``index``.

    The critical points lying in the plane travel as ``crit_vertex`` (flat vertex ids),
    ``crit_kind`` (0 minimum, 1 saddle) and ``crit_basin``; the browser places them at the
    topology model's coordinates of their vertices (a noisy slice has tens of thousands).
    The bands come twice, under ``levels["linear"]`` and ``levels["log"]`` (each with
    ``edges``, ``bands``, ``lines``, ``raster``; see :func:`level_set`), so the browser can
    switch the scale without a kernel.
    With ``field`` (a name in ``land.fields``) the bands colour that field instead of the loss
    (``"field"`` names it); basins and critical points stay the loss's.
    """
    ax, ay = axes
    values = np.asarray(land.fields[field] if field else land.values, dtype=float)
    sel: list[Any] = list(index)
    sel[ax], sel[ay] = slice(None), slice(None)
    plane = values[tuple(sel)]  # axes in increasing order
    if ax > ay:
        plane = plane.T
    z = plane.T  # rows = y, columns = x
    basins = np.asarray(tree.basins).reshape(land.shape)[tuple(sel)]
    basins = (basins.T if ax > ay else basins).T
    finite = values[np.isfinite(values)]
    sets = {}
    for name, log in (("linear", False), ("log", True)):
        edges = level_values(float(finite.min()), float(finite.max()), levels, log)
        sets[name] = level_set(land.axes[ax], land.axes[ay], z, edges)

    # critical points lying in the plane
    crit = np.concatenate([np.asarray(tree.minima), np.asarray(tree.saddles)]).astype(np.int64)
    kind = np.concatenate([np.zeros(len(tree.minima)), np.ones(len(tree.saddles))])
    multi = np.unravel_index(crit, land.shape)
    keep = np.ones(len(crit), dtype=bool)
    for d in range(values.ndim):
        if d not in axes:
            keep &= multi[d] == index[d]
    pairs = zip(tree.minima, tree.death_saddle, strict=True)
    death_basin = {int(s): int(m) for m, s in pairs if s >= 0}
    flat_basins = np.asarray(tree.basins).ravel()
    crit_basin = [
        int(v) if k == 0 else death_basin.get(int(v), int(flat_basins[v]))
        for v, k in zip(crit[keep], kind[keep], strict=True)
    ]
    strides = np.array([int(np.prod(land.shape[d + 1:])) for d in range(values.ndim)])
    return {
        "field": field,
        "axes": [int(ax), int(ay)],
        "index": [int(i) for i in index],
        "x": to_wire(land.axes[ax], "float32"),
        "y": to_wire(land.axes[ay], "float32"),
        "z": to_wire(z, "float32"),
        "basins": to_wire(basins, "int32"),  # rows = y
        "base_vertex": int(np.dot(np.array(sel_index_zeroed(index, axes)), strides)),
        "stride_x": int(strides[ax]),
        "stride_y": int(strides[ay]),
        "levels": sets,
        "crit_vertex": to_wire(crit[keep], "int32"),
        "crit_kind": to_wire(kind[keep], "uint8"),
        "crit_basin": to_wire(np.asarray(crit_basin, dtype=np.int64), "int32"),
    }


SCATTER_RASTER = 128  # pixels per side of a scattered landscape's contour raster


def scattered_slice_payload(land: Any, tree: Any, levels: int,
                            raster: int = SCATTER_RASTER, field: str = "") -> dict[str, Any]:
    """What ContourView draws for a 2-D scattered landscape (same fields as
    :func:`slice_payload`): contours of the triangulated samples on a ``raster``² grid over
    ``land.bounds``, basins per pixel from the nearest sample, and the critical samples.

    ``vertex`` (rows = y) names each pixel's nearest sample: the vertex a click on the
    background reports (``selection.point``); the strides are 0 and ``base_vertex`` the global
    minimum only for older bundles that read a pixel's vertex off the grid formula.
    """
    from scipy.interpolate import LinearNDInterpolator
    from scipy.spatial import KDTree

    pts = np.asarray(land.points, dtype=float)
    values = np.asarray(land.fields[field] if field else land.values, dtype=float)
    (x0, x1), (y0, y1) = land.bounds
    x = np.linspace(x0, x1, raster)
    y = np.linspace(y0, y1, raster)
    gx, gy = np.meshgrid(x, y)  # rows = y, columns = x
    pixels = np.stack([gx.ravel(), gy.ravel()], axis=1)
    finite = np.isfinite(values)
    if finite.sum() < 3:
        raise ValueError("the scattered landscape needs at least 3 finite values to contour")
    try:
        z = LinearNDInterpolator(pts[finite], values[finite])(pixels).reshape(raster, raster)
    except Exception as err:  # Qhull: all finite samples on one line
        raise ValueError(
            f"cannot triangulate the finite samples of this scattered landscape to contour "
            f"them ({type(err).__name__}: {str(err).splitlines()[0]})"
        ) from err
    nearest = KDTree(pts).query(pixels)[1]
    basins = np.asarray(tree.basins)[nearest].reshape(raster, raster)
    fin = values[finite]
    sets = {}
    for name, log in (("linear", False), ("log", True)):
        edges = level_values(float(fin.min()), float(fin.max()), levels, log)
        sets[name] = level_set(x, y, z, edges)
    crit = np.concatenate([np.asarray(tree.minima), np.asarray(tree.saddles)]).astype(np.int64)
    kind = np.concatenate([np.zeros(len(tree.minima)), np.ones(len(tree.saddles))])
    death_basin = {int(sd): int(m) for m, sd in zip(tree.minima, tree.death_saddle) if sd >= 0}
    crit_basin = [int(v) if k == 0 else death_basin.get(int(v), int(tree.basins[v]))
                  for v, k in zip(crit, kind, strict=True)]
    return {
        "field": field,
        "axes": [0, 1],
        "index": [0],
        "x": to_wire(x, "float32"),
        "y": to_wire(y, "float32"),
        "z": to_wire(z, "float32"),
        "basins": to_wire(basins, "int32"),  # rows = y
        "vertex": to_wire(nearest.reshape(raster, raster), "int32"),  # rows = y
        "base_vertex": int(tree.minima[0]),
        "stride_x": 0,
        "stride_y": 0,
        "levels": sets,
        "crit_vertex": to_wire(crit, "int32"),
        "crit_kind": to_wire(kind, "uint8"),
        "crit_basin": to_wire(np.asarray(crit_basin, dtype=np.int64), "int32"),
    }


def sel_index_zeroed(index: tuple[int, ...], axes: tuple[int, int]) -> list[int]:
    """``index`` with the plane's two axes set to 0 (the plane's first vertex)."""
    out = list(index)
    out[axes[0]] = out[axes[1]] = 0
    return out
