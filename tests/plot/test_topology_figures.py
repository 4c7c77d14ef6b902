"""lw.plot.profile / merge_tree / barcode / persistence_diagram: artists counted against the
layout geometry and against the tree itself, colours checked, PNGs saved."""

import numpy as np
import pytest
from matplotlib import colormaps, colors

import landscape_widgets as lw

from .conftest import by_gid, png_ok


def _luminance(rgba: np.ndarray) -> np.ndarray:
    return rgba[:, :3] @ np.array([0.2126, 0.7152, 0.0722])


def test_profile_draws_every_basin_band_and_critical_point(himmelblau, tmp_path):
    land, tree = himmelblau
    ax = lw.plot.profile(tree, scale="linear", levels=32)
    prof = lw.landscape_profile(tree, levels=32)
    outlines = by_gid(ax, "outlines").get_paths()
    assert len(outlines) == prof.n_basins == tree.n_minima == 4
    for i, path in enumerate(outlines):  # the layout's polygons, unchanged
        assert np.allclose(path.vertices[: len(prof.polygon(i)[0])],
                           np.column_stack(prof.polygon(i)))
    assert len(by_gid(ax, "bands").get_paths()) == prof.rect_x0.size
    assert len(by_gid(ax, "minima").get_offsets()) == prof.minima_x.size == 4
    assert len(by_gid(ax, "saddles").get_offsets()) == prof.saddle_x.size == 3
    assert ax.get_ylabel() == "loss" and ax.figure.axes[1].get_ylabel() == "loss level"
    png_ok(ax.figure, tmp_path / "profile.png")


def test_profile_depth_colour_is_darker_lower_in_every_basin(himmelblau):
    _, tree = himmelblau
    vmin, vmax = float(tree.values.min()), float(tree.values.max())
    for scale, kind in (("linear", "linear"), ("log", "shifted-log")):
        ax = lw.plot.profile(tree, scale=scale)
        edges = lw.plot._style.band_edges(kind, vmin, vmax, 64)
        prof = lw.landscape_profile(tree, levels=edges)
        bands = by_gid(ax, "bands")
        assert len(bands.get_paths()) == prof.rect_x0.size
        ax.figure.canvas.draw()  # colours are mapped at draw time
        lum = _luminance(bands.get_facecolors())
        for b in np.unique(prof.rect_basin):  # up each basin, never darker
            rows = np.flatnonzero(prof.rect_basin == b)
            rows = rows[np.argsort(prof.rect_y0[rows], kind="stable")]
            assert np.all(np.diff(lum[rows]) >= -1e-9), "a higher band is darker"
        order = np.argsort(prof.rect_band, kind="stable")  # and across basins, by level only
        assert np.all(np.diff(lum[order]) >= -1e-9)
        assert lum.max() - lum.min() > 0.5  # the colour map is used from dark to light


def test_profile_mean_colouring_colours_each_basin_by_its_mean_loss(wells):
    _, tree = wells
    ax = lw.plot.profile(tree, color="mean", scale="linear", cmap="viridis")
    ax.figure.canvas.draw()
    prof = lw.landscape_profile(tree)
    basins = by_gid(ax, "basins")
    assert len(basins.get_paths()) == prof.n_basins == 4
    norm = colors.Normalize(prof.y_min, prof.y_max)
    expected = colormaps["viridis"](norm(prof.basin_mean_loss))
    assert np.allclose(basins.get_facecolors(), expected)
    assert ax.figure.axes[1].get_ylabel() == "mean loss of the basin"


def test_profile_max_basins_and_log_bands(himmelblau):
    _, tree = himmelblau
    ax = lw.plot.profile(tree, max_basins=2, scale="log", levels=16)
    assert len(by_gid(ax, "outlines").get_paths()) == 2
    assert len(by_gid(ax, "minima").get_offsets()) == 2
    assert ax.get_yscale() == "function"  # Himmelblau's minimum is 0: the shifted log
    edges = by_gid(ax, "bands").norm.boundaries  # the bands the colours come from
    offset = lw.plot._style.log_offset(0.0, float(tree.values.max()))
    steps = np.diff(np.log10(edges - offset))
    assert edges.size == 17 and np.allclose(steps, steps[0])


def test_merge_tree_draws_the_layout(himmelblau, tmp_path):
    _, tree = himmelblau
    ax = lw.plot.merge_tree(tree, scale="linear")
    lay = lw.merge_tree_layout(tree)
    edges = by_gid(ax, "edges").get_segments()
    assert len(edges) == lay.n_nodes == tree.n_nodes == 7  # one arc per node, root's stem too
    off = lay.edge_path_offsets
    for e, (a, b) in zip(edges, zip(off[:-1], off[1:])):
        assert np.allclose(e, np.column_stack((lay.edge_path_x[a:b], lay.edge_path_y[a:b])))
    minima = by_gid(ax, "minima").get_offsets()
    assert len(minima) == tree.n_minima == 4
    assert len(by_gid(ax, "saddles").get_offsets()) == tree.n_saddles == 3
    assert np.allclose(np.sort(minima[:, 1]), np.sort(tree.values.ravel()[tree.minima]))
    png_ok(ax.figure, tmp_path / "tree.png")


def test_barcode_has_one_bar_per_pair(himmelblau, tmp_path):
    _, tree = himmelblau
    ax = lw.plot.barcode(tree, scale="linear")
    diagram = tree.persistence_diagram(essential=True)  # finite pairs + essential classes
    bars = by_gid(ax, "bars").get_paths()
    assert len(bars) == len(diagram) == 4
    spans = sorted((p.vertices[:, 0].min(), p.vertices[:, 0].max()) for p in bars)
    top = float(tree.values.max())
    expected = sorted((b, min(d, top)) for b, d in diagram)
    assert np.allclose(spans, expected)
    assert len(by_gid(ax, "essential").get_offsets()) == 1
    rows = [p.vertices[:, 1].mean() for p in bars]
    lengths = [p.vertices[:, 0].ptp() if hasattr(p.vertices, "ptp") else np.ptp(p.vertices[:, 0])
               for p in bars]
    assert rows == sorted(rows) and lengths == sorted(lengths, reverse=True)  # longest first
    assert ax.yaxis_inverted()  # row 0 on top
    png_ok(ax.figure, tmp_path / "barcode.png")
    assert len(by_gid(lw.plot.barcode(tree, max_bars=2), "bars").get_paths()) == 2


def test_persistence_diagram_has_one_point_per_pair(himmelblau, tmp_path):
    _, tree = himmelblau
    ax = lw.plot.persistence_diagram(tree, scale="linear")
    finite = by_gid(ax, "finite").get_offsets()
    pairs = tree.pairs[np.isfinite(tree.pairs[:, 1])]
    assert len(finite) == len(pairs) == 3
    assert np.allclose(np.sort(finite, 0), np.sort(pairs, 0))
    essential = by_gid(ax, "essential").get_offsets()
    assert len(essential) == 1 and essential[0, 0] == 0.0
    assert essential[0, 1] > tree.values.max()  # on the "∞" line above the loss range
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("birth (loss)", "death (loss)")
    png_ok(ax.figure, tmp_path / "diagram.png")


def test_components_split_by_nan_give_two_essential_classes():
    values = np.ones((9, 9))
    values[:, 4] = np.nan  # a wall of divergent points: two components that never merge
    values[2, 2], values[6, 6], values[2, 7] = 0.1, 0.2, 0.5
    tree = lw.merge_tree(lw.Landscape.from_array(values))
    n_essential = 1 + int(np.isinf(tree.pairs[:, 1]).sum())
    assert n_essential == 2
    ax = lw.plot.persistence_diagram(tree)
    assert len(by_gid(ax, "essential").get_offsets()) == 2
    assert len(by_gid(ax, "finite").get_offsets()) == tree.n_minima - 2
    ax = lw.plot.barcode(tree)
    assert len(by_gid(ax, "bars").get_paths()) == tree.n_minima
    assert len(by_gid(ax, "essential").get_offsets()) == 2


def test_a_single_basin_draws_without_saddles(bowl, tmp_path):
    land, tree = bowl
    assert tree.n_minima == 1 and tree.n_saddles == 0
    for name in ("profile", "merge_tree", "barcode", "persistence_diagram"):
        ax = getattr(lw.plot, name)(tree)
        png_ok(ax.figure, tmp_path / f"{name}.png")
    ax = lw.plot.contour(land, tree)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["minimum (1)",
                                                                   "trained model"]


def test_topology_figures_refuse_bad_input(himmelblau):
    land, tree = himmelblau
    for name in ("profile", "merge_tree", "barcode", "persistence_diagram"):
        with pytest.raises(TypeError, match=f"{name}: tree expected a MergeTree .*received "
                                            "Landscape"):
            getattr(lw.plot, name)(land)
        with pytest.raises(ValueError, match="scale expected one of"):
            getattr(lw.plot, name)(tree, scale="symlog")
    with pytest.raises(ValueError, match="color expected one of 'depth', 'mean', received "
                                         "'height'"):
        lw.plot.profile(tree, color="height")
    with pytest.raises(ValueError, match="max_basins expected an integer >= 1, received 0"):
        lw.plot.profile(tree, max_basins=0)
    with pytest.raises(ValueError, match="max_bars expected an integer >= 1, received 1.5"):
        lw.plot.barcode(tree, max_bars=1.5)


def _on_an_arc(lay, x: float, y: float) -> bool:
    off = lay.edge_path_offsets
    for a, b in zip(off[:-1], off[1:]):
        px, py = lay.edge_path_x[a:b], lay.edge_path_y[a:b]
        if px[0] == x and min(py[0], py[1]) <= y <= max(py[0], py[1]):  # the vertical part
            return True
    return False


def test_the_trained_model_sits_on_its_branch_and_the_loss_axis(himmelblau):
    land, tree = himmelblau
    model = land.center_index
    value = float(land.values.ravel()[model])  # Himmelblau at the origin: 170
    assert value == 170.0
    ax = lw.plot.merge_tree(tree, model=model)
    (x, y), = by_gid(ax, "model").get_offsets()
    assert y == value and _on_an_arc(lw.merge_tree_layout(tree), x, y)
    for max_basins in (1, 2):  # the model's basin folded into a drawn ancestor
        ax = lw.plot.merge_tree(tree, model=model, max_basins=max_basins)
        (x, y), = by_gid(ax, "model").get_offsets()
        assert _on_an_arc(lw.merge_tree_layout(tree, max_basins=max_basins), x, y)
    # every vertex, not just the centre, lands on an arc of its own branch
    lay = lw.merge_tree_layout(tree)
    for vertex in range(0, tree.n_vertices, 97):
        v = float(tree.values[vertex])
        assert _on_an_arc(lay, lw.plot.topology._branch_x(tree, lay, vertex, v), v)
    ax = lw.plot.profile(tree, model=model)
    assert by_gid(ax, "model").get_offsets()[0, 1] == value
    assert "trained model" in [t.get_text() for t in ax.get_legend().get_texts()]
    with pytest.raises(ValueError, match=r"model expected a vertex id in \[0, 1680\] "
                                         r"\(land.center_index\), received 1681"):
        lw.plot.profile(tree, model=1681)
