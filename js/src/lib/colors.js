// Colour maps: viridis for contour bands, "ocean depths" blues for profile basins
// (darker blue = lower loss), and the critical-point colours of the papers.

export const MINIMUM = "#d62728"; // red
export const SADDLE = "#ff7f0e"; // orange
export const SELECTED = "#e6007e"; // magenta outline / shade
export const DIAGRAM_POINT = "#4a6fa5"; // a persistence diagram's pair (.lw-point)

const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89",
  "#35b779", "#6ece58", "#b5de2b", "#fde725"];
const BLUES = ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef",
  "#deebf7"];

function hexToRgb(h) {
  const n = parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function interpolate(stops, t) {
  if (!Number.isFinite(t)) t = 0;
  t = Math.min(1, Math.max(0, t));
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = hexToRgb(stops[i]);
  const b = hexToRgb(stops[i + 1]);
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Viridis colour at t in [0, 1]. */
export const viridis = (t) => interpolate(VIRIDIS, t);

/** Blues: t = 0 (lowest loss) is darkest. */
export const depth = (t) => interpolate(BLUES, t);

/** The one categorical palette of every view (Tableau 10): seeds, learning rates, any key. */
export const CATEGORICAL = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
  "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

const isWhole = (v) => typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v));

/**
 * Colour of each category value: Map(value -> colour), the same rule in every view so that a
 * value (a seed, an entry's key) has the same colour wherever it is drawn.
 * - whole numbers (seeds, epochs, booleans) whose last digits differ: CATEGORICAL[value mod 10],
 *   so seed 3 is the same colour whatever other seeds a view shows;
 * - otherwise up to 10 values: CATEGORICAL by rank in the sorted values (`compare`);
 * - more than 10 values: a viridis ramp over the ranks (10 colours cannot tell them apart).
 */
export function categoryColors(values, compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0)) {
  const unique = [...new Set(values)].sort(compare);
  const out = new Map();
  const slots = unique.map((v) => (isWhole(v) ? ((Number(v) % 10) + 10) % 10 : -1));
  if (unique.length && slots.every((s) => s >= 0) && new Set(slots).size === unique.length) {
    unique.forEach((v, k) => out.set(v, CATEGORICAL[slots[k]]));
  } else if (unique.length <= CATEGORICAL.length) {
    unique.forEach((v, k) => out.set(v, CATEGORICAL[k]));
  } else {
    unique.forEach((v, k) => out.set(v, viridis(k / (unique.length - 1))));
  }
  return out;
}
