// The barcode's painted tier: past SVG_BARS bars the less persistent ones are painted into one
// bitmap and picked in JS. Picking must equal what a browser hits on the same bars drawn as
// SVG rects in drawing order (checked against a brute-force scan), and the split must keep the
// most persistent bars as elements and state every bar's basin in drawing order.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StaticModel, makeHost } from "../src/runtime.js";
import barcode from "../src/barcode_view.js";
import { SVG_BARS, barRect, pickBar } from "../src/lib/bar_rows.js";
import { w } from "./fixtures.js";

let s = 11;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);

describe("pickBar", () => {
  for (const rowH of [0.2, 0.34, 0.9, 1.4, 6]) {
    it(`equals the last rect in drawing order that holds the point (rows ${rowH} px)`, () => {
      const first = 37;
      const rects = Array.from({ length: 300 }, (_, k) => {
        const x0 = 200 * rnd();
        const x1 = x0 + (rnd() < 0.2 ? 0.5 : 60 * rnd());
        return { basin: 1000 + k, row: first + k, ...barRect(x0, x1, first + k, rowH) };
      });
      const top = rects[0].y - 2;
      const bottom = rects[rects.length - 1].y + 3;
      let hits = 0;
      for (let k = 0; k < 3000; k++) {
        const x = 270 * rnd() - 5;
        const y = top + (bottom - top) * rnd();
        let want = null;
        for (const r of rects) if (x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height) want = r.basin;
        if (want != null) hits++;
        expect(pickBar(rects, rowH, x, y)).toBe(want);
      }
      expect(hits).toBeGreaterThan(150); // the scan hits bars, not only empty space
    });
  }
  it("nothing to pick: no rects", () => {
    expect(pickBar([], 1, 3, 3)).toBe(null);
  });
});

// a 2-D context that records the painted rects (jsdom has no canvas)
const painted = [];
const saved = {};
beforeAll(() => {
  const proto = window.HTMLCanvasElement.prototype;
  saved.getContext = proto.getContext;
  saved.toDataURL = proto.toDataURL;
  proto.getContext = function getContext() {
    const canvas = this;
    let dx = 0;
    return {
      canvas, fillStyle: "",
      scale() {},
      translate(x) { dx += x; },
      fillRect(x, y, width, height) { painted.push({ x: x + dx, y, width, height, fill: this.fillStyle }); },
    };
  };
  proto.toDataURL = () => "data:image/png;base64,iVBORw0KGgo=";
});
afterAll(() => {
  const proto = window.HTMLCanvasElement.prototype;
  proto.getContext = saved.getContext;
  proto.toDataURL = saved.toDataURL;
});
beforeEach(() => {
  document.body.replaceChildren();
  painted.length = 0;
});

function setup(data, height = 300) {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
  const view = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 400, height, _data: data }, manager);
  models.set("sel", sel);
  models.set("view", view);
  const el = document.createElement("div");
  document.body.appendChild(el);
  return { sel, view, el, host: makeHost(models) };
}

describe("BarcodeView's painted tier", () => {
  const n = 3000;
  const data = { topology: chainTopology(n, 5) };

  it(`keeps the ${SVG_BARS} most persistent bars as elements and paints the rest in order`, async () => {
    const { el, sel, view, host } = setup(data);
    await barcode.render({ model: view, el, host });
    const order = el.querySelector("g.lw-bars").getAttribute("data-order").split(" ").map(Number);
    const agg = Number(el.querySelector("[data-aggregate]").getAttribute("data-aggregate"));
    expect(order.length + agg).toBe(n);
    expect(order.length).toBeGreaterThan(SVG_BARS + 100);
    // drawing order is persistence order: the most persistent first
    const topo = data.topology;
    const ids = Array.from(new Int32Array(topo.minima.buffer.buffer));
    const pers = Array.from(new Float64Array(topo.persistence.buffer.buffer));
    const p = new Map(ids.map((b, i) => [b, pers[i]]));
    for (let k = 1; k < order.length; k++) expect(p.get(order[k - 1])).toBeGreaterThanOrEqual(p.get(order[k]));
    const elements = [...el.querySelectorAll("rect.lw-bar[data-basin]")].map((r) => Number(r.getAttribute("data-basin")));
    expect(elements).toEqual(order.slice(0, SVG_BARS));
    const image = el.querySelector("image.lw-bar-raster");
    expect(Number(image.getAttribute("data-painted"))).toBe(order.length - SVG_BARS);
    expect(image.getAttribute("href")).toMatch(/^data:image\/png;base64,/);
    // the image is under the elements (first in the bars' group), one fillRect per painted bar
    expect(image.parentNode.firstElementChild).toBe(image);
    expect(painted.length).toBe(order.length - SVG_BARS);
    expect(new Set(painted.map((r) => r.fill))).toEqual(new Set(["#4a6fa5"]));
    // a selected painted bar is drawn on top as an element exactly where it is painted
    const b = order[SVG_BARS + 17];
    sel.set("basins", [b]);
    const lit = el.querySelectorAll(`rect.lw-lod-overlay[data-basin="${b}"][aria-selected="true"]`);
    expect(lit.length).toBe(1);
    const at = ["x", "y", "width", "height"].map((a) => Number(lit[0].getAttribute(a)));
    const r = painted[17];
    expect(at).toEqual([r.x - 2, r.y, r.width, r.height]); // (the bitmap starts 2 px left of the plot)
    expect(lit[0].parentNode.lastElementChild).toBe(lit[0]);
    sel.set("basins", []);
    expect(el.querySelectorAll(`[data-basin="${b}"]`).length).toBe(0);
    // an element bar selected: no overlay
    sel.set("basins", [order[3]]);
    expect(el.querySelectorAll(".lw-lod-overlay").length).toBe(0);
  });

  it(`draws every bar as an element at ${SVG_BARS} bars or fewer`, async () => {
    const { el, view, host } = setup({ topology: chainTopology(SVG_BARS, 9) });
    await barcode.render({ model: view, el, host });
    expect(el.querySelectorAll("rect.lw-bar[data-basin]").length).toBe(SVG_BARS);
    expect(el.querySelector("image.lw-bar-raster")).toBe(null);
    expect(painted.length).toBe(0);
  });
});

// (as in lod.test.js: importing it would run its tests here, under this file's canvas)
// A 1-D landscape with n minima (vertices 2j) and n - 1 saddles between them (2j + 1), its
// merge tree by the elder rule (a plain union-find sweep over the saddles).
export function chainTopology(n, seed = 1) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const minVal = Array.from({ length: n }, () => rnd());
  const sadVal = Array.from({ length: n - 1 }, () => 1 + rnd());
  const root = Array.from({ length: n }, (_, j) => j); // union-find over minima; root = oldest
  const find = (j) => (root[j] === j ? j : (root[j] = find(root[j])));
  const pers = new Array(n).fill(Infinity);
  const parent = new Array(n).fill(-1);
  const death = new Array(n).fill(-1);
  const order = [...sadVal.keys()].sort((a, b) => sadVal[a] - sadVal[b]);
  for (const q of order) {
    const a = find(q);
    const b = find(q + 1);
    const [old, young] = minVal[a] < minVal[b] ? [a, b] : [b, a];
    pers[young] = sadVal[q] - minVal[young];
    parent[young] = 2 * old;
    death[young] = 2 * q + 1;
    root[young] = old;
  }
  const byValue = [...minVal.keys()].sort((a, b) => minVal[a] - minVal[b]);
  const saddles = [...sadVal.keys()].sort((a, b) => sadVal[a] - sadVal[b]);
  return {
    shape: [2 * n - 1],
    axes: [w(Array.from({ length: 2 * n - 1 }, (_, k) => k))],
    value_min: 0,
    value_max: 2,
    minima: w(byValue.map((j) => 2 * j), "int32"),
    minimum_value: w(byValue.map((j) => minVal[j]), "float64"),
    persistence: w(byValue.map((j) => pers[j]), "float64"),
    parent_minimum: w(byValue.map((j) => parent[j]), "int32"),
    death_saddle: w(byValue.map((j) => death[j]), "int32"),
    basin_size: w(byValue.map((j) => (j < n - 1 ? 2 : 1)), "int32"),
    saddles: w(saddles.map((q) => 2 * q + 1), "int32"),
    saddle_value: w(saddles.map((q) => sadVal[q]), "float64"),
    levels: [],
    barcode: null,
    // basin j holds its minimum (2j) and the saddle at its right (2j + 1), in 4 bands of 0.5
    n_nonfinite: 0,
    value_sum: w(byValue.map((j) => minVal[j] + (j < n - 1 ? sadVal[j] : 0)), "float64"),
    bands: { linear: bandsOf(byValue, minVal, sadVal), log: bandsOf(byValue, minVal, sadVal) },
  };
}

function bandsOf(byValue, minVal, sadVal) {
  const n = minVal.length;
  const offsets = [0];
  const band = [];
  const count = [];
  const of = (v) => Math.min(3, Math.floor(v / 0.5));
  for (const j of byValue) {
    const bs = [of(minVal[j])];
    if (j < n - 1) bs.push(of(sadVal[j]));
    for (const b of bs) { band.push(b); count.push(1); }
    offsets.push(band.length);
  }
  return { edges: w([0, 0.5, 1, 1.5, 2], "float64"), offsets: w(offsets, "int32"), band: w(band, "uint8"), count: w(count, "int32") };
}
