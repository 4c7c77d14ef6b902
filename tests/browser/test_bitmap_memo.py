"""The persistence diagram keeps its last few painted bitmaps (lib/bitmap.js BitmapMemo, their
canvases): a slider move back to a threshold drawn before shows, in the same live canvas, the
same pixels as the fresh paint of that threshold without painting again, no PNG is encoded, and
the current selection is drawn over it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import landscape_widgets as lw

from .conftest import open_export
from .test_bitmap_layers import SVG_POINTS, _bar_order, _painted_bar_points, _select_bar
from .test_scale import SLIDE_JS

pytestmark = pytest.mark.browser

IMAGE = "foreignObject.lw-point-aggregate"

# a fingerprint of the diagram's live canvas: its size, painted count and a hash of its pixels
PRINT_JS = """(sel) => {
  const c = document.querySelector(sel).querySelector("canvas");
  const a = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let h = 2166136261 >>> 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 1) {
    h = Math.imul(h ^ a[i], 16777619) >>> 0;
    if ((i & 3) === 3 && a[i]) n += 1;
  }
  return `${c.width}x${c.height}:${n}:${h}`;
}"""


def _slide(page: Any, fraction: float, previous: str | None) -> str:
    """Move the Explorer's slider and return the diagram's live canvas's fingerprint once it
    changed from ``previous`` (None: once the move has been drawn)."""
    page.evaluate(SLIDE_JS, [fraction])
    if previous is not None:
        page.wait_for_function(
            f"""([sel, old]) => {{ const n = document.querySelector(sel);
                 return n && ({PRINT_JS})(sel) !== old; }}""",
            arg=[IMAGE, previous], timeout=10_000)
    else:
        page.wait_for_timeout(300)
    return page.evaluate(PRINT_JS, IMAGE)


def test_diagram_bitmap_restored_equals_fresh_paint(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    # every canvas painted on the page (a 2-D context on a canvas other than a live canvas's,
    # lib/bitmap.js) and every PNG encoded, counted: a restored bitmap is not painted again,
    # no slider move encodes a PNG and no live canvas is ever encoded (the contour view's
    # band raster, not a painted layer, is one PNG made on load)
    page.add_init_script("""{ const encode = HTMLCanvasElement.prototype.toDataURL;
      const context = HTMLCanvasElement.prototype.getContext;
      window.lwPngs = 0;
      window.lwLivePngs = 0;
      window.lwPaints = 0;
      HTMLCanvasElement.prototype.toDataURL = function (...a) { window.lwPngs++;
        if (this.classList.contains("lw-live-canvas")) window.lwLivePngs++;
        return encode.apply(this, a); };
      HTMLCanvasElement.prototype.getContext = function (...a) {
        if (!this.classList.contains("lw-live-canvas") && !this.lwCounted) {
          this.lwCounted = true; window.lwPaints++; }
        return context.apply(this, a); }; }""")
    open_export(page, lw.Explorer(land), tmp_path / "memo.html")
    live = page.locator(IMAGE)
    fresh = page.evaluate(PRINT_JS, IMAGE)  # painted at threshold 0 on load
    # select a basin whose pair is painted (not one of the SVG_POINTS circles): a bar past them
    # (the barcode's bars in drawing order, i.e. by persistence: its data-order; the first
    # painted one that a click can reach on the barcode's bitmap)
    bars = _bar_order(page)
    assert len(bars) > SVG_POINTS + 1
    reachable = _painted_bar_points(page)
    basin = next(b for b in bars[SVG_POINTS + 1:] if b in reachable)
    _select_bar(page, basin)
    overlay = f'.lw-diagram circle.lw-lod-overlay[data-basin="{basin}"][aria-selected="true"]'
    page.wait_for_selector(overlay, state="attached", timeout=5_000)
    canvas = live.element_handle().query_selector("canvas")
    encoded = page.evaluate("window.lwPngs")
    middle = _slide(page, 0.5, fresh)
    assert middle != fresh
    # back to 0: the memo's bitmap, equal to the fresh paint, with the selection drawn over it,
    # shown in the same live canvas (same size: the foreignObject and its canvas kept)
    painted = page.evaluate("window.lwPaints")
    back = _slide(page, 0.0, middle)
    assert back == fresh
    assert page.evaluate("window.lwPaints") == painted
    assert page.evaluate("([a, b]) => a === b", [canvas, live.element_handle().query_selector(
        "canvas")])
    page.wait_for_selector(overlay, state="attached", timeout=5_000)
    # and again to the middle: the middle's bitmap is the one painted a moment ago
    assert _slide(page, 0.5, back) == middle
    assert page.evaluate("window.lwPaints") == painted
    assert page.evaluate("window.lwPngs") == encoded
    assert page.evaluate("window.lwLivePngs") == 0
