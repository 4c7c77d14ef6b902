"""Dense layers painted into bitmaps (js/src/lib/bitmap.js) in Chromium: a profile of thousands
of basins is one PNG under its invisible hit shapes, and the persistence diagram's pairs beyond
the element budget are one PNG of dots (with the pairs past the first 400 painted as circles);
both images decode and carry paint, and the profile's
hit shapes still select a basin in every view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import landscape_widgets as lw

from .conftest import open_export, pointer_click

pytestmark = pytest.mark.browser

# the number of painted (non-transparent) pixels of the image under `sel`
PAINTED_JS = """async (sel) => {
  const node = document.querySelector(sel);
  const im = new Image();
  im.src = node.getAttribute("href");
  await im.decode();
  const c = document.createElement("canvas");
  c.width = im.naturalWidth;
  c.height = im.naturalHeight;
  const g = c.getContext("2d");
  g.drawImage(im, 0, 0);
  const a = g.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < a.length; i += 4) if (a[i] > 0) n += 1;
  return n;
}"""


def test_profile_and_diagram_bitmaps(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    open_export(page, lw.Explorer(land), tmp_path / "dense.html")
    for sel in (".lw-profile image.lw-profile-raster", "image.lw-point-aggregate"):
        href = page.get_attribute(sel, "href")
        assert href is not None and href.startswith("data:image/png;base64,"), sel
        assert page.evaluate(PAINTED_JS, sel) > 1000, sel
    # the hit shapes over the bitmap still brush: a click selects its basin in the other views
    basin = pointer_click(page, ".lw-profile [data-basin]", 3)
    for view in ("[data-view=merge-tree]", "[data-view=barcode]"):
        page.wait_for_selector(f"{view} [data-basin='{basin}'][aria-selected='true']",
                               state="attached", timeout=5_000)


# pointer events at page position (x, y) on the element there; returns its class
CLICK_AT_JS = """([x, y]) => {
  const at = { bubbles: true, cancelable: true, composed: true, button: 0, pointerId: 1,
    isPrimary: true, pointerType: "mouse", clientX: x, clientY: y };
  const target = document.elementFromPoint(x, y);
  target.dispatchEvent(new PointerEvent("pointerdown", { ...at, buttons: 1 }));
  target.dispatchEvent(new PointerEvent("pointerup", { ...at, buttons: 0 }));
  target.dispatchEvent(new MouseEvent("click", { ...at, buttons: 0 }));
  return target.getAttribute("class");
}"""

# page positions of the diagram's pairs drawn as elements (circles, and overlays of selected
# pairs that have none): {basin: [x, y]}
POSITIONS_JS = """() => Object.fromEntries([...document.querySelectorAll(
  ".lw-diagram circle.lw-point[data-basin]")].map((c) => { const r = c.getBoundingClientRect();
  return [c.dataset.basin, [r.x + r.width / 2, r.y + r.height / 2]]; }))"""


def test_diagram_painted_pairs_brush_exactly(page: Any, tmp_path: Path) -> None:
    """Past SVG_POINTS pairs the diagram paints the next ones into its bitmap as circles: a
    click where a painted pair is drawn selects that basin in every view, a selected painted
    pair is drawn on top, and the SVG export carries the bitmap."""
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    open_export(page, lw.Explorer(land), tmp_path / "painted.html")
    image = "image.lw-point-aggregate"
    assert int(page.get_attribute(image, "data-painted") or 0) > 1000
    assert page.locator(".lw-diagram circle.lw-point").count() == 400
    assert page.evaluate(PAINTED_JS, image) > 1000
    # every pair in a box over the plot selected: each one without an element of its own is
    # drawn on top (an overlay where the bitmap paints it), so every position is known
    box = page.locator(".lw-diagram svg").bounding_box()
    page.mouse.move(box["x"] + 50, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=4)
    page.mouse.move(box["x"] + box["width"] - 14, box["y"] + box["height"] - 36, steps=4)
    page.mouse.up()
    page.wait_for_selector(".lw-diagram circle.lw-lod-overlay", state="attached", timeout=5_000)
    where = {int(b): xy for b, xy in page.evaluate(POSITIONS_JS).items()}
    overlays = {int(b) for b in page.eval_on_selector_all(
        ".lw-diagram circle.lw-lod-overlay", "ns => ns.map((n) => n.dataset.basin)")}
    # painted (not hidden) pairs: the barcode's bars are the most persistent, in order, and the
    # first 400 of them are the diagram's circles
    bars = [int(b) for b in page.eval_on_selector_all(
        "[data-view=barcode] rect.lw-bar[data-basin]", "ns => ns.map((n) => n.dataset.basin)")]
    painted = [b for b in bars[400:] if b in overlays]
    assert len(painted) > 100

    def alone(b: int) -> bool:
        x, y = where[b]
        inside = box["x"] + 60 < x < box["x"] + box["width"] - 24 and \
            box["y"] + 22 < y < box["y"] + box["height"] - 46
        return inside and all((x - u) ** 2 + (y - v) ** 2 >= 100
                              for o, (u, v) in where.items() if o != b)

    basin = next((b for b in painted if alone(b)), None)
    assert basin is not None, "no painted pair 10 px clear of every other pair"
    x, y = where[basin]
    page.focus(".lw-diagram")
    page.keyboard.press("Escape")
    page.wait_for_selector(".lw-diagram circle.lw-lod-overlay", state="detached", timeout=5_000)
    # a click on the bitmap where that pair is painted selects it, in every view
    assert "lw-point-aggregate" in page.evaluate(CLICK_AT_JS, [x, y])
    for view in ("persistence-diagram", "barcode", "merge-tree", "profile"):
        page.wait_for_selector(f'[data-view="{view}"] [data-basin="{basin}"][aria-selected="true"]',
                               state="attached", timeout=5_000)
    # the SVG export holds the painted layer and the selected pair on top
    with page.expect_download() as download:
        page.click('.lw-diagram button[data-export="svg"]')
    exported = Path(download.value.path()).read_text()
    assert 'class="lw-point-aggregate"' in exported and "data:image/png;base64," in exported
    assert f'data-basin="{basin}"' in exported
