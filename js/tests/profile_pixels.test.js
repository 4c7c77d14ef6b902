// profileGeometry's pixels (flat arrays from the profile's arrays, lib/profile_polygons.js
// cornerOutlines + warpOfExtents) against the plain construction: each basin's polygon as
// points (basinPolygons), its corners (cornersOnly), the x-warp of those polygons (widenWarp)
// and the axes' scales, point by point; on the Python fixtures at every case, linear and log,
// whole and focused. Also insideFlat against inside.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Topology } from "../src/lib/topology.js";
import { landscapeProfile } from "../src/lib/profile_geometry.js";
import { linear } from "../src/lib/scales.js";
import { lossAxisScale, lossScaleOf } from "../src/lib/loss_scale.js";
import { basinPolygons, cornersOnly, focusWindow, inside, insideFlat, profileGeometry, widenWarp } from "../src/lib/profile_shapes.js";

const dir = join(import.meta.dirname, "py_fixtures");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

/** The shapes' pixels, built point by point: [{raw, px: [x0, y0, ...]}]. */
function plainPixels(profile, focus, loss, w, h) {
  const polys = basinPolygons(profile);
  const win = focusWindow(profile, polys, focus);
  const shown = polys.filter((p) => win.basins.has(p.basin));
  const parents = profile.basin_parent || [-1];
  const outer = new Set(focus ? [focus.basin] : [...profile.basin_ids].filter((_, k) => !(parents[k] >= 0)));
  const xs = linear(win.x, [0, 1]);
  const local = shown.map((p) => ({ ...p, points: cornersOnly(p.points).map(([x, y]) => [xs(x), y]) }));
  const warp = widenWarp(local, outer);
  const lin = linear([0, 1], [0, w]);
  const sy = lossAxisScale(loss, win.y, [h, 0], 0.03);
  const yCap = sy.domain[1];
  return local.map((p) => ({ raw: p.basin, px: p.points.flatMap(([x, y]) => [lin(warp(x)), sy(y < yCap ? y : yCap)]) }));
}

describe.each(files)("profileGeometry pixels on %s", (file) => {
  const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const topo = new Topology(doc.model);
  it("equal the plain construction at every case, linear and log, whole and focused", () => {
    let shapes = 0;
    for (const c of doc.cases) {
      for (const kind of ["linear", "log"]) {
        const loss = lossScaleOf(kind, topo.valueMin, topo.valueMax);
        const profile = landscapeProfile(topo, c.threshold, kind);
        const focuses = [null];
        if (profile.basin_ids.length > 1) focuses.push({ basin: profile.basin_ids[profile.basin_ids.length - 1] });
        for (const focus of focuses) {
          const geo = profileGeometry(topo, profile, focus, loss, 600, 280);
          const want = plainPixels(profile, focus, loss, 600, 280);
          expect(geo.shapes.map((s) => s.raw)).toEqual(want.map((s) => s.raw));
          geo.shapes.forEach((s, j) => expect(Array.from(s.px)).toEqual(want[j].px));
          shapes += geo.shapes.length;
        }
      }
    }
    expect(shapes).toBeGreaterThan(0);
  });
});

describe("insideFlat", () => {
  it("agrees with inside on random points around random polygons", () => {
    let s = 11;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let t = 0; t < 200; t++) {
      const n = 3 + Math.floor(rnd() * 12);
      const poly = Array.from({ length: n }, () => [rnd() * 10, rnd() * 10]);
      const flat = poly.flat();
      for (let k = 0; k < 50; k++) {
        const [x, y] = [rnd() * 12 - 1, rnd() * 12 - 1];
        expect(insideFlat(x, y, flat)).toBe(inside([x, y], poly));
      }
    }
  });
});
