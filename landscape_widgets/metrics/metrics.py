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
- SMAD (saddle–minimum average distance, Landscaper) has two conventions (see :func:`smad`):
  "merge_tree" (the default) averages the merge tree's *leaf arcs*: each minimum's gap to its
  parent saddle, the global minimum's included, not the elder-rule pairs; "contour_tree"
  averages the contour tree's arcs from a minimum to a saddle. No such arc: SMAD = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..topology.contour_tree import ContourTree
from ..topology.tree import MergeTree

WEIGHTS = ("none", "volume")
CONVENTIONS = ("merge_tree", "contour_tree")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def _check_tree(tree: object) -> MergeTree:
    if isinstance(tree, ContourTree):
        return tree.join_tree
    if not isinstance(tree, MergeTree):
        raise TypeError(f"tree: expected a MergeTree, got {type(tree).__name__}")
    if tree.is_super:
        raise ValueError("tree: expected a sublevel merge tree (minima), got a super-level "
                         "tree (direction='super')")
    return tree


def contour_leaf_arcs(ct: ContourTree) -> tuple[np.ndarray, np.ndarray]:
    """``(minimum_vertex, gap)`` for every contour-tree arc that joins a "min" node to a node
    with two or more arcs (a saddle, or a minimum that also splits), as Landscaper 1.3.1 picks
    them; ``gap = value(other end) − value(minimum)``."""
    down, up = ct.degrees()
    branching = ct.nodes[down + up >= 2]
    is_min = np.isin(ct.arcs[:, 0], ct.minima)  # arcs run (lower, upper): a minimum is lower
    keep = is_min & np.isin(ct.arcs[:, 1], branching)
    lower, upper = ct.arcs[keep, 0], ct.arcs[keep, 1]
    return lower, ct.sweep_values[upper] - ct.sweep_values[lower]


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


def smad(tree: MergeTree | ContourTree, normalize: bool = False, weight: str = "none",
         convention: str | None = None) -> float:
    """Saddle–minimum average distance: the mean of ``|f(saddle) − f(minimum)|`` over the arcs
    that join a minimum to a saddle, in one of two conventions:

    - ``"merge_tree"`` (the default for a MergeTree): the merge tree's leaf arcs, each minimum
      to its parent join saddle, the global minimum's included.
    - ``"contour_tree"`` (the default for a ContourTree): the contour tree's arcs from a
      minimum to a node with two or more arcs, which may be a *split* saddle: a single bowl,
      whose contours split where they meet the grid's edge, has SMAD 0 in the merge-tree
      convention and > 0 in this one. Landscaper computes it on an empty-region graph, which
      on a grid is the "axis" lattice: ``smad(lw.contour_tree(land, "axis"))`` reproduces
      Landscaper 1.3.1's ``LossLandscape.smad()`` exactly.

    Which one the Landscaper paper's numbers (Chen et al.) used is not stated with them.
    Landscaper's code computed SMAD on the merge tree up to release 1.2.1 (13 July 2025), on
    the contour tree from 30 July 2025 through releases 1.3.0 and 1.3.1 (December 2025,
    January 2026; they also add ``normalize`` and the volume weighting), and on the merge tree
    again from July 2026. So the paper's numbers, if produced with a released version since
    1.3.0, are contour-tree SMAD. This library's default follows Landscaper's current code.

    Args:
        tree: a sublevel merge tree (``lw.merge_tree``) or a contour tree
            (``lw.contour_tree``; its join tree serves the merge-tree convention).
        normalize: divide each gap by the loss range (max − min of the finite values).
        weight: "none", or "volume": multiply each gap by its minimum's basin fraction (its
            merge-tree branch size / number of vertices) before averaging, as Landscaper does
            (``mean(gap · fraction)``, not renormalised by the fractions' sum; Landscaper takes
            the Morse–Smale descending manifold as the basin instead).
        convention: "merge_tree" or "contour_tree" (None: by the type of ``tree``).

    Arcs ending at an infinite saddle (reachable only through NaN/inf vertices) are left out.
    With no saddle the result is 0.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import contour_tree, merge_tree
        >>> smad(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])))  # arcs 2, 2.5, 1
        1.8333333333333333
        >>> bowl = np.add.outer(np.linspace(-1, 1, 5) ** 2, np.linspace(-1, 1, 5) ** 2)
        >>> smad(merge_tree(bowl)), smad(contour_tree(bowl, "axis"))
        (0.0, 1.0)
    """
    if convention is None:
        convention = "contour_tree" if isinstance(tree, ContourTree) else "merge_tree"
    if convention not in CONVENTIONS:
        raise ValueError(f"convention: expected one of {CONVENTIONS}, got {convention!r}")
    if weight not in WEIGHTS:
        raise ValueError(f"weight: expected one of {WEIGHTS}, got {weight!r}")
    if convention == "contour_tree":
        if not isinstance(tree, ContourTree):
            raise TypeError(
                "tree: convention='contour_tree' needs a ContourTree (lw.contour_tree(land)), "
                f"got {type(tree).__name__}")
        join = tree.join_tree
        minima, gaps = contour_leaf_arcs(tree)
        index = join.basin_index[minima]  # a minimum's branch is its own basin
    else:
        join = _check_tree(tree)
        index, gaps = leaf_arcs(join)
    finite = np.isfinite(gaps)
    index, gaps = index[finite], np.abs(gaps[finite])
    if gaps.size == 0:
        return 0.0
    if normalize:
        span = loss_range(join)
        if span == 0:
            return 0.0
        gaps = gaps / span
    if weight == "volume":
        gaps = gaps * join.branch_sizes()[index] / join.n_vertices
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
    tree: MergeTree | ContourTree, smad_normalize: bool = False, smad_weight: str = "none",
    smad_convention: str | None = None,
) -> LandscapeMetrics:
    """Counts, persistence statistics, SMAD and per-basin sizes and depths of a merge tree
    (or of a contour tree's join tree: then SMAD takes the contour-tree convention unless
    ``smad_convention`` says otherwise).

    - ``average_persistence``: mean of ``death − birth`` over finite pairs (NaN if none);
      ``average_persistence_diagonal`` is the same divided by √2 (distance to the diagonal).
    - ``total_persistence``: Σ (death − birth)² over finite pairs (seed 004).
    - ``smad``: see :func:`smad` (options passed through; ``smad_convention`` is its
      ``convention``).
    - ``basin_minima``/``basin_sizes``/``basin_depths``: per minimum (``tree.minima`` order),
      its vertex id, number of vertices in its branch, and :func:`basin_depths`.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> m = landscape_metrics(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])))
        >>> m.n_minima, m.average_persistence, m.total_persistence, m.basin_sizes.tolist()
        (3, 1.75, 7.25, [3, 1, 1])
    """
    given = tree
    tree = _check_tree(tree)
    pers = finite_persistence(tree)
    average = float(pers.mean()) if pers.size else float("nan")
    return LandscapeMetrics(
        n_minima=tree.n_minima,
        n_saddles=tree.n_saddles,
        average_persistence=average,
        average_persistence_diagonal=average / np.sqrt(2.0),
        total_persistence=float((pers**2).sum()),
        smad=smad(given, normalize=smad_normalize, weight=smad_weight,
                  convention=smad_convention),
        loss_range=loss_range(tree),
        basin_minima=tree.minima.copy(),
        basin_sizes=tree.branch_sizes(),
        basin_depths=basin_depths(tree),
    )
