"""``merge_tree``: from a landscape (grid or scattered), a grid array, or scattered points to a
:class:`MergeTree`."""

from __future__ import annotations

import numpy as np

from .._checks import real_array
from ..graph import Graph, knn_graph
from ..graph.lattice import (
    CONNECTIVITIES,
    c_strides,
    check_lattice_cost,
    lattice_offsets,
)
from ..graph.points import DEFAULT_POINT_CONNECTIVITY, POINT_CONNECTIVITIES, point_graph
from .tree import MergeTree, assemble, check_direction

_MAX_VERTICES = 2**31 - 1  # the sweep's internal labels are int32


def _grid_values(data: object) -> np.ndarray:
    values = getattr(data, "values", data)  # a Landscape or an array
    values = real_array("values", values)
    if values.ndim < 1 or values.size == 0:
        raise ValueError(f"values: expected a non-empty n-D array, got shape {values.shape}")
    return values


def _check_graph(graph: object, n: int) -> Graph:
    if not isinstance(graph, Graph):
        raise TypeError(f"graph: expected a landscape_widgets Graph, got {type(graph).__name__}")
    if graph.n_vertices != n:
        raise ValueError(
            f"graph: expected {n} vertices (one per value), got a graph with {graph.n_vertices}"
        )
    return graph


def merge_tree(
    data: object,
    values: np.ndarray | str | None = None,
    connectivity: str | None = None,
    graph: Graph | None = None,
    k: int | None = None,
    symmetric: bool = False,
    direction: str = "sub",
) -> MergeTree:
    """Merge tree of the sublevel sets (union-find sweep, elder rule), or with
    ``direction="super"`` the super-level (split) tree of the maxima.

    Call it as:

    - ``merge_tree(landscape)`` or ``merge_tree(array)``: a grid; neighbours by ``connectivity``
      ("full", the default: 3ⁿ−1 offsets, "axis": 2n), walked by index arithmetic (nothing
      materialised). ``merge_tree(landscape, "axis")`` is accepted as shorthand.
    - ``merge_tree(scattered_landscape)``: a landscape of scattered points
      (``Landscape.from_points``, ``sample_landscape(points=...)``) on the graph of its points
      named by ``connectivity``: "symmetric_knn" (mutual kNN with ``k`` neighbours, default
      ``4 * dims``; the default), "knn" (union kNN), "delaunay" or "gabriel" (at most 3-D).
      These graph names also work on a grid landscape (its grid points as scattered points).
    - ``merge_tree(values_or_landscape, graph=g)``: any graph with one vertex per value.
    - ``merge_tree(points, values)``: scattered ``(N, dims)`` points with ``(N,)`` values, on
      ``knn_graph(points, k, symmetric)`` unless ``graph`` or a graph ``connectivity`` is given.

    ``k`` is the kNN graphs' neighbour count; ``symmetric`` (mutual kNN) applies to the
    ``(points, values)`` form without a ``connectivity`` only (a scattered landscape names its
    graph by ``connectivity``). Ties are broken by vertex id; NaN is swept as +inf and flagged in
    ``tree.nonfinite``.

    ``direction="super"`` sweeps the same total order from the top: the tree's ``minima`` are
    the maxima (highest first), its ``saddles`` the split saddles, and its ``pairs`` read
    (birth = f(maximum), death = f(saddle)) in f's units, birth >= death. It equals the merge
    tree of −f where values are distinct (on plateaus its ties go by descending id; NaN counts
    as +inf in both directions, so a diverged region is the highest maximum).

    Example:
        >>> import numpy as np
        >>> tree = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))
        >>> tree.minima.tolist(), tree.pairs.tolist()
        ([0, 4, 2], [[0.5, 3.0], [1.0, 2.0]])
        >>> split = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]), direction="super")
        >>> split.minima.tolist(), split.saddles.tolist(), split.pairs.tolist()
        ([3, 1], [2], [[2.0, 1.0]])
    """
    if isinstance(values, str):
        connectivity, values = values, None
    if connectivity is not None and connectivity not in CONNECTIVITIES:
        connectivity = _check_any_connectivity(connectivity)
    check_direction(direction)
    if values is not None:
        points = real_array("points", data)
        flat = real_array("values", values)
        if flat.ndim != 1 or flat.size == 0:
            raise ValueError(f"values: expected a non-empty (N,) array, got shape {flat.shape}")
        if points.ndim != 2 or points.shape[0] != flat.size:
            raise ValueError(
                f"points: expected an ({flat.size}, dims) array matching {flat.size} values, "
                f"got shape {points.shape}"
            )
        if graph is None:
            graph = _graph_of_points(points, connectivity, k, symmetric)
        return _tree_on_graph(flat, _check_graph(graph, flat.size), None, direction)
    scattered = getattr(data, "scattered_points", None)
    if scattered is not None:  # a scattered Landscape
        flat = np.asarray(data.values, dtype=np.float64)  # type: ignore[attr-defined]
        if graph is None:
            graph = point_graph(scattered, connectivity or DEFAULT_POINT_CONNECTIVITY, k)
        return _tree_on_graph(flat, _check_graph(graph, flat.size), None, direction)
    grid = _grid_values(data)
    if connectivity in POINT_CONNECTIVITIES and graph is None:
        points = getattr(data, "points", None)
        if points is None:  # a bare array: its grid indices are the coordinates
            points = np.stack(np.unravel_index(np.arange(grid.size), grid.shape), axis=1)
        graph = point_graph(points, connectivity, k)
    if graph is not None:
        graph = _check_graph(graph, grid.size)
        if graph.shape is None or graph.shape != grid.shape:
            return _tree_on_graph(grid.ravel(), graph, grid.shape if grid.ndim > 1 else None,
                                  direction)
        connectivity = graph.connectivity
    return _tree_on_grid(grid, connectivity or "full", direction)


def _check_any_connectivity(connectivity: object) -> str:
    """A grid connectivity or a point-graph name (``symmetric-knn`` read as ``symmetric_knn``)."""
    if connectivity == "symmetric-knn":
        return "symmetric_knn"
    if connectivity not in CONNECTIVITIES + POINT_CONNECTIVITIES:
        raise ValueError(
            f"connectivity: expected 'full' or 'axis' (grids) or one of {POINT_CONNECTIVITIES} "
            f"(graphs of points), got {connectivity!r}"
        )
    return str(connectivity)


def _graph_of_points(points: np.ndarray, connectivity: str | None, k: int | None,
                     symmetric: bool) -> Graph:
    if connectivity is None:
        return knn_graph(points, k=k, symmetric=symmetric)
    if connectivity in CONNECTIVITIES:
        raise ValueError(
            f"connectivity: {connectivity!r} is a grid connectivity; scattered points take one "
            f"of {POINT_CONNECTIVITIES}"
        )
    return point_graph(points, connectivity, k)


def _sweep_inputs(values: np.ndarray, direction: str = "sub"
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    values = np.ascontiguousarray(values, dtype=np.float64).ravel()
    if values.size > _MAX_VERTICES:
        raise ValueError(f"values: at most {_MAX_VERTICES} vertices supported, got {values.size}")
    nonfinite = ~np.isfinite(values)
    sweep_values = np.where(np.isnan(values), np.inf, values) if nonfinite.any() else values
    from ._sweep import sort_ties_by_id

    # the default (vectorised quick)sort is ~3x faster than a stable one; ties are then put
    # in id order, which is the simulation-of-simplicity tie-break
    order = sort_ties_by_id(np.argsort(sweep_values), sweep_values)
    if direction == "super":  # the same total order, from the top
        order = np.ascontiguousarray(order[::-1])
    return values, sweep_values, nonfinite, order


def _finish(values, sweep_values, nonfinite, shape, result, direction="sub") -> MergeTree:
    n_minima, minima, death_saddle, parent_index, basin_index = result
    minima = minima[:n_minima].copy()
    death_saddle = death_saddle[:n_minima].copy()
    parent_index = parent_index[:n_minima]
    parent_minimum = np.where(parent_index >= 0, minima[np.maximum(parent_index, 0)], -1)
    basins = minima[basin_index]
    return assemble(values, sweep_values, nonfinite, shape, minima, death_saddle,
                    parent_minimum, basins, direction)


def _tree_on_grid(grid: np.ndarray, connectivity: str, direction: str = "sub") -> MergeTree:
    from ._sweep import sweep

    # axes of length 1 have no neighbours along them: dropping them keeps every flat id and
    # every edge, and saves the 3x offsets per such axis that "full" would test in vain
    squeezed = tuple(s for s in grid.shape if s > 1) or (1,)
    check_lattice_cost(squeezed, connectivity)
    values, sweep_values, nonfinite, order = _sweep_inputs(grid, direction)
    shape = np.asarray(squeezed, dtype=np.int64)
    offsets = lattice_offsets(len(squeezed), connectivity)
    flat_offsets = offsets @ c_strides(squeezed)
    interior = np.zeros(squeezed, dtype=np.bool_)  # vertices with a full neighbourhood
    interior[(slice(1, -1),) * len(squeezed)] = True
    empty = np.zeros(1, dtype=np.int64)
    result = sweep(order, shape, interior.ravel(), offsets, flat_offsets, empty, empty, True)
    return _finish(values, sweep_values, nonfinite, tuple(grid.shape), result, direction)


def _tree_on_graph(values: np.ndarray, graph: Graph, shape, direction: str = "sub") -> MergeTree:
    from ._sweep import sweep

    values, sweep_values, nonfinite, order = _sweep_inputs(values, direction)
    shape_arr = np.zeros(1, dtype=np.int64)
    offsets = np.zeros((1, 1), dtype=np.int64)
    no_mask = np.zeros(1, dtype=np.bool_)
    result = sweep(order, shape_arr, no_mask, offsets, offsets[0], graph.indptr, graph.indices,
                   False)
    return _finish(values, sweep_values, nonfinite, shape, result, direction)
