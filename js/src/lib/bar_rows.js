// The barcode's bars as rectangles in plot pixels, and picking among them in JS: the bars past
// the element budget are painted into one bitmap (lib/bitmap.js), so a click on it is resolved
// here, exactly as the browser would resolve it on the bars drawn as elements.

/** Bars kept as SVG elements (focusable, each its own node) when the barcode shows more: the
 *  most persistent ones (rows are in persistence order); the rest are painted. Small, as the
 *  diagram's SVG_POINTS and the tree's SVG_BRANCHES: a slider move back to 0 restyles and
 *  rasterises every element it brings back (at 400 bars, 400 circles and 150 branches, ~2,400
 *  in the Explorer: a first visit of 0 took ~120 ms at 4,547 basins, ~85 ms at 150/150/60). */
export const SVG_BARS = 150;

/** The rectangle a bar is drawn as: row `row` of height `rowH`, from x0 to x1 (plot px). */
export function barRect(x0, x1, row, rowH) {
  const y = row * rowH + rowH * 0.15;
  return { x: x0, y, width: Math.max(1.5, x1 - x0), height: Math.max(1, rowH * 0.7) };
}

/**
 * The bar drawn on top at plot point (x, y) among `rects` ([{basin, row, x, y, width, height}]
 * in drawing order, rows consecutive from rects[0].row), or null. Later rows are drawn over
 * earlier ones, so the answer is the highest row whose rectangle holds the point; only the
 * rows whose band can reach y are looked at (a bar is at least 1 px high, rows may be thinner).
 */
export function pickBar(rects, rowH, x, y) {
  if (!rects.length || !(rowH > 0)) return null;
  const first = rects[0].row;
  const height = Math.max(1, rowH * 0.7);
  const hi = Math.min(rects.length - 1, Math.floor(y / rowH - 0.15) - first + 1);
  const lo = Math.max(0, Math.ceil((y - height) / rowH - 0.15) - first - 1);
  for (let k = hi; k >= lo; k--) {
    const r = rects[k];
    if (x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height) return r.basin;
  }
  return null;
}

/** Paint `rects` into the 2-D context `g` (plot coordinates) in `fill`, in drawing order. */
export function paintBars(g, rects, fill) {
  g.fillStyle = fill;
  for (const r of rects) g.fillRect(r.x, r.y, r.width, r.height);
}
