// ContourView's level of detail: with no polygons (raster: true) every pixel of z is coloured by
// its contour band, the colour the band's polygon would have; holes are transparent. Checked
// against a plain loop over the edges, on linear and log edges.
import { describe, expect, it } from "vitest";
import { bandIndex, bandRaster, rgbOf, criticalPointsShown, persistenceOrder } from "../src/lib/band_raster.js";
import { viridis } from "../src/lib/colors.js";

// the reference: the first band whose half-open interval holds v, the top edge in the last band
function bandByLoop(v, edges) {
  const n = edges.length - 1;
  if (!Number.isFinite(v)) return -1;
  if (v < edges[0]) return 0; // float32 rounding of the extremes
  if (v > edges[n]) return n - 1;
  for (let k = 0; k < n; k++) {
    if (v >= edges[k] && (v < edges[k + 1] || (k === n - 1 && v === edges[n]))) return k;
  }
  return -1;
}

function randomField(nx, ny, seed) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Float32Array.from({ length: nx * ny }, () => 0.01 + 99 * rnd() ** 3);
}

const linearEdges = Array.from({ length: 13 }, (_, k) => 0.01 + (k * 99) / 12);
const logEdges = Array.from({ length: 13 }, (_, k) => 10 ** (-2 + (k * 4) / 12));

describe("bandIndex", () => {
  it("equals the plain loop, edges included, finite values beyond the ends clamped, NaN and infinities -1", () => {
    const edges = [0, 1, 2, 4];
    const values = [-0.5, 0, 0.5, 1, 1.999, 2, 3.9, 4, 4.01, NaN, Infinity, -Infinity];
    for (const v of values) expect(bandIndex(v, edges)).toBe(bandByLoop(v, edges));
    expect(bandIndex(4, edges)).toBe(2);
    expect(bandIndex(4.01, edges)).toBe(2);
    expect(bandIndex(-0.5, edges)).toBe(0);
    expect(bandIndex(NaN, edges)).toBe(-1);
    expect(bandIndex(Infinity, edges)).toBe(-1);
    for (const edges2 of [linearEdges, logEdges]) {
      for (const v of randomField(20, 20, 7)) expect(bandIndex(v, edges2)).toBe(bandByLoop(v, edges2));
      for (const e of edges2) expect(bandIndex(e, edges2)).toBe(bandByLoop(e, edges2));
    }
  });
});

describe("bandRaster", () => {
  const colour = (nb) => (k) => viridis(k / Math.max(1, nb - 1));

  for (const [name, edges] of [["linear", linearEdges], ["log", logEdges]]) {
    it(`colours every pixel by its band's colour (${name} edges), rows flipped to image order`, () => {
      const nx = 7;
      const ny = 5;
      const z = randomField(nx, ny, name === "log" ? 3 : 11);
      z[2] = NaN; // a hole
      z[nx * ny - 1] = Infinity; // a hole too
      z[nx * ny - 2] = Math.fround(edges[edges.length - 1] * (1 + 1e-7)); // the max in float32
      z[0] = edges[0] * (1 - 1e-7); // the min, rounded down
      const px = bandRaster(z, nx, ny, edges, colour(edges.length - 1));
      expect(px.length).toBe(nx * ny * 4);
      for (let iy = 0; iy < ny; iy++) {
        for (let ix = 0; ix < nx; ix++) {
          const o = ((ny - 1 - iy) * nx + ix) * 4; // image row 0 = the highest y
          const k = bandByLoop(z[iy * nx + ix], edges);
          if (k < 0) {
            expect(px[o + 3]).toBe(0);
            continue;
          }
          expect([px[o], px[o + 1], px[o + 2], px[o + 3]]).toEqual([...rgbOf(viridis(k / (edges.length - 2))), 255]);
        }
      }
      // the holes are transparent, the rounded extremes in the end bands
      expect(px[((ny - 1) * nx + 2) * 4 + 3]).toBe(0);
      expect(px[(nx - 1) * 4 + 3]).toBe(0);
      expect(px.filter((_, i) => i % 4 === 3 && px[i] === 255).length).toBe(nx * ny - 2);
      expect([...px.slice((nx - 2) * 4, (nx - 1) * 4)]).toEqual([...rgbOf(viridis(1)), 255]);
      expect([...px.slice(((ny - 1) * nx) * 4, ((ny - 1) * nx + 1) * 4)]).toEqual([...rgbOf(viridis(0)), 255]);
    });
  }

  it("reads both colour forms and rejects others", () => {
    expect(rgbOf("rgb(1,2,3)")).toEqual([1, 2, 3]);
    expect(rgbOf("#ff0080")).toEqual([255, 0, 128]);
    expect(() => rgbOf("red")).toThrow(/expected an rgb/);
  });
});

describe("criticalPointsShown", () => {
  it("keeps all under the budget, else the most persistent pairs shown at t", () => {
    const pers = [0.5, Infinity, 0.1, 2, 0.3, NaN];
    const ranked = persistenceOrder(6, (k) => pers[k]);
    expect([...ranked.order]).toEqual([1, 5, 3, 0, 4, 2]);
    expect(criticalPointsShown(ranked, 0, 10)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(criticalPointsShown(ranked, 0, 3)).toEqual([1, 3, 5]);
    expect(criticalPointsShown(ranked, 0.4, 4)).toEqual([0, 1, 3, 5]);
    expect(criticalPointsShown(ranked, 3, 2)).toEqual([1, 5]);
    // against a plain filter + sort on random persistences
    const rp = Array.from({ length: 200 }, (_, k) => ((k * 7919) % 101) / 10);
    const r2 = persistenceOrder(200, (k) => rp[k]);
    for (const [t, budget] of [[0, 50], [3, 40], [9.5, 30], [20, 10]]) {
      const ref = rp.map((p, k) => k).filter((k) => rp[k] >= t)
        .sort((a, b) => rp[b] - rp[a] || a - b).slice(0, budget).sort((a, b) => a - b);
      expect(criticalPointsShown(r2, t, budget)).toEqual(ref);
    }
  });
});
