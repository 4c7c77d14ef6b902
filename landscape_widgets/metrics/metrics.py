"""Scalar summaries of a merge tree: critical-point counts, persistence, SMAD, basins.

Conventions (also in each docstring):

- Persistence of a pair is ``death − birth`` (vertical distance to the diagonal). Its Euclidean
  distance to the diagonal is that divided by √2 (``average_persistence_diagonal``).
- Averages and totals use finite pairs only: birth and death both finite (pairs that die only
  through NaN/inf vertices, or are born at ±inf, are left out, even a (+inf, +inf) pair whose
  persistence counts as 0). With no finite pair, ``average_persistence`` is NaN and
  ``total_persistence`` 0.
- ``basin_depths`` of a basin that dies is exactly ``tree.persistence`` of its pair (so 0 for
  a basin born and dying at the same infinity, e.g. inside an all-NaN region).
- SMAD (saddle–minimum average distance, Landscaper) averages the merge tree's *leaf arcs*:
  each minimum's gap to its parent saddle, the global minimum's included, not the elder-rule
  pairs. No saddle: SMAD = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..topology.tree import MergeTree

WEIGHTS = ("none", "volume")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def _check_tree(tree: object) -> MergeTree:
    if not isinstance(tree, MergeTree):
        raise TypeError(f"tree: expected a MergeTree, got {type(tree).__name__}")
    return tree


def loss_range(tree: MergeTree) -> float:
    """max − min of the finite values (0 when there are fewer than two finite values)."""
    finite = tree.sweep_values[np.isfinite(tree.sweep_values)]
    return float(finite.max() - finite.min()) if finite.size else 0.0


def leaf_arcs(tree: MergeTree) -> tuple[np.ndarray, np.ndarray]:
    """``(minimum_index, gap)`` for every minimum with a parent saddle: the index into
    ``tree.minima`` and ``value(parent saddle) − value(minimum)``."""
    parent = tree.node_parent[: tree.n_minima]
    has = np.flatnonzero(parent >= 0)
    with np.errstate(invalid="ignore"):  # inf − inf: NaN, an arc left out by smad
        gaps = (tree.sweep_values[tree.node_vertex[parent[has]]]
                - tree.sweep_values[tree.minima[has]])
    return has, gaps


def smad(tree: MergeTree, normalize: bool = False, weight: str = "none") -> float:
    """Saddle–minimum average distance: the mean over the merge tree's leaf arcs (each minimum
    to its parent saddle, global minimum included) of ``|f(saddle) − f(minimum)|``.

    Args:
        tree: a merge tree.
        normalize: divide each gap by the loss range (max − min of the finite values).
        weight: "none", or "volume": multiply each gap by its basin's volume fraction
            (branch size / number of vertices) before averaging, as Landscaper does
            (``mean(gap · fraction)``, not renormalised by the fractions' sum).

    Arcs ending at an infinite saddle (reachable only through NaN/inf vertices) are left out.
    With no saddle the result is 0.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> smad(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])))  # arcs 2, 2.5, 1
        1.8333333333333333
    """
    tree = _check_tree(tree)
    if weight not in WEIGHTS:
        raise ValueError(f"weight: expected one of {WEIGHTS}, got {weight!r}")
    index, gaps = leaf_arcs(tree)
    finite = np.isfinite(gaps)
    index, gaps = index[finite], np.abs(gaps[finite])
    if gaps.size == 0:
        return 0.0
    if normalize:
        span = loss_range(tree)
        if span == 0:
            return 0.0
        gaps = gaps / span
    if weight == "volume":
        gaps = gaps * tree.branch_sizes()[index] / tree.n_vertices
    return float(gaps.mean())


def finite_persistence(tree: MergeTree) -> np.ndarray:
    """``death − birth`` of the pairs whose birth and death are both finite (what averages and
    totals use), in ``tree.pairs`` order."""
    birth, death = tree.pairs[:, 0], tree.pairs[:, 1]
    finite = np.isfinite(birth) & np.isfinite(death)
    return death[finite] - birth[finite]


def basin_depths(tree: MergeTree) -> np.ndarray:
    """``(m,)`` depth of each basin in ``tree.minima`` order: its branch's persistence (the
    level at which it spills into an older basin, minus its minimum; equal to
    ``tree.persistence``, 0 where both are the same infinity); for the global minimum (and any
    basin that never merges) the finite loss maximum minus its minimum, 0 when there is no
    finite value above it (an all-NaN or all-inf landscape: nothing to be deep in).

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> basin_depths(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))).tolist()
        [3.0, 2.5, 1.0]
        >>> basin_depths(merge_tree(np.full(4, np.nan))).tolist()
        [0.0]
    """
    tree = _check_tree(tree)
    sweep = tree.sweep_values
    finite = sweep[np.isfinite(sweep)]
    top = finite.max() if finite.size else sweep.max()
    lowest = sweep[tree.minima]
    with np.errstate(invalid="ignore"):
        depths = np.where(lowest == top, 0.0, top - lowest)
    # a basin of +inf vertices alone in its component (a kNN graph) lies above every finite
    # value: its depth is 0, not -inf
    depths = np.maximum(depths, 0.0)
    dies = tree.death_saddle >= 0
    depths[1:][dies[1:]] = tree.persistence[dies[1:]]  # row i of pairs is minima[i + 1]
    return depths


@dataclass(frozen=True, eq=False)
class LandscapeMetrics:
    """Summary numbers of one landscape's merge tree (see :func:`landscape_metrics`)."""

    n_minima: int
    n_saddles: int
    average_persistence: float
    average_persistence_diagonal: float
    total_persistence: float
    smad: float
    loss_range: float
    basin_minima: np.ndarray
    basin_sizes: np.ndarray
    basin_depths: np.ndarray

    def __post_init__(self) -> None:
        for name in ("basin_minima", "basin_sizes", "basin_depths"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    def as_dict(self) -> dict[str, object]:
        """Plain Python values (lists for arrays), e.g. for JSON or a table row."""
        out: dict[str, object] = {}
        for name, value in self.__dict__.items():
            out[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out


def landscape_metrics(
    tree: MergeTree, smad_normalize: bool = False, smad_weight: str = "none"
) -> LandscapeMetrics:
    """Counts, persistence statistics, SMAD and per-basin sizes and depths of a merge tree.

    - ``average_persistence``: mean of ``death − birth`` over finite pairs (NaN if none);
      ``average_persistence_diagonal`` is the same divided by √2 (distance to the diagonal).
    - ``total_persistence``: Σ (death − birth)² over finite pairs (seed 004).
    - ``smad``: see :func:`smad` (options passed through).
    - ``basin_minima``/``basin_sizes``/``basin_depths``: per minimum (``tree.minima`` order),
      its vertex id, number of vertices in its branch, and :func:`basin_depths`.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> m = landscape_metrics(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])))
        >>> m.n_minima, m.average_persistence, m.total_persistence, m.basin_sizes.tolist()
        (3, 1.75, 7.25, [3, 1, 1])
    """
    tree = _check_tree(tree)
    pers = finite_persistence(tree)
    average = float(pers.mean()) if pers.size else float("nan")
    return LandscapeMetrics(
        n_minima=tree.n_minima,
        n_saddles=tree.n_saddles,
        average_persistence=average,
        average_persistence_diagonal=average / np.sqrt(2.0),
        total_persistence=float((pers**2).sum()),
        smad=smad(tree, normalize=smad_normalize, weight=smad_weight),
        loss_range=loss_range(tree),
        basin_minima=tree.minima.copy(),
        basin_sizes=tree.branch_sizes(),
        basin_depths=basin_depths(tree),
    )
