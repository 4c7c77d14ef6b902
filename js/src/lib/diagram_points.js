// The persistence-diagram renderer both diagram views share (PersistenceDiagramView's basins,
// TrajectoryView's D0/D1 groups): the frame (lib/diagram.js), the pairs placed on the scales,
// their level of detail (the most persistent as SVG markers, the next ones painted into one
// bitmap and picked in JS, the rest as small grey dots), and the two axes. The views keep what
// is theirs: which pairs, their scales, highlighting and the essential strip.
import { svg } from "./dom.js";
import { axis, fixed1 } from "./svg.js";
import { lossAxis } from "./loss_scale.js";
import { diagramFrame, INFINITY_Y } from "./diagram.js";
import { liveCanvas, paintScale } from "./bitmap.js";
import { DIAGRAM_POINT } from "./colors.js";
import { rankedLayer } from "./ranked_paint.js";

/** Radius of a pair's circle when the marker does not say (.lw-point in lib/style.js). */
export const POINT_R = 4.5;

/** Margin (px) of the painted bitmap around the plot (dots on its edges stay whole). */
export const DOT_PAD = 4;

/**
 * Each pair placed on the scales: `[{p, i, x, y}]` in the pairs' order (i: the index in
 * `pairs`). x = sx(birth); y = sy(death), or `top` (the ∞ line) when death is not finite.
 * `tf` maps values before the scales (TrajectoryView's log10 axes); the scales themselves may
 * carry the transform (lossAxisScale: linear, log or shifted log).
 */
export function placePairs(pairs, sx, sy, top = INFINITY_Y, tf = null) {
  const f = tf || ((v) => v);
  return pairs.map((p, i) => ({ p, i, x: sx(f(p.birth)), y: Number.isFinite(p.death) ? sy(f(p.death)) : top }));
}

/**
 * The level-of-detail split of placed pairs: `order` lists their indices most persistent first
 * (default: the pairs' order); the first `budget` of them are kept, the rest `hidden` (grey dots);
 * of the kept ones the first `elements` are drawn as SVG markers and the others `painted`.
 * Returns {elements, painted, hidden}: painted and hidden in priority order, elements in the
 * pairs' order (as they are drawn). Budget or elements of Infinity: no split.
 */
export function splitDetail(points, order, { budget = Infinity, elements = Infinity } = {}) {
  if (!order) {
    // already in priority order: three slices, no marks
    const kept = Math.min(points.length, budget);
    const drawn = Math.min(kept, elements);
    return { elements: points.slice(0, drawn), painted: points.slice(drawn, kept), hidden: points.slice(kept) };
  }
  const ranked = Array.from(order, (k) => points[k]);
  const kept = ranked.length > budget ? ranked.slice(0, budget) : ranked;
  const hidden = ranked.length > budget ? ranked.slice(budget) : [];
  const painted = kept.length > elements ? kept.slice(elements) : [];
  if (!hidden.length && !painted.length) return { elements: points, painted, hidden };
  const out = new Uint8Array(points.length);
  for (const q of hidden) out[q.i] = 1;
  for (const q of painted) out[q.i] = 1;
  return { elements: points.filter((q) => !out[q.i]), painted, hidden };
}

/** The pair under (x, y) in the bitmap: the painted circle on top (the first in `painted`'s
 *  order, the ranking: lib/ranked_paint.js paints each under the ones before) whose disc (rim
 *  included) holds the point, else the nearest hidden pair within 6 px, else null. Returns the
 *  pair's key (`p.key`, or `p.basin` for PersistenceDiagramView's pairs). */
export function pickPainted(painted, hidden, x, y, r = POINT_R) {
  const keyOf = (q) => (q.p.key !== undefined ? q.p.key : q.p.basin);
  const reach = (r + 0.4) ** 2;
  for (const q of painted) {
    if ((q.x - x) ** 2 + (q.y - y) ** 2 <= reach) return keyOf(q);
  }
  let best = 36;
  let key = null;
  for (const q of hidden) {
    const dd = (q.x - x) ** 2 + (q.y - y) ** 2;
    if (dd <= best) { best = dd; key = keyOf(q); }
  }
  return key;
}

/** Path data of a D1 marker: a triangle around (x, y), apex r above it. */
export function triangle(x, y, r) {
  return `M${x},${y - r}L${x + r * 0.95},${y + r * 0.7}L${x - r * 0.95},${y + r * 0.7}Z`;
}

/** Radius of a marker sized by the count of pairs it stands for (1: the base radius). */
export function countRadius(count, base = 3.5) {
  return base + 1.2 * Math.log2(count || 1);
}

/** The canvas of the painted layer (`items`: painted then hidden pairs in rank order, `m` of
 *  them), or null without a canvas (jsdom). */
function paintedLayer(detail, items, m, w, h, radius) {
  if (typeof document === "undefined" || !detail.owner || !detail.ranking) return null;
  const scale = paintScale();
  const nCircles = Math.max(0, detail.budget - detail.elements);
  const layer = rankedLayer(detail.owner, {
    ranking: detail.ranking, total: detail.ranking.length, key: `${w}|${h}|${scale}|${detail.key || ""}`,
    width: w + 2 * DOT_PAD, height: h + 2 * DOT_PAD, scale, pad: DOT_PAD, nCircles, radius, fill: DIAGRAM_POINT,
  });
  return layer.paint(items, m);
}

/**
 * Draw a persistence diagram on `plot`: the frame (diagonal, ∞ line), `under(plot)` (what a view
 * draws between the frame and the pairs: the hidden band, the essential strip), the pairs, then
 * the axes.
 *
 * pairs: [{birth, death, dim?, key, count?}] (death Infinity: on the ∞ line).
 * opts:
 *   sx, sy, w, h, top (the ∞ line's y), lo, hi (the diagonal's ends, in the scales' values),
 *   tf: a transform of values before the scales (optional),
 *   axes: {birth, death, format?}: names; with `format` the plain axis of lib/svg.js, else the
 *     loss axis (lossAxis) of a lossAxisScale,
 *   marker(q, parent): draws one element (default: a circle .lw-point, radius `radius`),
 *   radius(p): a pair's radius (default POINT_R; `sizeByCount` sizes by p.count),
 *   drawOrder(elements): the elements' drawing order (default: the pairs' order),
 *   parent: where the elements go (default: plot),
 *   placed: the pairs already placed ([{p, i, x, y}], i their index; `pairs` is then unused),
 *   detail: {order, budget, elements, owner, ranking, key}: the level of detail (absent: every
 *     pair an element). The pairs in `order` must be a prefix of `ranking` (an array fixed for
 *     the owner, compared by identity: the diagram's pairs by persistence), whose painted layer
 *     `owner` keeps checkpoints of under `key` (what else the positions depend on).
 * Returns {points, elements, painted, hidden, nodes (pair index -> node), image}.
 */
export function renderDiagram(plot, pairs, opts) {
  const { sx, sy, w, h, lo, hi, tf = null, axes, detail = null, under = null } = opts;
  const top = opts.top ?? INFINITY_Y;
  const f = tf || ((v) => v);
  const radius = opts.radius || (opts.sizeByCount ? (p) => countRadius(p.count) : () => POINT_R);
  diagramFrame(plot, sx, sy, [lo, hi], w, top);
  if (under) under(plot);
  const points = opts.placed || placePairs(pairs, sx, sy, top, tf);
  let { elements, painted, hidden } = detail ? splitDetail(points, detail.order, detail) : { elements: points, painted: [], hidden: [] };
  let image = null;
  if (hidden.length || painted.length) {
    // the painted layer: a prefix of the owner's ranking (lib/ranked_paint.js), continued
    // from the nearest checkpoint below it
    const canvas = paintedLayer(detail, painted.concat(hidden), painted.length + hidden.length, w, h, radius);
    if (canvas) {
      image = liveCanvas(plot, { class: "lw-point-aggregate", x: -DOT_PAD, y: -DOT_PAD, width: w + 2 * DOT_PAD,
        height: h + 2 * DOT_PAD }, canvas, { "data-aggregate": String(hidden.length), "data-painted": String(painted.length) });
    } else {
      // no bitmap: every pair under the budget is an element, the rest dots of one path
      if (painted.length) {
        const out = new Uint8Array(points.length);
        for (const q of hidden) out[q.i] = 1;
        elements = points.filter((q) => !out[q.i]);
        painted = [];
      }
      if (hidden.length) {
        let d = "";
        for (const q of hidden) d += `M${fixed1(q.x)},${fixed1(q.y)}h0`;
        image = svg("path", { d, class: "lw-point-aggregate", fill: "none", stroke: "currentColor", "stroke-opacity": 0.45,
          "stroke-width": 3, "stroke-linecap": "round", "data-aggregate": String(hidden.length) }, plot);
      }
    }
  }
  const parent = opts.parent ? opts.parent(plot) : plot;
  const marker = opts.marker || ((q, g) => svg("circle", { class: "lw-point lw-hit", cx: q.x, cy: q.y, r: radius(q.p) }, g));
  const nodes = new Map();
  for (const q of opts.drawOrder ? opts.drawOrder(elements) : elements) nodes.set(q.i, marker(q, parent, radius(q.p)));
  diagramAxes(plot, sx, sy, h, axes, f);
  return { points, elements, painted, hidden, nodes, image, radius };
}

/** The birth (bottom) and death (left) axes: lossAxis for lossAxisScales, else the plain axis
 *  with `format` for its tick labels. */
export function diagramAxes(plot, sx, sy, h, { birth, death, format = null }) {
  const bottom = svg("g", { transform: `translate(0,${h})` }, plot);
  if (format) {
    axis(bottom, sx, "bottom", { label: birth, format });
    axis(plot, sy, "left", { label: death, format });
  } else {
    lossAxis(bottom, sx, "bottom", { name: birth });
    lossAxis(plot, sy, "left", { name: death });
  }
}

/** A D1 marker (triangle) or D0 marker (circle) at a placed pair, radius r. */
export function dimMarker(q, parent, r, attrs) {
  return q.p.dim === 1
    ? svg("path", { ...attrs, d: triangle(q.x, q.y, r + 0.8) }, parent)
    : svg("circle", { ...attrs, cx: q.x, cy: q.y, r }, parent);
}
