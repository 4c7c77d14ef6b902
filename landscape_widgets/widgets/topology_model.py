"""One landscape's topology on the wire, once: the merge tree plus per-basin band histograms.

Every tree view draws geometry that follows from the merge tree and, per basin, how many of its
vertices lie in each height band: simplification at a threshold only relabels minima (a branch
whose persistence is below it joins its parent), and the landscape profile at any threshold, on
a linear or log axis, needs nothing but each surviving basin's counts per band of a fixed set of
edges. So the browser (``js/src/lib/profile_geometry.js`` and ``tree_geometry.js``, on
``forest.js``) computes the profile, merge-tree layout and barcode itself, and this
payload grows with the number of basins (a small constant per basin), never with thresholds,
scales or vertices.

The histograms are **sparse** (CSR): per basin, the bands it has vertices in and how many; a
noisy landscape's thousands of two-vertex basins cost two entries each. They are built in one
pass over the vertices (one ``np.unique`` on ``(basin, band)`` keys), not one profile per level.

Band edges are the profile's: ``PROFILE_BANDS`` linear bands over the finite range (what
``lw.landscape_profile(tree)`` uses) and as many even on the log axis (``log_edges``).

Example:
    >>> import numpy as np
    >>> from landscape_widgets.topology import merge_tree
    >>> data = compact_topology(merge_tree(np.array([0.0, 2.0, 1.0, 3.0])))
    >>> from landscape_widgets.io.wire import from_wire
    >>> from_wire(data["bands"]["linear"]["offsets"]).tolist()
    [0, 3, 4]
"""

from __future__ import annotations

from typing import Any

import ipywidgets
import numpy as np
import traitlets

from ..io.wire import to_wire
from ._scale import log_edges
from ._topology import basin_sizes, persistence_of, validate_tree

PROFILE_BANDS = 64  # landscape_profile's default number of height bands


def linear_edges(vmin: float, vmax: float, n: int = PROFILE_BANDS) -> np.ndarray:
    """The edges ``lw.landscape_profile(tree, levels=n)`` uses for ``n`` linear bands."""
    edges = np.unique(np.concatenate([[vmin], np.linspace(vmin, vmax, n + 1), [vmax]]))
    return edges if edges.size > 1 else np.array([vmin, vmax])


def band_histograms(basin: np.ndarray, values: np.ndarray, edges: np.ndarray,
                    n_basins: int) -> dict[str, Any]:
    """Sparse per-basin counts of ``values`` in the bands ``(edges[j], edges[j+1]]`` (the
    lowest edge counts in band 0), as wire messages ``offsets`` (``n_basins + 1``), ``band``
    and ``count`` (one entry per non-empty (basin, band)); ``basin``/``values``: finite
    vertices only, ``basin`` as indices into ``tree.minima``."""
    from ..layout._bands import band_of  # the profile's own band rule, so counts agree

    n_bands = edges.size - 1
    key = basin.astype(np.int64) * n_bands + band_of(edges, values)
    keys, counts = np.unique(key, return_counts=True)
    owner = keys // n_bands
    offsets = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=n_basins))])
    return {
        "edges": to_wire(edges, "float64"),
        "offsets": to_wire(offsets, "int32"),
        "band": to_wire(keys % n_bands, "uint8" if n_bands <= 256 else "int32"),
        "count": to_wire(counts, "int32"),
    }


BAND_SCALES = ("linear", "log")


def compact_topology(tree: Any, axes: tuple[np.ndarray, ...] | None = None,
                     points: np.ndarray | None = None,
                     scales: tuple[str, ...] = BAND_SCALES) -> dict[str, Any]:
    """The compact topology of ``tree`` as wire messages (see the module docstring).

    Args:
        tree: a sublevel ``MergeTree``.
        axes: grid coordinates (``Landscape.axes``) for tooltips; grid indices when None.
        points: ``(n_vertices, dims)`` sample coordinates of a scattered tree.
        scales: which band histograms to compute, some of ``("linear", "log")`` (both by
            default; a Gallery thumbnail, drawn on the linear axis only, asks for
            ``("linear",)`` and skips the log pass over the vertices).

    Raises:
        TypeError, ValueError: for something that is not a drawable merge tree, ``points``
            of the wrong shape, or ``scales`` not a non-empty subset of ``("linear", "log")``.
    """
    if (isinstance(scales, str) or not isinstance(scales, (tuple, list)) or not scales
            or any(s not in BAND_SCALES for s in scales)):
        raise ValueError(f"scales: expected a non-empty tuple of {BAND_SCALES}, got {scales!r}")
    validate_tree(tree, "TopologyModel")
    if tree.shape is None:
        shape: tuple[int, ...] = (int(tree.n_vertices),)
        axes = (np.zeros(0),)  # scattered: coordinates come as ``points``
    else:
        shape = tuple(int(s) for s in tree.shape)
    if axes is None or len(axes) != len(shape):
        axes = tuple(np.arange(n, dtype=float) for n in shape)
    minima = np.asarray(tree.minima)
    values = np.asarray(tree.values, dtype=float).ravel()
    finite_mask = np.isfinite(values)
    finite = values[finite_mask]
    vmin, vmax = float(finite.min()), float(finite.max())
    basin_index = np.asarray(tree.basin_index)[finite_mask]  # the one pass over the vertices
    m = minima.size
    payload: dict[str, Any] = {
        "shape": list(shape),
        "axes": [to_wire(a, "float32") for a in axes],
        "value_min": vmin,
        "value_max": vmax,
        "n_nonfinite": int(values.size - finite.size),
        "minima": to_wire(minima, "int32"),
        "minimum_value": to_wire(values[minima], "float64"),
        "persistence": to_wire(persistence_of(tree), "float64"),
        "parent_minimum": to_wire(tree.parent_minimum, "int32"),
        "death_saddle": to_wire(tree.death_saddle, "int32"),
        "basin_size": to_wire(basin_sizes(tree), "int32"),
        "saddles": to_wire(tree.saddles, "int32"),
        "saddle_value": to_wire(values[np.asarray(tree.saddles, dtype=int)], "float64"),
        "value_sum": to_wire(np.bincount(basin_index, weights=finite, minlength=m), "float64"),
        "bands": {},
    }
    edges = {"linear": lambda: linear_edges(vmin, vmax),
             "log": lambda: log_edges(vmin, vmax, PROFILE_BANDS)}
    for scale in BAND_SCALES:  # in this order, whatever the order asked
        if scale in scales:
            payload["bands"][scale] = band_histograms(basin_index, finite, edges[scale](), m)
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
    return payload


class TopologyModel(ipywidgets.Widget):
    """One landscape's topology, shared by every view of it (view-less, like ``Selection``).

    Build it once and pass it to the views as ``topology=``; the browser decodes it once and
    every view draws from the same decoded object (simplification, profiles, layouts and
    barcodes are computed there, at any threshold and scale).

    Args:
        tree: ``lw.merge_tree(land)``.
        landscape: optional, for tooltip coordinates (grid axes or scattered points); must be
            the landscape the tree was built from.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> model = TopologyModel(merge_tree(np.array([0.0, 2.0, 1.0, 3.0])))
        >>> model.n_basins
        2
    """

    _model_name = traitlets.Unicode("WidgetModel").tag(sync=True)
    _model_module = traitlets.Unicode("@jupyter-widgets/base").tag(sync=True)

    data = traitlets.Dict(help="the compact topology (wire messages)").tag(sync=True)

    def __init__(self, tree: Any, landscape: Any = None) -> None:
        from ._topology import check_tree_of, sample_points

        validate_tree(tree, "TopologyModel")
        if landscape is not None:
            check_tree_of(tree, landscape, "TopologyModel")
        axes = None if landscape is None else landscape.axes
        super().__init__(data=compact_topology(tree, axes, sample_points(landscape)))
        self.tree = tree
        self.landscape = landscape

    @property
    def n_basins(self) -> int:
        """Number of minima (basins) of the full tree."""
        return int(len(self.tree.minima))

    def __repr__(self) -> str:
        return f"TopologyModel(n_basins={self.n_basins}, shape={self.data.get('shape')})"


def topology_trait() -> Any:
    """The synced ``topology`` trait of a view: a reference to its shared :class:`TopologyModel`."""
    from ipywidgets import widget_serialization

    return traitlets.Instance(TopologyModel, help="the shared topology of the landscape").tag(
        sync=True, **widget_serialization
    )


def resolve_topology(tree: Any, topology: Any, landscape: Any, who: str) -> TopologyModel:
    """``topology`` when it is a :class:`TopologyModel` of ``tree``, else a new one of ``tree``.

    Raises:
        TypeError: if ``topology`` is neither None nor a ``TopologyModel``.
        ValueError: if ``topology`` holds another tree (other minima or other values).
    """
    if topology is None:
        return TopologyModel(tree, landscape=landscape)
    if not isinstance(topology, TopologyModel):
        raise TypeError(f"{who}: topology: expected a TopologyModel (lw.TopologyModel(tree)), "
                        f"got {type(topology).__name__}")
    theirs = topology.tree
    same = theirs is tree or (
        np.array_equal(theirs.minima, tree.minima)
        and np.array_equal(theirs.parent_minimum, tree.parent_minimum)
        and np.array_equal(np.asarray(theirs.values, dtype=float),
                           np.asarray(tree.values, dtype=float), equal_nan=True)
    )
    if not same:
        raise ValueError(f"{who}: topology: expected the TopologyModel of this view's tree, got "
                         f"one of another tree ({topology.n_basins} basins, this tree has "
                         f"{len(tree.minima)})")
    return topology
