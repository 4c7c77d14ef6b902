"""Per-basin statistics of any field (Landscaper's ``basin_metric``): the mean accuracy, the
largest loss term, the spread of a metric... over the points of each basin of a merge tree.

Example:
    >>> import numpy as np
    >>> from landscape_widgets.topology import merge_tree
    >>> tree = merge_tree(np.array([0.0, 1.0, 2.0, 1.0, -1.0]))
    >>> stat = basin_statistic(tree, np.array([10.0, 20.0, 30.0, 40.0, 50.0]), np.mean)
    >>> stat.basin_minima.tolist(), stat.values.tolist()
    ([4, 0], [40.0, 15.0])
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..topology.tree import MergeTree


@dataclass(frozen=True, eq=False)
class BasinStatistic:
    """One number per basin, in ``tree.minima`` order.

    Attributes:
        basin_minima: ``(m,)`` vertex id of each basin's minimum (the brushing key of the views).
        values: ``(m,)`` float64, the statistic of the field over the basin's points.
        sizes: ``(m,)`` number of points in each basin.
        statistic: the statistic's name (e.g. ``"mean"``).
    """

    basin_minima: np.ndarray
    values: np.ndarray
    sizes: np.ndarray
    statistic: str

    def as_dict(self) -> dict[int, float]:
        """``{minimum vertex id: value}``."""
        return {int(b): float(v) for b, v in zip(self.basin_minima, self.values, strict=True)}


def basin_statistic(
    tree: MergeTree,
    field: Any,
    statistic: Callable[[np.ndarray], Any] = np.mean,
) -> BasinStatistic:
    """``statistic`` of ``field`` over the points of each basin of ``tree``.

    Args:
        tree: a merge tree (simplify it first, ``tree.simplify(p)``, for coarser basins).
        field: one value per vertex of the tree, e.g. ``land.fields["accuracy"]`` or
            ``land.values``: an array of the landscape's shape or flat (vertex id order).
        statistic: a function of a 1-D float64 array returning a number (``np.mean``,
            ``np.max``, ``np.nanmean``, ``lambda v: np.quantile(v, 0.9)``...). It gets the
            basin's values as they are, NaN included.

    Returns:
        A :class:`BasinStatistic` (basins in ``tree.minima`` order, the global minimum's first).

    Raises:
        ValueError: when ``field`` does not hold one value per vertex.
        TypeError: when ``statistic`` is not callable or returns something other than a number.
    """
    if not isinstance(tree, MergeTree):
        raise TypeError(f"tree: expected a MergeTree (lw.merge_tree), got {type(tree).__name__}")
    if not callable(statistic):
        raise TypeError(
            f"statistic: expected a function of an array (e.g. np.mean), got "
            f"{type(statistic).__name__}"
        )
    values = np.asarray(field, dtype=np.float64)
    n = tree.n_vertices
    shapes = {(n,)} | ({tuple(tree.shape)} if tree.shape is not None else set())
    if values.shape not in shapes:
        raise ValueError(
            f"field: expected one value per vertex of the tree, shape "
            f"{' or '.join(str(s) for s in sorted(shapes))}, got {values.shape}"
        )
    values = values.reshape(-1)
    index = np.asarray(tree.basin_index)
    order = np.argsort(index, kind="stable")
    sizes = np.bincount(index, minlength=tree.n_minima)
    groups = np.split(values[order], np.cumsum(sizes)[:-1])
    name = getattr(statistic, "__name__", type(statistic).__name__)
    out = np.empty(tree.n_minima)
    for k, group in enumerate(groups):
        result = statistic(group)
        if isinstance(result, np.ndarray) and result.size == 1:
            result = result.reshape(()).item()
        if not isinstance(result, numbers.Real):
            raise TypeError(
                f"statistic: expected {name} to return a number for each basin, got "
                f"{type(result).__name__}"
            )
        out[k] = float(result)
    return BasinStatistic(
        basin_minima=_readonly(np.asarray(tree.minima).copy()),
        values=_readonly(out),
        sizes=_readonly(sizes.astype(np.int64)),
        statistic=name,
    )


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a
