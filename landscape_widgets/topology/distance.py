"""Bottleneck and Wasserstein distances between 0-dim persistence diagrams (gudhi; POT).

A merge tree's diagram holds one (birth, death) point per minimum; the global minimum's class
never dies (an *essential* class, death +inf), nor does any class that is joined to the rest only
through NaN/inf points. How the essential classes enter a distance is chosen by ``essential``:

- ``"separate"`` (default): finite points are matched to finite points or to the diagonal,
  essential points to essential points only, by birth (gudhi's own rule); the two parts combine
  as max (bottleneck) or as the p-th root of the sum of p-th powers (Wasserstein). Diagrams with
  different numbers of essential classes are at distance +inf.
- ``"cap"``: each infinite death is replaced by the field's finite maximum, so the global
  minimum's class reads (min, max), as in extended persistence; then all points are finite.
- ``"drop"``: essential classes are left out.

A super-level tree's diagram (births at maxima, deaths below them) is compared as the diagram of
−f: the points are negated, which leaves every distance unchanged. A contour tree contributes
both its join-tree and its split-tree diagrams: the distance is the max (bottleneck) or the p-th
root of the sum of p-th powers (Wasserstein) of the two, i.e. minima are matched with minima and
maxima with maxima.
"""

from __future__ import annotations

import math
import warnings
from typing import cast

import numpy as np

from .contour_tree import ContourTree
from .tree import MergeTree

METRICS = ("bottleneck", "wasserstein")
ESSENTIAL = ("separate", "cap", "drop")


def tree_diagram(tree: MergeTree, essential: str = "separate") -> np.ndarray:
    """``(k, 2)`` diagram of ``tree`` as compared by :func:`diagram_distance`: in sublevel
    units (negated for a super-level tree), essential classes treated per ``essential``.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> tree_diagram(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])), "cap").tolist()
        [[0.0, 3.0], [0.5, 3.0], [1.0, 2.0]]
    """
    _check_choice(essential, ESSENTIAL, "essential")
    points = tree.persistence_diagram(essential=True)
    if tree.is_super:
        points = -points
    finite = tree.sweep_values[np.isfinite(tree.sweep_values)]
    points = points[~(np.isinf(points[:, 0]) & (points[:, 0] == points[:, 1]))]  # inf to inf
    if np.isinf(points[:, 0]).any():
        raise ValueError("tree: a class is born at an infinite value (NaN/inf points in the "
                         "field: for a super-level tree NaN counts as the highest maximum); its "
                         "distance to any other class is undefined")
    never = ~np.isfinite(points[:, 1])
    if essential == "drop":
        return points[~never]
    if essential == "cap":
        top = (-finite.min() if tree.is_super else finite.max()) if finite.size else np.nan
        points = points.copy()
        points[never, 1] = np.maximum(top, points[never, 0])
    return points


def _check_choice(value: object, choices: tuple[str, ...], name: str) -> str:
    if value not in choices:
        raise ValueError(f"{name}: expected one of {choices}, got {value!r}")
    return str(value)


def check_options(metric: str, order: float, internal_p: float,
                  essential: str) -> tuple[float, float]:
    """Validate :func:`diagram_distance`'s options; returns ``(order, internal_p)`` as floats."""
    _check_choice(metric, METRICS, "metric")
    _check_choice(essential, ESSENTIAL, "essential")
    order = float(order)
    if not order >= 1:
        raise ValueError(f"order: expected a number >= 1, got {order!r}")
    internal_p = float(internal_p)
    if not internal_p >= 1:
        raise ValueError(f"internal_p: expected a number >= 1 or inf, got {internal_p!r}")
    return order, internal_p


def _as_diagrams(item: object, essential: str, name: str) -> tuple[list[np.ndarray], str]:
    """The diagrams of one argument and its kind ("sub", "super", "contour" or "array")."""
    if isinstance(item, ContourTree):
        return [tree_diagram(item.join_tree, essential),
                tree_diagram(item.split_tree, essential)], "contour"
    if isinstance(item, MergeTree):
        return [tree_diagram(item, essential)], item.direction
    try:
        points = np.asarray(item, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name}: expected a MergeTree, a ContourTree or a (k, 2) diagram, got "
                        f"{type(item).__name__}") from err
    if points.size == 0:
        points = points.reshape(0, 2)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name}: expected a (k, 2) array of (birth, death) points, got shape "
                         f"{points.shape}")
    if np.isnan(points).any():
        raise ValueError(f"{name}: expected no NaN in the diagram")
    if essential == "cap" and np.isinf(points).any():
        raise ValueError(f"{name}: essential='cap' needs a tree (to know the field's maximum); "
                         "this diagram has infinite points")
    if essential == "drop":
        points = points[np.isfinite(points).all(axis=1)]
    return [points], "array"


def _one_distance(a: np.ndarray, b: np.ndarray, metric: str, order: float,
                  internal_p: float) -> float:
    if metric == "bottleneck":
        import gudhi

        return float(gudhi.bottleneck_distance(a, b))
    try:
        from gudhi.wasserstein import wasserstein_distance
    except ImportError as err:  # gudhi's Wasserstein distance imports POT
        raise ImportError("metric='wasserstein' needs the POT package: pip install pot (in the "
                          "'compare' extra of landscape-widgets)") from err

    if np.sum(~np.isfinite(a[:, 1])) != np.sum(~np.isfinite(b[:, 1])):
        return float("inf")  # gudhi says so too, with a warning
    with warnings.catch_warnings():
        if np.isfinite(a).all(axis=1).sum() + np.isfinite(b).all(axis=1).sum() == 0:
            # only essential classes: POT is handed an empty transport problem and warns, but
            # gudhi's answer (the essential part alone) is right
            warnings.filterwarnings("ignore", message="Problem infeasible")
            warnings.filterwarnings("ignore", message="invalid value encountered")
        # without matching=True gudhi returns the distance alone (its annotation is the union)
        return float(cast(float, wasserstein_distance(a, b, order=order, internal_p=internal_p,
                                                      keep_essential_parts=True)))


def diagram_distance(
    tree_a: object,
    tree_b: object,
    metric: str = "bottleneck",
    order: float = 1.0,
    internal_p: float = np.inf,
    essential: str = "separate",
) -> float:
    """Distance between the 0-dim persistence diagrams of two trees (or two diagrams).

    Args:
        tree_a, tree_b: merge trees of the same direction, contour trees, or ``(k, 2)`` arrays
            of (birth, death) points (rows with an infinite death are essential).
        metric: "bottleneck" (``gudhi.bottleneck_distance``) or "wasserstein"
            (``gudhi.wasserstein.wasserstein_distance``, which needs the POT package).
        order: the Wasserstein order p (>= 1); ignored by the bottleneck distance.
        internal_p: the ground norm between points for Wasserstein (inf: L∞, as the
            bottleneck distance uses).
        essential: "separate", "cap" or "drop": how the classes that never die are compared
            (see the module docstring).

    Returns:
        The distance, +inf when the diagrams have different numbers of essential classes
        under "separate".

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> a = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))  # pairs (0.5, 3), (1, 2)
        >>> b = merge_tree(np.array([0.0, 2.0, 1.5, 3.0, 0.5]))  # pairs (0.5, 3), (1.5, 2)
        >>> diagram_distance(a, b), diagram_distance(a, b, "wasserstein", order=2)
        (0.5, 0.5)
    """
    order, internal_p = check_options(metric, order, internal_p, essential)
    parts_a, kind_a = _as_diagrams(tree_a, essential, "tree_a")
    parts_b, kind_b = _as_diagrams(tree_b, essential, "tree_b")
    if "array" not in (kind_a, kind_b) and kind_a != kind_b:
        raise ValueError(f"tree_a, tree_b: expected two trees of one kind, got a {kind_a!r} "
                         f"and a {kind_b!r} tree (compare sublevel with sublevel trees, "
                         "super-level with super-level, contour with contour)")
    if len(parts_a) != len(parts_b):
        raise ValueError("tree_a, tree_b: a contour tree can only be compared with a contour "
                         "tree")
    distances = [_one_distance(a, b, metric, order, internal_p)
                 for a, b in zip(parts_a, parts_b)]
    if metric == "bottleneck":
        return float(max(distances))
    if len(distances) == 1:  # (d^p)^(1/p) is d: no power round trip (numpy's SIMD pow, on
        return distances[0]  # AVX-512 machines, is 1 ulp off even for p = 1)
    # a contour tree's parts: their p-th powers summed, in Python floats (correctly rounded sum)
    return float(math.fsum(d**order for d in distances) ** (1.0 / order))
