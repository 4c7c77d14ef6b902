"""BarcodeView: the persistence barcode of a merge tree.

One bar per minimum from its birth (the minimum's loss) to its death (the saddle where it merges
into an older basin); the global minimum's bar is essential (drawn to the top, with an arrow). Bars
are sorted by birth. Click a bar to select its basin; shift adds; a box drag selects every bar it
touches.

Example:
    >>> import landscape_widgets as lw
    >>> land = lw.Landscape.from_function(lambda p: (p**2).sum(1) + p[:, 0] ** 4, resolution=21)
    >>> view = lw.BarcodeView(lw.merge_tree(land), landscape=land)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import ClassVar

from ._tree_base import TreeViewBase


class BarcodeView(TreeViewBase):
    """The persistence barcode of a merge tree.

    One bar per minimum from its birth (the minimum's loss) to its death (the saddle where it
    merges into an older basin); the global minimum's bar is essential (drawn to the top, with
    an arrow). Bars are sorted by birth. Click a bar to select its basin; shift adds; a box drag
    selects every bar it touches.

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

    _bundle: ClassVar[str] = "barcode_view"
