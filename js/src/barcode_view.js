// BarcodeView: one bar per minimum, birth -> death (loss on x); the essential bar runs off the
// top of the range. Bars below the persistence threshold are hidden.
import { mountView } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";

/** Bars to draw at threshold t: [{basin, birth, death, essential, row}] in row order. */
export function visibleBars(topo, t) {
  const b = topo.barcodeRows(0); // the full tree's bars, computed once from the shared model
  const bars = [];
  for (let k = 0; k < b.basin.length; k++) {
    const i = topo.index.get(b.basin[k]);
    if (i !== undefined && !topo.visible(i, t)) continue;
    bars.push({ basin: b.basin[k], birth: b.birth[k], death: b.death[k], essential: !!b.essential[k], row: b.row[k] });
  }
  bars.sort((p, q) => p.row - q.row);
  bars.forEach((bar, r) => (bar.row = r));
  return bars;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const bars = visibleBars(topo, t);
  const sx = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [0, w], 0.04);
  const rowH = h / Math.max(bars.length, 1);
  const g = svg("g", {}, plot);
  const rects = [];
  for (const bar of bars) {
    const x0 = sx(bar.birth);
    const x1 = bar.essential || !Number.isFinite(bar.death) ? w : sx(bar.death);
    const y = bar.row * rowH + rowH * 0.15;
    const r = svg("rect", {
      class: `lw-bar lw-hit${bar.essential ? " lw-essential" : ""}`,
      x: x0, y, width: Math.max(1.5, x1 - x0), height: Math.max(1, rowH * 0.7),
    }, g);
    hl.add(r, bar.basin);
    rects.push({ bar, x0, x1, y0: y, y1: y + rowH * 0.7 });
    if (bar.essential) svg("path", { d: `M${w},${y - 2}L${w + 7},${y + rowH * 0.35}L${w},${y + rowH * 0.7 + 2}Z`, class: "lw-bar lw-essential" }, g);
  }
  const ax = svg("g", { transform: `translate(0,${h})` }, plot);
  lossAxis(ax, sx, "bottom", { name: "birth → death: loss" });
  return {
    box(x0, y0, x1, y1) {
      return rects.filter((r) => r.x1 >= x0 && r.x0 <= x1 && r.y1 >= y0 && r.y0 <= y1).map((r) => r.bar.basin);
    },
  };
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "barcode", title: "Barcode", draw,
    margin: { left: 14, right: 16, top: 8, bottom: 34 } });
}

export default { render };
