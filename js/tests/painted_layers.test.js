// Hit-testing of the layers painted into bitmaps (merge tree past SVG_BRANCHES basins, diagram
// past SVG_POINTS pairs, profile past BITMAP_SHAPES shapes): the basin under a point is the one a browser would hit on the same
// shapes drawn as SVG elements in paint order (checked here against a brute-force scan).
import { describe, expect, it } from "vitest";
import { pickBranch, segmentDistance2 } from "../src/merge_tree_view.js";
import { pickPainted } from "../src/persistence_diagram_view.js";
import { pickShape } from "../src/lib/profile_shapes.js";

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

  it("pickPainted: the circle on top under the point (the first in rank order: each is painted under the ones before), else the nearest hidden pair within 6 px", () => {
    const pair = (i, basin) => ({ i, x: 100 * rnd(), y: 100 * rnd(), p: { basin } });
    const painted = Array.from({ length: 80 }, (_, i) => pair(Math.floor(1000 * rnd()), 1000 + i)); // i: not the rank
    const hidden = Array.from({ length: 80 }, (_, i) => pair(i, 2000 + i));
    for (let k = 0; k < 400; k++) {
      const x = 100 * rnd();
      const y = 100 * rnd();
      const on = painted.filter((q) => Math.hypot(q.x - x, q.y - y) <= 4.9);
      let want = on.length ? on.reduce((a, b) => (painted.indexOf(b) < painted.indexOf(a) ? b : a)).p.basin : null;
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

  it("pickShape: the last shape in paint order whose polygon holds the point (winding number)", () => {
    // winding number of a closed polygon around (x, y): non-zero inside (a test independent of
    // the ray casting pickShape uses)
    const winding = (poly, x, y) => {
      let wn = 0;
      for (let i = 0; i < poly.length; i++) {
        const [x0, y0] = poly[i];
        const [x1, y1] = poly[(i + 1) % poly.length];
        const side = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0);
        if (y0 <= y && y1 > y && side > 0) wn += 1;
        else if (y0 > y && y1 <= y && side < 0) wn -= 1;
      }
      return wn;
    };
    // star-shaped polygons (like basins: many of them small, some nested in big ones) and
    // step outlines (as the profile's shapes are drawn)
    const drawn = [];
    for (let b = 0; b < 150; b++) {
      const cx = 300 * rnd();
      const cy = 200 * rnd();
      const r = b < 10 ? 40 + 60 * rnd() : 2 + 15 * rnd();
      const px = [];
      if (b % 3 === 0) {
        let x = cx - r;
        const top = cy - r;
        px.push([x, top]);
        for (let k = 0; k < 6; k++) { const y = cy + r * rnd(); px.push([x, y]); x += (2 * r) / 6; px.push([x, y]); }
        px.push([x, top]);
      } else {
        const n = 5 + Math.floor(10 * rnd());
        for (let k = 0; k < n; k++) {
          const a = (2 * Math.PI * k) / n;
          const rr = r * (0.4 + 0.6 * rnd());
          px.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
        }
      }
      const xs = px.map((p) => p[0]);
      const ys = px.map((p) => p[1]);
      // (a shape's pixels are flat, as profileGeometry makes them: x0, y0, x1, y1, ...)
      drawn.push({ basin: 5000 + b, points: px, px: px.flat(), bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] });
    }
    let hits = 0;
    for (let k = 0; k < 3000; k++) {
      const x = 300 * rnd();
      const y = 200 * rnd();
      let want = null;
      for (const d of drawn) if (winding(d.points, x, y) !== 0) want = d.basin;
      if (want != null) hits += 1;
      expect(pickShape(drawn, x, y)).toBe(want);
    }
    expect(hits).toBeGreaterThan(300);
  });
});
