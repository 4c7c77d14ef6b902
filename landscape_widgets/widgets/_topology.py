"""Checks and per-basin facts of a merge tree for the views.

The tree itself travels once per landscape in a :class:`~.topology_model.TopologyModel`; the
browser simplifies live (a pair whose persistence is below the threshold is hidden and its basin
relabelled to its parent through ``parent_minimum`` chains, elder rule) and computes the
profiles, layouts and barcodes there, so the views also simplify in a static HTML export.
"""

from __future__ import annotations

from typing import Any

import numpy as np


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
    """A scattered landscape's sample coordinates (for the ``TopologyModel``); None for a grid
    or no landscape."""
    if land is None or getattr(land, "is_grid", True):
        return None
    return np.asarray(land.points)


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
