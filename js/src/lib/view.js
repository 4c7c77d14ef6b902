// The frame every landscape view shares (mountView: selection bridge, topology, SVG, tooltip,
// brushing, redraws) and the marks they all draw and explain (model marker, legend, tooltip).
// The brush itself is in brush.js, the lighter frame of the self-drawing views in frame.js.
import { svg, svgFresh, html, bold, showTooltip, hideTooltip, beginReuse, endReuse } from "./dom.js";
import { injectStyle } from "./style.js";
import { Topology } from "./topology.js";
import { connectTopologyModel, followThreshold, topologyOf } from "./topology_model.js";
import { connectSelection, Highlighter, displayedSelection, nextSelection, writeSelection } from "./selection.js";
import { fmt } from "./scales.js";
import { lossScaleOf } from "./loss_scale.js";
import { exportButtons } from "./export.js";
import { attachBrush } from "./brush.js";
import { fitWidth } from "./frame.js";

// ids unique on a page that holds several bundles (each widget's module has its own counter)
const VIEW_PREFIX = Math.random().toString(36).slice(2, 8);
let viewCount = 0;

export const MARGIN = { left: 48, right: 12, top: 10, bottom: 34 };

/** Views whose drawing has the marks of `legendRow` (minimum, saddle, selected, trained
 *  model); alone they show that legend (`spec.legend` overrides). */
export const LEGEND_VIEWS = new Set(["profile", "contour", "tree", "curve"]);

/** Tooltip lines (see dom.js writeLines) of a picked basin or point, in words (no internal
 *  ids): the title in bold, loss, persistence, basin size as a share of the points, α. */
export function tooltipLines(info) {
  if (!info) return [];
  const rows = [];
  const isBasin = info.persistence != null;
  rows.push([bold(info.title || (isBasin ? "Basin" : "Point"))]);
  if (info.loss != null) rows.push(`${isBasin ? "minimum loss" : "loss"} ${fmt(info.loss)}`);
  if (info.field) rows.push(`${info.field[0]} ${fmt(info.field[1])}`); // [name, value]
  if (info.persistence != null) {
    rows.push(Number.isFinite(info.persistence) ? `persistence ${fmt(info.persistence)}` : "persistence ∞ (global minimum)");
  }
  if (info.size != null) {
    const share = info.total ? ` (${fmt((100 * info.size) / info.total)}% of points)` : "";
    rows.push(`basin size ${Math.round(info.size)} points${share}`);
  }
  if (info.coords) rows.push(`at α = (${info.coords.map(fmt).join(", ")})`);
  if (info.extra) for (const line of info.extra) rows.push(line);
  return rows;
}

/** The trained-model marker (a dark diamond, white rim) at (x, y), with its tooltip facts. */
export function modelMarker(parent, x, y, model, topo) {
  // fresh on every drawing: callers change it after (ContourView marks a projected one)
  const g = svgFresh("path", {
    class: "lw-model", d: `M${x},${y - 6}L${x + 6},${y}L${x},${y + 6}L${x - 6},${y}Z`,
    "aria-label": "trained model (grid centre)", "data-model": "true",
  }, parent);
  g.lwInfo = { title: "Trained model (grid centre)", loss: model.value, coords: topo ? topo.coords(model.vertex) : null };
  return g;
}

/** Legend of the marks every view shares: minimum, saddle, selected, trained model (`marks`:
 *  those a view draws). The marks have their own classes (lw-key-*), so that counting a
 *  drawing's marks never counts the legend. */
export function legendRow(parent, marks = ["minimum", "saddle", "selected", "model"]) {
  const row = html("div", { class: "lw-legend-row", role: "list", "aria-label": "legend" }, parent);
  const want = new Set(marks);
  const item = (key, label, drawMark) => {
    if (!want.has(key)) return;
    const span = html("span", { role: "listitem" }, row);
    drawMark(svg("svg", { width: 14, height: 14, "aria-hidden": "true" }, span));
    span.appendChild(document.createTextNode(label));
  };
  item("minimum", "minimum", (s) => svg("circle", { class: "lw-key-min", cx: 7, cy: 7, r: 4.5 }, s));
  item("saddle", "saddle", (s) => svg("circle", { class: "lw-key-saddle", cx: 7, cy: 7, r: 3.5 }, s));
  item("selected", "selected", (s) => svg("rect", { class: "lw-key-outline", x: 2, y: 2, width: 10, height: 10 }, s));
  item("model", "trained model (grid centre)", (s) => svg("path", { class: "lw-key-model", d: "M7,1L13,7L7,13L1,7Z" }, s));
  return row;
}

/**
 * Mount a view. `spec.draw(ctx)` draws into ctx.plot (an SVG group, origin at the plot's top
 * left, size ctx.w x ctx.h) and registers basin elements with ctx.hl.add(node, basin); it may
 * return { box(x0, y0, x1, y1) -> basin ids, pick(event, x, y) -> {basin, point, info} }.
 */
export async function mountView({ model, el, host }, spec) {
  const t0 = performance.now();
  injectStyle(el);
  const sel = await connectSelection(model, host);
  // the landscape's shared TopologyModel (decoded once for every view of it), if referenced
  const shared = await connectTopologyModel(model, host);
  if (shared) followThreshold(sel, shared);
  const root = html("div", { class: `lw-view lw-${spec.name}`, "data-view": spec.view || spec.name, tabindex: 0 }, el);
  const head = html("div", { class: "lw-head" }, root);
  html("div", { class: "lw-title", text: spec.title || "" }, head);
  const controls = spec.controls ? html("div", { class: "lw-controls" }, root) : null;
  const svgEl = svg("svg", { role: "img", "aria-label": spec.title || spec.name }, root);
  exportButtons(head, () => svgEl, spec.view || spec.name);
  const tip = html("div", { class: "lw-tooltip" }, root);
  const hl = new Highlighter();
  // uid: ids of this view's defs (clip paths, gradients) stay the same from one drawing to the
  // next, so that the elements that use them are kept
  const ctx = { model, sel, hl, root, head, svg: svgEl, controls, topo: null, t: 0, api: {}, uid: `${VIEW_PREFIX}-${++viewCount}` };
  // inside an Explorer cell a view fills the cell; alone it shrinks to its container
  const fill = Boolean(el.closest && el.closest(".lw-cell"));
  // the container's width, read once and then kept from the ResizeObserver: reading clientWidth
  // in every redraw forces a layout of everything the views before it just drew
  const measure = () => el.clientWidth || (el.parentElement && el.parentElement.clientWidth) || 0;
  let knownWidth = null;
  const available = () => (knownWidth == null ? (knownWidth = measure()) : knownWidth);

  const refreshSelection = () => {
    // a threshold move relabels the selection (followThreshold) before this view redraws at the
    // new threshold: the drawing of the old one would light (and the map outline) basins that
    // the redraw, which comes next and refreshes the selection itself, replaces anyway
    if ((sel.get("min_persistence") || 0) !== ctx.t) return;
    const selected = displayedSelection(sel, ctx.topo);
    hl.apply(selected);
    if (ctx.api.onSelection) ctx.api.onSelection(selected);
  };
  let lastKey = null;
  const redraw = () => {
    const start = performance.now();
    // keep the keyboard focus in the view when the element that held it is redrawn
    const active = root.getRootNode && root.getRootNode().activeElement;
    const hadFocus = Boolean(active && root.contains(active));
    const data = model.get("_data") || {};
    ctx.topo = shared ? topologyOf(shared) : data.topology ? ctx.topo && ctx.topo.raw === data.topology ? ctx.topo : Object.assign(new Topology(data.topology), { raw: data.topology }) : null;
    ctx.data = data;
    ctx.t = sel.get("min_persistence") || 0;
    // the loss-axis transform, resolved on the whole landscape so that every view agrees
    ctx.loss = ctx.topo ? lossScaleOf(model.get("scale") || "linear", ctx.topo.valueMin, ctx.topo.valueMax) : null;
    const width = fitWidth(model.get("width"), available(), fill);
    ctx.fullWidth = width;
    const height = model.get("height");
    // a margin may depend on what is drawn (room above the plot for an aggregate's label)
    const m = (typeof spec.margin === "function" ? spec.margin(ctx) : spec.margin) || MARGIN;
    if (svgEl.__lwWidth !== width || svgEl.__lwHeight !== height) {
      svgEl.setAttribute("width", width);
      svgEl.setAttribute("height", height);
      svgEl.__lwWidth = width;
      svgEl.__lwHeight = height;
    }
    ctx.w = width - m.left - m.right;
    ctx.h = height - m.top - m.bottom;
    ctx.margin = m;
    // a view whose drawing is the same as the last one (spec.drawKey: what its drawing depends
    // on besides the frame's size, axis and data) is not drawn again: a slider move inside its
    // level of detail changes only labels and counts; spec.refresh updates what depends on the
    // threshold itself (the diagram's hidden band), refreshSelection relabels the selection
    const key = spec.drawKey ? [ctx.topo, data, width, height, m.left, m.top, m.right, m.bottom, ctx.loss && ctx.loss.kind, ...spec.drawKey(ctx)] : null;
    if (key && lastKey && sameKey(key, lastKey)) {
      if (spec.refresh) spec.refresh(ctx);
      refreshSelection();
      root.setAttribute("data-render-ms", (performance.now() - start).toFixed(1));
      root.setAttribute("data-render-made", "0");
      root.setAttribute("data-render-skipped", "true");
      return;
    }
    lastKey = null;
    root.removeAttribute("data-render-skipped");
    hl.clear();
    // an update, not a rebuild: the drawing code runs again and every element it makes as it
    // was before is kept (lib/dom.js beginReuse); only new ones are made, stale ones removed
    beginReuse(svgEl);
    let reused;
    try {
      ctx.plot = svg("g", { transform: `translate(${m.left},${m.top})` }, svgEl);
      ctx.api = spec.draw(ctx) || {};
      lastKey = key;
    } finally {
      reused = endReuse();
    }
    hl.release(reused.kept);
    // keyboard: every clickable basin element is focusable; Enter selects it (shift adds)
    for (const list of hl.byBasin.values()) {
      for (const node of list) {
        if (node.__lwFocusable || !node.classList.contains("lw-hit")) continue;
        node.setAttribute("tabindex", "0");
        node.setAttribute("role", "button");
        node.__lwFocusable = true;
      }
    }
    refreshSelection();
    if (hadFocus && !root.contains(root.getRootNode().activeElement)) root.focus({ preventScroll: true });
    root.setAttribute("data-render-ms", (performance.now() - start).toFixed(1));
    root.setAttribute("data-render-made", String(reused.made));
    root.setAttribute("data-render-kept", String(reused.kept.length));
  };
  ctx.redraw = redraw;

  const select = (ids, event, point) => {
    const current = [...displayedSelection(sel, ctx.topo)];
    writeSelection(sel, nextSelection(current, ids, event && event.shiftKey), point);
  };
  ctx.select = select;

  // brushing: click (data-basin target or pick) or box drag (the frame's one brush)
  const unbrush = attachBrush(svgEl, () => ctx.margin, {
    layer: () => ctx.plot,
    canBox: () => Boolean(ctx.api.box),
    onBox: (x0, y0, x1, y1, ev) => { if (ctx.api.box) select(ctx.api.box(x0, y0, x1, y1), ev); },
    onClick: (ev, x, y) => {
      const picked = pick(ev, x, y);
      if (picked) select([picked.basin], ev, picked.point);
      else if (!ev.shiftKey) select([], ev, null);
    },
    onMove: (ev, x, y) => hover(ev, x, y),
    onLeave: () => {
      hideTooltip(tip);
      if (sel.get("hover") != null) {
        sel.set("hover", null);
        sel.save_changes();
      }
    },
  });

  function pick(ev, x, y) {
    const marker = ev.target.closest ? ev.target.closest("[data-model]") : null;
    if (marker && marker.lwInfo && ctx.topo && ctx.topo.centre) {
      return { basin: ctx.topo.trainedModel(ctx.t).basin, point: ctx.topo.centre.vertex, info: marker.lwInfo };
    }
    if (ctx.api.pick) return ctx.api.pick(ev, x, y);
    const node = ev.target.closest ? ev.target.closest("[data-basin]") : null;
    if (!node) return null;
    const basin = Number(node.getAttribute("data-basin"));
    return { basin, info: ctx.topo ? ctx.topo.basinInfo(basin, ctx.t) : { basin } };
  }

  function hover(ev, x, y) {
    const picked = pick(ev, x, y);
    if (!picked) {
      hideTooltip(tip);
      return;
    }
    showTooltip(tip, root, ev, tooltipLines(picked.info || { basin: picked.basin }));
    if (sel.get("hover") !== picked.basin) {
      sel.set("hover", picked.basin);
      sel.save_changes();
    }
  }

  // Escape clears the selection (the view's root is focusable)
  root.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") select([], null, null);
    else if (ev.key === "Enter" && ev.target.getAttribute && ev.target.getAttribute("data-basin") != null) {
      ev.preventDefault();
      select([Number(ev.target.getAttribute("data-basin"))], ev);
    }
    else if (ctx.api.onKey) ctx.api.onKey(ev);
  });

  // alone (not in an Explorer, whose own legend row explains the marks), a view that draws
  // minima, saddles or the trained model says what they are under its drawing
  if (!fill && (spec.legend ?? LEGEND_VIEWS.has(spec.name))) legendRow(root);
  if (spec.setup) spec.setup(ctx);
  redraw();
  // follow the container's width (JupyterLab panels, window resizes, the Explorer's grid)
  let lastWidth = available();
  const resize = typeof ResizeObserver === "function" ? new ResizeObserver(() => {
    const now = measure();
    knownWidth = now;
    if (Math.abs(now - lastWidth) >= 1) {
      lastWidth = now;
      redraw();
    }
  }) : null;
  if (resize) resize.observe(el);
  const onData = () => redraw();
  model.on("change:_data", onData);
  model.on("change:width", onData);
  model.on("change:height", onData);
  model.on("change:scale", onData);
  sel.on("change:basins", refreshSelection);
  sel.on("change:min_persistence", onData);
  if (shared) shared.on("change:data", onData);
  root.setAttribute("data-ready", "true");
  root.setAttribute("data-mount-ms", (performance.now() - t0).toFixed(1));
  return () => {
    model.off("change:_data", onData);
    model.off("change:width", onData);
    model.off("change:height", onData);
    model.off("change:scale", onData);
    sel.off("change:basins", refreshSelection);
    sel.off("change:min_persistence", onData);
    if (shared) shared.off("change:data", onData);
    if (resize) resize.disconnect();
    unbrush();
    root.remove();
  };
}

/** Are two draw keys equal: element by element, typed arrays by content? */
export function sameKey(a, b) {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (!ArrayBuffer.isView(x) || !ArrayBuffer.isView(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}
