"""Landscape-profile geometry of small trees, every number computed by hand (see conftest)."""

import numpy as np
import pytest

from landscape_widgets.layout import landscape_profile

from .conftest import NESTED, NESTED_LEVELS


def rects_of(profile, basin):
    sel = profile.rect_basin == basin
    return (profile.rect_x0[sel] * profile.n_points, profile.rect_x1[sel] * profile.n_points,
            profile.rect_y0[sel], profile.rect_y1[sel])


def test_nested_basins_and_sizes(nested_tree):
    p = landscape_profile(nested_tree, levels=NESTED_LEVELS)
    assert p.basin_ids.tolist() == [0, 6, 2, 4]  # drawing order: ascending minimum
    assert p.basin_parent.tolist() == [-1, 0, 0, 2]
    assert p.basin_size.tolist() == [4, 1, 2, 1]
    assert p.basin_subtree_size.tolist() == [8, 1, 3, 1]
    assert p.basin_mean_loss.tolist() == [3.5, 0.5, 1.5, 1.5]
    assert p.basin_min.tolist() == [0.0, 0.5, 1.0, 1.5]
    assert p.basin_death.tolist() == [6.0, 5.0, 3.0, 2.0]
    assert p.basin_depth.tolist() == [np.inf, 4.5, 2.0, 0.5]
    assert (p.y_min, p.y_max, p.n_points, p.n_nonfinite) == (0.0, 6.0, 8, 0)


def test_nested_rectangles(nested_tree):
    # widths in points: A is every point <= each band top: 3, 5, 6, 6, 7, 8, centred on 4;
    # D (left child) hugs A's left edge; B (right child) its right edge; C B's right edge.
    p = landscape_profile(nested_tree, levels=NESTED_LEVELS)
    x0, x1, y0, y1 = rects_of(p, 0)
    assert x0.tolist() == [2.5, 1.5, 1.0, 1.0, 0.5, 0.0]
    assert x1.tolist() == [5.5, 6.5, 7.0, 7.0, 7.5, 8.0]
    assert y0.tolist() == [0, 1, 2, 3, 4, 5] and y1.tolist() == [1, 2, 3, 4, 5, 6]
    x0, x1, y0, y1 = rects_of(p, 6)  # D
    assert x0.tolist() == [2.5, 1.5, 1.0, 1.0, 0.5]
    assert x1.tolist() == [3.5, 2.5, 2.0, 2.0, 1.5]
    assert y0.tolist() == [0.5, 1, 2, 3, 4] and y1.tolist() == [1, 2, 3, 4, 5]
    # B's minimum sits exactly on the edge 1: no zero-height rectangle below it
    x0, x1, y0, y1 = rects_of(p, 2)
    assert (x0.tolist(), x1.tolist(), y0.tolist(), y1.tolist()) == (
        [3.5, 4.0], [6.5, 7.0], [1.0, 2.0], [2.0, 3.0])
    x0, x1, y0, y1 = rects_of(p, 4)  # C
    assert (x0.tolist(), x1.tolist(), y0.tolist(), y1.tolist()) == ([5.5], [6.5], [1.5], [2.0])
    assert p.rect_band.tolist() == [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 1, 2, 1]


def test_nested_markers(nested_tree):
    p = landscape_profile(nested_tree, levels=NESTED_LEVELS)
    # each minimum at the centre of its own points in its lowest drawn band
    assert (p.minima_x * 8).tolist() == [4.0, 3.0, 4.5, 6.0]
    assert p.minima_y.tolist() == [0.0, 0.5, 1.0, 1.5]
    assert p.minima_basin.tolist() == [0, 6, 2, 4]
    # saddles on the inner edge of the dying basin's top: D left (its right edge), B and C right
    assert p.saddle_basin.tolist() == [6, 2, 4]
    assert p.saddle_vertex.tolist() == [5, 1, 3]
    assert p.saddle_y.tolist() == [5.0, 3.0, 2.0]
    assert (p.saddle_x * 8).tolist() == [1.5, 4.0, 5.5]


def test_nested_polygon_is_the_stair_outline(nested_tree):
    p = landscape_profile(nested_tree, levels=NESTED_LEVELS)
    x, y = p.polygon(3)  # C: one rectangle, counter-clockwise from the bottom right
    assert (x * 8).tolist() == [6.5, 6.5, 5.5, 5.5]
    assert y.tolist() == [1.5, 2.0, 2.0, 1.5]
    x, y = p.polygon(2)  # B: right edges up, left edges down
    assert (x * 8).tolist() == [6.5, 6.5, 7.0, 7.0, 4.0, 4.0, 3.5, 3.5]
    assert y.tolist() == [1.0, 2.0, 2.0, 3.0, 3.0, 2.0, 2.0, 1.0]
    assert p.polygon_offsets.tolist() == [0, 24, 44, 52, 56]


def test_star_three_branches_die_at_one_saddle(star_tree):
    p = landscape_profile(star_tree, levels=np.array([1.0, 5.0, 9.0]))
    assert p.basin_ids.tolist() == [1, 3, 5, 7]
    assert p.basin_size.tolist() == [6, 1, 1, 1]
    # children ranked by minimum at the shared saddle: 3 right (inner), 5 left, 7 right (outer)
    assert (p.rect_x0 * 9).tolist() == pytest.approx([2.0, 0.0, 5.0, 2.0, 6.0], abs=1e-12)
    assert (p.rect_x1 * 9).tolist() == pytest.approx([7.0, 9.0, 6.0, 3.0, 7.0], abs=1e-12)
    assert p.rect_y0.tolist() == [1.0, 5.0, 2.0, 3.0, 4.0]
    assert p.rect_y1.tolist() == [5.0, 9.0, 5.0, 5.0, 5.0]
    assert p.saddle_vertex.tolist() == [4, 4, 4]
    assert p.saddle_basin.tolist() == [3, 5, 7]
    assert (p.saddle_x * 9).tolist() == pytest.approx([5.0, 3.0, 6.0], abs=1e-12)
    assert (p.minima_x * 9).tolist() == pytest.approx([4.0, 5.5, 2.5, 6.5], abs=1e-12)


def test_max_basins_folds_the_least_persistent(nested_tree):
    # persistence: D 4.5, B 2, C 0.5; keeping 2 keeps A and D, B and C fold into A
    p = landscape_profile(nested_tree, max_basins=2, levels=NESTED_LEVELS)
    assert p.basin_ids.tolist() == [0, 6]
    assert p.basin_size.tolist() == [7, 1]
    assert p.basin_mean_loss[0] == pytest.approx((0 + 3 + 1 + 2 + 1.5 + 5 + 6) / 7)
    assert p.saddle_basin.tolist() == [6]
    x0, x1, _, _ = rects_of(p, 0)
    assert x0.tolist() == [2.5, 1.5, 1.0, 1.0, 0.5, 0.0]  # the outline does not change


def test_levels_quantise_heights(nested_tree):
    p = landscape_profile(nested_tree, levels=1)  # one band: every basin one rectangle
    assert p.levels.tolist() == [0.0, 6.0]
    assert p.rect_basin.tolist() == [0, 6, 2, 4]
    assert (p.rect_x1 - p.rect_x0).tolist() == [1.0, 1 / 8, 3 / 8, 1 / 8]
    assert p.rect_y0.tolist() == p.basin_min.tolist()
    assert p.rect_y1.tolist() == p.basin_death.tolist()
    # quantile edges put two of the 8 points in each band
    q = landscape_profile(nested_tree, levels=4, spacing="quantile")
    assert q.levels.tolist() == [0.0, *np.quantile(NESTED, [0.25, 0.5, 0.75]).tolist(), 6.0]
