"""ProfileView: the topological landscape profile (Oesterling et al. 2013) of a merge tree.

One polygon per basin, nested at its saddles; its width at a loss v is the number of points of the
basin below v. Basins are coloured by their mean loss (darker blue = lower); minima red, saddles
orange. Click a basin to select it; shift adds; a box drag selects every basin it touches. Works for
any dimension (only the tree and the counts are used).

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1) + p[:, 0] ** 4, resolution=21)
    >>> view = lw.ProfileView(lw.merge_tree(land), landscape=land)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import ClassVar

from ._tree_base import TreeViewBase


class ProfileView(TreeViewBase):
    """The topological landscape profile (Oesterling et al. 2013) of a merge tree.

    One polygon per basin, nested at its saddles; its width at a loss v is the number of points
    of the basin below v (the browser stretches x so that a nested basin narrower than 8% of the
    width gets about that much, keeping the nesting: a basin of a few points stays visible). On
    a log ``scale`` the height bands are even on the log axis. Basins are coloured by their mean
    loss on the axis' scale (darker blue = lower); minima red, saddles orange. Click a basin to
    select it; shift adds; a box drag selects every basin it touches. Works for any dimension
    (only the tree and the counts are used).

    Args:
        tree: a ``MergeTree`` (``lw.merge_tree(land)``).
        landscape: the tree's ``Landscape`` (optional), for coordinates in tooltips.
        scale: loss axis, ``"linear"``, ``"log"`` or ``"auto"`` (default: log when the losses
            span more than two decades).
        selection: a shared ``Selection`` to link with other views (default: a new one).
        width, height: size in CSS pixels.

    Traits: ``scale`` (synced, see ``TreeViewBase``), ``selection``, ``width``, ``height`` and
    ``_data`` (see ``BaseView``).

    Raises:
        TypeError: if ``tree`` is not a merge tree, or for unknown keyword arguments.
        ValueError: if ``scale`` is not "linear", "log" or "auto".
    """

    _bundle: ClassVar[str] = "profile_view"
    _parts: ClassVar[dict[str, bool]] = {"profiles": True}
