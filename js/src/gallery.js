// Gallery: a heat map of one metric over two keys (reduced over the others, e.g. seeds), the
// linked metric scatter, small-multiple landscape profiles of the selected entries, and an
// Explorer area for the active entry; all in ONE widget output, linked through the shared
// EntrySelection {entries, active}.
import scatterView from "./metric_scatter_view.js";
import explorerView from "./explorer.js";
import { svg, html, text, showTooltip, hideTooltip, setOptions } from "./lib/dom.js";
import { mountFrame } from "./lib/frame.js";
import { attachBrush } from "./lib/brush.js";
import { legendRow } from "./lib/view.js";
import { mountMdsMap } from "./lib/mds_map.js";
import {
  readableName, entryTable, heatCells, nextEntries, writeEntries, EntryHighlighter, REDUCTIONS,
} from "./lib/entries.js";
import { HEAT_MARGIN, cellTooltip, commonFormat, drawHeatmap, heatCaption, valueRange } from "./lib/gallery_heatmap.js";
import {
  THUMB, THUMB_MARGIN, THUMB_MARKERS, drawThumb, drawThumbGrid, thumbProfile, thumbRanges, thumbTopology,
} from "./lib/gallery_thumbs.js";

export {
  HEAT_MARGIN, THUMB, THUMB_MARGIN, THUMB_MARKERS, cellTooltip, commonFormat, drawHeatmap, drawThumb, thumbProfile,
  thumbRanges, thumbTopology, valueRange,
};

async function childModel(model, host, ref) {
  const id = String(ref).replace(/^IPY_MODEL_/, "");
  if (host && typeof host.getModel === "function") return host.getModel(`anywidget:${id}`);
  return model.widget_manager.get_model(id);
}

export { readableName };

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
    if (reduceMenu.value !== how) reduceMenu.value = how;
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
    heatCaption(caption, what, format, lo, hi);
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
  const drawProfiles = () => drawThumbGrid(profiles, count, model, sel, table);

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
