"""Base of the views drawn from a merge tree (tree, barcode, diagram, profile)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ._base import BaseView
from ._scale import scale_trait
from ._topology import check_tree_of, validate_tree
from .topology_model import resolve_topology, topology_trait

if TYPE_CHECKING:  # pragma: no cover - types only; keeps the widgets free of torch
    from ..topology.tree import MergeTree


class TreeViewBase(BaseView):
    """A view of a ``MergeTree``; ``landscape`` (optional) gives tooltip coordinates.

    The tree travels once per landscape, in a shared :class:`TopologyModel` (``topology=``;
    a new one unless given): the browser decodes it once for every view that references it and
    computes what the view draws (profile, layout, barcode) at the current threshold.

    Traits:
        topology: the shared ``TopologyModel``.
        scale: the loss axis, ``"linear"``, ``"log"`` or ``"auto"`` (default; log when the
            losses span more than two decades, a labelled shifted log when some are <= 0; see
            :mod:`landscape_widgets.widgets._scale`). Any other value raises a ``ValueError``.
    """

    _options: ClassVar[set[str]] = {"landscape", "scale", "topology"}

    scale = scale_trait()
    topology = topology_trait()

    def __init__(self, tree: MergeTree, **kwargs: Any) -> None:
        name = type(self).__name__
        validate_tree(tree, name)
        land = kwargs.pop("landscape", None)
        if land is not None:
            check_tree_of(tree, land, name)
        kwargs["topology"] = resolve_topology(tree, kwargs.get("topology"), land, name)
        super().__init__(**kwargs)
        self.tree = tree
