// ProfileView: the topological landscape profile. One polygon per basin (nested at saddles),
// coloured by depth (each height band by its loss: lower = darker) or by the basin's mean loss,
// with a colour bar; minima red, saddles orange. Double-click a basin (or click a saddle) to
// focus the profile on that subtree; a breadcrumb leads back.
import { mountView, modelMarker } from "./lib/view.js";
import { svg, html } from "./lib/dom.js";
import { linear, fmt } from "./lib/scales.js";
import { fixed1 } from "./lib/svg.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { depth } from "./lib/colors.js";
import { AGGREGATE_LABEL_Y, AGGREGATE_ROOM, aggregateLabel, itemBudget, lodThreshold, selectionOverlay, shownCount, subtreeThreshold } from "./lib/lod.js";

/** SVG elements per drawn basin: its shape, its minimum and its merge saddle. */
const PER_BASIN = 3;

/** Smallest drawn size (px) of a basin: a shallower or narrower basin gets a stub this big. */
export const MIN_BASIN_PX = 5;
/** Share of the palette used (its lightest stops vanish on white). */
const PALETTE_SPAN = 0.85;

/** Polygons as [{basin, points: [[x, y], ...], mean}] in drawing order. */
export function basinPolygons(profile) {
  const out = [];
  const off = profile.polygon_offsets;
  for (let k = 0; k + 1 < off.length; k++) {
    const points = [];
    for (let i = off[k]; i < off[k + 1]; i++) points.push([profile.polygon_x[i], profile.polygon_y[i]]);
    out.push({ basin: profile.basin_ids[k], points, mean: profile.basin_mean_loss[k] });
  }
  return out;
}

/** Ray-casting point-in-polygon test. */
export function inside(pt, poly) {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/**
 * Monotone x-warp [0, 1] -> [0, 1] that widens every non-outermost basin narrower than `share`
 * of the width to about that share (shares capped so they take at most half the width). Nesting
 * and order are kept (the profile is drawn from x-intervals), so a basin of a few points stays
 * visible; widths are then exact only up to this stretch. Returns the identity when none is
 * narrower.
 */
export function widenWarp(polys, outer, share = 0.08) {
  const inner = polys.filter((p) => !outer.has(p.basin));
  const q = Math.min(share, 0.5 / Math.max(1, inner.length));
  const spans = [];
  for (const p of inner) {
    let a = Infinity;
    let b = -Infinity;
    for (const [x] of p.points) { a = Math.min(a, x); b = Math.max(b, x); }
    if (b > a && b - a < q) spans.push([a, b, (q - (b - a)) / (b - a)]);
  }
  if (!spans.length) return (x) => x;
  const xs = [...new Set([0, 1, ...spans.flatMap(([a, b]) => [a, b])])].sort((u, v) => u - v);
  const cum = [0];
  for (let k = 1; k < xs.length; k++) {
    const mid = (xs[k - 1] + xs[k]) / 2;
    let density = 1;
    for (const [a, b, extra] of spans) if (mid >= a && mid <= b) density += extra;
    cum.push(cum[k - 1] + density * (xs[k] - xs[k - 1]));
  }
  const total = cum[cum.length - 1];
  return (x) => {
    // the first k >= 1 with xs[k] >= x (or the last): binary search (a profile has thousands
    // of points and hundreds of spans)
    let k = 1;
    let hi = xs.length - 1;
    while (k < hi) {
      const mid = (k + hi) >> 1;
      if (xs[mid] < x) k = mid + 1;
      else hi = mid;
    }
    const f = (x - xs[k - 1]) / (xs[k] - xs[k - 1] || 1);
    return (cum[k - 1] + f * (cum[k] - cum[k - 1])) / total;
  };
}


/** Subtree (basin ids) of `root` from the profile's basin_parent links. */
export function subtree(profile, root) {
  const ids = [...profile.basin_ids];
  const parents = profile.basin_parent ? [...profile.basin_parent] : ids.map(() => -1);
  const kids = new Map();
  ids.forEach((b, k) => {
    if (parents[k] >= 0) {
      if (!kids.has(parents[k])) kids.set(parents[k], []);
      kids.get(parents[k]).push(b);
    }
  });
  const out = new Set();
  const stack = [root];
  while (stack.length) {
    const b = stack.pop();
    if (out.has(b)) continue;
    out.add(b);
    for (const c of kids.get(b) || []) stack.push(c);
  }
  return out;
}

/**
 * The window a focus shows: {basins, x: [a, b], y: [lo, hi]} in profile coordinates. Focus on a
 * basin: its subtree, across its top, from its lowest minimum to its death (the outermost basin:
 * up to a little above its last merge). Focus with `yTop` (a saddle): the enclosing basin's
 * subtree up to just above that saddle. `null`: everything.
 */
export function focusWindow(profile, polys, focus) {
  const all = { basins: new Set(polys.map((p) => p.basin)), x: [0, 1], y: [profile.y_min, profile.y_max] };
  if (!focus) return all;
  const k = [...profile.basin_ids].indexOf(focus.basin);
  if (k < 0) return all;
  const basins = subtree(profile, focus.basin);
  let a = Infinity;
  let b = -Infinity;
  for (const [x] of polys[k].points) { a = Math.min(a, x); b = Math.max(b, x); }
  let lo = Infinity;
  let own = Infinity;
  let subLo = Infinity;
  let topChild = -Infinity;
  polys.forEach((p, j) => {
    if (!basins.has(p.basin)) return;
    for (const [, y] of p.points) lo = Math.min(lo, y);
    if (j === k) for (const [, y] of p.points) own = Math.min(own, y);
    else for (const [, y] of p.points) { subLo = Math.min(subLo, y); topChild = Math.max(topChild, y); }
  });
  let hi = -Infinity;
  for (const [, y] of polys[k].points) hi = Math.max(hi, y);
  if (focus.yTop != null) hi = Math.min(hi, focus.yTop);
  else if (Number.isFinite(topChild) && !(profile.basin_parent && profile.basin_parent[k] >= 0)) hi = Math.min(hi, topChild);
  // a basin with sub-basins: zoom on them (a deep funnel below them is cut at the window's foot)
  if (focus.yTop == null && Number.isFinite(subLo) && subLo < hi) lo = subLo;
  if (!(hi > lo)) hi = lo + (profile.y_max - profile.y_min) * 0.01 || lo + 1;
  const pad = (hi - lo) * 0.08; // the merge and the lowest minimum stay visible
  return { basins, x: [a, b], y: [Math.max(lo - pad, Math.min(lo, own)), Math.min(hi + pad, profile.y_max)], cut: own < lo - pad };
}

/**
 * Place round markers without overlap: [{x, y, r, kind, basin, lo, hi}] in priority order; a
 * marker touching one already placed moves sideways within [lo, hi] (its basin's extent) if it
 * can, else joins that one (its count grows). Returns the placed markers with `count` and
 * `members` (basin ids).
 */
export function placeMarkers(markers, gap = 1) {
  const placed = [];
  // the placed markers in cells of a grid as big as the widest clash distance, so that a
  // marker is tested against its neighbours only (first placed first, as a scan would find)
  let reach = 1;
  for (const m of markers) reach = Math.max(reach, 2 * m.r + gap);
  const cells = new Map();
  const cellKey = (i, j) => i * 1048576 + j;
  const clash = (x, y, r) => {
    const i0 = Math.floor(x / reach);
    const j0 = Math.floor(y / reach);
    let best = null;
    for (let i = i0 - 1; i <= i0 + 1; i++) {
      for (let j = j0 - 1; j <= j0 + 1; j++) {
        const list = cells.get(cellKey(i, j));
        if (!list) continue;
        for (const q of list) {
          if ((best === null || q.order < best.order) && Math.hypot(q.x - x, q.y - y) < q.r + r + gap) best = q;
        }
      }
    }
    return best;
  };
  const push = (q) => {
    q.order = placed.length;
    placed.push(q);
    const key = cellKey(Math.floor(q.x / reach), Math.floor(q.y / reach));
    const list = cells.get(key);
    if (list) list.push(q);
    else cells.set(key, [q]);
  };
  for (const m of markers) {
    let hit = clash(m.x, m.y, m.r);
    if (!hit) {
      push({ ...m, count: 1, members: [m.basin] });
      continue;
    }
    let moved = null;
    for (const step of [1, -1, 2, -2, 3, -3]) {
      const x = m.x + step * (2 * m.r + gap);
      if (x - m.r < m.lo - 0.5 || x + m.r > m.hi + 0.5) continue;
      if (!clash(x, m.y, m.r)) { moved = x; break; }
    }
    if (moved != null) push({ ...m, x: moved, count: 1, members: [m.basin] });
    else {
      hit.count += 1;
      hit.members.push(m.basin);
    }
  }
  for (const q of placed) delete q.order;
  return placed;
}

/** Colour of loss v in a window [lo, hi] on the axis transform T (lower = darker). */
export function depthColor(T, lo, hi, v) {
  const t0 = T.fwd(lo);
  const span = T.fwd(hi) - t0 || 1;
  return depth(PALETTE_SPAN * Math.min(1, Math.max(0, (T.fwd(v) - t0) / span)));
}

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

const profileIndexes = new WeakMap();

/** basin id -> index k in the profile's arrays (once per profile). */
function profileIndex(profile) {
  let index = profileIndexes.get(profile);
  if (!index) {
    index = new Map();
    profile.basin_ids.forEach((b, k) => index.set(b, k));
    profileIndexes.set(profile, index);
  }
  return index;
}

/**
 * Everything of a drawn profile that does not depend on the threshold: the focus window and
 * scales, each shape's pixels, path data (points on a straight run of a step dropped: the same
 * outline, a fraction of the numbers) and stub, and the placed critical-point markers (basins
 * by raw id; the caller relabels them at its threshold).
 */
export function profileGeometry(topo, profile, focus, loss, w, h) {
  const polys = basinPolygons(profile);
  const win = focusWindow(profile, polys, focus);
  const shown = polys.filter((p) => win.basins.has(p.basin));
  const parents = profile.basin_parent || [-1];
  const outer = new Set(focus ? [focus.basin] : [...profile.basin_ids].filter((_, k) => !(parents[k] >= 0)));
  const xs = linear(win.x, [0, 1]);
  const local = shown.map((p) => ({ ...p, points: p.points.map(([x, y]) => [xs(x), y]) }));
  const warp = widenWarp(local, outer);
  const lin = linear([0, 1], [0, w]);
  const sx = (x) => lin(warp(x));
  const sy = lossAxisScale(loss, win.y, [h, 0], 0.03);
  const [lo] = win.y;
  const yCap = sy.domain[1];
  const shapes = [];
  const extentOf = new Map();
  for (const p of local) {
    const n = p.points.length;
    const px = new Array(n);
    const fx = new Array(n);
    const fy = new Array(n);
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      const q = p.points[i];
      const x = sx(q[0]);
      const y = sy(q[1] < yCap ? q[1] : yCap);
      px[i] = [x, y];
      fx[i] = fixed1(x);
      fy[i] = fixed1(y);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    let d = "";
    for (let i = 0; i < n; i++) {
      // a point in the middle of a vertical or horizontal run adds nothing to the outline
      if (i > 0 && i < n - 1 && ((fx[i] === fx[i - 1] && fx[i] === fx[i + 1]) || (fy[i] === fy[i - 1] && fy[i] === fy[i + 1]))) continue;
      d += `${d ? "L" : "M"}${fx[i]},${fy[i]}`;
    }
    const shape = { raw: p.basin, px, d: `${d}Z`, mean: p.mean, stub: null };
    // a basin shallower or narrower than MIN_BASIN_PX gets a stub hanging from its top (its
    // merge saddle) so that it can be seen, hovered and clicked; its true range is in the tooltip
    if (!outer.has(p.basin) && (x1 - x0 < MIN_BASIN_PX || y1 - y0 < MIN_BASIN_PX)) {
      const sw = Math.max(MIN_BASIN_PX, x1 - x0);
      const sh = Math.max(MIN_BASIN_PX, y1 - y0);
      shape.stub = [(x0 + x1) / 2 - sw / 2, Math.max(0, Math.min(y0, h - sh)), sw, sh];
    }
    shapes.push(shape);
    extentOf.set(p.basin, [x0, x1]);
  }
  // critical points: minima by persistence first, then saddles; none overlapping
  const pers = (b) => { const i = topo.index.get(b); return i === undefined ? 0 : topo.persistence[i]; };
  const minima = [];
  const inWindow = (b, y) => win.basins.has(b) && y >= lo - 1e-12 && y <= yCap;
  for (let k = 0; k < profile.minima_x.length; k++) {
    const b = profile.minima_basin[k];
    if (!inWindow(b, profile.minima_y[k])) continue;
    const [elo, ehi] = extentOf.get(b) || [0, w];
    minima.push({ kind: "min", basin: b, raw: b, x: sx(xs(profile.minima_x[k])), y: sy(profile.minima_y[k]), r: 4, lo: elo, hi: ehi, p: pers(b) });
  }
  minima.sort((a, b) => b.p - a.p);
  const saddles = [];
  for (let k = 0; k < profile.saddle_x.length; k++) {
    const b = profile.saddle_basin[k];
    if (!inWindow(b, profile.saddle_y[k]) || b === (focus && focus.basin)) continue;
    const [elo, ehi] = extentOf.get(b) || [0, w];
    saddles.push({ kind: "saddle", basin: b, x: sx(xs(profile.saddle_x[k])), y: sy(profile.saddle_y[k]), r: 3.5, lo: elo - 4, hi: ehi + 4, p: pers(b), k, raw: b });
  }
  saddles.sort((a, b) => b.p - a.p);
  const markers = placeMarkers([...minima, ...saddles]);
  return { profile, win, sx, sy, xs, shapes, markers };
}

/** Above this many shapes a profile is painted into a bitmap (one image to repaint instead of
 *  hundreds of nested gradient-filled shapes: brushing a 4,500-basin profile repainted them
 *  all, ~80 ms); the shapes stay, invisible, for hit testing, tooltips and the selection. */
export const BITMAP_SHAPES = 200;

/**
 * The shapes of `geo` painted as the SVG paints them (in order, each filled, then its outline
 * at the CSS stroke of .lw-profile .lw-basin), on a canvas of the plot's size at the screen's
 * pixel density: a PNG data URL, kept on `geo` per colouring; null without a canvas (jsdom).
 * `paint(shape)` is the fill: a colour, or the band stops [[offset, colour]] from y0 to y1.
 */
export function profileBitmap(geo, colorBy, paint, y0, y1, w, h) {
  const key = `${colorBy}|${w}|${h}|${y0}|${y1}`;
  if (geo.bitmap && geo.bitmap.key === key) return geo.bitmap.url;
  if (typeof document === "undefined" || typeof Path2D !== "function") return null;
  const scale = Math.min(2, Math.max(1, (typeof window !== "undefined" && window.devicePixelRatio) || 1));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.ceil(w * scale));
  canvas.height = Math.max(1, Math.ceil(h * scale));
  let g = null;
  try {
    g = canvasWorks ? canvas.getContext("2d") : null;
  } catch {
    g = null;
  }
  if (!g) canvasWorks = false; // (jsdom: none, and it complains on every try)
  if (!g || typeof g.createLinearGradient !== "function") return null;
  g.scale(scale, scale);
  g.lineJoin = "round";
  g.lineWidth = 0.8;
  g.strokeStyle = "rgba(15,25,45,.5)";
  let bands = null;
  for (const shape of geo.shapes) {
    const fill = paint(shape);
    if (Array.isArray(fill)) {
      if (!bands) {
        bands = g.createLinearGradient(0, y0, 0, y1);
        for (const [o, c] of fill) bands.addColorStop(Math.min(1, Math.max(0, o)), c);
      }
      g.fillStyle = bands;
    } else g.fillStyle = fill;
    const path = new Path2D(shape.d);
    g.fill(path);
    g.stroke(path);
  }
  let url = null;
  try {
    url = canvas.toDataURL("image/png");
  } catch {
    url = null;
  }
  if (!url || !url.startsWith("data:image/png")) return null;
  geo.bitmap = { key, url };
  return url;
}

let canvasWorks = true;

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss, state } = ctx;
  // computed here from the shared topology at this threshold (cached per threshold); log axes
  // draw the profile whose height bands are even on the log axis (finer near minima)
  // level of detail: drawn at the threshold that keeps at most the budget's basins, the least
  // persistent merged into their parent's shape; a focus applies the budget inside its subtree
  // (so focusing reveals the hidden sub-basins)
  const cap = itemBudget(PER_BASIN);
  let tDraw = lodThreshold(topo, t, cap);
  const f0 = state.focus[state.focus.length - 1];
  if (f0 && tDraw > t && topo.index.has(f0.basin)) tDraw = subtreeThreshold(topo, t, tDraw, f0.basin, cap);
  const hiddenCount = tDraw > t ? shownCount(topo, t) - shownCount(topo, tDraw) : 0;
  const profile = topo.profile(tDraw, loss.kind === "linear" ? "linear" : "log");
  if (state.focus.length && !profileIndex(profile).has(state.focus[state.focus.length - 1].basin)) state.focus = [];
  const focus = state.focus[state.focus.length - 1] || null;
  // the geometry (shapes, stubs, placed markers) depends on the profile drawn, the size, the
  // axis and the focus, not on the threshold itself: a slider move inside the level of detail
  // (or back to where it was) reuses it
  const geoKey = `${w}|${h}|${loss.kind}|${focus ? `${focus.basin}:${focus.yTop}` : ""}`;
  // one geometry per profile the topology keeps (it keeps the last thresholds' profiles)
  if (!state.geometries) state.geometries = new WeakMap();
  let geo = state.geometries.get(profile);
  if (!geo || geo.key !== geoKey) {
    geo = profileGeometry(topo, profile, focus, loss, w, h);
    geo.key = geoKey;
    state.geometries.set(profile, geo);
  }
  const { win, sy, sx, xs } = geo;
  const k0 = focus ? profileIndex(profile).get(focus.basin) ?? -1 : -1;
  const colorBy = ctx.model.get("color_by") || "depth";
  const [lo, hi] = win.y;
  // clip to the plot: a focused window cuts the enclosing shapes at its top
  const defs = svg("defs", {}, plot);
  const clipId = `lw-profile-clip-${ctx.uid}`;
  svg("rect", { x: 0, y: 0, width: w, height: h }, svg("clipPath", { id: clipId }, defs));
  const stops = bandStops(loss, colorBy === "depth" ? profile.levels : null, lo, hi);
  const bandFill = gradient(defs, `lw-profile-bands-${ctx.uid}`, stops, sy(lo), sy(hi));
  const drawn = [];
  const g = svg("g", { "clip-path": `url(#${clipId})` }, plot);
  const fillOf = (shape) => (colorBy === "depth" ? bandFill : depthColor(loss, lo, hi, shape.mean));
  // many shapes: painted once into a bitmap under invisible hit shapes (see profileBitmap)
  const bitmap = geo.shapes.length > BITMAP_SHAPES
    ? profileBitmap(geo, colorBy, (shape) => (colorBy === "depth" ? stops : fillOf(shape)), sy(lo), sy(hi), w, h) : null;
  if (bitmap) {
    svg("image", { class: "lw-profile-raster", href: bitmap, x: 0, y: 0, width: w, height: h, preserveAspectRatio: "none", "aria-hidden": "true" }, g);
  }
  const shapeClass = bitmap ? "lw-basin lw-hit lw-rastered" : "lw-basin lw-hit";
  for (const shape of geo.shapes) {
    const basin = topo.rep(shape.raw, t);
    hl.add(svg("path", { class: shapeClass, d: shape.d, fill: fillOf(shape) }, g), basin);
    drawn.push({ basin, px: shape.px });
  }
  for (const shape of geo.shapes) {
    if (!shape.stub) continue;
    const [x, y, sw, sh] = shape.stub;
    const fill = colorBy === "depth" ? bandFill : depthColor(loss, lo, hi, shape.mean);
    hl.add(svg("rect", { class: "lw-basin lw-hit lw-stub", x, y, width: sw, height: sh, fill }, g), topo.rep(shape.raw, t));
  }
  for (const m of geo.markers) {
    m.basin = topo.rep(m.raw, t);
  }
  for (const m of geo.markers) {
    const node = svg("circle", { class: `lw-${m.kind} lw-hit${m.count > 1 ? " lw-merged" : ""}`, cx: m.x, cy: m.y, r: m.r,
      "data-count": m.count > 1 ? String(m.count) : null, "data-focus-saddle": m.kind === "saddle" ? String(m.raw) : null }, plot);
    hl.add(node, m.basin);
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
  const countOf = (b) => { const i = topo.index.get(b); return i === undefined ? 0 : (topo.simplified(t).size[i]); };
  return {
    box(x0, y0, x1, y1) {
      const centre = [(x0 + x1) / 2, (y0 + y1) / 2];
      const hit = new Set();
      for (const d of drawn) {
        if (d.px.some(([x, y]) => x >= x0 && x <= x1 && y >= y0 && y <= y1) || inside(centre, d.px)) hit.add(d.basin);
      }
      return [...hit];
    },
    countOf,
    onSelection(selected) {
      if (overlay) overlay.update(selected);
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
  const state = { focus: [] };
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
  ctx.showCrumbs = () => {
    pick.value = ctx.model.get("color_by") || "depth";
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
    if (node && ctx.api.focusBasin) push(ctx.api.focusBasin(Number(node.getAttribute("data-basin"))));
  });
  ctx.svg.addEventListener("click", (ev) => {
    const node = ev.target.closest && ev.target.closest("[data-focus-saddle]");
    if (node && ctx.api.focusSaddle) push(ctx.api.focusSaddle(Number(node.getAttribute("data-focus-saddle"))));
  });
}

/** Is part of the drawing aggregated at the current threshold (its label needs room above)? */
function aggregated(ctx, perItem) {
  return Boolean(ctx.topo) && lodThreshold(ctx.topo, ctx.t, itemBudget(perItem)) > ctx.t;
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "profile", title: "Landscape profile", draw, setup,
    controls: true, margin: (ctx) => ({ left: 52, right: 58, top: aggregated(ctx, PER_BASIN) ? AGGREGATE_ROOM : 10, bottom: 12 }) });
}

export default { render };
