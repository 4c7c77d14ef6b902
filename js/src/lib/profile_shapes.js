// The shapes of a landscape profile and the one renderer that draws them: the focus window,
// marker placement without overlap, the geometry of one drawn profile (cached by ProfileView per
// profile), its bitmap, and drawProfileShapes, which ProfileView and the Gallery's small
// multiples both draw with. The polygons themselves (outlines, corners, path data, the x-warp)
// are in lib/profile_polygons.js.
import { linear } from "./scales.js";
import { svg } from "./dom.js";
import { depth } from "./colors.js";
import { basinPolygons, cornerOutlines, insideFlat, pathData, warpOfExtents } from "./profile_polygons.js";
import { lossAxisScale } from "./loss_scale.js";
import { PaintMemo, bitmapContext, paintScale, paintedCanvas, releaseCanvas } from "./bitmap.js";

/** Smallest drawn size (px) of a basin: a shallower or narrower basin gets a stub this big. */
export const MIN_BASIN_PX = 5;

export { basinPolygons, cornersOnly, inside, insideFlat, pathData, widenWarp } from "./profile_polygons.js";

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
  // the placed markers (their indices in `placed`, i.e. their order) in cells of a grid as big
  // as the widest clash distance, so that a marker is tested against its neighbours only (the
  // first placed first, as a scan would find)
  let reach = 1;
  for (const m of markers) reach = Math.max(reach, 2 * m.r + gap);
  const cells = new Map();
  const cellKey = (i, j) => i * 1048576 + j;
  const clash = (x, y, r) => {
    const i0 = Math.floor(x / reach);
    const j0 = Math.floor(y / reach);
    let best = -1;
    for (let i = i0 - 1; i <= i0 + 1; i++) {
      for (let j = j0 - 1; j <= j0 + 1; j++) {
        const list = cells.get(cellKey(i, j));
        if (!list) continue;
        for (const k of list) {
          if (best >= 0 && k > best) continue;
          const q = placed[k];
          if (Math.hypot(q.x - x, q.y - y) < q.r + r + gap) best = k;
        }
      }
    }
    return best < 0 ? null : placed[best];
  };
  const push = (q) => {
    const key = cellKey(Math.floor(q.x / reach), Math.floor(q.y / reach));
    const list = cells.get(key);
    if (list) list.push(placed.length);
    else cells.set(key, [placed.length]);
    placed.push(q);
  };
  for (const m of markers) {
    const hit = clash(m.x, m.y, m.r);
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
  return placed;
}

const profileIndexes = new WeakMap();

/** basin id -> index k in the profile's arrays (once per profile). */
export function profileIndex(profile) {
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
 * scales, each shape's pixels (`px`, flat: x0, y0, x1, y1, ...), path data (points on a
 * straight run of a step dropped: the same outline, a fraction of the numbers) and stub, and the placed critical-point markers (basins
 * by raw id; the caller relabels them at its threshold). Options: `y`, the loss range drawn
 * instead of the profile's own (small multiples on one shared axis; without a focus only);
 * `markerScale`, the markers' radii relative to ProfileView's (smaller in a thumbnail).
 */
export function profileGeometry(topo, profile, focus, loss, w, h, { y = null, markerScale = 1 } = {}) {
  const ids = profile.basin_ids;
  const nPolys = profile.polygon_offsets.length - 1;
  // the window: a focus's from the polygons; else every basin, the whole width and loss range
  const win = focus ? focusWindow(profile, basinPolygons(profile), focus)
    : { basins: new Set(Array.from(ids).slice(0, nPolys)), x: [0, 1], y: [profile.y_min, profile.y_max] };
  if (y && !focus) win.y = [y[0], y[1]];
  const ks = [];
  for (let k = 0; k < nPolys; k++) if (win.basins.has(ids[k])) ks.push(k);
  const parents = profile.basin_parent || [-1];
  const outer = new Set(focus ? [focus.basin] : [...ids].filter((_, k) => !(parents[k] >= 0)));
  const xs = linear(win.x, [0, 1]);
  // corners only, in flat arrays (a profile of hundreds of basins has ~10^5 points)
  const lines = cornerOutlines(profile, ks, xs);
  const extents = [];
  ks.forEach((k, j) => { if (!outer.has(ids[k])) extents.push([lines.a[j], lines.b[j]]); });
  const warp = warpOfExtents(extents);
  const lin = linear([0, 1], [0, w]);
  const sx = (x) => lin(warp(x));
  const sy = lossAxisScale(loss, win.y, [h, 0], 0.03);
  const [lo] = win.y;
  const yCap = sy.domain[1];
  const shapes = [];
  const extentOf = new Map();
  ks.forEach((k, j) => {
    const first = lines.o[j];
    const n = lines.o[j + 1] - first;
    // the shape's pixels, flat (x0, y0, x1, y1, ...)
    const px = new Float64Array(2 * n);
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      const x = sx(lines.x[first + i]);
      const v = lines.y[first + i];
      const y = sy(v < yCap ? v : yCap);
      px[2 * i] = x;
      px[2 * i + 1] = y;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    const basin = ids[k];
    // path data only where an element draws the shape (a painted profile of hundreds of
    // shapes needs it for a selected one's outline only): made on first use
    const shape = { raw: basin, px, get d() { return (this._d ??= pathData(px)); }, mean: profile.basin_mean_loss[k], stub: null, bbox: [x0, y0, x1, y1] };
    // a basin shallower or narrower than MIN_BASIN_PX gets a stub hanging from its top (its
    // merge saddle) so that it can be seen, hovered and clicked; its true range is in the tooltip
    if (!outer.has(basin) && (x1 - x0 < MIN_BASIN_PX || y1 - y0 < MIN_BASIN_PX)) {
      const sw = Math.max(MIN_BASIN_PX, x1 - x0);
      const sh = Math.max(MIN_BASIN_PX, y1 - y0);
      shape.stub = [(x0 + x1) / 2 - sw / 2, Math.max(0, Math.min(y0, h - sh)), sw, sh];
    }
    shapes.push(shape);
    extentOf.set(basin, [x0, x1]);
  });
  // critical points: minima by persistence first, then saddles; none overlapping
  const pers = (b) => { const i = topo.index.get(b); return i === undefined ? 0 : topo.persistence[i]; };
  const minima = [];
  const inWindow = (b, y) => win.basins.has(b) && y >= lo - 1e-12 && y <= yCap;
  for (let k = 0; k < profile.minima_x.length; k++) {
    const b = profile.minima_basin[k];
    if (!inWindow(b, profile.minima_y[k])) continue;
    const [elo, ehi] = extentOf.get(b) || [0, w];
    minima.push({ kind: "min", basin: b, raw: b, x: sx(xs(profile.minima_x[k])), y: sy(profile.minima_y[k]), r: 4 * markerScale, lo: elo, hi: ehi, p: pers(b) });
  }
  minima.sort((a, b) => b.p - a.p);
  const saddles = [];
  for (let k = 0; k < profile.saddle_x.length; k++) {
    const b = profile.saddle_basin[k];
    if (!inWindow(b, profile.saddle_y[k]) || b === (focus && focus.basin)) continue;
    const [elo, ehi] = extentOf.get(b) || [0, w];
    const r = 3.5 * markerScale;
    saddles.push({ kind: "saddle", basin: b, x: sx(xs(profile.saddle_x[k])), y: sy(profile.saddle_y[k]), r, lo: elo - r - 0.5, hi: ehi + r + 0.5, p: pers(b), k, raw: b });
  }
  saddles.sort((a, b) => b.p - a.p);
  const markers = placeMarkers([...minima, ...saddles]);
  return { profile, win, sx, sy, xs, shapes, markers, outer };
}

/** Share of the palette used (its lightest stops vanish on white). */
const PALETTE_SPAN = 0.85;

/** Colour of loss v in a window [lo, hi] on the axis transform T (lower = darker). */
export function depthColor(T, lo, hi, v) {
  const t0 = T.fwd(lo);
  const span = T.fwd(hi) - t0 || 1;
  return depth(PALETTE_SPAN * Math.min(1, Math.max(0, (T.fwd(v) - t0) / span)));
}

const tagBasin = (node, basin) => node.setAttribute("data-basin", String(basin));

/**
 * Draw a profile's geometry (profileGeometry): the one renderer of ProfileView and the
 * Gallery's thumbnails. Every basin's shape, filled with `fill(shape)` (a colour or a paint
 * server), goes into `layer`, then the stubs of the shapes too small to see, then the placed
 * critical-point markers into `markerLayer` (default `layer`). `basinOf(raw)` is the basin a
 * shape or marker stands for (ProfileView: the survivor at its threshold; default: the raw
 * id); `mark(node, basin)` tags each drawn node with it (ProfileView: its Highlighter; default:
 * data-basin). `rastered`: a bitmap paints the shapes (profileBitmap), so none is drawn as an
 * element (the caller picks them with pickShape; stubs and markers stay elements);
 * `focusSaddles`: saddles carry data-focus-saddle (a click on one focuses ProfileView below
 * it). Returns the shapes [{basin, px, bbox, shape}] in paint order (box and point hit tests).
 */
export function drawProfileShapes(layer, geo, { fill, basinOf = (b) => b, mark = tagBasin, rastered = false, focusSaddles = false, markerLayer = layer }) {
  const drawn = [];
  for (const shape of geo.shapes) {
    const basin = basinOf(shape.raw);
    if (!rastered) mark(svg("path", { class: "lw-basin lw-hit", d: shape.d, fill: fill(shape) }, layer), basin);
    drawn.push({ basin, px: shape.px, bbox: shape.bbox, shape });
  }
  for (const shape of geo.shapes) {
    if (!shape.stub) continue;
    const [x, y, sw, sh] = shape.stub;
    mark(svg("rect", { class: "lw-basin lw-hit lw-stub", x, y, width: sw, height: sh, fill: fill(shape) }, layer), basinOf(shape.raw));
  }
  for (const m of geo.markers) {
    m.basin = basinOf(m.raw);
    const node = svg("circle", { class: `lw-${m.kind} lw-hit${m.count > 1 ? " lw-merged" : ""}`, cx: m.x, cy: m.y, r: m.r,
      "data-count": m.count > 1 ? String(m.count) : null,
      "data-focus-saddle": focusSaddles && m.kind === "saddle" ? String(m.raw) : null }, markerLayer);
    mark(node, m.basin);
  }
  return drawn;
}

/** The basin whose shape is painted on top at (x, y): the last of `drawn` (drawProfileShapes'
 *  paint order, so the innermost of nested shapes) whose polygon holds the point, or null.
 *  Each shape's bounding box is tested first (a profile of 4,500 shapes, most of them small). */
export function pickShape(drawn, x, y) {
  for (let k = drawn.length - 1; k >= 0; k--) {
    const [x0, y0, x1, y1] = drawn[k].bbox;
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    if (insideFlat(x, y, drawn[k].px)) return drawn[k].basin;
  }
  return null;
}

/** Above this many shapes a profile is painted into a bitmap (one image to repaint instead of
 *  hundreds of nested gradient-filled shapes: brushing a 4,500-basin profile repainted them
 *  all, ~80 ms); hit testing picks the shapes in JS (pickShape), a selected one is outlined
 *  by an element on top. Below the ladder's coarse rung (128 basins, which a slider's first
 *  move to a rung not laid out yet draws: as 128 gradient-filled elements it cost that move
 *  ~10 ms of path data and painting), so that every rung of the ladder is painted. */
export const BITMAP_SHAPES = 100;

// the painted canvases of the last 12 geometries (geo -> {key, canvas}): a slider revisits
// thresholds, and the view prepares the ladder rungs it reaches next (profile_view.js
// PREFETCH_RUNGS); a canvas of a plot at 2x holds a few MB, so older ones are freed
const profileCanvases = new PaintMemo(12, (kept) => releaseCanvas(kept.canvas));

/**
 * The shapes of `geo` painted as the SVG paints them (in order, each filled, then its outline
 * at the CSS stroke of .lw-profile .lw-basin; coloured by depth, the outermost shapes filled,
 * then every outline: the same picture up to where a nested shape's edge lies on its parent's,
 * ~1 % of pixels), on a canvas of the plot's size at the screen's
 * pixel density, kept per geometry and colouring (the last few geometries); null without a
 * canvas (jsdom). `paint(shape)` is the fill: a colour, or the band stops [[offset, colour]]
 * from y0 to y1.
 */
export function profileBitmap(geo, colorBy, paint, y0, y1, w, h) {
  const key = `${colorBy}|${w}|${h}|${y0}|${y1}`;
  const kept = profileCanvases.get(geo);
  if (kept && kept.key === key) return kept.canvas;
  if (typeof document === "undefined") return null;
  const g = bitmapContext(w, h, paintScale());
  if (!g || typeof g.createLinearGradient !== "function") return null;
  g.lineJoin = "round";
  g.lineWidth = 0.8;
  g.strokeStyle = "rgba(15,25,45,.5)";
  let bands = null;
  const trace = (px) => {
    g.beginPath();
    g.moveTo(px[0], px[1]);
    for (let i = 2; i < px.length; i += 2) g.lineTo(px[i], px[i + 1]);
    g.closePath();
  };
  // coloured by depth, every shape has the same fill (the band colour of each height), and
  // nested shapes lie inside their parents': the outermost shapes' fill is the whole fill, so
  // only they are filled (the painting was ~10 fills of each pixel), then every outline in order
  const fills = geo.shapes.map(paint);
  const shared = fills.length > 0 && Array.isArray(fills[0]) && fills.every((f) => f === fills[0]);
  geo.shapes.forEach((shape, k) => {
    const fill = fills[k];
    if (Array.isArray(fill)) {
      if (!bands) {
        bands = g.createLinearGradient(0, y0, 0, y1);
        for (const [o, c] of fill) bands.addColorStop(Math.min(1, Math.max(0, o)), c);
      }
      g.fillStyle = bands;
    } else g.fillStyle = fill;
    if (shared && !(geo.outer && geo.outer.has(shape.raw))) return;
    // straight from the shape's pixels (no path data to format and parse again)
    trace(shape.px);
    g.fill();
    if (!shared) g.stroke();
  });
  if (shared) {
    for (const shape of geo.shapes) {
      trace(shape.px);
      g.stroke();
    }
  }
  const canvas = paintedCanvas(g);
  profileCanvases.set(geo, { key, canvas });
  return canvas;
}

