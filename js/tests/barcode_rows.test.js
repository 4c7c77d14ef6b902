// The barcode keeps its bars per topology and cuts them at a threshold: the bars shown are the
// first rows where rows go by persistence (as barcodeRows orders them), else a filter; the
// hidden bars are found by row for the selection overlay and by a pass for a box over the
// aggregate row. Both are checked against the plain rule: a minimum's bar is shown iff its
// persistence is not below the threshold.
import { beforeEach, describe, expect, it } from "vitest";

import barcode, { visibleBarCount, visibleBars } from "../src/barcode_view.js";
import { lossAxisScale, lossScaleOf } from "../src/lib/loss_scale.js";
import { Topology } from "../src/lib/topology.js";
import { mountSetup as setup } from "./mount_setup.js";
import { chainTopology } from "./chain_topology.js";

beforeEach(() => {
  document.body.replaceChildren();
});

/** The bars shown at t by the plain rule, rows renumbered: [basin, row]. */
function reference(topo, t) {
  const b = topo.barcodeRows(0);
  const order = [...b.row.keys()].sort((p, q) => b.row[p] - b.row[q] || p - q);
  return order
    .filter((k) => {
      const i = topo.index.get(b.basin[k]);
      return i === undefined || topo.visible(i, t);
    })
    .map((k, row) => [b.basin[k], row]);
}

/** Thresholds across the persistences: none hidden, a few, most, all but the essential. */
function thresholds(topo) {
  const p = [...topo.persistence].filter(Number.isFinite).sort((a, b) => a - b);
  return [0, p[0], p[Math.floor(p.length / 3)], p[Math.floor(p.length / 2)], p[p.length - 2], p[p.length - 1] + 1];
}

describe("the barcode's bars at a threshold", () => {
  it("are the first rows, as the plain rule shows them", () => {
    const topo = new Topology(chainTopology(3000, 7));
    for (const t of thresholds(topo)) {
      expect(visibleBars(topo, t).map((bar) => [bar.basin, bar.row])).toEqual(reference(topo, t));
      expect(visibleBarCount(topo, t)).toBe(reference(topo, t).length);
    }
  });

  it("are filtered where rows are not in persistence order", () => {
    const topo = new Topology(chainTopology(500, 3));
    // persistences that disagree with the rows' order (swapped pairwise): no prefix to cut
    const p = topo.persistence;
    for (let i = 1; i + 1 < p.length; i += 2) [p[i], p[i + 1]] = [p[i + 1], p[i]];
    for (const t of thresholds(topo)) {
      expect(visibleBars(topo, t).map((bar) => [bar.basin, bar.row])).toEqual(reference(topo, t));
      expect(visibleBarCount(topo, t)).toBe(reference(topo, t).length);
    }
  });

  it("a box across the aggregate row selects every hidden bar; one above it, none", async () => {
    const n = 5000;
    const data = { topology: chainTopology(n, 2) }; // rows in persistence order: cut, not filtered
    const topo = new Topology(data.topology);
    const { el, sel, view, host } = setup(data, 300);
    await barcode.render({ model: view, el, host });
    const shown = el.querySelector("g.lw-bars").getAttribute("data-order").split(" ").length;
    const hidden = new Set(visibleBars(topo, 0).slice(shown).map((bar) => bar.basin));
    expect(hidden.size).toBe(n - shown);
    const svgEl = el.querySelector("svg");
    const [left, top] = svgEl.querySelector("g").getAttribute("transform").match(/[-\d.]+/g).map(Number);
    const band = el.querySelector(".lw-aggregate-band");
    // the band spans the hidden bars: from the least birth to the greatest death (an essential
    // bar's: the plot's right edge)
    const plotW = Number(svgEl.getAttribute("width")) - left - 16;
    const sx = lossAxisScale(lossScaleOf("linear", topo.valueMin, topo.valueMax), [topo.valueMin, topo.valueMax], [0, plotW], 0.04);
    const hiddenBars = visibleBars(topo, 0).slice(shown);
    const lo = Math.min(...hiddenBars.map((bar) => sx(bar.birth)));
    const hi = Math.max(...hiddenBars.map((bar) => (bar.essential ? plotW : sx(bar.death))));
    expect(Number(band.getAttribute("x"))).toBeCloseTo(lo, 6);
    expect(Number(band.getAttribute("width"))).toBeCloseTo(Math.max(1.5, hi - lo), 6);
    const y = Number(band.getAttribute("y")) + Number(band.getAttribute("height")) / 2;
    const w = Number(svgEl.getAttribute("width")) - left;
    const drag = (x0, y0, x1, y1) => {
      const at = (x, yy) => ({ bubbles: true, button: 0, clientX: left + x, clientY: top + yy });
      svgEl.dispatchEvent(new MouseEvent("pointerdown", at(x0, y0)));
      svgEl.dispatchEvent(new MouseEvent("pointermove", at(x1, y1)));
      svgEl.dispatchEvent(new MouseEvent("pointerup", at(x1, y1)));
    };
    // across the whole width, on the aggregate row only: every hidden bar, nothing else
    drag(-5, y - 0.1, w + 5, y + 0.1);
    expect(new Set(sel.get("basins"))).toEqual(hidden);
    // a box above the aggregate row: no hidden bar
    drag(-5, 0, w + 5, Number(band.getAttribute("y")) - 5);
    const picked = sel.get("basins");
    expect(picked.length).toBeGreaterThan(0);
    expect(picked.filter((b) => hidden.has(b))).toEqual([]);
    // a hidden bar selected: drawn on top of the aggregate row (found by its row) and lit
    const [tiny] = [...hidden].slice(-1);
    sel.set("basins", [tiny]);
    expect(el.querySelectorAll(`rect.lw-lod-overlay[data-basin="${tiny}"][aria-selected="true"]`).length).toBe(1);
  });
});
