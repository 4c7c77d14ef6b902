// profileBitmap: coloured by depth every shape has the same fill and nested shapes lie inside
// the outermost ones, so only those are filled, then every outline is stroked in drawing order;
// coloured by mean loss each shape is filled and stroked in turn. Checked on a recording 2-D
// context (jsdom has no canvas) with the geometry of the Python fixtures.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Topology } from "../src/lib/topology.js";
import { landscapeProfile } from "../src/lib/profile_geometry.js";
import { lossScaleOf } from "../src/lib/loss_scale.js";
import { profileBitmap, profileGeometry } from "../src/lib/profile_shapes.js";

let log = [];

beforeAll(() => {
  // a recording context: each fill or stroke logged with the first point of its path
  HTMLCanvasElement.prototype.getContext = function () {
    let first = null;
    return {
      canvas: this,
      scale() {}, beginPath() { first = null; }, closePath() {},
      moveTo(x, y) { first = [x, y]; }, lineTo() {},
      fill() { log.push(["fill", first]); }, stroke() { log.push(["stroke", first]); },
      createLinearGradient() { return { addColorStop() {} }; },
    };
  };
});

const doc = JSON.parse(readFileSync(join(import.meta.dirname, "py_fixtures", "noisy.json"), "utf8"));
const topo = new Topology(doc.model);
const loss = lossScaleOf("linear", topo.valueMin, topo.valueMax);
const firstPoint = (shape) => [shape.px[0], shape.px[1]];

describe("profileBitmap's painting", () => {
  const profile = landscapeProfile(topo, 0, "linear");
  const geo = profileGeometry(topo, profile, null, loss, 500, 260);
  const outer = geo.shapes.filter((s) => geo.outer.has(s.raw));

  it("has nested shapes inside the outermost ones (what filling only those relies on)", () => {
    expect(outer.length).toBeGreaterThan(0);
    expect(geo.shapes.length).toBeGreaterThan(outer.length + 20);
    for (const s of geo.shapes) {
      const [x0, y0, x1, y1] = s.bbox;
      const holder = outer.some((o) => o.bbox[0] <= x0 + 1e-9 && o.bbox[2] >= x1 - 1e-9 && o.bbox[1] <= y0 + 1e-9 && o.bbox[3] >= y1 - 1e-9);
      expect(holder).toBe(true);
    }
  });

  it("by depth: fills the outermost shapes, then strokes every shape in order", () => {
    log = [];
    const stops = [[0, "#000"], [1, "#fff"]];
    expect(profileBitmap(geo, "depth", () => stops, 260, 0, 500, 260)).not.toBe(null);
    const fills = log.filter(([op]) => op === "fill").map(([, p]) => p);
    const strokes = log.filter(([op]) => op === "stroke").map(([, p]) => p);
    expect(fills).toEqual(outer.map(firstPoint));
    expect(strokes).toEqual(geo.shapes.map(firstPoint));
    expect(log.findIndex(([op]) => op === "stroke")).toBe(fills.length); // outlines over all fills
  });

  it("by mean loss: each shape filled, then stroked, in order", () => {
    log = [];
    profileBitmap(geo, "mean_loss", (s) => `rgb(${Math.round(255 * s.mean)},0,0)`, 260, 0, 500, 260);
    expect(log).toEqual(geo.shapes.flatMap((s) => [["fill", firstPoint(s)], ["stroke", firstPoint(s)]]));
  });
});
