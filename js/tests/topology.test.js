import { describe, expect, it } from "vitest";
import { Topology } from "../src/lib/topology.js";
import { topologyPayload } from "./fixtures.js";

describe("Topology", () => {
  const topo = new Topology(topologyPayload({ levels: [{ threshold: 0 }, { threshold: 2.0000001 }] }));

  it("hides pairs below the threshold, never the essential one", () => {
    expect([0, 1, 2, 3].map((i) => topo.visible(i, 2.5))).toEqual([true, true, false, false]);
    expect([0, 1, 2, 3].map((i) => topo.visible(i, 2))).toEqual([true, true, true, true]);
    expect(topo.visible(0, 1e9)).toBe(true);
  });

  it("relabels simplified basins to their surviving parent and merges sizes", () => {
    expect(topo.rep(2, 2.5)).toBe(0);
    expect(topo.rep(4, 2.5)).toBe(0);
    expect(topo.rep(6, 2.5)).toBe(6);
    expect(topo.rep(2, 0)).toBe(2);
    expect(topo.rep(99, 10)).toBe(99); // not a minimum: unchanged
    expect(topo.basinInfo(0, 2.5).size).toBe(5);
    expect(topo.basinInfo(0, 0).size).toBe(2);
  });

  it("picks the precomputed level at or below the threshold", () => {
    expect(topo.levelIndex(0)).toBe(0);
    expect(topo.levelIndex(2)).toBe(0);
    expect(topo.levelIndex(3)).toBe(1);
  });

  it("reports coordinates and tooltip facts", () => {
    expect(topo.coords(4)).toEqual([4]);
    expect(topo.basinInfo(6, 0)).toMatchObject({ basin: 6, loss: 0.5, persistence: 4.5, size: 2 });
    expect(topo.basinInfo(5, 0)).toBe(null);
    expect(topo.maxPersistence).toBe(4.5);
  });

  it("follows chains of parents (grandparent survives)", () => {
    const p = topologyPayload();
    p.parent_minimum.buffer = new DataView(new Int32Array([-1, 0, 6, 2]).buffer);
    p.persistence.buffer = new DataView(new Float64Array([Infinity, 4.5, 1, 0.5]).buffer);
    const t = new Topology(p);
    expect(t.rep(4, 2)).toBe(6);
    expect(t.rep(4, 0.7)).toBe(2);
  });
});
