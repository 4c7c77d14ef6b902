// One shared TopologyModel: decoded once for every view that references it; the threshold
// (set by the slider or by Python) relabels the selection once and redraws every view.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StaticModel, makeHost } from "../src/runtime.js";
import barcode from "../src/barcode_view.js";
import diagram from "../src/persistence_diagram_view.js";
import tree from "../src/merge_tree_view.js";
import profile from "../src/profile_view.js";
import { decodeCount } from "../src/lib/topology.js";
import { mountView } from "../src/lib/view.js";

const doc = JSON.parse(readFileSync(join(import.meta.dirname, "py_fixtures", "noisy.json"), "utf8"));

function setup() {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const add = (id, attrs) => {
    const m = new StaticModel(id, attrs, manager);
    models.set(id, m);
    return m;
  };
  const sel = add("sel", { basins: [], point: null, hover: null, min_persistence: 0 });
  const shared = add("topo", { data: doc.model });
  const views = ["profile", "tree", "barcode", "diagram"].map((name) => add(name, {
    selection: "IPY_MODEL_sel", topology: "IPY_MODEL_topo", width: 400, height: 260, _data: {},
    scale: "linear",
  }));
  return { sel, shared, views, host: makeHost(models) };
}

describe("TopologyModel in the browser", () => {
  it("is decoded once for all the views that share it", async () => {
    const { views, host } = setup();
    const before = decodeCount.value;
    const els = [];
    for (const [k, mod] of [profile, tree, barcode, diagram].entries()) {
      const el = document.createElement("div");
      document.body.appendChild(el);
      els.push(el);
      await mod.render({ model: views[k], el, host });
    }
    expect(decodeCount.value - before).toBe(1);
    expect(els[1].querySelectorAll("circle.lw-min").length).toBe(doc.n_minima);
  });

  it("a threshold set from Python relabels the selection once and redraws every view", async () => {
    const { sel, views, host } = setup();
    const els = [];
    for (const [k, mod] of [profile, tree, barcode, diagram].entries()) {
      const el = document.createElement("div");
      document.body.appendChild(el);
      els.push(el);
      await mod.render({ model: views[k], el, host });
    }
    const minima = doc.cases.map((c) => c.threshold);
    const t = minima[minima.length - 1]; // beyond every finite persistence: one basin left
    const leaf = Number(els[1].querySelector("circle.lw-min:last-of-type").getAttribute("data-basin"));
    sel.set("basins", [leaf]);
    let writes = 0;
    sel.on("change:basins", () => writes++);
    const drawn = (el, selector) => el.querySelectorAll(selector).length;
    const counts = () => [drawn(els[0], "path.lw-basin"), drawn(els[1], "circle.lw-min"),
      drawn(els[2], "[data-basin]"), drawn(els[3], "circle[data-basin]")];
    const full = counts();
    sel.set("min_persistence", t); // what a Python-side change arriving in the browser does
    expect(writes).toBe(1);
    const root = Number(els[1].querySelector("circle.lw-min").getAttribute("data-basin"));
    expect(sel.get("basins")).toEqual([root]);
    const simple = counts();
    for (let k = 0; k < 4; k++) expect(simple[k]).toBeLessThan(full[k]);
    expect(simple[1]).toBe(1);
    // the surviving basin is lit in every view
    for (const el of els) {
      const lit = [...el.querySelectorAll('[aria-selected="true"]')].map((n) => Number(n.getAttribute("data-basin")));
      expect(lit.length).toBeGreaterThan(0);
      expect(new Set(lit)).toEqual(new Set([root]));
    }
  });

  it("a threshold move hands each view the relabelled selection once, at the new threshold", async () => {
    const { sel, views, host } = setup();
    // a view that records what its drawing is told: the selection relabelled by the shared
    // model reaches it at its redraw at the new threshold, not before with the old drawing
    const calls = [];
    const el = document.createElement("div");
    document.body.appendChild(el);
    await mountView({ model: views[1], el, host }, {
      name: "probe",
      draw: (ctx) => {
        const drawnAt = ctx.t;
        return { onSelection: (selected) => calls.push([drawnAt, [...selected]]) };
      },
    });
    const thresholds = doc.cases.map((c) => c.threshold);
    const t = thresholds[thresholds.length - 1]; // one basin left
    const shared = await host.getModel("anywidget:topo");
    const topo = (await import("../src/lib/topology_model.js")).topologyOf(shared);
    const leaf = topo.minima[topo.minima.length - 1];
    const root = topo.rep(leaf, t);
    expect(root).not.toBe(leaf);
    calls.length = 0; // (the first drawing's)
    sel.set("basins", [leaf]);
    expect(calls).toEqual([[0, [leaf]]]);
    calls.length = 0;
    sel.set("min_persistence", t);
    expect(sel.get("basins")).toEqual([root]);
    expect(calls).toEqual([[t, [root]]]);
    // a move that leaves the selection as it is: one call too
    calls.length = 0;
    sel.set("min_persistence", t / 2);
    expect(calls).toEqual([[t / 2, [topo.rep(root, t / 2)]]]);
  });
});
