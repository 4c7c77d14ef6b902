// Gallery: a heat map of one metric over two keys (reduced over the others, e.g. seeds), the
// linked metric scatter, small-multiple landscape profiles of the selected entries, and an
// Explorer area for the active entry; all in ONE widget output, linked through the shared
// EntrySelection {entries, active}.
import scatterView from "./metric_scatter_view.js";
import explorerView from "./explorer.js";
import { svg, html, text, bold, showTooltip, hideTooltip, setOptions } from "./lib/dom.js";
import { fmt } from "./lib/scales.js";
import { viridis } from "./lib/colors.js";
import { mountFrame, attachBrush, legendRow } from "./lib/view.js";
import { lossAxis, lossTransform } from "./lib/loss_scale.js";
import { Topology } from "./lib/topology.js";
import { depthColor, drawProfileShapes, profileGeometry } from "./lib/profile_shapes.js";
import { mountMdsMap } from "./lib/mds_map.js";
import {
  readableName, uniqueSorted,
  entryTable, heatCells, shortLabel, nextEntries, writeEntries, EntryHighlighter, REDUCTIONS,
} from "./lib/entries.js";

export const HEAT_MARGIN = { left: 70, right: 10, top: 8, bottom: 44 };
export const THUMB = { width: 168, height: 112 };

async function childModel(model, host, ref) {
  const id = String(ref).replace(/^IPY_MODEL_/, "");
  if (host && typeof host.getModel === "function") return host.getModel(`anywidget:${id}`);
  return model.widget_manager.get_model(id);
}

export { readableName };

/** Text colour readable on a viridis cell of normalised value t. */
const ink = (t) => (t > 0.55 ? "#111" : "#fff");

/** Finite [min, max] of the cells' values ([NaN, NaN] when none is finite). */
export function valueRange(grid) {
  const finite = grid.cells.flat().map((c) => c.value).filter(Number.isFinite);
  return finite.length ? [Math.min(...finite), Math.max(...finite)] : [NaN, NaN];
}

/**
 * One number format for a set of values (every cell of a heat map reads alike): fixed decimals
 * giving 3 significant digits at the largest magnitude, or 3-digit exponents for all when the
 * values reach 1e5 or go below 1e-3 (zero aside).
 */
export function commonFormat(values) {
  const mags = values.filter(Number.isFinite).map(Math.abs);
  if (!mags.length) return fmt;
  const hi = Math.max(...mags);
  const nonzero = mags.filter((v) => v > 0);
  const lo = nonzero.length ? Math.min(...nonzero) : hi;
  if (hi >= 1e5 || (lo > 0 && lo < 1e-3)) return (v) => (Number.isFinite(v) ? v.toExponential(2) : fmt(v));
  const decimals = hi > 0 ? Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(hi)))) : 0;
  const allInts = values.filter(Number.isFinite).every(Number.isInteger);
  return (v) => (Number.isFinite(v) ? v.toFixed(allInts ? 0 : decimals) : fmt(v));
}

/** Draw the heat map into `plot` (w x h); returns the drawn cells [{r, c, ids, x, y, w, h}]. */
export function drawHeatmap(plot, w, h, grid, { rows, cols, hl, format = fmt }) {
  const { rowValues, colValues, cells } = grid;
  const nr = rowValues.length;
  const nc = colValues.length;
  const cw = w / Math.max(nc, 1);
  const ch = h / Math.max(nr, 1);
  const [lo, hi] = valueRange(grid);
  const span = hi - lo;
  const drawn = [];
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const cell = cells[r][c];
      // first row at the bottom, like a y axis
      const x = c * cw;
      const y = (nr - 1 - r) * ch;
      const t = span > 0 ? (cell.value - lo) / span : 0.5;
      const ok = Number.isFinite(cell.value);
      const node = svg("rect", {
        class: `lw-heat-cell lw-hit${cell.ids.length && ok ? "" : " lw-empty"}`,
        x: x.toFixed(1), y: y.toFixed(1), width: Math.max(cw - 1, 1).toFixed(1), height: Math.max(ch - 1, 1).toFixed(1),
        fill: ok ? viridis(t) : null, "data-row": r, "data-col": c,
        "data-value": ok ? String(cell.value) : "NaN",
      }, plot);
      hl.add(node, cell.ids);
      if (cw >= 28 && ch >= 14) {
        svg("text", { class: "lw-heat-value", x: (x + cw / 2).toFixed(1), y: (y + ch / 2 + 3).toFixed(1),
          "text-anchor": "middle", fill: ok ? ink(t) : "#999" }, plot).textContent = cell.ids.length ? format(cell.value) : "";
      }
      drawn.push({ r, c, ids: cell.ids, x, y, w: cw, h: ch, value: cell.value });
    }
  }
  const g = svg("g", { class: "lw-axis" }, plot);
  for (let r = 0; r < nr; r++) {
    svg("text", { x: -6, y: ((nr - 1 - r) * ch + ch / 2 + 3).toFixed(1), "text-anchor": "end" }, g).textContent = String(rowValues[r]);
  }
  for (let c = 0; c < nc; c++) {
    svg("text", { x: (c * cw + cw / 2).toFixed(1), y: h + 14, "text-anchor": "middle" }, g).textContent = cols ? String(colValues[c]) : "";
  }
  svg("text", { class: "lw-label", x: w / 2, y: h + 32, "text-anchor": "middle" }, g).textContent = cols || "";
  svg("text", { class: "lw-label", "text-anchor": "middle", transform: `translate(-56,${h / 2}) rotate(-90)` }, g).textContent = rows;
  return drawn;
}

/** Tooltip lines of a heat-map cell: its key values (bold), the reduced metric, the count. */
export function cellTooltip(table, cell, rows, cols, how, metric) {
  const first = cell.ids.length ? table.index.get(cell.ids[0]) : null;
  const head = first == null ? "no entry" : [rows, cols].filter(Boolean).map((k) => `${k}=${table.keys[k][first]}`).join(", ");
  return [[bold(head)], `${how} ${metric} ${fmt(cell.value)}`, `${cell.ids.length} entries`];
}

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

// The MDS map of the entries (Gallery(distance=...)), beside the heat map and the scatter;
// a no-op when the data has none. Coloured by the columns key (else the rows key), as the
// scatter is by default.
function mountMap(parent, model, sel, tip, root, cleanups) {
  const none = { draw() {}, refresh() {} };
  if (!(model.get("_data") || {}).map) return none;
  const state = () => {
    const data = model.get("_data") || {};
    return { table: entryTable(data), map: data.map || { ids: [], coords: [] }, color: model.get("cols") || model.get("rows"), size: model.get("height") };
  };
  const view = mountMdsMap(parent, sel, state, tip, root);
  model.on("change:height", view.draw); // the map is a height x height square
  cleanups.push(() => {
    model.off("change:height", view.draw);
    view.remove();
  });
  return view;
}

async function render({ model, el, host }) {
  const frame = await mountFrame({ model, el, host }, { name: "gallery" });
  const { sel, root, tip, bag } = frame;
  frame.head.remove(); // the heat map, scatter and map have their own titles
  const bar = html("div", { class: "lw-controls" }, root);
  const metricLabel = html("label", { text: "metric" }, bar);
  const metricMenu = html("select", { class: "lw-metric" }, metricLabel);
  const reduceLabel = html("label", { text: "over the other keys:" }, bar);
  const reduceMenu = html("select", { class: "lw-reduce" }, reduceLabel);
  setOptions(reduceMenu, REDUCTIONS, model.get("reduce"));
  const axisLabel = html("label", { text: "profiles share the loss axis" }, bar);
  const sharedBox = html("input", { type: "checkbox", class: "lw-shared-axis" }, axisLabel);
  const count = html("span", { class: "lw-selected-count" }, bar);
  // a collection being filled (Gallery.add as entries finish): "12 of 40 entries"
  const progress = html("span", { class: "lw-progress", role: "status" }, bar);
  const clear = html("button", { class: "lw-clear", text: "clear selection" }, bar);
  bag.on(metricMenu, "change", () => {
    model.set("metric", metricMenu.value);
    model.save_changes();
  });
  bag.on(reduceMenu, "change", () => {
    model.set("reduce", reduceMenu.value);
    model.save_changes();
  });
  bag.on(sharedBox, "change", () => {
    model.set("shared_axis", sharedBox.checked);
    model.save_changes();
  });
  bag.on(clear, "click", () => writeEntries(sel, []));

  const top = html("div", { class: "lw-gallery-top" }, root);
  const heat = html("div", { class: "lw-heatmap", "data-view": "heatmap" }, top);
  html("div", { class: "lw-title", text: "Heat map" }, heat);
  const heatSvg = svg("svg", {}, heat);
  const caption = html("div", { class: "lw-caption" }, heat);
  const scatterCell = html("div", { class: "lw-gallery-scatter" }, top);
  const cleanups = { push: (f) => bag.add(f) }; // child views' cleanups
  const scatterRef = model.get("scatter");
  if (scatterRef) cleanups.push(await scatterView.render({ model: await childModel(model, host, scatterRef), el: scatterCell, host }));
  const map = mountMap(top, model, sel, tip, root, cleanups);

  html("div", { class: "lw-title", text: "Landscape profiles of the selected entries (click one to explore it)" }, root);
  legendRow(root, ["minimum", "saddle", "selected"]); // the thumbnails' marks; selected = the open entry
  const profiles = html("div", { class: "lw-profiles" }, root);
  const area = html("div", { class: "lw-explorer-area" }, root);
  const areaTitle = html("div", { class: "lw-title lw-explorer-title" }, area);
  const areaBody = html("div", { class: "lw-explorer-body" }, area);

  const hl = new EntryHighlighter();
  let table = entryTable(model.get("_data"));
  let cells = [];

  const refreshHeat = () => {
    hl.apply(new Set(sel.get("entries") || []), sel.get("active"));
  };

  const drawProgress = (data) => {
    const done = (data.ids || []).length;
    const expected = model.get("expected") || 0;
    progress.replaceChildren();
    if (!expected) return;
    progress.setAttribute("data-done", done);
    progress.setAttribute("data-expected", expected);
    html("progress", { max: expected, value: Math.min(done, expected), "aria-hidden": "true" }, progress);
    text(progress, ` ${done} of ${expected} entries`);
  };

  const drawHeat = frame.timed(() => {
    const data = model.get("_data") || {};
    drawProgress(data);
    table = entryTable(data);
    const metric = model.get("metric");
    const how = model.get("reduce");
    const rows = model.get("rows");
    const cols = model.get("cols") || "";
    // readable names in the menu ("train_loss" shows as "train loss"); values stay the keys
    setOptions(metricMenu, table.metricNames.map((n) => [n, readableName(n)]), metric);
    reduceMenu.value = how;
    sharedBox.checked = !!model.get("shared_axis");
    const width = model.get("width");
    const height = model.get("height");
    heatSvg.setAttribute("width", width);
    heatSvg.setAttribute("height", height);
    heatSvg.replaceChildren();
    hl.clear();
    const w = width - HEAT_MARGIN.left - HEAT_MARGIN.right;
    const h = height - HEAT_MARGIN.top - HEAT_MARGIN.bottom;
    const plot = svg("g", { transform: `translate(${HEAT_MARGIN.left},${HEAT_MARGIN.top})` }, heatSvg);
    const grid = heatCells(table, rows, cols, metric, how);
    const format = commonFormat(grid.cells.flat().map((c) => c.value));
    cells = drawHeatmap(plot, w, h, grid, { rows, cols, hl, format });
    const others = table.keyNames.filter((k) => k !== rows && k !== cols);
    const [lo, hi] = valueRange(grid);
    const name = readableName(metric);
    const what = others.length ? `${how} of ${name} over ${others.map(readableName).join(", ")}` : `${name}${how === "count" ? " (count)" : ""}`;
    // the caption is the heat map's colour bar: low value, the viridis ramp, high value
    caption.replaceChildren();
    if (Number.isFinite(lo)) {
      text(caption, `${what}: ${format(lo)} `);
      const stops = Array.from({ length: 11 }, (_, k) => viridis(k / 10)).join(",");
      html("span", { class: "lw-ramp", "aria-label": "colour bar", style: { background: `linear-gradient(90deg,${stops})` } }, caption);
      text(caption, ` ${format(hi)}`);
    } else {
      text(caption, `${what}: no values`);
    }
    refreshHeat();
  }, heat);

  const cellAt = (x, y) => cells.find((c) => x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h) || null;

  bag.add(attachBrush(heatSvg, () => HEAT_MARGIN, {
    onBox: (x0, y0, x1, y1, ev) => {
      const ids = cells.filter((c) => c.x < x1 && c.x + c.w > x0 && c.y < y1 && c.y + c.h > y0).flatMap((c) => c.ids);
      writeEntries(sel, nextEntries(sel.get("entries") || [], ids, ev.shiftKey));
    },
    onClick: (ev, x, y) => {
      const c = cellAt(x, y);
      if (c && c.ids.length) writeEntries(sel, nextEntries(sel.get("entries") || [], c.ids, ev.shiftKey));
      else if (!ev.shiftKey) writeEntries(sel, []);
    },
    onMove: (ev, x, y) => {
      const c = cellAt(x, y);
      if (!c) {
        hideTooltip(tip);
        return;
      }
      showTooltip(tip, root, ev, cellTooltip(table, c, model.get("rows"), model.get("cols"), model.get("reduce"), model.get("metric")));
    },
    onLeave: () => hideTooltip(tip),
  }));

  // ---- small multiples of the selected entries
  const drawProfiles = () => {
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
  };

  // one listener for every thumbnail (they are redrawn with the selection)
  bag.on(profiles, "click", (ev) => {
    const box = ev.target.closest ? ev.target.closest(".lw-thumb") : null;
    if (!box) return;
    sel.set("active", box.getAttribute("data-entry"));
    sel.save_changes();
  });

  const markActive = () => {
    const active = sel.get("active");
    for (const n of profiles.querySelectorAll(".lw-thumb")) {
      if (n.getAttribute("data-entry") === active) n.setAttribute("aria-current", "true");
      else n.removeAttribute("aria-current");
    }
  };

  // ---- the Explorer of the active entry
  let shownRef = null;
  let shownCleanup = null;
  let token = 0;
  let scrollPending = false; // an entry was made active: bring its Explorer into view once open
  const clearArea = () => {
    if (shownCleanup) shownCleanup();
    shownCleanup = null;
    shownRef = null;
    areaBody.replaceChildren();
  };
  const showExplorer = async () => {
    const id = sel.get("active");
    const my = ++token;
    if (id == null || !table.index.has(id)) {
      clearArea();
      area.removeAttribute("data-entry");
      areaTitle.textContent = "Explorer: click a profile to open its landscape here";
      return;
    }
    const label = table.labels[table.index.get(id)];
    const embedded = (model.get("_explorers") || {})[id];
    const ref = embedded || (model.get("explorer_entry") === id ? model.get("explorer") : null);
    if (!ref) {
      clearArea();
      area.setAttribute("data-entry", id);
      area.setAttribute("data-state", "waiting");
      areaTitle.textContent = `Explorer: ${label}`;
      const text = globalThis.__LW_STATIC__
        ? "This entry's Explorer is not in this file (it is built by Python on demand): open the gallery in Jupyter, or export it with Gallery(..., explorers=\"all\")."
        : "Opening… (Python is building this entry's Explorer)";
      html("div", { class: "lw-note", text }, areaBody);
      return;
    }
    if (ref === shownRef) return;
    const child = await childModel(model, host, ref);
    if (my !== token) return;
    clearArea();
    shownRef = ref;
    areaTitle.textContent = `Explorer: ${label}`;
    shownCleanup = await explorerView.render({ model: child, el: areaBody, host });
    area.setAttribute("data-entry", id);
    area.setAttribute("data-state", "open");
    if (scrollPending) {
      scrollPending = false;
      // instant, and only as far as needed (smooth scrolling fought JupyterLab's own)
      if (typeof area.scrollIntoView === "function") area.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  };

  const onEntries = () => {
    refreshHeat();
    map.refresh();
    drawProfiles();
  };
  const onActive = () => {
    scrollPending = sel.get("active") != null;
    refreshHeat();
    map.refresh();
    markActive();
    showExplorer();
  };
  const onData = () => {
    drawHeat();
    map.draw();
    drawProfiles();
    showExplorer();
  };
  drawHeat();
  map.draw();
  drawProfiles();
  await showExplorer();
  const modelEvents = [["change:_data", onData], ["change:metric", drawHeat], ["change:reduce", drawHeat],
    ["change:rows", onData], ["change:cols", onData], ["change:width", drawHeat], ["change:height", drawHeat],
    ["change:max_profiles", drawProfiles], ["change:expected", drawHeat], ["change:shared_axis", drawProfiles],
    ["change:explorer", showExplorer], ["change:explorer_entry", showExplorer], ["change:_explorers", showExplorer]];
  for (const [e, f] of modelEvents) bag.on(model, e, f);
  bag.on(sel, "change:entries", onEntries);
  bag.on(sel, "change:active", onActive);
  bag.add(clearArea); // runs first on dispose: the open Explorer goes before the gallery
  return frame.ready();
}

export default { render };
