"""The Gallery's MDS map of the entries (``Gallery(coll, distance="wasserstein")``) in a real
browser, from a static export: it renders, a click on a point selects that entry in the heat
map and the scatter, and a heat-map click lights the map's points up."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection

from .conftest import open_export

pytestmark = pytest.mark.browser


def _wells(depth: float, seed: int) -> lw.Landscape:
    def f(p: np.ndarray) -> np.ndarray:
        return lw.examples.gaussian_wells(p, [(-1, -1), (1, -1), (0, 1)],
                                          [1.0, 0.4 + 0.05 * seed, depth])

    return lw.Landscape.from_function(f, dims=2, resolution=17)


def test_map_renders_links_and_exports(page: Any, tmp_path: Path) -> None:
    coll = LandscapeCollection()
    for depth in (0.1, 0.5, 0.9):
        for seed in (0, 1):
            coll.add({"depth": depth, "seed": seed}, _wells(depth, seed))
    g = lw.Gallery(coll, rows="depth", cols="seed", distance="wasserstein")
    page.set_viewport_size({"width": 970, "height": 900})
    open_export(page, g, tmp_path / "gallery_map.html")
    points = page.locator(".lw-mds-map circle.lw-entry")
    assert points.count() == len(coll) == 6
    caption = page.inner_text(".lw-mds-map .lw-caption")
    assert "Wasserstein" in caption and "classical MDS" in caption
    # the drawn distances are the MDS coordinates' distances, on one scale for both axes
    drawn = page.eval_on_selector_all(
        ".lw-mds-map circle.lw-entry",
        "ns => ns.map(n => [n.dataset.entry, +n.getAttribute('cx'), +n.getAttribute('cy')])")
    where = {eid: np.array([x, -y]) for eid, x, y in drawn}
    coords = dict(zip(g._data["map"]["ids"], np.array(g._data["map"]["coords"]), strict=True))
    ids = list(coords)
    px = np.array([[np.linalg.norm(where[a] - where[b]) for b in ids] for a in ids])
    mds = np.array([[np.linalg.norm(coords[a] - coords[b]) for b in ids] for a in ids])
    off = ~np.eye(len(ids), dtype=bool)
    ratio = px[off & (mds > 1e-9)] / mds[off & (mds > 1e-9)]
    assert np.ptp(ratio) < 0.02 * ratio.mean()  # one scale (cx, cy rounded to 0.1 px)
    # click a point: that entry is selected in the heat map and the scatter
    target = coll.find(depth=0.9, seed=1)[0].id
    page.click(f'.lw-mds-map circle[data-entry="{target}"]')
    assert page.get_attribute(f'.lw-mds-map circle[data-entry="{target}"]',
                              "aria-selected") == "true"
    lit_cells = page.eval_on_selector_all(
        '.lw-heatmap rect.lw-heat-cell[aria-selected="true"]',
        "ns => ns.map(n => n.dataset.entries)")
    assert lit_cells == [target]
    assert page.eval_on_selector_all(
        '.lw-scatter circle.lw-entry[aria-selected="true"]', "ns => ns.map(n => n.dataset.entry)"
    ) == [target]
    assert page.eval_on_selector_all(".lw-thumb", "ns => ns.map(n => n.dataset.entry)") == [target]
    # the other way: a heat-map cell lights its entries up on the map
    page.click('.lw-heatmap rect.lw-heat-cell[data-row="0"][data-col="0"]')
    first = coll.find(depth=0.1, seed=0)[0].id
    assert page.eval_on_selector_all(
        '.lw-mds-map circle.lw-entry[aria-selected="true"]', "ns => ns.map(n => n.dataset.entry)"
    ) == [first]
    shot = os.environ.get("LW_SCREENSHOT_DIR")
    if shot:
        page.screenshot(path=str(Path(shot) / "gallery_map_970.png"), full_page=True)
    assert page.errors == []
