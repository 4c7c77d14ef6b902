import { describe, expect, it } from "vitest";
import { widenWarp } from "../src/profile_view.js";
import { hiddenBand } from "../src/persistence_diagram_view.js";
import { lossAxisScale, lossScaleOf } from "../src/lib/loss_scale.js";

const rect = (basin, a, b) => ({ basin, points: [[a, 0], [b, 0], [b, 1], [a, 1]] });

describe("profile widening", () => {
  it("widens a narrow inner basin to about `share`, monotonically, ends fixed", () => {
    const warp = widenWarp([rect(0, 0, 1), rect(2, 0.5, 0.501)], new Set([0]), 0.06);
    expect(warp(0)).toBe(0);
    expect(warp(1)).toBeCloseTo(1);
    expect(warp(0.501) - warp(0.5)).toBeGreaterThan(0.05);
    const xs = Array.from({ length: 101 }, (_, k) => k / 100);
    for (let k = 1; k < xs.length; k++) expect(warp(xs[k])).toBeGreaterThanOrEqual(warp(xs[k - 1]));
  });

  it("is the identity when every basin is wide enough", () => {
    const warp = widenWarp([rect(0, 0, 1), rect(2, 0.2, 0.6)], new Set([0]));
    expect(warp(0.37)).toBe(0.37);
  });
});

describe("persistence diagram band", () => {
  it("hides pairs with death - birth < t, a curve on a log axis", () => {
    const T = lossScaleOf("log", 0.1, 1000);
    const sx = lossAxisScale(T, [0.1, 1000], [0, 100], 0);
    const sy = lossAxisScale(T, [0.1, 1000], [100, 0], 0);
    const d = hiddenBand(sx, sy, 0.1, 1000, 1);
    expect(d.startsWith(`M0.0,${sy(1.1).toFixed(1)}`)).toBe(true);
    expect(d.endsWith("Z")).toBe(true);
    expect(hiddenBand(sx, sy, 0.1, 1000, 5000)).toBe("");
  });
});
