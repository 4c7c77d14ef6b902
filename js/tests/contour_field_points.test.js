// ContourView(field=...): the bands colour a field of the landscape on a linear scale of its
// own, labelled with the field's name; the loss keeps the views' scale. The drawing itself is
// tested in a real browser (tests/browser/test_contour_scattered.py).
import { describe, expect, it } from "vitest";
import { colouring, pixelVertex } from "../src/contour_view.js";
import { Topology } from "../src/lib/topology.js";
import { topologyPayload, w } from "./fixtures.js";
import { lossScaleOf } from "../src/lib/loss_scale.js";
import { tooltipLines } from "../src/lib/view.js";

const levels = {
  linear: { edges: [0.2, 0.5, 0.8] },
  log: { edges: [0.2, 0.4, 0.8] },
};

describe("ContourView colouring", () => {
  it("uses the loss's level set and scale without a field", () => {
    const log = lossScaleOf("log", 0.1, 100);
    const c = colouring({ field: "", levels }, log);
    expect(c.set).toBe(levels.log);
    expect(c.scale).toBe(log);
    expect(c.name).toBe("loss");
    expect(colouring({ levels }, lossScaleOf("linear", 0, 1)).set).toBe(levels.linear);
  });

  it("colours a field linearly over its own range, named on the colour bar", () => {
    const c = colouring({ field: "accuracy", levels }, lossScaleOf("log", 0.1, 100));
    expect(c.set).toBe(levels.linear);
    expect(c.scale.kind).toBe("linear");
    expect(c.scale.label(c.name)).toBe("accuracy");
  });

  it("shows a pixel's field value by name in the tooltip", () => {
    const rows = tooltipLines({ basin: 3, field: ["accuracy", 0.75] });
    expect(rows).toContain("accuracy 0.75");
    expect(rows.some((r) => String(r).startsWith("loss"))).toBe(false);
  });
});

describe("scattered landscapes: sample coordinates and the pixel's nearest sample", () => {
  it("reads a vertex's coordinates from `points` when the payload has them", () => {
    const grid = new Topology(topologyPayload());
    const payload = { ...topologyPayload(), points: w([0.5, -1, 2, 3.25, -4, 0], "float32", [3, 2]) };
    const topo = new Topology(payload);
    expect(topo.coords(1)).toEqual([2, 3.25]);
    expect(topo.coords(2)).toEqual([-4, 0]);
    expect(grid.points).toBeNull(); // grids keep reading their axes
  });

  it("names a pixel's vertex from the `vertex` raster, else from the grid strides", () => {
    const scattered = { x: [0, 1, 2], vertex: new Int32Array([7, 7, 9, 4, 4, 9]), base_vertex: 0, stride_x: 0, stride_y: 0 };
    expect(pixelVertex(scattered, 2, 0)).toBe(9);
    expect(pixelVertex(scattered, 0, 1)).toBe(4);
    const grid = { x: [0, 1, 2], base_vertex: 5, stride_x: 1, stride_y: 10 };
    expect(pixelVertex(grid, 2, 1)).toBe(17);
  });
});
