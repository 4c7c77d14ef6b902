// ProfileView: the topological landscape profile. One polygon per basin (nested at saddles),
// coloured by depth (each height band by its loss: lower = darker) or by the basin's mean loss,
// with a colour bar; minima red, saddles orange. Double-click a basin (or click a saddle) to
// focus the profile on that subtree; a breadcrumb leads back.
import { mountView, modelMarker } from "./lib/view.js";
import { svg, html } from "./lib/dom.js";
import { fmt } from "./lib/scales.js";
import { lossAxis } from "./lib/loss_scale.js";
import { flushCanvas, liveCanvas } from "./lib/bitmap.js";
import { IdleQueue } from "./lib/idle.js";
import { BITMAP_SHAPES, depthColor, drawProfileShapes, insideFlat, pickShape, profileBitmap, profileGeometry, profileIndex } from "./lib/profile_shapes.js";

// the shapes' helpers live in lib/profile_shapes.js; re-exported for the tests and callers
export { MIN_BASIN_PX, basinPolygons, inside, pickShape, widenWarp, subtree, focusWindow, placeMarkers, profileGeometry, profileBitmap, BITMAP_SHAPES, depthColor } from "./lib/profile_shapes.js";
import { AGGREGATE_LABEL_Y, AGGREGATE_ROOM, aggregateLabel, itemBudget, ladderRungs, ladderThreshold, selectionOverlay, shownCount } from "./lib/lod.js";
import { PER_BASIN, coarseRung, drawnThreshold, geometryAt, profileKind, rungToDraw } from "./lib/profile_rungs.js";

export { COARSE_BASINS } from "./lib/profile_rungs.js";


/** Stepped gradient stops [[offset, colour], ...] (offset 0 = bottom = lo) of the bands. */
export function bandStops(T, levels, lo, hi) {
  const t0 = T.fwd(lo);
  const span = T.fwd(hi) - t0 || 1;
  // the profile's own bands; where a zoomed window holds fewer than 8 of them, 32 even steps
  const own = levels ? [...levels].filter((v) => v > lo && v < hi) : [];
  const inner = own.length >= 8 ? own : Array.from({ length: 31 }, (_, k) => T.inv(t0 + ((k + 1) / 32) * span));
  const edges = [lo, ...inner, hi];
  const stops = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const c = depthColor(T, lo, hi, (edges[k] + edges[k + 1]) / 2);
    stops.push([(T.fwd(edges[k]) - t0) / span, c], [(T.fwd(edges[k + 1]) - t0) / span, c]);
  }
  return stops;
}

function gradient(defs, id, stops, y0, y1) {
  const g = svg("linearGradient", { id, gradientUnits: "userSpaceOnUse", x1: 0, x2: 0, y1: y0, y2: y1 }, defs);
  for (const [o, c] of stops) svg("stop", { offset: Math.min(1, Math.max(0, o)).toFixed(5), "stop-color": c }, g);
  return `url(#${id})`;
}

/** What the profile's drawing depends on at the threshold (see mountView's spec.drawKey): the
 *  drawn threshold, how many basins it merges, colouring, focus, the trained model's basin.
 *  Every drawn shape is a basin shown at the drawn threshold, its own label below it. */
export function drawKey(ctx) {
  const { topo, t, state } = ctx;
  if (!topo) return [t];
  const tDraw = drawnThreshold(ctx);
  const tm = topo.trainedModel(t);
  const focus = state.focus.flatMap((f) => [f.basin, f.yTop, f.label]);
  return [tDraw, tDraw > t ? shownCount(topo, t) : -1, tDraw > t ? -1 : t, tm ? tm.basin : null,
    ctx.model.get("color_by") || "depth", state.focus.length, ...focus];
}

/** The colour stops of the geometry's loss window, and, with many shapes, the canvas they are
 *  painted on once (under invisible hit shapes; see profileBitmap), else null. */
function paintedLayer(view, profile, geo, colorBy) {
  const { loss, w, h } = view;
  const [lo, hi] = geo.win.y;
  const stops = bandStops(loss, colorBy === "depth" ? profile.levels : null, lo, hi);
  const paint = (shape) => (colorBy === "depth" ? stops : depthColor(loss, lo, hi, shape.mean));
  const bitmap = geo.shapes.length > BITMAP_SHAPES ? profileBitmap(geo, colorBy, paint, geo.sy(lo), geo.sy(hi), w, h) : null;
  return { stops, bitmap };
}

/** Most ladder rungs prepared ahead (each holds a painted canvas of the plot's size). */
export const PREFETCH_RUNGS = 6;

/**
 * Idle steps that lay out and paint the whole profile at the ladder rungs nearest to the one
 * drawn (tDraw), exactly as draw() would at this size, axis and colouring: a slider's first
 * visit of a rung (~100 ms of layout and painting at hundreds of basins) then finds its
 * profile, geometry and painted canvas kept. None while focused (a focus draws its subtree).
 */
export function prefetchSteps(ctx, tDraw) {
  const { topo, state, loss } = ctx;
  if (!topo || state.focus.length) return [];
  const view = { topo, state, w: ctx.w, h: ctx.h, loss }; // as drawn now (a redraw re-plans)
  const kind = profileKind(loss);
  const colorBy = ctx.model.get("color_by") || "depth";
  const rungs = ladderRungs(topo, itemBudget(PER_BASIN));
  let here = rungs.findIndex((r) => r >= tDraw);
  if (here < 0) here = rungs.length;
  const nearest = rungs.map((r, i) => [Math.abs(i - here) + (i < here ? 0.5 : 0), r])
    .filter(([, r]) => r !== tDraw).sort((a, b) => a[0] - b[0]).slice(0, PREFETCH_RUNGS);
  return nearest.flatMap(([, r]) => rungSteps(view, r, kind, colorBy));
}

/** The steps that lay out and paint the whole profile at threshold r for `view` (its size,
 *  axis and colouring): the profile, its geometry, its painted canvas (rastered now). */
function rungSteps(view, r, kind, colorBy) {
  const profile = () => view.topo.profile(r, kind);
  return [profile, () => geometryAt(view, profile(), null), () => {
    const { bitmap } = paintedLayer(view, profile(), geometryAt(view, profile(), null), colorBy);
    flushCanvas(bitmap);
  }];
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss, state } = ctx;
  // computed here from the shared topology at this threshold (cached per threshold); log axes
  // draw the profile whose height bands are even on the log axis (finer near minima)
  // level of detail: drawn at the threshold that keeps at most the budget's basins, the least
  // persistent merged into their parent's shape; a focus applies the budget inside its subtree
  // (so focusing reveals the hidden sub-basins)
  const first = !state.drawn;
  const tDraw = rungToDraw(ctx);
  const hiddenCount = tDraw > t ? shownCount(topo, t) - shownCount(topo, tDraw) : 0;
  const profile = topo.profile(tDraw, profileKind(loss));
  if (state.focus.length && !profileIndex(profile).has(state.focus[state.focus.length - 1].basin)) state.focus = [];
  const focus = state.focus[state.focus.length - 1] || null;
  // the geometry (shapes, stubs, placed markers) depends on the profile drawn, the size, the
  // axis and the focus, not on the threshold itself: a slider move inside the level of detail
  // (or back to where it was) reuses it
  const geo = geometryAt(ctx, profile, focus);
  const { win, sy, sx, xs } = geo;
  const k0 = focus ? profileIndex(profile).get(focus.basin) ?? -1 : -1;
  const colorBy = ctx.model.get("color_by") || "depth";
  const [lo, hi] = win.y;
  // clip to the plot: a focused window cuts the enclosing shapes at its top
  const defs = svg("defs", {}, plot);
  const clipId = `lw-profile-clip-${ctx.uid}`;
  svg("rect", { x: 0, y: 0, width: w, height: h }, svg("clipPath", { id: clipId }, defs));
  const { stops, bitmap } = paintedLayer(ctx, profile, geo, colorBy);
  const bandFill = gradient(defs, `lw-profile-bands-${ctx.uid}`, stops, sy(lo), sy(hi));
  const g = svg("g", { "clip-path": `url(#${clipId})` }, plot);
  const fillOf = (shape) => (colorBy === "depth" ? bandFill : depthColor(loss, lo, hi, shape.mean));
  if (bitmap) {
    liveCanvas(g, { class: "lw-profile-raster", x: 0, y: 0, width: w, height: h, "aria-hidden": "true" }, bitmap,
      { "data-painted": String(geo.shapes.length) });
  }
  // a selected painted shape's outline goes here: over the bitmap, under the stubs (as before)
  const outlines = bitmap ? svg("g", { class: "lw-profile-outlines" }, g) : null;
  // the renderer the Gallery's thumbnails share: shapes and stubs clipped, markers on top
  const drawn = drawProfileShapes(g, geo, { fill: fillOf, basinOf: (raw) => topo.rep(raw, t), mark: (node, b) => hl.add(node, b),
    rastered: Boolean(bitmap), focusSaddles: true, markerLayer: plot });
  // painted shapes have no element: a selected one is outlined on top (not hit: a click inside
  // it may be on a nested shape, which pickShape finds)
  let paintedOverlay = null;
  if (bitmap) {
    const paintedIds = new Map();
    for (const d of drawn) {
      if (!paintedIds.has(d.basin)) paintedIds.set(d.basin, []);
      paintedIds.get(d.basin).push(d.shape);
    }
    paintedOverlay = selectionOverlay(hl, outlines, paintedIds, (b, parent) => {
      const d = paintedIds.get(b).map((shape) => shape.d).join("");
      return svg("path", { class: "lw-basin lw-lod-overlay", d, fill: "none", "pointer-events": "none" }, parent);
    });
  }
  // the trained model: inside its basin, at its loss, above its basin's minimum
  const tm = topo.trainedModel(t);
  if (tm && win.basins.has(tm.basin) && tm.value >= sy.domain[0] && tm.value <= sy.domain[1]) {
    const k = [...profile.minima_basin].findIndex((b) => topo.rep(b, t) === tm.basin);
    if (k >= 0) modelMarker(plot, sx(xs(profile.minima_x[k])), sy(tm.value), tm, topo);
  }
  lossAxis(plot, sy, "left");
  colorBar(ctx, sy, stops, colorBy);
  let overlay = null;
  if (hiddenCount > 0) {
    svg("text", { class: "lw-label lw-aggregate-label", x: w - 2, y: AGGREGATE_LABEL_Y, "text-anchor": "end",
      "data-aggregate": String(hiddenCount) }, plot).textContent = aggregateLabel(hiddenCount, "basins in their parents' shapes");
    // a selected merged basin: a marker at its own minimum's loss in the shape that holds it
    const hiddenIds = { has: (b) => topo.index.has(b) && topo.rep(b, tDraw) !== b };
    overlay = selectionOverlay(hl, plot, hiddenIds, (b, parent) => {
      const k = [...profile.minima_basin].indexOf(topo.rep(b, tDraw));
      const v = topo.minimumValue[topo.index.get(b)];
      if (k < 0 || !win.basins.has(profile.minima_basin[k]) || v < sy.domain[0] || v > sy.domain[1]) return null;
      return svg("circle", { class: "lw-min lw-hit lw-lod-overlay", cx: sx(xs(profile.minima_x[k])), cy: sy(v), r: 4 }, parent);
    });
  }
  if (ctx.showCrumbs) ctx.showCrumbs(profile);
  // with the first drawing, the coarse rung that a first visit of any larger rung draws (see
  // profile_rungs.js), laid out and painted now: a slider's first moves find it ready
  if (first && !state.focus.length) {
    const coarse = coarseRung(ctx);
    if (coarse > tDraw) for (const step of rungSteps(ctx, coarse, profileKind(loss), colorBy)) step();
  }
  // the pictures a slider reaches next, prepared while the page is idle
  // (data-prefetch-pending on the view: the steps still to run; tests wait for 0)
  if (!state.idle) state.idle = new IdleQueue();
  const steps = prefetchSteps(ctx, tDraw);
  const pending = (n) => ctx.root.setAttribute("data-prefetch-pending", String(n));
  pending(steps.length);
  state.idle.run(steps.map((step, k) => () => { step(); pending(steps.length - k - 1); }));
  // (read at the threshold of the call: a redraw with the same drawing keeps this api)
  const countOf = (b) => { const i = topo.index.get(b); return i === undefined ? 0 : (topo.simplified(ctx.t).size[i]); };
  return {
    box(x0, y0, x1, y1) {
      const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
      const hit = new Set();
      const corner = (px) => {
        for (let i = 0; i < px.length; i += 2) if (px[i] >= x0 && px[i] <= x1 && px[i + 1] >= y0 && px[i + 1] <= y1) return true;
        return false;
      };
      for (const d of drawn) if (corner(d.px) || insideFlat(cx, cy, d.px)) hit.add(d.basin);
      return [...hit];
    },
    countOf,
    pick(ev, x, y) {
      // an element (marker, stub, outline): its basin; the bitmap: the shape painted on top
      const node = ev.target.closest ? ev.target.closest("[data-basin]") : null;
      let basin = node ? Number(node.getAttribute("data-basin")) : null;
      if (basin == null && bitmap && ev.target.closest && ev.target.closest(".lw-profile-raster")) basin = pickShape(drawn, x, y);
      // (at the threshold of the call: a redraw with the same drawing keeps this api)
      return basin == null ? null : { basin, info: topo.basinInfo(basin, ctx.t) };
    },
    onSelection(selected) {
      if (overlay) overlay.update(selected);
      if (paintedOverlay) paintedOverlay.update(selected);
    },
    focusBasin: (b) => ({ basin: b, label: `basin at loss ${fmt(topo.minimumValue[topo.index.get(b)] ?? NaN)}` }),
    focusSaddle(raw) {
      const k = [...profile.saddle_basin].indexOf(raw);
      const j = [...profile.basin_ids].indexOf(raw);
      const parent = profile.basin_parent ? profile.basin_parent[j] : -1;
      if (k < 0 || !(parent >= 0)) return null;
      return { basin: parent, yTop: profile.saddle_y[k], label: `below saddle at loss ${fmt(profile.saddle_y[k])}` };
    },
    k0,
  };
}

/** Colour bar at the right of the plot: the fill's loss → colour map on the same axis. */
function colorBar(ctx, sy, stops, colorBy) {
  const { plot, w, h } = ctx;
  const x = w + 12;
  const g = svg("g", { class: "lw-colorbar", transform: `translate(${x},0)`,
    "aria-label": colorBy === "depth" ? "colour: loss of each height band" : "colour: mean loss of each basin" }, plot);
  const fill = gradient(svg("defs", {}, g), `lw-profile-bar-${ctx.uid}`, stops, sy(sy.domain[0]) , sy(sy.domain[1]));
  // the bar spans the drawn range [lo, hi] of the stops (the axis is padded around it)
  const yTop = sy(sy.domain[1]);
  svg("rect", { x: 0, y: Math.min(yTop, h), width: 10, height: Math.abs(h - yTop), fill, stroke: "var(--lw-line)", "stroke-width": 0.5 }, g);
  let last = -Infinity;
  for (const v of sy.ticks(Math.max(2, Math.floor(h / 40))).sort((a, b) => sy(b) - sy(a))) {
    const y = sy(v);
    if (Math.abs(y - last) < 16) continue;
    last = y;
    svg("line", { x1: 10, x2: 13, y1: y, y2: y, stroke: "var(--lw-line)" }, g);
    svg("text", { x: 15, y: y + 4, class: "lw-tick" }, g).textContent = sy.format(v);
  }
  return g;
}

function setup(ctx) {
  // drawn: a drawing exists (the first one is exact at once); refineGeneration: see scheduleRefine
  const state = { focus: [], drawn: false, refineGeneration: 0 };
  ctx.state = state;
  const bar = ctx.controls;
  const crumbs = html("span", { class: "lw-crumbs", role: "navigation", "aria-label": "profile focus" }, bar);
  const label = html("label", { text: "colour" }, bar);
  const pick = html("select", { class: "lw-color-by", "aria-label": "profile colour" }, label);
  html("option", { value: "depth", text: "by depth (band loss)" }, pick);
  html("option", { value: "mean_loss", text: "by basin mean loss" }, pick);
  pick.addEventListener("change", () => {
    ctx.model.set("color_by", pick.value);
    ctx.model.save_changes();
    ctx.redraw();
  });
  ctx.model.on("change:color_by", () => ctx.redraw());
  const go = (n) => { state.focus = state.focus.slice(0, n); ctx.redraw(); };
  // the menu and the crumbs change only with the colouring and the zoom: setting a <select>'s
  // value, even to the one it has, makes the browser lay out the page within the redraw, and
  // a slider move redraws the profile at every step
  let shownCrumbs = null;
  ctx.showCrumbs = () => {
    const colour = ctx.model.get("color_by") || "depth";
    if (pick.value !== colour) pick.value = colour;
    const key = JSON.stringify(state.focus.map((f) => f.label));
    if (key === shownCrumbs) return;
    shownCrumbs = key;
    crumbs.replaceChildren();
    const all = html("button", { type: "button", class: "lw-crumb", "data-crumb": 0, text: "whole profile", "aria-current": state.focus.length ? null : "true" }, crumbs);
    all.addEventListener("click", () => go(0));
    state.focus.forEach((f, i) => {
      html("span", { class: "lw-crumb-sep", text: "›" }, crumbs);
      const b = html("button", { type: "button", class: "lw-crumb", "data-crumb": i + 1, text: f.label, "aria-current": i === state.focus.length - 1 ? "true" : null }, crumbs);
      b.addEventListener("click", () => go(i + 1));
    });
    if (!state.focus.length) html("span", { class: "lw-hint", text: "double-click a basin or click a saddle to zoom" }, crumbs);
  };
  const push = (f) => {
    if (!f) return;
    const top = state.focus[state.focus.length - 1];
    if (top && top.basin === f.basin && top.yTop === f.yTop) return;
    state.focus.push(f);
    ctx.redraw();
  };
  ctx.svg.addEventListener("dblclick", (ev) => {
    const node = ev.target.closest && ev.target.closest(".lw-basin[data-basin]");
    let basin = node ? Number(node.getAttribute("data-basin")) : null;
    if (basin == null && ctx.api.pick && ev.target.closest && ev.target.closest(".lw-profile-raster")) {
      // a painted shape: picked at the pointer (plot coordinates, as the brush computes them)
      const r = ctx.svg.getBoundingClientRect();
      const picked = ctx.api.pick(ev, ev.clientX - r.left - ctx.margin.left, ev.clientY - r.top - ctx.margin.top);
      basin = picked ? picked.basin : null;
    }
    if (basin != null && ctx.api.focusBasin) push(ctx.api.focusBasin(basin));
  });
  ctx.svg.addEventListener("click", (ev) => {
    const node = ev.target.closest && ev.target.closest("[data-focus-saddle]");
    if (node && ctx.api.focusSaddle) push(ctx.api.focusSaddle(Number(node.getAttribute("data-focus-saddle"))));
  });
}

/** Is part of the drawing aggregated at the current threshold (its label needs room above)? */
function aggregated(ctx) {
  return Boolean(ctx.topo) && ladderThreshold(ctx.topo, ctx.t, itemBudget(PER_BASIN)) > ctx.t;
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "profile", title: "Landscape profile", draw, drawKey, setup,
    controls: true, margin: (ctx) => ({ left: 52, right: 58, top: aggregated(ctx) ? AGGREGATE_ROOM : 10, bottom: 12 }) });
}

export default { render };
