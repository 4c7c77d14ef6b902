import { describe, expect, it } from "vitest";
import { linear, ticks, fmt, extent } from "../src/lib/scales.js";
import { viridis, depth } from "../src/lib/colors.js";

describe("scales", () => {
  it("maps and inverts linearly, including flipped ranges", () => {
    const s = linear([0, 10], [100, 0]);
    expect(s(0)).toBe(100);
    expect(s(5)).toBe(50);
    expect(s.invert(25)).toBe(7.5);
  });

  it("makes round ticks inside the domain", () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(ticks(-2, 2, 4)).toEqual([-2, -1, 0, 1, 2]);
    expect(ticks(3, 3)).toEqual([3]);
    expect(ticks(NaN, 1)).toEqual([]);
  });

  it("formats numbers compactly", () => {
    expect(fmt(0.123456)).toBe("0.1235");
    expect(fmt(Infinity)).toBe("∞");
    expect(fmt(NaN)).toBe("–");
    expect(fmt(1.5e-7)).toBe("1.50e-7");
  });

  it("pads extents and ignores non-finite values", () => {
    expect(extent([0, NaN, 10, Infinity], 0.1)).toEqual([-1, 11]);
    expect(extent([2, 2])).toEqual([1.5, 2.5]);
    expect(extent([])).toEqual([0, 1]);
  });

  it("colours: darker blue is lower", () => {
    const lum = (c) => c.match(/\d+/g).map(Number).reduce((a, b) => a + b, 0);
    expect(lum(depth(0))).toBeLessThan(lum(depth(0.5)));
    expect(lum(depth(0.5))).toBeLessThan(lum(depth(1)));
    expect(viridis(0)).toBe("rgb(68,1,84)");
  });
});
