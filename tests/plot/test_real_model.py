"""Every figure of a real model's landscape (the digits MLP, a small grid): nothing is lost
between the tree and the picture."""

import numpy as np
import pytest

import landscape_widgets as lw

from .conftest import by_gid, png_ok

pytest.importorskip("torch")
pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def digits():
    model, loss_fn, data = lw.examples.digits_mlp(hidden=16, epochs=30)
    sub = lw.random_subspace(model, dims=2, normalization="filter", seed=0)
    land = lw.sample_landscape(model, loss_fn, data, sub, resolution=11, extent=1.0,
                               progress=False)
    return land, lw.merge_tree(land)


def test_every_figure_of_a_real_landscape(digits, tmp_path):
    land, tree = digits
    centre = land.values[5, 5]
    ax = lw.plot.contour(land, tree)
    assert len(by_gid(ax, "minima").get_offsets()) == tree.n_minima
    assert by_gid(ax, "model").get_offsets().tolist() == [[0.0, 0.0]]
    png_ok(ax.figure, tmp_path / "contour.png")
    ax = lw.plot.surface(land)
    png_ok(ax.figure, tmp_path / "surface.png")
    ax = lw.plot.curve(land)
    assert by_gid(ax, "model").get_offsets()[0, 1] == pytest.approx(centre)
    png_ok(ax.figure, tmp_path / "curve.png")
    ax = lw.plot.profile(tree)
    assert len(by_gid(ax, "outlines").get_paths()) == tree.n_minima
    png_ok(ax.figure, tmp_path / "profile.png")
    ax = lw.plot.merge_tree(tree)
    assert len(by_gid(ax, "edges").get_segments()) == tree.n_nodes
    png_ok(ax.figure, tmp_path / "tree.png")
    ax = lw.plot.barcode(tree)
    assert len(by_gid(ax, "bars").get_paths()) == tree.n_minima
    png_ok(ax.figure, tmp_path / "barcode.png")
    ax = lw.plot.persistence_diagram(tree)
    n_finite = int(np.isfinite(tree.pairs[:, 1]).sum())
    assert len(by_gid(ax, "finite").get_offsets()) == n_finite
    png_ok(ax.figure, tmp_path / "diagram.png")
