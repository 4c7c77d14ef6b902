"""The loss-axis rule shared by the widgets and ``lw.plot``: which kind of axis a scale
("linear", "log", "auto") means for values in ``[vmin, vmax]``, and band edges even on it.

Numpy only, so both the widgets (``widgets/_scale.py``, which adds the trait and the browser's
mirror ``js/src/lib/loss_scale.js``) and the matplotlib figures use one rule without either
importing the other's heavy dependencies.

Example:
    >>> scale_kind("auto", 0.08, 1237.0)
    'log'
    >>> log_edges(1.0, 100.0, 2).round(6).tolist()
    [1.0, 10.0, 100.0]
"""

from __future__ import annotations

import math

import numpy as np

SCALES = ("linear", "log", "auto")
AUTO_DECADES = 2  # "auto" picks a log axis when the values span more than this many decades
SHIFT = 1e-3  # shifted log: the minimum sits this fraction of the range above L0


def dynamic_range(vmin: float, vmax: float) -> float:
    """``1 + (vmax - vmin) / |vmin|``: ``vmax / vmin`` for positive values, ``inf`` at 0."""
    return math.inf if vmin == 0 else 1.0 + (vmax - vmin) / abs(vmin)


def scale_kind(scale: str, vmin: float, vmax: float) -> str:
    """``"linear"``, ``"log"`` or ``"shifted-log"``: what a checked ``scale`` means for values in
    ``[vmin, vmax]`` (linear without a finite, non-empty range)."""
    if scale == "linear" or not (math.isfinite(vmin) and math.isfinite(vmax)) or not vmax > vmin:
        return "linear"
    kind = "log" if vmin > 0 else "shifted-log"
    if scale == "log":
        return kind
    return kind if dynamic_range(vmin, vmax) > 10.0**AUTO_DECADES else "linear"


def log_offset(vmin: float, vmax: float) -> float:
    """``L0`` of the log kind: 0 for positive values, else ``vmin - SHIFT * (vmax - vmin)``."""
    return 0.0 if vmin > 0 else vmin - SHIFT * (vmax - vmin)


def log_edges(vmin: float, vmax: float, n: int) -> np.ndarray:
    """``n + 1`` edges from ``vmin`` to ``vmax`` evenly spaced on the log kind's axis
    (``log10(v - L0)``), so contour bands match the other views' log axes."""
    if vmax <= vmin:
        return np.linspace(vmin, vmin + 1.0, n + 1)
    offset = log_offset(vmin, vmax)
    edges = offset + np.geomspace(vmin - offset, vmax - offset, n + 1)
    edges[0], edges[-1] = vmin, vmax
    return edges
