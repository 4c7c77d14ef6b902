// TrajectoryView's diagram panel: the D0/D1 pairs of the loss on the trajectories' kNN graph,
// grouped (pairs sharing birth and death samples share a point, sized by their count), drawn by
// the shared renderer (lib/diagram_points.js) on linear or log10 axes, with the essential
// classes beyond ESSENTIAL_MARKERS summarised as a strip over the ∞ line; its key (the legend
// of D0/D1 in the controls line) and the tooltips of its groups.
import { svg, html, text, bold } from "./dom.js";
import { linear, extent, fmt } from "./scales.js";
import { essentialBins, essentialStrip, ESSENTIAL_MARKERS, INFINITY_Y } from "./diagram.js";
import { renderDiagram, dimMarker, triangle } from "./diagram_points.js";
import { tickLabel } from "./loss_scale.js";

/** The diagram's margins in its panel (as the embedding's). */
export const DIAGRAM_MARGIN = { left: 44, right: 10, top: 10, bottom: 34 };

/** Indices of the drawn diagram groups born or dying at sample v. */
export function groupsAtSample(d, v) {
  const out = [];
  if (!d || v == null) return out;
  for (let g = 0; g < d.dim.length; g++) if (d.birth_vertex[g] === v || d.death_vertex[g] === v) out.push(g);
  return out;
}

/** Group drawn for pair [dim, index] (pairs sharing birth and death samples share a point). */
export function groupOfPair(d, pair) {
  if (!d || !pair || pair.length !== 2) return -1;
  const [dim, index] = pair;
  const table = dim === 0 ? d.group_of0 : d.group_of1;
  if (table && index >= 0 && index < table.length) return table[index];
  for (let g = 0; g < d.dim.length; g++) if (d.dim[g] === dim && d.index[g] === index) return g;
  return -1;
}

/** The diagram groups drawn as markers, and the essential ones summarised as a strip: with
 *  more than ESSENTIAL_MARKERS essential classes of one degree, those are counted, not drawn. */
export function splitEssential(d) {
  const markers = [];
  const essential = { 0: [], 1: [] };
  for (let g = 0; g < d.dim.length; g++) if (!Number.isFinite(d.death[g])) essential[d.dim[g]].push(g);
  const strip = { 0: [], 1: [] };
  for (const dim of [0, 1]) {
    const n = essential[dim].reduce((acc, g) => acc + d.count[g], 0);
    if (n > ESSENTIAL_MARKERS) strip[dim] = essential[dim];
  }
  const inStrip = new Set([...strip[0], ...strip[1]]);
  for (let g = 0; g < d.dim.length; g++) if (!inStrip.has(g)) markers.push(g);
  return { markers, strip };
}

/** The strips of essential classes (one per degree with more than ESSENTIAL_MARKERS), each bin
 *  clickable (its groups, lowest birth first: a click picks the first). */
function drawStrips(ctx, plot, strip, { sx, pw, top, tf, logAxes }) {
  const d = ctx.d;
  for (const dim of [1, 0]) {
    if (!strip[dim].length) continue;
    const births = strip[dim].map((g) => tf(d.birth[g]));
    const counts = strip[dim].map((g) => d.count[g]);
    const label = `essential D${dim === 0 ? "₀" : "₁"}`;
    for (const { node, bin } of essentialStrip(plot, essentialBins(births, counts, sx, pw), { top, label, w: pw, cls: `lw-d${dim}` })) {
      node.setAttribute("data-dim", dim);
      node.classList.add("lw-hit");
      const groups = bin.members.map((k) => strip[dim][k]).sort((a, b) => d.birth[a] - d.birth[b] || a - b);
      for (const g of groups) ctx.groupBin.set(g, node);
      ctx.stripBins.push({ node, groups, bin: { ...bin, lo: logAxes ? 10 ** bin.lo : bin.lo, hi: logAxes ? 10 ** bin.hi : bin.hi }, dim });
    }
  }
}

export function drawDiagram(ctx) {
  const { d, dsvg, dw, h } = ctx;
  dsvg.replaceChildren();
  ctx.stripBins = [];
  ctx.groupBin = new Map(); // diagram group -> its strip bin (summarised essential classes)
  if (!d) return;
  dsvg.setAttribute("width", dw);
  dsvg.setAttribute("height", h);
  const m = DIAGRAM_MARGIN;
  const pw = dw - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const plot = svg("g", { transform: `translate(${m.left},${m.top})` }, dsvg);
  const logAxes = !!ctx.model.get("log_diagram") && d.value_min > 0;
  const tf = logAxes ? Math.log10 : (v) => v;
  const [lo, hi] = extent([tf(d.value_min), tf(d.value_max)], 0.05);
  // log axes: labels only at whole decades (0.01, 0.1, 1), never 0.03162; under two decades
  // of range, two significant digits
  const decades = Math.floor(hi) - Math.ceil(lo) >= 1;
  const tick = !logAxes ? fmt : decades
    ? (v) => (Math.abs(v - Math.round(v)) < 1e-9 ? tickLabel(10 ** Math.round(v)) : "")
    : (v) => String(Number((10 ** v).toPrecision(2)));
  const sx = linear([lo, hi], [0, pw]);
  const { markers, strip } = splitEssential(d);
  // room above the ∞ line for the strip of essential classes and its count, when there is one
  const top = INFINITY_Y + (strip[0].length || strip[1].length ? 22 : 2);
  const sy = linear([lo, hi], [ph, top + 12]);
  // the shared renderer (lib/diagram_points.js): frame, the essential strip under the
  // markers, the groups sized by count (D1 drawn first so that D0 stays clickable where they
  // overlap), the axes
  const pairs = markers.map((g) => ({ key: g, birth: d.birth[g], death: d.death[g], dim: d.dim[g], count: d.count[g] }));
  const nodes = [];
  const drawn = renderDiagram(plot, pairs, {
    sx, sy, w: pw, h: ph, lo, hi, top, tf, sizeByCount: true,
    axes: { birth: `birth (${ctx.valueLabel}${logAxes ? ", log" : ""})`, death: "death", format: tick },
    under: (g) => drawStrips(ctx, g, strip, { sx, pw, top, tf, logAxes }),
    parent: (g) => svg("g", { class: "lw-pairs" }, g),
    drawOrder: (list) => [...list].sort((a, b) => b.p.dim - a.p.dim),
    marker: (q, parent, r) => {
      const g = q.p.key;
      return dimMarker(q, parent, r, {
        class: `lw-pair lw-d${q.p.dim}`, "data-group": g, "data-dim": q.p.dim, "data-index": d.index[g],
        "data-birth": d.birth_vertex[g], "data-death": d.death_vertex[g],
      });
    },
  });
  for (const [i, node] of drawn.nodes) nodes[pairs[i].key] = node;
  // the key sits outside the diagram (it covered points), in the controls line
  if (ctx.keyEl) {
    const key = ctx.keyEl;
    key.replaceChildren();
    const mark = (draw, label) => {
      const item = html("span", { class: "lw-key-item" }, key);
      draw(svg("svg", { width: 12, height: 12, "aria-hidden": "true" }, item));
      text(item, label);
    };
    mark((k) => svg("circle", { cx: 6, cy: 6, r: 3.5, class: "lw-d0" }, k), `D₀ (${d.n_pairs[0]})`);
    mark((k) => svg("path", { d: triangle(6, 7, 4.2), class: "lw-d1" }, k), `D₁ (${d.n_pairs[1]})`);
    if (d.total_persistence) {
      html("span", { class: "lw-total", text: `Σ(d−b)²: ${fmt(d.total_persistence[0])} / ${fmt(d.total_persistence[1])}` }, key);
    }
  }
  ctx.pairNodes = nodes;
}

/** Tooltip lines of diagram group g. */
export function pairTip(ctx, g) {
  const d = ctx.d;
  const death = Number.isFinite(d.death[g]) ? fmt(d.death[g]) : "∞";
  return [
    [bold(`D${d.dim[g] === 0 ? "₀" : "₁"} (${fmt(d.birth[g])}, ${death})`), d.count[g] > 1 ? ` × ${d.count[g]}` : ""],
    `born at sample ${d.birth_vertex[g]}`,
    d.death_vertex[g] >= 0 ? `dies at sample ${d.death_vertex[g]}` : "never dies (essential)",
  ];
}
