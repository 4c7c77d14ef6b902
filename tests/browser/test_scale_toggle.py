"""The Explorer's loss-scale toggle in the static export: one click redraws every view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.widgets import Explorer

from .conftest import open_export
from .test_static_html import selected_basins

pytestmark = pytest.mark.browser

# one element per view whose y position depends on the loss axis (contour: a colour-bar tick)
Y_OF = {
    "profile": ".lw-profile circle.lw-min[data-basin='{b}']",
    "tree": ".lw-tree circle.lw-min[data-basin='{b}']",
    "barcode": ".lw-barcode rect.lw-bar[data-basin='{b}']",
    "diagram": ".lw-diagram circle.lw-point[data-basin='{b}']",
    "contour": ".lw-contour .lw-colorbar text",
}


def positions(page: Any, basin: int) -> dict[str, tuple[float, float]]:
    """(x, y) on screen of each view's element for ``basin``: the barcode's loss axis is x."""
    out = {}
    for view, sel in Y_OF.items():
        box = page.locator(sel.format(b=basin)).first.bounding_box()
        assert box is not None, view
        out[view] = (round(box["x"], 1), round(box["y"], 1))
    return out


def test_scale_toggle_redraws_every_view_and_keeps_selection(page: Any, tmp_path: Path) -> None:
    # losses from ~0.1 to ~1000: "auto" resolves to log
    def f(p: np.ndarray) -> np.ndarray:
        wells = lw.examples.gaussian_wells(p, [(-1, -1), (1, -1), (-1, 1), (1, 1)],
                                           [1.0, 0.8, 0.6, 0.4])
        return 0.1 * 10 ** (1.5 * (wells - wells.min()) + 0.6 * (p**2).sum(1))

    land = lw.Landscape.from_function(f, dims=2, resolution=41)
    ex = Explorer(land)
    open_export(page, ex, tmp_path / "scale.html")
    assert page.inner_text(".lw-scale button[aria-pressed='true']") == "auto: log"
    assert page.get_attribute(".lw-profile .lw-axis", "data-scale") == "log"
    basin = int(ex.tree.minima[1])
    before = positions(page, basin)
    page.click(".lw-scale button[data-scale='linear']")
    assert page.get_attribute(".lw-scale button[data-scale='linear']", "aria-pressed") == "true"
    after = positions(page, basin)
    for view in ("profile", "tree", "diagram", "contour"):
        assert after[view][1] != before[view][1], f"{view} did not move on the loss axis"
    assert after["barcode"][0] != before["barcode"][0], "barcode did not move on the loss axis"
    for view in ("profile", "tree", "barcode", "diagram"):
        assert page.get_attribute(f".lw-{view} .lw-axis", "data-scale") == "linear"
    assert page.get_attribute(".lw-contour .lw-colorbar", "data-scale") == "linear"
    # selection still links every view after the redraw
    page.click(f".lw-tree circle.lw-min[data-basin='{basin}']")
    for view in ("profile", "tree", "barcode", "diagram", "contour"):
        assert basin in selected_basins(page, view), view
    # and survives a switch back
    page.click(".lw-scale button[data-scale='log']")
    assert positions(page, basin)["profile"][1] != after["profile"][1]
    assert selected_basins(page, "barcode") == {basin}
    page.click(f".lw-diagram circle.lw-point[data-basin='{int(ex.tree.minima[2])}']")
    assert selected_basins(page, "profile") == {int(ex.tree.minima[2])}
