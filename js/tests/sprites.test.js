// Discs stamped from sprites (lib/sprites.js stampCircles): each circle one drawImage of its
// atlas's cell at integer device pixels, in the circles' order, the cell's phase the centre's
// position within the pixel rounded to 1/PHASES; one atlas per disc (radius, colours, rim,
// density), its cells drawn as the arcs it replaces. Without a plain transform, or for a large
// disc, the arcs are drawn one by one. jsdom has no canvas: 2-D contexts that record calls.
// (tests/browser/test_sprite_paint.py compares the pixels in Chromium.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PHASES, stampCircles } from "../src/lib/sprites.js";

const saved = {};
const atlasArcs = [];
function recorder(canvas, transform) {
  const calls = [];
  let m = { ...transform };
  return {
    canvas, calls,
    getTransform: () => ({ ...m }),
    setTransform(a, b, c, d, e, f) { m = typeof a === "object" ? { ...a } : { a, b, c, d, e, f }; calls.push(["setTransform", m.a, m.e, m.f]); },
    save() { calls.push(["save"]); },
    restore() { calls.push(["restore"]); },
    beginPath() {},
    arc(x, y, r) { calls.push(["arc", x, y, r, m.e, m.f]); if (canvas) atlasArcs.push([m.e, m.f]); },
    fill() { calls.push(["fill", this.fillStyle]); },
    stroke() { calls.push(["stroke", this.strokeStyle, this.lineWidth]); },
    drawImage(src, sx, sy, sw, sh, dx, dy) { calls.push(["drawImage", src, sx, sy, sw, sh, dx, dy]); },
  };
}
beforeAll(() => {
  const proto = window.HTMLCanvasElement.prototype;
  saved.getContext = proto.getContext;
  proto.getContext = function getContext() { return recorder(this, { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }); };
});
afterAll(() => { window.HTMLCanvasElement.prototype.getContext = saved.getContext; });

const STYLE = { fill: "#4a6fa5", stroke: "#fff", lineWidth: 0.8 };

describe("stampCircles", () => {
  it("stamps each circle in order at integer device pixels from its phase's cell", () => {
    // bitmapContext at 2x, translated by the diagram's 4 px pad
    const g = recorder(null, { a: 2, b: 0, c: 0, d: 2, e: 8, f: 8 });
    const circles = [{ x: 10.3, y: 20.99, r: 4.5 }, { x: 11, y: 21, r: 4.5 }, { x: 0.49, y: 3, r: 4.5 }];
    stampCircles(g, circles, STYLE);
    const stamps = g.calls.filter((c) => c[0] === "drawImage");
    expect(stamps).toHaveLength(3);
    const src = stamps[0][1];
    const c = Math.ceil((4.5 + 0.4) * 2) + 1; // the centre's offset in a cell
    const n = 2 * c + 1;
    expect(src.width).toBe(n * PHASES);
    circles.forEach((q, k) => {
      const [, from, sx, sy, sw, sh, dx, dy] = stamps[k];
      expect(from).toBe(src); // one atlas for one disc
      expect([sw, sh]).toEqual([n, n]);
      expect(Number.isInteger(dx) && Number.isInteger(dy)).toBe(true);
      // the stamp's centre: its cell's phase from the pixel it lands on
      const cx = dx + c + (sx / n) / PHASES;
      const cy = dy + c + (sy / n) / PHASES;
      expect(Math.abs(cx - (2 * q.x + 8))).toBeLessThanOrEqual(0.5 / PHASES + 1e-9);
      expect(Math.abs(cy - (2 * q.y + 8))).toBeLessThanOrEqual(0.5 / PHASES + 1e-9);
    });
    // 20.99 * 2 + 8 = 49.98: rounds up into the next pixel's phase 0
    expect([stamps[0][3], stamps[0][7]]).toEqual([0, 50 - c]);
    // the context's transform is put back
    expect(g.calls[0][0]).toBe("save");
    expect(g.calls[g.calls.length - 1][0]).toBe("restore");
  });

  it("stamps discs of several radii in one layer each from its own radius's atlas", () => {
    const g = recorder(null, { a: 1, b: 0, c: 0, d: 1, e: 4, f: 4 });
    const radii = [4.5, 6, 6, 4.5, 3.5, 4.5];
    stampCircles(g, radii.map((r, k) => ({ x: 10 + 20 * k, y: 15, r })), STYLE);
    const stamps = g.calls.filter((c) => c[0] === "drawImage");
    expect(stamps).toHaveLength(radii.length);
    // the cell's size follows the radius: n = 2 * (ceil(r + rim / 2) + 1) + 1 at 1x
    radii.forEach((r, k) => expect(stamps[k][4]).toBe(2 * (Math.ceil(r + 0.4) + 1) + 1));
    const bySize = new Map();
    stamps.forEach((st) => {
      if (!bySize.has(st[4])) bySize.set(st[4], st[1]);
      expect(st[1]).toBe(bySize.get(st[4])); // one atlas per radius, the same for its discs
    });
    expect(new Set(stamps.map((st) => st[1])).size).toBe(3);
  });

  it("draws every cell of an atlas as the arc at its phase, and an atlas per disc", () => {
    atlasArcs.length = 0;
    const g = recorder(null, { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 });
    stampCircles(g, [{ x: 5, y: 5, r: 7.25 }], { fill: "#123", stroke: "#fff", lineWidth: 0.8 });
    expect(atlasArcs).toHaveLength(PHASES * PHASES);
    const c = Math.ceil(7.25 + 0.4) + 1;
    const n = 2 * c + 1;
    expect(atlasArcs[PHASES + 3]).toEqual([3 * n + c + 3 / PHASES, n + c + 1 / PHASES]);
    stampCircles(g, [{ x: 5, y: 5, r: 7.25 }], { fill: "#123", stroke: "#fff", lineWidth: 0.8 });
    expect(atlasArcs).toHaveLength(PHASES * PHASES); // kept
    stampCircles(g, [{ x: 5, y: 5, r: 7.25 }], { fill: "#124", stroke: "#fff", lineWidth: 0.8 });
    expect(atlasArcs).toHaveLength(2 * PHASES * PHASES); // another colour, another atlas
  });

  it("draws arcs one by one without a plain transform, and for a large disc", () => {
    const rotated = recorder(null, { a: 0, b: 1, c: -1, d: 0, e: 0, f: 0 });
    stampCircles(rotated, [{ x: 1, y: 2, r: 3 }, { x: 4, y: 5, r: 3 }], STYLE);
    expect(rotated.calls.filter((c) => c[0] === "arc").map((c) => c.slice(1, 4))).toEqual([[1, 2, 3], [4, 5, 3]]);
    expect(rotated.calls.some((c) => c[0] === "drawImage")).toBe(false);
    expect(rotated.calls.filter((c) => c[0] === "stroke")).toHaveLength(2);

    const g = recorder(null, { a: 2, b: 0, c: 0, d: 2, e: 0, f: 0 });
    stampCircles(g, [{ x: 1, y: 2, r: 4.5 }, { x: 30, y: 30, r: 40 }, { x: 3, y: 4, r: 4.5 }], STYLE);
    const kinds = g.calls.filter((c) => c[0] === "drawImage" || c[0] === "arc").map((c) => c[0]);
    expect(kinds).toEqual(["drawImage", "arc", "drawImage"]); // in order
    const arc = g.calls.find((c) => c[0] === "arc");
    expect(arc.slice(1, 6)).toEqual([30, 30, 40, 0, 0]); // under the context's own transform
  });
});
