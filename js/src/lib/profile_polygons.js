// The polygons of a landscape profile as drawn: each basin's outline from the profile's flat
// arrays, reduced to its corners, as path data, the inside test that picks them, and the x-warp
// that keeps narrow basins visible. Pure geometry (no DOM): ProfileView, the Gallery's
// thumbnails and the tests share it through lib/profile_shapes.js.
import { fixed1 } from "./svg.js";

/** Polygons as [{basin, points: [[x, y], ...], mean}] in drawing order. */
export function basinPolygons(profile) {
  const out = [];
  const off = profile.polygon_offsets;
  for (let k = 0; k + 1 < off.length; k++) {
    const points = [];
    for (let i = off[k]; i < off[k + 1]; i++) points.push([profile.polygon_x[i], profile.polygon_y[i]]);
    out.push({ basin: profile.basin_ids[k], points, mean: profile.basin_mean_loss[k] });
  }
  return out;
}

/** Ray-casting point-in-polygon test. */
export function inside(pt, poly) {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** A closed outline's corners: a point in the middle of a vertical or horizontal run (the
 *  same x, or the same y, as both its neighbours, and between them) is left out, so the polygon is the same with
 *  fewer points (a narrow basin keeps its width over many loss levels). */
export function cornersOnly(points) {
  const n = points.length;
  if (n < 4) return points;
  const out = [points[0]];
  for (let i = 1; i < n - 1; i++) {
    const [xa, ya] = points[i - 1];
    const [x, y] = points[i];
    const [xb, yb] = points[i + 1];
    // (strictly between its neighbours: a spike back along the run is a corner)
    if ((x === xa && x === xb && (ya - y) * (y - yb) > 0) || (y === ya && y === yb && (xa - x) * (x - xb) > 0)) continue;
    out.push(points[i]);
  }
  out.push(points[n - 1]);
  return out;
}

/** A shape's closed outline as path data, at 0.1 px, from its pixels `px` (flat: x0, y0, x1,
 *  y1, ...): a point in the middle of a vertical or horizontal run adds nothing to the outline
 *  and is left out. */
export function pathData(px) {
  const n = px.length >> 1;
  const fx = new Array(n);
  const fy = new Array(n);
  for (let i = 0; i < n; i++) {
    fx[i] = fixed1(px[2 * i]);
    fy[i] = fixed1(px[2 * i + 1]);
  }
  let d = "";
  for (let i = 0; i < n; i++) {
    if (i > 0 && i < n - 1 && ((fx[i] === fx[i - 1] && fx[i] === fx[i + 1]) || (fy[i] === fy[i - 1] && fy[i] === fy[i + 1]))) continue;
    d += `${d ? "L" : "M"}${fx[i]},${fy[i]}`;
  }
  return `${d}Z`;
}

/** inside() for a polygon of flat pixels `px` (x0, y0, x1, y1, ...): is (x, y) inside it? */
export function insideFlat(x, y, px) {
  let c = false;
  const n = px.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = px[i];
    const yi = px[i + 1];
    const xj = px[j];
    const yj = px[j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/**
 * The outlines of the profile's basins `ks` (indices into its arrays) reduced to their corners
 * (cornersOnly), x mapped through `xs`, as flat arrays: basin j's points are x[o[j]..o[j+1]),
 * y likewise; `a[j]`, `b[j]` its least and greatest x. The same points as
 * basinPolygons + cornersOnly + xs, without an array per point (a profile of hundreds of basins
 * has ~10^5 points).
 */
export function cornerOutlines(profile, ks, xs) {
  const off = profile.polygon_offsets;
  const X = profile.polygon_x;
  const Y = profile.polygon_y;
  let total = 0;
  for (const k of ks) total += off[k + 1] - off[k];
  const x = new Float64Array(total);
  const y = new Float64Array(total);
  const o = new Int32Array(ks.length + 1);
  const a = new Float64Array(ks.length);
  const b = new Float64Array(ks.length);
  let m = 0;
  ks.forEach((k, j) => {
    const first = off[k];
    const last = off[k + 1] - 1;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = first; i <= last; i++) {
      // cornersOnly: a point strictly inside a vertical or horizontal run is left out (the
      // first and last always stay; fewer than 4 points: all stay)
      if (i > first && i < last && last - first >= 3) {
        const xa = X[i - 1], ya = Y[i - 1], xi = X[i], yi = Y[i], xb = X[i + 1], yb = Y[i + 1];
        if ((xi === xa && xi === xb && (ya - yi) * (yi - yb) > 0) || (yi === ya && yi === yb && (xa - xi) * (xi - xb) > 0)) continue;
      }
      const u = xs(X[i]);
      x[m] = u;
      y[m] = Y[i];
      if (u < lo) lo = u;
      if (u > hi) hi = u;
      m++;
    }
    a[j] = lo;
    b[j] = hi;
    o[j + 1] = m;
  });
  return { x: x.subarray(0, m), y: y.subarray(0, m), o, a, b };
}

/**
 * Monotone x-warp [0, 1] -> [0, 1] that widens every non-outermost basin narrower than `share`
 * of the width to about that share (shares capped so they take at most half the width). Nesting
 * and order are kept (the profile is drawn from x-intervals), so a basin of a few points stays
 * visible; widths are then exact only up to this stretch. Returns the identity when none is
 * narrower.
 */
export function widenWarp(polys, outer, share = 0.08) {
  const extents = [];
  for (const p of polys) {
    if (outer.has(p.basin)) continue;
    let a = Infinity;
    let b = -Infinity;
    for (const [x] of p.points) { a = Math.min(a, x); b = Math.max(b, x); }
    extents.push([a, b]);
  }
  return warpOfExtents(extents, share);
}

/** widenWarp from the x-extents [a, b] of the non-outermost basins. */
export function warpOfExtents(extents, share = 0.08) {
  const q = Math.min(share, 0.5 / Math.max(1, extents.length));
  const spans = [];
  for (const [a, b] of extents) {
    if (b > a && b - a < q) spans.push([a, b, (q - (b - a)) / (b - a)]);
  }
  if (!spans.length) return (x) => x;
  const xs = [...new Set([0, 1, ...spans.flatMap(([a, b]) => [a, b])])].sort((u, v) => u - v);
  const cum = [0];
  for (let k = 1; k < xs.length; k++) {
    const mid = (xs[k - 1] + xs[k]) / 2;
    let density = 1;
    for (const [a, b, extra] of spans) if (mid >= a && mid <= b) density += extra;
    cum.push(cum[k - 1] + density * (xs[k] - xs[k - 1]));
  }
  const total = cum[cum.length - 1];
  return (x) => {
    // the first k >= 1 with xs[k] >= x (or the last): binary search (a profile has thousands
    // of points and hundreds of spans)
    let k = 1;
    let hi = xs.length - 1;
    while (k < hi) {
      const mid = (k + hi) >> 1;
      if (xs[mid] < x) k = mid + 1;
      else hi = mid;
    }
    const f = (x - xs[k - 1]) / (xs[k] - xs[k - 1] || 1);
    return (cum[k - 1] + f * (cum[k] - cum[k - 1])) / total;
  };
}
