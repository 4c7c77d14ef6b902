// ContourView: filled contour bands (computed in Python with contourpy; for a noisy slice, the
// values' raster coloured by band: lib/band_raster.js), selected basins outlined, critical points
// on top (capped: the most persistent), a colour bar; slice controls for n-D.
import { mountView, modelMarker } from "./lib/view.js";
import { svg, svgFresh, html, setOptions } from "./lib/dom.js";
import { axis, ringsPath } from "./lib/svg.js";
import { linear, fmt } from "./lib/scales.js";
import { SELECTED, viridis } from "./lib/colors.js";
import { decodeAll } from "./lib/wire.js";
import { lossAxisScale, lossScaleOf, scaleToggle } from "./lib/loss_scale.js";
import { bandRaster, pixelsToDataUrl, criticalPointsShown, persistenceOrder } from "./lib/band_raster.js";
import { OUTLINE_SVG_SEGMENTS, outlineCells, showPaintedOutline } from "./lib/outline_paint.js";
import { OutlineMemo, cellAt, cellDomain, labelIndex, outlineEdges, outlinePath, pixelVertex, sameBytes, selectedLabelsAt } from "./lib/contour_grid.js";

export { cellAt, cellDomain, outlineEdges, outlinePath, pixelVertex };

// at most this many critical-point markers (a noisy slice has thousands), and about one per
// 24 x 24 px of plot so that they do not bury the map: those of the pairs shown at the
// threshold, the most persistent first; box selection still sees every minimum
export const CRIT_BUDGET = 1500;
// the decoded slice and its band images per scale, kept while the slice is the same object (a
// threshold move or a selection redraws the view but changes neither)
const decodedSlices = new WeakMap();
function decodedSlice(raw) {
  let entry = decodedSlices.get(raw);
  if (!entry) decodedSlices.set(raw, (entry = { s: decodeAll(raw), images: new Map() }));
  return entry;
}

// outlines of the selection kept per view (see onSelection)
const OUTLINES_KEPT = 4;

export const critBudget = (w, h) => Math.min(CRIT_BUDGET, Math.max(50, Math.floor((w * h) / 576)));

const MARGIN = { left: 46, right: 72, top: 8, bottom: 34 };

/** The checkpoints of ContourView(trajectory=...) on the slice axes: [{i, x, y}] in data units. */
export function trajectoryPoints(tr, axes) {
  const dims = tr.coords.shape[1];
  const out = [];
  for (let i = 0; i < tr.coords.shape[0]; i++) {
    out.push({ i, x: tr.coords[i * dims + axes[0]], y: tr.coords[i * dims + axes[1]] });
  }
  return out;
}

/** One line of text about checkpoint i: label, epoch, loss, distance off the subspace. */
export function checkpointText(tr, i) {
  const epoch = `epoch ${fmt(tr.epochs[i])}`;
  const parts = tr.labels[i] === epoch ? [epoch] : [tr.labels[i], epoch];
  if (Number.isFinite(tr.losses[i])) parts.push(`loss ${fmt(tr.losses[i])}`);
  if (Number.isFinite(tr.residuals[i])) parts.push(`off the subspace by ${fmt(tr.residuals[i])}`);
  return parts.join(" · ");
}

// The training path: a haloed polyline with one marker per checkpoint (the last, usually the
// centre, larger). A click on a marker writes its text under the plot (textContent only) and
// marks it; the click still reaches the view, which selects the basin under it.
function drawTrajectory(ctx, parent, s, sx, sy) {
  let info = ctx.root.querySelector(":scope > .lw-trajectory-info");
  if (!ctx.data.trajectory) {
    if (info) info.remove();
    return;
  }
  const tr = decodeAll(ctx.data.trajectory);
  const pts = trajectoryPoints(tr, s.axes);
  if (!info) info = html("div", { class: "lw-trajectory-info", role: "status", "aria-live": "polite" }, ctx.root);
  const g = svg("g", { class: "lw-trajectory" }, parent);
  const d = pts.map((p, k) => `${k ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join("");
  svg("path", { d, fill: "none", stroke: "rgba(0,0,0,.75)", "stroke-width": 4, "stroke-linejoin": "round" }, g);
  svg("path", { d, fill: "none", stroke: "#fff", "stroke-width": 1.8, "stroke-linejoin": "round", class: "lw-trajectory-line" }, g);
  // (the markers of this drawing: during a redraw they join the page only when it ends)
  const markers = [];
  const show = (i) => {
    info.textContent = checkpointText(tr, i);
    info.setAttribute("data-index", i);
    for (const m of markers) {
      const on = Number(m.getAttribute("data-index")) === i;
      m.setAttribute("aria-selected", String(on));
      m.setAttribute("fill", on ? "#ffd400" : "#fff");
    }
  };
  for (const p of pts) {
    const last = p.i === pts.length - 1;
    // fresh: it gets a listener and show() changes it
    const m = svgFresh("circle", { class: "lw-checkpoint", cx: sx(p.x), cy: sy(p.y), r: last ? 5 : 3.5, fill: "#fff", stroke: "#111", "stroke-width": 1.2, "data-index": p.i, "data-epoch": tr.epochs[p.i] }, g);
    markers.push(m);
    svg("title", {}, m).textContent = tr.labels[p.i];
    m.addEventListener("click", () => show(p.i));
  }
  const shown = info.getAttribute("data-index");
  if (shown !== null && Number(shown) < pts.length) show(Number(shown));
  else info.textContent = `training path: ${pts.length} checkpoints (click one for its epoch and loss)`;
}

/** What the bands colour: the loss on the views' scale, or (ContourView(field=...)) a field of
 *  the landscape on a linear scale of its own: {set, scale, name}. */
export function colouring(s, loss) {
  if (!s.field) return { set: s.levels[loss.kind === "linear" ? "linear" : "log"], scale: loss, name: "loss" };
  const set = s.levels.linear;
  return { set, scale: lossScaleOf("linear", set.edges[0], set.edges[set.edges.length - 1]), name: s.field };
}

function setupControls(ctx) {
  const { model, controls } = ctx;
  const names = model.get("axis_names");
  const shape = ctx.topo.shape;
  const isStatic = !!globalThis.__LW_STATIC__;
  controls.replaceChildren();
  // both level sets travel with the data, so this works in a static export too (an Explorer
  // hides it: its header toggle sets every view's scale)
  if (!ctx.root.closest(".lw-explorer")) {
    const update = scaleToggle(controls, (scale) => { model.set("scale", scale); model.save_changes(); }, "colour scale");
    update(model.get("scale") || "linear", ctx.loss.kind);
  }
  if (shape.length < 3) return;
  const axes = model.get("slice_axes");
  const index = model.get("slice_index");
  for (let k = 0; k < 2; k++) {
    const lab = html("label", { text: k ? "y" : "x" }, controls);
    const s = html("select", { "data-axis": k }, lab);
    setOptions(s, names.map((n, d) => [d, n]), axes[k]);
    s.disabled = isStatic;
    s.addEventListener("change", () => {
      const next = [...model.get("slice_axes")];
      next[k] = Number(s.value);
      if (next[0] !== next[1]) { model.set("slice_axes", next); model.save_changes(); }
    });
  }
  shape.forEach((n, d) => {
    if (axes.includes(d)) return;
    const lab = html("label", { text: names[d] }, controls);
    const r = html("input", { type: "range", min: 0, max: n - 1, step: 1, value: index[d], "data-dim": d }, lab);
    r.disabled = isStatic;
    r.addEventListener("change", () => {
      const next = [...model.get("slice_index")];
      next[d] = Number(r.value);
      model.set("slice_index", next);
      model.save_changes();
    });
  });
  if (isStatic) html("span", { class: "lw-static-note", text: "(slice fixed in this export)" }, controls);
}

/** Does the plane through grid index `index` spanned by `axes` hold flat vertex `v`? (Along
 *  every other axis its index must be the plane's.) */
export function sliceHoldsVertex(shape, axes, index, v) {
  if (!index || shape.length <= 2) return true;
  for (let d = shape.length - 1; d >= 0; d--) {
    const i = v % shape[d];
    v = Math.floor(v / shape[d]);
    if (!axes.includes(d) && index[d] !== i) return false;
  }
  return true;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, model } = ctx;
  setupControls(ctx);
  const cached = decodedSlice(ctx.data.slice);
  const s = cached.s;
  const nx = s.x.length;
  const ny = s.y.length;
  const sx = linear(cellDomain(s.x), [0, w]);
  const sy = linear(cellDomain(s.y), [h, 0]);
  const colour = colouring(s, ctx.loss);
  const set = colour.set;
  const nb = set.edges.length - 1;
  const clip = `lw-clip-${ctx.uid}`;
  svg("rect", { width: w, height: h }, svg("clipPath", { id: clip }, svg("defs", {}, plot)));
  const area = svg("g", { "clip-path": `url(#${clip})` }, plot);
  const bandG = svg("g", {}, area);
  const bandColour = (k) => viridis(k / Math.max(1, nb - 1));
  if (set.raster) {
    // level of detail: no polygons came (too many points); colour z's pixels by band instead
    let url = cached.images.get(set);
    if (url === undefined) {
      url = pixelsToDataUrl(bandRaster(s.z, nx, ny, set.edges, bandColour), nx, ny);
      cached.images.set(set, url);
    }
    const [ix0, ix1] = cellDomain(s.x);
    const [iy0, iy1] = cellDomain(s.y);
    if (url) {
      svg("image", { class: "lw-band-raster", href: url, x: sx(ix0), y: sy(iy1), width: sx(ix1) - sx(ix0), height: sy(iy0) - sy(iy1), preserveAspectRatio: "none", style: "image-rendering:pixelated", "data-pixels": `${nx}x${ny}` }, bandG);
    }
  }
  // the bands' and lines' path data at this size, kept per level set (a threshold move or a
  // selection redraws the view but changes neither)
  const pathKey = `${w}|${h}`;
  let paths = cached.paths && cached.paths.get(set);
  if (!paths || paths.key !== pathKey) {
    const bandOf = set.bands.level;
    const bands = [];
    let first = 0;
    for (let k = 0; k < nb; k++) {
      let last = first;
      while (last < bandOf.length && bandOf[last] === k) last++;
      if (last > first) bands.push([k, ringsPath(set.bands.points, set.bands.offsets, sx, sy, first, last)]);
      first = last;
    }
    const lines = ringsPath(set.lines.points, set.lines.offsets, sx, sy, 0, set.lines.offsets.length - 1, false);
    if (!cached.paths) cached.paths = new Map();
    cached.paths.set(set, (paths = { key: pathKey, bands, lines }));
  }
  for (const [k, d] of paths.bands) {
    svg("path", { d, fill: bandColour(k), "fill-rule": "evenodd", class: "lw-band", "data-level": k }, bandG);
  }
  svg("path", { d: paths.lines, fill: "none", stroke: "rgba(255,255,255,.55)", "stroke-width": 0.7 }, area);
  // selected basins: their boundary on top of the map (the colours and the colour bar stay true)
  // (kept from one drawing to the next: onSelection rewrites their path when the outline
  // changes, known by its key: the selection, the threshold and the drawn size)
  const halo = svg("path", { class: "lw-outline-halo" }, area);
  const outline = svg("path", { class: "lw-outline" }, area);
  const [cx0, cx1] = cellDomain(s.x);
  const [cy0, cy1] = cellDomain(s.y);
  const gx = (i) => sx(cx0 + (i / nx) * (cx1 - cx0));
  const gy = (j) => sy(cy0 + (j / ny) * (cy1 - cy0));
  const repOf = (lab) => topo.rep(lab, t);
  // critical points at their vertices' coordinates on the slice axes (older payloads carried
  // crit_x / crit_y) and ranked by persistence: once per slice
  if (!cached.crit || cached.topo !== topo) {
    const n = s.crit_vertex.length;
    const xy = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      if (s.crit_x) [xy[2 * k], xy[2 * k + 1]] = [s.crit_x[k], s.crit_y[k]];
      else {
        const at = topo.coords(s.crit_vertex[k]);
        [xy[2 * k], xy[2 * k + 1]] = [at[s.axes[0]], at[s.axes[1]]];
      }
    }
    const persistenceOf = (k) => {
      const i = topo.index.get(s.crit_basin[k]);
      return i === undefined ? Infinity : topo.persistence[i];
    };
    cached.crit = { xy, ranked: persistenceOrder(n, persistenceOf) };
    cached.topo = topo;
  }
  // their pixels at this size, kept with them
  if (!cached.crit.px || cached.crit.px.key !== `${w}|${h}`) {
    const list = [];
    for (let k = 0; k < s.crit_vertex.length; k++) {
      list.push({ k, x: sx(cached.crit.xy[2 * k]), y: sy(cached.crit.xy[2 * k + 1]), isMin: s.crit_kind[k] === 0 });
    }
    cached.crit.px = { key: `${w}|${h}`, list };
  }
  const crit = cached.crit.px.list;
  const shown = criticalPointsShown(cached.crit.ranked, t, critBudget(w, h));
  const critG = svg("g", { class: "lw-critical", "data-shown": shown.length, "data-total": crit.length }, plot);
  for (const k of shown) {
    const isMin = crit[k].isMin;
    const c = svg("circle", { class: `${isMin ? "lw-min" : "lw-saddle"} lw-hit`, cx: crit[k].x, cy: crit[k].y, r: isMin ? 4.5 : 3.5, "data-vertex": s.crit_vertex[k] }, critG);
    hl.add(c, repOf(s.crit_basin[k]));
  }
  // the trained model (grid centre); on an n-D slice that does not pass through it, its
  // projection is drawn hollow and says so (a filled mark would claim it lies on this plane)
  const tm = topo.trainedModel(t);
  if (tm) {
    const at = topo.coords(tm.vertex);
    const mark = modelMarker(plot, sx(at[s.axes[0]]), sy(at[s.axes[1]]), tm, topo);
    if (!sliceHoldsVertex(topo.shape, s.axes, model.get("slice_index"), tm.vertex)) {
      mark.classList.add("lw-model-off");
      mark.setAttribute("aria-label", "trained model, projected: it lies off this slice");
      mark.lwInfo.title = "Trained model (grid centre), projected: this slice does not pass through it";
    }
  }
  // on top of the critical points (the last checkpoint often sits on a minimum), clipped
  drawTrajectory(ctx, svg("g", { "clip-path": `url(#${clip})` }, plot), s, sx, sy);
  const names = model.get("axis_names");
  axis(svg("g", { transform: `translate(0,${h})` }, plot), sx, "bottom", { label: names[s.axes[0]], format: fmt });
  axis(plot, sy, "left", { label: names[s.axes[1]], format: fmt });
  // colour bar: equal bands (evenly spaced on the loss scale), round ticks on that scale
  const bar = svg("g", { transform: `translate(${w + 12},0)`, class: "lw-colorbar", "data-scale": colour.scale.kind, "data-field": s.field || "" }, plot);
  const bh = h / nb;
  for (let k = 0; k < nb; k++) svg("rect", { x: 0, y: h - (k + 1) * bh, width: 12, height: bh + 0.5, fill: viridis(k / Math.max(1, nb - 1)) }, bar);
  const sc = lossAxisScale(colour.scale, [set.edges[0], set.edges[nb]], [h, 0], 0);
  for (const v of sc.ticks(6)) {
    svg("line", { x1: 12, x2: 15, y1: sc(v), y2: sc(v), stroke: "#888" }, bar);
    svg("text", { x: 17, y: sc(v) + 3, class: "lw-tick" }, bar).textContent = sc.format(v);
  }
  svg("text", { x: 0, y: 0, class: "lw-label", "text-anchor": "middle",
    transform: `translate(${MARGIN.right - 16},${h / 2}) rotate(-90)` }, bar).textContent = sc.label(colour.name);
  const vertexOf = (ix, iy) => pixelVertex(s, ix, iy);
  // a long outline in cells (lib/outline_paint.js), kept with the outline: its canvas and the
  // padded box it covers in px (grid rows go up: the box's last row is drawn at the top)
  const paintedOutline = (known) => {
    if (known.canvas === undefined) {
      const { x0, y0, w: bw, h: bh } = known.cells;
      const [X0, X1, Y0, Y1] = [gx(x0 - 1), gx(x0 + bw + 1), gy(y0 - 1), gy(y0 + bh + 1)];
      known.canvas = outlineCells(known.cells, SELECTED, Y1 < Y0);
      known.rect = { x: Math.min(X0, X1), y: Math.min(Y0, Y1), width: Math.abs(X1 - X0), height: Math.abs(Y1 - Y0) };
    }
    return known.canvas;
  };
  return {
    onSelection(selected) {
      // the outline depends on which of the slice's basin labels are selected at this
      // threshold, not on the threshold itself: a slider move that does not merge a label
      // into or out of the selection keeps the path (one pass over the labels, not the grid)
      const on = selectedLabelsAt(topo, t, labelIndex(s.basins).distinct, selected);
      const key = `${w}|${h}`;
      const last = outline.__lwOutline;
      if (last && last.key === key && last.slice === s && sameBytes(last.on, on)) {
        showPaintedOutline(area, outline, last.canvas || null, last.rect, last.segments); // (a redraw removes it)
        return;
      }
      // the last few outlines drawn, by what they depend on: a slider dragged back to a
      // threshold of a moment ago finds its path (a noisy map's selection: ~20,000 segments)
      const memo = outline.__lwMemo || (outline.__lwMemo = new OutlineMemo(OUTLINES_KEPT));
      const known = memo.outline(key, s, on, () => outlinePath(s.basins, nx, ny, repOf, selected, gx, gy, on));
      outline.__lwOutline = known;
      const { segments, edges } = known;
      // a long outline is painted (its canvas kept with it), a short one stays a path: only
      // then is its path text made (known.d, made when first read)
      const painted = segments > OUTLINE_SVG_SEGMENTS ? paintedOutline(known) : null;
      const d = painted ? "" : known.d;
      halo.setAttribute("d", d);
      outline.setAttribute("d", d);
      outline.setAttribute("data-edges", String(edges));
      outline.setAttribute("data-segments", String(segments));
      showPaintedOutline(area, outline, painted, painted && known.rect, segments);
    },
    pick(ev, x, y) {
      const node = ev.target.closest ? ev.target.closest("[data-vertex]") : null;
      let v;
      let loss;
      let basin;
      if (node) {
        v = Number(node.getAttribute("data-vertex"));
        basin = Number(node.getAttribute("data-basin"));
      } else {
        const cell = cellAt(s, sx, sy, x, y);
        if (!cell) return null;
        v = vertexOf(cell[0], cell[1]);
        loss = s.z[cell[1] * nx + cell[0]];
        basin = repOf(s.basins[cell[1] * nx + cell[0]]);
      }
      const info = { ...(topo.basinInfo(basin, t) || { basin }), coords: topo.coords(v) };
      if (loss !== undefined && s.field) info.field = [s.field, loss];
      else if (loss !== undefined) info.loss = loss;
      info.title = node ? (node.classList.contains("lw-min") ? "minimum" : "saddle") : "point";
      return { basin, point: v, info };
    },
    box(x0, y0, x1, y1) {
      const mins = crit.filter((c) => c.isMin && c.x >= x0 && c.x <= x1 && c.y >= y0 && c.y <= y1);
      if (mins.length) return [...new Set(mins.map((c) => repOf(s.crit_basin[c.k])))];
      const a = cellAt(s, sx, sy, Math.max(0, x0), Math.min(h - 1e-6, y1)) || [0, 0];
      const b = cellAt(s, sx, sy, Math.min(w - 1e-6, x1), Math.max(0, y0)) || [nx - 1, ny - 1];
      const out = new Set();
      for (let iy = a[1]; iy <= b[1]; iy++) for (let ix = a[0]; ix <= b[0]; ix++) out.add(repOf(s.basins[iy * nx + ix]));
      return [...out];
    },
  };
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "contour", title: "Contours", draw, margin: MARGIN, controls: true });
}

export default { render };
