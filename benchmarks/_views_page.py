"""In-page timings of an exported view (``to_html``) in headless Chromium, for
``benchmarks/widgets.py``: page drawn, brushing, threshold slider; for a Gallery its cell click
and a box over every scatter point (``GALLERY_CLICK_JS``, ``GALLERY_BOX_JS``: the browser test
``tests/browser/test_gallery.py`` drives the same gestures and checks what they lit).

Only public hooks: ``body[data-lw-rendered]``/``[data-lw-error]`` (set by the export's runtime),
``[data-view]`` roots, ``[data-basin]`` elements, ``aria-selected``, the Explorer's range input;
the Gallery's heat-map cells (``.lw-heat-cell[data-entries]``), scatter points
(``circle.lw-entry[data-entry]``), thumbnails (``.lw-thumb[data-entry]``) and its
"clear selection" button.
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
  const ms = performance.now() - t0;
  // a view that drew a lighter level of detail first (the profile on a move to a ladder rung
  // it has not laid out: data-refining="1") draws the exact one a frame or more later
  const refining = () => document.querySelector('[data-view][data-refining="1"]');
  if (!refining()) return { ms, exactMs: ms };
  while (refining()) {
    if (performance.now() - t0 > timeoutMs) return { ms, exactMs: -1 };
    await tick();
  }
  await frame();
  return { ms, exactMs: performance.now() - t0 };
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


# The Gallery's gestures. Each starts from an empty selection (its "clear selection" button,
# then a frame, not timed), dispatches the pointer events its brush listens to on the SVG, waits
# until the scatter lights a point and a thumbnail is drawn (the static export's model updates
# synchronously: whatever the gesture selects is there at once) and ends at the next frame. They
# return what they lit, so that a caller checks the gesture did what it says: the entries of the
# lit scatter points and thumbnails, the number of lit heat-map cells.
GALLERY_JS = LEAVES_JS + """
const litPoints = () => [...document.querySelectorAll(
  '.lw-scatter circle.lw-entry[aria-selected="true"]')].map((n) => n.dataset.entry);
const thumbs = () => [...document.querySelectorAll(".lw-thumb")].map((n) => n.dataset.entry);
const litCells = () => document.querySelectorAll('.lw-heat-cell[aria-selected="true"]').length;
const clearSelection = async () => {
  const button = document.querySelector(".lw-gallery .lw-clear");
  if (button) button.click();
  await frame();
};
const settle = async (t0, timeoutMs) => {
  while (!(litPoints().length && thumbs().length)) {
    if (performance.now() - t0 > timeoutMs) return -1;
    await tick();
  }
  await frame();
  return performance.now() - t0;
};
const lit = () => ({ points: litPoints(), thumbs: thumbs(), cells: litCells() });"""

# a click on the heat-map cell `selector` (its centre): its entries' scatter points and
# thumbnails light
GALLERY_CLICK_JS = """async ([selector, timeoutMs]) => {
  /*helpers*/
  const cell = document.querySelector(selector);
  if (!cell) return { ms: -1, why: `no heat-map cell ${selector}` };
  if (!document.querySelector(".lw-scatter circle.lw-entry")) {
    return { ms: -1, why: "no scatter points" };
  }
  await clearSelection();
  const svg = cell.ownerSVGElement;
  const r = cell.getBoundingClientRect();
  const at = { bubbles: true, button: 0, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 };
  const t0 = performance.now();
  svg.dispatchEvent(new PointerEvent("pointerdown", at));
  svg.dispatchEvent(new PointerEvent("pointerup", at));
  const ms = await settle(t0, timeoutMs);
  return { ms, cell: (cell.dataset.entries || "").split(" ").filter(Boolean), ...lit() };
}""".replace("/*helpers*/", GALLERY_JS)

# a box drag on the scatter from 3 px above-left of its top-left point to 3 px below-right of
# its bottom-right point (every point inside): every point, every cell with an entry and the
# first max_profiles thumbnails light
GALLERY_BOX_JS = """async ([timeoutMs]) => {
  /*helpers*/
  const svg = document.querySelector(".lw-scatter svg");
  const dots = svg ? [...svg.querySelectorAll("circle.lw-entry")] : [];
  if (!dots.length) return { ms: -1, why: "no scatter points" };
  await clearSelection();
  const boxes = dots.map((n) => n.getBoundingClientRect());
  const x0 = Math.min(...boxes.map((b) => b.x + b.width / 2)) - 3;
  const y0 = Math.min(...boxes.map((b) => b.y + b.height / 2)) - 3;
  const x1 = Math.max(...boxes.map((b) => b.x + b.width / 2)) + 3;
  const y1 = Math.max(...boxes.map((b) => b.y + b.height / 2)) + 3;
  const at = (x, y) => ({ bubbles: true, button: 0, clientX: x, clientY: y });
  const t0 = performance.now();
  svg.dispatchEvent(new PointerEvent("pointerdown", at(x0, y0)));
  svg.dispatchEvent(new PointerEvent("pointermove", at(x1, y1)));
  svg.dispatchEvent(new PointerEvent("pointerup", at(x1, y1)));
  const ms = await settle(t0, timeoutMs);
  return { ms, dots: dots.length, ...lit() };
}""".replace("/*helpers*/", GALLERY_JS)


def measure_gallery(page: Any, cells: list[str], repeats: int,
                    timeout_ms: float) -> Iterator[dict[str, Any]]:
    """The Gallery's gestures on an open page: ``{"click_ms": [...]}`` (one per selector of
    ``cells``), then ``{"box_ms": [...]}`` (``repeats`` boxes over every scatter point), each
    with what it lit (``click_wrong``: clicks whose lit points or thumbnails are not the cell's
    entries; ``box_points``/``box_cells``/``box_thumbs``: per box), or ``click``/``box``: why
    there is no figure."""
    clicks = [page.evaluate(GALLERY_CLICK_JS, [c, timeout_ms]) for c in cells]
    why = next((r["why"] for r in clicks if "why" in r), None)
    if why:
        yield {"click": why}
    else:
        wrong = sum(sorted(r["points"]) != sorted(r["cell"]) or sorted(r["thumbs"])
                    != sorted(r["cell"]) for r in clicks)
        yield {"click_ms": [r["ms"] for r in clicks], "click_wrong": wrong,
               "click_entries": [len(r["cell"]) for r in clicks]}
    boxes = [page.evaluate(GALLERY_BOX_JS, [timeout_ms]) for _ in range(repeats)]
    why = next((r["why"] for r in boxes if "why" in r), None)
    if why:
        yield {"box": why}
    else:
        yield {"box_ms": [r["ms"] for r in boxes], "box_dots": boxes[0]["dots"],
               "box_points": [len(r["points"]) for r in boxes],
               "box_cells": [r["cells"] for r in boxes],
               "box_thumbs": [len(r["thumbs"]) for r in boxes]}


def measure_page(
    html: Path, brush: list[int], explorer: bool, page_timeout_s: float = 60,
    step_timeout_s: float = 10, gallery_cells: list[str] | None = None, repeats: int = 5,
    rested: bool = False,
) -> Iterator[dict[str, Any]]:
    """Open ``html``; yield ``{"page_ms"}`` (or ``{"page": why}``), then for an Explorer
    ``{"brush_ms": [...]}`` (one per basin of ``brush``) and ``{"slider_ms": [...]}``; for a
    Gallery (``gallery_cells``: heat-map cell selectors) ``measure_gallery``'s records.
    ``rested``: the Explorer's gestures wait until the page has done its idle work
    (``{"rested_ms"}``: how long after it was drawn), as a reader who looks before moving the
    slider; else they follow the drawing at once (first visits with cold caches and code)."""
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
            if gallery_cells:
                yield from measure_gallery(page, gallery_cells, repeats, 1000 * step_timeout_s)
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
                   "slider_exact_ms": [r["exactMs"] for r in moved if "exactMs" in r],
                   "slider_missing": sorted({m for r in moved for m in r.get("missing", [])})}
        finally:
            browser.close()
