"""Dense layers painted into bitmaps (js/src/lib/bitmap.js) in Chromium, each shown as a live
canvas (an SVG foreignObject holding one HTML canvas, never a PNG while on screen): a profile of
thousands of basins is one canvas (its shapes picked in JS), and the persistence diagram's pairs
beyond the element budget are one canvas of dots (the pairs past the first SVG_POINTS painted as
circles); both carry paint, a click on the painted layers selects a basin drawn under the
pointer in every view, and an exported figure holds each layer as a PNG image."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import landscape_widgets as lw

from .conftest import open_export, pointer_click

# the element budgets of the views' dense tiers (past them, painted): js/src/lib/bar_rows.js
# SVG_BARS, js/src/persistence_diagram_view.js SVG_POINTS
SVG_BARS = 150
SVG_POINTS = 150
SVG_BRANCHES = 60  # js/src/merge_tree_view.js
BITMAP_SHAPES = 100  # js/src/lib/profile_shapes.js: past it, the profile is painted

pytestmark = pytest.mark.browser

# the number of painted (non-transparent) pixels of the live canvas `sel` (a foreignObject
# holding one HTML canvas shown at the foreignObject's size, its backing store at the screen's
# density), or a negative number naming what is not so
PAINTED_JS = """(sel) => {
  const node = document.querySelector(sel);
  if (!node || node.localName !== "foreignObject" || node.children.length !== 1) return -1;
  const c = node.firstElementChild;
  if (c.localName !== "canvas" || c.namespaceURI !== "http://www.w3.org/1999/xhtml") return -2;
  const r = c.getBoundingClientRect();
  const f = node.getBoundingClientRect();
  if (Math.abs(r.width - f.width) > 0.5 || Math.abs(r.height - f.height) > 0.5) return -3;
  const dpr = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
  if (c.width !== Math.max(1, Math.ceil(Number(node.getAttribute("width")) * dpr))) return -4;
  const a = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < a.length; i += 4) if (a[i] > 0) n += 1;
  return n;
}"""

# the alpha (0-255) of the live canvas `sel` at page point (x, y): painted there or not
ALPHA_AT_JS = """([sel, x, y]) => {
  const c = document.querySelector(sel).querySelector("canvas");
  const r = c.getBoundingClientRect();
  const px = Math.floor(((x - r.left) * c.width) / r.width);
  const py = Math.floor(((y - r.top) * c.height) / r.height);
  return c.getContext("2d").getImageData(px, py, 1, 1).data[3];
}"""


def _drag_box(page: Any, sel: str, top_left: tuple[float, float],
              bottom_right_inset: tuple[float, float]) -> dict:
    """Drag a selection box over the element ``sel`` from ``top_left`` (px from its top left
    corner) to ``bottom_right_inset`` (px in from its bottom right corner); returns its box."""
    box = page.locator(sel).bounding_box()
    page.mouse.move(box["x"] + top_left[0], box["y"] + top_left[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=4)
    page.mouse.move(box["x"] + box["width"] - bottom_right_inset[0],
                    box["y"] + box["height"] - bottom_right_inset[1], steps=4)
    page.mouse.up()
    return box


def test_profile_and_diagram_bitmaps(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    open_export(page, lw.Explorer(land), tmp_path / "dense.html")
    for sel in (".lw-profile foreignObject.lw-profile-raster", "foreignObject.lw-point-aggregate"):
        assert page.evaluate(PAINTED_JS, sel) > 1000, sel
    # never a PNG while on screen
    assert page.locator("image.lw-profile-raster, image.lw-point-aggregate").count() == 0
    # the elements over the bitmap (markers, stubs) still brush: a click selects its basin in
    # the other views
    basin = pointer_click(page, ".lw-profile [data-basin]", 3)
    for view in ("[data-view=merge-tree]", "[data-view=barcode]"):
        page.wait_for_selector(f"{view} [data-basin='{basin}'][aria-selected='true']",
                               state="attached", timeout=5_000)


# pointer events at page position (x, y) on the element there; returns its class (a live
# canvas's: its foreignObject's, the element a view's pick code looks for with closest())
CLICK_AT_JS = """([x, y]) => {
  const at = { bubbles: true, cancelable: true, composed: true, button: 0, pointerId: 1,
    isPrimary: true, pointerType: "mouse", clientX: x, clientY: y };
  const target = document.elementFromPoint(x, y);
  target.dispatchEvent(new PointerEvent("pointerdown", { ...at, buttons: 1 }));
  target.dispatchEvent(new PointerEvent("pointerup", { ...at, buttons: 0 }));
  target.dispatchEvent(new MouseEvent("click", { ...at, buttons: 0 }));
  return (target.closest("foreignObject") || target).getAttribute("class");
}"""

# the class of the element at page point (x, y) (a live canvas's: its foreignObject's)
CLASS_AT_JS = """([x, y]) => { const t = document.elementFromPoint(x, y);
  return t && (t.closest("foreignObject") || t).getAttribute("class"); }"""

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
    image = "foreignObject.lw-point-aggregate"
    assert int(page.get_attribute(image, "data-painted") or 0) > 1000
    assert page.locator(".lw-diagram circle.lw-point").count() == SVG_POINTS
    assert page.evaluate(PAINTED_JS, image) > 1000
    # every pair in a box over the plot selected: each one without an element of its own is
    # drawn on top (an overlay where the bitmap paints it), so every position is known
    box = _drag_box(page, ".lw-diagram svg", (50, 12), (14, 36))
    page.wait_for_selector(".lw-diagram circle.lw-lod-overlay", state="attached", timeout=5_000)
    where = {int(b): xy for b, xy in page.evaluate(POSITIONS_JS).items()}
    overlays = {int(b) for b in page.eval_on_selector_all(
        ".lw-diagram circle.lw-lod-overlay", "ns => ns.map((n) => n.dataset.basin)")}
    # painted (not hidden) pairs: the barcode's bars are the most persistent, in order, and the
    # first SVG_POINTS of them are the diagram's circles
    bars = _bar_order(page)
    painted = [b for b in bars[SVG_POINTS:] if b in overlays]
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
    # a click on the bitmap where that pair is painted (its canvas has paint there) selects
    # it, in every view
    assert page.evaluate(ALPHA_AT_JS, [image, x, y]) > 0
    assert "lw-point-aggregate" in page.evaluate(CLICK_AT_JS, [x, y])
    for view in ("persistence-diagram", "barcode", "merge-tree", "profile"):
        page.wait_for_selector(f'[data-view="{view}"] [data-basin="{basin}"][aria-selected="true"]',
                               state="attached", timeout=5_000)
    # the SVG export holds the painted layer and the selected pair on top
    with page.expect_download() as download:
        page.click('.lw-diagram button[data-export="svg"]')
    exported = Path(download.value.path()).read_text()
    assert 'class="lw-point-aggregate"' in exported and "data:image/png;base64," in exported
    assert "foreignObject" not in exported
    assert f'data-basin="{basin}"' in exported


# the vertices of a tree overlay path of basin b, in page coordinates
TREE_PATH_JS = """(b) => {
  const el = document.querySelector(
    `[data-view="merge-tree"] path.lw-lod-overlay[data-basin="${b}"]`);
  if (!el) return null;
  const m = el.getScreenCTM();
  return el.getAttribute("d").split(/(?=[ML])/).map((s) => {
    const [x, y] = s.slice(1).split(",").map(Number);
    const p = new DOMPoint(x, y).matrixTransform(m);
    return [s[0], p.x, p.y];
  });
}"""


# the polylines of the tree's branches drawn as elements, in page coordinates: [[[x, y], ...]]
ELEMENT_BRANCHES_JS = """() => [...document.querySelectorAll(
  '[data-view="merge-tree"] path.lw-edge[data-basin]:not(.lw-lod-overlay)')].map((el) => {
  const m = el.getScreenCTM();
  return el.getAttribute("d").split(/(?=[ML])/).map((s) => {
    const [x, y] = s.slice(1).split(",").map(Number);
    const p = new DOMPoint(x, y).matrixTransform(m);
    return [s[0], p.x, p.y];
  });
})"""


def _near_path(vertices: list, x: float, y: float) -> float:
    """Distance (px) from (x, y) to the polyline pieces of an overlay path's vertices."""
    best = float("inf")
    for k, (cmd, x1, y1) in enumerate(vertices):
        best = min(best, ((x1 - x) ** 2 + (y1 - y) ** 2) ** 0.5)
        if cmd == "L" and k:
            _, x0, y0 = vertices[k - 1]
            dx, dy = x1 - x0, y1 - y0
            n = dx * dx + dy * dy
            u = 0.0 if n == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / n))
            best = min(best, ((x0 + u * dx - x) ** 2 + (y0 + u * dy - y) ** 2) ** 0.5)
    return best


def _open_painted(page: Any, path: Path, image: str, min_painted: int) -> list[int]:
    """Open the Explorer of a 4,547-basin landscape, check that ``image`` paints at least
    ``min_painted`` items with paint, and return the barcode's basins in bar order."""
    open_export(page, lw.Explorer(lw.examples.noisy_landscape("noise", resolution=201)), path)
    assert int(page.get_attribute(image, "data-painted") or 0) > min_painted
    assert page.evaluate(PAINTED_JS, image) > 1000
    return _bar_order(page)


def _bar_order(page: Any) -> list[int]:
    """The barcode's basins in drawing order (most persistent first), as the view states them:
    the first SVG_BARS are elements, the rest painted."""
    order = page.get_attribute("[data-view=barcode] g.lw-bars", "data-order") or ""
    return [int(b) for b in order.split()]


def _can_select_bar(page: Any, basin: int) -> bool:
    """Can a click on the barcode select `basin` (see _select_bar)?"""
    if page.locator(f'[data-view=barcode] rect.lw-bar[data-basin="{basin}"]').count():
        return True
    points = _PAINTED_POINTS.get(id(page))
    if points is None:
        points = _PAINTED_POINTS[id(page)] = _painted_bar_points(page)
    return basin in points


def _select_bar(page: Any, basin: int) -> None:
    """Select a basin by a click on its bar in the barcode: on its element, or where the
    barcode's bitmap paints it on top (see _painted_bar_points)."""
    if page.locator(f'[data-view=barcode] rect.lw-bar[data-basin="{basin}"]').count():
        pointer_click(page, f'[data-view=barcode] rect.lw-bar[data-basin="{basin}"]')
    else:
        points = _PAINTED_POINTS.get(id(page))
        if points is None:
            points = _PAINTED_POINTS[id(page)] = _painted_bar_points(page)
        assert basin in points, f"no clear point on painted bar {basin}"
        assert "lw-bar-raster" in (page.evaluate(CLICK_AT_JS, list(points[basin])) or "")
    page.wait_for_selector(f'[data-view=barcode] [data-basin="{basin}"][aria-selected="true"]',
                           state="attached", timeout=5_000)


def _clear_selection(page: Any, view: str) -> None:
    """Escape in a view clears the selection."""
    page.focus(f"[data-view={view}]")
    page.keyboard.press("Escape")
    page.wait_for_selector(f'[data-view={view}] [aria-selected="true"]', state="detached",
                           timeout=5_000)


def _selected_everywhere(page: Any, views: tuple[str, ...]) -> int:
    """The basin selected in the barcode, once every view in ``views`` marks it selected."""
    page.wait_for_selector('[data-view=barcode] [aria-selected="true"]', state="attached",
                           timeout=5_000)
    got = int(page.get_attribute('[data-view=barcode] [aria-selected="true"]', "data-basin"))
    for view in views:
        page.wait_for_selector(f'[data-view="{view}"] [data-basin="{got}"][aria-selected="true"]',
                               state="attached", timeout=5_000)
    return got


def test_tree_painted_branches_brush(page: Any, tmp_path: Path) -> None:
    """Past SVG_BRANCHES basins the merge tree paints the next branches into one bitmap: a
    selected painted branch is drawn on top, and a click on the bitmap selects, in every view,
    a basin whose branch or minimum is drawn under the pointer."""
    bars = _open_painted(page, tmp_path / "tree.html",
                         "[data-view=merge-tree] foreignObject.lw-tree-raster", 100)
    # the nodes' layer too: paint, no pointer events (they reach the branches' layer)
    nodes = "[data-view=merge-tree] foreignObject.lw-tree-raster-nodes"
    assert page.evaluate(PAINTED_JS, nodes) > 1000
    assert page.eval_on_selector(f"{nodes} canvas", "c => getComputedStyle(c).pointerEvents") \
        == "none"
    tried = 0
    # basins past the tree's element branches, each selected by a click on its bar (an element,
    # or a point where the barcode's bitmap paints it on top)
    for b in bars[SVG_BRANCHES + 10:490:3]:
        if not _can_select_bar(page, b):
            continue
        _select_bar(page, b)
        vertices = page.evaluate(TREE_PATH_JS, b)
        if vertices is None or len(vertices) < 2:
            continue  # drawn as elements, or not in the tree at this level of detail
        # a point on the branch's vertical run where the bitmap is on top: the element under
        # the pointer, and more than 4.5 px from every branch drawn as an element (those are
        # picked first, as their 9 px hit strokes were)
        (_, x0, y0), (_, x1, y1) = vertices[0], vertices[1]
        _clear_selection(page, "merge-tree")
        points = [(x0 + f * (x1 - x0), y0 + f * (y1 - y0)) for f in (0.5, 0.3, 0.7, 0.15, 0.85)]
        elements = page.evaluate(ELEMENT_BRANCHES_JS)
        free = [(x, y) for x, y in points if "lw-tree-raster" in (page.evaluate(
            CLASS_AT_JS, [x, y]) or "") and all(_near_path(e, x, y) > 4.6 for e in elements)]
        if not free:
            continue
        x, y = free[0]
        tried += 1
        # the branch is painted there (within a pixel: the point is on its polyline)
        layer = "[data-view=merge-tree] foreignObject.lw-tree-raster"
        assert max(page.evaluate(ALPHA_AT_JS, [layer, x + dx, y]) for dx in (-1, 0, 1)) > 0
        assert "lw-tree-raster" in (page.evaluate(CLICK_AT_JS, [x, y]) or "")
        got = _selected_everywhere(page, ("merge-tree", "profile", "persistence-diagram"))
        drawn = page.evaluate(TREE_PATH_JS, got)
        assert drawn is not None and _near_path(drawn, x, y) <= 4.9, (b, got)
        if tried >= 3:
            break
    assert tried >= 1, "no painted branch found among the barcode's bars"


# points inside the outline drawn on top of the profile's bitmap for selected basin b, on a
# 24 x 24 grid over its box, in page coordinates, where the bitmap is the element hit
PROFILE_INSIDE_JS = """(b) => {
  const el = document.querySelector(
    `[data-view="profile"] path.lw-lod-overlay[data-basin="${b}"]`);
  if (!el) return [];
  const box = el.getBBox();
  const m = el.getScreenCTM();
  const out = [];
  for (let i = 1; i < 24; i++) {
    for (let j = 1; j < 24; j++) {
      const p = new DOMPoint(box.x + (box.width * i) / 24, box.y + (box.height * j) / 24);
      if (!el.isPointInFill(p)) continue;
      const q = p.matrixTransform(m);
      const hit = document.elementFromPoint(q.x, q.y);
      const layer = hit && (hit.closest("foreignObject") || hit);
      const on = layer && (layer.getAttribute("class") || "").includes("lw-profile-raster");
      if (on) out.push([q.x, q.y]);
    }
  }
  return out;
}"""

# does the outline of selected basin b hold the page point (x, y)? and its page box
PROFILE_HOLDS_JS = """([b, x, y]) => {
  const el = document.querySelector(
    `[data-view="profile"] path.lw-lod-overlay[data-basin="${b}"]`);
  if (!el) return null;
  const p = new DOMPoint(x, y).matrixTransform(el.getScreenCTM().inverse());
  const r = el.getBoundingClientRect();
  return [el.isPointInFill(p), [r.left, r.top, r.right, r.bottom]];
}"""


def test_profile_painted_shapes_brush(page: Any, tmp_path: Path) -> None:
    """Past BITMAP_SHAPES the profile's shapes are only painted (no hit elements): a selected
    one is outlined on top, a click on the bitmap selects, in every view, a basin whose shape
    holds the point, and the SVG export carries the bitmap and the outline."""
    bars = _open_painted(page, tmp_path / "profile.html",
                         ".lw-profile foreignObject.lw-profile-raster", BITMAP_SHAPES)
    assert page.locator(".lw-profile path.lw-basin").count() == 0  # no hit shape per basin
    tried = 0
    for b in bars[1:200:7]:
        _select_bar(page, b)
        points = page.evaluate(PROFILE_INSIDE_JS, b)
        if not points:
            continue  # merged into a parent's shape, or covered by markers
        x, y = points[len(points) // 2]
        outer = page.evaluate(PROFILE_HOLDS_JS, [b, x, y])[1]
        _clear_selection(page, "profile")
        assert page.evaluate(ALPHA_AT_JS, [".lw-profile foreignObject.lw-profile-raster", x, y]) > 0
        assert "lw-profile-raster" in (page.evaluate(CLICK_AT_JS, [x, y]) or "")
        got = _selected_everywhere(page, ("profile", "merge-tree", "persistence-diagram"))
        # the picked basin's shape holds the point and is b itself or a basin nested in it
        # (within b's box: the innermost shape, not an enclosing one)
        holds, inner = page.evaluate(PROFILE_HOLDS_JS, [got, x, y])
        assert holds is True, (b, got)
        assert inner[0] >= outer[0] - 0.5 and inner[1] >= outer[1] - 0.5, (b, got)
        assert inner[2] <= outer[2] + 0.5 and inner[3] <= outer[3] + 0.5, (b, got)
        tried += 1
        if tried >= 3:
            break
    assert tried >= 1, "no painted profile shape found among the barcode's bars"
    with page.expect_download() as download:
        page.click('.lw-profile button[data-export="svg"]')
    exported = Path(download.value.path()).read_text()
    assert 'class="lw-profile-raster"' in exported and "data:image/png;base64," in exported
    assert "foreignObject" not in exported
    assert 'class="lw-basin lw-lod-overlay"' in exported


_PAINTED_POINTS: dict[int, dict[int, tuple[float, float]]] = {}

# page boxes of the barcode's bars drawn as elements (the painted ones once selected are drawn
# on top as overlays): {basin: [left, top, right, bottom]}
BAR_BOXES_JS = """() => Object.fromEntries([...document.querySelectorAll(
  "[data-view=barcode] g.lw-bars rect.lw-bar[data-basin]")].map((n) => {
  const r = n.getBoundingClientRect();
  return [n.dataset.basin, [r.left, r.top, r.right, r.bottom]]; }))"""


def _painted_bar_points(page: Any) -> dict[int, tuple[float, float]]:
    """Page points where a painted bar of the barcode is the one drawn on top, for every
    painted bar that has one 0.5 px clear of every other bar: all bars are box-selected (so
    each painted bar is drawn on top where the bitmap paints it), their boxes read, the
    selection cleared. Bars are drawn in data-order, later ones over earlier ones."""
    order = _bar_order(page)
    _drag_box(page, "[data-view=barcode] svg", (15, 9), (17, 35))
    page.wait_for_selector("[data-view=barcode] rect.lw-lod-overlay", state="attached",
                           timeout=5_000)
    boxes = {int(b): r for b, r in page.evaluate(BAR_BOXES_JS).items()}
    _clear_selection(page, "barcode")
    rank = {b: k for k, b in enumerate(order)}
    drawn = [(rank[b], b, r) for b, r in boxes.items() if b in rank]
    drawn.sort()

    def top(x: float, y: float) -> int | None:
        hit = None
        for _, b, (x0, y0, x1, y1) in drawn:
            if x0 <= x <= x1 and y0 <= y <= y1:
                hit = b
        return hit

    points: dict[int, tuple[float, float]] = {}
    for k, b, (x0, y0, x1, y1) in drawn:
        if k < SVG_BARS:
            continue
        for f in (0.5, 0.25, 0.75, 0.1, 0.9):
            x = x0 + f * (x1 - x0)
            y = y0 + 0.5 * (y1 - y0)
            near = [(x + dx, y + dy) for dx in (-0.5, 0, 0.5) for dy in (-0.5, 0, 0.5)]
            if all(top(u, v) == b for u, v in near):
                points[b] = (x, y)
                break
    return points


def test_barcode_painted_bars_brush(page: Any, tmp_path: Path) -> None:
    """Past SVG_BARS bars the barcode paints the less persistent ones into one bitmap under the
    elements: every bar is stated in drawing order, a click where a painted bar is drawn on
    top selects that basin in every view, a selected painted bar is drawn on top, and the SVG
    export carries the bitmap."""
    image = "[data-view=barcode] foreignObject.lw-bar-raster"
    bars = _open_painted(page, tmp_path / "bars.html", image, 300)
    elements = [int(b) for b in page.eval_on_selector_all(
        "[data-view=barcode] rect.lw-bar[data-basin]", "ns => ns.map((n) => n.dataset.basin)")]
    assert elements == bars[:SVG_BARS]
    assert int(page.get_attribute(image, "data-painted") or 0) == len(bars) - SVG_BARS
    points = _painted_bar_points(page)
    assert len(points) > 50, len(points)
    tried = 0
    for b in [b for b in bars[SVG_BARS:] if b in points][::23][:3]:
        x, y = points[b]
        assert page.evaluate(ALPHA_AT_JS, [image, x, y]) > 0  # painted where it is clicked
        assert "lw-bar-raster" in (page.evaluate(CLICK_AT_JS, [x, y]) or "")
        got = _selected_everywhere(page, ("merge-tree", "profile", "persistence-diagram"))
        assert got == b
        assert page.locator(
            f'[data-view=barcode] rect.lw-lod-overlay[data-basin="{b}"][aria-selected="true"]'
        ).count() == 1
        tried += 1
    assert tried == 3
    with page.expect_download() as download:
        page.click('[data-view=barcode] button[data-export="svg"]')
    exported = Path(download.value.path()).read_text()
    assert 'class="lw-bar-raster"' in exported and "data:image/png;base64," in exported
    assert "foreignObject" not in exported
    assert f'data-basin="{b}"' in exported and "lw-lod-overlay" in exported
    # hovering a painted bar (the live canvas under the pointer, no overlay: nothing selected)
    # shows its basin's tooltip (the same pick as a click)
    _clear_selection(page, "barcode")
    tip = "[data-view=barcode] .lw-tooltip"
    x, y = points[b]
    assert "lw-bar-raster" in (page.evaluate(CLASS_AT_JS, [x, y]) or "")
    page.mouse.move(x - 30, y - 200)
    page.mouse.move(x, y, steps=3)
    page.wait_for_selector(tip, state="visible", timeout=5_000)
    assert (page.text_content(tip) or "").startswith("Basin")
