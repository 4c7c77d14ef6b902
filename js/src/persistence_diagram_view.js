// PersistenceDiagramView: (birth, death) per minimum above the diagonal; the essential class on
// a dashed top line. Points below the persistence threshold are hidden.
import { mountView } from "./lib/view.js";
import { svg, svgFresh } from "./lib/dom.js";
import { lossAxisScale } from "./lib/loss_scale.js";
import { INFINITY_Y } from "./lib/diagram.js";
import { renderDiagram, pickPainted, POINT_R } from "./lib/diagram_points.js";
import { countAtLeast, itemBudget, selectionOverlay, visibleMask } from "./lib/lod.js";

export { pickPainted };

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

/** Most pairs drawn as SVG circles (focusable, hit by the browser); the next ones up to the
 *  element budget are painted as the same circles into the diagram's bitmap (hit in JS, drawn
 *  on top when selected): thousands of circles cost the page ~100 ms of style, layout and
 *  raster each time a slider move brings them back (see SVG_BARS for the budgets' size). */
export const SVG_POINTS = 150;

const placements = new WeakMap(); // topo -> {key, points}: every pair placed, in rank order

/** Every pair of `topo` placed on the scales, in persistence order (persistenceOrder): [{p, i,
 *  x, y}] with i the rank. A threshold shows a prefix of it (hidden iff persistence < t), and
 *  the positions depend only on the scales (`key`: the drawn size and axis), so they are made
 *  once, not for every pair on every move (at 20,201 basins that cost ~15 ms a move). */
export function rankedPoints(topo, sx, sy, key) {
  let kept = placements.get(topo);
  if (!kept || kept.key !== key) {
    const order = persistenceOrder(topo);
    const points = new Array(order.length);
    for (let r = 0; r < order.length; r++) {
      const i = order[r];
      const birth = topo.minimumValue[i];
      const pers = topo.persistence[i];
      const essential = !Number.isFinite(pers);
      const death = essential ? Infinity : birth + pers;
      const p = { basin: topo.minima[i], key: topo.minima[i], birth, death, essential };
      points[r] = { p, i: r, x: sx(birth), y: essential ? INFINITY_Y : sy(death) };
    }
    placements.set(topo, (kept = { key, points }));
  }
  return kept.points;
}

const rankings = new WeakMap(); // persistenceOrder -> {rank, floor}

/**
 * The ranking's inverse and bounds, once per topology: `rank[i]` is minimum i's place in
 * persistenceOrder, and `floor[r]` the least persistence among its first r + 1 pairs (NaN,
 * shown at every threshold, counted as Infinity). The ranking sorts by death − birth as
 * rounded, so a pair may sort above a pair of a persistence one ulp larger: the shown prefix
 * ends at the first pair hidden (persistence < t), which is where `floor` first drops below t.
 */
export function rankingOf(topo) {
  const order = persistenceOrder(topo);
  let known = rankings.get(order);
  if (!known) {
    const rank = new Int32Array(order.length);
    const floor = new Float64Array(order.length);
    let least = Infinity;
    for (let r = 0; r < order.length; r++) {
      const i = order[r];
      rank[i] = r;
      const p = topo.persistence[i];
      if (p < least) least = p;
      floor[r] = least;
    }
    rankings.set(order, (known = { rank, floor }));
  }
  return known;
}

/** How many of the ranking's first pairs are shown at threshold t (hidden iff persistence < t),
 *  by bisection: a move at 20,201 basins walked every shown pair. */
export function shownPrefix(topo, t) {
  return countAtLeast(rankingOf(topo).floor, t);
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const sx = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [0, w], 0.05);
  const sy = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [h, 20], 0.03); // ∞ above
  const [lo, hi] = sx.domain;
  // the shown pairs: a prefix of the pairs placed once in rank order
  const shown = rankedPoints(topo, sx, sy, `${w}|${h}|${loss.kind}`).slice(0, shownPrefix(topo, t));
  // the shared renderer: frame, pairs with their level of detail (the most persistent as
  // circles, the next painted, the rest as dots; hit-testing and the box still see every pair)
  const { points, painted, hidden, nodes } = renderDiagram(plot, null, {
    sx, sy, w, h, lo, hi, top: INFINITY_Y, axes: { birth: "birth (loss)", death: "death" }, placed: shown,
    // the band of hidden pairs: death - birth < t (a curve on a log scale); the one element of
    // the drawing that follows the threshold itself (refresh: a move that keeps the pairs shown)
    under: (g) => {
      ctx.band = svgFresh("path", { d: t > 0 ? hiddenBand(sx, sy, lo, hi, t) : "", fill: "rgba(0,0,0,.06)", class: "lw-hidden-band" }, g);
      ctx.band.__lwBand = { sx, sy, lo, hi };
    },
    // the circles drawn most persistent last, on top (as the painted layer paints them)
    drawOrder: (elements) => elements.slice().reverse(),
    detail: { order: null, budget: itemBudget(1), elements: SVG_POINTS, owner: ctx, ranking: persistenceOrder(topo), key: loss.kind },
  });
  for (const [i, node] of nodes) hl.add(node, points[i].p.basin);
  // pairs without an element of their own (painted or hidden: the shown pairs past the
  // elements, in rank order), found by rank: no map of 20,000 pairs made on every move
  const { rank } = rankingOf(topo);
  const drawn = points.length - painted.length - hidden.length;
  const notDrawnAt = (b) => {
    const i = topo.index.get(b);
    const r = i === undefined ? -1 : rank[i];
    return r >= drawn && r < points.length ? points[r] : undefined;
  };
  const someNotDrawn = painted.length + hidden.length > 0;
  const overlay = someNotDrawn ? selectionOverlay(hl, plot, { has: (b) => notDrawnAt(b) !== undefined }, (b, parent) => {
    const q = notDrawnAt(b);
    return svg("circle", { class: "lw-point lw-hit lw-lod-overlay", cx: q.x, cy: q.y, r: POINT_R }, parent);
  }) : null;
  return {
    box(x0, y0, x1, y1) {
      return points.filter((d) => d.x >= x0 && d.x <= x1 && d.y >= y0 && d.y <= y1).map((d) => d.p.basin);
    },
    pick(ev, x, y) {
      // a drawn circle: its basin; the bitmap: the painted circle under the pointer, else the
      // nearest hidden pair within 6 px
      const node = ev.target.closest ? ev.target.closest("[data-basin]") : null;
      let basin = node ? Number(node.getAttribute("data-basin")) : null;
      if (basin == null && someNotDrawn && ev.target.closest && ev.target.closest(".lw-point-aggregate")) {
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
