"""ContourView's level of detail in Chromium (static export): a noisy slice arrives without
polygons and is drawn as a band-coloured image inside the SVG. Every pixel has the colour bar's
colour of its value's band, on the linear and the log scale; a click on the image selects the
basin of the pixel under it (outlined exactly); the SVG export carries the image; the markers
are capped at the most persistent critical points."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire

from .conftest import open_export

pytestmark = pytest.mark.browser

IMAGE = ".lw-contour image.lw-band-raster"

# the image's pixels as the browser decodes its data URL (RGBA, row 0 = top)
PIXELS_JS = """async (sel) => {
  const node = document.querySelector(sel);
  const [nx, ny] = node.dataset.pixels.split("x").map(Number);
  const im = new Image();
  im.src = node.getAttribute("href");
  await im.decode();
  const c = document.createElement("canvas");
  c.width = nx;
  c.height = ny;
  const g = c.getContext("2d");
  g.drawImage(im, 0, 0);
  return Array.from(g.getImageData(0, 0, nx, ny).data);
}"""

# pointer down/up on the image at fractions (fx, fy) of its box (no marker in the way)
CLICK_JS = """([sel, fx, fy]) => {
  const node = document.querySelector(sel);
  const box = node.getBoundingClientRect();
  const at = { bubbles: true, cancelable: true, composed: true, button: 0, pointerId: 1,
    isPrimary: true, pointerType: "mouse", clientX: box.x + fx * box.width,
    clientY: box.y + fy * box.height };
  node.dispatchEvent(new PointerEvent("pointerdown", { ...at, buttons: 1 }));
  node.dispatchEvent(new PointerEvent("pointerup", { ...at, buttons: 0 }));
}"""


def bar_colours(page: Any) -> np.ndarray:
    fills = page.eval_on_selector_all(".lw-contour g.lw-colorbar rect",
                                      "rs => rs.map(r => r.getAttribute('fill'))")
    return np.array([[int(v) for v in re.findall(r"\d+", f)] for f in fills])


def check_pixels(page: Any, z: np.ndarray, edges: np.ndarray) -> None:
    ny, nx = z.shape
    px = np.array(page.evaluate(PIXELS_JS, IMAGE), dtype=int).reshape(ny, nx, 4)[::-1]
    band = np.clip(np.searchsorted(edges, z, side="right") - 1, 0, len(edges) - 2)
    np.testing.assert_array_equal(px[..., :3], bar_colours(page)[band])
    assert (px[..., 3] == 255).all()


def outline_edges(labels: np.ndarray, basin: int) -> int:
    on = np.pad(labels == basin, 1)
    inner = on[1:-1, 1:-1]
    return int(sum((inner & ~np.roll(on, s, axis=a)[1:-1, 1:-1]).sum()
                   for a in (0, 1) for s in (1, -1)))


def test_noisy_contours_are_a_band_raster(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=101, seed=0)
    tree = lw.merge_tree(land)
    view = lw.ContourView(land, tree, scale="linear")
    s = view._data["slice"]
    assert s["levels"]["linear"]["raster"] and s["levels"]["log"]["raster"]
    z = from_wire(s["z"]).astype(np.float64)
    open_export(page, view, tmp_path / "noise.html")
    assert page.locator(".lw-contour path.lw-band").count() == 0
    assert page.get_attribute(IMAGE, "href").startswith("data:image/png;base64,")
    assert page.get_attribute(IMAGE, "data-pixels") == f"{z.shape[1]}x{z.shape[0]}"
    check_pixels(page, z, from_wire(s["levels"]["linear"]["edges"]))

    # markers: at most the budget, all minima and saddles counted
    crit = page.locator(".lw-contour g.lw-critical")
    shown = int(crit.get_attribute("data-shown"))
    assert int(crit.get_attribute("data-total")) == len(from_wire(s["crit_vertex"])) > 1500
    assert 50 <= shown <= 1500
    assert page.locator(".lw-contour circle.lw-min, .lw-contour circle.lw-saddle").count() == shown
    assert page.locator(f'.lw-contour circle.lw-min[data-vertex="{int(tree.minima[0])}"]').count()

    # hit-testing on the image: the pixel's basin, outlined along its cells' boundary
    basins = from_wire(s["basins"])
    ny, nx = basins.shape
    ix, iy = nx // 3, ny // 4
    page.evaluate(CLICK_JS, [IMAGE, (ix + 0.5) / nx, 1 - (iy + 0.5) / ny])
    page.wait_for_function(
        "() => +document.querySelector('.lw-contour path.lw-outline').dataset.edges > 0")
    edges = int(page.get_attribute(".lw-contour path.lw-outline", "data-edges"))
    assert edges == outline_edges(basins, int(basins[iy, ix]))

    # the SVG export contains the image
    with page.expect_download() as download:
        page.click('.lw-contour button[data-export="svg"]')
    exported = Path(download.value.path()).read_text()
    assert "<image" in exported and "data:image/png;base64," in exported
    # and the PNG export paints it: the plot area holds the map's band colours
    with page.expect_download() as download:
        page.click('.lw-contour button[data-export="png"]')
    from PIL import Image

    png = np.asarray(Image.open(download.value.path()).convert("RGB"))
    h, w = png.shape[:2]
    centre = png[h // 4: h // 2, w // 4: w // 2].reshape(-1, 3)
    bands = {tuple(c) for c in bar_colours(page)}
    share = np.mean([tuple(c) in bands for c in centre])
    assert share > 0.5, share

    # the log scale: other edges, the same rule
    linear_href = page.get_attribute(IMAGE, "href")
    page.click(".lw-contour .lw-scale button[data-scale='log']")
    page.wait_for_function(
        "() => document.querySelector('.lw-contour g.lw-colorbar').dataset.scale === 'log'")
    assert page.get_attribute(IMAGE, "href") != linear_href
    check_pixels(page, z, from_wire(s["levels"]["log"]["edges"]))
