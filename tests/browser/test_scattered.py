"""An Explorer of a scattered landscape (Himmelblau at Sobol' points), exported and opened in
Chromium: it renders (contours of the triangulated samples) and links its views."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scipy.stats import qmc

import landscape_widgets as lw
from landscape_widgets.widgets import Explorer

from .conftest import open_export

pytestmark = pytest.mark.browser


def selected_basins(page: Any, view: str) -> set[int]:
    return set(page.eval_on_selector_all(
        f'.lw-{view} [aria-selected="true"]', "ns => ns.map(n => +n.dataset.basin)"
    ))


@pytest.mark.parametrize("connectivity", ["symmetric_knn", "gabriel"])
def test_scattered_explorer_renders_and_links(page: Any, tmp_path: Path, connectivity: str):
    pts = qmc.scale(qmc.Sobol(d=2, scramble=True, seed=0).random_base2(10), [-5, -5], [5, 5])
    land = lw.Landscape.from_points(pts, lw.examples.himmelblau(pts), bounds=5.0)
    ex = Explorer(land, connectivity, min_persistence=2.0)  # 1,024 samples: spurious pairs < 1.3
    open_export(page, ex, tmp_path / "scattered.html")
    assert page.errors == []
    tree = ex.tree.simplify(2.0)
    assert tree.n_minima == 4
    # every view drew: contour bands from the triangulation, one bar per basin, the tree
    assert page.locator(".lw-contour path.lw-band").count() >= 8
    assert page.locator(".lw-contour circle.lw-min").count() == ex.tree.n_minima
    assert page.locator(".lw-barcode rect.lw-bar").count() == tree.n_minima  # above threshold
    assert page.locator(".lw-profile [data-basin]").count() >= 4
    # tooltips: the basin's facts and its minimum's own sample coordinates
    page.hover(f'.lw-barcode rect.lw-bar[data-basin="{int(tree.minima[1])}"]')
    tip = page.inner_text(".lw-barcode .lw-tooltip")
    # (tooltips are in words, without internal ids: the basin is known by its minimum's loss)
    assert "persistence" in tip and "at α = (–)" not in tip
    assert f"minimum loss {float(tree.values[int(tree.minima[1])]):.4g}" in tip
    shown = [float(v) for v in tip.split("at α = (")[1].split(")")[0].split(",")]
    assert shown == pytest.approx(pts[int(tree.minima[1])].tolist(), abs=0.01)
    # click a bar: the basin is selected in the tree, profile, diagram and contour views
    target = int(tree.minima[2])
    page.click(f'.lw-barcode rect.lw-bar[data-basin="{target}"]')
    for view in ("tree", "profile", "diagram", "contour"):
        assert selected_basins(page, view) == {target}, view
    # the selection is outlined on the map (no tint: the colour bar stays true)
    assert page.get_attribute(".lw-contour path.lw-outline", "d").startswith("M")
    # click the contour background a few pixels off another minimum: the raster pixel's basin
    # (from its nearest sample) is selected everywhere
    other = int(tree.minima[1])
    cb = page.locator(f'.lw-contour circle.lw-min[data-vertex="{other}"]').bounding_box()
    page.mouse.click(cb["x"] + cb["width"] / 2 + 7, cb["y"] + cb["height"] / 2 + 7)
    for view in ("barcode", "tree", "profile"):
        assert selected_basins(page, view) == {other}, view
    assert page.errors == []
