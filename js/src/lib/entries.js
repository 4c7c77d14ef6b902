// Views of a LandscapeCollection (gallery heat map, profiles, metric scatter): the entries
// table, reductions over cells, highlighting by entry id, brushing, and their styles.
// They link through an EntrySelection model: {entries: [id, ...], active: id | null, hover}.
import { decode } from "./wire.js";

/** A snake_case metric or column key as words ("eval_accuracy" -> "eval accuracy"); any other
 *  name (spaces, punctuation, markup) is shown exactly as it is. */
export const readableName = (key) => {
  const s = String(key);
  return /^\w+$/.test(s) ? s.replace(/_+/g, " ").trim() || s : s;
};

/** The entries payload of landscape_widgets/widgets/metric_scatter_view.py, decoded. */
export function entryTable(data) {
  const d = data || {};
  const ids = d.ids || [];
  const metrics = {};
  for (const [name, msg] of Object.entries(d.metrics || {})) metrics[name] = decode(msg);
  return {
    ids,
    labels: d.labels || ids,
    keyNames: d.key_names || [],
    keys: d.keys || {},
    metricNames: d.metric_names || [],
    metrics,
    index: new Map(ids.map((id, i) => [id, i])),
    /** Values of a metric (numbers, NaN for none) or of a key (JSON values), in ids order. */
    column(name) {
      if (name in this.metrics) return Array.from(this.metrics[name]);
      if (name in this.keys) return this.keys[name];
      return null;
    },
    isKey(name) {
      return this.keyNames.includes(name);
    },
  };
}

/** Order of key values on an axis: numbers and booleans ascending, then strings. */
export function compareValues(a, b) {
  const sa = typeof a === "string";
  const sb = typeof b === "string";
  if (sa !== sb) return sa ? 1 : -1;
  if (sa) return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

export function uniqueSorted(values) {
  return [...new Set(values)].sort(compareValues);
}

export const REDUCTIONS = ["mean", "median", "min", "max", "std", "count"];

/** Reduce numbers as LandscapeCollection.pivot does: NaN skipped, std with ddof=1. */
export function reduceValues(values, how) {
  const v = values.filter((x) => !Number.isNaN(x));
  if (how === "count") return v.length;
  if (v.length === 0) return NaN;
  if (how === "mean") return v.reduce((a, b) => a + b, 0) / v.length;
  if (how === "min") return Math.min(...v);
  if (how === "max") return Math.max(...v);
  if (how === "median") {
    const s = [...v].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
  if (how === "std") {
    if (v.length < 2) return NaN;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  }
  throw new Error(`reduce: unknown reduction ${how}`);
}

/**
 * The heat map's grid: rowValues x colValues (sorted key values; one column when cols is ""),
 * and cells[r][c] = {ids, value}: the entries of that configuration and their reduced metric.
 */
export function heatCells(table, rows, cols, metric, how) {
  const rowCol = table.column(rows) || [];
  const colCol = cols ? table.column(cols) || [] : null;
  const values = table.column(metric) || [];
  const rowValues = uniqueSorted(rowCol);
  const colValues = colCol ? uniqueSorted(colCol) : [metric];
  const rIndex = new Map(rowValues.map((v, i) => [v, i]));
  const cIndex = new Map(colValues.map((v, i) => [v, i]));
  const cells = rowValues.map(() => colValues.map(() => ({ ids: [], values: [] })));
  table.ids.forEach((id, i) => {
    const cell = cells[rIndex.get(rowCol[i])][colCol ? cIndex.get(colCol[i]) : 0];
    cell.ids.push(id);
    cell.values.push(values[i]);
  });
  for (const row of cells) {
    for (const cell of row) cell.value = cell.ids.length ? reduceValues(cell.values, how) : NaN;
  }
  return { rowValues, colValues, cells };
}

/** "seed=1" for entry i, leaving out the keys in `omit` (all keys when nothing is left). */
export function shortLabel(table, i, omit = []) {
  const names = table.keyNames.filter((k) => !omit.includes(k));
  const use = names.length ? names : table.keyNames;
  return use.map((k) => `${k}=${table.keys[k][i]}`).join(", ");
}

/** New entry selection after clicking/boxing `ids`; shift toggles them into the current one
 *  (removing them when all are already selected). */
export function nextEntries(current, ids, shift) {
  if (!shift) return [...new Set(ids)];
  const out = new Set(current);
  if (ids.length && ids.every((id) => out.has(id))) for (const id of ids) out.delete(id);
  else for (const id of ids) out.add(id);
  return [...out];
}

export function writeEntries(sel, ids) {
  sel.set("entries", ids);
  sel.save_changes();
}

/** Ids of the drawn points ({id, px, py}) inside the box [x0, x1] × [y0, y1]. */
export function boxIds(drawn, x0, y0, x1, y1) {
  return drawn.filter((p) => p.px >= x0 && p.px <= x1 && p.py >= y0 && p.py <= y1).map((p) => p.id);
}

/** The brush handlers shared by every view of entries as points (scatter, MDS map): a box
 *  selects the points inside it, a click the nearest one (nothing near: clears); shift adds.
 *  `drawn()` gives the points now drawn, `nearest(x, y)` the one under the pointer or null. */
/** The drawn point nearest to (x, y) within `radius` px (`{px, py}` in plot coordinates), or null:
 *  the hit test of the scatter and the map. */
export function nearestPoint(drawn, x, y, radius = 8) {
  let best = null;
  let bestD = radius;
  for (const p of drawn) {
    const d = Math.hypot(p.px - x, p.py - y);
    if (d <= bestD) [best, bestD] = [p, d];
  }
  return best;
}

export function entryPicking(sel, drawn, nearest) {
  const pick = (ids, ev) => writeEntries(sel, nextEntries(sel.get("entries") || [], ids, ev.shiftKey));
  return {
    onBox: (x0, y0, x1, y1, ev) => pick(boxIds(drawn(), x0, y0, x1, y1), ev),
    onClick: (ev, x, y) => {
      const p = nearest(x, y);
      if (p) pick([p.id], ev);
      else if (!ev.shiftKey) writeEntries(sel, []);
    },
  };
}

/** Elements that show one or more entries: aria-selected when any of them is selected,
 *  class lw-active when one of them is the active entry. */
export class EntryHighlighter {
  constructor() {
    this.items = [];
  }

  clear() {
    this.items = [];
  }

  add(node, ids) {
    node.setAttribute("data-entries", ids.join(" "));
    this.items.push({ node, ids });
    return node;
  }

  apply(selected, active = null) {
    for (const { node, ids } of this.items) {
      if (ids.some((id) => selected.has(id))) node.setAttribute("aria-selected", "true");
      else node.removeAttribute("aria-selected");
      node.classList.toggle("lw-active", active != null && ids.includes(active));
    }
  }
}

// The brush, the palette and the styles are the views' shared ones (lib/brush.js, colors.js,
// style.js); re-exported here for the collection views that import them from this module.
export { attachBrush } from "./brush.js";
export { CATEGORICAL } from "./colors.js";
