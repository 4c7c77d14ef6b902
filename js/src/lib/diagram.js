// The persistence-diagram renderer the views share: the diagonal, the dashed "∞" line above the
// plot for classes that never die, the hidden band below a persistence threshold, and the
// summary of essential classes: beyond a few, they are not drawn one marker each on the ∞ line
// (thousands of D₁ classes of a trajectory graph would pile up there) but as a strip of counts
// along the birth axis, labelled with their number.
import { svg } from "./dom.js";
import { fmt } from "./scales.js";

/** At most this many essential classes are drawn as markers; more become a counted strip. */
export const ESSENTIAL_MARKERS = 20;

/** Height of the ∞ line above the plot's top (y of the line in plot coordinates). */
export const INFINITY_Y = 6;

/**
 * The diagram's frame on `plot` (w wide, h high): the diagonal from (lo, lo) to (hi, hi) of the
 * scales sx (birth) and sy (death), and the dashed ∞ line at y = `top` with its label.
 */
export function diagramFrame(plot, sx, sy, [lo, hi], w, top = INFINITY_Y) {
  svg("line", { x1: sx(lo), y1: sy(lo), x2: sx(hi), y2: sy(hi), stroke: "#999", class: "lw-diagonal" }, plot);
  svg("line", { x1: 0, x2: w, y1: top, y2: top, stroke: "#999", "stroke-dasharray": "4 3", class: "lw-infinity" }, plot);
  svg("text", { x: -6, y: top + 4, "text-anchor": "end", class: "lw-label" }, plot).textContent = "∞";
}

/**
 * Births of the essential classes binned along the birth axis: `[{x0, x1, count, lo, hi,
 * members}]` (members: the indices into `births` in the bin),
 * `bins` equal bins in screen space over [0, w] (empty bins left out). `births` are values,
 * `sx` maps them to x; classes outside [0, w] go to the nearest end bin.
 */
export function essentialBins(births, counts, sx, w, bins = 48) {
  const n = Math.max(1, Math.floor(bins));
  const width = w / n;
  const total = new Array(n).fill(0);
  const members = Array.from({ length: n }, () => []);
  const lo = new Array(n).fill(Infinity);
  const hi = new Array(n).fill(-Infinity);
  births.forEach((b, k) => {
    const x = sx(b);
    if (!Number.isFinite(x)) return;
    const i = Math.min(n - 1, Math.max(0, Math.floor(x / width)));
    total[i] += counts ? counts[k] : 1;
    members[i].push(k);
    lo[i] = Math.min(lo[i], b);
    hi[i] = Math.max(hi[i], b);
  });
  const out = [];
  for (let i = 0; i < n; i++) {
    if (total[i]) out.push({ x0: i * width, x1: (i + 1) * width, count: total[i], lo: lo[i], hi: hi[i], members: members[i] });
  }
  return out;
}

/**
 * The strip of essential classes over the ∞ line (a band 12..4 px above it; the count above
 * that, so the caller leaves ~28 px over the line): one bar per bin of births, darker = more,
 * each with `data-essential-count` and a tooltip line (`title` lines for the caller), and the
 * total as a label ("1,234 essential D₁"). Returns the drawn bars [{node, bin}].
 */
export function essentialStrip(plot, bins, { top = INFINITY_Y, label = "essential", w = 0, cls = "" } = {}) {
  const g = svg("g", { class: `lw-essential-strip ${cls}`.trim(), "data-essential": label }, plot);
  const most = Math.max(1, ...bins.map((b) => b.count));
  const drawn = [];
  let total = 0;
  for (const bin of bins) {
    total += bin.count;
    const node = svg("rect", {
      // just above the ∞ line, clear of the markers drawn on it
      class: "lw-essential-bin", x: bin.x0.toFixed(1), y: top - 12, width: Math.max(1, bin.x1 - bin.x0 - 0.5).toFixed(1), height: 8,
      "fill-opacity": (0.25 + 0.75 * Math.sqrt(bin.count / most)).toFixed(2), "data-essential-count": bin.count,
    }, g);
    drawn.push({ node, bin });
  }
  svg("text", { class: "lw-label lw-essential-count", x: w, y: top - 15, "text-anchor": "end" }, g)
    .textContent = `${total.toLocaleString("en-US")} ${label}`;
  return drawn;
}

/** Tooltip lines of an essential-strip bin. */
export function essentialTip(bin, label = "essential classes") {
  const range = bin.lo === bin.hi ? fmt(bin.lo) : `${fmt(bin.lo)} – ${fmt(bin.hi)}`;
  return [`${bin.count.toLocaleString("en-US")} ${label}`, `born at ${range}`, "never die (on the ∞ line)",
    "click: the lowest-born of them"];
}
