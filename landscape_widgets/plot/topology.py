"""Figures of a merge tree: the topological landscape profile, the tree, the barcode and the
persistence diagram, each drawn from the ``landscape_widgets.layout`` geometry the widgets use
(no topology is recomputed here), on the widgets' loss scale.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from matplotlib import colormaps, colors, ticker
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import Patch

from ..layout import TreeLayout, barcode_rows, landscape_profile, merge_tree_layout
from ..topology.tree import MergeTree
from . import _style as st

_COLORINGS = ("depth", "mean")


def _loss_kind(tree: MergeTree, scale: str, who: str) -> tuple[str, float, float]:
    vmin, vmax = st.finite_range(tree.values)
    return st.scale_kind(scale, vmin, vmax, who), vmin, vmax


def _optional_count(value: int | None, name: str, who: str) -> int | None:
    return None if value is None else st.check_count(value, name, who)


def profile(
    tree: MergeTree,
    ax: Axes | None = None,
    *,
    color: str = "depth",
    scale: str = "auto",
    max_basins: int | None = None,
    levels: int = 64,
    cmap: str = "viridis",
    critical_points: bool = True,
    colorbar: bool = True,
    legend: bool = True,
    model: int | None = None,
) -> Axes:
    """Topological landscape profile (Oesterling et al. 2013): every basin a nested shape as
    wide as its number of points, from its minimum up to the saddle where it merges.

    Args:
        tree: from ``lw.merge_tree``.
        ax: where to draw (a new figure when None).
        color: ``"depth"`` (each height band by its loss level, so lower is darker in every
            basin) or ``"mean"`` (each basin by its mean loss, as in the papers).
        scale: loss axis, ``"linear"``, ``"log"`` or ``"auto"`` as in the widgets; on a log
            axis the height bands are even on that axis.
        max_basins: draw only the most persistent basins (``lw.landscape_profile``).
        levels: number of height bands.
        critical_points, colorbar, legend: draw minima and saddles, the colour bar, the legend.
        model: vertex id of the trained model (``land.center_index``): a star on the loss axis
            at its loss.

    Example:
        >>> import landscape_widgets as lw
        >>> tree = lw.merge_tree(lw.examples.four_wells(resolution=31))
        >>> ax = lw.plot.profile(tree)
        >>> len(ax.collections[1].get_paths())  # one outline per basin
        4
    """
    who = "lw.plot.profile"
    tree = st.check_tree(tree, who)
    color = st.check_choice(color, "color", _COLORINGS, who)
    max_basins = _optional_count(max_basins, "max_basins", who)
    levels = st.check_count(levels, "levels", who)
    kind, vmin, vmax = _loss_kind(tree, scale, who)
    ax = st.new_axes(ax, who)
    edges = levels if kind == "linear" else st.band_edges(kind, vmin, vmax, levels)
    prof = landscape_profile(tree, max_basins=max_basins, levels=edges)
    cm = colormaps[cmap]
    outlines = [np.column_stack(prof.polygon(i)) for i in range(prof.n_basins)]
    if color == "depth":
        x0, x1, y0, y1 = prof.rect_x0, prof.rect_x1, prof.rect_y0, prof.rect_y1
        rects = np.stack([np.column_stack(c) for c in
                          ((x0, y0), (x1, y0), (x1, y1), (x0, y1))], axis=1)
        fill = PolyCollection(_polygons(rects), cmap=cm,
                              norm=colors.BoundaryNorm(prof.levels, cm.N),
                              linewidths=0, antialiaseds=False)
        lo, hi = prof.levels[prof.rect_band], prof.levels[prof.rect_band + 1]
        fill.set_array((lo + hi) / 2)  # the band's loss level picks its colour
        fill.set_gid("bands")
    else:
        fill = PolyCollection(outlines, cmap=cm, norm=st.loss_norm(kind, vmin, vmax),
                              linewidths=0)
        fill.set_array(prof.basin_mean_loss)
        fill.set_gid("basins")
    ax.add_collection(fill)
    edge = PolyCollection(outlines, facecolors="none", edgecolors=(0.05, 0.05, 0.05, 0.45),
                          linewidths=0.5)
    edge.set_gid("outlines")
    ax.add_collection(edge)
    if critical_points:
        saddles = ax.scatter(prof.saddle_x, prof.saddle_y,
                             label=st.counted("saddle", prof.saddle_x.size),
                             **st.sized(st.SADDLE, prof.saddle_x.size))
        saddles.set_gid("saddles")
        minima = ax.scatter(prof.minima_x, prof.minima_y,
                            label=st.counted("minimum", prof.minima_x.size),
                            **st.sized(st.MINIMUM, prof.minima_x.size))
        minima.set_gid("minima")
    if model is not None:  # where the model's loss lies on the axis (its x has no meaning)
        value = _model_value(tree, model, who)
        star = ax.scatter([0.0], [value], transform=ax.get_yaxis_transform(), clip_on=False,
                          label="trained model", **st.MODEL)
        star.set_gid("model")
    ax.set_xlim(0.0, 1.0)
    st.set_loss_axis(ax, "y", kind, vmin, vmax)
    ax.set_ylim(st.beyond(kind, prof.y_min, prof.y_max, -0.03), prof.y_max)
    ax.set_xlabel("fraction of grid points (basin size)")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if colorbar:
        label = "loss level" if color == "depth" else "mean loss of the basin"
        st.band_colorbar(ax, fill, kind, vmin, vmax, label=label)
    if legend:
        st.legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
    return ax


def merge_tree(
    tree: MergeTree,
    ax: Axes | None = None,
    *,
    scale: str = "auto",
    max_basins: int | None = None,
    legend: bool = True,
    model: int | None = None,
) -> Axes:
    """The merge tree: minima as leaves, saddles where basins join, drawn at their loss with
    elbow edges, leaves in the landscape profile's left-to-right order (``lw.merge_tree_layout``).
    ``model``: vertex id of the trained model (``land.center_index``), starred on its branch.

    Example:
        >>> import landscape_widgets as lw
        >>> tree = lw.merge_tree(lw.examples.four_wells(resolution=31))
        >>> ax = lw.plot.merge_tree(tree)
        >>> len(ax.collections[0].get_segments())  # one edge per node (the root's stem too)
        7
    """
    who = "lw.plot.merge_tree"
    tree = st.check_tree(tree, who)
    max_basins = _optional_count(max_basins, "max_basins", who)
    kind, vmin, vmax = _loss_kind(tree, scale, who)
    ax = st.new_axes(ax, who)
    lay = merge_tree_layout(tree, max_basins=max_basins)
    off = lay.edge_path_offsets
    paths = [np.column_stack((lay.edge_path_x[a:b], lay.edge_path_y[a:b]))
             for a, b in zip(off[:-1], off[1:])]
    edges = LineCollection(paths, colors="#3a3a3a", linewidths=1.1, capstyle="round")
    edges.set_gid("edges")
    ax.add_collection(edges)
    leaf = lay.node_is_minimum
    saddles = ax.scatter(lay.node_x[~leaf], lay.node_y[~leaf],
                         label=st.counted("saddle", int((~leaf).sum())),
                         **st.sized(st.SADDLE, int((~leaf).sum())))
    saddles.set_gid("saddles")
    minima = ax.scatter(lay.node_x[leaf], lay.node_y[leaf],
                        label=st.counted("minimum", int(leaf.sum())),
                        **st.sized(st.MINIMUM, int(leaf.sum())))
    minima.set_gid("minima")
    if model is not None:
        value = _model_value(tree, model, who)
        star = ax.scatter([_branch_x(tree, lay, model, value)], [value], label="trained model",
                          **st.MODEL)
        star.set_gid("model")
    ax.set_xlim(-0.02, 1.02)
    st.set_loss_axis(ax, "y", kind, vmin, vmax)
    ax.set_ylim(*st.padded(kind, lay.y_min, lay.y_max))
    ax.set_xticks([])
    ax.set_xlabel("basins (same order as the profile)")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if legend:
        st.legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, frameon=False)
    return ax


def barcode(
    tree: MergeTree,
    ax: Axes | None = None,
    *,
    scale: str = "auto",
    max_bars: int | None = None,
    legend: bool = True,
) -> Axes:
    """The 0-dim barcode: one bar per basin from its minimum's loss to the saddle where it
    dies, longest on top (``lw.barcode_rows``); essential classes (that never die) run to the
    top of the loss range and end in an arrow.

    Example:
        >>> import landscape_widgets as lw
        >>> tree = lw.merge_tree(lw.examples.four_wells(resolution=31))
        >>> ax = lw.plot.barcode(tree)
        >>> len(ax.collections[0].get_paths())  # one bar per basin
        4
    """
    who = "lw.plot.barcode"
    tree = st.check_tree(tree, who)
    max_bars = _optional_count(max_bars, "max_bars", who)
    kind, vmin, vmax = _loss_kind(tree, scale, who)
    ax = st.new_axes(ax, who)
    bars = barcode_rows(tree, max_bars=max_bars)
    half = 0.36
    b, d, r = bars.birth, bars.death, bars.row.astype(float)
    rects = np.stack([np.column_stack(c) for c in
                      ((b, r - half), (d, r - half), (d, r + half), (b, r + half))], axis=1)
    fill = np.where(bars.essential[:, None], colors.to_rgba_array(st.ESSENTIAL),
                    colors.to_rgba_array(st.FINITE))
    # an edge in the bar's own colour: the shortest bars stay visible (about 1 pt wide)
    art = PolyCollection(_polygons(rects), facecolors=fill, edgecolors=fill, linewidths=0.8)
    art.set_gid("bars")
    ax.add_collection(art)
    n_ess = int(bars.essential.sum())
    if n_ess:
        arrows = ax.scatter(d[bars.essential], r[bars.essential], marker=">", s=30,
                            color=st.ESSENTIAL, clip_on=False, zorder=3)
        arrows.set_gid("essential")
    st.set_loss_axis(ax, "x", kind, vmin, vmax)
    ax.set_xlim(*st.padded(kind, bars.y_min, bars.y_max))
    # row 0 (the longest bar) on top; room for 6 rows at least, so a few bars stay slim
    ax.set_ylim(max(bars.n_bars, 6) - 0.5, -0.5)
    ax.set_ylabel(f"bars ({bars.n_bars}), longest first")
    if bars.n_bars > 12:
        ax.set_yticks([])
    else:
        ax.set_yticks(np.arange(bars.n_bars))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if legend:
        handles = [Patch(color=c, label=st.counted(text, n)) for c, text, n in
                   ((st.FINITE, "dies at a saddle", bars.n_bars - n_ess),
                    (st.ESSENTIAL, "never dies", n_ess)) if n]
        st.legend(ax, handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                  frameon=False)
    return ax


def persistence_diagram(
    tree: MergeTree,
    ax: Axes | None = None,
    *,
    scale: str = "auto",
    legend: bool = True,
) -> Axes:
    """The 0-dim persistence diagram: a point (birth, death) per basin, from the barcode rows;
    points far from the diagonal are persistent basins. Classes that never die sit on a dashed
    "∞" line above the loss range.

    Example:
        >>> import landscape_widgets as lw
        >>> tree = lw.merge_tree(lw.examples.four_wells(resolution=31))
        >>> ax = lw.plot.persistence_diagram(tree)
        >>> [len(c.get_offsets()) for c in ax.collections]  # 3 finite pairs, 1 essential class
        [3, 1]
    """
    who = "lw.plot.persistence_diagram"
    tree = st.check_tree(tree, who)
    kind, vmin, vmax = _loss_kind(tree, scale, who)
    ax = st.new_axes(ax, who, figsize=(4.6, 4.2))
    bars = barcode_rows(tree)
    top = st.beyond(kind, vmin, vmax, 0.08)
    ess = bars.essential
    n_finite = int((~ess).sum())
    finite = ax.scatter(bars.birth[~ess], bars.death[~ess], color=st.FINITE, alpha=0.8,
                        edgecolors="white", zorder=3,
                        label=st.counted("dies at a saddle", n_finite),
                        **st.sized({"s": 22, "linewidths": 0.4}, n_finite))
    finite.set_gid("finite")
    essential = ax.scatter(bars.birth[ess], np.full(int(ess.sum()), top), s=30, marker="^",
                           color=st.ESSENTIAL, zorder=3, clip_on=False,
                           label=st.counted("never dies", int(ess.sum())))
    essential.set_gid("essential")
    ax.plot([vmin, top], [vmin, top], color="0.5", linewidth=0.8, zorder=1)  # the diagonal
    ax.axhline(top, color="0.5", linewidth=0.8, linestyle="--", zorder=1)
    st.set_loss_axis(ax, "x", kind, vmin, vmax, label="birth (loss)")
    st.set_loss_axis(ax, "y", kind, vmin, vmax, label="death (loss)")
    lo, hi = st.padded(kind, vmin, vmax)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, st.beyond(kind, vmin, vmax, 0.13))
    # no loss ticks beyond the loss range: the "∞" line is there
    ticks = np.asarray(ax.yaxis.get_major_locator().tick_values(lo, vmax))
    ax.yaxis.set_major_locator(ticker.FixedLocator(ticks[(ticks >= lo) & (ticks <= vmax)].tolist()))
    ax.annotate("∞", xy=(0, top), xycoords=("axes fraction", "data"), xytext=(-5, 0),
                textcoords="offset points", ha="right", va="center", fontsize="large")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if legend:
        st.legend(ax, loc="lower right", frameon=False)
    return ax


def _polygons(rects: np.ndarray) -> Any:
    """``rects`` (n, k, 2) as PolyCollection's verts: its stubs say Sequence[ArrayLike], but it
    takes a 3-D array as it is (its fast path), so the array is passed unchanged."""
    return cast(Any, rects)


def _model_value(tree: MergeTree, model: object, who: str) -> float:
    """The loss at vertex ``model``, checked (a finite value of this tree)."""
    if not isinstance(model, (int, np.integer)) or isinstance(model, bool) or not (
            0 <= model < tree.n_vertices):
        raise ValueError(
            f"{who}: model expected a vertex id in [0, {tree.n_vertices - 1}] "
            f"(land.center_index), received {model!r}"
        )
    value = float(tree.values[int(model)])
    if not np.isfinite(value):
        raise ValueError(f"{who}: model expected a vertex with a finite loss, received vertex "
                         f"{int(model)} of loss {value}")
    return value


def _branch_x(tree: MergeTree, lay: TreeLayout, vertex: int, value: float) -> float:
    """x of the tree's branch through ``vertex`` at its height: the vertex lies on the branch of
    ``tree.basins[vertex]`` (folded into its nearest drawn ancestor when ``max_basins`` hid
    it), and between two nodes of a branch the arc is vertical above the lower node."""
    drawn = set(lay.node_vertex[lay.node_is_minimum].tolist())
    parent = dict(zip(tree.minima.tolist(), tree.parent_minimum.tolist()))
    basin = int(tree.basins[vertex])
    while basin not in drawn:
        basin = parent[basin]
    on_branch = np.flatnonzero(lay.node_basin == basin)
    below = on_branch[lay.node_y[on_branch] <= value]
    lowest = below[np.argmax(lay.node_y[below])] if below.size else on_branch[0]
    return float(lay.node_x[lowest])

