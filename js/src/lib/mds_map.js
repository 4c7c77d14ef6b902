// The Gallery's map of the entries: one point per entry, placed in Python by classical MDS so
// that distances on the map approximate the distances between the entries' persistence diagrams
// (Gallery(coll, distance="wasserstein")). Both axes share one scale (a distance is a distance
// in every direction). Click / shift-click / box brushing write the shared EntrySelection;
// selected entries light up here as in the heat map and the scatter.
import { svg, html, bold, showTooltip, hideTooltip, swatch } from "./dom.js";
import { fmt } from "./scales.js";
import { EntryHighlighter, attachBrush, entryPicking, nearestPoint } from "./entries.js";
import { colorScale } from "../metric_scatter_view.js";

export const MAP_MARGIN = { left: 14, right: 14, top: 10, bottom: 26 };

/** Plot positions of the map's entries: one scale for both axes (centred), y upwards.
 *  `map` is the payload {ids, coords: [[x, y], ...]}; entries not in `table` are skipped. */
export function mapPoints(map, table, w, h) {
  const pts = [];
  (map.ids || []).forEach((id, k) => {
    const i = table.index.get(id);
    const [x, y] = map.coords[k] || [];
    if (i !== undefined && Number.isFinite(x) && Number.isFinite(y)) pts.push({ id, i, x, y });
  });
  if (!pts.length) return [];
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const pad = 8;
  const span = Math.max(x1 - x0, y1 - y0) || 1;
  const k = Math.min(w - 2 * pad, h - 2 * pad) / span;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return pts.map((p) => ({ ...p, px: w / 2 + (p.x - cx) * k, py: h / 2 - (p.y - cy) * k }));
}

/** The map's caption: what the distances are and how much of them the plane shows. */
export function mapCaption(map) {
  const what = map.metric === "bottleneck" ? "bottleneck" : `Wasserstein${map.order != null ? ` (order ${fmt(map.order)})` : ""}`;
  const share = Number.isFinite(map.explained) ? `; the plane carries ${Math.round(100 * map.explained)}% of it` : "";
  return `Entries placed so that their distances approximate the ${what} distance between their persistence diagrams (classical MDS${share}). Close points: similar minima and barriers.`;
}

/**
 * Mount the map in `parent`. `state()` returns {table, map, color, size}; returns
 * {draw(), refresh(), remove()}: draw after the data changes, refresh after the selection does.
 */
export function mountMdsMap(parent, sel, state, tip, tipRoot) {
  const cell = html("div", { class: "lw-mds-map", "data-view": "mds-map" }, parent);
  html("div", { class: "lw-title", text: "Map of the entries by diagram distance" }, cell);
  const svgEl = svg("svg", {}, cell);
  const legend = html("div", { class: "lw-legend" }, cell);
  const caption = html("div", { class: "lw-caption" }, cell);
  const hl = new EntryHighlighter();
  let drawn = [];

  const refresh = () => {
    const selected = new Set(sel.get("entries") || []);
    hl.apply(selected, sel.get("active"));
    svgEl.classList.toggle("lw-dim", drawn.some((p) => selected.has(p.id)));
  };

  const draw = () => {
    const { table, map, color, size } = state();
    svgEl.setAttribute("width", size);
    svgEl.setAttribute("height", size);
    cell.style.maxWidth = `${size}px`;
    svgEl.replaceChildren();
    hl.clear();
    const w = size - MAP_MARGIN.left - MAP_MARGIN.right;
    const h = size - MAP_MARGIN.top - MAP_MARGIN.bottom;
    const plot = svg("g", { transform: `translate(${MAP_MARGIN.left},${MAP_MARGIN.top})` }, svgEl);
    svg("rect", { x: 0, y: 0, width: w, height: h, fill: "transparent", stroke: "#ddd", class: "lw-bg" }, plot);
    svg("text", { class: "lw-label", x: w / 2, y: h + 18, "text-anchor": "middle" }, plot).textContent = "MDS axes (same scale; only distances matter)";
    const colors = colorScale(table, color);
    drawn = mapPoints(map, table, w, h);
    for (const p of drawn) {
      const node = svg("circle", { class: "lw-entry lw-hit", cx: p.px.toFixed(1), cy: p.py.toFixed(1), r: 5,
        fill: colors.colorOf(p.i), "data-entry": p.id }, plot);
      hl.add(node, [p.id]);
    }
    legend.replaceChildren();
    for (const item of colors.legend) swatch(legend, item.color, item.label);
    caption.textContent = mapCaption(map);
    refresh();
  };

  const nearest = (x, y) => nearestPoint(drawn, x, y);

  const unbrush = attachBrush(svgEl, () => MAP_MARGIN, {
    ...entryPicking(sel, () => drawn, nearest),
    onMove: (ev, x, y) => {
      const p = nearest(x, y);
      if (!p) return hideTooltip(tip);
      return showTooltip(tip, tipRoot, ev, [[bold(state().table.labels[p.i])], "click to select, shift-click to add"]);
    },
    onLeave: () => hideTooltip(tip),
  });

  const remove = () => {
    unbrush();
    cell.remove();
  };
  return { draw, refresh, remove, element: cell };
}
