// lib/ranked_paint.js: a threshold's painted layer continued from the checkpoint below it runs
// the same drawing as a cold paint from that checkpoint on; items are painted in rank order
// under what is there (destination-over: the ranking's first on top), each arc's rim before its
// fill. Checked on a recording 2-D context (jsdom has no canvas); the pixels are compared in a
// real browser (tests/browser/test_diagram_checkpoints.py).
import { beforeAll, describe, expect, it } from "vitest";
import { RankedLayer, bandSize, paintUnder, BAND_MIN, MAX_CHECKPOINTS, MAX_LAYER_PIXELS } from "../src/lib/ranked_paint.js";

let log = [];
let serial = 0;
let failFrom = Infinity; // canvases numbered from here on have no context (a failed copy)

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = function () {
    const canvas = this;
    if (!canvas.lwId) canvas.lwId = ++serial;
    if (canvas.lwId >= failFrom) return null;
    const g = {
      canvas, globalCompositeOperation: "source-over",
      scale() {}, translate() {}, setTransform() {}, save() {}, restore() {}, beginPath() {}, moveTo() {},
      arc(x, y) { log.push(["arc", canvas.lwId, x, y, g.globalCompositeOperation]); },
      fill() { log.push(["fill", canvas.lwId]); }, stroke() { log.push(["stroke", canvas.lwId]); },
      drawImage(src) { log.push(["copy", canvas.lwId, src.lwId]); },
    };
    return g;
  };
});

const N = 2000;
const items = Array.from({ length: N }, (_, j) => ({ x: j, y: 2 * j, p: {} }));
const spec = { ranking: items, total: N + 150, width: 100, height: 80, scale: 1, pad: 4, nCircles: 700, radius: () => 4.5, fill: "#333" };
const arcs = (entries) => entries.filter((e) => e[0] === "arc").map((e) => e[2]);

describe("RankedLayer", () => {
  it("bands: at least BAND_MIN items, at most MAX_CHECKPOINTS of them, MAX_LAYER_PIXELS in all", () => {
    expect(bandSize(100)).toBe(BAND_MIN);
    expect(bandSize(20000)).toBe(Math.ceil(20000 / MAX_CHECKPOINTS));
    expect(Math.ceil(20000 / bandSize(20000))).toBeLessThanOrEqual(MAX_CHECKPOINTS);
    // a large plot at 2x (1,616 x 1,216 device pixels): fewer, wider bands
    const pixels = 1616 * 1216;
    const count = Math.ceil(20000 / bandSize(20000, pixels));
    expect(count * pixels).toBeLessThanOrEqual(MAX_LAYER_PIXELS);
    expect(count).toBe(Math.floor(MAX_LAYER_PIXELS / pixels));
    expect(bandSize(20000, 1e9)).toBe(20000); // one canvas past the budget: one band
  });

  it("paints every item once, in rank order, under what is there; circles rim first", () => {
    log = [];
    const layer = new RankedLayer(spec);
    const m = 900;
    expect(layer.paint(items, m)).not.toBe(null);
    expect(arcs(log)).toEqual(items.slice(0, m).map((q) => q.x));
    expect(log.filter((e) => e[0] === "arc").every((e) => e[4] === "destination-over")).toBe(true);
    // the circles (first 700): each arc stroked, then filled; the dots: one fill of one path
    const ops = log.filter((e) => e[0] !== "copy").map((e) => e[0]);
    expect(ops.slice(0, 3)).toEqual(["arc", "stroke", "fill"]);
    expect(layer.checkpoints.length).toBe(Math.floor(m / layer.band));
  });

  it("a count continued from a checkpoint paints only past it, as a cold paint does after it", () => {
    const band = bandSize(spec.total, 100 * 80);
    const m = 2 * band + 37;
    log = [];
    const cold = new RankedLayer(spec);
    const coldCanvas = cold.paint(items, m);
    const coldArcs = log.filter((e) => e[0] === "arc" && e[1] === coldCanvas.lwId).map((e) => e[2]);
    log = [];
    const warm = new RankedLayer(spec);
    warm.paint(items, 3 * band + 5); // every checkpoint to 3 bands
    log = [];
    const warmCanvas = warm.paint(items, m);
    const own = log.filter((e) => e[1] === warmCanvas.lwId);
    expect(own[0]).toEqual(["copy", warmCanvas.lwId, warm.checkpoints[1].lwId]); // 2 bands
    expect(arcs(own)).toEqual(coldArcs.slice(2 * band));
    expect(arcs(own)).toEqual(items.slice(2 * band, m).map((q) => q.x));
    // a revisit shows the canvas painted before
    log = [];
    expect(warm.paint(items, m)).toBe(warmCanvas);
    expect(log).toEqual([]);
  });

  it("a checkpoint that cannot be copied stops the saving, not the painting", () => {
    log = [];
    const layer = new RankedLayer(spec);
    failFrom = serial + 3; // the layer's canvas and the first copy work, the next copy fails
    const m = 3 * layer.band + 10;
    const canvas = layer.paint(items, m);
    failFrom = Infinity;
    expect(arcs(log.filter((e) => e[1] === canvas.lwId))).toEqual(items.slice(0, m).map((q) => q.x));
    expect(layer.checkpoints.length).toBe(1);
  });

  it("paintUnder: dots past the circles, in one path, under what is there", () => {
    log = [];
    const canvas = document.createElement("canvas");
    const g = canvas.getContext("2d");
    paintUnder(g, items, 695, 710, { nCircles: 700, radius: () => 4.5, fill: "#333" });
    expect(arcs(log)).toEqual(items.slice(695, 710).map((q) => q.x));
    expect(log.filter((e) => e[0] === "fill").length).toBe(5 + 1);
  });
});
