// The Gallery's heat map: one metric over two keys (reduced over the others), its cells as
// viridis rectangles with their values, the key axes, the caption's colour bar and the cells'
// tooltips.
import { svg, html, text, bold } from "./dom.js";
import { fmt } from "./scales.js";
import { viridis } from "./colors.js";

export const HEAT_MARGIN = { left: 70, right: 10, top: 8, bottom: 44 };

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

/** The heat map's caption, its colour bar: "<what>: low", the viridis ramp, "high" (or "no
 *  values"). */
export function heatCaption(caption, what, format, lo, hi) {
  caption.replaceChildren();
  if (Number.isFinite(lo)) {
    text(caption, `${what}: ${format(lo)} `);
    const stops = Array.from({ length: 11 }, (_, k) => viridis(k / 10)).join(",");
    html("span", { class: "lw-ramp", "aria-label": "colour bar", style: { background: `linear-gradient(90deg,${stops})` } }, caption);
    text(caption, ` ${format(hi)}`);
  } else {
    text(caption, `${what}: no values`);
  }
}
