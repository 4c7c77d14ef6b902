// BarcodeView: one bar per minimum, birth -> death (loss on x); the essential bar runs off the
// top of the range. Bars below the persistence threshold are hidden.
import { mountView } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { AGGREGATE_LABEL_Y, AGGREGATE_ROOM, aggregateLabel, countAtLeast, itemBudget, selectionOverlay, splitAtBudget, visibleMask } from "./lib/lod.js";
import { PaintMemo, bitmapContext, liveCanvas, paintScale, paintedCanvas, releaseCanvas } from "./lib/bitmap.js";
import { SVG_BARS, barRect, paintBars, pickBar } from "./lib/bar_rows.js";

/** Thinnest row (px) given a bar of its own (bars are drawn at least 1 px high, so a dense
 *  band still reads); the rest go to the aggregate row. */
export const MIN_ROW_PX = 0.25;

/** The fill of .lw-bar (lib/style.js), which the painted bars are drawn in. */
const BAR_FILL = "#4a6fa5";

/** Bars to draw at threshold t: [{basin, birth, death, essential, row}] in row order. */
export function visibleBars(topo, t) {
  const rows = barRows(topo);
  if (rows.prefix) return rows.bars.slice(0, countAtLeast(rows.visibleFrom, t));
  // (rows not in visibility order: filtered, each at its row among the shown ones)
  const bars = [];
  for (let r = 0; r < rows.bars.length; r++) {
    if (!(rows.visibleFrom[r] >= t)) continue;
    const bar = rows.bars[r];
    bars.push({ ...bar, row: bars.length });
  }
  return bars;
}

/** visibleBars(topo, t) split at `cap` (splitAtBudget), cut from the rows in one copy each
 *  where the shown bars are the first rows. */
function splitBars(topo, t, cap) {
  const rows = barRows(topo);
  if (!rows.prefix) return splitAtBudget(visibleBars(topo, t), cap);
  const count = countAtLeast(rows.visibleFrom, t);
  return { shown: rows.bars.slice(0, Math.min(cap, count)), hidden: count > cap ? rows.bars.slice(cap, count) : [] };
}

/** How many bars are shown at threshold t (visibleBars(topo, t).length, without the bars). */
export function visibleBarCount(topo, t) {
  const rows = barRows(topo);
  if (rows.prefix) return countAtLeast(rows.visibleFrom, t);
  let n = 0;
  for (let r = 0; r < rows.visibleFrom.length; r++) if (rows.visibleFrom[r] >= t) n++;
  return n;
}

const barRowsOf = new WeakMap();

/**
 * The full tree's bars in row order, once per barcode (a threshold move only cuts them):
 * `bars` (objects made once), `visibleFrom` (the threshold up to which each row is shown: its
 * minimum's persistence, Infinity for a bar that is no minimum's), `rowOf` (basin -> row) and
 * `prefix`: whether rows go by decreasing persistence, as barcodeRows orders them, so that the
 * bars shown at any threshold are the first ones (they are the same numbers, death − birth;
 * checked, not assumed).
 */
function barRows(topo) {
  const b = topo.barcodeRows(0); // the full tree's bars, computed once from the shared model
  let rows = barRowsOf.get(b);
  if (!rows) {
    const order = Array.from({ length: b.basin.length }, (_, k) => k).sort((p, q) => (b.row[p] - b.row[q]) || (p - q));
    const bars = order.map((k, r) => ({ basin: b.basin[k], birth: b.birth[k], death: b.death[k], essential: !!b.essential[k], row: r }));
    const visibleFrom = Float64Array.from(order, (k) => {
      const i = topo.index.get(b.basin[k]);
      return i === undefined ? Infinity : topo.persistence[i];
    });
    let prefix = true;
    for (let r = 1; r < visibleFrom.length && prefix; r++) prefix = !(visibleFrom[r] > visibleFrom[r - 1]);
    const rowOf = new Map(bars.map((bar) => [bar.basin, bar.row]));
    barRowsOf.set(b, (rows = { bars, visibleFrom, rowOf, prefix }));
  }
  return rows;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  // level of detail: the most persistent bars (rows are in persistence order), at most the
  // element budget and a row of at least MIN_ROW_PX each; the rest in one labelled row
  const cap = Math.min(itemBudget(1), Math.max(1, Math.floor(h / MIN_ROW_PX) - 1));
  const { shown, hidden } = splitBars(topo, t, cap);
  const sx = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [0, w], 0.04);
  const rows = shown.length + (hidden.length ? 1 : 0);
  const rowH = h / Math.max(rows, 1);
  // the bars' basins in drawing order, stated on the view (the painted ones have no element)
  const g = svg("g", { class: "lw-bars", "data-order": shown.map((b) => b.basin).join(" ") }, plot);
  const rects = []; // the bars drawn as elements, for the box
  // a bar's right end (an essential bar runs to the plot's edge) and its span; the moves make
  // no array per bar (the hidden ones are thousands: the 0 % move at 20,201 basins allocated
  // ~2 MB of them and of painted lookups, and paid it in garbage collection)
  const end = (bar) => (bar.essential || !Number.isFinite(bar.death) ? w : sx(bar.death));
  const span = (bar) => [sx(bar.birth), end(bar)];
  // past SVG_BARS bars the less persistent ones are painted into one live canvas under the
  // elements and picked in JS (a slider move re-placed ~900 bar elements at 4,547 basins)
  const painted = shown.length > SVG_BARS ? paintedBars(ctx, shown.slice(SVG_BARS), span, rowH, rows) : null;
  if (painted) {
    liveCanvas(g, { class: "lw-bar-raster", x: -PAD, y: 0, width: w + 2 * PAD, height: h }, painted.canvas,
      { "data-painted": String(painted.rects.length) });
  }
  for (const bar of painted ? shown.slice(0, SVG_BARS) : shown) {
    const [x0, x1] = span(bar);
    const box = barRect(x0, x1, bar.row, rowH);
    const r = svg("rect", { class: `lw-bar lw-hit${bar.essential ? " lw-essential" : ""}`, ...box }, g);
    hl.add(r, bar.basin);
    const y = box.y;
    rects.push({ basin: bar.basin, x0, x1, y0: y, y1: y + rowH * 0.7 });
    if (bar.essential) svg("path", { d: `M${w},${y - 2}L${w + 7},${y + rowH * 0.35}L${w},${y + rowH * 0.7 + 2}Z`, class: "lw-bar lw-essential" }, g);
  }
  // the painted bars by basin: kept with their bitmap (made again only with it)
  const paintedById = painted ? painted.byBasin || (painted.byBasin = new Map(painted.rects.map((r) => [r.basin, r]))) : new Map();
  // the hidden bars (thousands on a noisy landscape) make no object per move: one pass for the
  // band, and a lookup by basin for the overlay
  const hiddenBar = hiddenLookup(topo, hidden);
  const aggY = shown.length * rowH;
  let overlay = null;
  if (painted) {
    // a selected painted bar is drawn as an element on top (the bitmap stays under)
    overlay = selectionOverlay(hl, g, paintedById, (b, parent) =>
      svg("rect", { class: "lw-bar lw-hit lw-lod-overlay", ...paintedBox(paintedById.get(b)) }, parent));
  }
  if (hidden.length) {
    // the hidden bars as one band (their birth-death hull) and a label counting them
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < hidden.length; k++) {
      lo = Math.min(lo, sx(hidden[k].birth));
      hi = Math.max(hi, end(hidden[k]));
    }
    const agg = svg("g", { class: "lw-aggregate", "data-aggregate": String(hidden.length) }, g);
    svg("rect", { class: "lw-bar lw-aggregate-band", x: lo, y: aggY + rowH * 0.15, width: Math.max(1.5, hi - lo),
      height: Math.max(1, rowH * 0.7), opacity: 0.35 }, agg);
    // above the plot, as the other views' aggregates (on the bars it covered the last rows)
    svg("text", { class: "lw-label lw-aggregate-label", x: w - 2, y: AGGREGATE_LABEL_Y, "text-anchor": "end" }, agg)
      .textContent = aggregateLabel(hidden.length, "bars");
    const notDrawn = { has: (b) => hiddenBar(b) !== undefined || paintedById.has(b) };
    overlay = selectionOverlay(hl, g, notDrawn, (b, parent) => {
      if (paintedById.has(b)) return svg("rect", { class: "lw-bar lw-hit lw-lod-overlay", ...paintedBox(paintedById.get(b)) }, parent);
      const [x0, x1] = span(hiddenBar(b));
      return svg("rect", { class: "lw-bar lw-hit lw-lod-overlay", x: x0, y: aggY + rowH * 0.15,
        width: Math.max(1.5, x1 - x0), height: Math.max(2, rowH * 0.7) }, parent);
    });
  }
  const ax = svg("g", { transform: `translate(0,${h})` }, plot);
  lossAxis(ax, sx, "bottom", { name: "birth → death: loss" });
  return {
    box(x0, y0, x1, y1) {
      const crosses = (r) => r.x1 >= x0 && r.x0 <= x1 && r.y1 >= y0 && r.y0 <= y1;
      const hit = rects.filter(crosses).map((r) => r.basin);
      if (painted) {
        for (const r of painted.rects) {
          if (r.x + r.width >= x0 && r.x <= x1 && r.y + rowH * 0.7 >= y0 && r.y <= y1) hit.push(r.basin);
        }
      }
      // the aggregate row, down to its band's foot (drawn at least 1 px high, it can reach
      // below a thin row): every hidden bar whose span the box crosses
      const aggFoot = aggY + Math.max(rowH, rowH * 0.15 + Math.max(1, rowH * 0.7));
      if (hidden.length && aggFoot >= y0 && aggY <= y1) {
        for (const bar of hidden) {
          const [a, b] = span(bar);
          if (b >= x0 && a <= x1) hit.push(bar.basin);
        }
      }
      return hit;
    },
    onSelection(selected) {
      if (overlay) overlay.update(selected);
    },
    pick(ev, x, y) {
      // an element: its basin; the bitmap: the painted bar drawn on top under the pointer
      const node = ev.target.closest ? ev.target.closest("[data-basin]") : null;
      let basin = node ? Number(node.getAttribute("data-basin")) : null;
      if (basin == null && painted && ev.target.closest && ev.target.closest(".lw-bar-raster")) basin = pickBar(painted.rects, rowH, x, y);
      return basin == null ? null : { basin, info: topo.basinInfo(basin, ctx.t) };
    },
    hiddenCount: hidden.length,
  };
}

/** The hidden bar of a basin, or undefined: by its row where the shown bars are the first rows
 *  (the hidden ones then follow them), else through a map of the hidden bars. */
function hiddenLookup(topo, hidden) {
  if (!hidden.length) return () => undefined;
  const rows = barRows(topo);
  if (rows.prefix) {
    const first = hidden[0].row;
    return (b) => {
      const r = rows.rowOf.get(b);
      return r !== undefined && r >= first && r - first < hidden.length ? hidden[r - first] : undefined;
    };
  }
  const byId = new Map(hidden.map((bar) => [bar.basin, bar]));
  return (b) => byId.get(b);
}

const PAD = 2; // px of bitmap beside the plot (a bar is at least 1.5 px wide)

/** A painted bar's rectangle as SVG attributes (a selected one drawn on top). */
function paintedBox(r) {
  return { x: r.x, y: r.y, width: r.width, height: r.height };
}

/** The bars past SVG_BARS as rectangles (in drawing order) and their canvas at the screen's
 *  pixel density: {canvas, rects}, or null where there is no canvas (all bars are elements). */
function paintedBars(ctx, bars, span, rowH, rows) {
  const scale = paintScale();
  // kept per barcode and size: the shown bars are the most persistent ones at any threshold
  // (hidden iff persistence < t), so their count fixes them, and a slider revisits counts
  const kept = paintCache(ctx.topo.barcodeRows(0));
  const key = `${ctx.w}|${ctx.h}|${ctx.loss && ctx.loss.kind}|${scale}|${rows}|${bars.length}|${bars[0].basin}`;
  const hit = kept.get(key);
  if (hit !== undefined) return hit;
  const result = paintBitmap(ctx, bars, span, rowH, scale);
  kept.set(key, result);
  return result;
}

const paintCaches = new WeakMap(); // barcode rows -> PaintMemo(key -> painted bars), the last 8

function paintCache(rowsOf) {
  let kept = paintCaches.get(rowsOf);
  if (!kept) paintCaches.set(rowsOf, (kept = new PaintMemo(8, (p) => p && releaseCanvas(p.canvas))));
  return kept;
}

function paintBitmap(ctx, bars, span, rowH, scale) {
  const g = bitmapContext(ctx.w + 2 * PAD, ctx.h, scale);
  if (!g || typeof g.fillRect !== "function") return null;
  const rects = bars.map((bar) => {
    const [x0, x1] = span(bar);
    return { basin: bar.basin, row: bar.row, bar, ...barRect(x0, x1, bar.row, rowH) };
  });
  g.translate(PAD, 0);
  paintBars(g, rects, BAR_FILL);
  return { canvas: paintedCanvas(g), rects };
}

/** What the barcode's drawing depends on at the threshold (see mountView's spec.drawKey): which
 *  bars are shown (every shown bar is its own basin's at any threshold). */
export function drawKey(ctx) {
  return ctx.topo ? [visibleMask(ctx.topo, ctx.t)] : [ctx.t];
}

const BOTTOM = 34;

/** Are some bars aggregated at the view's threshold (the plot then leaves room above it for
 *  the aggregate's label)? The row cap as draw computes it, at the height left with that room. */
function aggregated(ctx) {
  if (!ctx.topo) return false;
  const h = (ctx.model.get("height") || 0) - AGGREGATE_ROOM - BOTTOM;
  const cap = Math.min(itemBudget(1), Math.max(1, Math.floor(h / MIN_ROW_PX) - 1));
  return visibleBarCount(ctx.topo, ctx.t) > cap;
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "barcode", title: "Barcode", draw, drawKey,
    margin: (ctx) => ({ left: 14, right: 16, top: aggregated(ctx) ? AGGREGATE_ROOM : 8, bottom: BOTTOM }) });
}

export default { render };
