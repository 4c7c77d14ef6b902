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

from typing import Any

import traitlets

# the rule itself lives in the layout stage, shared with lw.plot (numpy only)
from ..layout.loss_scale import (  # noqa: F401 - re-exported for the views and tests
    AUTO_DECADES,
    SCALES,
    SHIFT,
    dynamic_range,
    log_edges,
    log_offset,
    scale_kind,
)


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


def resolve_scale(scale: str, vmin: float, vmax: float) -> str:
    """The kind ``scale`` resolves to for values in ``[vmin, vmax]``: ``"linear"``, ``"log"``
    or ``"shifted-log"`` (see the module docstring).

    Raises:
        ScaleError: if ``scale`` is not one of ``SCALES``.
    """
    return scale_kind(check_scale(scale), vmin, vmax)
