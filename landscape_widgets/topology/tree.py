"""The merge tree (join tree) of sublevel sets, as plain arrays.

Conventions (shared by every later stage):

- Vertices are swept in ascending ``(sweep value, vertex id)`` order: ties are broken by id
  (simulation of simplicity), so a plateau has exactly one lowest vertex.
- NaN counts as ``+inf`` in the sweep (and is flagged in ``nonfinite``); ``+inf`` vertices enter
  last, after every finite vertex; ``-inf`` enters first. A pair can therefore have an infinite
  death (components only joined through divergent points) or an infinite persistence.
- Minima are leaves; a vertex where k >= 2 components meet is one saddle node with k children.
  The elder rule pairs each younger minimum with the saddle where its component dies.
- ``direction="super"`` (the super-level or split tree) sweeps the same total order backwards:
  descending ``(sweep value, vertex id)``. It is the merge tree of −f (exactly, where values are
  distinct; on plateaus ties go by *descending* id so that the sub- and super-level trees of one
  field share one total order, as the contour tree needs), reported in f's units: its "minima"
  are the maxima of f, its saddles are split saddles, and its pairs read (birth = f(maximum),
  death = f(saddle)) with birth >= death; ``persistence`` is birth − death, still >= 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .._checks import real


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def index_of(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Position of each of ``ids`` in ``sorted_ids`` (an array of distinct ids, any order)."""
    sorter = np.argsort(sorted_ids, kind="stable")
    return sorter[np.searchsorted(sorted_ids, ids, sorter=sorter)]


DIRECTIONS = ("sub", "super")


def check_direction(direction: object) -> str:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction: expected 'sub' or 'super', got {direction!r}")
    return str(direction)


def sweep_sort(vertex_ids: np.ndarray, sweep_values: np.ndarray,
               direction: str = "sub") -> np.ndarray:
    """``vertex_ids`` in sweep order: ascending by (sweep value, id), reversed for "super"."""
    vertex_ids = np.asarray(vertex_ids, dtype=np.int64)
    ordered = vertex_ids[np.lexsort((vertex_ids, sweep_values[vertex_ids]))]
    return ordered[::-1].copy() if direction == "super" else ordered


@dataclass(frozen=True, eq=False)
class MergeTree:
    """Merge tree of the sublevel sets (or, with ``direction="super"``, of the superlevel sets)
    of a scalar field on a graph (grid or scattered points).

    For a super-level tree read "minimum" as maximum, "lowest" as highest and "up" as down in
    what follows; values stay in the field's units (see the module docstring).

    Attributes:
        values: ``(N,)`` input values per vertex, flat C order (NaN kept as given).
        sweep_values: ``(N,)`` values used in the sweep (NaN -> +inf).
        nonfinite: ``(N,)`` True where the input was NaN or ±inf.
        shape: grid shape when built from a grid, else None.
        minima: ``(m,)`` vertex ids sorted by (value, id); ``minima[0]`` is the global minimum.
        saddles: ``(s,)`` vertex ids of join saddles sorted by (value, id).
        node_vertex: ``(m+s,)`` tree nodes: minima (same order) then saddles (same order).
        node_parent: ``(m+s,)`` index of the parent node (next saddle up), -1 for roots.
        basins: ``(N,)`` per vertex, the vertex id of the minimum whose branch it belongs to.
        pairs: ``(m-1, 2)`` (birth, death) by the elder rule; row i belongs to ``minima[i+1]``.
        death_saddle: ``(m,)`` vertex id of the saddle where each branch dies; -1 if it never
            dies (the global minimum, or the lowest minimum of another connected component).
        parent_minimum: ``(m,)`` vertex id of the minimum of the branch it merges into, or -1.
        direction: "sub" (sublevel sets, the default) or "super" (superlevel sets).

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.topology import merge_tree
        >>> tree = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))
        >>> tree.minima.tolist(), tree.saddles.tolist(), tree.pairs.tolist()
        ([0, 4, 2], [1, 3], [[0.5, 3.0], [1.0, 2.0]])
        >>> tree.node_parent.tolist(), tree.basins.tolist()
        ([3, 4, 3, 4, -1], [0, 0, 2, 0, 4])
    """

    values: np.ndarray
    sweep_values: np.ndarray
    nonfinite: np.ndarray
    shape: tuple[int, ...] | None
    minima: np.ndarray
    saddles: np.ndarray
    node_vertex: np.ndarray
    node_parent: np.ndarray
    basins: np.ndarray
    pairs: np.ndarray
    death_saddle: np.ndarray
    parent_minimum: np.ndarray
    direction: str = "sub"

    def __post_init__(self) -> None:
        check_direction(self.direction)
        for name in ("values", "sweep_values", "nonfinite", "minima", "saddles", "node_vertex",
                     "node_parent", "basins", "pairs", "death_saddle", "parent_minimum"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    # ------------------------------------------------------------------ sizes
    @property
    def n_vertices(self) -> int:
        return self.values.size

    @property
    def n_minima(self) -> int:
        return self.minima.size

    @property
    def n_saddles(self) -> int:
        return self.saddles.size

    @property
    def n_nodes(self) -> int:
        return self.node_vertex.size

    # ------------------------------------------------------------------ persistence
    @property
    def is_super(self) -> bool:
        """True for a super-level (split) tree."""
        return self.direction == "super"

    @property
    def persistence(self) -> np.ndarray:
        """``(m-1,)`` |death − birth| of each pair: death − birth for a sublevel tree, birth −
        death for a super-level one (0 where both are the same infinity)."""
        birth, death = self.pairs[:, 0], self.pairs[:, 1]
        with np.errstate(invalid="ignore"):
            gap = birth - death if self.is_super else death - birth
            return np.where(death == birth, 0.0, gap)

    def persistence_diagram(self, essential: bool = False) -> np.ndarray:
        """0-dim persistence diagram as ``(k, 2)`` (birth, death) rows, rows in ``minima[1:]``
        order. With ``essential=True`` the global minimum's class is prepended as
        ``(min, inf)``, as gudhi reports it; for a super-level tree, the global maximum's as
        ``(max, -inf)``."""
        if not essential:
            return self.pairs.copy()
        never = -np.inf if self.is_super else np.inf
        first = np.array([[self.sweep_values[self.minima[0]], never]])
        return np.concatenate([first, self.pairs])

    # ------------------------------------------------------------------ branches
    @cached_property
    def basin_index(self) -> np.ndarray:
        """``(N,)`` per vertex, the index into ``minima`` of its branch (``basins`` as indices)."""
        return _readonly(index_of(self.minima, self.basins))

    def branch_sizes(self) -> np.ndarray:
        """``(m,)`` number of vertices in each minimum's branch (basin), in ``minima`` order."""
        return np.bincount(self.basin_index, minlength=self.n_minima).astype(np.int64)

    @property
    def node_values(self) -> np.ndarray:
        """``(m+s,)`` sweep value of each tree node."""
        return self.sweep_values[self.node_vertex]

    def simplify(self, min_persistence: float) -> MergeTree:
        """A simpler tree: every branch with persistence < ``min_persistence`` is merged into
        the branch it dies into (transitively), its vertices relabelled, and saddles that no
        longer join two surviving branches become regular. Surviving pairs are unchanged
        (an elder-rule parent is never less persistent than its child, so survivors' parents
        survive).

        Example:
            >>> import numpy as np
            >>> from landscape_widgets.topology import merge_tree
            >>> simple = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5])).simplify(1.5)
            >>> simple.minima.tolist(), simple.saddles.tolist(), simple.basins.tolist()
            ([0, 4], [3], [0, 0, 0, 0, 4])
        """
        threshold = real("min_persistence", min_persistence)
        if np.isnan(threshold):
            raise ValueError("min_persistence: expected a number, got NaN")
        keep = np.ones(self.n_minima, dtype=bool)
        keep[1:] = ~(self.persistence < threshold)
        if keep.all():
            return self
        parent_index = np.full(self.n_minima, -1, dtype=np.int64)
        has_parent = self.parent_minimum >= 0
        parent_index[has_parent] = index_of(self.minima, self.parent_minimum[has_parent])
        survivor = np.where(keep, np.arange(self.n_minima), parent_index)
        while True:  # pointer jumping to the surviving ancestor; parents are always older
            nxt = np.where(keep[survivor], survivor, survivor[survivor])
            if np.array_equal(nxt, survivor):
                break
            survivor = nxt
        basins = self.minima[survivor[self.basin_index]]
        return assemble(
            self.values, self.sweep_values, self.nonfinite, self.shape,
            minima=self.minima[keep], death_saddle=self.death_saddle[keep],
            parent_minimum=self.parent_minimum[keep], basins=basins, direction=self.direction,
        )

    def __repr__(self) -> str:
        grid = f", shape={self.shape}" if self.shape is not None else ""
        kind = ", direction='super'" if self.is_super else ""
        return (
            f"MergeTree(n_vertices={self.n_vertices}{grid}{kind}, n_minima={self.n_minima}, "
            f"n_saddles={self.n_saddles}, non-finite={int(self.nonfinite.sum())})"
        )


def assemble(
    values: np.ndarray,
    sweep_values: np.ndarray,
    nonfinite: np.ndarray,
    shape: tuple[int, ...] | None,
    minima: np.ndarray,
    death_saddle: np.ndarray,
    parent_minimum: np.ndarray,
    basins: np.ndarray,
    direction: str = "sub",
) -> MergeTree:
    """Build the tree's nodes, parent links and pairs from what the sweep decides.

    Everything else follows from the minima (in sweep order), where each dies and into whom,
    and the per-vertex branch labels: the saddles are the distinct death saddles; going up a
    branch, a minimum's parent is the lowest saddle on its branch (a saddle lies on the branch
    of the minimum it is labelled with, i.e. the survivor), each saddle's parent is the next
    saddle on that branch, and the branch's last saddle leads to the branch's death saddle.
    For ``direction="super"``, "up" is the descending sweep order.
    """
    minima = np.asarray(minima, dtype=np.int64)
    death_saddle = np.asarray(death_saddle, dtype=np.int64)
    m = minima.size
    saddles = sweep_sort(np.unique(death_saddle[death_saddle >= 0]), sweep_values, direction)
    s = saddles.size
    # branch (index into minima) of each saddle, and each branch's death saddle as node index
    saddle_branch = index_of(minima, basins[saddles]) if s else np.zeros(0, np.int64)
    branch_death_node = np.full(m, -1, dtype=np.int64)
    dies = death_saddle >= 0
    branch_death_node[dies] = m + index_of(saddles, death_saddle[dies])
    # saddles grouped by branch, ascending within a branch (saddles are already sorted)
    by_branch = np.lexsort((np.arange(s), saddle_branch))
    grouped_branch = saddle_branch[by_branch]
    saddle_parent = np.empty(s, dtype=np.int64)
    if s:
        next_node = np.empty(s, dtype=np.int64)
        next_node[:-1] = m + by_branch[1:]
        last_in_branch = np.ones(s, dtype=bool)
        last_in_branch[:-1] = grouped_branch[1:] != grouped_branch[:-1]
        next_node[last_in_branch] = branch_death_node[grouped_branch[last_in_branch]]
        saddle_parent[by_branch] = next_node
    minimum_parent = branch_death_node.copy()
    if s:
        first_in_branch = np.ones(s, dtype=bool)
        first_in_branch[1:] = grouped_branch[1:] != grouped_branch[:-1]
        minimum_parent[grouped_branch[first_in_branch]] = m + by_branch[first_in_branch]
    births = sweep_values[minima[1:]]
    never = -np.inf if direction == "super" else np.inf
    deaths = np.where(dies[1:], sweep_values[np.maximum(death_saddle[1:], 0)], never)
    return MergeTree(
        values=values,
        sweep_values=sweep_values,
        nonfinite=nonfinite,
        shape=shape,
        minima=minima,
        saddles=saddles,
        node_vertex=np.concatenate([minima, saddles]),
        node_parent=np.concatenate([minimum_parent, saddle_parent]),
        basins=np.asarray(basins, dtype=np.int64),
        pairs=np.stack([births, deaths], axis=1).reshape(-1, 2),
        death_saddle=death_saddle,
        parent_minimum=np.asarray(parent_minimum, dtype=np.int64),
        direction=direction,
    )
