"""In-page timings of an exported view (``to_html``) in headless Chromium, for
``benchmarks/widgets.py``: page drawn, brushing, threshold slider.

Only public hooks: ``body[data-lw-rendered]``/``[data-lw-error]`` (set by the export's runtime),
``[data-view]`` roots, ``[data-basin]`` elements, ``aria-selected``, the Explorer's range input.
The clock is the page's own (``performance.now()``, 0 = navigation start), so Playwright's
round trips are not counted; every timing ends at the first frame after the change.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("LW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# the views that draw a whole landscape's topology (leaf [data-view] roots: none inside)
LEAVES_JS = """const leaves = () => [...document.querySelectorAll("[data-view]")]
  .filter((r) => !r.querySelector("[data-view]"));
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const tick = () => new Promise((r) => setTimeout(r, 5));"""

DRAWN_JS = """async ([timeoutMs]) => {
  /*helpers*/
  const drawn = () => document.body.hasAttribute("data-lw-rendered")
    && leaves().length > 0 && leaves().every((r) => r.querySelector("svg *, canvas"));
  while (!drawn()) {
    const error = document.body.getAttribute("data-lw-error");
    if (error) return { error };
    if (performance.now() > timeoutMs) return { ms: -1 };
    await tick();
  }
  await frame();
  return { ms: performance.now(), views: leaves().map((r) => r.dataset.view) };
}""".replace("/*helpers*/", LEAVES_JS)

BRUSH_JS = """async ([b, timeoutMs]) => {
  /*helpers*/
  const target = document.querySelector(`[data-view="barcode"] [data-basin="${b}"]`)
    || document.querySelector(`[data-basin="${b}"]`);
  if (!target) return { ms: -1, missing: ["no element of the basin"] };
  const box = target.getBoundingClientRect();
  const at = { bubbles: true, cancelable: true, composed: true, button: 0, pointerId: 1,
    isPrimary: true, pointerType: "mouse", clientX: box.x + box.width / 2,
    clientY: box.y + box.height / 2 };
  const lit = (r) => r.querySelector(`[data-basin="${b}"][aria-selected="true"]`);
  // every view that draws the basin (a 2-D slice of a 4-D landscape may not hold its minimum)
  const shown = leaves().filter((r) => r.querySelector(`[data-basin="${b}"]`));
  const t0 = performance.now();
  target.dispatchEvent(new PointerEvent("pointerdown", { ...at, buttons: 1 }));
  target.dispatchEvent(new PointerEvent("pointerup", { ...at, buttons: 0 }));
  target.dispatchEvent(new MouseEvent("click", { ...at, buttons: 0 }));
  while (!shown.every(lit)) {
    if (performance.now() - t0 > timeoutMs) {
      return { ms: -1, missing: shown.filter((r) => !lit(r)).map((r) => r.dataset.view) };
    }
    await tick();
  }
  await frame();
  return { ms: performance.now() - t0, views: shown.map((r) => r.dataset.view) };
}""".replace("/*helpers*/", LEAVES_JS)

# Slider positions (share of its range): all the way up leaves the global minimum alone (a
# checkerboard's basins all have about the same persistence: the middle may remove none), back
# to 0 redraws every basin (the costly move), then the middle, then 0.7: on the noise
# landscapes a few hundred basins, within every view's level of detail, so that each view draws
# every basin at exactly that threshold (nothing cached at an aggregated level).
SLIDER_MOVES = (1.0, 0.0, 0.5, 0.7)

# a slider move redraws every view of the tree (the maps may keep their raster); a move that
# changes no view within quietMs is left out of the timings
SLIDER_JS = """async ([fraction, timeoutMs, quietMs]) => {
  /*helpers*/
  const slider = document.querySelector('[data-view="explorer"] input[type="range"]');
  if (!slider) return { ms: -1, missing: ["no range input in the Explorer"] };
  const views = leaves()
    .filter((r) => !["contour", "curve", "spectrum"].includes(r.dataset.view));
  const changed = new Set();
  const mark = (records) => {
    for (const rec of records) for (const r of views) if (r.contains(rec.target)) changed.add(r);
  };
  const observer = new MutationObserver(mark);
  for (const r of views) {
    observer.observe(r, { subtree: true, childList: true, attributes: true });
  }
  const lo = +slider.min || 0, hi = +(slider.max || 100);
  const t0 = performance.now();
  slider.value = String(lo + fraction * (hi - lo));
  slider.dispatchEvent(new Event("input", { bubbles: true }));
  slider.dispatchEvent(new Event("change", { bubbles: true }));
  mark(observer.takeRecords());
  while (changed.size < views.length) {
    if (changed.size === 0 && performance.now() - t0 > quietMs) {
      observer.disconnect();
      return { unchanged: true };  // a threshold that removes nothing may redraw nothing
    }
    if (performance.now() - t0 > timeoutMs) {
      observer.disconnect();
      return { ms: -1, missing: views.filter((r) => !changed.has(r)).map((r) => r.dataset.view) };
    }
    await tick();
    mark(observer.takeRecords());
  }
  await frame();
  observer.disconnect();
  return { ms: performance.now() - t0 };
}""".replace("/*helpers*/", LEAVES_JS)


# the page at rest: every profile view has run the work it prepares in idle time (the ladder
# rungs a slider reaches next, profile_view.js prefetchSteps); a view without the attribute (a
# build before it existed) counts as rested
RESTED_JS = """async ([timeoutMs]) => {
  const t0 = performance.now();
  const busy = () => [...document.querySelectorAll('[data-view="profile"]')].some(
    (v) => v.getAttribute("data-prefetch-pending") !== null
      && v.getAttribute("data-prefetch-pending") !== "0");
  while (busy()) {
    if (performance.now() - t0 > timeoutMs) return { ms: -1 };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ms: performance.now() - t0 };
}"""


def measure_page(
    html: Path, brush: list[int], explorer: bool, page_timeout_s: float = 60,
    step_timeout_s: float = 10, rested: bool = False,
) -> Iterator[dict[str, Any]]:
    """Open ``html``; yield ``{"page_ms"}`` (or ``{"page": why}``), then for an Explorer
    ``{"brush_ms": [...]}`` (one per basin of ``brush``) and ``{"slider_ms": [...]}``.
    ``rested``: the gestures wait until the page has done its idle work (``{"rested_ms"}``:
    how long after it was drawn), as a reader who looks before moving the slider; else they
    follow the drawing at once (first visits with cold caches and code)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.set_default_timeout(1000 * (page_timeout_s + step_timeout_s * 10))
            page.goto(html.as_uri(), wait_until="commit")
            drawn = page.evaluate(DRAWN_JS, [1000 * page_timeout_s])
            if "error" in drawn:
                yield {"page": "never", "error": drawn["error"][:200]}
                return
            if drawn["ms"] < 0:
                yield {"page": "never", "error": f"not drawn in {page_timeout_s:g} s"}
                return
            yield {"page_ms": drawn["ms"], "views": drawn["views"]}
            if not explorer:
                return
            timeout = 1000 * step_timeout_s
            if rested:
                waited = page.evaluate(RESTED_JS, [30_000])
                page.wait_for_timeout(200)
                yield {"rested_ms": waited["ms"]}
            brushed = [page.evaluate(BRUSH_JS, [b, timeout]) for b in brush]
            yield {"brush_ms": [r["ms"] for r in brushed],
                   "brush_views": sorted({v for r in brushed for v in r.get("views", [])}),
                   "brush_missing": sorted({m for r in brushed for m in r.get("missing", [])})}
            moved = [page.evaluate(SLIDER_JS, [f, timeout, 2000]) for f in SLIDER_MOVES]
            yield {"slider_ms": [r["ms"] for r in moved if "ms" in r],
                   "slider_missing": sorted({m for r in moved for m in r.get("missing", [])})}
        finally:
            browser.close()
