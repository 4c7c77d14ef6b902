"""A selection whose outline is longer than OUTLINE_SVG_SEGMENTS (a noisy map's large basin:
~20,000 grid-line segments, which the browser rasters in 70-90 ms on every change) is shown as
its cells: one image, one pixel per cell of its box, the selected cells tinted and those on its
boundary opaque (js/src/lib/outline_paint.js). Checked against the slice's own labels; clicks
go through it to the map; the SVG export carries it; a short outline is a path again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire

from .conftest import open_export

pytestmark = pytest.mark.browser

RASTER = ".lw-contour foreignObject.lw-outline-raster"
OUTLINE_SVG_SEGMENTS = int(re.search(
    r"OUTLINE_SVG_SEGMENTS = (\d+)",
    (Path(__file__).resolve().parents[2] / "js" / "src" / "lib" / "outline_paint.js").read_text(),
).group(1))

# the raster's canvas: its size and the alpha of every pixel, row by row
ALPHA_JS = """(sel) => { const c = document.querySelector(sel).querySelector("canvas");
  const a = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  const out = []; for (let i = 3; i < a.length; i += 4) out.push(a[i]);
  return [c.width, c.height, out]; }"""


def test_long_outline_painted_as_cells(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)
    tree = lw.merge_tree(land)
    glob = int(tree.minima[0])
    view = lw.ContourView(land, tree)
    view.selection.basins = [glob]  # at threshold 0 its own basin: a sponge across the map
    labels = from_wire(view._data["slice"]["basins"])
    on = labels == glob
    open_export(page, view, tmp_path / "outline.html")
    page.wait_for_selector(RASTER, state="attached", timeout=10_000)
    segments = int(page.get_attribute(".lw-contour path.lw-outline", "data-segments"))
    assert segments > OUTLINE_SVG_SEGMENTS
    assert page.get_attribute(RASTER, "data-painted") == str(segments)
    assert page.get_attribute(".lw-contour path.lw-outline", "d") == ""
    assert page.get_attribute(".lw-contour path.lw-outline-halo", "d") == ""
    # one pixel per cell of the selection's box padded by one cell, y up (the last row on top)
    w, h, alpha = page.evaluate(ALPHA_JS, RASTER)
    ys, xs = np.nonzero(on)
    assert (w, h) == (xs.max() - xs.min() + 3, ys.max() - ys.min() + 3)
    a = np.array(alpha).reshape(h, w)[::-1][1:-1, 1:-1]
    box = on[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    np.testing.assert_array_equal(a > 0, box)
    padded = np.pad(box, 1)
    inner = box & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    assert (a[box & ~inner] == 255).all() and (a[inner] < 255).all() and inner.any()
    # clicks reach the map under it
    hit = page.evaluate(f"""() => {{ const r = document.querySelector('{RASTER}')
      .getBoundingClientRect(); const e = document.elementFromPoint(r.x + r.width / 2,
      r.y + r.height / 2); return e.closest('.lw-outline-raster') === null; }}""")
    assert hit
    # the SVG export holds it as an image
    with page.expect_download() as download:
        page.click('.lw-contour button[data-export="svg"]')
    exported = Path(download.value.path()).read_text()
    assert re.search(r'<image[^>]*class="lw-outline-raster"', exported)


def test_short_outline_stays_a_path(page: Any, tmp_path: Path) -> None:
    land = lw.examples.four_wells(resolution=101)
    tree = lw.merge_tree(land)
    view = lw.ContourView(land, tree)
    view.selection.basins = [int(tree.minima[1])]
    open_export(page, view, tmp_path / "short.html")
    page.wait_for_function(
        "() => +document.querySelector('.lw-contour path.lw-outline').dataset.segments > 0")
    segments = int(page.get_attribute(".lw-contour path.lw-outline", "data-segments"))
    assert 0 < segments <= OUTLINE_SVG_SEGMENTS
    d = page.get_attribute(".lw-contour path.lw-outline", "d")
    # one straight run per segment, "Mx,yLx,y" with one decimal, horizontal or vertical
    num = r"-?\d+\.\d"
    runs = re.findall(rf"M({num}),({num})L({num}),({num})", d)
    assert "".join(f"M{a},{b}L{c},{e}" for a, b, c, e in runs) == d
    assert len(runs) == segments
    assert all((a == c) != (b == e) for a, b, c, e in runs)
    assert page.locator(RASTER).count() == 0
    # the SVG export holds the path (its d, made when the view drew it), no image
    with page.expect_download() as download:
        page.click('.lw-contour button[data-export="svg"]')
    exported = Path(download.value.path()).read_text()
    paths = re.findall(r'<path[^>]*class="lw-outline"[^>]*>', exported)
    assert len(paths) == 1 and f'd="{d}"' in paths[0]
    assert "lw-outline-raster" not in exported
