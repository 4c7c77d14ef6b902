"""A noisy landscape with hundreds of basins, exported: one topology on the wire (size linear in
basins), drawn, brushed and simplified with the slider offline, geometry computed in the page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.widgets import Explorer

from .conftest import open_export

pytestmark = pytest.mark.browser


def _state(text: str) -> dict[str, Any]:
    block = re.search(
        r'<script type="application/vnd.jupyter.widget-state\+json">\n(.*?)\n</script>', text, re.S
    )
    assert block is not None
    return json.loads(block.group(1).replace("<\\/", "</"))["state"]


# the profile's shape elements, painted shapes and merged (counted) basins, in one snapshot
PROFILE_COUNTS_JS = """() => {
  const sum = (sel, key) => [...document.querySelectorAll(sel)]
    .reduce((n, e) => n + +e.dataset[key], 0);
  return [document.querySelectorAll(".lw-profile path.lw-basin:not(.lw-lod-overlay)").length,
          sum(".lw-profile foreignObject.lw-profile-raster", "painted"),
          sum(".lw-profile [data-aggregate]", "aggregate")];
}"""


def _bars(page: Any) -> int:
    """The barcode's bars: its rect elements (not overlays of selected painted bars) plus the
    bars its bitmap paints."""
    painted = page.eval_on_selector_all(".lw-barcode foreignObject.lw-bar-raster",
                                        "ns => ns.reduce((n, i) => n + +i.dataset.painted, 0)")
    return page.locator(".lw-barcode rect.lw-bar:not(.lw-lod-overlay)").count() + painted


def test_noisy_export_is_one_small_topology_and_stays_interactive(page: Any,
                                                                  tmp_path: Path) -> None:
    land = lw.Landscape.from_array(np.random.default_rng(5).random((61, 61)))
    ex = Explorer(land, views=["profile", "merge_tree", "barcode", "diagram"])
    basins = ex.tree.n_minima
    assert basins > 300
    open_export(page, ex, tmp_path / "noise.html", timeout_ms=60_000)
    state = _state((tmp_path / "noise.html").read_text())
    # the tree travels once: a small constant per basin (base64 text of the binary buffers)
    topo_bytes = sum(len(b["data"]) for b in state[ex.topology.model_id]["buffers"]) * 3 / 4
    assert topo_bytes <= 2_000 + 120 * basins, (topo_bytes, basins)
    for view in ex.views:  # no view carries arrays of its own
        assert not state[view.model_id].get("buffers"), type(view).__name__
    assert page.locator(".lw-tree circle.lw-min").count() == basins
    # one bar per basin: elements, or (past SVG_BARS) painted into the barcode's bitmap
    assert _bars(page) == basins
    # the threshold the slider will be set to below, and its simplification
    t = float(page.get_attribute("input.lw-threshold", "data-max")) * 0.6 ** 2
    simple = ex.tree.simplify(t)
    # brushing: a basin clicked in the barcode is lit in every view (one drawn as an element
    # that merges into another at t, so that the relabelling below is seen)
    target = int(ex.tree.minima[3])
    if not page.locator(f'.lw-barcode rect.lw-bar[data-basin="{target}"]').count():
        elements = page.eval_on_selector_all(".lw-barcode rect.lw-bar[data-basin]",
                                             "ns => ns.map(n => +n.dataset.basin)")
        target = next(b for b in elements if int(simple.basins.ravel()[b]) != b)
    page.click(f'.lw-barcode rect.lw-bar[data-basin="{target}"]')
    for view in ("profile", "tree", "barcode", "diagram"):
        lit = page.eval_on_selector_all(f'.lw-{view} [aria-selected="true"]',
                                        "ns => ns.map(n => +n.dataset.basin)")
        assert set(lit) == {target}, view
    # the slider simplifies every view (geometry computed in the page) and relabels the
    # selection to the basin the clicked one merged into, exactly as tree.simplify does
    page.evaluate("""() => { const s = document.querySelector('input.lw-threshold');
        s.value = '600'; s.dispatchEvent(new Event('input')); }""")
    survivor = int(simple.basins.ravel()[target])
    assert page.locator(".lw-tree circle.lw-min").count() == simple.n_minima < basins
    # one shape per basin: elements, or (past BITMAP_SHAPES) painted into the profile's bitmap,
    # or merged into their parents' and counted (past LADDER_FLOOR basins the profile is drawn
    # at a rung of its level of detail's ladder; on this move first the coarse rung, then the
    # exact one a frame later: the three counts are read from one drawing, in one call)
    shapes, painted, merged = page.evaluate(PROFILE_COUNTS_JS)
    assert shapes + painted + merged == simple.n_minima
    assert _bars(page) == simple.n_minima
    for view in ("profile", "tree", "barcode", "diagram"):
        lit = page.eval_on_selector_all(f'.lw-{view} [aria-selected="true"]',
                                        "ns => ns.map(n => +n.dataset.basin)")
        assert set(lit) == {survivor}, view
    assert not page.errors, page.errors
