"""Views of scattered landscapes: the contour raster against matplotlib's triangulation and a
brute-force nearest sample; the Explorer and the tree views accept scattered trees."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import qmc

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets import ContourView, Explorer, MergeTreeView, ProfileView


@pytest.fixture(scope="module")
def cloud():
    pts = qmc.scale(qmc.Sobol(d=2, scramble=True, seed=1).random_base2(9), [-5, -5], [5, 5])
    land = lw.Landscape.from_points(pts, lw.examples.himmelblau(pts), bounds=5.0)
    return land, lw.merge_tree(land)


def test_contour_raster_is_the_triangulated_field_and_nearest_basins(cloud):
    import matplotlib.tri as mtri

    land, tree = cloud
    view = ContourView(land, tree, levels=6)
    s = view._data["slice"]
    x, y, z = from_wire(s["x"]), from_wire(s["y"]), from_wire(s["z"])
    assert x[0] == -5 and x[-1] == 5 and z.shape == (len(y), len(x))
    gx, gy = np.meshgrid(x.astype(float), y.astype(float))
    tri = mtri.Triangulation(land.points[:, 0], land.points[:, 1])
    ref = mtri.LinearTriInterpolator(tri, land.values)(gx, gy).filled(np.nan)
    inside = np.isfinite(ref)
    assert inside.mean() > 0.9
    np.testing.assert_array_equal(np.isfinite(z), inside)
    np.testing.assert_allclose(z[inside], ref[inside], rtol=1e-5, atol=1e-3)
    # each pixel's basin is the basin of its nearest sample (brute force)
    basins = from_wire(s["basins"])
    pixels = np.stack([gx.ravel(), gy.ravel()], axis=1)[::97]
    d2 = ((pixels[:, None, :] - land.points[None, :, :]) ** 2).sum(-1)
    np.testing.assert_array_equal(basins.ravel()[::97], tree.basins[np.argmin(d2, axis=1)])
    # the critical points are drawn at their samples
    crit = from_wire(s["crit_vertex"])
    assert sorted(crit.tolist()) == sorted(tree.minima.tolist() + tree.saddles.tolist())
    # (the browser places them at the topology model's coordinates of those samples)
    points = from_wire(view.topology.data["points"])
    np.testing.assert_allclose(points[crit], land.points[crit], rtol=1e-6)
    assert view.topology.data["shape"] == [land.size]


def test_explorer_of_scattered_landscapes(cloud):
    land, tree = cloud
    ex = Explorer(land)  # the default graph: mutual kNN
    np.testing.assert_array_equal(ex.tree.pairs, tree.pairs)
    assert ex.contour is not None and len(ex.views) == 5
    gabriel = Explorer(land, "gabriel")
    np.testing.assert_array_equal(gabriel.tree.pairs,
                                  lw.merge_tree(land, connectivity="gabriel").pairs)
    rng = np.random.default_rng(0)
    pts3 = rng.uniform(size=(150, 3))
    land3 = lw.Landscape.from_points(pts3, (pts3**2).sum(1))
    ex3 = Explorer(land3, "delaunay")
    assert ex3.contour is None and len(ex3.views) == 4
    assert ProfileView(ex3.tree, landscape=land3) is not None


def test_scattered_errors(cloud):
    land, tree = cloud
    with pytest.raises(ValueError, match="scattered landscape must be 2-D to contour, got 3-D"):
        pts = np.random.default_rng(0).uniform(size=(20, 3))
        ContourView(lw.Landscape.from_points(pts, pts.sum(1)))
    other = lw.merge_tree(land.values[:100], graph=lw.knn_graph(land.points[:100]))
    with pytest.raises(ValueError, match="has 512 scattered points"):
        MergeTreeView(other, landscape=land)
    with pytest.raises(ValueError, match="has 512 scattered points"):
        ContourView(land, lw.merge_tree(lw.examples.four_wells(resolution=11)))
    grid_tree = lw.merge_tree(lw.examples.four_wells(resolution=11))
    with pytest.raises(ValueError, match="does not match"):
        MergeTreeView(tree, landscape=lw.examples.four_wells(resolution=11))
    assert MergeTreeView(grid_tree) is not None
    view = ContourView(land, tree)
    with pytest.raises(Exception, match="slice_axes: a scattered landscape"):
        view.slice_axes = [1, 0]
    with pytest.raises(Exception, match="slice_index: a scattered landscape has no slices"):
        view.slice_index = [3]


def test_gallery_of_a_scattered_collection(cloud):
    from landscape_widgets.widgets import Gallery

    land, _ = cloud
    coll = lw.LandscapeCollection(connectivity="delaunay")
    for lr in (0.1, 0.2):
        for seed in (0, 1):
            shifted = lw.Landscape.from_points(land.points, land.values * lr + seed, bounds=5.0)
            coll.add({"lr": lr, "seed": seed}, shifted)
    g = Gallery(coll, rows="lr", cols="seed", metric="n_minima")
    entry = coll[{"lr": 0.2, "seed": 1}]
    g.selection.active = entry.id
    assert isinstance(g.explorer, Explorer) and g.explorer.contour is not None
    expected = lw.merge_tree(coll.landscape(entry), connectivity="delaunay")
    np.testing.assert_array_equal(g.explorer.tree.pairs, expected.pairs)


def test_views_refuse_a_super_level_tree():
    import landscape_widgets as lw

    land = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=2, resolution=9)
    split = lw.merge_tree(land, direction="super")
    with pytest.raises(ValueError, match="super-level tree"):
        lw.MergeTreeView(split)
