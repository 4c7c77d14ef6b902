// selectedLabelsAt (the contour's selection at a threshold, on typed arrays) equals the plain
// rule, selectedLabels with repOf = topo.rep at that threshold, on a fixture topology: labels
// that are minima and labels that are not, selections of minima, of merged basins and of ids
// that are no minimum, at several thresholds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Topology } from "../src/lib/topology.js";
import { sameBytes, selectedLabels, selectedLabelsAt } from "../src/lib/contour_grid.js";

const doc = JSON.parse(readFileSync(join(import.meta.dirname, "py_fixtures", "noisy.json"), "utf8"));
const topo = new Topology(doc.model);

let seed = 7;
const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

describe("selectedLabelsAt", () => {
  it("equals selectedLabels with topo.rep at the threshold", () => {
    const minima = [...topo.minima];
    expect(minima.length).toBeGreaterThan(50);
    const notMinima = [-5, 10 ** 9, 10 ** 9 + 1];
    const distinct = [...minima, ...notMinima].sort(() => rnd() - 0.5);
    const sorted = [...topo.persistence].filter(Number.isFinite).sort((a, b) => a - b);
    for (const q of [0, 0.2, 0.5, 0.8, 0.97]) {
      const t = q ? sorted[Math.floor(q * (sorted.length - 1))] : 0;
      for (let trial = 0; trial < 6; trial++) {
        const selected = new Set();
        for (const b of minima) if (rnd() < 0.05) selected.add(b);
        if (trial % 2) selected.add(topo.rep(minima[Math.floor(rnd() * minima.length)], t));
        if (trial === 3) selected.add(notMinima[1]);
        const want = selectedLabels(distinct, (b) => topo.rep(b, t), selected);
        expect([...selectedLabelsAt(topo, t, distinct, selected)]).toEqual([...want]);
        if (trial === 1) expect(want.some((v) => v)).toBe(true);
      }
    }
    expect([...selectedLabelsAt(topo, 0, distinct, new Set())].every((v) => v === 0)).toBe(true);
  });
});

describe("sameBytes", () => {
  it("agrees with a byte-by-byte comparison, words and tail, aligned or not", () => {
    const plain = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
    const buffer = new ArrayBuffer(64);
    for (const n of [0, 1, 3, 4, 5, 8, 13, 16, 17]) {
      for (const offset of [0, 1, 4]) {
        const a = new Uint8Array(buffer, offset, n);
        a.forEach((_, i) => { a[i] = (i * 7) & 1; });
        const b = Uint8Array.from(a);
        expect(sameBytes(a, b)).toBe(true);
        for (let i = 0; i < n; i++) { // every byte changed, one at a time
          b[i] ^= 1;
          expect(sameBytes(a, b)).toBe(plain(a, b));
          expect(sameBytes(a, b)).toBe(false);
          b[i] ^= 1;
        }
        expect(sameBytes(a, b.subarray(0, Math.max(0, n - 1)))).toBe(n === 0);
      }
    }
  });
});
