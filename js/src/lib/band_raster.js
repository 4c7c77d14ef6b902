// Level of detail for ContourView's filled contours: when Python sent no polygons (the slice's
// contour geometry exceeded its point budget, `raster: true`), the field is drawn as an image
// of `z` with each pixel coloured by its contour band. It reads as the filled contours at pixel
// resolution, on the same band colours and colour bar; the image is a data URL inside the SVG,
// so the SVG/PNG export buttons still carry it.

/** Band of value v between `edges` (n + 1 increasing numbers): k with edges[k] <= v <
 *  edges[k + 1], the top edge in the last band (as contourpy's filled bands); a finite value
 *  beyond the ends goes to the end band (the edges span the landscape's finite range, so only
 *  float32 rounding of the extremes lands there); -1 for NaN and infinities (holes). */
export function bandIndex(v, edges) {
  const n = edges.length - 1;
  if (!Number.isFinite(v)) return -1;
  if (v <= edges[0]) return 0;
  if (v >= edges[n]) return n - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) { // largest k in [0, n - 1] with edges[k] <= v
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** [r, g, b] of a CSS colour "rgb(r,g,b)" or "#rrggbb" (the forms colors.js writes). */
export function rgbOf(colour) {
  if (colour[0] === "#") {
    const n = parseInt(colour.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
  if (!m) throw new Error(`band_raster: expected an rgb() or #rrggbb colour, got ${colour}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * RGBA pixels (nx * ny * 4) of the band raster of `z` (rows = y, row 0 the lowest y): the image
 * row 0 is the top, i.e. z's last row. `bandColour(k)` gives band k's CSS colour; pixels whose
 * value is NaN or infinite (holes) are transparent.
 */
export function bandRaster(z, nx, ny, edges, bandColour) {
  const table = [];
  for (let k = 0; k < edges.length - 1; k++) table.push(rgbOf(bandColour(k)));
  const out = new Uint8ClampedArray(nx * ny * 4);
  for (let iy = 0; iy < ny; iy++) {
    const row = (ny - 1 - iy) * nx;
    for (let ix = 0; ix < nx; ix++) {
      const k = bandIndex(z[iy * nx + ix], edges);
      if (k < 0) continue;
      const o = (row + ix) * 4;
      const c = table[k];
      out[o] = c[0];
      out[o + 1] = c[1];
      out[o + 2] = c[2];
      out[o + 3] = 255;
    }
  }
  return out;
}

/** A PNG data URL of the RGBA `pixels` (nx by ny), or null where there is no 2-D canvas. */
export function pixelsToDataUrl(pixels, nx, ny) {
  if (typeof document === "undefined") return null;
  const canvas = document.createElement("canvas");
  canvas.width = nx;
  canvas.height = ny;
  let g = null;
  try {
    g = canvas.getContext("2d");
  } catch {
    g = null;
  }
  if (!g || typeof g.createImageData !== "function") return null;
  const image = g.createImageData(nx, ny);
  image.data.set(pixels);
  g.putImageData(image, 0, 0);
  return canvas.toDataURL("image/png");
}

/** Critical-point indices 0..count-1 ordered by their pair's persistence, highest first (ties
 *  by index), and those persistences (NaN and infinities, the global minimum, count as
 *  Infinity): computed once per slice, reused at every threshold. */
export function persistenceOrder(count, persistenceOf) {
  const pers = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const p = persistenceOf(k);
    pers[k] = Number.isFinite(p) ? p : Infinity;
  }
  const order = Int32Array.from({ length: count }, (_, k) => k);
  order.sort((a, b) => (pers[b] - pers[a]) || (a - b));
  return { order, pers };
}

/** The critical points to draw: all when there are at most `budget`, else those whose pair is
 *  shown at threshold t (persistence >= t), the most persistent first, at most `budget` of
 *  them. `ranked` is persistenceOrder's result. Returns indices, ascending. */
export function criticalPointsShown(ranked, t, budget) {
  const { order, pers } = ranked;
  const n = order.length;
  const out = [];
  if (n <= budget) {
    for (let k = 0; k < n; k++) out.push(k);
    return out;
  }
  for (let r = 0; r < n && out.length < budget; r++) {
    const k = order[r];
    if (pers[k] < t) break; // the rest are less persistent still
    out.push(k);
  }
  return out.sort((a, b) => a - b);
}
