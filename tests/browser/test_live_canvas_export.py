"""The painted layers of the four dense views (barcode, merge tree, profile, persistence
diagram) are live canvases on screen (an SVG foreignObject holding one HTML canvas) and PNG
images in an exported figure: the SVG export of each view holds every layer as an <image> of
exactly the live canvas's pixels, with its place, size and data-painted, and no foreignObject or
canvas; the PNG export draws the painted layer."""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw

from .conftest import open_export
from .test_bitmap_layers import PAINTED_JS

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"

# view -> the classes of its painted layers
LAYERS = {
    "barcode": ("lw-bar-raster",),
    "merge-tree": ("lw-tree-raster", "lw-tree-raster-nodes"),
    "profile": ("lw-profile-raster",),
    "persistence-diagram": ("lw-point-aggregate",),
}

# a live canvas's attributes and its pixels' sums: [attrs, backing width, height, alpha sum,
# rgb sum over painted pixels]
LIVE_JS = """(sel) => {
  const node = document.querySelector(sel);
  const c = node.querySelector("canvas");
  const attrs = Object.fromEntries([...node.attributes].map((a) => [a.name, a.value]));
  const a = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let alpha = 0, rgb = 0;
  for (let i = 0; i < a.length; i += 4) {
    alpha += a[i + 3];
    if (a[i + 3]) rgb += a[i] + a[i + 1] + a[i + 2];
  }
  return [attrs, c.width, c.height, alpha, rgb];
}"""


def _png(href: str) -> np.ndarray:
    from PIL import Image

    assert href.startswith("data:image/png;base64,"), href[:40]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))).convert(
        "RGBA")).astype(np.int64)


def _export_svg(page: Any, view: str) -> str:
    with page.expect_download() as download:
        page.click(f'[data-view="{view}"] button[data-export="svg"]')
    return Path(download.value.path()).read_text()


def test_svg_export_turns_each_live_canvas_into_its_png(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    open_export(page, lw.Explorer(land), tmp_path / "export.html")
    for view, classes in LAYERS.items():
        live = {}
        for cls in classes:
            sel = f'[data-view="{view}"] foreignObject.{cls}'
            assert page.evaluate(PAINTED_JS, sel) > 1000, sel  # a live canvas with paint
            live[cls] = page.evaluate(LIVE_JS, sel)
        text = _export_svg(page, view)
        assert "foreignObject" not in text and "<canvas" not in text, view
        root = ET.fromstring(text)
        images = {im.get("class"): im for im in root.iter(f"{SVG}image")}
        for cls in classes:
            attrs, width, height, alpha, rgb = live[cls]
            image = images.get(cls)
            assert image is not None, (view, cls)
            # the foreignObject's place, size and public attributes carried over
            for name in ("x", "y", "width", "height", "data-painted", "data-aggregate",
                         "pointer-events", "aria-hidden"):
                assert image.get(name) == attrs.get(name), (view, cls, name)
            assert image.get("preserveAspectRatio") == "none"
            # its PNG is the canvas's pixels: the backing store's size, the same paint
            px = _png(image.get("href") or "")
            assert px.shape == (height, width, 4), (view, cls)
            assert int(px[..., 3].sum()) == alpha, (view, cls)
            assert int(px[..., :3][px[..., 3] > 0].sum()) == rgb, (view, cls)


# the barcode's painted-only band in page coordinates relative to its svg: below the last bar
# drawn as an element, above the aggregate band: [top, bottom, left, right, svg w, svg h]
BAND_JS = """() => {
  const svg = document.querySelector('[data-view="barcode"] svg');
  const s = svg.getBoundingClientRect();
  let top = 0;
  for (const r of svg.querySelectorAll("rect.lw-bar[data-basin]")) {
    top = Math.max(top, r.getBoundingClientRect().bottom - s.top);
  }
  const band = svg.querySelector("rect.lw-aggregate-band").getBoundingClientRect();
  const f = svg.querySelector("foreignObject.lw-bar-raster").getBoundingClientRect();
  return [top, band.top - s.top, f.left - s.left, f.right - s.left,
          Number(svg.getAttribute("width")), Number(svg.getAttribute("height"))];
}"""


def test_png_export_draws_the_painted_layer(page: Any, tmp_path: Path) -> None:
    from PIL import Image

    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    open_export(page, lw.Explorer(land), tmp_path / "png.html")
    top, bottom, left, right, w, h = page.evaluate(BAND_JS)
    assert bottom - top > 20  # the rows of painted bars only
    with page.expect_download() as download:
        page.click('[data-view="barcode"] button[data-export="png"]')
    png = np.asarray(Image.open(download.value.path()).convert("RGB")).astype(np.int64)
    assert png.shape == (2 * h, 2 * w, 3)  # PNG_SCALE 2
    band = png[int(2 * top) + 2:int(2 * bottom) - 2, int(2 * left):int(2 * right)]
    background = band[0, 0]
    # the painted bars show in that band (bar colour #4a6fa5), not only the background
    bar = np.array([0x4A, 0x6F, 0xA5])
    assert (np.abs(band - bar).max(axis=2) <= 24).mean() > 0.2, background


def test_live_canvases_at_twice_the_density(browser: Any, tmp_path: Path) -> None:
    """On a 2x screen each live canvas keeps its CSS size and paints at 2x (its backing store
    twice the foreignObject's size), and the export's PNG is that backing store."""
    context = browser.new_context(viewport={"width": 1300, "height": 900}, device_scale_factor=2)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    try:
        land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
        open_export(page, lw.Explorer(land), tmp_path / "dense2x.html")
        assert page.evaluate("window.devicePixelRatio") == 2
        for view, classes in LAYERS.items():
            for cls in classes:
                sel = f'[data-view="{view}"] foreignObject.{cls}'
                assert page.evaluate(PAINTED_JS, sel) > 4000, sel  # the density checked there
        text = _export_svg(page, "barcode")
        image = next(im for im in ET.fromstring(text).iter(f"{SVG}image")
                     if im.get("class") == "lw-bar-raster")
        px = _png(image.get("href") or "")
        assert px.shape[1] == int(np.ceil(float(image.get("width") or 0) * 2))
    finally:
        context.close()
