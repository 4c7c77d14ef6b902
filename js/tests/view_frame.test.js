// The shared view frames and brush (lib/view.js, frame.js, brush.js), the one categorical
// palette (lib/colors.js) and the shared diagram renderer (lib/diagram.js), as TrajectoryView,
// MetricScatterView and the Gallery use them.
import { beforeEach, describe, expect, it } from "vitest";
import { StaticModel, makeHost } from "../src/runtime.js";
import { CATEGORICAL, categoryColors } from "../src/lib/colors.js";
import { disposers, attachBrush } from "../src/lib/brush.js";
import { mountFrame, sideBySide } from "../src/lib/frame.js";
import { legendRow } from "../src/lib/view.js";
import { essentialBins, essentialStrip, ESSENTIAL_MARKERS } from "../src/lib/diagram.js";
import { linear } from "../src/lib/scales.js";
import { svg } from "../src/lib/dom.js";
import { entryTable, CATEGORICAL as ENTRY_CATEGORICAL } from "../src/lib/entries.js";
import trajectory, { colorScheme, splitEssential, trajectoryPaths, CATEGORICAL as TRAJ_CATEGORICAL } from "../src/trajectory_view.js";
import { colorScale } from "../src/metric_scatter_view.js";
import { decodeAll } from "../src/lib/wire.js";
import { w } from "./fixtures.js";

beforeEach(() => {
  document.body.replaceChildren();
});

// listener counts of a StaticModel
const listening = (m) => [...m.listeners.values()].reduce((n, set) => n + set.size, 0);

describe("one categorical palette", () => {
  it("is the same array in every module", () => {
    expect(ENTRY_CATEGORICAL).toBe(CATEGORICAL);
    expect(TRAJ_CATEGORICAL).toBe(CATEGORICAL);
  });

  it("colours whole numbers by value, whatever else is shown", () => {
    const a = categoryColors([0, 1, 2, 3]);
    const b = categoryColors([3, 7]);
    expect(a.get(3)).toBe(CATEGORICAL[3]);
    expect(b.get(3)).toBe(a.get(3));
    expect(b.get(7)).toBe(CATEGORICAL[7]);
    // last digits clash: ranks instead (still distinct)
    const c = categoryColors([0, 10, 20]);
    expect(new Set(c.values()).size).toBe(3);
    // more than 10 values: a ramp, distinct
    const many = categoryColors([...Array(14).keys()].map((k) => k + 0.5));
    expect(new Set(many.values()).size).toBe(14);
  });

  it("gives a seed the same colour in TrajectoryView and in the collection views", () => {
    // TrajectoryView: samples of seeds 3 and 5
    const s = decodeAll({
      x: w([0, 1]), y: w([0, 1]), loss: w([1, 2]), eval_loss: w([NaN, NaN]),
      seed: w([3, 5], "int32"), step: w([0.5, 0.5]), epoch: w([0, 0], "int32"), trajectory: w([0, 1], "int32"),
    });
    const traj = colorScheme("seed", s, [3, 5], [0.5]);
    // a collection whose entries have seeds 1, 3, 5 (more seeds than the trajectories)
    const table = entryTable({
      ids: ["a", "b", "c"], labels: ["a", "b", "c"], key_names: ["seed"], keys: { seed: [1, 3, 5] },
      metric_names: ["m"], metrics: { m: w([1, 2, 3], "float64") },
    });
    const scatter = colorScale(table, "seed");
    expect(traj.color(0)).toBe(scatter.colorOf(1)); // seed 3
    expect(traj.color(1)).toBe(scatter.colorOf(2)); // seed 5
    expect(traj.color(0)).not.toBe(traj.color(1));
    expect(traj.categories).toEqual([["seed 3", CATEGORICAL[3]], ["seed 5", CATEGORICAL[5]]]);
  });
});

describe("the frame", () => {
  it("disposers remove model and DOM listeners, last first, once", () => {
    const m = new StaticModel("m", { x: 1 }, {});
    const node = document.createElement("button");
    const bag = disposers();
    let clicks = 0;
    let changes = 0;
    const order = [];
    bag.on(m, "change:x", () => changes++);
    bag.on(node, "click", () => clicks++);
    bag.add(() => order.push("first"));
    bag.add(() => order.push("last"));
    m.set("x", 2);
    node.click();
    expect([changes, clicks]).toEqual([1, 1]);
    bag.dispose();
    bag.dispose();
    m.set("x", 3);
    node.click();
    expect([changes, clicks]).toEqual([1, 1]);
    expect(order).toEqual(["last", "first"]);
    expect(listening(m)).toBe(0);
  });

  it("the brush tells clicks from boxes, in plot coordinates, and comes off", () => {
    const svgEl = svg("svg", { width: 200, height: 100 }, document.body);
    const margin = { left: 10, top: 5 };
    const seen = [];
    const off = attachBrush(svgEl, () => margin, {
      onBox: (...a) => seen.push(["box", ...a.slice(0, 4)]),
      onClick: (ev, x, y) => seen.push(["click", x, y]),
    });
    const at = (type, x, y) => svgEl.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0, clientX: x, clientY: y }));
    at("pointerdown", 20, 15);
    at("pointerup", 21, 15);
    at("pointerdown", 60, 45);
    at("pointermove", 30, 25);
    expect(svgEl.querySelectorAll(".lw-brush").length).toBe(1);
    at("pointerup", 30, 25);
    expect(svgEl.querySelectorAll(".lw-brush").length).toBe(0);
    expect(seen).toEqual([["click", 11, 10], ["box", 20, 20, 50, 40]]);
    off();
    at("pointerdown", 20, 15);
    at("pointerup", 20, 15);
    expect(seen.length).toBe(2);
  });

  it("mounts a root with the data-view hook and export buttons; the cleanup takes every listener off", async () => {
    const models = new Map();
    const manager = { get_model: async (id) => models.get(id) };
    const sel = new StaticModel("sel", { entries: [] }, manager);
    const model = new StaticModel("v", { selection: "IPY_MODEL_sel", width: 100 }, manager);
    models.set("sel", sel);
    models.set("v", model);
    const el = document.createElement("div");
    document.body.appendChild(el);
    const frame = await mountFrame({ model, el, host: makeHost(models) }, { name: "scatter", title: "T", exportSvg: () => null });
    frame.bag.on(model, "change:width", () => {});
    frame.bag.on(sel, "change:entries", () => {});
    const cleanup = frame.ready();
    const root = el.querySelector('[data-view="scatter"]');
    expect(root.dataset.ready).toBe("true");
    expect(root.querySelectorAll("[data-export]").length).toBe(2);
    expect(document.querySelectorAll("style[data-lw-style]").length).toBe(1); // one sheet
    expect(listening(model) + listening(sel)).toBe(2);
    cleanup();
    expect(listening(model) + listening(sel)).toBe(0);
    expect(el.querySelector('[data-view="scatter"]')).toBe(null);
  });

  it("draws the legend of the marks a view has (its own classes, never counted as marks)", () => {
    const all = legendRow(document.body);
    expect([...all.children].map((n) => n.textContent)).toEqual(["minimum", "saddle", "selected", "trained model (grid centre)"]);
    const some = legendRow(document.body, ["minimum", "saddle", "selected"]);
    expect([...some.children].map((n) => n.textContent)).toEqual(["minimum", "saddle", "selected"]);
    expect(document.querySelectorAll(".lw-min, .lw-saddle, .lw-model, .lw-outline").length).toBe(0);
  });

  it("puts panels side by side in one exported SVG", () => {
    const a = svg("svg", { width: 100, height: 50 }, document.body);
    const b = svg("svg", { width: 80, height: 70 }, document.body);
    const out = sideBySide([a, b], 6);
    expect(out.getAttribute("width")).toBe("186");
    expect(out.getAttribute("height")).toBe("70");
    expect([...out.children].map((c) => c.getAttribute("x"))).toEqual(["0", "106"]);
  });
});

describe("the shared diagram renderer", () => {
  it("bins essential classes by birth and counts every class", () => {
    const sx = linear([0, 10], [0, 100]);
    const bins = essentialBins([0, 0.1, 5, 9.99, 10], [1, 2, 1, 1, 3], sx, 100, 10);
    expect(bins.map((b) => [b.x0, b.count])).toEqual([[0, 3], [50, 1], [90, 4]]);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(8);
    const plot = svg("g", {}, svg("svg", {}, document.body));
    essentialStrip(plot, bins, { label: "essential D₁", w: 100 });
    expect(plot.querySelector(".lw-essential-count").textContent).toBe("8 essential D₁");
    expect(plot.querySelectorAll("[data-essential-count]").length).toBe(3);
  });

  it("TrajectoryView draws a few essential classes as markers and thousands as one strip", async () => {
    const n = 3000;
    const mk = (k) => ({
      dim: w([0, ...Array(k).fill(1)], "int32"),
      birth: w([0.1, ...Array.from({ length: k }, (_, i) => 0.1 + (i % 97) / 97)], "float64"),
      death: w([Infinity, ...Array(k).fill(Infinity)], "float64"),
      birth_vertex: w([0, ...Array.from({ length: k }, (_, i) => i % 4)], "int32"),
      death_vertex: w(Array(k + 1).fill(-1), "int32"),
      count: w(Array(k + 1).fill(1), "int32"),
      index: w([0, ...Array.from({ length: k }, (_, i) => i)], "int32"),
      group_of0: w([0], "int32"),
      group_of1: w(Array.from({ length: k }, (_, i) => i + 1), "int32"),
      value_min: 0.1, value_max: 1.1, n_pairs: [1, k], total_persistence: null, complex: "graph",
    });
    const few = decodeAll(mk(ESSENTIAL_MARKERS));
    expect(splitEssential(few).strip[1]).toEqual([]);
    const many = decodeAll(mk(n));
    const split = splitEssential(many);
    expect(split.strip[1].length).toBe(n);
    expect(split.markers).toEqual([0]); // the one essential D0 stays a marker
    const models = new Map();
    const manager = { get_model: async (id) => models.get(id) };
    const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
    const samples = {
      x: w([0, 1, 2, 3]), y: w([0, 1, 0, 1]), loss: w([1, 2, 3, 4]), eval_loss: w([NaN, NaN, NaN, NaN]),
      seed: w([0, 0, 1, 1], "int32"), step: w([1, 1, 1, 1]), epoch: w([0, 1, 0, 1], "int32"), trajectory: w([0, 0, 1, 1], "int32"),
    };
    const model = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 700, height: 300, color_by: "seed",
      log_diagram: false, pair: [], _data: { samples, diagram: mk(n), seeds: [0, 1], steps: [1], has_eval: false, method: "pca", value_label: "loss" } }, manager);
    models.set("sel", sel);
    models.set("view", model);
    const el = document.createElement("div");
    document.body.appendChild(el);
    await trajectory.render({ model, el, host: makeHost(models) });
    expect(el.querySelectorAll(".lw-pair").length).toBe(1); // not 3,001 markers
    expect(el.querySelector(".lw-essential-count").textContent).toBe("3,000 essential D₁");
    const counted = [...el.querySelectorAll("[data-essential-count]")].reduce((s, b) => s + Number(b.dataset.essentialCount), 0);
    expect(counted).toBe(n);
    expect(el.querySelectorAll("[data-essential-count]").length).toBeLessThanOrEqual(48);
    // the figure's export buttons (the stable hook) are there
    expect(el.querySelectorAll('.lw-trajectory [data-export="svg"]').length).toBe(1);
  });
});

describe("TrajectoryView paths", () => {
  it("join only consecutive samples (by epoch) of one trajectory", async () => {
    // 3 trajectories, samples interleaved and out of order; trajectory 2 has one sample
    const traj = [1, 0, 1, 0, 2, 1, 0];
    const epoch = [2, 1, 0, 0, 0, 1, 2];
    const x = [10, 20, 30, 40, 50, 60, 70];
    const y = [1, 2, 3, 4, 5, 6, 7];
    const samples = {
      x: w(x), y: w(y), loss: w(x.map(() => 1)), eval_loss: w(x.map(() => NaN)), seed: w(traj, "int32"),
      step: w(x.map(() => 1)), epoch: w(epoch, "int32"), trajectory: w(traj, "int32"),
    };
    const s = decodeAll(samples);
    expect([...trajectoryPaths(s).entries()]).toEqual([[1, [2, 5, 0]], [0, [3, 1, 6]], [2, [4]]]);
    const models = new Map();
    const manager = { get_model: async (id) => models.get(id) };
    const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
    const model = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 500, height: 300, color_by: "seed",
      log_diagram: false, pair: [], _data: { samples, diagram: null, seeds: [0, 1, 2], steps: [1], has_eval: false, method: "pca", value_label: "loss" } }, manager);
    models.set("sel", sel);
    models.set("view", model);
    const el = document.createElement("div");
    document.body.appendChild(el);
    await trajectory.render({ model, el, host: makeHost(models) });
    // every path's vertices are the drawn samples of its trajectory, in epoch order
    const at = new Map([...el.querySelectorAll(".lw-sample")].map((n) => {
      const i = Number(n.dataset.sample);
      const pos = n.tagName === "circle" ? [Number(n.getAttribute("cx")), Number(n.getAttribute("cy"))]
        : n.getAttribute("d").match(/^M([-\d.]+),([-\d.]+)/).slice(1).map(Number).map((v, k) => (k ? v + 5.5 : v));
      return [`${pos[0].toFixed(1)},${pos[1].toFixed(1)}`, i];
    }));
    const paths = [...el.querySelectorAll("path.lw-traj")];
    expect(paths.length).toBe(3);
    for (const p of paths) {
      const t = Number(p.dataset.trajectory);
      const vertices = [...p.getAttribute("d").matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((m) => at.get(`${Number(m[1]).toFixed(1)},${Number(m[2]).toFixed(1)}`));
      expect(vertices).toEqual(trajectoryPaths(s).get(t));
      expect(vertices.every((i) => traj[i] === t)).toBe(true);
      // one M only: no jump to another trajectory inside a path
      expect((p.getAttribute("d").match(/M/g) || []).length).toBe(1);
    }
  });
});

describe("TrajectoryView ticks", () => {
  const roundStep = (labels) => {
    const v = labels.map(Number);
    const steps = v.slice(1).map((x, k) => x - v[k]);
    const step = steps[0];
    const mant = step / 10 ** Math.floor(Math.log10(step));
    return { same: steps.every((s) => Math.abs(s - step) < 1e-9 * Math.abs(step)), mant: Number(mant.toFixed(6)), v, step };
  };

  it("labels every axis at round numbers (log axes at whole decades)", async () => {
    const models = new Map();
    const manager = { get_model: async (id) => models.get(id) };
    const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
    const samples = {
      x: w([0.0137, 3.3, 7.91, 2.2]), y: w([-0.31, 1.77, 0.4, 0.93]), loss: w([0.0031, 0.47, 31.6, 2]),
      eval_loss: w([NaN, NaN, NaN, NaN]), seed: w([0, 0, 1, 1], "int32"), step: w([1, 1, 1, 1]),
      epoch: w([0, 1, 0, 1], "int32"), trajectory: w([0, 0, 1, 1], "int32"),
    };
    const diagram = {
      dim: w([0, 0], "int32"), birth: w([0.0031, 0.47], "float64"), death: w([Infinity, 31.6], "float64"),
      birth_vertex: w([0, 1], "int32"), death_vertex: w([-1, 2], "int32"), count: w([1, 1], "int32"),
      index: w([0, 1], "int32"), group_of0: w([0, 1], "int32"), group_of1: w([], "int32"),
      value_min: 0.0031, value_max: 31.6, n_pairs: [2, 0], total_persistence: null, complex: "graph",
    };
    const model = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 700, height: 300, color_by: "loss",
      log_diagram: false, pair: [], _data: { samples, diagram, seeds: [0, 1], steps: [1], has_eval: false, method: "pca", value_label: "loss" } }, manager);
    models.set("sel", sel);
    models.set("view", model);
    const el = document.createElement("div");
    document.body.appendChild(el);
    await trajectory.render({ model, el, host: makeHost(models) });
    const labels = (root) => [...root.querySelectorAll(".lw-axis")].map((a) => [...a.children]
      .filter((n) => n.tagName === "text" && !n.classList.contains("lw-label")).map((n) => n.textContent));
    for (const axisLabels of [...labels(el.querySelector(".lw-embedding")), ...labels(el.querySelector(".lw-diagram-panel"))]) {
      expect(axisLabels.length).toBeGreaterThanOrEqual(2);
      const r = roundStep(axisLabels);
      expect(r.same).toBe(true);
      expect([1, 2, 5]).toContain(r.mant);
      expect(r.v.every((x) => Math.abs(x / r.step - Math.round(x / r.step)) < 1e-6)).toBe(true);
    }
    model.set("log_diagram", true);
    for (const axisLabels of labels(el.querySelector(".lw-diagram-panel"))) {
      const shown = axisLabels.filter(Boolean);
      expect(shown.length).toBeGreaterThanOrEqual(2);
      for (const s of shown) expect(Math.log10(Number(s)) % 1).toBeCloseTo(0, 9); // 0.01, 0.1, 1, 10
    }
  });
});

describe("legend on single views", () => {
  it("a profile or barcode alone: the profile has the legend, in an Explorer cell it has none", async () => {
    const { topologyPayload, profilePayload, barcodePayload } = await import("./fixtures.js");
    const profile = (await import("../src/profile_view.js")).default;
    const barcode = (await import("../src/barcode_view.js")).default;
    const mount = async (view, data, inCell) => {
      const models = new Map();
      const manager = { get_model: async (id) => models.get(id) };
      const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
      const model = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 300, height: 200, color_by: "depth", scale: "linear", _data: data }, manager);
      models.set("sel", sel);
      models.set("view", model);
      const host = document.createElement("div");
      if (inCell) host.className = "lw-cell";
      document.body.appendChild(host);
      const el = document.createElement("div");
      host.appendChild(el);
      await view.render({ model, el, host: makeHost(models) });
      return el;
    };
    const pdata = { topology: topologyPayload({ levels: [{ threshold: 0, profile: profilePayload() }] }) };
    const alone = await mount(profile, pdata, false);
    expect([...alone.querySelectorAll(".lw-legend-row [role=listitem]")].map((n) => n.textContent))
      .toEqual(["minimum", "saddle", "selected", "trained model (grid centre)"]);
    const inCell = await mount(profile, pdata, true);
    expect(inCell.querySelectorAll(".lw-legend-row").length).toBe(0);
    const bars = await mount(barcode, { topology: topologyPayload({ barcode: barcodePayload() }) }, false);
    expect(bars.querySelectorAll(".lw-legend-row").length).toBe(0); // draws no such marks
  });
});
