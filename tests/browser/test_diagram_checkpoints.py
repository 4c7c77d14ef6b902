"""The persistence diagram paints its layer in bands and keeps the canvas at each band's end
(lib/ranked_paint.js): a first visit of a threshold continues from the nearest checkpoint below it,
painting less than one band, and shows exactly the pixels of a page that painted that threshold
from nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw

from .test_bitmap_memo import PRINT_JS
from .test_profile_prefetch import _open
from .test_scale import SLIDE_JS

pytestmark = pytest.mark.browser

IMAGE = "foreignObject.lw-point-aggregate"

# sprites stamped (drawImage with a source rectangle) on canvases other than live ones, counted
COUNT_STAMPS = """{ const draw = CanvasRenderingContext2D.prototype.drawImage;
  window.lwStamps = 0;
  CanvasRenderingContext2D.prototype.drawImage = function (...a) {
    if (a.length === 9 && !this.canvas.classList.contains("lw-live-canvas")) window.lwStamps++;
    return draw.apply(this, a); }; }"""

COUNTS_JS = f"""() => {{ const n = document.querySelector('{IMAGE}');
  return [+n.getAttribute('data-painted'), +n.getAttribute('data-aggregate')]; }}"""


def test_threshold_continued_from_a_checkpoint_equals_a_cold_paint(
    browser: Any, tmp_path: Path
) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    tree = lw.merge_tree(land)
    path = tmp_path / "checkpoints.html"
    lw.Explorer(land).to_html(path)

    # opened at threshold 0: every band painted, every checkpoint kept
    warm = _open(browser, path, COUNT_STAMPS)
    before = warm.evaluate(PRINT_JS, IMAGE)
    stamps = warm.evaluate("window.lwStamps")
    assert stamps > 1000
    warm.evaluate(SLIDE_JS, [0.5])
    warm.wait_for_function(f"(old) => ({PRINT_JS})('{IMAGE}') !== old", arg=before,
                           timeout=10_000)
    continued = warm.evaluate(PRINT_JS, IMAGE)
    painted, aggregated = warm.evaluate(COUNTS_JS)
    # far more than a band of circles shown, none aggregated (a dot is not a stamp) ...
    assert painted > 1000 and aggregated == 0
    moved = warm.evaluate("window.lwStamps") - stamps
    assert 0 < moved < 300  # ... of which less than a band (285 here) was painted now

    # a page opened at the same count of pairs shown paints them from nothing
    shown = 150 + painted + aggregated  # SVG_POINTS circles, then the painted ones
    finite = np.sort(tree.persistence[np.isfinite(tree.persistence)])[::-1]
    threshold = float(finite[shown - 2])  # the essential pair is shown at every threshold
    cold_path = tmp_path / "cold.html"
    lw.Explorer(land, min_persistence=threshold).to_html(cold_path)
    cold = _open(browser, cold_path, COUNT_STAMPS)
    assert cold.evaluate(COUNTS_JS) == [painted, aggregated]
    assert cold.evaluate("window.lwStamps") >= painted
    assert cold.evaluate(PRINT_JS, IMAGE) == continued
    assert not warm.errors and not cold.errors
    warm.context.close()
    cold.context.close()
