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
    if len(tree.minima) == 0:
        raise ValueError(f"{who}: the merge tree has no minima (no finite values?)")


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
) -> dict[str, Any]:
    """Everything a tree-based view draws, as wire messages.

    Args:
        tree: a ``MergeTree``.
        axes: grid coordinates (``Landscape.axes``) for tooltips; grid indices when None.
        profiles, layouts: include landscape profiles / merge-tree layouts for each level
            (profiles twice: ``profile`` with height bands even in loss, ``profile_log`` even
            on the log axis of :mod:`._scale`, drawn when the views' scale is a log one).
        barcode: include the barcode rows of the full tree.
    """
    from .. import layout as lay  # compute stage; imported lazily

    shape = tuple(int(s) for s in tree.shape)
    if axes is None:
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
    # the trained model sits at the grid centre (alpha = 0 of every subspace the package makes)
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
