"""Views that fit and read (issue 15): layout at 800 / 970 / 1,400 px, the profile's focus on a
deep funnel with shallow basins, figure export, Escape."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.widgets import Explorer

from .conftest import open_export

pytestmark = pytest.mark.browser

RING = [(1.6 * np.cos(a), 1.6 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 11)[:-1]]
DEPTHS = [0.40, 0.34, 0.29, 0.25, 0.21, 0.18, 0.15, 0.12, 0.10, 0.08]


def funnel(p: np.ndarray) -> np.ndarray:
    """One deep funnel (depth ~6) at the origin and shallow dips on a ring: 10 minima, the 9
    shallow ones of persistence 0.007..0.23 (like the demo's PINN profile)."""
    r2 = (p**2).sum(1)
    f = 0.03 * r2 - 6.0 * np.exp(-r2 / 0.4)
    for (cx, cy), d in zip(RING, DEPTHS, strict=True):
        f = f - d * np.exp(-((p[:, 0] - cx) ** 2 + (p[:, 1] - cy) ** 2) / 0.05)
    return f


@pytest.fixture(scope="module")
def funnel_land() -> lw.Landscape:
    return lw.Landscape.from_function(funnel, dims=2, resolution=101, extent=2.4)


# every text box on the page (SVG text and the HTML labels of the views), and overlapping pairs
OVERLAPS_JS = """
() => {
  const boxes = [];
  const sel = '.lw-view svg text, .lw-title, .lw-controls label, .lw-crumb, .lw-hint';
  for (const n of document.querySelectorAll(sel)) {
    const b = n.getBoundingClientRect();
    const view = n.closest('[data-view]').dataset.view;
    if (b.width > 0 && b.height > 0 && n.textContent.trim()) boxes.push([b, n.textContent, view]);
  }
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, ta, va] = boxes[i]; const [b, tb, vb] = boxes[j];
    const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (ix > 0.5 && iy > 0.5) out.push(`${va}:${ta} / ${vb}:${tb}`);
  }
  return {n: boxes.length, out};
}
"""

OVERFLOW_JS = """
() => {
  const bad = [];
  const d = document.documentElement;
  if (d.scrollWidth > d.clientWidth) bad.push(`page ${d.scrollWidth} > ${d.clientWidth}`);
  for (const v of document.querySelectorAll('.lw-view')) {
    const name = v.dataset.view;
    if (v.scrollWidth > v.clientWidth + 1) bad.push(`${name} ${v.scrollWidth} > ${v.clientWidth}`);
    const s = v.querySelector(':scope > svg');
    if (s && s.getBoundingClientRect().right > d.clientWidth) bad.push(`${name} svg off the page`);
  }
  return bad;
}
"""


@pytest.mark.parametrize("width", [800, 970, 1400])
def test_explorer_fits_without_overflow_or_overlapping_labels(
    page: Any, tmp_path: Path, funnel_land: lw.Landscape, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_export(page, Explorer(funnel_land), tmp_path / "fit.html")
    page.wait_for_timeout(200)  # ResizeObserver redraws
    assert page.evaluate(OVERFLOW_JS) == []
    labels = page.evaluate(OVERLAPS_JS)
    assert labels["n"] > 30
    assert labels["out"] == []
    # every panel is on screen, none cut: each view's svg lies inside the viewport's width
    views = page.eval_on_selector_all("[data-view]", "ns => ns.map(n => n.dataset.view)")
    for name in ("contour", "profile", "merge-tree", "barcode", "persistence-diagram"):
        assert name in views
    fonts = page.eval_on_selector_all(
        ".lw-view svg text, .lw-view .lw-title, .lw-controls",
        "ns => ns.map(n => parseFloat(getComputedStyle(n).fontSize))")
    assert min(fonts) >= 12


def test_explorer_views_keyword_in_the_browser(page: Any, tmp_path: Path,
                                               funnel_land: lw.Landscape) -> None:
    open_export(page, Explorer(funnel_land, views=["profile", "barcode"]), tmp_path / "v.html")
    views = page.eval_on_selector_all(".lw-explorer [data-view]",
                                      "ns => ns.map(n => n.dataset.view)")
    assert views == ["profile", "barcode"]


def _boxes(page: Any, basin: int) -> list[dict[str, float]]:
    return [b for b in (n.bounding_box() for n in
                        page.locator(f".lw-profile .lw-basin[data-basin='{basin}']").all()) if b]


def test_profile_focus_shows_the_eight_most_persistent_basins(
    page: Any, tmp_path: Path, funnel_land: lw.Landscape
) -> None:
    page.set_viewport_size({"width": 970, "height": 900})
    ex = Explorer(funnel_land)
    tree = ex.tree
    open_export(page, ex, tmp_path / "focus.html")
    order = np.argsort(-np.nan_to_num(tree.persistence, posinf=np.inf))
    top8 = [int(tree.minima[i]) for i in order[:8]]
    assert len(tree.minima) >= 9
    globe = int(tree.minima[order[0]])
    # the click path: double-click the global funnel, the profile zooms below its last merge
    page.locator(f".lw-profile path.lw-basin[data-basin='{globe}']").first.dblclick(
        position={"x": 3, "y": 3}, force=True)
    assert page.locator(".lw-profile .lw-crumb").count() == 2
    for b in top8:
        boxes = _boxes(page, b)
        assert boxes, f"basin {b} not drawn"
        assert max(min(x["width"], x["height"]) for x in boxes) >= 4, (b, boxes)
    # a saddle click focuses further; the breadcrumb leads back to the whole profile
    page.locator(".lw-profile circle.lw-saddle").first.click(force=True)
    assert page.locator(".lw-profile .lw-crumb").count() == 3
    page.click(".lw-profile .lw-crumb[data-crumb='0']")
    assert page.locator(".lw-profile .lw-crumb").count() == 1
    assert page.locator(".lw-profile path.lw-basin").count() == len(tree.minima)
    # markers: no two critical-point circles overlap
    circles = page.eval_on_selector_all(
        ".lw-profile circle.lw-min, .lw-profile circle.lw-saddle",
        "ns => ns.map(n => [+n.getAttribute('cx'), +n.getAttribute('cy'), +n.getAttribute('r')])")
    for i, (x, y, r) in enumerate(circles):
        for x2, y2, r2 in circles[i + 1:]:
            assert np.hypot(x - x2, y - y2) >= r + r2, circles


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_export_buttons_download_svg_and_png(page: Any, tmp_path: Path,
                                             funnel_land: lw.Landscape) -> None:
    open_export(page, Explorer(funnel_land), tmp_path / "export.html")
    for view in ("profile", "contour", "merge-tree", "barcode", "persistence-diagram"):
        root = f"[data-view='{view}']"
        size = page.eval_on_selector(f"{root} > svg", "s => [+s.getAttribute('width'), "
                                     "+s.getAttribute('height')]")
        with page.expect_download() as info:
            page.click(f"{root} [data-export='svg']")
        svg = Path(info.value.path()).read_bytes()
        doc = ET.fromstring(svg)
        assert doc.tag == "{http://www.w3.org/2000/svg}svg"
        assert [float(doc.get("width")), float(doc.get("height"))] == size
        assert len(doc.findall(".//{http://www.w3.org/2000/svg}text")) > 3
        with page.expect_download() as info:
            page.click(f"{root} [data-export='png']")
        assert info.value.suggested_filename.endswith(".png")
        assert _png_size(Path(info.value.path()).read_bytes()) == (2 * size[0], 2 * size[1])


def test_escape_clears_the_selection(page: Any, tmp_path: Path,
                                     funnel_land: lw.Landscape) -> None:
    ex = Explorer(funnel_land)
    open_export(page, ex, tmp_path / "esc.html")
    b = int(ex.tree.minima[1])
    page.click(f".lw-barcode rect.lw-bar[data-basin='{b}']")
    assert page.locator(".lw-profile [aria-selected='true']").count() > 0
    page.keyboard.press("Escape")
    assert page.locator("[aria-selected='true']").count() == 0
    # keyboard only: focus a bar, Enter selects its basin everywhere, Escape clears
    page.focus(f".lw-barcode rect.lw-bar[data-basin='{b}']")
    page.keyboard.press("Enter")
    assert page.locator(f".lw-tree [data-basin='{b}'][aria-selected='true']").count() > 0
    page.keyboard.press("Escape")
    assert page.locator("[aria-selected='true']").count() == 0


def test_curve_view_for_one_d_landscapes_links_like_the_others(page: Any, tmp_path: Path) -> None:
    x = np.linspace(-2, 2, 201)
    line = lw.Landscape.from_array(np.cos(3 * x) + 0.3 * x**2, axes=(x,))
    ex = Explorer(line)
    page.set_viewport_size({"width": 800, "height": 900})
    open_export(page, ex, tmp_path / "curve.html")
    assert page.evaluate(OVERFLOW_JS) == []
    assert page.evaluate(OVERLAPS_JS)["out"] == []
    root = "[data-view='curve']"
    assert page.locator(f"{root} path.lw-curve-line").count() == 1
    minima = [int(m) for m in ex.tree.minima]
    assert page.locator(f"{root} circle.lw-min").count() == len(minima) >= 2
    assert page.locator(f"{root} circle.lw-saddle").count() == len(minima) - 1
    assert page.locator(f"{root} [data-model]").count() == 1
    # click a minimum of the curve: its basin is selected in every view
    target = minima[1]
    page.click(f"{root} circle.lw-min[data-basin='{target}']")
    for view in ("curve", "profile", "tree", "barcode"):
        got = set(page.eval_on_selector_all(
            f".lw-{view} [aria-selected='true']", "ns => ns.map(n => +n.dataset.basin)"))
        assert got == {target}, view
    page.keyboard.press("Escape")
    assert page.locator("[aria-selected='true']").count() == 0


DARK = """:root { --jp-layout-color0: #111111; --jp-ui-font-color1: rgba(255,255,255,.87);
  --jp-ui-font-color2: rgba(255,255,255,.6); --jp-border-color1: #616161; }
body { background: #111111; }"""

# WCAG contrast of every view's text (fill or colour) against the view's background
CONTRAST_JS = """
() => {
  const rgb = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return m; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92
    : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (fg, bg) => { const a = fg.length > 3 ? fg[3] : 1;
    return [0, 1, 2].map((k) => a * fg[k] + (1 - a) * bg[k]); };
  const worst = [];
  for (const n of document.querySelectorAll('.lw-view svg text, .lw-title, .lw-controls label')) {
    const view = n.closest('.lw-view');
    const bg = rgb(getComputedStyle(view).backgroundColor);
    const cs = getComputedStyle(n);
    const fg = rgb(n instanceof SVGElement ? cs.fill : cs.color);
    const [l1, l2] = [lum(over(fg, bg)), lum(bg)].sort((a, b) => b - a);
    worst.push([(l1 + 0.05) / (l2 + 0.05), n.textContent]);
  }
  worst.sort((a, b) => a[0] - b[0]);
  return worst.slice(0, 3);
}
"""


def test_dark_theme_reads(page: Any, tmp_path: Path, funnel_land: lw.Landscape) -> None:
    open_export(page, Explorer(funnel_land), tmp_path / "dark.html")
    light_bg = page.eval_on_selector(".lw-profile", "n => getComputedStyle(n).backgroundColor")
    page.add_style_tag(content=DARK)
    assert page.eval_on_selector(".lw-profile", "n => getComputedStyle(n).backgroundColor") \
        == "rgb(17, 17, 17)" != light_bg
    worst = page.evaluate(CONTRAST_JS)
    assert worst[0][0] >= 4.5, worst


@pytest.mark.parametrize("width", [800, 970, 1400])
def test_dense_explorer_labels_clear_of_each_other_and_of_the_bars(
    page: Any, tmp_path: Path, width: int
) -> None:
    """4,547 basins on log axes: no two labels overlap (a left axis's "0.001" ran into its
    rotated name), and the barcode's "+ N smaller bars" sits above its bars, not on them."""
    page.set_viewport_size({"width": width, "height": 900})
    land = lw.examples.noisy_landscape("noise", resolution=201)
    open_export(page, Explorer(land), tmp_path / "dense.html")
    page.wait_for_timeout(200)
    labels = page.evaluate(OVERLAPS_JS)
    assert labels["n"] > 30
    assert labels["out"] == []
    gap = page.evaluate("""() => {
      const v = document.querySelector('[data-view="barcode"]');
      const label = v.querySelector('.lw-aggregate-label').getBoundingClientRect();
      const tops = [...v.querySelectorAll('.lw-bars rect.lw-bar, .lw-bars foreignObject')]
        .map((n) => n.getBoundingClientRect().top);
      return Math.min(...tops) - label.bottom;
    }""")
    assert gap >= 0
