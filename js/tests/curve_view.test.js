import { describe, it, expect } from "vitest";
import { basinRuns, nearest } from "../src/curve_view.js";

describe("CurveView helpers", () => {
  it("splits the curve into runs of one shown basin", () => {
    const basins = [0, 0, 0, 4, 4, 6, 6];
    expect(basinRuns(basins, (b) => b)).toEqual([
      { basin: 0, i0: 0, i1: 2 }, { basin: 4, i0: 3, i1: 4 }, { basin: 6, i0: 5, i1: 6 }]);
    // simplified: basin 4 merged into 0
    expect(basinRuns(basins, (b) => (b === 4 ? 0 : b))).toEqual([{ basin: 0, i0: 0, i1: 4 }, { basin: 6, i0: 5, i1: 6 }]);
  });

  it("finds the nearest grid point", () => {
    const x = [-1, -0.5, 0, 0.5, 1];
    expect(nearest(x, -2)).toBe(0);
    expect(nearest(x, 0.2)).toBe(2);
    expect(nearest(x, 0.3)).toBe(3);
    expect(nearest(x, 5)).toBe(4);
  });
});
