"""Base of the views drawn from a merge tree (tree, barcode, diagram, profile)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ._base import BaseView
from ._scale import scale_trait
from ._topology import check_tree_of, sample_points, topology_payload, validate_tree

if TYPE_CHECKING:  # pragma: no cover - types only; keeps the widgets free of torch
    from ..topology.tree import MergeTree


class TreeViewBase(BaseView):
    """A view of a ``MergeTree``; ``landscape`` (optional) gives tooltip coordinates.

    Subclasses choose what to pack with ``_parts`` (``profiles``, ``layouts``, ``barcode``).

    Traits:
        scale: the loss axis, ``"linear"``, ``"log"`` or ``"auto"`` (default; log when the
            losses span more than two decades, a labelled shifted log when some are <= 0; see
            :mod:`landscape_widgets.widgets._scale`). Any other value raises a ``ValueError``.
    """

    _parts: ClassVar[dict[str, bool]] = {}
    _options: ClassVar[set[str]] = {"landscape", "scale"}

    scale = scale_trait()

    def __init__(self, tree: MergeTree, **kwargs: Any) -> None:
        name = type(self).__name__
        validate_tree(tree, name)
        land = kwargs.pop("landscape", None)
        if land is not None:
            check_tree_of(tree, land, name)
        super().__init__(**kwargs)
        self.tree = tree
        axes = None if land is None else land.axes
        self._data = {"topology": topology_payload(tree, axes, points=sample_points(land),
                                                   **self._parts)}
