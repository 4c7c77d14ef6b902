// Hit-testing of the layers painted into bitmaps (merge tree past SVG_BRANCHES basins, diagram
// past SVG_POINTS pairs): the basin under a point is the one a browser would hit on the same
// shapes drawn as SVG elements in paint order (checked here against a brute-force scan).
import { describe, expect, it } from "vitest";
import { pickBranch, segmentDistance2 } from "../src/merge_tree_view.js";
import { pickPainted } from "../src/persistence_diagram_view.js";

let s = 7;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);

describe("painted layers pick what is drawn on top", () => {
  it("segmentDistance2 equals the distance to the nearest of 2,001 points on the segment", () => {
    for (let k = 0; k < 200; k++) {
      const [x, y, x0, y0, x1, y1] = Array.from({ length: 6 }, () => 100 * rnd());
      let best = Infinity;
      for (let i = 0; i <= 2000; i++) {
        const u = i / 2000;
        best = Math.min(best, (x0 + u * (x1 - x0) - x) ** 2 + (y0 + u * (y1 - y0) - y) ** 2);
      }
      expect(Math.abs(segmentDistance2(x, y, x0, y0, x1, y1) - best)).toBeLessThan(0.05 * (1 + best));
    }
  });

  it("pickBranch: the minimum painted last under the point, then saddles, then the nearest branch within 4.5 px", () => {
    const basins = new Map();
    for (let b = 0; b < 60; b++) {
      const x = 200 * rnd();
      const y = 100 * rnd();
      basins.set(b, { lines: [[x, y + 40, x, y]], nodes: [{ x, y: y + 40, min: true }, { x, y, min: false }] });
    }
    const painted = { basins };
    for (let k = 0; k < 400; k++) {
      const x = 200 * rnd();
      const y = 140 * rnd();
      let want = null;
      for (const min of [true, false]) {
        if (want != null) break;
        for (const [b, { nodes }] of basins) {
          for (const n of nodes) if (n.min === min && Math.hypot(n.x - x, n.y - y) <= (min ? 4.9 : 3.9)) want = b;
        }
      }
      if (want == null) {
        let best = 4.5;
        for (const [b, { lines }] of basins) {
          const [x0, y0, x1, y1] = lines[0];
          const d = Math.sqrt(segmentDistance2(x, y, x0, y0, x1, y1));
          if (d <= best) { best = d; want = b; }
        }
      }
      expect(pickBranch(painted, x, y)).toBe(want);
    }
  });

  it("pickPainted: the circle painted last under the point, else the nearest hidden pair within 6 px", () => {
    const pair = (i, basin) => ({ i, x: 100 * rnd(), y: 100 * rnd(), p: { basin } });
    const painted = Array.from({ length: 80 }, (_, i) => pair(i, 1000 + i));
    const hidden = Array.from({ length: 80 }, (_, i) => pair(i, 2000 + i));
    for (let k = 0; k < 400; k++) {
      const x = 100 * rnd();
      const y = 100 * rnd();
      const on = painted.filter((q) => Math.hypot(q.x - x, q.y - y) <= 4.9);
      let want = on.length ? on.reduce((a, b) => (b.i > a.i ? b : a)).p.basin : null;
      if (want == null) {
        let best = 6;
        for (const q of hidden) {
          const d = Math.hypot(q.x - x, q.y - y);
          if (d <= best) { best = d; want = q.p.basin; }
        }
      }
      expect(pickPainted(painted, hidden, x, y)).toBe(want);
    }
  });
});
