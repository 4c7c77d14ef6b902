"""``merge_tree``: from a landscape, a grid array, or scattered points to a :class:`MergeTree`."""

from __future__ import annotations

import numpy as np

from .._checks import real_array
from ..graph import Graph, knn_graph
from ..graph.lattice import c_strides, check_connectivity, check_lattice_cost, lattice_offsets
from .tree import MergeTree, assemble

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
    connectivity: str = "full",
    graph: Graph | None = None,
    k: int | None = None,
    symmetric: bool = False,
) -> MergeTree:
    """Merge tree of the sublevel sets (union-find sweep, elder rule).

    Call it as:

    - ``merge_tree(landscape)`` or ``merge_tree(array)``: a grid; neighbours by ``connectivity``
      ("full": 3ⁿ−1 offsets, "axis": 2n), walked by index arithmetic (nothing materialised).
      ``merge_tree(landscape, "axis")`` is accepted as shorthand.
    - ``merge_tree(values_or_landscape, graph=g)``: any graph with one vertex per value.
    - ``merge_tree(points, values)``: scattered ``(N, dims)`` points with ``(N,)`` values, on
      ``knn_graph(points, k, symmetric)`` unless ``graph`` is given.

    Ties are broken by vertex id; NaN is swept as +inf and flagged in ``tree.nonfinite``.

    Example:
        >>> import numpy as np
        >>> tree = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))
        >>> tree.minima.tolist(), tree.pairs.tolist()
        ([0, 4, 2], [[0.5, 3.0], [1.0, 2.0]])
    """
    if isinstance(values, str):
        connectivity, values = values, None
    check_connectivity(connectivity)
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
            graph = knn_graph(points, k=k, symmetric=symmetric)
        return _tree_on_graph(flat, _check_graph(graph, flat.size), shape=None)
    grid = _grid_values(data)
    if graph is not None:
        graph = _check_graph(graph, grid.size)
        if graph.shape is None or graph.shape != grid.shape:
            return _tree_on_graph(grid.ravel(), graph, shape=grid.shape if grid.ndim > 1 else None)
        connectivity = graph.connectivity
    return _tree_on_grid(grid, connectivity)


def _sweep_inputs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    values = np.ascontiguousarray(values, dtype=np.float64).ravel()
    if values.size > _MAX_VERTICES:
        raise ValueError(f"values: at most {_MAX_VERTICES} vertices supported, got {values.size}")
    nonfinite = ~np.isfinite(values)
    sweep_values = np.where(np.isnan(values), np.inf, values) if nonfinite.any() else values
    from ._sweep import sort_ties_by_id

    # the default (vectorised quick)sort is ~3x faster than a stable one; ties are then put
    # in id order, which is the simulation-of-simplicity tie-break
    order = sort_ties_by_id(np.argsort(sweep_values), sweep_values)
    return values, sweep_values, nonfinite, order


def _finish(values, sweep_values, nonfinite, shape, result) -> MergeTree:
    n_minima, minima, death_saddle, parent_index, basin_index = result
    minima = minima[:n_minima].copy()
    death_saddle = death_saddle[:n_minima].copy()
    parent_index = parent_index[:n_minima]
    parent_minimum = np.where(parent_index >= 0, minima[np.maximum(parent_index, 0)], -1)
    basins = minima[basin_index]
    return assemble(values, sweep_values, nonfinite, shape, minima, death_saddle,
                    parent_minimum, basins)


def _tree_on_grid(grid: np.ndarray, connectivity: str) -> MergeTree:
    from ._sweep import sweep

    # axes of length 1 have no neighbours along them: dropping them keeps every flat id and
    # every edge, and saves the 3x offsets per such axis that "full" would test in vain
    squeezed = tuple(s for s in grid.shape if s > 1) or (1,)
    check_lattice_cost(squeezed, connectivity)
    values, sweep_values, nonfinite, order = _sweep_inputs(grid)
    shape = np.asarray(squeezed, dtype=np.int64)
    offsets = lattice_offsets(len(squeezed), connectivity)
    flat_offsets = offsets @ c_strides(squeezed)
    interior = np.zeros(squeezed, dtype=np.bool_)  # vertices with a full neighbourhood
    interior[(slice(1, -1),) * len(squeezed)] = True
    empty = np.zeros(1, dtype=np.int64)
    result = sweep(order, shape, interior.ravel(), offsets, flat_offsets, empty, empty, True)
    return _finish(values, sweep_values, nonfinite, tuple(grid.shape), result)


def _tree_on_graph(values: np.ndarray, graph: Graph, shape) -> MergeTree:
    from ._sweep import sweep

    values, sweep_values, nonfinite, order = _sweep_inputs(values)
    shape_arr = np.zeros(1, dtype=np.int64)
    offsets = np.zeros((1, 1), dtype=np.int64)
    no_mask = np.zeros(1, dtype=np.bool_)
    result = sweep(order, shape_arr, no_mask, offsets, offsets[0], graph.indptr, graph.indices,
                   False)
    return _finish(values, sweep_values, nonfinite, shape, result)
