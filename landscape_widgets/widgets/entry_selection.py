"""EntrySelection: the shared, view-less model that links the views of a collection.

It plays for a ``LandscapeCollection`` the part :class:`Selection` plays for one landscape:
the gallery's heat map, its profile thumbnails and any number of ``MetricScatterView`` hold a
reference to the same ``EntrySelection``; in the browser each view listens to it and writes
brushing results into it, so linking needs no Python observers and works in a static HTML
export. (It is a separate model, not more traits on ``Selection``, because a collection view
selects *entries* while the views of one landscape select *basins*; an Explorer opened from a
gallery keeps its own basin ``Selection``.)

Example:
    >>> sel = EntrySelection()
    >>> sel.entries = ["lr=0.01_seed=0", "lr=0.01_seed=1"]
    >>> sel.active = "lr=0.01_seed=1"
"""

from __future__ import annotations

from typing import Any

import ipywidgets
import traitlets


class EntrySelection(ipywidgets.Widget):
    """Selected entries of a collection, shared by linked views.

    Traits:
        entries: ids of the selected entries (``Entry.id``), no duplicates; clicking a heat-map
            cell selects its entries, a box in a scatter the points inside it.
        active: the entry opened in the gallery's Explorer (a click on a profile), or None.
        hover: the entry under the mouse in any view (browser -> Python only), or None.

    Raises:
        TypeError: for unknown keyword arguments.
    """

    _model_name = traitlets.Unicode("WidgetModel").tag(sync=True)
    _model_module = traitlets.Unicode("@jupyter-widgets/base").tag(sync=True)

    entries = traitlets.List(traitlets.Unicode(), help="selected entry ids").tag(sync=True)
    active = traitlets.Unicode(None, allow_none=True, help="entry shown in the Explorer").tag(
        sync=True
    )
    hover = traitlets.Unicode(None, allow_none=True, help="entry under the mouse").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - {"entries", "active", "hover"})
        if unknown:
            raise TypeError(
                f"EntrySelection: unexpected keyword argument(s) {', '.join(unknown)}"
            )
        super().__init__(**kwargs)

    @traitlets.validate("entries")
    def _valid_entries(self, proposal: dict[str, Any]) -> list[str]:
        return list(dict.fromkeys(str(e) for e in proposal["value"]))

    def clear(self) -> None:
        """Deselect every entry (the active one stays open)."""
        self.entries = []

    def __repr__(self) -> str:
        return f"EntrySelection(entries={self.entries}, active={self.active!r})"
