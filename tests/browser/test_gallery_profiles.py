"""The Gallery's small-multiple profiles in a real browser, from a static export (no kernel):
every selected entry's thumbnail is drawn by ProfileView's geometry and renderer from the
entry's compact topology (at most ``profile_basins`` basins), on one shared loss axis or each
on its own, and a click on a thumbnail opens that entry's Explorer.

Screenshots at 800, 970 and 1,400 px go to ``$LW_SCREENSHOT_DIR`` when it is set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.io.wire import from_wire

from .conftest import open_export

pytestmark = pytest.mark.browser

BASINS = 12


def _noisy_wells(depth: float, seed: int) -> lw.Landscape:
    """Three wells plus noise: dozens of basins, of which the thumbnail keeps BASINS."""
    rng = np.random.default_rng(seed)
    axis = np.linspace(-2, 2, 33)
    mesh = np.stack([m.ravel() for m in np.meshgrid(axis, axis, indexing="ij")], 1)
    wells = lw.examples.gaussian_wells(mesh, [(-1, -1), (1, -1), (0, 1)],
                                       [1.0, 0.4 + 0.1 * seed, depth]).reshape(33, 33)
    return lw.Landscape.from_array(wells + 0.03 * rng.random((33, 33)), axes=(axis, axis))


@pytest.fixture(scope="module")
def gallery() -> Any:
    coll = LandscapeCollection()
    for depth in (0.2, 0.6, 1.2):
        for seed in (0, 1):
            coll.add({"depth": depth, "seed": seed}, _noisy_wells(depth, seed))
    assert min(coll.tree(e).n_minima for e in coll) > BASINS
    return lw.Gallery(coll, rows="depth", cols="seed", explorers="all", profile_basins=BASINS)


def _thumbs(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(".lw-thumb", """ns => ns.map(n => ({
        entry: n.dataset.entry,
        shapes: n.querySelectorAll('svg path.lw-basin').length,
        painted: [...n.querySelectorAll('svg path.lw-basin')].filter(p => {
          const b = p.getBBox(); return b.width > 0 && b.height > 0; }).length,
        markers: [...n.querySelectorAll('svg circle.lw-min, svg circle.lw-saddle')]
          .reduce((a, c) => a + Number(c.dataset.count || 1), 0),
        ticks: [...n.querySelectorAll('svg .lw-axis text')].filter(t => t.textContent)
          .map(t => `${t.textContent}@${t.getAttribute('y')}`),
        box: (r => [r.width, r.height])(n.querySelector('svg').getBoundingClientRect()),
    }))""")


def test_thumbnails_are_drawn_from_the_topology_and_open_their_explorer(
        page: Any, gallery: Any, tmp_path: Path) -> None:
    shots = os.environ.get("LW_SCREENSHOT_DIR")
    page.set_viewport_size({"width": 970, "height": 1000})
    open_export(page, gallery, tmp_path / "gallery.html")
    assert page.locator(".lw-thumb").count() == 0  # nothing selected yet
    # select every entry: one heat-map cell, then the others with shift
    cells = page.locator(".lw-heatmap rect.lw-heat-cell")
    cells.nth(0).click()
    for k in range(1, cells.count()):
        cells.nth(k).click(modifiers=["Shift"])
    thumbs = _thumbs(page)
    coll = gallery.collection
    assert sorted(t["entry"] for t in thumbs) == sorted(coll.ids)
    payload = dict(zip(gallery._data["ids"], gallery._data["profiles"], strict=True))
    for t in thumbs:
        minima = from_wire(payload[t["entry"]]["minima"])
        assert minima.size == BASINS == t["shapes"] == t["painted"]  # one shape per basin
        assert t["markers"] == 2 * BASINS - 1  # every minimum and merge saddle
        assert len(t["ticks"]) >= 2 and t["box"][0] >= 150 and t["box"][1] >= 100
    # one shared loss axis (the default): the same ticks at the same heights on every
    # thumbnail; off: each its own range
    assert len({tuple(t["ticks"]) for t in thumbs}) == 1
    page.click(".lw-shared-axis")
    own = _thumbs(page)
    assert len({tuple(t["ticks"]) for t in own}) > 1
    page.click(".lw-shared-axis")
    if shots:
        for width in (800, 970, 1400):
            page.set_viewport_size({"width": width, "height": 1000})
            shot = Path(shots) / f"gallery_profiles_{width}.png"
            page.locator(".lw-profiles").screenshot(path=str(shot))
        page.set_viewport_size({"width": 970, "height": 1000})
    # a click on a thumbnail opens its entry's Explorer, without a kernel
    target = coll.find(depth=1.2, seed=1)[0].id
    page.click(f'.lw-thumb[data-entry="{target}"] svg')
    page.wait_for_selector(f'.lw-explorer-area[data-state="open"][data-entry="{target}"]')
    assert page.get_attribute(f'.lw-thumb[data-entry="{target}"]', "aria-current") == "true"
    assert page.locator(".lw-explorer-area .lw-profile path.lw-basin").count() > 0
    if shots:
        page.screenshot(path=str(Path(shots) / "gallery_profiles_open_970.png"), full_page=True)
    assert page.errors == []
