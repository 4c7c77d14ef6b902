"""Figures of the sampled landscape itself: filled contours, a 3-D surface and a 1-D curve.

An n-D landscape is cut through the trained model (the grid point nearest the origin) unless
``index`` says where: a 2-D plane for ``contour`` and ``surface``, a line for ``curve``. Colour
levels follow ``scale`` like the widgets (``"auto"``: a log scale when the losses span more than
two decades), with the same band edges as ``ContourView``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import numpy as np
from matplotlib import colormaps, colors, ticker
from matplotlib.axes import Axes

from ..landscape import Landscape
from ..topology.tree import MergeTree
from . import _style as st

if TYPE_CHECKING:
    from mpl_toolkits.mplot3d.axes3d import Axes3D


def _cut(land: Landscape, keep: Sequence[int], index: Sequence[int] | None,
         who: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """Values of ``land`` on the axes ``keep`` (in that order) through grid point ``index``
    (default: the trained model); also the full index used."""
    keep = [int(a) for a in keep]
    if len(set(keep)) != len(keep) or any(not 0 <= a < land.dims for a in keep):
        raise ValueError(
            f"{who}: axes expected {len(keep)} distinct axis numbers in [0, {land.dims - 1}], "
            f"received {list(keep)}"
        )
    if index is None:
        full = tuple(int(i) for i in np.unravel_index(land.center_index, land.shape))
    else:
        full = tuple(int(i) for i in index)
        if len(full) != land.dims or any(not 0 <= i < n for i, n in zip(full, land.shape)):
            raise ValueError(
                f"{who}: index expected {land.dims} grid indices within the shape "
                f"{land.shape}, received {list(full)}"
            )
    sel: list[int | slice] = list(full)
    for a in keep:
        sel[a] = slice(None)
    cut = land.values[tuple(sel)]  # remaining axes in increasing order
    order = np.argsort(np.argsort(keep))  # position of each kept axis in the cut
    return np.transpose(cut, order), full


def _slice_note(land: Landscape, keep: Sequence[int], full: tuple[int, ...]) -> str | None:
    fixed = [d for d in range(land.dims) if d not in keep]
    if not fixed:
        return None
    parts = [f"{st.alpha_label(d)} = {land.axes[d][full[d]]:.3g}" for d in fixed]
    return "slice at " + ", ".join(parts)


def contour(
    land: Landscape,
    tree: MergeTree | None = None,
    ax: Axes | None = None,
    *,
    levels: int = 20,
    scale: str = "auto",
    axes: tuple[int, int] = (0, 1),
    index: Sequence[int] | None = None,
    cmap: str = "viridis",
    critical_points: bool = True,
    colorbar: bool = True,
    legend: bool = True,
) -> Axes:
    """Filled contours of a 2-D landscape, or of a 2-D slice of an n-D one, with the merge
    tree's minima and saddles in the plane, the trained model (grid centre) and a colour bar.

    Args:
        land: a landscape with 2 or more dimensions.
        tree: its merge tree (``lw.merge_tree(land)``; computed when None).
        ax: where to draw (a new figure when None).
        levels: number of colour bands.
        scale: ``"linear"``, ``"log"`` or ``"auto"`` (log when the losses span more than two
            decades; a shifted log when some are <= 0), as in the widgets.
        axes: the two landscape axes drawn as x and y.
        index: grid index the plane passes through (n-D only); default the trained model.
        critical_points, colorbar, legend: draw the markers, the colour bar, the legend.

    Returns:
        The Axes drawn on.

    Example:
        >>> import landscape_widgets as lw
        >>> land = lw.examples.four_wells(resolution=31)
        >>> ax = lw.plot.contour(land)
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('α₁', 'α₂')
    """
    who = "lw.plot.contour"
    land = st.check_landscape(land, who)
    if land.dims < 2:
        raise ValueError(
            f"{who}: land expected a landscape of 2 or more dimensions, received a 1-D one "
            f"(shape {land.shape}); draw it with lw.plot.curve(land)"
        )
    levels = st.check_count(levels, "levels", who)
    ax = st.new_axes(ax, who, figsize=(5.2, 4.2))
    plane, full = _cut(land, axes, index, who)
    vmin, vmax = st.finite_range(land.values)
    kind = st.scale_kind(scale, vmin, vmax, who)
    edges = st.band_edges(kind, vmin, vmax, levels)
    cm = colormaps[cmap]
    x, y = land.axes[axes[0]], land.axes[axes[1]]
    z = np.ma.masked_invalid(plane.T)  # rows = y
    norm = colors.BoundaryNorm(edges, cm.N)  # one colour per band, evenly over the colour map
    filled = ax.contourf(x, y, z, levels=edges, cmap=cm, norm=norm)
    filled.set_gid("bands")
    if levels > 1:
        lines = ax.contour(x, y, z, levels=edges[1:-1], colors="black", linewidths=0.35,
                           alpha=0.35)
        lines.set_gid("isolines")
    ax.set_xlabel(st.alpha_label(axes[0]))
    ax.set_ylabel(st.alpha_label(axes[1]))
    ax.set_aspect("equal", adjustable="box")
    note = _slice_note(land, axes, full)
    if note:
        ax.set_title(note, fontsize="medium")

    if critical_points:
        tree = st.tree_of(land, tree, who)
        _mark_critical(ax, land, tree, axes, full)
    _mark_model(ax, land, axes, full)
    if colorbar:
        st.band_colorbar(ax, filled, kind, vmin, vmax)
    if legend:
        st.legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False,
                  fontsize="small",
                  handletextpad=0.3, columnspacing=1.2, scatterpoints=1)
    return ax


def _in_plane(land: Landscape, vertices: np.ndarray, keep: Sequence[int],
              full: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Multi-indices of the ``vertices`` that lie in the cut through ``full`` along ``keep``."""
    multi = np.unravel_index(np.asarray(vertices, dtype=np.int64), land.shape)
    inside = np.ones(len(vertices), dtype=bool)
    for d in range(land.dims):
        if d not in keep:
            inside &= multi[d] == full[d]
    return tuple(m[inside] for m in multi)


def _mark_critical(ax: Axes, land: Landscape, tree: MergeTree, keep: Sequence[int],
                   full: tuple[int, ...]) -> None:
    for vertices, style, label in ((tree.saddles, st.SADDLE, "saddle"),
                                   (tree.minima, st.MINIMUM, "minimum")):
        multi = _in_plane(land, vertices, keep, full)
        coords = [land.axes[a][multi[a]] for a in keep]
        art = ax.scatter(*coords, label=st.counted(label, len(coords[0])),
                         **st.sized(style, len(coords[0])))
        art.set_gid("saddles" if label == "saddle" else "minima")


def _mark_model(ax: Axes, land: Landscape, keep: Sequence[int], full: tuple[int, ...],
                value: bool = False) -> None:
    """The trained model: the grid point nearest the origin, when it lies in the cut."""
    multi = _in_plane(land, np.array([land.center_index]), keep, full)
    if multi[0].size == 0:
        return
    coords = [land.axes[a][multi[a]] for a in keep]
    if value:
        coords.append(land.values[tuple(m for m in multi)])
    art = ax.scatter(*coords, label="trained model", **st.MODEL)
    art.set_gid("model")


def surface(
    land: Landscape,
    ax: Axes | None = None,
    *,
    scale: str = "auto",
    axes: tuple[int, int] = (0, 1),
    index: Sequence[int] | None = None,
    cmap: str = "viridis",
    colorbar: bool = True,
) -> Axes:
    """3-D surface of a 2-D landscape or slice (the picture of Li et al. 2018).

    With a log ``scale`` (or ``"auto"`` on losses spanning more than two decades) the height is
    log10 of the loss (of loss − L0 when some are <= 0) and the z ticks read in loss.

    Args:
        land: a landscape with 2 or more dimensions.
        ax: a 3-D Axes (``fig.add_subplot(projection="3d")``), or None for a new figure.
        scale, axes, index, cmap: as in :func:`contour`.
        colorbar: draw a colour bar.

    Example:
        >>> import landscape_widgets as lw
        >>> ax = lw.plot.surface(lw.examples.four_wells(resolution=21))
        >>> ax.name
        '3d'
    """
    who = "lw.plot.surface"
    land = st.check_landscape(land, who)
    if land.dims < 2:
        raise ValueError(
            f"{who}: land expected a landscape of 2 or more dimensions, received a 1-D one "
            f"(shape {land.shape}); draw it with lw.plot.curve(land)"
        )
    # new_axes checked (or made) a projection="3d" Axes: an Axes3D
    ax3 = cast("Axes3D", st.new_axes(ax, who, figsize=(5.5, 4.5), projection="3d"))
    plane, full = _cut(land, axes, index, who)
    vmin, vmax = st.finite_range(land.values)
    kind = st.scale_kind(scale, vmin, vmax, who)
    offset = st.log_offset(vmin, vmax)
    z = plane.T.astype(float)  # rows = y
    if kind != "linear":
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.log10(z - offset)
    z = np.where(np.isfinite(z), z, np.nan)  # holes for divergent points
    xx, yy = np.meshgrid(land.axes[axes[0]], land.axes[axes[1]])
    finite = z[np.isfinite(z)]
    norm = colors.Normalize(finite.min(), max(finite.max(), finite.min() + 1e-12))
    surf = ax3.plot_surface(xx, yy, z, cmap=cmap, norm=norm, rstride=1, cstride=1,
                            linewidth=0.1, edgecolor=(0, 0, 0, 0.15), antialiased=True)
    surf.set_gid("surface")
    ax3.set_xlabel(st.alpha_label(axes[0]))
    ax3.set_ylabel(st.alpha_label(axes[1]))
    ax3.xaxis.set_major_locator(ticker.MaxNLocator(5))  # 3-D axes are short: few ticks
    ax3.yaxis.set_major_locator(ticker.MaxNLocator(5))
    zticks = None  # the log ticks, shared with the colour bar
    if kind == "linear":
        ax3.zaxis.set_major_locator(ticker.MaxNLocator(5))
        ax3.set_zlabel("loss")
    else:  # heights are log10(loss − L0): ticks at round values of loss − L0 (L0 = 0: loss)
        zticks = st.log_ticks(float(finite.min()), float(finite.max())).tolist()
        ax3.zaxis.set_ticks(zticks)  # what set_zticks does (its stub is not callable)
        ax3.zaxis.set_major_formatter(ticker.FuncFormatter(lambda t, _p: st._plain(10.0**t)))
        ax3.set_zlabel(st.loss_label(kind, vmin, vmax) if kind == "shifted-log" else "loss (log)")
    note = _slice_note(land, axes, full)
    if note:
        ax3.set_title(note, fontsize="medium")
    ax3.view_init(elev=32, azim=-55)
    if colorbar:
        cbar = ax3.figure.colorbar(surf, ax=ax3, shrink=0.6, pad=0.1)
        cbar.set_label(ax3.get_zlabel())
        if zticks is not None:  # kind != "linear"
            cbar.set_ticks(zticks)
            cbar.formatter = ax3.zaxis.get_major_formatter()
            cbar.update_ticks()
    return ax3


def curve(
    land: Landscape,
    ax: Axes | None = None,
    tree: MergeTree | None = None,
    *,
    axis: int = 0,
    index: Sequence[int] | None = None,
    scale: str = "auto",
    critical_points: bool = True,
    legend: bool = True,
) -> Axes:
    """Loss against α for a 1-D landscape (``lw.interpolate`` paths included), or along one
    axis of an n-D landscape through the trained model, with the curve's minima and saddles
    (the critical points of its 1-D merge tree) and the trained model (α = 0) marked.

    Args:
        land: any landscape; n-D ones are cut along ``axis`` through ``index``.
        ax: where to draw (a new figure when None).
        tree: merge tree of a 1-D ``land`` (computed when None). An n-D landscape's tree does
            not describe a line through it: there the line's own tree is computed.
        axis, index: the line of an n-D landscape (default: through the trained model).
        scale: loss axis, ``"linear"``, ``"log"`` or ``"auto"``, as in the widgets.

    Example:
        >>> import numpy as np, landscape_widgets as lw
        >>> land = lw.Landscape.from_function(lambda p: np.cos(3 * p[:, 0]), dims=1,
        ...                                   resolution=61)
        >>> ax = lw.plot.curve(land)
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('α₁', 'loss')
    """
    who = "lw.plot.curve"
    land = st.check_landscape(land, who)
    if land.dims > 1 and tree is not None:
        raise ValueError(
            f"{who}: tree expected None for a {land.dims}-D landscape (the curve marks the "
            f"critical points of its own 1-D line), received a MergeTree"
        )
    ax = st.new_axes(ax, who, figsize=(5.0, 3.4))
    line, full = _cut(land, [axis], index, who)
    alphas = land.axes[axis]
    if not np.isfinite(line).any():
        raise ValueError(
            f"{who}: the line along {st.alpha_label(axis)} through grid index {list(full)} has "
            f"no finite values; pick another axis or index"
        )
    line_land = land if land.dims == 1 else Landscape(values=line, axes=(alphas,))
    vmin, vmax = st.finite_range(line)
    kind = st.scale_kind(scale, vmin, vmax, who)
    (path,) = ax.plot(alphas, line, color="#1f4e79", linewidth=1.6)
    path.set_gid("curve")
    if critical_points:
        tree = st.tree_of(line_land, tree if land.dims == 1 else None, who)
        for vertices, style, label in ((tree.minima, st.MINIMUM, "minimum"),
                                       (tree.saddles, st.SADDLE, "saddle")):
            art = ax.scatter(alphas[vertices], line[vertices],
                             label=st.counted(label, len(vertices)),
                             **st.sized(style, len(vertices)))
            art.set_gid("minima" if label == "minimum" else "saddles")
    _mark_model(ax, land, [axis], full, value=True)  # α = 0
    st.set_loss_axis(ax, "y", kind, vmin, vmax)
    xlabel = st.alpha_label(axis)
    if land.provenance.source == "interpolation" and land.dims == 1:
        xlabel = "α (0: first model, 1: second model)"
        if alphas[0] <= 1.0 <= alphas[-1]:  # lw.interpolate puts the second model at α = 1
            at = int(np.argmin(np.abs(alphas - 1.0)))
            second = ax.scatter([alphas[at]], [line[at]], label="second model",
                                **{**st.MODEL, "color": "#bbbbbb"})
            second.set_gid("second-model")
    ax.set_xlabel(xlabel)
    ax.set_xlim(alphas[0], alphas[-1])
    ax.grid(True, linewidth=0.4, alpha=0.4)
    note = _slice_note(land, [axis], full)
    if note:
        ax.set_title(note, fontsize="medium")
    if legend:
        st.legend(ax, frameon=False, fontsize="small", loc="best")
    return ax
