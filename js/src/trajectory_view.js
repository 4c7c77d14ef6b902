// TrajectoryView: jump-and-retrain trajectories in a 2-D embedding (paths, jump points as
// diamonds, colour by loss / seed / step / epoch) linked to the D0/D1 persistence diagrams of the
// loss on their kNN graph. Clicking a diagram point rings its birth and death samples; clicking a
// sample lights up the pairs born or dying there. selection.point is a sample index here.
import { svg, html, text, bold, showTooltip, hideTooltip, setOptions, swatch } from "./lib/dom.js";
import { axis } from "./lib/svg.js";
import { linear, extent, fmt } from "./lib/scales.js";
import { viridis, categoryColors, CATEGORICAL } from "./lib/colors.js";
import { mountFrame, sideBySide } from "./lib/frame.js";
import { attachBrush } from "./lib/brush.js";
import { essentialTip } from "./lib/diagram.js";
import { drawDiagram, groupOfPair, groupsAtSample, pairTip, splitEssential, DIAGRAM_MARGIN } from "./lib/trajectory_diagram.js";
import { decodeAll } from "./lib/wire.js";

export { CATEGORICAL, groupOfPair, groupsAtSample, splitEssential };
export const MODES = {
  loss: "train loss (log₁₀)",
  eval_loss: "eval loss (log₁₀)",
  seed: "seed",
  step: "step size",
  epoch: "epoch",
};
const MARGIN = DIAGRAM_MARGIN; // the embedding's margins, as the diagram's


/** Sample indices of each trajectory, in epoch order: Map(trajectory id -> [i...]). */
export function trajectoryPaths(s) {
  const out = new Map();
  for (let i = 0; i < s.trajectory.length; i++) {
    const t = s.trajectory[i];
    if (!out.has(t)) out.set(t, []);
    out.get(t).push(i);
  }
  for (const list of out.values()) list.sort((a, b) => s.epoch[a] - s.epoch[b] || a - b);
  return out;
}

/** First sample of each trajectory (the jump point): a boolean per sample. */
export function jumpStarts(s) {
  const first = new Uint8Array(s.trajectory.length);
  for (const list of trajectoryPaths(s).values()) first[list[0]] = 1;
  return first;
}

const log10 = (v) => (v > 0 ? Math.log10(v) : NaN);

/**
 * Colours for a mode: { color(i), kind: "ramp" | "categories", lo, hi, categories: [[label, colour]] }.
 * Losses are coloured on log10; NaN/non-positive losses come out grey.
 */
export function colorScheme(mode, s, seeds, steps) {
  if (mode === "seed" || mode === "step") {
    const keys = mode === "seed" ? seeds : steps;
    const col = mode === "seed" ? s.seed : s.step;
    // the palette every view shares: a seed has the same colour here as in the Gallery
    const byKey = categoryColors(keys, (a, b) => a - b);
    // the samples' columns are float32: match them to the keys through Math.fround
    const colorOf = new Map(keys.map((k) => [Number(Math.fround(k)), byKey.get(k)]));
    return {
      kind: "categories",
      color: (i) => colorOf.get(Number(col[i])) || "#999",
      categories: [...byKey].map(([k, c]) => [mode === "seed" ? `seed ${k}` : `c = ${fmt(k)}`, c]),
    };
  }
  const raw = mode === "epoch" ? s.epoch : mode === "eval_loss" ? s.eval_loss : s.loss;
  const vals = Array.from(raw, mode === "epoch" ? Number : log10);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vals) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo === Infinity) { lo = 0; hi = 1; }
  const span = hi - lo || 1;
  return {
    kind: "ramp", lo, hi,
    color: (i) => (Number.isFinite(vals[i]) ? viridis((vals[i] - lo) / span) : "#bbb"),
  };
}

function diamond(x, y, r) {
  return `M${x},${y - r}L${x + r},${y}L${x},${y + r}L${x - r},${y}Z`;
}

function legend(node, scheme, mode) {
  node.replaceChildren();
  if (scheme.kind === "categories") {
    for (const [label, colour] of scheme.categories) swatch(node, colour, label);
    return;
  }
  const stops = Array.from({ length: 9 }, (_, k) => viridis(k / 8)).join(",");
  const item = html("span", {}, node);
  const unlog = (v) => (mode === "epoch" ? fmt(v) : fmt(10 ** v));
  text(item, unlog(scheme.lo) + " ");
  html("span", { class: "lw-ramp", style: { background: `linear-gradient(90deg,${stops})` } }, item);
  text(item, " " + unlog(scheme.hi));
}

function drawEmbedding(ctx) {
  const { s, svgEl, w, h, model } = ctx;
  svgEl.replaceChildren();
  svgEl.setAttribute("width", w);
  svgEl.setAttribute("height", h);
  const m = MARGIN;
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const plot = svg("g", { transform: `translate(${m.left},${m.top})` }, svgEl);
  const sx = linear(extent(s.x, 0.06), [0, pw]);
  const sy = linear(extent(s.y, 0.06), [ph, 0]);
  const mode = model.get("color_by");
  const scheme = colorScheme(mode, s, ctx.seeds, ctx.steps);
  legend(ctx.legendEl, scheme, mode);
  const pathColour = (list) => (scheme.kind === "categories" ? scheme.color(list[0]) : "#9aa");
  const paths = svg("g", { class: "lw-paths" }, plot);
  for (const [t, list] of trajectoryPaths(s)) {
    const d = list.map((i, k) => `${k ? "L" : "M"}${sx(s.x[i]).toFixed(1)},${sy(s.y[i]).toFixed(1)}`).join("");
    svg("path", { d, class: "lw-traj", stroke: pathColour(list), "data-trajectory": t }, paths);
  }
  const jump = jumpStarts(s);
  const dots = svg("g", { class: "lw-samples" }, plot);
  const nodes = new Array(s.x.length);
  const order = [...s.x.keys()].sort((a, b) => jump[a] - jump[b]); // diamonds on top
  for (const i of order) {
    const x = sx(s.x[i]);
    const y = sy(s.y[i]);
    const attrs = { fill: scheme.color(i), "data-sample": i };
    nodes[i] = jump[i]
      ? svg("path", { ...attrs, d: diamond(x, y, 5.5), class: "lw-sample lw-jump" }, dots)
      : svg("circle", { ...attrs, cx: x, cy: y, r: 3, class: "lw-sample" }, dots);
  }
  const label = ctx.method === "phate" ? "PHATE" : ctx.method === "pca" ? "PC" : "dim";
  axis(svg("g", { transform: `translate(0,${ph})` }, plot), sx, "bottom", { label: `${label} 1`, format: fmt });
  axis(plot, sy, "left", { label: `${label} 2`, format: fmt });
  ctx.marks = svg("g", { class: "lw-marks" }, plot);
  ctx.sampleNodes = nodes;
  ctx.pos = (i) => [sx(s.x[i]), sy(s.y[i])];
  ctx.embeddingOrigin = m;
}

/** Tooltip lines of sample i. */
export function sampleTip(ctx, i) {
  const s = ctx.s;
  return [[bold(`sample ${i}`)], `seed ${s.seed[i]} · step ${fmt(s.step[i])} · epoch ${s.epoch[i]}`,
    `train loss ${fmt(s.loss[i])}`, ctx.hasEval ? `eval loss ${fmt(s.eval_loss[i])}` : null];
}

function render({ model, el, host }) {
  return mount({ model, el, host });
}

async function mount({ model, el, host }) {
  let svgEl = null;
  let dsvg = null;
  const frame = await mountFrame({ model, el, host }, {
    name: "trajectory", title: "Jump & retrain trajectories",
    // the figure: the embedding and the diagram side by side, as shown
    exportSvg: () => (ctx.d ? sideBySide([svgEl, dsvg], 6) : svgEl),
  });
  const { sel, root, tip, bag } = frame;
  const controls = html("div", { class: "lw-controls" }, root);
  const pick = html("label", { text: "colour" }, controls);
  const select = html("select", { class: "lw-color-by" }, pick);
  const logLabel = html("label", {}, controls);
  const logBox = html("input", { type: "checkbox", class: "lw-log-diagram" }, logLabel);
  text(logLabel, "log diagram");
  const legendEl = html("span", { class: "lw-legend" }, controls);
  const keyEl = html("span", { class: "lw-diagram-key", "aria-label": "diagram key" }, controls);
  const status = html("span", { class: "lw-status" }, controls);
  const panels = html("div", { class: "lw-panels" }, root);
  svgEl = svg("svg", { class: "lw-embedding", role: "img", "aria-label": "trajectories in the embedding" }, panels);
  dsvg = svg("svg", { class: "lw-diagram-panel", role: "img", "aria-label": "persistence diagram" }, panels);
  const ctx = { model, sel, svgEl, dsvg, legendEl, keyEl, stripBins: [], groupBin: new Map() };

  const highlight = () => {
    for (const n of root.querySelectorAll('[aria-selected="true"]')) n.removeAttribute("aria-selected");
    if (!ctx.marks) return;
    ctx.marks.replaceChildren();
    const ring = (i, cls) => {
      if (i == null || i < 0 || i >= ctx.s.x.length) return null;
      const [x, y] = ctx.pos(i);
      if (ctx.sampleNodes[i]) ctx.sampleNodes[i].setAttribute("aria-selected", "true");
      return svg("circle", { cx: x, cy: y, r: 8, class: `lw-ring ${cls}`, "data-sample": i }, ctx.marks);
    };
    const g = groupOfPair(ctx.d, model.get("pair"));
    if (g >= 0) {
      const b = ctx.d.birth_vertex[g];
      const dv = ctx.d.death_vertex[g];
      const mark = ctx.pairNodes[g] || ctx.groupBin.get(g);
      if (mark) mark.setAttribute("aria-selected", "true");
      if (dv >= 0) {
        const [x1, y1] = ctx.pos(b);
        const [x2, y2] = ctx.pos(dv);
        svg("line", { x1, y1, x2, y2, class: "lw-link" }, ctx.marks);
        ring(dv, "lw-death");
      }
      ring(b, "lw-birth");
      status.textContent = `D${ctx.d.dim[g]}: born at sample ${b}` + (dv >= 0 ? `, dies at sample ${dv}` : " (essential)");
      return;
    }
    const p = sel.get("point");
    if (p != null && p < ctx.s.x.length) {
      ring(p, "lw-picked");
      const hits = groupsAtSample(ctx.d, p);
      for (const h of hits) {
        const mark = ctx.pairNodes[h] || ctx.groupBin.get(h);
        if (mark) mark.setAttribute("aria-selected", "true");
      }
      status.textContent = `sample ${p}: ${hits.length} diagram point${hits.length === 1 ? "" : "s"}`;
    } else {
      status.textContent = "";
    }
  };

  const redraw = frame.timed(() => {
    const data = model.get("_data") || {};
    ctx.s = decodeAll(data.samples);
    ctx.d = data.diagram ? decodeAll(data.diagram) : null;
    ctx.seeds = data.seeds || [];
    ctx.steps = data.steps || [];
    ctx.hasEval = !!data.has_eval;
    ctx.method = data.method;
    ctx.valueLabel = data.value_label || "loss";
    const width = frame.fitWidth(model.get("width")); // fits the container from 700 px up
    root.style.maxWidth = `${width}px`; // the title line (export buttons) ends where the panels do
    ctx.h = model.get("height");
    ctx.w = ctx.d ? Math.round(width * 0.56) : width;
    ctx.dw = width - ctx.w - 6;
    setOptions(select, Object.entries(MODES).filter(([key]) => key !== "eval_loss" || ctx.hasEval), model.get("color_by"));
    logBox.checked = !!model.get("log_diagram");
    logLabel.style.display = ctx.d ? "" : "none";
    drawEmbedding(ctx);
    drawDiagram(ctx);
    highlight();
  });

  const save = (m) => { if (m.save_changes) m.save_changes(); };
  const choosePair = (g) => {
    model.set("pair", [ctx.d.dim[g], ctx.d.index[g]]);
    save(model);
    sel.set("point", ctx.d.birth_vertex[g]);
    save(sel);
  };
  const chooseSample = (i) => {
    model.set("pair", []);
    save(model);
    sel.set("point", i);
    save(sel);
  };
  const clear = () => {
    model.set("pair", []);
    save(model);
    sel.set("point", null);
    save(sel);
  };

  bag.on(select, "change", () => { model.set("color_by", select.value); save(model); });
  bag.on(logBox, "change", () => { model.set("log_diagram", logBox.checked); save(model); });
  const targetOf = (ev) => (ev.target.closest ? ev.target.closest("[data-group],[data-sample],[data-essential-count]") : null);
  const stripTip = (node) => {
    const hit = ctx.stripBins.find((b) => b.node === node);
    return hit ? essentialTip(hit.bin, `essential D${hit.dim === 0 ? "₀" : "₁"} classes`) : [];
  };
  // the frame's brush (clicks only: a diagram or embedding point, or empty space to clear)
  for (const panel of [svgEl, dsvg]) {
    bag.add(attachBrush(panel, () => MARGIN, {
      onClick: (ev) => {
        const node = targetOf(ev);
        const bin = node && node.hasAttribute("data-essential-count") ? ctx.stripBins.find((b) => b.node === node) : null;
        if (bin) choosePair(bin.groups[0]);
        else if (node && node.hasAttribute("data-group")) choosePair(Number(node.getAttribute("data-group")));
        else if (node && node.hasAttribute("data-sample")) chooseSample(Number(node.getAttribute("data-sample")));
        else clear();
      },
      onMove: (ev) => {
        const node = targetOf(ev);
        if (!node) { hideTooltip(tip); return; }
        showTooltip(tip, root, ev, node.hasAttribute("data-group")
          ? pairTip(ctx, Number(node.getAttribute("data-group")))
          : node.hasAttribute("data-sample") ? sampleTip(ctx, Number(node.getAttribute("data-sample"))) : stripTip(node));
      },
      onLeave: () => hideTooltip(tip),
    }));
  }
  const onPoint = () => {
    // a point chosen elsewhere that is not the selected pair's birth sample ends the pair
    const g = groupOfPair(ctx.d, model.get("pair"));
    if (g >= 0 && sel.get("point") !== ctx.d.birth_vertex[g]) {
      model.set("pair", []);
      save(model);
    }
    highlight();
  };
  redraw();
  for (const e of ["change:_data", "change:width", "change:height", "change:color_by", "change:log_diagram"]) bag.on(model, e, redraw);
  bag.on(model, "change:pair", highlight);
  frame.onResize(redraw);
  bag.on(sel, "change:point", onPoint);
  return frame.ready();
}

export default { render };
