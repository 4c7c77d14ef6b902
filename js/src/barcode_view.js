// BarcodeView: one bar per minimum, birth -> death (loss on x); the essential bar runs off the
// top of the range. Bars below the persistence threshold are hidden.
import { mountView } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { aggregateLabel, itemBudget, selectionOverlay, splitAtBudget, visibleMask } from "./lib/lod.js";

/** Thinnest row (px) given a bar of its own (bars are drawn at least 1 px high, so a dense
 *  band still reads); the rest go to the aggregate row. */
export const MIN_ROW_PX = 0.25;

/** Bars to draw at threshold t: [{basin, birth, death, essential, row}] in row order. */
export function visibleBars(topo, t) {
  const b = topo.barcodeRows(0); // the full tree's bars, computed once from the shared model
  const { order, index } = rowOrder(topo, b);
  const bars = [];
  for (const k of order) {
    const i = index[k];
    if (i >= 0 && !topo.visible(i, t)) continue;
    bars.push({ basin: b.basin[k], birth: b.birth[k], death: b.death[k], essential: !!b.essential[k], row: bars.length });
  }
  return bars;
}

const rowOrders = new WeakMap();

/** The full tree's bars in row order and each bar's minimum index (-1: none), once per
 *  barcode (a threshold move only filters them). */
function rowOrder(topo, b) {
  let entry = rowOrders.get(b);
  if (!entry) {
    const order = Array.from({ length: b.basin.length }, (_, k) => k).sort((p, q) => (b.row[p] - b.row[q]) || (p - q));
    const index = Int32Array.from(b.basin, (basin) => topo.index.get(basin) ?? -1);
    rowOrders.set(b, (entry = { order, index }));
  }
  return entry;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const bars = visibleBars(topo, t);
  // level of detail: the most persistent bars (rows are in persistence order), at most the
  // element budget and a row of at least MIN_ROW_PX each; the rest in one labelled row
  const cap = Math.min(itemBudget(1), Math.max(1, Math.floor(h / MIN_ROW_PX) - 1));
  const { shown, hidden } = splitAtBudget(bars, cap);
  const sx = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [0, w], 0.04);
  const rows = shown.length + (hidden.length ? 1 : 0);
  const rowH = h / Math.max(rows, 1);
  const g = svg("g", {}, plot);
  const rects = [];
  const span = (bar) => [sx(bar.birth), bar.essential || !Number.isFinite(bar.death) ? w : sx(bar.death)];
  for (const bar of shown) {
    const [x0, x1] = span(bar);
    const y = bar.row * rowH + rowH * 0.15;
    const r = svg("rect", {
      class: `lw-bar lw-hit${bar.essential ? " lw-essential" : ""}`,
      x: x0, y, width: Math.max(1.5, x1 - x0), height: Math.max(1, rowH * 0.7),
    }, g);
    hl.add(r, bar.basin);
    rects.push({ bar, x0, x1, y0: y, y1: y + rowH * 0.7 });
    if (bar.essential) svg("path", { d: `M${w},${y - 2}L${w + 7},${y + rowH * 0.35}L${w},${y + rowH * 0.7 + 2}Z`, class: "lw-bar lw-essential" }, g);
  }
  const hiddenIds = new Set(hidden.map((b) => b.basin));
  const aggY = shown.length * rowH;
  let overlay = null;
  if (hidden.length) {
    // the hidden bars as one band (their birth-death hull) and a label counting them
    let lo = Infinity;
    let hi = -Infinity;
    for (const bar of hidden) {
      const [x0, x1] = span(bar);
      lo = Math.min(lo, x0);
      hi = Math.max(hi, x1);
      rects.push({ bar, x0, x1, y0: aggY, y1: aggY + rowH, hidden: true });
    }
    const agg = svg("g", { class: "lw-aggregate", "data-aggregate": String(hidden.length) }, g);
    svg("rect", { class: "lw-bar lw-aggregate-band", x: lo, y: aggY + rowH * 0.15, width: Math.max(1.5, hi - lo),
      height: Math.max(1, rowH * 0.7), opacity: 0.35 }, agg);
    svg("text", { class: "lw-label lw-aggregate-label", x: w - 2, y: Math.max(10, aggY - 2), "text-anchor": "end" }, agg)
      .textContent = aggregateLabel(hidden.length, "bars");
    const byId = new Map(hidden.map((b) => [b.basin, b]));
    overlay = selectionOverlay(hl, g, hiddenIds, (b, parent) => {
      const [x0, x1] = span(byId.get(b));
      return svg("rect", { class: "lw-bar lw-hit lw-lod-overlay", x: x0, y: aggY + rowH * 0.15,
        width: Math.max(1.5, x1 - x0), height: Math.max(2, rowH * 0.7) }, parent);
    });
  }
  const ax = svg("g", { transform: `translate(0,${h})` }, plot);
  lossAxis(ax, sx, "bottom", { name: "birth → death: loss" });
  return {
    box(x0, y0, x1, y1) {
      return rects.filter((r) => r.x1 >= x0 && r.x0 <= x1 && r.y1 >= y0 && r.y0 <= y1).map((r) => r.bar.basin);
    },
    onSelection(selected) {
      if (overlay) overlay.update(selected);
    },
    hiddenCount: hidden.length,
  };
}

/** What the barcode's drawing depends on at the threshold (see mountView's spec.drawKey): which
 *  bars are shown (every shown bar is its own basin's at any threshold). */
export function drawKey(ctx) {
  return ctx.topo ? [visibleMask(ctx.topo, ctx.t)] : [ctx.t];
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "barcode", title: "Barcode", draw, drawKey,
    margin: { left: 14, right: 16, top: 8, bottom: 34 } });
}

export default { render };
