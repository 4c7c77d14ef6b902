// PersistenceDiagramView: (birth, death) per minimum above the diagonal; the essential class on
// a dashed top line. Points below the persistence threshold are hidden.
import { mountView } from "./lib/view.js";
import { svg, svgFresh } from "./lib/dom.js";
import { fixed1 } from "./lib/svg.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { diagramFrame, INFINITY_Y } from "./lib/diagram.js";
import { itemBudget, selectionOverlay, splitAtBudget, visibleMask } from "./lib/lod.js";
import { BitmapMemo, bitmapContext, bitmapUrl } from "./lib/bitmap.js";

/** Points to draw at threshold t: [{basin, birth, death, essential}]. */
export function diagramPoints(topo, t) {
  const pts = [];
  for (let i = 0; i < topo.minima.length; i++) {
    if (!topo.visible(i, t)) continue;
    const birth = topo.minimumValue[i];
    const pers = topo.persistence[i];
    const essential = !Number.isFinite(pers);
    pts.push({ basin: topo.minima[i], birth, death: essential ? Infinity : birth + pers, essential });
  }
  return pts;
}

const persistenceOrders = new WeakMap();

/** Indices of topo's minima by persistence (death - birth), largest first, ties in index
 *  order: fixed for a topology, so that a threshold move does not sort 20,000 pairs again. */
export function persistenceOrder(topo) {
  let order = persistenceOrders.get(topo);
  if (!order) {
    const n = topo.minima.length;
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const birth = topo.minimumValue[i];
      const pers = topo.persistence[i];
      key[i] = Number.isFinite(pers) ? (birth + pers) - birth : Infinity;
    }
    order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (key[b] - key[a]) || (a - b));
    persistenceOrders.set(topo, order);
  }
  return order;
}

/** Path of the region between the diagonal and death = birth + t, births in [lo, hi]. */
export function hiddenBand(sx, sy, lo, hi, t, n = 48) {
  const pts = [];
  for (let k = 0; k <= n; k++) {
    const b = sx.invert(sx(lo) + ((sx(hi) - sx(lo)) * k) / n); // even steps on screen
    if (b + t <= hi) pts.push([sx(b), sy(b + t)]);
  }
  if (!pts.length) return "";
  const d = pts.map(([x, y], k) => `${k ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");
  return `${d}L${sx(hi - t).toFixed(1)},${sy(hi).toFixed(1)}L${sx(hi).toFixed(1)},${sy(hi).toFixed(1)}L${sx(lo).toFixed(1)},${sy(lo).toFixed(1)}Z`;
}

/** Margin (px) of the aggregate's bitmap around the plot (dots on its edges stay whole). */
const DOT_PAD = 4;
const dotImages = new WeakMap(); // view ctx -> BitmapMemo: its last few bitmaps

/** Most pairs drawn as SVG circles (focusable, hit by the browser); the next ones up to the
 *  element budget are painted as the same circles into the diagram's bitmap (hit in JS, drawn
 *  on top when selected): thousands of circles cost the page ~100 ms of style, layout and
 *  raster each time a slider move brings them back. */
export const SVG_POINTS = 400;

/** The painted pairs (circles like .lw-point) and the hidden ones (round dots, 3 px, grey) on a
 *  canvas the size of the plot (at the screen's density): a PNG data URL, or null without a
 *  canvas (jsdom). The last few are kept under the pairs (`ids`, compared by content) and the
 *  drawn size and axis (`key`): a move back to a threshold drawn before reuses its PNG. */
function dotsImage(ctx, key, ids, painted, hidden, w, h) {
  let memo = dotImages.get(ctx);
  if (!memo) dotImages.set(ctx, (memo = new BitmapMemo()));
  const kept = memo.get(key, ids);
  if (kept) return kept;
  if (typeof document === "undefined") return null;
  // at the screen's pixel density (at most 2x): a bitmap drawn at another scale is resampled
  // on every raster of the diagram (each slider move repaints its hidden band over it)
  const scale = Math.min(2, Math.max(1, (typeof window !== "undefined" && window.devicePixelRatio) || 1));
  const g = bitmapContext(w + 2 * DOT_PAD, h + 2 * DOT_PAD, scale);
  if (!g || typeof g.arc !== "function") return null;
  g.translate(DOT_PAD, DOT_PAD);
  g.fillStyle = "rgba(110,110,110,.55)";
  g.beginPath();
  for (const q of hidden) {
    g.moveTo(q.x + 1.5, q.y);
    g.arc(q.x, q.y, 1.5, 0, 2 * Math.PI);
  }
  g.fill();
  // the painted circles as the stylesheet draws .lw-point (fill, white rim), in pair order
  g.fillStyle = POINT_FILL;
  g.strokeStyle = "#fff";
  g.lineWidth = 0.8;
  for (const q of painted) {
    g.beginPath();
    g.arc(q.x, q.y, POINT_R, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
  }
  const url = bitmapUrl(g);
  if (!url) return null;
  memo.set(key, ids, url);
  return url;
}

/** Radius and fill of a pair's circle (.lw-point in lib/style.js). */
const POINT_R = 4.5;
const POINT_FILL = "#4a6fa5";

/** The pairs in the order the pairs are drawn (index order: the topology's minima). */
function byIndex(list) {
  return [...list].sort((a, b) => a.i - b.i);
}

/** The basin under (x, y) in the diagram's bitmap: the painted circle drawn last (on top) whose
 *  disc (rim included) holds the point, else the nearest hidden pair within 6 px, else null. */
export function pickPainted(painted, hidden, x, y) {
  const reach = (POINT_R + 0.4) ** 2;
  let top = null;
  for (const q of painted) {
    if ((q.x - x) ** 2 + (q.y - y) ** 2 <= reach && (top == null || q.i > top.i)) top = q;
  }
  if (top) return top.p.basin;
  let best = 36;
  let basin = null;
  for (const q of hidden) {
    const dd = (q.x - x) ** 2 + (q.y - y) ** 2;
    if (dd <= best) { best = dd; basin = q.p.basin; }
  }
  return basin;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const sx = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [0, w], 0.05);
  const sy = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [h, 20], 0.03); // ∞ above
  const [lo, hi] = sx.domain;
  const top = INFINITY_Y;
  diagramFrame(plot, sx, sy, [lo, hi], w, top); // the renderer TrajectoryView shares
  // the band of hidden pairs: death - birth < t (a curve on a log scale); the one element of
  // the drawing that follows the threshold itself (refresh: a move that keeps the pairs shown)
  ctx.band = svgFresh("path", { d: t > 0 ? hiddenBand(sx, sy, lo, hi, t) : "", fill: "rgba(0,0,0,.06)", class: "lw-hidden-band" }, plot);
  ctx.band.__lwBand = { sx, sy, lo, hi };
  // level of detail: the most persistent pairs as circles (at most the element budget), the
  // rest as dots of one path; hit-testing and the box still see every pair
  const pts = diagramPoints(topo, t).map((p, i) => ({ p, i, x: sx(p.birth), y: p.essential ? top : sy(p.death) }));
  // the visible pairs in persistence order (the topology's fixed order, filtered)
  const at = new Int32Array(topo.minima.length).fill(-1);
  let n = 0;
  for (let i = 0; i < topo.minima.length; i++) if (topo.visible(i, t)) at[i] = n++;
  const byPersistence = [];
  for (const i of persistenceOrder(topo)) if (at[i] >= 0) byPersistence.push(pts[at[i]]);
  const { shown: kept, hidden } = splitAtBudget(byPersistence, itemBudget(1));
  // the most persistent as circles, the next ones painted (see SVG_POINTS), the rest as dots
  let painted = splitAtBudget(kept, SVG_POINTS).hidden;
  let url = null;
  if (hidden.length || painted.length) {
    const ids = new Int32Array(painted.length + 1 + hidden.length);
    painted.forEach((q, k) => { ids[k] = q.p.basin; });
    ids[painted.length] = -1;
    hidden.forEach((q, k) => { ids[painted.length + 1 + k] = q.p.basin; });
    // a bitmap where the browser can draw one (rasterising a path of 17,000 round dots again
    // on every repaint of the diagram made each brushing cost ~150 ms); else SVG
    url = dotsImage(ctx, `${w}|${h}|${loss.kind}`, ids, byIndex(painted), hidden, w, h);
  }
  if (!url) painted = []; // no bitmap: every pair under the budget is a circle
  for (const q of hidden) q.hidden = true;
  for (const q of painted) q.painted = true;
  const shown = hidden.length || painted.length ? pts.filter((q) => !q.hidden && !q.painted) : pts;
  // pairs without an element of their own: drawn on top when selected
  const notDrawn = new Map();
  for (const q of hidden) notDrawn.set(q.p.basin, q);
  for (const q of painted) notDrawn.set(q.p.basin, q);
  let overlay = null;
  if (url) {
    svg("image", { class: "lw-point-aggregate", href: url, x: -DOT_PAD, y: -DOT_PAD, width: w + 2 * DOT_PAD,
      height: h + 2 * DOT_PAD, preserveAspectRatio: "none", "data-aggregate": String(hidden.length),
      "data-painted": String(painted.length) }, plot);
  } else if (hidden.length) {
    let d = "";
    for (const q of hidden) d += `M${fixed1(q.x)},${fixed1(q.y)}h0`;
    svg("path", { d, class: "lw-point-aggregate", fill: "none", stroke: "currentColor", "stroke-opacity": 0.45,
      "stroke-width": 3, "stroke-linecap": "round", "data-aggregate": String(hidden.length) }, plot);
  }
  if (notDrawn.size) {
    overlay = selectionOverlay(hl, plot, notDrawn, (b, parent) => {
      const q = notDrawn.get(b);
      return svg("circle", { class: "lw-point lw-hit lw-lod-overlay", cx: q.x, cy: q.y, r: POINT_R }, parent);
    });
  }
  for (const q of shown) { // in the pairs' order
    const c = svg("circle", { class: "lw-point lw-hit", cx: q.x, cy: q.y, r: POINT_R }, plot);
    hl.add(c, q.p.basin);
  }
  lossAxis(svg("g", { transform: `translate(0,${h})` }, plot), sx, "bottom", { name: "birth (loss)" });
  lossAxis(plot, sy, "left", { name: "death" });
  return {
    box(x0, y0, x1, y1) {
      return pts.filter((d) => d.x >= x0 && d.x <= x1 && d.y >= y0 && d.y <= y1).map((d) => d.p.basin);
    },
    pick(ev, x, y) {
      // a drawn circle: its basin; the bitmap: the painted circle under the pointer, else the
      // nearest hidden pair within 6 px
      const node = ev.target.closest ? ev.target.closest("[data-basin]") : null;
      let basin = node ? Number(node.getAttribute("data-basin")) : null;
      if (basin == null && notDrawn.size && ev.target.closest && ev.target.closest(".lw-point-aggregate")) {
        basin = pickPainted(painted, hidden, x, y);
      }
      // (at the threshold of the call: a redraw with the same drawing keeps this api)
      return basin == null ? null : { basin, info: topo.basinInfo(basin, ctx.t) };
    },
    onSelection(selected) {
      if (overlay) overlay.update(selected);
    },
  };
}

/** What the diagram's drawing depends on at the threshold (see mountView's spec.drawKey): which
 *  pairs are shown; the band of hidden pairs follows the threshold itself (refresh). */
export function drawKey(ctx) {
  return ctx.topo ? [visibleMask(ctx.topo, ctx.t)] : [ctx.t];
}

/** A move that keeps the pairs shown: only the hidden band's edge moves. */
export function refresh(ctx) {
  const band = ctx.band;
  if (!band || !band.__lwBand) return;
  const { sx, sy, lo, hi } = band.__lwBand;
  band.setAttribute("d", ctx.t > 0 ? hiddenBand(sx, sy, lo, hi, ctx.t) : "");
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "diagram", view: "persistence-diagram", title: "Persistence diagram", draw, drawKey, refresh });
}

export default { render };
