// ladderThreshold: the profile's level of detail on a ladder of basin counts.
import { describe, expect, it } from "vitest";
import { Topology } from "../src/lib/topology.js";
import { LADDER_FLOOR, itemBudget, ladderRungs, ladderThreshold, lodThreshold, shownCount } from "../src/lib/lod.js";
import { chainTopology } from "./chain_topology.js";

describe("ladderThreshold", () => {
  const topo = new Topology(chainTopology(2500, 3));
  const pers = [...topo.persistence].filter(Number.isFinite).sort((a, b) => a - b);
  const cap = itemBudget(3);
  // thresholds from 0 to past the largest finite persistence
  const ts = [0, ...Array.from({ length: 400 }, (_, k) => pers[Math.floor((k / 400) * pers.length)]), pers[pers.length - 1] * 1.01];

  it("draws exactly at t up to LADDER_FLOOR basins, never below t, as lodThreshold past the budget", () => {
    for (const t of ts) {
      const n = shownCount(topo, t);
      const tDraw = ladderThreshold(topo, t, cap);
      expect(tDraw).toBeGreaterThanOrEqual(t);
      if (n <= LADDER_FLOOR) expect(tDraw).toBe(t);
      if (n > cap) expect(tDraw).toBe(lodThreshold(topo, t, cap));
    }
  });

  it("keeps more than 1/sqrt(2) of the shown basins, and one picture per rung", () => {
    const pictures = new Map(); // tDraw -> counts at t that drew it
    for (const t of ts) {
      const n = shownCount(topo, t);
      if (n > cap) continue;
      const tDraw = ladderThreshold(topo, t, cap);
      const kept = shownCount(topo, tDraw);
      expect(kept).toBeLessThanOrEqual(n);
      expect(kept).toBeGreaterThanOrEqual(Math.min(n, Math.floor(n / Math.SQRT2)));
      if (!pictures.has(tDraw)) pictures.set(tDraw, []);
      pictures.get(tDraw).push(n);
    }
    // the 400 thresholds between LADDER_FLOOR and the budget share a handful of pictures
    const ladder = [...pictures.entries()].filter(([, ns]) => Math.min(...ns) > LADDER_FLOOR);
    expect(ladder.length).toBeGreaterThan(1);
    expect(ladder.length).toBeLessThanOrEqual(Math.ceil(Math.log(cap / LADDER_FLOOR) / Math.log(Math.SQRT2)) + 1);
  });

  it("ladderRungs lists every threshold it draws at above t's own, and no other", () => {
    const rungs = ladderRungs(topo, cap);
    expect(ladderRungs(topo, cap)).toBe(rungs); // kept per topology and budget, read-only
    expect(Object.isFrozen(rungs)).toBe(true);
    const drawn = new Set();
    for (const t of ts) {
      const tDraw = ladderThreshold(topo, t, cap);
      if (tDraw !== t) drawn.add(tDraw);
    }
    // every merged picture is a rung; every rung is reached by some t (the thresholds just
    // below each rung's own)
    for (const tDraw of drawn) expect(rungs).toContain(tDraw);
    for (const r of rungs) {
      const below = [...topo.persistence].filter((p) => p < r).reduce((a, b) => Math.max(a, b), -Infinity);
      expect(ladderThreshold(topo, below, cap)).toBe(r);
    }
    expect([...rungs].sort((a, b) => a - b)).toEqual(rungs);
    expect(rungs.length).toBe(new Set(rungs).size);
  });

  it("ladderRungs of a small tree is empty", () => {
    const small = new Topology(chainTopology(LADDER_FLOOR, 3));
    expect(ladderRungs(small, cap)).toEqual([]);
  });
});
