"""lw.plot.contour / surface / curve: what they draw, counted against the tree, and PNGs."""

import numpy as np
import pytest

import landscape_widgets as lw

from .conftest import by_gid, local_minima_1d, png_ok


def test_contour_marks_every_critical_point_and_the_model(himmelblau, tmp_path):
    land, tree = himmelblau
    ax = lw.plot.contour(land, tree, levels=12)
    assert len(by_gid(ax, "minima").get_offsets()) == tree.n_minima == 4
    assert len(by_gid(ax, "saddles").get_offsets()) == tree.n_saddles == 3
    # the minima sit where the tree says, in subspace coordinates
    expected = land.points[tree.minima]
    assert np.allclose(np.sort(by_gid(ax, "minima").get_offsets(), 0), np.sort(expected, 0))
    assert by_gid(ax, "model").get_offsets().tolist() == [[0.0, 0.0]]
    bands = by_gid(ax, "bands")
    assert len(bands.levels) == 13 and bands.levels[0] == 0.0
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("α₁", "α₂")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["saddle (3)", "minimum (4)", "trained model"]
    png_ok(ax.figure, tmp_path / "contour.png")


def test_contour_computes_the_tree_when_none_is_given(wells):
    land, tree = wells
    ax = lw.plot.contour(land)
    assert len(by_gid(ax, "minima").get_offsets()) == tree.n_minima == 4


def test_contour_scale_follows_the_widgets_rule(himmelblau, wells):
    land, _ = himmelblau  # minimum 0: "auto" -> shifted log
    ax = lw.plot.contour(land, levels=10)
    colorbar_axes = ax.figure.axes[1]
    assert colorbar_axes.get_yscale() == "function"
    assert "(log)" in colorbar_axes.get_ylabel()
    edges = by_gid(ax, "bands").levels
    steps = np.diff(np.log10(edges - lw.plot._style.log_offset(0.0, land.values.max())))
    assert np.allclose(steps, steps[0])  # bands even on the log axis
    land, _ = wells  # values in (0, 1]: "auto" -> linear
    ax = lw.plot.contour(land, levels=10)
    assert ax.figure.axes[1].get_yscale() == "linear"
    assert np.allclose(np.diff(by_gid(ax, "bands").levels), 1 / 10, rtol=0, atol=1)
    positive = lw.Landscape.from_function(lambda p: np.exp(4 * (p**2).sum(1)), resolution=21)
    ax = lw.plot.contour(positive, scale="auto")
    assert ax.figure.axes[1].get_yscale() == "log"
    ax = lw.plot.contour(positive, scale="linear")
    assert ax.figure.axes[1].get_yscale() == "linear"


def test_contour_of_an_nd_landscape_is_the_slice_through_the_model(tmp_path):
    land = lw.Landscape.from_function(
        lambda p: np.cos(2 * p[:, 0]) + np.cos(2 * p[:, 1]) - 0.3 * np.cos(3 * p[:, 2]),
        dims=3, resolution=15, extent=3.0,
    )
    tree = lw.merge_tree(land)
    ax = lw.plot.contour(land, tree)
    # brute force: the tree's minima whose third grid index is the centre's
    centre = np.unravel_index(land.center_index, land.shape)
    in_plane = [v for v in tree.minima if np.unravel_index(v, land.shape)[2] == centre[2]]
    assert len(by_gid(ax, "minima").get_offsets()) == len(in_plane) > 0
    assert ax.get_title() == "slice at α₃ = 0"
    ax = lw.plot.contour(land, tree, axes=(2, 0), index=(0, 0, 0))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("α₃", "α₁")
    assert ax.get_title() == "slice at α₂ = −3".replace("−", "-")
    assert not [a for a in ax.get_children() if a.get_gid() == "model"]  # not in this plane
    png_ok(ax.figure, tmp_path / "slice.png")


def test_surface_draws_one_face_per_grid_cell(himmelblau, tmp_path):
    land, _ = himmelblau
    ax = lw.plot.surface(land)
    assert ax.name == "3d"
    n = land.shape[0] - 1
    ax.figure.canvas.draw()  # 3-D faces are projected at draw time
    assert len(by_gid(ax, "surface").get_paths()) == n * n
    assert "(log)" in ax.get_zlabel()  # Himmelblau spans more than two decades
    png_ok(ax.figure, tmp_path / "surface.png")
    ax = lw.plot.surface(land, scale="linear", colorbar=False)
    assert ax.get_zlabel() == "loss"


def test_curve_of_a_1d_landscape_marks_its_critical_points(tmp_path):
    land = lw.Landscape.from_function(lambda p: np.cos(3 * p[:, 0]) + 0.1 * p[:, 0], dims=1,
                                      resolution=81)
    ax = lw.plot.curve(land)
    n_min = local_minima_1d(land.values)
    assert len(by_gid(ax, "minima").get_offsets()) == n_min == 2
    assert len(by_gid(ax, "saddles").get_offsets()) == n_min - 1
    x, y = by_gid(ax, "curve").get_data()
    assert np.array_equal(x, land.axes[0]) and np.array_equal(y, land.values)
    assert by_gid(ax, "model").get_offsets().tolist() == [[0.0, land.values[40]]]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("α₁", "loss")
    png_ok(ax.figure, tmp_path / "curve.png")


def test_curve_of_an_nd_landscape_is_the_line_through_the_model(himmelblau):
    land, _ = himmelblau
    ax = lw.plot.curve(land, axis=1)
    line = land.values[land.shape[0] // 2, :]
    assert np.array_equal(by_gid(ax, "curve").get_data()[1], line)
    assert len(by_gid(ax, "minima").get_offsets()) == local_minima_1d(line)
    assert ax.get_xlabel() == "α₂" and ax.get_title() == "slice at α₁ = 0"


def test_curve_of_an_interpolation(tmp_path):
    axis = np.linspace(-0.5, 1.5, 41)
    values = (axis * (1 - axis)) ** 2 + 0.1  # two models at α = 0 and 1, a barrier between
    land = lw.Landscape(values=values, axes=(axis,),
                        provenance=lw.Provenance(source="interpolation"))
    ax = lw.plot.curve(land)
    assert ax.get_xlabel().startswith("α (0: first model")
    assert np.allclose(np.sort(by_gid(ax, "minima").get_offsets()[:, 0]), [0.0, 1.0])
    png_ok(ax.figure, tmp_path / "interpolation.png")


def test_grid_figures_compose_into_given_axes(himmelblau):
    import matplotlib.pyplot as plt

    land, tree = himmelblau
    fig = plt.figure(figsize=(9, 3), layout="constrained")
    a = fig.add_subplot(1, 3, 1)
    b = fig.add_subplot(1, 3, 2, projection="3d")
    c = fig.add_subplot(1, 3, 3)
    assert lw.plot.contour(land, tree, ax=a, colorbar=False) is a
    assert lw.plot.surface(land, ax=b, colorbar=False) is b
    assert lw.plot.curve(land, ax=c) is c
    assert len(fig.axes) == 3  # nothing else made


def test_grid_figures_refuse_bad_input(himmelblau):
    import matplotlib.pyplot as plt

    land, tree = himmelblau
    line = lw.Landscape.from_function(lambda p: p[:, 0] ** 2, dims=1, resolution=11)
    with pytest.raises(ValueError, match=r"contour: land expected .* 2 or more dimensions, "
                                         r"received a 1-D one.*lw\.plot\.curve"):
        lw.plot.contour(line)
    with pytest.raises(ValueError, match="surface: land expected .* 2 or more dimensions"):
        lw.plot.surface(line)
    with pytest.raises(TypeError, match=r"land expected a lw\.Landscape, received ndarray.*"
                                        r"from_array"):
        lw.plot.contour(np.zeros((5, 5)))
    with pytest.raises(ValueError, match="scale expected one of 'linear', 'log', 'auto', "
                                         "received 'logarithmic'"):
        lw.plot.contour(land, tree, scale="logarithmic")
    with pytest.raises(ValueError, match="levels expected an integer >= 1, received 0"):
        lw.plot.contour(land, tree, levels=0)
    with pytest.raises(ValueError, match=r"tree expected the merge tree of land \(grid shape "
                                         r"\(41, 41\)\), received a tree of shape \(11,\)"):
        lw.plot.contour(land, lw.merge_tree(line))
    with pytest.raises(TypeError, match="tree expected a MergeTree"):
        lw.plot.contour(land, "tree")
    with pytest.raises(ValueError, match=r"axes expected 2 distinct axis numbers in \[0, 1\], "
                                         r"received \[0, 0\]"):
        lw.plot.contour(land, tree, axes=(0, 0))
    with pytest.raises(ValueError, match=r"index expected 2 grid indices within the shape"):
        lw.plot.contour(land, tree, index=(0, 41))
    with pytest.raises(ValueError, match=r"surface: ax expected an Axes with projection='3d'"):
        lw.plot.surface(land, ax=plt.figure().add_subplot())
    with pytest.raises(TypeError, match="ax expected a matplotlib Axes or None, received str"):
        lw.plot.curve(land, ax="left")
    with pytest.raises(ValueError, match="curve: tree expected None for a 2-D landscape"):
        lw.plot.curve(land, tree=tree)
    with pytest.raises(ValueError, match="land has no finite values"):
        lw.plot.contour(lw.Landscape.from_array(np.full((3, 3), np.nan)))


def test_divergent_points_are_holes(tmp_path):
    values = np.ones((9, 9))
    values[:, 4] = np.nan  # a wall of divergent points through the model
    values[0, 0] = np.inf
    values[2, 2], values[6, 6] = 0.1, 0.2
    land = lw.Landscape.from_array(values)
    ax = lw.plot.contour(land)
    assert len(by_gid(ax, "minima").get_offsets()) == lw.merge_tree(land).n_minima
    png_ok(ax.figure, tmp_path / "holes.png")
    png_ok(lw.plot.surface(land).figure, tmp_path / "surface.png")
    assert np.isnan(by_gid(lw.plot.curve(land, axis=1), "curve").get_data()[1][4])
    with pytest.raises(ValueError, match=r"curve: the line along α₁ through grid index \[4, 4\] "
                                         r"has no finite values"):
        lw.plot.curve(land, axis=0)



def test_many_critical_points_get_smaller_markers_but_full_legend_keys(himmelblau):
    rough = lw.Landscape.from_array(np.random.default_rng(0).random((40, 40)))
    tree = lw.merge_tree(rough)
    assert tree.n_minima > 120
    ax = lw.plot.contour(rough, tree)
    small = by_gid(ax, "minima").get_sizes()[0]
    assert small == pytest.approx(26 * np.sqrt(30 / tree.n_minima))
    keys = [h.get_sizes()[0] for h in ax.get_legend().legend_handles]
    assert min(keys) >= 30  # the legend still shows readable keys
    land, few = himmelblau
    assert by_gid(lw.plot.contour(land, few), "minima").get_sizes()[0] == 26
