"""Barcode rows: one horizontal bar per basin, longest first, ready to draw.

A bar spans [birth, death] of its minimum's 0-dim class (elder rule). Classes that never die at a
finite value (the global minimum's, and any joined to the rest only through NaN/±inf points) are
*essential*: drawn up to ``y_max`` and listed first. Births/deaths are clipped to the finite range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..topology.tree import MergeTree
from ._forest import build_forest, check_count, check_tree, freeze


@dataclass(frozen=True, eq=False)
class BarcodeRows:
    """Bars of the 0-dim barcode, one per kept basin, in row order.

    Attributes:
        birth, death: ``(b,)`` drawn extent; ``death = y_max`` for essential bars.
        persistence: ``(b,)`` death − birth of the class (+inf when essential).
        essential: ``(b,)`` True for classes that never die at a finite value.
        basin: ``(b,)`` minimum vertex id of the bar.
        saddle: ``(b,)`` vertex id of the death saddle, -1 for essential bars.
        row: ``(b,)`` 0, 1, ...: sorted by persistence descending (row 0 = longest), ties by
            minimum (value, id) order.
        y_min, y_max: finite value range.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> bars = barcode_rows(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])))
        >>> bars.basin.tolist(), bars.birth.tolist(), bars.death.tolist(), bars.saddle.tolist()
        ([0, 4, 2], [0.0, 0.5, 1.0], [3.0, 3.0, 2.0], [-1, 3, 1])
    """

    birth: np.ndarray
    death: np.ndarray
    persistence: np.ndarray
    essential: np.ndarray
    basin: np.ndarray
    saddle: np.ndarray
    row: np.ndarray
    y_min: float
    y_max: float

    def __post_init__(self) -> None:
        freeze(self)

    @property
    def n_bars(self) -> int:
        return int(self.birth.size)


def barcode_rows(tree: MergeTree, max_bars: int | None = None) -> BarcodeRows:
    """Barcode rows of ``tree``; ``max_bars`` keeps only the most persistent bars.

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> barcode_rows(merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])), max_bars=2).row.tolist()
        [0, 1]
    """
    caller = "barcode_rows"
    forest = build_forest(check_tree(tree, caller), check_count(max_bars, "max_bars", caller),
                          caller)
    essential = ~np.isfinite(forest.death)
    with np.errstate(invalid="ignore"):
        persistence = np.where(essential, np.inf, forest.death - forest.birth)
    order = np.lexsort((np.arange(forest.size), -persistence))
    return BarcodeRows(
        birth=forest.clamp(forest.birth)[order],
        death=np.where(essential, forest.y_max, forest.clamp(forest.death))[order],
        persistence=persistence[order],
        essential=essential[order],
        basin=forest.ids[order],
        saddle=np.where(essential, -1, forest.death_saddle)[order],
        row=np.arange(forest.size),
        y_min=forest.y_min,
        y_max=forest.y_max,
    )
