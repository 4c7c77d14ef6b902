"""The loss-axis scale shared by every view: ``"linear"``, ``"log"`` or ``"auto"``.

Losses often span several decades (a trained PINN: 0.08 at the minimum, 1237 on the rim), and on
a linear axis every basin is squashed at the bottom. Each view of loss values (profile, merge
tree, barcode, persistence diagram, the contour colour levels) has a ``scale`` trait; the
browser resolves it against the whole landscape's finite range ``[min, max]`` so all views agree:

* ``"linear"``: linear.
* ``"log"``: ``log10(loss)`` when every finite value is positive (kind ``"log"``). Otherwise the
  *shifted log* ``log10(loss - L0)`` with ``L0 = min - SHIFT * (max - min)`` (kind
  ``"shifted-log"``): the global minimum sits ``SHIFT`` of the range above ``L0``, so the axis
  spans about three decades of "loss above L0"; its axes are labelled ``loss − L0 (log)`` (or
  ``loss + |L0| (log)``) and their ticks count that excess (0.1, 1, 10, ...).
* ``"auto"`` (the default): the log kind above when the dynamic range
  ``1 + (max - min) / |min|`` (``max / min`` for positive values, infinite when ``min == 0``)
  exceeds ``10 ** AUTO_DECADES`` (two decades), else linear.

A landscape without finite values or with ``max <= min`` is drawn linearly. The browser half
is ``js/src/lib/loss_scale.js``; :func:`resolve_scale` and :func:`log_edges` mirror it (the
contour bands are computed here, for both the linear and the log kind, so the scale can be
switched in a static HTML export).

Example:
    >>> resolve_scale("auto", 0.08, 1237.0)
    'log'
    >>> resolve_scale("auto", -1.0, 0.5)
    'linear'
    >>> resolve_scale("log", 0.0, 10.0)
    'shifted-log'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import traitlets

SCALES = ("linear", "log", "auto")
AUTO_DECADES = 2
SHIFT = 1e-3


class ScaleError(traitlets.TraitError, ValueError):
    """A ``scale`` outside ``SCALES`` (a ``ValueError`` and a ``TraitError``)."""


def check_scale(value: Any, owner: str = "scale") -> str:
    """``value`` if it is one of ``SCALES``, else raise :class:`ScaleError` naming both.

    Example:
        >>> check_scale("log")
        'log'
    """
    if isinstance(value, str) and value in SCALES:
        return value
    raise ScaleError(
        f"{owner}: scale: expected one of {', '.join(map(repr, SCALES))}, got {value!r}"
    )


class LossScale(traitlets.TraitType[str, str]):
    """Trait holding a loss-axis scale (``"linear"``, ``"log"`` or ``"auto"``)."""

    default_value = "auto"
    info_text = "one of 'linear', 'log', 'auto'"

    def validate(self, obj: Any, value: Any) -> str:
        owner = type(obj).__name__ if obj is not None else "scale"
        return check_scale(value, owner)


def scale_trait() -> LossScale:
    """The synced ``scale`` trait of a view (default ``"auto"``)."""
    return LossScale(
        help="loss-axis scale: 'linear', 'log' or 'auto' (log when the losses span more than "
        "two decades; a shifted log when some are <= 0)"
    ).tag(sync=True)


def dynamic_range(vmin: float, vmax: float) -> float:
    """``1 + (vmax - vmin) / |vmin|``: ``vmax / vmin`` for positive values, ``inf`` at 0."""
    return math.inf if vmin == 0 else 1.0 + (vmax - vmin) / abs(vmin)


def resolve_scale(scale: str, vmin: float, vmax: float) -> str:
    """The kind ``scale`` resolves to for values in ``[vmin, vmax]``: ``"linear"``, ``"log"``
    or ``"shifted-log"`` (see the module docstring).

    Raises:
        ScaleError: if ``scale`` is not one of ``SCALES``.
    """
    check_scale(scale)
    finite = math.isfinite(vmin) and math.isfinite(vmax)
    if scale == "linear" or not finite or not vmax > vmin:
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
    (``log10(v - L0)``), so contour bands match the other views' log axes.

    Example:
        >>> log_edges(1.0, 100.0, 2).round(6).tolist()
        [1.0, 10.0, 100.0]
    """
    if vmax <= vmin:
        return np.linspace(vmin, vmin + 1.0, n + 1)
    offset = log_offset(vmin, vmax)
    edges = offset + np.geomspace(vmin - offset, vmax - offset, n + 1)
    edges[0], edges[-1] = vmin, vmax
    return edges
