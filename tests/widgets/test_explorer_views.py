"""Explorer(views=[...]): which panels, in which order; the title line from provenance."""

from __future__ import annotations

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.widgets import Explorer
from landscape_widgets.widgets.explorer import VIEW_NAMES


@pytest.fixture(scope="module")
def land() -> lw.Landscape:
    return lw.examples.four_wells(resolution=15)


def test_default_panels_and_title(land: lw.Landscape) -> None:
    ex = Explorer(land)
    assert ex.order == ["contour", "profile", "merge_tree", "barcode", "diagram"]
    assert [type(v).__name__ for v in ex.views][:2] == ["ContourView", "ProfileView"]
    assert "2-D" in ex.title and "15 × 15 grid" in ex.title


def test_views_pick_and_order_the_panels(land: lw.Landscape) -> None:
    ex = Explorer(land, views=["profile", "contour"])
    assert ex.order == ["profile", "contour"]
    assert [type(v).__name__ for v in ex.views] == ["ProfileView", "ContourView"]
    assert ex.merge_tree is None and ex.barcode is None and ex.diagram is None


def test_one_d_gets_a_curve_instead_of_contours() -> None:
    line = lw.Landscape.from_array(np.cos(np.linspace(0, 9, 50)))
    ex = Explorer(line)
    assert ex.order == ["curve", "profile", "merge_tree", "barcode", "diagram"]
    assert isinstance(ex.curve, lw.CurveView)
    data = ex.curve._data["curve"]
    assert set(data) == {"x", "y", "basins"}
    with pytest.raises(ValueError, match="1-D landscape has no contour"):
        Explorer(line, views=["contour"])


def test_curve_refuses_two_d(land: lw.Landscape) -> None:
    with pytest.raises(ValueError, match="'curve', which draws 1-D landscapes"):
        Explorer(land, views=["curve"])
    with pytest.raises(ValueError, match="CurveView: expected a 1-D landscape, got shape"):
        lw.CurveView(land)
    with pytest.raises(TypeError, match="CurveView: expected a Landscape"):
        lw.CurveView(np.zeros(5))


@pytest.mark.parametrize(("views", "error", "match"), [
    (["profile", "heatmap"], ValueError, r"unknown \['heatmap'\]"),
    ("profile", TypeError, "views expected a list of names"),
    ([1, 2], TypeError, "views expected a list of names"),
    ([], ValueError, "at least one name"),
    (["profile", "profile"], ValueError, "each once"),
    (["spectrum"], ValueError, "no spectrum= was given"),
])
def test_bad_views_are_refused(land: lw.Landscape, views: object, error: type,
                               match: str) -> None:
    with pytest.raises(error, match=match):
        Explorer(land, views=views)


def test_view_names_are_the_slots() -> None:
    assert set(VIEW_NAMES) <= set(Explorer.class_trait_names())


def test_trained_model_is_the_grid_centre(land: lw.Landscape) -> None:
    view = Explorer(land).profile
    centre = view.topology.data["centre"]
    assert centre["vertex"] == 7 * 15 + 7
    assert centre["value"] == pytest.approx(float(land.values[7, 7]))
    assert centre["basin"] == int(np.asarray(view.tree.basins).ravel()[centre["vertex"]])
    assert centre["basin"] in set(int(m) for m in view.tree.minima)


def test_profile_color_by_is_validated(land: lw.Landscape) -> None:
    tree = lw.merge_tree(land)
    assert lw.ProfileView(tree).color_by == "depth"
    assert lw.ProfileView(tree, color_by="mean_loss").color_by == "mean_loss"
    with pytest.raises(ValueError, match="color_by expected one of"):
        lw.ProfileView(tree, color_by="viridis")
