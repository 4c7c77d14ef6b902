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

from typing import Any, ClassVar

import traitlets

from ._tree_base import TreeViewBase

#: Profile colourings: each height band by its loss (lower = darker), or each basin by its
#: mean loss (the papers' colouring).
COLOR_BY = ("depth", "mean_loss")


class ProfileView(TreeViewBase):
    """The topological landscape profile (Oesterling et al. 2013) of a merge tree.

    One polygon per basin, nested at its saddles; its width at a loss v is the number of points
    of the basin below v (the browser stretches x so that a nested basin narrower than 8% of the
    width gets about that much, keeping the nesting: a basin of a few points stays visible). On
    a log ``scale`` the height bands are even on the log axis. A basin still shallower or
    narrower than 5 px gets a 5 px stub hanging from its merge saddle. Colour (``color_by``):
    ``"depth"`` (default) paints each height band by its loss, so lower is darker inside every
    basin; ``"mean_loss"`` paints each basin by its mean loss (the papers' colouring); a colour
    bar shows the map either way. Minima red, saddles orange; markers that would overlap move
    sideways within their basin or merge (``data-count``). Click a basin to select it; shift
    adds; a box drag selects every basin it touches. Double-click a basin to focus the profile
    on its subtree, click a saddle to see its enclosing basin below that merge; the breadcrumb
    above leads back. Works for any dimension (only the tree and the counts are used).

    Args:
        tree: a ``MergeTree`` (``lw.merge_tree(land)``).
        landscape: the tree's ``Landscape`` (optional), for coordinates in tooltips.
        scale: loss axis, ``"linear"``, ``"log"`` or ``"auto"`` (default: log when the losses
            span more than two decades).
        selection: a shared ``Selection`` to link with other views (default: a new one).
        color_by: ``"depth"`` (default) or ``"mean_loss"``.
        width, height: size in CSS pixels (the width shrinks to fit the container).

    Traits: ``scale`` (synced, see ``TreeViewBase``), ``selection``, ``width``, ``height`` and
    ``_data`` (see ``BaseView``).

    Raises:
        TypeError: if ``tree`` is not a merge tree, or for unknown keyword arguments.
        ValueError: if ``scale`` is not "linear", "log" or "auto", or ``color_by`` is not
            "depth" or "mean_loss".
    """

    _bundle: ClassVar[str] = "profile_view"
    _options: ClassVar[set[str]] = TreeViewBase._options | {"color_by"}

    color_by = traitlets.Unicode("depth", help="'depth' (band loss) or 'mean_loss'").tag(
        sync=True)

    @traitlets.validate("color_by")
    def _valid_color_by(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in COLOR_BY:
            raise ValueError(f"ProfileView: color_by expected one of {COLOR_BY}, "
                             f"received {value!r}")
        return value
