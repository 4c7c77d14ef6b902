"""ContourView(field=...) / Explorer(field=..., trajectory=...): the map coloured by a field of
the landscape, and the Explorer passing both on to its contour view."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import traitlets

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets import ContourView, Explorer


@pytest.fixture(scope="module")
def land_with_field(wells):
    land, tree = wells
    x, y = np.meshgrid(*land.axes, indexing="ij")
    accuracy = 1.0 / (1.0 + land.values) + 0.1 * x  # not a function of the loss alone
    return dataclasses.replace(land, fields={"accuracy": accuracy}), tree


def test_field_colours_the_bands_basins_stay_the_losses(land_with_field) -> None:
    land, tree = land_with_field
    view = ContourView(land, tree, field="accuracy", levels=8)
    s = view._data["slice"]
    assert s["field"] == "accuracy"
    acc = land.fields["accuracy"]
    np.testing.assert_allclose(from_wire(s["z"]), acc.T.astype(np.float32))  # rows = y
    edges = from_wire(s["levels"]["linear"]["edges"])
    np.testing.assert_allclose(edges, np.linspace(acc.min(), acc.max(), 9))
    plain = ContourView(land, tree, levels=8)._data["slice"]
    assert plain["field"] == ""
    np.testing.assert_allclose(from_wire(plain["z"]), land.values.T.astype(np.float32))
    for key in ("basins", "crit_vertex", "crit_basin"):  # topology is the loss's
        np.testing.assert_array_equal(from_wire(s[key]), from_wire(plain[key]))
    view.field = ""  # back to the loss, live
    np.testing.assert_allclose(from_wire(view._data["slice"]["z"]), from_wire(plain["z"]))


def test_field_on_a_scattered_landscape_interpolates_the_field() -> None:
    pts = np.random.default_rng(0).uniform(-5, 5, size=(300, 2))
    values = lw.examples.himmelblau(pts)
    field = pts[:, 0] + 2 * pts[:, 1]  # linear: the interpolation reproduces it exactly
    land = dataclasses.replace(lw.Landscape.from_points(pts, values, bounds=5.0),
                               fields={"plane": field})
    s = ContourView(land, field="plane")._data["slice"]
    x, y, z = from_wire(s["x"]), from_wire(s["y"]), from_wire(s["z"])
    gx, gy = np.meshgrid(x, y)
    inside = np.isfinite(z)
    assert inside.mean() > 0.5
    np.testing.assert_allclose(z[inside], (gx + 2 * gy)[inside], atol=1e-4)


def test_unknown_fields_are_named(land_with_field, wells) -> None:
    land, tree = land_with_field
    with pytest.raises(ValueError, match=r"field: expected a field of the landscape \(one of "
                                         r"\['accuracy'\]\), got 'acc'"):
        ContourView(land, tree, field="acc")
    with pytest.raises(ValueError, match="this landscape has no fields"):
        ContourView(*wells, field="accuracy")
    with pytest.raises(ValueError, match="got 'loss'"):
        Explorer(land, tree=tree, field="loss")
    view = ContourView(land, tree)
    with pytest.raises(traitlets.TraitError, match="got 'nope'"):
        view.field = "nope"
    one_d = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=1, resolution=11)
    with pytest.raises(ValueError, match="trajectory: drawn on the contour map"):
        Explorer(one_d, trajectory={"coords": [[0.0]]})


def test_explorer_passes_field_and_trajectory_to_its_contour_view(land_with_field) -> None:
    land, tree = land_with_field
    path = {"coords": [[-1.0, 0.5], [0.0, 0.2]], "epochs": [0, 9], "losses": [2.0, 0.5]}
    ex = Explorer(land, tree=tree, field="accuracy", trajectory=path)
    assert ex.contour.field == "accuracy"
    np.testing.assert_array_equal(from_wire(ex.contour._data["trajectory"]["coords"]),
                                  path["coords"])
    assert ex.profile is not None and ex.contour.tree is tree
    plain = Explorer(land, tree=tree)
    assert plain.contour.field == "" and "trajectory" not in plain.contour._data


def test_scattered_payloads_carry_sample_coordinates_and_nearest_vertices() -> None:
    pts = np.random.default_rng(1).uniform(-5, 5, size=(200, 2))
    land = lw.Landscape.from_points(pts, lw.examples.himmelblau(pts), bounds=5.0)
    ex = Explorer(land)
    for view in ex.views:  # every view's tooltips can show where a vertex lies
        np.testing.assert_array_equal(from_wire(view.topology.data["points"]),
                                      pts.astype(np.float32))
    s = ex.contour._data["slice"]
    x, y, vertex = from_wire(s["x"]), from_wire(s["y"]), from_wire(s["vertex"])
    assert vertex.shape == (len(y), len(x))
    for iy, ix in [(0, 0), (5, 90), (64, 64), (127, 3), (100, 127)]:  # brute-force nearest
        d = np.hypot(pts[:, 0] - x[ix], pts[:, 1] - y[iy])
        assert d[vertex[iy, ix]] == pytest.approx(d.min(), abs=1e-5)
    grid = Explorer(lw.examples.four_wells(resolution=9))
    assert "points" not in grid.contour.topology.data
    assert "vertex" not in grid.contour._data["slice"]
