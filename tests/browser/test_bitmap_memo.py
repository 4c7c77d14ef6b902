"""The persistence diagram keeps its last few painted bitmaps (lib/bitmap.js BitmapMemo): a
slider move back to a threshold drawn before shows the same PNG as the fresh paint of that
threshold, and the current selection is drawn over it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import landscape_widgets as lw

from .conftest import open_export
from .test_bitmap_layers import _bar_order, _painted_bar_points, _select_bar
from .test_scale import SLIDE_JS

pytestmark = pytest.mark.browser

IMAGE = "image.lw-point-aggregate"


def _slide(page: Any, fraction: float, previous: str | None) -> str:
    """Move the Explorer's slider and return the diagram bitmap's href once it changed from
    ``previous`` (None: once the move has been drawn)."""
    page.evaluate(SLIDE_JS, [fraction])
    if previous is not None:
        page.wait_for_function(
            """([sel, old]) => { const n = document.querySelector(sel);
                 return n && n.getAttribute("href") !== old; }""",
            arg=[IMAGE, previous], timeout=10_000)
    else:
        page.wait_for_timeout(300)
    return page.get_attribute(IMAGE, "href")


def test_diagram_bitmap_restored_equals_fresh_paint(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    # every PNG encoded on the page, counted: a restored bitmap is not painted again
    page.add_init_script("""{ const encode = HTMLCanvasElement.prototype.toDataURL;
      window.lwPngs = 0;
      HTMLCanvasElement.prototype.toDataURL = function (...a) { window.lwPngs++;
        return encode.apply(this, a); }; }""")
    open_export(page, lw.Explorer(land), tmp_path / "memo.html")
    fresh = page.get_attribute(IMAGE, "href")  # painted at threshold 0 on load
    assert fresh and fresh.startswith("data:image/png;base64,")
    # select a basin whose pair is painted (not one of the 400 circles): a bar past the 400th
    # (the barcode's bars in drawing order, i.e. by persistence: its data-order; the first
    # painted one that a click can reach on the barcode's bitmap)
    bars = _bar_order(page)
    assert len(bars) > 401
    reachable = _painted_bar_points(page)
    basin = next(b for b in bars[401:] if b in reachable)
    _select_bar(page, basin)
    overlay = f'.lw-diagram circle.lw-lod-overlay[data-basin="{basin}"][aria-selected="true"]'
    page.wait_for_selector(overlay, state="attached", timeout=5_000)
    middle = _slide(page, 0.5, fresh)
    assert middle != fresh
    # back to 0: the memo's bitmap, equal to the fresh paint, with the selection drawn over it
    encoded = page.evaluate("window.lwPngs")
    back = _slide(page, 0.0, middle)
    assert back == fresh
    assert page.evaluate("window.lwPngs") == encoded
    page.wait_for_selector(overlay, state="attached", timeout=5_000)
    # and again to the middle: the middle's bitmap is the one painted a moment ago
    assert _slide(page, 0.5, back) == middle
    assert page.evaluate("window.lwPngs") == encoded
