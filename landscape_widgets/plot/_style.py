"""Shared pieces of the figures: input checks, a fresh Axes when none is given, the loss-axis
scale (the widgets' ``"auto"`` rule) and the marker style of critical points.

The scale rule is the widgets' own (``layout/loss_scale.py``, numpy only: importing anything
under ``widgets`` would load anywidget and ipywidgets, which a script drawing a PNG does not
need).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib import colors, ticker
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection

from ..landscape import Landscape
from ..layout import loss_scale
from ..layout.loss_scale import SCALES, log_edges, log_offset
from ..topology.tree import MergeTree

# one style for critical points in every figure (the widgets' colours: minima red, saddles
# orange), with distinct shapes so the marks survive grey-scale printing; typed Any: they are
# keyword arguments of Axes.scatter, each value of its own type
MINIMUM: dict[str, Any] = dict(
    marker="o", s=26, color="#d62728", edgecolors="white", linewidths=0.6, zorder=4)
SADDLE: dict[str, Any] = dict(
    marker="D", s=22, color="#ff7f0e", edgecolors="black", linewidths=0.5, zorder=4)
# under the critical points, so a minimum at the model stays visible on top of the star
MODEL: dict[str, Any] = dict(
    marker="*", s=170, color="white", edgecolors="black", linewidths=0.9, zorder=3)
ESSENTIAL = "#1f4e79"  # bars / points that never die
FINITE = "#4c72b0"

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sized(style: dict[str, Any], n: int) -> dict[str, Any]:
    """``style`` with markers shrunk for many points (area ∝ 1/√n beyond 30 of them), so a
    rough landscape's thousands of critical points do not paint over the picture."""
    scale = min(1.0, math.sqrt(30.0 / max(n, 1)))
    return {**style, "s": max(style["s"] * scale, 2.0),
            "linewidths": style["linewidths"] * math.sqrt(scale)}


def counted(label: str, n: int) -> str:
    """Legend text ``"minimum (4)"``; ``"_nolegend_"`` (no entry) when there are none."""
    return f"{label} ({n})" if n else "_nolegend_"


def legend(ax: Axes, **kwargs: Any) -> None:
    """``ax.legend(**kwargs)`` when something is labelled (no empty legend, no warning)."""
    if ax.get_legend_handles_labels()[0] or kwargs.get("handles"):
        shown = ax.legend(**kwargs)
        for handle in shown.legend_handles:  # full-size markers even where the plot shrank them
            if isinstance(handle, PathCollection):
                handle.set_sizes([max(30.0, float(np.max(handle.get_sizes())))])


def alpha_label(axis: int) -> str:
    """``α₁`` for axis 0, ``α₂`` for axis 1, ... (subspace coordinates, 1-based as in papers)."""
    return "α" + str(axis + 1).translate(_SUBSCRIPTS)


# ------------------------------------------------------------------ inputs
def check_landscape(land: Any, who: str) -> Landscape:
    if not isinstance(land, Landscape):
        hint = "; wrap an array with lw.Landscape.from_array(values)" if isinstance(
            land, np.ndarray) else ""
        raise TypeError(
            f"{who}: land expected a lw.Landscape, received {type(land).__name__}{hint}"
        )
    if not np.isfinite(land.values).any():
        raise ValueError(f"{who}: land has no finite values to draw")
    return land


def check_tree(tree: Any, who: str) -> MergeTree:
    if not isinstance(tree, MergeTree):
        raise TypeError(
            f"{who}: tree expected a MergeTree (lw.merge_tree(land)), received "
            f"{type(tree).__name__}"
        )
    if tree.n_minima == 0:
        raise ValueError(f"{who}: tree has no minima (the landscape has no finite values)")
    return tree


def tree_of(land: Landscape, tree: MergeTree | None, who: str) -> MergeTree:
    """``tree`` checked against ``land``, or the landscape's own merge tree when None."""
    if tree is None:
        from ..topology import merge_tree  # the topology stage, loaded on use

        return merge_tree(land)
    tree = check_tree(tree, who)
    if tree.shape != land.shape:
        raise ValueError(
            f"{who}: tree expected the merge tree of land (grid shape {land.shape}), received "
            f"a tree of shape {tree.shape}"
        )
    return tree


def new_axes(ax: Axes | None, who: str, figsize: tuple[float, float] = (5.0, 3.8),
             projection: str | None = None) -> Axes:
    """``ax`` after a type check, or the Axes of a new constrained-layout figure."""
    if ax is None:
        import matplotlib.pyplot as plt  # only for a new figure (so Jupyter shows it)

        fig = plt.figure(figsize=figsize, layout="constrained")
        return fig.add_subplot(projection=projection)
    if not isinstance(ax, Axes):
        raise TypeError(f"{who}: ax expected a matplotlib Axes or None, received "
                        f"{type(ax).__name__}")
    if projection is not None and ax.name != projection:
        raise ValueError(
            f"{who}: ax expected an Axes with projection={projection!r} "
            f"(fig.add_subplot(projection={projection!r})), received a {ax.name!r} Axes"
        )
    return ax


def check_choice(value: Any, name: str, choices: tuple[str, ...], who: str) -> str:
    if isinstance(value, str) and value in choices:
        return value
    raise ValueError(
        f"{who}: {name} expected one of {', '.join(map(repr, choices))}, received {value!r}"
    )


def check_count(value: Any, name: str, who: str, minimum: int = 1) -> int:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= minimum:
        return int(value)
    raise ValueError(f"{who}: {name} expected an integer >= {minimum}, received {value!r}")


# ------------------------------------------------------------------ loss scale
def finite_range(values: np.ndarray) -> tuple[float, float]:
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    return float(finite.min()), float(finite.max())


def scale_kind(scale: str, vmin: float, vmax: float, who: str) -> str:
    """``"linear"``, ``"log"`` or ``"shifted-log"``: what ``scale`` means for values in
    ``[vmin, vmax]``, by the widgets' rule (``"auto"``: log beyond two decades of range)."""
    return loss_scale.scale_kind(check_choice(scale, "scale", SCALES, who), vmin, vmax)


def band_edges(kind: str, vmin: float, vmax: float, n: int) -> np.ndarray:
    """``n + 1`` edges over ``[vmin, vmax]``, even on the axis of ``kind`` (the widgets' contour
    levels and log-profile bands)."""
    if kind == "linear" and vmax > vmin:
        return np.linspace(vmin, vmax, n + 1)
    return log_edges(vmin, vmax, n)


def loss_label(kind: str, vmin: float, vmax: float, what: str = "loss") -> str:
    if kind != "shifted-log":
        return what
    offset = log_offset(vmin, vmax)
    sign = "+" if offset < 0 else "−"
    return f"{what} {sign} {abs(offset):.3g} (log)"


def beyond(kind: str, vmin: float, vmax: float, fraction: float) -> float:
    """The loss ``fraction`` of the axis span above ``vmax`` (below ``vmin`` when negative),
    measured on the axis of ``kind``: room for markers at the ends and for an "∞" line."""
    if vmax <= vmin:
        vmax = vmin + 1.0
    if kind == "linear":
        return (vmax if fraction >= 0 else vmin) + fraction * (vmax - vmin)
    offset = log_offset(vmin, vmax)
    ratio = (vmax - offset) / (vmin - offset)
    return offset + (vmax - offset if fraction >= 0 else vmin - offset) * ratio**fraction


def padded(kind: str, vmin: float, vmax: float, fraction: float = 0.03) -> tuple[float, float]:
    """Axis limits ``fraction`` of the span beyond ``[vmin, vmax]`` (markers stay whole)."""
    return beyond(kind, vmin, vmax, -fraction), beyond(kind, vmin, vmax, fraction)


def log_subs(decades: float) -> tuple[float, ...]:
    """Mantissas of round ticks: 1, 2, 5 over a few decades, 1 and 3 over more, 1 beyond."""
    if decades <= 2.2:
        return (1.0, 2.0, 5.0)
    return (1.0, 3.0) if decades <= 4.5 else (1.0,)


class _ShiftedLogLocator(ticker.Locator):
    """Ticks at ``L0 + m·10^k``: round numbers of loss − L0."""

    def __init__(self, offset: float, decades: float) -> None:
        self.offset = offset
        self.inner = ticker.LogLocator(base=10.0, subs=log_subs(decades), numticks=12)

    def __call__(self) -> np.ndarray:
        if self.axis is None:
            raise RuntimeError("_ShiftedLogLocator: not attached to an axis (set it on one first)")
        lo, hi = self.axis.get_view_interval()
        return self.tick_values(lo, hi)

    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:
        tiny = float(np.finfo(float).tiny)
        lo, hi = max(vmin - self.offset, tiny), max(vmax - self.offset, tiny)
        # matplotlib's stubs say Sequence[float]; LogLocator returns an ndarray
        return self.offset + np.asarray(self.inner.tick_values(lo, hi))


def _plain(value: float, _pos: Any = None) -> str:
    """A tick label without exponents where it fits: 0.02, 1.5, 300, 2000 (1e+07 beyond)."""
    text = f"{value:.0f}" if 1e3 <= abs(value) < 1e6 else f"{value:.3g}"
    return text.replace("-", "−")


def set_loss_axis(ax: Axes, which: str, kind: str, vmin: float, vmax: float,
                  label: str | None = "loss") -> None:
    """Put the ``x`` or ``y`` axis of ``ax`` on the scale of ``kind``, with round-number ticks
    (plain numbers, no 10^k) and a label in words."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    set_scale = ax.set_xscale if which == "x" else ax.set_yscale
    if kind == "log":
        set_scale("log")
        decades = math.log10(vmax / vmin) if vmax > vmin > 0 else 0.0
        axis.set_major_locator(ticker.LogLocator(base=10.0, subs=log_subs(decades),
                                                 numticks=12))
        axis.set_major_formatter(ticker.FuncFormatter(_plain))
        axis.set_minor_formatter(ticker.NullFormatter())
    elif kind == "shifted-log":
        offset = log_offset(vmin, vmax)
        tiny = np.finfo(float).tiny

        def forward(v: np.ndarray) -> np.ndarray:
            return np.log10(np.maximum(np.asarray(v, dtype=float) - offset, tiny))

        def inverse(t: np.ndarray) -> np.ndarray:
            return offset + 10.0 ** np.asarray(t, dtype=float)

        set_scale("function", functions=(forward, inverse))
        decades = math.log10((vmax - offset) / (vmin - offset)) if vmax > vmin else 0.0
        axis.set_major_locator(_ShiftedLogLocator(offset, decades))
        axis.set_major_formatter(ticker.FuncFormatter(lambda v, _p: _plain(v - offset)))
        axis.set_minor_locator(ticker.NullLocator())
    else:
        set_scale("linear")
    if label is not None:
        axis.set_label_text(loss_label(kind, vmin, vmax, label))


def log_ticks(lo: float, hi: float) -> np.ndarray:
    """Round ticks for an axis that shows ``log10`` of a positive quantity over ``[lo, hi]``
    (in log10 units): log10 of 1, 2, 5 × 10^k over up to two decades, else of 10^k (a 3-D
    axis is short)."""
    subs = (1.0, 2.0, 5.0) if hi - lo <= 2.2 else (1.0,)
    locator = ticker.LogLocator(base=10.0, subs=subs, numticks=12)
    ticks = np.log10(locator.tick_values(10.0**lo, 10.0**hi))
    return ticks[(ticks >= lo - 1e-9) & (ticks <= hi + 1e-9)]


def loss_norm(kind: str, vmin: float, vmax: float) -> colors.Normalize:
    """Colour norm on the axis of ``kind`` (for colours of continuous losses)."""
    if vmax <= vmin:
        return colors.Normalize(vmin, vmin + 1.0)
    if kind == "log":
        return colors.LogNorm(vmin, vmax)
    if kind == "shifted-log":
        offset = log_offset(vmin, vmax)
        return colors.FuncNorm(
            (lambda v: np.log10(np.maximum(v - offset, np.finfo(float).tiny)),
             lambda t: offset + 10.0**t),
            vmin=vmin, vmax=vmax,
        )
    return colors.Normalize(vmin, vmax)


def band_colorbar(ax: Axes, mappable: Any, kind: str, vmin: float, vmax: float,
                  label: str = "loss") -> Any:
    """A colour bar beside ``ax`` for a banded mappable (contour bands, profile bands), its
    long axis on the loss scale of ``kind`` so its ticks match the other loss axes."""
    cbar = ax.figure.colorbar(mappable, ax=ax, spacing="proportional", fraction=0.06, pad=0.03)
    set_loss_axis(cbar.ax, "y", kind, vmin, vmax, label=label)
    # the colour bar keeps its own locator/formatter: hand it the ones just set on its axis
    cbar.locator = cbar.ax.yaxis.get_major_locator()
    cbar.formatter = cbar.ax.yaxis.get_major_formatter()
    if kind == "log":
        cbar.minorticks_off()
    return cbar
