"""Invariants of the landscape profile on random fields, checked against references computed
independently from the tree's arrays (and, for components, from scipy.ndimage.label)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage

from landscape_widgets.layout import landscape_profile
from landscape_widgets.topology import merge_tree

EPS = 1e-12


def kept_basin_of_vertices(tree, profile):
    """Per finite vertex, the drawn basin it counts for: its branch, or the nearest kept
    ancestor branch (walking parent_minimum); -1 for non-finite vertices (whose branch may
    have no drawn ancestor at all)."""
    kept = set(profile.basin_ids.tolist())
    parent = dict(zip(tree.minima.tolist(), tree.parent_minimum.tolist(), strict=True))
    up = {}
    for b in tree.minima.tolist():
        a = b
        while a != -1 and a not in kept:
            a = parent[a]
        up[b] = a
    out = np.array([up[b] for b in tree.basins.tolist()])
    return np.where(tree.nonfinite, -1, out)


def subtree_members(profile):
    parent = dict(zip(profile.basin_ids.tolist(), profile.basin_parent.tolist(), strict=True))
    members = {b: {b} for b in parent}
    for b in parent:
        a = parent[b]
        while a != -1:
            members[a].add(b)
            a = parent[a]
    return members


def check_profile(tree, p):
    n_finite = p.n_points - p.n_nonfinite
    assert p.n_nonfinite == int(tree.nonfinite.sum())
    vb = kept_basin_of_vertices(tree, p)
    values = tree.values
    ids = p.basin_ids.tolist()
    members = subtree_members(p)
    # every finite vertex counted once
    assert p.basin_size.sum() == n_finite
    assert p.basin_size.tolist() == [int((vb == b).sum()) for b in ids]
    assert p.basin_subtree_size.tolist() == [int(np.isin(vb, list(members[b])).sum())
                                             for b in ids]
    for i, b in enumerate(ids):
        own = values[vb == b]
        assert p.basin_mean_loss[i] == pytest.approx(own.mean())
    # y-extent: minimum value to death value (the finite top for the outermost)
    index = {b: i for i, b in enumerate(tree.minima.tolist())}
    clamp = lambda v: min(max(v, p.y_min), p.y_max)  # noqa: E731
    for i, b in enumerate(ids):
        j = index[b]
        assert p.basin_min[i] == clamp(tree.sweep_values[b])
        death = p.y_max if p.basin_parent[i] == -1 else clamp(tree.pairs[j - 1, 1])
        assert p.basin_death[i] == death
        sel = np.flatnonzero(p.rect_basin == b)
        assert sel.size >= 1 and np.all(np.diff(p.rect_band[sel]) == 1)  # one stack, no gaps
        assert p.rect_y0[sel[0]] == p.basin_min[i] and p.rect_y1[sel[-1]] == p.basin_death[i]
        # the top is as wide as the subtree
        top = p.rect_x1[sel[-1]] - p.rect_x0[sel[-1]]
        assert top == pytest.approx(p.basin_subtree_size[i] / n_finite, abs=EPS)
    # each rectangle inside its band; its width = subtree points <= the band's top
    band_top = p.levels[p.rect_band + 1]
    assert np.all(p.rect_y0 >= p.levels[p.rect_band]) and np.all(p.rect_y1 <= band_top)
    assert np.all(p.rect_y0 <= p.rect_y1)
    for r in range(p.rect_basin.size):
        inside = np.isin(vb, list(members[p.rect_basin[r]])) & (values <= band_top[r])
        assert (p.rect_x1[r] - p.rect_x0[r]) * n_finite == pytest.approx(inside.sum(), abs=1e-9)
    assert np.all(p.rect_x0 >= -EPS) and np.all(p.rect_x1 <= 1 + EPS)
    check_nesting(p)
    check_markers(p)
    check_polygons(p)


def check_nesting(p):
    """In each band, rectangles form a laminar family matching the basin tree: a child inside
    its parent, everything else disjoint."""
    members = subtree_members(p)
    parent = dict(zip(p.basin_ids.tolist(), p.basin_parent.tolist(), strict=True))
    for band in np.unique(p.rect_band):
        sel = np.flatnonzero(p.rect_band == band)
        by_basin = {p.rect_basin[r]: r for r in sel}
        for r in sel:
            b = p.rect_basin[r]
            if parent[b] != -1:
                q = by_basin[parent[b]]  # the parent is drawn wherever its child is
                assert p.rect_x0[q] - EPS <= p.rect_x0[r] and p.rect_x1[r] <= p.rect_x1[q] + EPS
            for s in sel:
                c = p.rect_basin[s]
                if c != b and c not in members[b] and b not in members[c]:
                    overlap = min(p.rect_x1[r], p.rect_x1[s]) - max(p.rect_x0[r], p.rect_x0[s])
                    assert overlap <= EPS


def check_markers(p):
    for i, b in enumerate(p.basin_ids):
        sel = np.flatnonzero(p.rect_basin == b)
        r = sel[0]
        x = p.minima_x[i]
        assert p.minima_y[i] == p.basin_min[i]
        assert p.rect_x0[r] - EPS <= x <= p.rect_x1[r] + EPS
        # in the basin's own colour: not covered by a child's rectangle of that band
        children = p.basin_ids[p.basin_parent == b]
        kids = np.flatnonzero(np.isin(p.rect_basin, children) & (p.rect_band == p.rect_band[r]))
        assert not np.any((p.rect_x0[kids] + EPS < x) & (x < p.rect_x1[kids] - EPS))
    for s, b in enumerate(p.saddle_basin):
        i = np.flatnonzero(p.basin_ids == b)[0]
        top = np.flatnonzero(p.rect_basin == b)[-1]
        assert p.saddle_y[s] == p.basin_death[i] and p.basin_parent[i] != -1
        assert p.saddle_x[s] in (p.rect_x0[top], p.rect_x1[top])
    assert sorted(p.saddle_basin.tolist()) == sorted(p.basin_ids[p.basin_parent != -1].tolist())


def check_polygons(p):
    """Each outline encloses exactly its rectangles' area (shoelace), counter-clockwise."""
    for i, b in enumerate(p.basin_ids):
        x, y = p.polygon(i)
        area = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)
        sel = p.rect_basin == b
        rect_area = np.sum((p.rect_x1[sel] - p.rect_x0[sel]) * (p.rect_y1[sel] - p.rect_y0[sel]))
        assert area == pytest.approx(rect_area, abs=1e-9)
        assert np.all(y >= p.basin_min[i]) and np.all(y <= p.basin_death[i])


small_ints = st.integers(0, 9).map(float)  # ties and plateaus
fields = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 7)),
                elements=st.one_of(small_ints, st.floats(-5, 5, allow_nan=False)))


@given(fields, st.sampled_from(["full", "axis"]), st.integers(1, 9))
def test_invariants_on_random_fields(values, connectivity, levels):
    tree = merge_tree(values, connectivity)
    check_profile(tree, landscape_profile(tree, levels=levels))


@given(fields, st.integers(1, 4), st.sampled_from(["linear", "quantile"]))
def test_invariants_with_max_basins(values, max_basins, spacing):
    tree = merge_tree(values, "axis")
    p = landscape_profile(tree, max_basins=max_basins, levels=5, spacing=spacing)
    assert p.n_basins == min(max_basins, tree.n_minima)
    check_profile(tree, p)
    # the kept basins are the most persistent ones
    persistence = np.concatenate([[np.inf], tree.persistence])
    dropped = ~np.isin(tree.minima, p.basin_ids)
    if dropped.any():
        assert persistence[~dropped].min() >= persistence[dropped].max()


nonfinite_fields = arrays(
    np.float64, st.tuples(st.integers(1, 5), st.integers(2, 6)),
    elements=st.sampled_from([0.0, 1.0, 2.5, 3.0, 7.0, np.nan, np.inf, -np.inf]),
).filter(lambda a: np.isfinite(a).any())


@given(nonfinite_fields, st.sampled_from(["full", "axis"]), st.sampled_from([None, 2]))
def test_nonfinite_vertices_are_counted_apart(values, connectivity, max_basins):
    tree = merge_tree(values, connectivity)
    p = landscape_profile(tree, max_basins=max_basins, levels=4)
    assert p.n_nonfinite == int((~np.isfinite(values)).sum())
    for name in ("polygon_x", "polygon_y", "rect_x0", "rect_x1", "minima_x", "saddle_x",
                 "saddle_y", "basin_mean_loss", "basin_min", "basin_death"):
        assert np.all(np.isfinite(getattr(p, name))), name
    check_profile(tree, p)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("connectivity", ["full", "axis"])
def test_visible_width_is_the_sublevel_component(seed, connectivity):
    """What shows of a basin just below a band top g (its rectangle minus the rectangles of its
    children still separate at g) is exactly the connected component of {f <= g} around its
    minimum (continuous values: no ties)."""
    values = np.random.default_rng(seed).random((9, 11))
    tree = merge_tree(values, connectivity)
    p = landscape_profile(tree, levels=7)
    structure = np.ones((3, 3)) if connectivity == "full" else None
    n = values.size
    for r in range(p.rect_basin.size):
        b, band = p.rect_basin[r], p.rect_band[r]
        g = p.levels[band + 1]
        i = np.flatnonzero(p.basin_ids == b)[0]
        if p.basin_death[i] <= g:  # dead (or dying exactly) at g: part of its parent there
            continue
        separate = p.basin_ids[(p.basin_parent == b) & (p.basin_death > g)]
        kids = np.isin(p.rect_basin, separate) & (p.rect_band == band)
        visible = (p.rect_x1[r] - p.rect_x0[r]) - np.sum(p.rect_x1[kids] - p.rect_x0[kids])
        labels, _ = ndimage.label(values <= g, structure=structure)
        component = labels == labels.flat[b]
        assert visible * n == pytest.approx(component.sum(), abs=1e-9)


def test_monotone_transform_keeps_x_and_shift_moves_y():
    values = np.random.default_rng(7).integers(0, 20, (6, 8)).astype(float)
    p = landscape_profile(merge_tree(values), levels=np.arange(0.0, 20.0))
    q = landscape_profile(merge_tree(values * 4 + 8), levels=np.arange(0.0, 20.0) * 4 + 8)
    for name in ("rect_x0", "rect_x1", "minima_x", "saddle_x", "polygon_x", "basin_size"):
        assert np.array_equal(getattr(p, name), getattr(q, name)), name
    assert np.array_equal(p.basin_ids, q.basin_ids)
    assert np.array_equal(p.rect_y0 * 4 + 8, q.rect_y0)
    assert np.array_equal(p.saddle_y * 4 + 8, q.saddle_y)


def test_max_basins_equals_simplify():
    values = np.random.default_rng(3).random((12, 12))
    tree = merge_tree(values)
    persistence = np.sort(tree.persistence)[::-1]
    k = 6  # keep the global minimum and the 5 most persistent pairs
    threshold = (persistence[k - 2] + persistence[k - 1]) / 2
    p = landscape_profile(tree, max_basins=k)
    q = landscape_profile(tree.simplify(threshold))
    for name in ("basin_ids", "basin_parent", "basin_size", "rect_x0", "rect_x1", "rect_y0",
                 "rect_y1", "minima_x", "saddle_x", "saddle_vertex", "polygon_x"):
        assert np.array_equal(getattr(p, name), getattr(q, name)), name


def test_any_dimension_and_scattered_points():
    rng = np.random.default_rng(11)
    grid = rng.random((5, 4, 6))
    tree = merge_tree(grid, "full")
    assert tree.n_minima > 2
    check_profile(tree, landscape_profile(tree, levels=6))
    points = rng.random((60, 3))
    scattered = merge_tree(points, (points ** 2).sum(1) + 0.3 * rng.random(60))
    assert scattered.shape is None
    check_profile(scattered, landscape_profile(scattered, levels=6))
