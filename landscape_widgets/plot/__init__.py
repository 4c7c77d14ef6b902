"""Figures for scripts and papers, with matplotlib: ``lw.plot.contour``, ``surface``, ``curve``,
``profile``, ``merge_tree``, ``barcode`` and ``persistence_diagram``.

Each function draws into ``ax`` (a new constrained-layout figure when None) and returns the Axes,
without ``plt.show()``, so figures compose with ``plt.subplots`` and save with
``fig.savefig``. The tree figures draw the same ``landscape_widgets.layout`` geometry as the
widgets; loss axes and colours follow the widgets' ``scale`` rule (``"auto"``: log when the
losses span more than two decades). matplotlib is an optional extra
(``pip install landscape-widgets[plot]``), imported only when ``lw.plot`` is first used.

Example:
    >>> import matplotlib.pyplot as plt
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lw.examples.himmelblau, resolution=41, extent=5.0)
    >>> tree = lw.merge_tree(land)
    >>> fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
    >>> _ = lw.plot.contour(land, tree, ax=a), lw.plot.profile(tree, ax=b)
"""

from __future__ import annotations

try:
    import matplotlib  # noqa: F401
except ImportError as exc:  # a plain install: say which extra brings it
    raise ImportError(
        "lw.plot needs matplotlib: pip install 'landscape-widgets[plot]' (or pip install "
        "matplotlib)"
    ) from exc

from .grid import contour, curve, surface
from .topology import barcode, merge_tree, persistence_diagram, profile

__all__ = ["barcode", "contour", "curve", "merge_tree", "persistence_diagram", "profile",
           "surface"]
