// Browser geometry from the compact topology model == Python's on tree.simplify(t): fixtures
// written by scripts/write_js_fixtures.py (profile linear and log, tree layout, barcode).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decode, isWire } from "../src/lib/wire.js";
import { Topology } from "../src/lib/topology.js";
import { landscapeProfile } from "../src/lib/profile_geometry.js";
import { barcodeRows, mergeTreeLayout } from "../src/lib/tree_geometry.js";

const dir = join(import.meta.dirname, "py_fixtures");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

/** Every field equal: integers exactly, floats to 1e-9 of the range (sums in other orders). */
function expectSame(got, want, what) {
  for (const [name, msg] of Object.entries(want)) {
    const g = got[name];
    expect(g, `${what}.${name} missing`).not.toBeUndefined();
    if (!isWire(msg)) {
      expect(g, `${what}.${name}`).toBeCloseTo(msg, 9);
      continue;
    }
    const w = decode(msg);
    expect(g.length, `${what}.${name} length`).toBe(w.length);
    for (let i = 0; i < w.length; i++) {
      const a = Number(g[i]);
      const b = Number(w[i]);
      if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
      const tol = 1e-9 * Math.max(1, Math.abs(b));
      if (!(Math.abs(a - b) <= tol)) {
        throw new Error(`${what}.${name}[${i}]: got ${a}, Python ${b}`);
      }
    }
  }
}

describe.each(files)("geometry from the compact model: %s", (file) => {
  const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const topo = new Topology(doc.model);

  it("covers several thresholds, down to a single basin", () => {
    expect(doc.cases.length).toBeGreaterThanOrEqual(doc.n_minima > 2 ? 5 : 1);
    expect(doc.cases[0].threshold).toBe(0);
  });

  for (const c of doc.cases) {
    it(`profile (linear, log), tree layout and barcode at t=${c.threshold}`, () => {
      expectSame(landscapeProfile(topo, c.threshold, "linear"), c.profile_linear, "profile_linear");
      expectSame(landscapeProfile(topo, c.threshold, "log"), c.profile_log, "profile_log");
      expectSame(mergeTreeLayout(topo, c.threshold), c.tree, "tree");
      expectSame(barcodeRows(topo, c.threshold), c.barcode, "barcode");
      // the cached accessors hand out the same numbers
      expectSame(topo.profile(c.threshold, "log"), c.profile_log, "topo.profile");
    });
  }
});
