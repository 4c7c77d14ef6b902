// The contour map's trained-model mark on an n-D slice: filled only when the plane passes
// through the model's grid point, hollow (a projection) otherwise.
import { describe, expect, it } from "vitest";
import { sliceHoldsVertex } from "../src/contour_view.js";

const ravel = (idx, shape) => idx.reduce((v, i, d) => v * shape[d] + i, 0);

describe("sliceHoldsVertex", () => {
  const shape = [5, 7, 9];
  const centre = ravel([2, 3, 4], shape);
  it("holds the centre on the centre slice, whatever two axes are shown", () => {
    for (const axes of [[0, 1], [0, 2], [1, 2], [2, 0]]) {
      expect(sliceHoldsVertex(shape, axes, [2, 3, 4], centre)).toBe(true);
    }
  });
  it("does not when the plane is moved along a hidden axis", () => {
    expect(sliceHoldsVertex(shape, [0, 1], [2, 3, 0], centre)).toBe(false);
    expect(sliceHoldsVertex(shape, [1, 2], [1, 3, 4], centre)).toBe(false);
  });
  it("ignores the index along the shown axes", () => {
    expect(sliceHoldsVertex(shape, [0, 1], [0, 0, 4], centre)).toBe(true);
  });
  it("agrees with a plain check over every vertex of a 4-D grid", () => {
    const s4 = [3, 2, 3, 2];
    const index = [1, 0, 2, 1];
    for (let v = 0; v < 36; v++) {
      const idx = [Math.floor(v / 12), Math.floor(v / 6) % 2, Math.floor(v / 2) % 3, v % 2];
      const want = idx[1] === index[1] && idx[3] === index[3];
      expect(sliceHoldsVertex(s4, [0, 2], index, v)).toBe(want);
    }
  });
  it("2-D landscapes always hold their centre", () => {
    expect(sliceHoldsVertex([4, 4], [0, 1], [0, 0], 5)).toBe(true);
  });
});
