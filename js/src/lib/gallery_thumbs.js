// The Gallery's small multiples: each selected entry's landscape profile as a thumbnail
// (ProfileView's geometry and renderer at thumbnail size, without controls), optionally on one
// shared loss axis and colour range, laid out in the heat map's reading order.
import { svg, html } from "./dom.js";
import { lossAxis, lossTransform } from "./loss_scale.js";
import { Topology } from "./topology.js";
import { depthColor, drawProfileShapes, profileGeometry } from "./profile_shapes.js";
import { uniqueSorted, shortLabel } from "./entries.js";

export const THUMB = { width: 168, height: 112 };

/** A thumbnail's margins around its plot: the loss axis's tick labels at the left. */
export const THUMB_MARGIN = { left: 38, right: 6, top: 7, bottom: 7 };

/** Radii of a thumbnail's markers relative to ProfileView's. */
export const THUMB_MARKERS = 0.6;

const thumbTopologies = new WeakMap(); // an entry's thumbnail payload -> its decoded Topology

/** The Topology of an entry's thumbnail payload (Python's thumbnail_topology), decoded the
 *  first time the entry is drawn and kept while the payload is. */
export function thumbTopology(raw) {
  let topo = thumbTopologies.get(raw);
  if (!topo) thumbTopologies.set(raw, (topo = new Topology(raw)));
  return topo;
}

/** The landscape profile a thumbnail draws: ProfileView's, at threshold 0 of the entry's
 *  (already simplified) topology, on the linear bands. */
export const thumbProfile = (topo) => topo.profile(0, "linear");

/** Loss range [min, max] and basin mean-loss range of some thumbnails' profiles: the shared
 *  loss axis and colour range of the small multiples. */
export function thumbRanges(profiles) {
  const y = [Math.min(...profiles.map((p) => p.y_min)), Math.max(...profiles.map((p) => p.y_max))];
  const means = profiles.flatMap((p) => [...p.basin_mean_loss]).filter(Number.isFinite);
  return { y, colors: means.length ? [Math.min(...means), Math.max(...means)] : y };
}

/**
 * One small-multiple landscape profile of `topo`: ProfileView's geometry (profileGeometry) and
 * renderer (drawProfileShapes) at thumbnail size, without controls; basins coloured by their
 * mean loss over the colour range `colors`, on the loss range `y` (both default to this
 * profile's own: pass the thumbRanges of all thumbnails for a shared axis and colours).
 */
export function drawThumb(parent, topo, { y = null, colors = null, width = THUMB.width, height = THUMB.height } = {}) {
  const profile = thumbProfile(topo);
  const own = thumbRanges([profile]);
  const range = y || own.y;
  const [cLo, cHi] = colors || own.colors;
  const m = THUMB_MARGIN;
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const loss = lossTransform("linear", range[0], range[1]);
  const geo = profileGeometry(topo, profile, null, loss, w, h, { y: range, markerScale: THUMB_MARKERS });
  const s = svg("svg", { width, height, class: "lw-thumb-profile" }, parent);
  const plot = svg("g", { transform: `translate(${m.left},${m.top})` }, s);
  drawProfileShapes(plot, geo, { fill: (shape) => depthColor(loss, cLo, cHi, shape.mean) });
  lossAxis(plot, geo.sy, "left", { count: 3, name: "" });
  return s;
}

/** The thumbnails of the selected entries in `profiles` (at most the model's max_profiles),
 *  in the heat map's reading order: top row first (rows are drawn bottom-up), left to right;
 *  `count` shows how many are selected. */
export function drawThumbGrid(profiles, count, model, sel, table) {
  const selected = (sel.get("entries") || []).filter((id) => table.index.has(id));
  // in the heat map's reading order: top row first (rows are drawn bottom-up), left to right
  const rowKey = model.get("rows");
  const colKey = model.get("cols") || "";
  const ranker = (key) => {
    if (!key) return () => 0;
    const col = table.column(key) || [];
    const pos = new Map(uniqueSorted(col).map((v, k) => [v, k])); // the heat map's own order
    return (i) => pos.get(col[i]);
  };
  const rowRank = ranker(rowKey);
  const colRank = ranker(colKey);
  const order = selected.map((id) => table.index.get(id))
    .sort((a, b) => rowRank(b) - rowRank(a) || colRank(a) - colRank(b) || a - b);
  const max = model.get("max_profiles") || 24;
  const shown = order.slice(0, max);
  count.textContent = `${selected.length} selected`;
  profiles.replaceChildren();
  if (!shown.length) {
    html("div", { class: "lw-note", text: "Click a heat-map cell or brush the scatter to see the landscape profiles of those entries." }, profiles);
    return;
  }
  const payloads = (model.get("_data") || {}).profiles || [];
  const topos = shown.map((i) => thumbTopology(payloads[i]));
  // one loss axis and one colour range for all (shared_axis), else each its own
  const shared = model.get("shared_axis") ? thumbRanges(topos.map(thumbProfile)) : { y: null, colors: null };
  const omit = [model.get("rows"), model.get("cols")].filter(Boolean);
  const active = sel.get("active");
  shown.forEach((i, k) => {
    const id = table.ids[i];
    const box = html("div", { class: "lw-thumb", "data-entry": id, title: table.labels[i] }, profiles);
    if (id === active) box.setAttribute("aria-current", "true");
    const sameCell = shown.every((j) => omit.every((key) => table.keys[key][j] === table.keys[key][i]));
    html("div", { class: "lw-thumb-title", text: shortLabel(table, i, sameCell ? omit : []) }, box);
    drawThumb(box, topos[k], shared);
  });
  if (order.length > shown.length) {
    html("div", { class: "lw-note", text: `+ ${order.length - shown.length} more (max_profiles=${max})` }, profiles);
  }
}
