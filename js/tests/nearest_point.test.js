// The scatter's and the map's hit test: the nearest drawn point within the radius, against a
// brute-force search.
import { describe, expect, it } from "vitest";
import { nearestPoint } from "../src/lib/entries.js";

describe("nearestPoint", () => {
  const drawn = [{ id: "a", px: 10, py: 10 }, { id: "b", px: 20, py: 10 }, { id: "c", px: 14, py: 13 }];
  it("picks the closest point within 8 px, else null", () => {
    expect(nearestPoint(drawn, 10, 10).id).toBe("a");
    expect(nearestPoint(drawn, 15, 12).id).toBe("c");
    expect(nearestPoint(drawn, 40, 40)).toBeNull();
    expect(nearestPoint([], 0, 0)).toBeNull();
  });
  it("agrees with a brute-force search on a grid of probes", () => {
    for (let x = 0; x <= 30; x += 1.5) {
      for (let y = 0; y <= 25; y += 1.5) {
        const d = drawn.map((p) => Math.hypot(p.px - x, p.py - y));
        const m = Math.min(...d);
        const want = m <= 8 ? drawn[d.indexOf(m)] : null;
        const got = nearestPoint(drawn, x, y);
        expect(got === null ? null : Math.hypot(got.px - x, got.py - y)).toBe(want === null ? null : m);
      }
    }
  });
  it("takes a radius", () => {
    expect(nearestPoint(drawn, 10, 20, 5)).toBeNull();
    expect(nearestPoint(drawn, 10, 20, 12).id).toBe("c");
  });
});
