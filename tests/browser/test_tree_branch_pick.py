"""The merge tree's branches drawn as elements are picked in JS (no invisible hit stroke per
branch): in Chromium, a click 3 px beside a branch, away from every node, selects its basin in
every view, as the 9 px hit stroke did; a click 8 px from every branch selects nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import landscape_widgets as lw

from .conftest import open_export
from .test_bitmap_layers import CLICK_AT_JS

pytestmark = pytest.mark.browser

# every polyline of the tree's drawn branches (a branch's path holds one per edge: a subpath
# each): {basin, pts: [[x, y], ...] in page coordinates}; and every node's centre
BRANCHES_JS = """() => {
  const tree = document.querySelector('[data-view="merge-tree"]');
  const branches = [...tree.querySelectorAll("path.lw-edge[data-basin]")].flatMap((el) => {
    const m = el.getScreenCTM();
    return el.getAttribute("d").split(/(?=M)/).map((sub) => {
      const pts = sub.split(/(?=[ML])/).map((s) => {
        const [x, y] = s.slice(1).split(",").map(Number);
        const p = new DOMPoint(x, y).matrixTransform(m);
        return [p.x, p.y];
      });
      return { basin: Number(el.dataset.basin), pts };
    });
  });
  const nodes = [...tree.querySelectorAll("circle[data-basin]")].map((c) => {
    const r = c.getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2];
  });
  return { branches, nodes, hits: tree.querySelectorAll("path.lw-hit:not(.lw-edge)").length };
}"""


def _distance(x: float, y: float, pts: list) -> float:
    best = float("inf")
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        dx, dy = x1 - x0, y1 - y0
        n = dx * dx + dy * dy
        u = 0.0 if n == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / n))
        best = min(best, ((x0 + u * dx - x) ** 2 + (y0 + u * dy - y) ** 2) ** 0.5)
    return best


def test_click_beside_a_branch_selects_it(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=41)
    open_export(page, lw.Explorer(land), tmp_path / "tree.html")
    drawn = page.evaluate(BRANCHES_JS)
    assert drawn["hits"] == 0, "no invisible hit paths"
    branches, nodes = drawn["branches"], drawn["nodes"]
    assert len(branches) > 5

    def clear_of_nodes(x: float, y: float) -> bool:
        return all((x - u) ** 2 + (y - v) ** 2 > 12 ** 2 for u, v in nodes)

    # a vertical piece of a branch with a point 3 px to its side that no other branch is near
    found = None
    for b in branches:
        for (x0, y0), (x1, y1) in zip(b["pts"], b["pts"][1:]):
            if abs(x1 - x0) > 0.1 or abs(y1 - y0) < 30:
                continue
            x, y = x0 + 3, (y0 + y1) / 2
            others = [_distance(x, y, o["pts"]) for o in branches if o["basin"] != b["basin"]]
            far = min(_distance(x0 - 8, y, o["pts"]) for o in branches)
            if clear_of_nodes(x, y) and clear_of_nodes(x0 - 8, y) and min(others) > 6 and far > 7.5:
                found = (b["basin"], x, y)
                break
        if found:
            break
    assert found is not None, "no vertical branch piece clear of other branches and nodes"
    basin, x, y = found
    page.evaluate(CLICK_AT_JS, [x, y])
    for view in ("merge-tree", "barcode", "persistence-diagram", "profile"):
        page.wait_for_selector(f'[data-view="{view}"] [data-basin="{basin}"][aria-selected="true"]',
                               state="attached", timeout=5_000)
    # 8 px to the other side of the same piece (more than 7.5 px from every branch): nothing
    # is picked, so the click clears the selection
    page.evaluate(CLICK_AT_JS, [x - 11, y])
    page.wait_for_selector('[data-view="merge-tree"] [aria-selected="true"]',
                           state="detached", timeout=5_000)
