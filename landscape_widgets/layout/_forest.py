"""The drawable branch forest shared by the profile, the tree layout and the barcode.

A :class:`MergeTree` describes every branch (one per minimum), including branches made only of
NaN/±inf vertices. Drawing needs a cleaned-up view of it, built once here:

- **drawable basins**: branches with at least one finite vertex (a branch born at +inf holds only
  non-finite vertices; it has no height and no width to draw);
- **forest parent**: the nearest drawable ancestor (normally the elder-rule parent itself);
- **max_basins**: the most persistent basins are kept, the others folded into their nearest kept
  ancestor (the same relabelling as ``MergeTree.simplify``, but by count instead of threshold);
- **sides**: the children of a basin are ranked by death value (rank 0 dies lowest) and alternate
  right (even ranks) / left (odd ranks) of the parent's own points, so the lowest-dying child is
  innermost and always merges next to its parent's core.

Basins are stored in ``tree.minima`` order (ascending minimum value), so a parent always comes
before its children: this is the drawing (painter's) order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..topology.tree import MergeTree, index_of


@dataclass(frozen=True, eq=False)
class Forest:
    """Kept, drawable basins of a merge tree (internal; see the module docstring)."""

    tree: MergeTree
    index: np.ndarray         # (k,) index into tree.minima, ascending (drawing order)
    parent: np.ndarray        # (k,) forest index of the enclosing basin, -1 for roots
    birth: np.ndarray         # (k,) sweep value of the minimum
    death: np.ndarray         # (k,) sweep value of the death saddle, +inf for roots
    death_saddle: np.ndarray  # (k,) vertex id of the death saddle, -1 for roots
    side: np.ndarray          # (k,) -1 left / +1 right of the parent's core (roots: +1)
    rank: np.ndarray          # (k,) rank among siblings by (death, saddle id, minimum order)
    minimum_basin: np.ndarray  # (m,) per tree minimum, the forest index its points go to
    y_min: float              # smallest finite value
    y_max: float              # largest finite value
    n_finite: int

    @property
    def ids(self) -> np.ndarray:
        """(k,) vertex id of each basin's minimum."""
        return self.tree.minima[self.index]

    @property
    def size(self) -> int:
        return int(self.index.size)

    def finite_points(self) -> tuple[np.ndarray, np.ndarray]:
        """Values and forest basin of the finite vertices (the only per-vertex work)."""
        tree = self.tree
        if self.n_finite == tree.n_vertices:
            return tree.values, self.minimum_basin[tree.basin_index]
        finite = ~tree.nonfinite
        return tree.values[finite], self.minimum_basin[tree.basin_index[finite]]

    def clamp(self, values: np.ndarray) -> np.ndarray:
        """Values clipped to the finite range, so ±inf births/deaths become drawable."""
        return np.clip(values, self.y_min, self.y_max)


def freeze(obj: object) -> None:
    """Make every array field of a result read-only: results are values, safe to share."""
    for value in vars(obj).values():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)


def check_tree(tree: object, caller: str) -> MergeTree:
    if not isinstance(tree, MergeTree):
        raise TypeError(
            f"{caller}: expected a MergeTree (from lw.merge_tree), received {type(tree).__name__}"
        )
    if getattr(tree, "direction", "sub") != "sub":  # its heights run downwards
        raise ValueError(
            f"{caller}: draws sublevel merge trees (basins around minima); got a super-level "
            "tree (direction='super'). Draw the maxima as the basins of -f: "
            "lw.merge_tree(-land.values)"
        )
    return tree


def check_count(value: object, name: str, caller: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{caller}: {name} expected None or an integer >= 1, received {value!r}")
    return int(value)


def nearest_kept(parent: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Per node, the nearest node at or above it (following ``parent``) with ``keep``; -1 if
    none. Pointer jumping: log2(depth) vectorised passes instead of a walk per node."""
    up = np.where(keep, np.arange(parent.size), parent)
    while True:
        nxt = np.where(up >= 0, up[np.maximum(up, 0)], -1)
        nxt = np.where((up >= 0) & keep[np.maximum(up, 0)], up, nxt)
        if np.array_equal(nxt, up):
            return up
        up = nxt


def build_forest(tree: MergeTree, max_basins: int | None, caller: str) -> Forest:
    """The drawable basins of ``tree``, at most ``max_basins`` of them (plus any extra roots)."""
    n_finite = int(tree.n_vertices - np.count_nonzero(tree.nonfinite))
    if n_finite == 0:
        raise ValueError(
            f"{caller}: expected at least one finite value, received {tree.n_vertices} values "
            "that are all NaN or ±inf"
        )
    finite_values = tree.values if n_finite == tree.n_vertices else tree.values[~tree.nonfinite]
    y_min, y_max = float(finite_values.min()), float(finite_values.max())
    m = tree.n_minima
    birth_all = tree.sweep_values[tree.minima]
    # a branch born at a finite value holds its finite minimum; one born at +inf holds only
    # non-finite points; only a branch born at -inf needs a look at its points
    drawable = np.isfinite(birth_all)
    if np.any(birth_all == -np.inf):
        finite = ~tree.nonfinite
        drawable |= np.bincount(tree.basin_index[finite], minlength=m) > 0
    tree_parent = np.full(m, -1, dtype=np.int64)
    merges = tree.parent_minimum >= 0
    tree_parent[merges] = index_of(tree.minima, tree.parent_minimum[merges])
    # nearest drawable strict ancestor (a drawable branch never sits below a non-drawable one
    # except through +inf saddles, so this is nearly always the elder-rule parent itself)
    up = nearest_kept(tree_parent, drawable)
    forest_parent = np.where(tree_parent >= 0, up[np.maximum(tree_parent, 0)], -1)

    death_all = np.where(
        (forest_parent >= 0) & (tree.death_saddle >= 0),
        tree.sweep_values[np.maximum(tree.death_saddle, 0)],
        np.inf,
    )
    keep = drawable.copy()
    if max_basins is not None and int(drawable.sum()) > max_basins:
        # rank: roots first, then persistence descending, then minimum order. A child never
        # outlives nor predates its parent (parent persistence >= child's, ties resolved by
        # minimum order), so the kept set is closed under taking parents.
        with np.errstate(invalid="ignore"):
            persistence = np.nan_to_num(death_all - birth_all, nan=np.inf)
        is_root = forest_parent < 0
        candidates = np.flatnonzero(drawable)
        order = candidates[
            np.lexsort((candidates, -persistence[candidates], ~is_root[candidates]))
        ]
        n_keep = max(max_basins, int((is_root & drawable).sum()))
        keep = np.zeros(m, dtype=bool)
        keep[order[:n_keep]] = True
    rep = nearest_kept(forest_parent, keep)  # ancestor-or-self that is kept
    rep = np.where(keep, np.arange(m), rep)

    index = np.flatnonzero(keep)
    position = np.full(m, -1, dtype=np.int64)
    position[index] = np.arange(index.size)
    fp = forest_parent[index]
    parent = np.where(fp >= 0, position[rep[np.maximum(fp, 0)]], -1)
    death = np.where(parent >= 0, death_all[index], np.inf)
    death_saddle = np.where(parent >= 0, tree.death_saddle[index], -1)

    minimum_basin = np.where(rep >= 0, position[np.maximum(rep, 0)], -1)

    # siblings (roots form one group) ranked by death: innermost = lowest death
    order = np.lexsort((np.arange(index.size), death_saddle, death, parent))
    grouped = parent[order]
    first = np.ones(index.size, dtype=bool)
    first[1:] = grouped[1:] != grouped[:-1]
    group_start = np.maximum.accumulate(np.where(first, np.arange(index.size), 0))
    rank = np.empty(index.size, dtype=np.int64)
    rank[order] = np.arange(index.size) - group_start
    side = np.where((parent >= 0) & (rank % 2 == 1), -1, 1)

    return Forest(
        tree=tree, index=index, parent=parent, birth=birth_all[index], death=death,
        death_saddle=death_saddle, side=side, rank=rank, minimum_basin=minimum_basin,
        y_min=y_min, y_max=y_max, n_finite=n_finite,
    )


def path_sum(offset: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Per node, the sum of ``offset`` over the node and all its ancestors (pointer jumping:
    log2(depth) vectorised passes)."""
    total = np.array(offset, dtype=np.float64, copy=True)
    up = parent.copy()
    while True:
        has = np.flatnonzero(up >= 0)
        if has.size == 0:
            return total
        total[has] += total[up[has]]  # every read happens before the write
        up[has] = up[up[has]]


def pack(forest: Forest, width: np.ndarray) -> np.ndarray:
    """Left edge of every basin when each occupies ``width`` ((k,): the basin and everything
    nested in it) and children sit inside their parent as
    [left children, outermost first] [the parent's own part] [right children, innermost first].

    A left child starts after the left siblings dying above it; a right child ends where the
    right siblings dying at or above it begin. Roots are placed left to right from 0.
    """
    k = forest.size
    parent, side, rank = forest.parent, forest.side, forest.rank
    order = np.lexsort((-rank, side, parent))  # within (parent, side): outermost first
    w = width[order]
    padded = np.concatenate([[0.0], np.cumsum(w, dtype=np.float64)])
    g_parent, g_side = parent[order], side[order]
    first = np.ones(k, dtype=bool)
    first[1:] = (g_parent[1:] != g_parent[:-1]) | (g_side[1:] != g_side[:-1])
    start = np.maximum.accumulate(np.where(first, np.arange(k), 0))
    inclusive = padded[1:] - padded[start]  # this child plus its outer siblings on its side
    parent_width = np.where(g_parent < 0, width[parent < 0].sum(), width[np.maximum(g_parent, 0)])
    offset = np.empty(k, dtype=np.float64)
    offset[order] = np.where(g_side < 0, inclusive - w, parent_width - inclusive)
    return path_sum(offset, parent)


def subtree_counts(forest: Forest) -> np.ndarray:
    """(k,) number of basins in each basin's subtree (itself included)."""
    counts = [1] * forest.size
    parent = forest.parent.tolist()
    for i in range(forest.size - 1, -1, -1):  # children come after their parents
        if parent[i] >= 0:
            counts[parent[i]] += counts[i]
    return np.asarray(counts, dtype=np.int64)


def inorder(forest: Forest) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Left-to-right order of the basins' minima (left subtrees, the basin, right subtrees):
    per basin its position, the start of its subtree's block and the block's length (the
    number of basins in its subtree). Every subtree is one contiguous block."""
    counts = subtree_counts(forest)
    start = pack(forest, counts.astype(np.float64))
    left = forest.side < 0
    left_counts = np.bincount(
        forest.parent[left], weights=counts[left], minlength=forest.size
    )
    position = (start + left_counts).astype(np.int64)
    return position, start.astype(np.int64), counts


def subtree_sums(forest: Forest, own: np.ndarray) -> np.ndarray:
    """Per basin, ``own`` ((k,)) summed over its subtree, via prefix sums over the in-order."""
    position, start, counts = inorder(forest)
    sequence = np.empty(forest.size, dtype=np.int64)
    sequence[position] = np.arange(forest.size)
    padded = np.concatenate([np.zeros(1, dtype=own.dtype), np.cumsum(own[sequence])])
    return padded[start + counts] - padded[start]
