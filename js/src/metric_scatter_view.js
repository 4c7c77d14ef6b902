// MetricScatterView: any metric (or key) of a collection against any other, one point per
// entry, coloured by a parameter or a metric; click / shift-click / box brushing writes the
// shared EntrySelection, which highlights the same entries in every linked view.
import { svg, html, bold, showTooltip, hideTooltip, setOptions, swatch } from "./lib/dom.js";
import { axis, tickLabelWidth } from "./lib/svg.js";
import { linear, extent, fmt } from "./lib/scales.js";
import { viridis, categoryColors } from "./lib/colors.js";
import { mountFrame } from "./lib/frame.js";
import { attachBrush } from "./lib/brush.js";
import {
  entryTable, uniqueSorted, compareValues, EntryHighlighter, entryPicking, nearestPoint, readableName,
} from "./lib/entries.js";

export const MARGIN = { left: 52, right: 12, top: 10, bottom: 36 };

const asNumber = (v) => (typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : NaN);

/** Drawable points: entries whose x and y are finite (and positive on a log axis). */
export function scatterPoints(table, x, y, logX = false, logY = false) {
  const xs = (table.column(x) || []).map(asNumber);
  const ys = (table.column(y) || []).map(asNumber);
  const out = [];
  table.ids.forEach((id, i) => {
    let px = xs[i];
    let py = ys[i];
    if (!Number.isFinite(px) || !Number.isFinite(py)) return;
    if ((logX && px <= 0) || (logY && py <= 0)) return;
    if (logX) px = Math.log10(px);
    if (logY) py = Math.log10(py);
    out.push({ i, id, x: px, y: py });
  });
  return out;
}

/** Colour of each entry: a key's values in the palette every view shares (`categoryColors`:
 *  a seed has the same colour here as in TrajectoryView), a viridis ramp over a metric (a
 *  range), or one colour. */
export function colorScale(table, name) {
  const col = name ? table.column(name) : null;
  if (!col) return { colorOf: () => "#4a6fa5", legend: [] };
  if (table.isKey(name) || col.some((v) => typeof v === "string")) {
    const colors = categoryColors(col, compareValues);
    return {
      colorOf: (i) => colors.get(col[i]),
      legend: uniqueSorted(col).map((v) => ({ label: `${name}=${v}`, color: colors.get(v) })),
    };
  }
  const nums = col.map(asNumber);
  const finite = nums.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const span = Math.max(...finite) - lo || 1;
  return {
    colorOf: (i) => (Number.isFinite(nums[i]) ? viridis((nums[i] - lo) / span) : "#bbb"),
    legend: finite.length ? [
      { label: `${name} ${fmt(lo)}`, color: viridis(0) },
      { label: fmt(lo + span), color: viridis(1) },
    ] : [],
  };
}

/** Tooltip lines of entry i: its label (bold), then the plotted metrics' values. */
export function entryTooltip(table, i, names) {
  const rows = [[bold(table.labels[i])]];
  for (const name of names) {
    if (name && !table.isKey(name)) rows.push(`${name} ${fmt((table.column(name) || [])[i])}`);
  }
  return rows;
}

async function render({ model, el, host }) {
  let svgEl = null;
  const frame = await mountFrame({ model, el, host }, { name: "scatter", title: "Metrics of every entry", exportSvg: () => svgEl });
  const { sel, root, tip, bag } = frame;
  const bar = html("div", { class: "lw-controls" }, root);
  const menus = {};
  for (const [trait, text] of [["x", "x"], ["y", "y"], ["color", "colour"]]) {
    const label = html("label", { text }, bar);
    menus[trait] = html("select", { "data-axis": trait }, label);
    bag.on(menus[trait], "change", () => {
      model.set(trait, menus[trait].value);
      model.save_changes();
    });
  }
  const logs = {};
  for (const [trait, text] of [["log_x", "log x"], ["log_y", "log y"]]) {
    const label = html("label", { text }, bar);
    logs[trait] = html("input", { type: "checkbox", "data-log": trait }, label);
    bag.on(logs[trait], "change", () => {
      model.set(trait, logs[trait].checked);
      model.save_changes();
    });
  }
  svgEl = svg("svg", { role: "img", "aria-label": "metric scatter" }, root);
  const legend = html("div", { class: "lw-legend" }, root);
  const note = html("div", { class: "lw-caption" }, root);
  const hl = new EntryHighlighter();
  let table = entryTable(model.get("_data"));
  let drawn = [];
  const margin = { ...MARGIN }; // its left side widens to the y tick labels

  const refresh = () => {
    const selected = new Set(sel.get("entries") || []);
    hl.apply(selected, sel.get("active"));
    svgEl.classList.toggle("lw-dim", [...selected].some((id) => table.index.has(id)));
  };

  const draw = frame.timed(() => {
    table = entryTable(model.get("_data"));
    const names = [...table.metricNames, ...table.keyNames];
    const x = model.get("x");
    const y = model.get("y");
    const color = model.get("color") || "";
    const words = (list) => list.map((n) => [n, readableName(n)]);
    setOptions(menus.x, words(names), x);
    setOptions(menus.y, words(names), y);
    setOptions(menus.color, words([...table.keyNames, ...table.metricNames]), color, "(none)");
    const logX = !!model.get("log_x");
    const logY = !!model.get("log_y");
    logs.log_x.checked = logX;
    logs.log_y.checked = logY;
    const width = frame.fitWidth(model.get("width"));
    const height = model.get("height");
    svgEl.setAttribute("width", width);
    svgEl.setAttribute("height", height);
    root.style.maxWidth = `${width}px`; // the menus wrap instead of widening the view
    svgEl.replaceChildren();
    hl.clear();
    const points = scatterPoints(table, x, y, logX, logY);
    const tick = (log) => (log ? (v) => fmt(10 ** v) : fmt);
    // the left margin holds the y tick labels and, beside them, the axis label
    const yTicks = tickLabelWidth(linear(extent(points.map((p) => p.y)), [1, 0]), { format: tick(logY) });
    margin.left = Math.max(MARGIN.left, yTicks + 6 + 8 + 14);
    const w = width - margin.left - margin.right;
    const h = height - margin.top - margin.bottom;
    const plot = svg("g", { transform: `translate(${margin.left},${margin.top})` }, svgEl);
    svg("rect", { x: 0, y: 0, width: w, height: h, fill: "transparent", class: "lw-bg" }, plot);
    const sx = linear(extent(points.map((p) => p.x)), [0, w]);
    const sy = linear(extent(points.map((p) => p.y)), [h, 0]);
    axis(svg("g", { transform: `translate(0,${h})` }, plot), sx, "bottom",
      { label: logX ? `${readableName(x)} (log)` : readableName(x), format: tick(logX) });
    axis(plot, sy, "left", { label: logY ? `${readableName(y)} (log)` : readableName(y), format: tick(logY),
      labelGap: Math.max(38, yTicks + 6 + 8) });
    const colors = colorScale(table, color);
    // draw in a stable order (by colour value) so that overlapping points look the same always
    const colorCol = color ? table.column(color) : null;
    const order = colorCol ? [...points].sort((a, b) => compareValues(colorCol[a.i], colorCol[b.i])) : points;
    drawn = [];
    for (const p of order) {
      const px = sx(p.x);
      const py = sy(p.y);
      const node = svg("circle", { class: "lw-entry lw-hit", cx: px.toFixed(1), cy: py.toFixed(1), r: 5,
        fill: colors.colorOf(p.i), "data-entry": p.id }, plot);
      hl.add(node, [p.id]);
      drawn.push({ id: p.id, i: p.i, px, py });
    }
    legend.replaceChildren();
    for (const item of colors.legend) swatch(legend, item.color, item.label);
    const missing = table.ids.length - points.length;
    note.textContent = missing ? `${missing} of ${table.ids.length} entries have no value to plot` : "";
    refresh();
  });

  const nearest = (x, y) => nearestPoint(drawn, x, y);

  bag.add(attachBrush(svgEl, () => margin, {
    ...entryPicking(sel, () => drawn, nearest),
    onMove: (ev, x, y) => {
      const p = nearest(x, y);
      if (!p) {
        hideTooltip(tip);
        return;
      }
      showTooltip(tip, root, ev, entryTooltip(table, p.i, [model.get("x"), model.get("y"), model.get("color")]));
      if (sel.get("hover") !== p.id) {
        sel.set("hover", p.id);
        sel.save_changes();
      }
    },
    onLeave: () => {
      hideTooltip(tip);
      if (sel.get("hover") != null) {
        sel.set("hover", null);
        sel.save_changes();
      }
    },
  }));

  draw();
  for (const e of ["change:_data", "change:x", "change:y", "change:color", "change:log_x",
    "change:log_y", "change:width", "change:height"]) bag.on(model, e, draw);
  bag.on(sel, "change:entries", refresh);
  bag.on(sel, "change:active", refresh);
  frame.onResize(draw);
  return frame.ready();
}

export default { render };
