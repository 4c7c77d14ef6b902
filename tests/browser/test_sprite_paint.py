"""Painted discs stamped from sprites (js/src/lib/sprites.js ``stampCircles``) look like the
discs drawn one by one (``beginPath; arc; fill; stroke``, the code it replaced, kept here as the
reference): a layer of 2,600 overlapping circles painted both ways at 1x and 2x, compared pixel by
pixel (premultiplied channels, 0-255). Skia's rasterisation itself jumps with sub-pixel shifts,
and a stamp lands within 1/32 device pixel of the arc's centre, so anti-aliased edge pixels
differ a little: at most 2 % of the canvas's pixels by more than 8, and the mean difference under
1 level (measured: 0.4-1.3 % and 0.4-0.7). Drawn at the centres rounded to the sub-pixel phases,
the arcs are the stamps up to Skia's own jitter (at most 0.1 % of pixels by more than 8)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

SOURCE = Path(__file__).resolve().parents[2] / "js" / "src" / "lib" / "sprites.js"

PAGE_JS = r"""
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}
// circles near a diagonal band, as a persistence diagram's pairs crowd (many overlap)
function layer(n, seed, radius) {
  const r = rng(seed); const out = [];
  for (let i = 0; i < n; i++) { const b = r() * 400; const d = Math.max(0, b - r() * r() * 240);
    out.push({ x: b, y: d, r: radius(i) }); }
  return out;
}
function context(s) {
  const c = document.createElement("canvas"); c.width = 408 * s; c.height = 408 * s;
  const g = c.getContext("2d"); g.scale(s, s); g.translate(4, 4); return g; }
// the painting stampCircles replaced (diagram_points.js paintImage, merge_tree_view.js treeBitmap)
function oldCircles(g, circles, style) {
  g.fillStyle = style.fill; g.strokeStyle = style.stroke; g.lineWidth = style.lineWidth;
  for (const q of circles) {
    g.beginPath(); g.arc(q.x, q.y, q.r, 0, 2 * Math.PI); g.fill(); g.stroke();
  }
}
function pixels(g) { return g.getImageData(0, 0, g.canvas.width, g.canvas.height).data; }
function diff(A, B) {
  let max = 0, differ = 0, over8 = 0, sum = 0;
  for (let i = 0; i < A.length; i += 4) {
    let m = 0;
    for (let k = 0; k < 4; k++) {
      const a = k < 3 ? A[i + k] * A[i + 3] / 255 : A[i + 3];
      const b = k < 3 ? B[i + k] * B[i + 3] / 255 : B[i + 3];
      m = Math.max(m, Math.round(Math.abs(a - b)));
    }
    if (m > 0) differ++; if (m > 8) over8++; sum += m; max = Math.max(max, m);
  }
  const n = A.length / 4;
  return { max, differ: differ / n, over8: over8 / n, mean: sum / n };
}
// paint the layers (the diagram's circles; the tree's saddles then minima) both ways
window.compareLayers = (s, snapped) => {
  const snap = (v, t) => snapped ? (Math.round((v * s + t) * PHASES) / PHASES - t) / s : v;
  const out = {};
  const BLUE = { fill: "#4a6fa5", stroke: "#fff", lineWidth: 0.8 };
  const layers = {
    diagram: [[layer(2600, 7, () => 4.5), BLUE]],
    sized: [[layer(2600, 8, (i) => 3.5 + 1.2 * Math.log2(1 + (i % 7))), BLUE]],
    tree: [[layer(1500, 9, () => 3.5), { fill: "#ff7f0e", stroke: "#fff", lineWidth: 0.8 }],
           [layer(1500, 10, () => 4.5), { fill: "#d62728", stroke: "#fff", lineWidth: 0.8 }]],
  };
  for (const [name, parts] of Object.entries(layers)) {
    const a = context(s); const b = context(s);
    for (const [circles, style] of parts) {
      const at = circles.map((q) => ({ x: snap(q.x, 4 * s), y: snap(q.y, 4 * s), r: q.r }));
      oldCircles(a, at, style);
      stampCircles(b, circles, style);
    }
    out[name] = diff(pixels(a), pixels(b));
  }
  return out;
};
"""


def _page(page: Any) -> None:
    source = re.sub(r"^export ", "", SOURCE.read_text(), flags=re.M)
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=source + PAGE_JS)


@pytest.mark.parametrize("scale", [1, 2])
def test_stamped_circles_match_the_arcs(page: Any, scale: int) -> None:
    _page(page)
    for name, d in page.evaluate("(s) => compareLayers(s, false)", scale).items():
        assert d["over8"] <= 0.02, (name, scale, d)
        assert d["mean"] < 1.0, (name, scale, d)


@pytest.mark.parametrize("scale", [1, 2])
def test_stamps_are_the_arcs_at_their_phases(page: Any, scale: int) -> None:
    """Each stamp is the arc drawn at the centre rounded to its sub-pixel phase, in the same
    order (the disc drawn last on top where they overlap)."""
    _page(page)
    for name, d in page.evaluate("(s) => compareLayers(s, true)", scale).items():
        assert d["over8"] <= 0.001, (name, scale, d)
        assert d["mean"] < 0.15, (name, scale, d)
