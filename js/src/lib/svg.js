// Plot geometry: polyline paths and axes (elements come from dom.js, text as text nodes).
import { svg } from "./dom.js";
import { ticks as ticksOf } from "./scales.js";

/** `v.toFixed(1)` for path data, without toFixed's cost (a redraw formats ~10^5 numbers). */
export function fixed1(v) {
  const r = Math.round(v * 10);
  if (!Number.isFinite(r)) return v.toFixed(1);
  const a = r < 0 ? -r : r;
  return `${r < 0 ? "-" : ""}${(a - (a % 10)) / 10}.${a % 10}`;
}

/** Path data of polylines given as flat [x0, y0, x1, y1, ...] points and ring offsets. */
export function ringsPath(points, offsets, sx, sy, first = 0, last = offsets.length - 1, close = true) {
  const parts = [];
  for (let r = first; r < last; r++) {
    const a = offsets[r];
    const b = offsets[r + 1];
    if (b - a < 2) continue;
    let d = `M${fixed1(sx(points[2 * a]))},${fixed1(sy(points[2 * a + 1]))}`;
    for (let i = a + 1; i < b; i++) {
      d += `L${fixed1(sx(points[2 * i]))},${fixed1(sy(points[2 * i + 1]))}`;
    }
    parts.push(close ? d + "Z" : d);
  }
  return parts.join("");
}

/** Approximate width in px of the widest tick label of `axis` on `scale` (12 px system-ui:
 *  digits, points and signs ~7 px each). */
export function tickLabelWidth(scale, { count = 5, format = String } = {}) {
  const lo = Math.min(...scale.domain);
  const hi = Math.max(...scale.domain);
  let widest = 0;
  for (const v of ticksOf(lo, hi, count)) widest = Math.max(widest, String(format(v)).length);
  return 7 * widest;
}

/** Axis with ticks: side is "bottom" or "left"; a left axis's label is `labelGap` px left of
 *  the axis (see tickLabelWidth: room for its tick labels). */
export function axis(parent, scale, side, { count = 5, label = "", format = String, labelGap = 38 } = {}) {
  const g = svg("g", { class: "lw-axis" }, parent);
  const [r0, r1] = scale.range;
  const lo = Math.min(...scale.domain);
  const hi = Math.max(...scale.domain);
  const values = ticksOf(lo, hi, count);
  if (side === "bottom") {
    svg("line", { x1: r0, x2: r1, y1: 0, y2: 0 }, g);
    for (const v of values) {
      const x = scale(v);
      svg("line", { x1: x, x2: x, y1: 0, y2: 4 }, g);
      svg("text", { x, y: 14, "text-anchor": "middle" }, g).textContent = format(v);
    }
    if (label) svg("text", { x: (r0 + r1) / 2, y: 28, "text-anchor": "middle", class: "lw-label" }, g).textContent = label;
  } else {
    svg("line", { x1: 0, x2: 0, y1: r0, y2: r1 }, g);
    for (const v of values) {
      const y = scale(v);
      svg("line", { x1: -4, x2: 0, y1: y, y2: y }, g);
      svg("text", { x: -6, y: y + 3, "text-anchor": "end" }, g).textContent = format(v);
    }
    if (label) {
      const t = svg("text", { x: 0, y: 0, "text-anchor": "middle", class: "lw-label",
        transform: `translate(${-labelGap},${(r0 + r1) / 2}) rotate(-90)` }, g);
      t.textContent = label;
    }
  }
  return g;
}
