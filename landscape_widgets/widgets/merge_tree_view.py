"""MergeTreeView: the merge tree (join tree) of a landscape.

y = loss; leaves are minima (red), inner nodes saddles (orange), branches elbow lines. Clicking a
node or a branch selects its basin; shift adds to the selection.

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1) + p[:, 0] ** 4, resolution=21)
    >>> view = lw.MergeTreeView(lw.merge_tree(land), landscape=land)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import ClassVar

from ._tree_base import TreeViewBase


class MergeTreeView(TreeViewBase):
    """The merge tree (join tree) of a landscape.

    y = loss; leaves are minima (red), inner nodes saddles (orange), branches elbow lines.
    Clicking a node or a branch selects its basin; shift adds to the selection.

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

    _bundle: ClassVar[str] = "merge_tree_view"
