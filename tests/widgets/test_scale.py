"""The loss-axis ``scale`` trait of every view and the Explorer, and its Python mirror."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import traitlets

from landscape_widgets.io import from_wire
from landscape_widgets.widgets import (
    BarcodeView,
    ContourView,
    Explorer,
    MergeTreeView,
    PersistenceDiagramView,
    ProfileView,
)
from landscape_widgets.widgets._scale import (
    SCALES,
    ScaleError,
    check_scale,
    log_edges,
    log_offset,
    resolve_scale,
)

TREE_VIEWS = [ProfileView, MergeTreeView, BarcodeView, PersistenceDiagramView]


@pytest.mark.parametrize("cls", TREE_VIEWS)
def test_tree_views_accept_every_scale_and_default_to_auto(cls: type, wells: Any) -> None:
    land, tree = wells
    assert cls(tree).scale == "auto"
    for scale in SCALES:
        view = cls(tree, landscape=land, scale=scale)
        assert view.scale == scale
        assert view.trait_metadata("scale", "sync")
        assert view.trait_metadata("scale", "help")


@pytest.mark.parametrize("cls", TREE_VIEWS)
def test_bad_scale_is_a_clear_value_error(cls: type, wells: Any) -> None:
    _, tree = wells
    match = r"scale: expected one of 'linear', 'log', 'auto', got 'logarithmic'"
    with pytest.raises(ValueError, match=match):
        cls(tree, scale="logarithmic")
    view = cls(tree)
    with pytest.raises(ValueError, match=r"got 10"):
        view.scale = 10
    with pytest.raises(traitlets.TraitError, match=cls.__name__):  # also a TraitError
        view.scale = "Log"
    assert view.scale == "auto"


def test_contour_scale_and_the_log_scale_alias(wells: Any) -> None:
    land, tree = wells
    assert ContourView(land, tree).scale == "auto"
    assert ContourView(land, tree, scale="linear").scale == "linear"
    assert ContourView(land, tree, log_scale=True).scale == "log"
    view = ContourView(land, tree, log_scale=False)
    assert view.scale == "linear" and not view.log_scale
    with pytest.raises(ValueError, match=r"ContourView: scale: expected one of .* got 'symlog'"):
        ContourView(land, tree, scale="symlog")
    # switching the scale needs no recomputation: both level sets are in the payload
    data = view._data
    view.scale = "log"
    assert view._data is data


def test_explorer_spreads_scale_to_every_view(wells: Any) -> None:
    land, tree = wells
    ex = Explorer(land, tree=tree)
    assert ex.scale == "auto" and {v.scale for v in ex.views} == {"auto"}
    ex = Explorer(land, tree=tree, scale="log")
    assert [v.scale for v in ex.views] == ["log"] * 5
    ex.scale = "linear"
    assert [v.scale for v in ex.views] == ["linear"] * 5
    with pytest.raises(ValueError, match=r"Explorer: scale: expected one of .*, got 'LOG'"):
        Explorer(land, tree=tree, scale="LOG")
    with pytest.raises(ValueError, match=r"got None"):
        ex.scale = None
    assert ex.scale == "linear"


def test_resolve_scale_mirrors_the_browser_rule() -> None:
    # the same cases as js/tests/loss_scale.test.js
    assert resolve_scale("auto", 0.08, 1237.0) == "log"
    assert resolve_scale("auto", 1.0, 99.0) == "linear"
    assert resolve_scale("auto", 1.0, 101.0) == "log"
    assert resolve_scale("auto", 0.0, 890.0) == "shifted-log"
    assert resolve_scale("auto", -0.5, 1000.0) == "shifted-log"
    assert resolve_scale("auto", -1.0, 0.5) == "linear"
    assert resolve_scale("log", -1.0, 0.5) == "shifted-log"
    assert resolve_scale("linear", 0.08, 1237.0) == "linear"
    assert resolve_scale("log", 3.0, 3.0) == "linear"
    assert resolve_scale("auto", float("nan"), 3.0) == "linear"
    with pytest.raises(ScaleError, match="got 'sqrt'"):
        resolve_scale("sqrt", 1.0, 2.0)
    assert check_scale("auto") == "auto"


def test_log_edges_are_even_on_the_log_axis() -> None:
    edges = log_edges(0.08, 1237.0, 12)
    assert edges[0] == 0.08 and edges[-1] == 1237.0
    np.testing.assert_allclose(np.diff(np.log10(edges)), np.log10(1237.0 / 0.08) / 12)
    # non-positive values: even in log10(v - L0), L0 = min - 1e-3 * range
    edges = log_edges(-2.0, 998.0, 3)
    assert log_offset(-2.0, 998.0) == pytest.approx(-3.0)
    np.testing.assert_allclose(np.log10(edges + 3.0), [0, 1, 2, 3], atol=1e-3)
    np.testing.assert_allclose(log_edges(1.0, 1.0, 2), [1.0, 1.5, 2.0])


def test_contour_log_levels_follow_the_log_axis(wells: Any) -> None:
    land, tree = wells
    s = ContourView(land, tree, levels=6)._data["slice"]["levels"]
    vmin, vmax = float(land.values.min()), float(land.values.max())
    np.testing.assert_allclose(from_wire(s["log"]["edges"]), log_edges(vmin, vmax, 6))
    np.testing.assert_allclose(from_wire(s["linear"]["edges"]), np.linspace(vmin, vmax, 7))
