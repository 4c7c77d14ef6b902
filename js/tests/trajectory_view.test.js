import { beforeEach, describe, expect, it } from "vitest";
import { StaticModel, makeHost } from "../src/runtime.js";
import view, { trajectoryPaths, jumpStarts, colorScheme, groupsAtSample, groupOfPair } from "../src/trajectory_view.js";
import { decodeAll } from "../src/lib/wire.js";
import { w } from "./fixtures.js";

// 2 trajectories x 3 samples (epochs 0..2), stored out of epoch order for trajectory 1
function samplesPayload() {
  return {
    x: w([0, 1, 2, 5, 3, 4]),
    y: w([0, 1, 0, 2, 0, 1]),
    loss: w([10, 1, 0.1, 0.01, 100, 1]),
    eval_loss: w([NaN, NaN, NaN, NaN, NaN, NaN]),
    seed: w([0, 0, 0, 1, 1, 1], "int32"),
    step: w([0.5, 0.5, 0.5, 1, 1, 1]),
    epoch: w([0, 1, 2, 2, 0, 1], "int32"),
    trajectory: w([0, 0, 0, 1, 1, 1], "int32"),
  };
}

// groups: D0 (0.01 -> 1) born at 3 dies at 5; D0 essential born at 3; D1 x2 born at 4
function diagramPayload() {
  return {
    dim: w([0, 0, 1], "int32"),
    birth: w([0.01, 0.01, 100], "float64"),
    death: w([1, Infinity, Infinity], "float64"),
    birth_vertex: w([3, 3, 4], "int32"),
    death_vertex: w([5, -1, -1], "int32"),
    count: w([1, 1, 2], "int32"),
    index: w([0, 1, 0], "int32"),
    group_of0: w([0, 1], "int32"),
    group_of1: w([2, 2], "int32"),
    value_min: 0.01,
    value_max: 100,
    n_pairs: [2, 2],
    total_persistence: [1, 2],
    complex: "graph",
  };
}

function setup(extra = {}) {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
  const data = { samples: samplesPayload(), diagram: diagramPayload(), seeds: [0, 1], steps: [0.5, 1],
    has_eval: false, method: "phate", value_label: "train loss" };
  const model = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 700, height: 300, _data: data,
    color_by: "loss", log_diagram: false, pair: [], ...extra }, manager);
  models.set("sel", sel);
  models.set("view", model);
  const el = document.createElement("div");
  document.body.appendChild(el);
  return { sel, model, el, host: makeHost(models) };
}

function click(node) {
  const svgEl = node.ownerSVGElement;
  svgEl.dispatchEvent(new MouseEvent("pointerdown", { bubbles: true, button: 0 }));
  node.dispatchEvent(new MouseEvent("pointerup", { bubbles: true, button: 0 }));
}

const selectedSamples = (el) => [...el.querySelectorAll('.lw-samples [aria-selected="true"]')].map((n) => Number(n.dataset.sample)).sort();
const selectedGroups = (el) => [...el.querySelectorAll('.lw-pair[aria-selected="true"]')].map((n) => Number(n.dataset.group)).sort();

beforeEach(() => {
  document.body.innerHTML = "";
});

describe("TrajectoryView helpers", () => {
  const s = decodeAll(samplesPayload());

  it("orders each trajectory by epoch and finds the jump points", () => {
    expect([...trajectoryPaths(s).entries()]).toEqual([[0, [0, 1, 2]], [1, [4, 5, 3]]]);
    expect([...jumpStarts(s)]).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it("colours losses on log10 and categories by seed or step", () => {
    const ramp = colorScheme("loss", s, [0, 1], [0.5, 1]);
    expect(ramp.kind).toBe("ramp");
    expect(ramp.lo).toBeCloseTo(-2, 6); // float32 0.01
    expect(ramp.hi).toBeCloseTo(2, 6);
    expect(ramp.color(3)).toBe("rgb(68,1,84)"); // lowest loss: first viridis stop
    expect(ramp.color(4)).toBe("rgb(253,231,37)");
    const bySeed = colorScheme("seed", s, [0, 1], [0.5, 1]);
    expect(bySeed.color(0)).toBe(bySeed.color(2));
    expect(bySeed.color(0)).not.toBe(bySeed.color(3));
    expect(bySeed.categories.map((c) => c[0])).toEqual(["seed 0", "seed 1"]);
    const byStep = colorScheme("step", s, [0, 1], [0.5, 1]);
    expect(byStep.color(5)).toBe(byStep.categories[1][1]);
    expect(colorScheme("eval_loss", s, [0], [0.5]).color(0)).toBe("#bbb"); // NaN: grey
  });

  it("maps samples and pairs to drawn diagram points", () => {
    const d = decodeAll(diagramPayload());
    expect(groupsAtSample(d, 3)).toEqual([0, 1]);
    expect(groupsAtSample(d, 5)).toEqual([0]);
    expect(groupsAtSample(d, 0)).toEqual([]);
    expect(groupOfPair(d, [1, 1])).toBe(2);
    expect(groupOfPair(d, [0, 1])).toBe(1);
    expect(groupOfPair(d, [])).toBe(-1);
  });
});

describe("TrajectoryView", () => {
  it("draws paths, samples, diamonds at jump points and one mark per diagram point", async () => {
    const { model, el, host } = setup();
    await view.render({ model, el, host });
    expect(el.querySelectorAll("path.lw-traj").length).toBe(2);
    expect(el.querySelectorAll(".lw-sample").length).toBe(6);
    expect([...el.querySelectorAll(".lw-jump")].map((n) => n.dataset.sample).sort()).toEqual(["0", "4"]);
    expect(el.querySelectorAll("circle.lw-pair.lw-d0").length).toBe(2);
    expect(el.querySelectorAll("path.lw-pair.lw-d1").length).toBe(1);
    expect(el.querySelector(".lw-trajectory").dataset.ready).toBe("true");
  });

  it("clicking a diagram point rings its birth and death samples", async () => {
    const { sel, model, el, host } = setup();
    await view.render({ model, el, host });
    click(el.querySelector('.lw-pair[data-group="0"]'));
    expect(model.get("pair")).toEqual([0, 0]);
    expect(sel.get("point")).toBe(3);
    expect(el.querySelector(".lw-ring.lw-birth").dataset.sample).toBe("3");
    expect(el.querySelector(".lw-ring.lw-death").dataset.sample).toBe("5");
    expect(el.querySelectorAll(".lw-link").length).toBe(1);
    expect(selectedSamples(el)).toEqual([3, 5]);
    expect(selectedGroups(el)).toEqual([0]);
    // an essential class has no death sample
    click(el.querySelector('.lw-pair[data-group="2"]'));
    expect(model.get("pair")).toEqual([1, 0]);
    expect(el.querySelectorAll(".lw-ring.lw-death").length).toBe(0);
    expect(selectedSamples(el)).toEqual([4]);
  });

  it("clicking a sample lights the pairs born or dying there; empty space clears", async () => {
    const { sel, model, el, host } = setup();
    await view.render({ model, el, host });
    click(el.querySelector('.lw-sample[data-sample="3"]'));
    expect(sel.get("point")).toBe(3);
    expect(model.get("pair")).toEqual([]);
    expect(selectedGroups(el)).toEqual([0, 1]);
    expect(el.querySelector(".lw-ring.lw-picked").dataset.sample).toBe("3");
    const svgEl = el.querySelector("svg.lw-embedding");
    svgEl.dispatchEvent(new MouseEvent("pointerdown", { bubbles: true, button: 0 }));
    svgEl.dispatchEvent(new MouseEvent("pointerup", { bubbles: true, button: 0 }));
    expect(sel.get("point")).toBe(null);
    expect(selectedGroups(el)).toEqual([]);
  });

  it("follows the shared selection and the pair trait set from Python", async () => {
    const { sel, model, el, host } = setup();
    await view.render({ model, el, host });
    sel.set("point", 5);
    expect(selectedGroups(el)).toEqual([0]);
    model.set("pair", [1, 1]); // second pair of the shared D1 point
    expect(selectedGroups(el)).toEqual([2]);
    expect(selectedSamples(el)).toEqual([4]);
    sel.set("point", 0); // another sample chosen elsewhere ends the pair
    expect(model.get("pair")).toEqual([]);
    expect(selectedSamples(el)).toEqual([0]);
  });

  it("the colour dropdown and the log toggle redraw", async () => {
    const { model, el, host } = setup();
    await view.render({ model, el, host });
    const fills = () => [...el.querySelectorAll(".lw-sample")].map((n) => n.getAttribute("fill"));
    const byLoss = fills();
    const select = el.querySelector("select.lw-color-by");
    expect([...select.options].map((o) => o.value)).toEqual(["loss", "seed", "step", "epoch"]); // no eval data
    select.value = "seed";
    select.dispatchEvent(new Event("change"));
    expect(model.get("color_by")).toBe("seed");
    expect(fills()).not.toEqual(byLoss);
    expect(el.querySelector(".lw-legend").textContent).toContain("seed 1");
    const box = el.querySelector("input.lw-log-diagram");
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    expect(model.get("log_diagram")).toBe(true);
    expect(el.querySelector(".lw-diagram-panel").textContent).toContain("log");
  });
});
