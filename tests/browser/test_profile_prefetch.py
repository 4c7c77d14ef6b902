"""The profile prepares the ladder rungs a slider reaches next while the page is idle
(profile_view.js prefetchSteps, lib/idle.js): once it has, a first visit of a rung paints
nothing and shows exactly the pixels that a page which never prepared anything paints there
(that page draws the coarse rung first and the exact one a frame later: scheduleRefine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import landscape_widgets as lw

from .test_bitmap_memo import PRINT_JS
from .test_scale import SLIDE_JS

pytestmark = pytest.mark.browser

PROFILE = '[data-view="profile"]'
RASTER = "foreignObject.lw-profile-raster"

# every canvas given a 2-D context other than a live canvas's (lib/bitmap.js) numbered in order:
# the number of the canvas that the profile's live canvas copied says when it was painted
COUNT_PAINTS = """{ const context = HTMLCanvasElement.prototype.getContext;
  window.lwPaints = 0;
  HTMLCanvasElement.prototype.getContext = function (...a) {
    if (!this.classList.contains("lw-live-canvas") && !this.lwSerial && this.width > 1) {
      this.lwSerial = ++window.lwPaints; }
    return context.apply(this, a); }; }"""

SOURCE_JS = f"""() => document.querySelector('{RASTER} canvas').__lwSource.lwSerial"""


def _open(browser: Any, path: Path, init: str) -> Any:
    """A fresh page (its own context) with ``init`` run first, at ``path`` once drawn."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.add_init_script(init)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-lw-rendered]", timeout=30_000)
    assert not page.errors, page.errors
    return page


# the profile's data-refining values, in order, from here on (a move to a rung not laid out yet
# draws a coarser rung first: "1" until the exact one is drawn, then "0")
WATCH_REFINING_JS = f"""() => {{ window.lwRefining = [];
  const view = document.querySelector('{PROFILE}');
  new MutationObserver(() => window.lwRefining.push(view.getAttribute("data-refining")))
    .observe(view, {{ attributes: true, attributeFilter: ["data-refining"] }}); }}"""


def _move(page: Any, fraction: float) -> str:
    """Move the slider; the profile's live canvas's fingerprint once it shows the move at its
    exact level of detail (not refining)."""
    before = page.get_attribute(RASTER, "data-painted")
    page.evaluate(WATCH_REFINING_JS)
    page.evaluate(SLIDE_JS, [fraction])
    page.wait_for_function(
        """([sel, view, old]) => { const r = document.querySelector(sel);
          return r && r.getAttribute('data-painted') !== old
            && document.querySelector(view).getAttribute('data-refining') === '0'; }""",
        arg=[RASTER, PROFILE, before], timeout=10_000)
    return page.evaluate(PRINT_JS, RASTER)


def test_prefetched_rung_paints_nothing_and_equals_a_cold_paint(
    browser: Any, tmp_path: Path
) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    path = tmp_path / "prefetch.html"
    lw.Explorer(land).to_html(path)

    warm = _open(browser, path, COUNT_PAINTS)
    # every rung near the drawn one prepared (the page is idle in the test)
    warm.wait_for_selector(f'{PROFILE}[data-prefetch-pending="0"]', timeout=30_000)
    painted = warm.evaluate("window.lwPaints")
    # 0.7 of the range: a few hundred basins, drawn on a rung below the initial picture
    prepared = _move(warm, 0.7)
    assert warm.evaluate(SOURCE_JS) <= painted  # shown from a canvas painted before the move
    assert "1" not in warm.evaluate("window.lwRefining")  # exact at once: it was laid out

    cold = _open(browser, path, "window.requestIdleCallback = undefined;" + COUNT_PAINTS)
    assert cold.get_attribute(PROFILE, "data-prefetch-pending") != "0"  # nothing prepared
    painted = cold.evaluate("window.lwPaints")
    fresh = _move(cold, 0.7)
    assert cold.evaluate(SOURCE_JS) > painted  # painted on the move
    # not laid out: the coarse rung first, the exact one after it
    assert cold.evaluate("window.lwRefining") == ["1", "0"]
    assert prepared == fresh
    assert warm.get_attribute(RASTER, "data-painted") == cold.get_attribute(RASTER, "data-painted")
    assert not warm.errors and not cold.errors
    warm.context.close()
    cold.context.close()
