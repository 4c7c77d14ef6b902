// The contour's selection outline makes its path text `d` only when it is read (lib/contour_grid.js
// outlinePath): a long outline, drawn in cells (lib/outline_paint.js), never makes it, through
// OutlineMemo as the contour view keeps it; when read, `d` is the text outlinePath wrote before
// it was lazy (the reference below: its string building, verbatim from commit 68c1d45).
import { describe, expect, it } from "vitest";
import { OutlineMemo, labelBoxes, labelIndex, outlinePath, selectedLabels } from "../src/lib/contour_grid.js";
import { OUTLINE_SVG_SEGMENTS } from "../src/lib/outline_paint.js";
import { fixed1 } from "../src/lib/svg.js";

let s = 11;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);

// outlinePath's path data as commit 68c1d45 built it, every time
function referenceD(labels, nx, ny, repOf, selected, gx, gy) {
  if (!selected.size) return "";
  const { distinct, cellLabel } = labelIndex(labels);
  const box = labelBoxes(labels, nx);
  const onLabel = selectedLabels(distinct, repOf, selected);
  let x0 = nx;
  let x1 = -1;
  let y0 = ny;
  let y1 = -1;
  for (let k = 0; k < distinct.length; k++) {
    if (!onLabel[k]) continue;
    x0 = Math.min(x0, box[4 * k]);
    x1 = Math.max(x1, box[4 * k + 1]);
    y0 = Math.min(y0, box[4 * k + 2]);
    y1 = Math.max(y1, box[4 * k + 3]);
  }
  if (x1 < 0) return "";
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const px = bw + 2;
  const mask = new Uint8Array(px * (bh + 2));
  for (let iy = y0; iy <= y1; iy++) {
    const row = (iy - y0 + 1) * px + 1;
    for (let ix = x0; ix <= x1; ix++) mask[row + ix - x0] = onLabel[cellLabel[iy * nx + ix]];
  }
  const xs = new Array(bw + 2);
  for (let i = 0; i <= bw + 1; i++) xs[i] = fixed1(gx(x0 + i));
  const ys = new Array(bh + 2);
  for (let j = 0; j <= bh + 1; j++) ys[j] = fixed1(gy(y0 + j));
  const parts = [];
  for (let j = y0; j <= y1 + 1; j++) {
    let start = -1;
    const below = (j - y0) * px + 1;
    const above = below + px;
    const atY = "," + ys[j - y0];
    for (let ix = x0; ix <= x1 + 1; ix++) {
      const edge = ix <= x1 && mask[below + ix - x0] !== mask[above + ix - x0];
      if (edge && start < 0) start = ix;
      else if (!edge && start >= 0) {
        parts.push("M" + xs[start - x0] + atY + "L" + xs[ix - x0] + atY);
        start = -1;
      }
    }
  }
  for (let i = x0; i <= x1 + 1; i++) {
    let start = -1;
    const atX = xs[i - x0] + ",";
    for (let iy = y0; iy <= y1 + 1; iy++) {
      const at = (iy - y0 + 1) * px + i - x0;
      const edge = iy <= y1 && mask[at] !== mask[at + 1];
      if (edge && start < 0) start = iy;
      else if (!edge && start >= 0) {
        parts.push("M" + atX + ys[start - y0] + "L" + atX + ys[iy - y0]);
        start = -1;
      }
    }
  }
  return parts.join("");
}

// a plot's scales (y up: row 0 at the bottom), counting their calls
function countingScales(nx, ny) {
  const calls = { x: 0, y: 0 };
  const gx = (i) => (calls.x++, 30.25 + (i * 517) / nx);
  const gy = (j) => (calls.y++, 411.5 - (j * 389) / ny);
  return { gx, gy, calls };
}

// a noisy label grid: nx x ny cells of `count` labels, each label's basin its label mod `reps`
function noisyGrid(nx, ny, count) {
  return Int32Array.from({ length: nx * ny }, () => Math.floor(rnd() * count));
}

describe("outlinePath's d, made when read", () => {
  it("a long outline (drawn in cells) does not make its d, through OutlineMemo as the view keeps it", () => {
    const nx = 120;
    const ny = 90;
    const labels = noisyGrid(nx, ny, 40);
    const repOf = (b) => b % 7;
    const selected = new Set([2, 5]);
    const { gx, gy, calls } = countingScales(nx, ny);
    const on = selectedLabels(labelIndex(labels).distinct, repOf, selected);
    const memo = new OutlineMemo(4);
    const slice = {};
    const known = memo.outline("400|300", slice, on, () => outlinePath(labels, nx, ny, repOf, selected, gx, gy, on));
    expect(known.segments).toBeGreaterThan(OUTLINE_SVG_SEGMENTS);
    expect(known.cells.w).toBeGreaterThan(100);
    expect(known.key).toBe("400|300");
    expect(known.slice).toBe(slice);
    expect(known.on).toBe(on);
    // no grid line's pixel position asked: no path text made
    expect(calls).toEqual({ x: 0, y: 0 });
    // kept: asked again, the same outline, still without its text
    expect(memo.outline("400|300", slice, on, () => { throw new Error("made again"); })).toBe(known);
    expect(calls).toEqual({ x: 0, y: 0 });
    // read (an export, a short outline): made once, the text commit 68c1d45 wrote, then kept
    const d = known.d;
    expect(calls.x).toBe(known.cells.w + 2);
    expect(calls.y).toBe(known.cells.h + 2);
    const ref = countingScales(nx, ny);
    expect(d).toBe(referenceD(labels, nx, ny, repOf, selected, ref.gx, ref.gy));
    expect(known.d).toBe(d);
    expect(calls.x).toBe(known.cells.w + 2);
    expect(d.split("M").length - 1).toBe(known.segments);
  });

  it("a short outline's d is the text it was before, on random grids, selections and boxes", () => {
    let checked = 0;
    for (let trial = 0; trial < 60; trial++) {
      const nx = 3 + Math.floor(rnd() * 40);
      const ny = 3 + Math.floor(rnd() * 40);
      const count = 2 + Math.floor(rnd() * 30);
      // blobs, not only noise: labels of 4 x 4 blocks on some trials (long straight runs)
      const block = trial % 3 === 0 ? 4 : 1;
      const labels = Int32Array.from({ length: nx * ny }, (_, k) =>
        block === 1 ? Math.floor(rnd() * count) : (Math.floor((k % nx) / block) * 31 + Math.floor(k / nx / block) * 17) % count);
      const reps = 1 + Math.floor(rnd() * count);
      const repOf = (b) => b % reps;
      const selected = new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => Math.floor(rnd() * reps)));
      const a = countingScales(nx, ny);
      const b = countingScales(nx, ny);
      const out = outlinePath(labels, nx, ny, repOf, selected, a.gx, a.gy);
      expect(out.segments).toBeLessThanOrEqual(OUTLINE_SVG_SEGMENTS);
      const want = referenceD(labels, nx, ny, repOf, selected, b.gx, b.gy);
      expect(out.d).toBe(want);
      expect(out.d.split("M").length - 1).toBe(out.segments);
      if (want) checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("a selection of every cell (a slider at its top) is the grid's border, as the runs give it", () => {
    for (const [nx, ny] of [[1, 1], [5, 3], [40, 27]]) {
      const labels = Int32Array.from({ length: nx * ny }, (_, k) => k % 7);
      const a = countingScales(nx, ny);
      const b = countingScales(nx, ny);
      const out = outlinePath(labels, nx, ny, () => 0, new Set([0]), a.gx, a.gy);
      expect(out.d).toBe(referenceD(labels, nx, ny, () => 0, new Set([0]), b.gx, b.gy));
      expect([out.segments, out.edges]).toEqual([4, 2 * (nx + ny)]);
      const { mask, x0, y0, w, h } = out.cells;
      expect([x0, y0, w, h]).toEqual([0, 0, nx, ny]);
      const inside = (k) => k % (nx + 2) > 0 && k % (nx + 2) <= nx && k >= nx + 2 && k < (nx + 2) * (ny + 1);
      expect(Array.from(mask)).toEqual(Array.from(mask, (_, k) => (inside(k) ? 1 : 0)));
    }
  });

  it("an empty selection (or one no cell holds) has d empty, no segments", () => {
    const labels = Int32Array.of(0, 1, 1, 0);
    const { gx, gy } = countingScales(2, 2);
    for (const sel of [new Set(), new Set([9])]) {
      const out = outlinePath(labels, 2, 2, (x) => x, sel, gx, gy);
      expect([out.d, out.segments, out.edges, out.cells]).toEqual(["", 0, 0, null]);
    }
  });
});
