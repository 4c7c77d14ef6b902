"""Pack a merge tree (and its drawings at several simplification levels) for the browser.

The browser simplifies live: a pair whose persistence is below the threshold is hidden and its
basin relabelled to its parent (``parent_minimum`` chains, elder rule: a parent always outlives
its child). Geometry that cannot be derived in the browser (landscape profiles, merge-tree
layouts) is computed here for a handful of levels ``0 = t_0 < t_1 < ...``; the browser draws the
level with the largest ``t_k <= threshold`` and relabels its basins, so the views also simplify in
a static HTML export without a kernel.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..io.wire import to_wire
from ._scale import log_edges

MAX_LEVELS = 24
PROFILE_BANDS = 64  # height bands of the log-axis profile (landscape_profile's default count)


def validate_tree(tree: Any, who: str) -> None:
    """Raise a TypeError unless ``tree`` looks like a ``MergeTree``."""
    needed = ("minima", "saddles", "basins", "pairs", "parent_minimum", "death_saddle", "values")
    missing = [name for name in needed if not hasattr(tree, name)]
    if missing:
        raise TypeError(
            f"{who}: expected a MergeTree (lw.merge_tree(land)), got {type(tree).__name__} "
            f"without {', '.join(missing)}"
        )
    if getattr(tree, "direction", "sub") != "sub":  # the views draw basins around minima
        raise ValueError(
            f"{who}: shows sublevel merge trees (basins around minima); got a super-level tree "
            "(direction='super'). Show the maxima as the basins of -f: lw.merge_tree(-land.values)"
        )
    if len(tree.minima) == 0:
        raise ValueError(f"{who}: the merge tree has no minima (no finite values?)")
    values = np.asarray(tree.values, dtype=float)
    if not np.isfinite(values).any():
        raise ValueError(
            f"{who}: expected a landscape with at least one finite value to draw, got "
            f"{values.size} values, all NaN or ±inf (the model diverged everywhere on the grid?)"
        )


def check_tree_of(tree: Any, land: Any, who: str) -> None:
    """Raise a ValueError unless ``tree`` is the merge tree of ``land``: its vertices (the grid's
    shape, or one per scattered sample) and the same values (NaN where NaN). A tree of other
    values would draw basins, minima and persistence that do not belong to the contours and
    coordinates shown with them."""
    check_tree_fits(land, tree, who)
    ours = np.asarray(land.values, dtype=float).ravel()
    theirs = np.asarray(tree.values, dtype=float).ravel()
    if not np.array_equal(ours, theirs, equal_nan=True):
        differ = int(np.count_nonzero(~((ours == theirs) | (np.isnan(ours) & np.isnan(theirs)))))
        raise ValueError(
            f"{who}: landscape values do not match the tree's: expected the merge tree of this "
            f"landscape's values, got one of other values ({differ} of {ours.size} differ); "
            "build it with lw.merge_tree(land)"
        )


def check_tree_fits(land: Any, tree: Any, who: str) -> None:
    """Raise a ValueError unless ``tree`` is a merge tree of ``land``'s vertices: the grid's
    shape for a grid, one vertex per sample (and no grid shape) for scattered points."""
    if getattr(land, "is_grid", True):
        if tree.shape is None or tuple(land.shape) != tuple(tree.shape):
            raise ValueError(
                f"{who}: landscape shape {tuple(land.shape)} does not match the tree's "
                f"{None if tree.shape is None else tuple(tree.shape)}: expected the merge tree "
                "of this landscape"
            )
    elif tree.shape is not None or int(tree.n_vertices) != int(land.size):
        raise ValueError(
            f"{who}: the landscape has {land.size} scattered points; expected a tree of "
            f"{land.size} vertices without a grid shape, got one of shape "
            f"{tree.shape if tree.shape is not None else (tree.n_vertices,)}"
        )


def sample_points(land: Any) -> np.ndarray | None:
    """A scattered landscape's sample coordinates (for :func:`topology_payload`); None for a
    grid or no landscape."""
    if land is None or getattr(land, "is_grid", True):
        return None
    return np.asarray(land.points)


def pack_dataclass(obj: Any) -> dict[str, Any]:
    """Every array field of a layout dataclass as a wire message; scalar fields as numbers."""
    items = (
        {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
        if dataclasses.is_dataclass(obj)
        else dict(vars(obj))
    )
    out: dict[str, Any] = {}
    for name, value in items.items():
        if isinstance(value, np.ndarray):
            out[name] = to_wire(value, "int32" if value.dtype.kind in "biu" else "float32")
        elif isinstance(value, (int, float, np.integer, np.floating)):
            out[name] = float(value)
    return out


def persistence_of(tree: Any) -> np.ndarray:
    """Persistence per minimum (row ``i`` <-> ``tree.minima[i]``); ``inf`` for the global one."""
    pers = np.full(len(tree.minima), np.inf)
    pairs = np.asarray(tree.pairs, dtype=float).reshape(-1, 2)
    pers[1:] = pairs[:, 1] - pairs[:, 0]
    return pers


def basin_sizes(tree: Any) -> np.ndarray:
    """Number of vertices in each basin (aligned with ``tree.minima``)."""
    minima = np.asarray(tree.minima)
    basins = np.asarray(tree.basins).ravel()
    order = np.argsort(minima)
    valid = basins >= 0
    pos = np.searchsorted(minima[order], basins[valid])
    pos = np.clip(pos, 0, len(minima) - 1)
    return np.bincount(order[pos], minlength=len(minima))


def level_thresholds(persistence: np.ndarray, max_levels: int = MAX_LEVELS) -> np.ndarray:
    """Thresholds at which the simplified tree changes: 0 and just above each distinct
    persistence value, thinned to at most ``max_levels`` values."""
    finite = np.unique(persistence[np.isfinite(persistence)])
    steps = np.nextafter(finite, np.inf)
    if len(steps) > max_levels - 1:
        pick = np.unique(np.round(np.linspace(0, len(steps) - 1, max_levels - 1)).astype(int))
        steps = steps[pick]
    return np.concatenate([[0.0], steps])


def topology_payload(
    tree: Any,
    axes: tuple[np.ndarray, ...] | None = None,
    *,
    profiles: bool = False,
    layouts: bool = False,
    barcode: bool = False,
    max_levels: int = MAX_LEVELS,
    points: np.ndarray | None = None,
) -> dict[str, Any]:
    """Everything a tree-based view draws, as wire messages.

    Args:
        tree: a ``MergeTree``.
        axes: grid coordinates (``Landscape.axes``) for tooltips; grid indices when None. A
            tree of scattered points (``tree.shape`` None) is packed as a 1-D "grid" of its
            vertices with an empty axis; its sample coordinates come as ``points``.
        profiles, layouts: include landscape profiles / merge-tree layouts for each level
            (profiles twice: ``profile`` with height bands even in loss, ``profile_log`` even
            on the log axis of :mod:`._scale`, drawn when the views' scale is a log one).
        barcode: include the barcode rows of the full tree.
        points: ``(n_vertices, dims)`` coordinates of a scattered tree's samples
            (``land.points``), sent as ``points`` so that tooltips show where a vertex lies.
    """
    from .. import layout as lay  # compute stage; imported lazily

    if tree.shape is None:
        # scattered points: no grid axes; the browser reads coordinates off ``points`` (and
        # shows "–" without them rather than a made-up coordinate)
        shape: tuple[int, ...] = (int(tree.n_vertices),)
        axes = (np.zeros(0),)
    else:
        shape = tuple(int(s) for s in tree.shape)
    if axes is None or len(axes) != len(shape):
        axes = tuple(np.arange(n, dtype=float) for n in shape)
    pers = persistence_of(tree)
    minima = np.asarray(tree.minima)
    values = np.asarray(tree.values, dtype=float).ravel()
    finite = values[np.isfinite(values)]
    vmin, vmax = float(finite.min()), float(finite.max())
    payload: dict[str, Any] = {
        "shape": list(shape),
        "axes": [to_wire(a, "float32") for a in axes],
        "value_min": vmin,
        "value_max": vmax,
        "minima": to_wire(minima, "int32"),
        "minimum_value": to_wire(values[minima], "float64"),
        "persistence": to_wire(pers, "float64"),
        "parent_minimum": to_wire(tree.parent_minimum, "int32"),
        "death_saddle": to_wire(tree.death_saddle, "int32"),
        "basin_size": to_wire(basin_sizes(tree), "int32"),
        "saddles": to_wire(tree.saddles, "int32"),
        "saddle_value": to_wire(values[np.asarray(tree.saddles, dtype=int)], "float64"),
    }
    if tree.shape is None and points is not None:
        pts = np.asarray(points, dtype=float)
        if pts.ndim != 2 or pts.shape[0] != shape[0]:
            raise ValueError(f"points: expected ({shape[0]}, dims) coordinates, one row per "
                             f"vertex of the tree, got shape {pts.shape}")
        payload["points"] = to_wire(pts, "float32")
    if tree.shape is not None:
        # the trained model sits at the grid centre (alpha = 0 of every subspace the package
        # makes); scattered samples need not hold it, so they get no marker
        centre = int(np.ravel_multi_index(tuple(n // 2 for n in shape), shape))
        if np.isfinite(values[centre]):
            payload["centre"] = {"vertex": centre, "value": float(values[centre]),
                                 "basin": int(np.asarray(tree.basins).ravel()[centre])}
    if profiles or layouts:
        levels = []
        for t in level_thresholds(pers, max_levels):
            simple = tree if t == 0 else tree.simplify(float(t))
            level: dict[str, Any] = {"threshold": float(t)}
            if profiles:
                level["profile"] = pack_dataclass(lay.landscape_profile(simple))
                # height bands even on the log axes too, so a log profile keeps its detail
                log_bands = log_edges(vmin, vmax, PROFILE_BANDS)
                level["profile_log"] = pack_dataclass(
                    lay.landscape_profile(simple, levels=log_bands)
                )
            if layouts:
                level["tree"] = pack_dataclass(lay.merge_tree_layout(simple))
            levels.append(level)
        payload["levels"] = levels
    if barcode:
        payload["barcode"] = pack_dataclass(lay.barcode_rows(tree))
    return payload
