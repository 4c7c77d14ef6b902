// cornersOnly: a profile's basin outlines without the points in the middle of straight runs are
// the same polygons (same inside test, same path data) with fewer points; checked on the
// profiles of the Python fixtures (real landscapes: noisy, plateaus, analytic) at every case.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Topology } from "../src/lib/topology.js";
import { landscapeProfile } from "../src/lib/profile_geometry.js";
import { basinPolygons, cornersOnly, inside, pathData } from "../src/lib/profile_shapes.js";

const dir = join(import.meta.dirname, "py_fixtures");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

describe("cornersOnly", () => {
  it("drops the middle of vertical and horizontal runs, keeps spikes and corners", () => {
    const pts = [[0, 0], [0, 1], [0, 2], [0, 3], [1, 3], [2, 3], [2, 1], [2, 2], [2, 0]];
    // (2, 1) -> (2, 2) -> (2, 0): a spike back along x = 2 keeps (2, 2)
    expect(cornersOnly(pts)).toEqual([[0, 0], [0, 3], [2, 3], [2, 1], [2, 2], [2, 0]]);
    expect(cornersOnly([[0, 0], [0, 1], [0, 2]])).toEqual([[0, 0], [0, 1], [0, 2]]);
  });

  describe.each(files)("the same polygons on %s", (file) => {
    const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const topo = new Topology(doc.model);
    it("at every case, linear and log", () => {
      let s = 5;
      const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
      let before = 0;
      let after = 0;
      for (const c of doc.cases) {
        for (const kind of ["linear", "log"]) {
          for (const { points } of basinPolygons(landscapeProfile(topo, c.threshold, kind))) {
            const kept = cornersOnly(points);
            before += points.length;
            after += kept.length;
            // the path data (which drops run middles after rounding) is the same
            const px = (ps) => ps.flatMap(([x, y]) => [1000 * x, 100 * y]);
            expect(pathData(px(kept))).toBe(pathData(px(points)));
            let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
            for (const [x, y] of points) [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
            for (let k = 0; k < 40; k++) {
              const pt = [x0 + (x1 - x0) * (1.1 * rnd() - 0.05), y0 + (y1 - y0) * (1.1 * rnd() - 0.05)];
              expect(inside(pt, kept)).toBe(inside(pt, points));
            }
          }
        }
      }
      expect(after).toBeLessThanOrEqual(before);
    });
  });
});
