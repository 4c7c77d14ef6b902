import { beforeEach, describe, expect, it } from "vitest";
import { mountSetup as setup } from "./mount_setup.js";
import barcode from "../src/barcode_view.js";
import diagram from "../src/persistence_diagram_view.js";
import tree from "../src/merge_tree_view.js";
import profile from "../src/profile_view.js";
import { ELEMENT_BUDGET, aggregateLabel, countAtLeast, itemBudget, splitAtBudget } from "../src/lib/lod.js";
import { w } from "./fixtures.js";

import { chainTopology } from "./chain_topology.js";

export { chainTopology };


beforeEach(() => {
  document.body.replaceChildren();
});

describe("level-of-detail helpers", () => {
  it("splits at the budget and labels what it hides", () => {
    expect(splitAtBudget([1, 2, 3], 5).hidden).toEqual([]);
    expect(splitAtBudget([1, 2, 3, 4], 2)).toEqual({ shown: [1, 2], hidden: [3, 4] });
    expect(aggregateLabel(18000, "bars")).toBe("+ 18,000 smaller bars");
    expect(itemBudget(4)).toBeLessThanOrEqual(ELEMENT_BUDGET / 4);
  });

  it("counts the leading values >= t of a decreasing list, as a plain count does", () => {
    const values = Float64Array.from([Infinity, 5, 3, 3, 3, 1, 0.5, 0]);
    for (const t of [-1, 0, 0.25, 0.5, 1, 2, 3, 3.5, 5, 6, Infinity]) {
      expect(countAtLeast(values, t)).toBe(values.filter((v) => v >= t).length);
    }
    expect(countAtLeast(new Float64Array(0), 1)).toBe(0);
  });
});

describe("BarcodeView at 20,000 basins", () => {
  const n = 20000;
  const data = { topology: chainTopology(n) };

  it("draws under the budget; the aggregate row counts the hidden bars", async () => {
    const { el, view, host } = setup(data);
    await barcode.render({ model: view, el, host });
    const drawn = el.querySelectorAll("svg *").length;
    expect(drawn).toBeLessThanOrEqual(ELEMENT_BUDGET);
    const bars = el.querySelectorAll("rect.lw-bar[data-basin]").length;
    const agg = el.querySelector("[data-aggregate]");
    expect(bars + Number(agg.getAttribute("data-aggregate"))).toBe(n);
    expect(agg.textContent).toBe(aggregateLabel(n - bars, "bars"));
  });

  it("a selected tiny basin is still drawn and lit; the slider reveals or merges it", async () => {
    const { el, sel, view, host } = setup(data);
    await barcode.render({ model: view, el, host });
    const drawnIds = new Set([...el.querySelectorAll("[data-basin]")].map((x) => Number(x.getAttribute("data-basin"))));
    const topo = data.topology;
    const ids = Array.from(new Int32Array(topo.minima.buffer.buffer));
    const pers = Array.from(new Float64Array(topo.persistence.buffer.buffer));
    const tiny = ids[pers.indexOf(Math.min(...pers))];
    expect(drawnIds.has(tiny)).toBe(false);
    sel.set("basins", [tiny]);
    const lit = el.querySelectorAll(`[data-basin="${tiny}"][aria-selected="true"]`);
    expect(lit.length).toBe(1);
    sel.set("basins", []);
    expect(el.querySelectorAll(`[data-basin="${tiny}"]`).length).toBe(0);
    // a threshold above all but the 10 most persistent: no aggregate, 10 bars
    const sorted = [...pers].sort((a, b) => b - a);
    sel.set("min_persistence", sorted[9]);
    expect(el.querySelectorAll("rect.lw-bar[data-basin]").length).toBe(10);
    expect(el.querySelector("[data-aggregate]")).toBe(null);
  });
});

describe("PersistenceDiagramView at 20,000 basins", () => {
  const n = 20000;
  const data = { topology: chainTopology(n, 7) };

  it("circles under the budget, the rest in one counted layer; a selected tiny pair is drawn", async () => {
    const { el, sel, view, host } = setup(data);
    await diagram.render({ model: view, el, host });
    expect(el.querySelectorAll("svg *").length).toBeLessThanOrEqual(ELEMENT_BUDGET);
    const circles = el.querySelectorAll("circle.lw-point[data-basin]").length;
    const agg = el.querySelector("path.lw-point-aggregate");
    expect(circles + Number(agg.getAttribute("data-aggregate"))).toBe(n);
    const pers = Array.from(new Float64Array(data.topology.persistence.buffer.buffer));
    const ids = Array.from(new Int32Array(data.topology.minima.buffer.buffer));
    const tiny = ids[pers.indexOf(Math.min(...pers))];
    expect(el.querySelector(`[data-basin="${tiny}"]`)).toBe(null);
    sel.set("basins", [tiny]);
    expect(el.querySelectorAll(`[data-basin="${tiny}"][aria-selected="true"]`).length).toBe(1);
  });
});

describe("MergeTreeView at 20,000 basins", () => {
  const n = 20000;
  const data = { topology: chainTopology(n, 3) };

  it("draws under the budget, counts the merged branches and still shows a selected tiny basin", async () => {
    const { el, sel, view, host } = setup(data);
    await tree.render({ model: view, el, host });
    expect(el.querySelectorAll("svg *").length).toBeLessThanOrEqual(ELEMENT_BUDGET);
    const leaves = el.querySelectorAll("circle.lw-min[data-basin]").length;
    const agg = el.querySelector("[data-aggregate]");
    expect(leaves + Number(agg.getAttribute("data-aggregate"))).toBe(n);
    const pers = Array.from(new Float64Array(data.topology.persistence.buffer.buffer));
    const ids = Array.from(new Int32Array(data.topology.minima.buffer.buffer));
    const tiny = ids[pers.indexOf(Math.min(...pers))];
    expect(el.querySelector(`[data-basin="${tiny}"]`)).toBe(null);
    sel.set("basins", [tiny]);
    expect(el.querySelectorAll(`[data-basin="${tiny}"][aria-selected="true"]`).length).toBe(1);
  });
});

describe("ProfileView at 20,000 basins", () => {
  const n = 20000;
  const data = { topology: chainTopology(n, 5) };

  it("draws under the budget, counts the merged basins and still shows a selected tiny basin", async () => {
    const { el, sel, view, host } = setup(data);
    await profile.render({ model: view, el, host });
    expect(el.querySelectorAll("svg *").length).toBeLessThanOrEqual(ELEMENT_BUDGET);
    const shapes = new Set([...el.querySelectorAll("path.lw-basin[data-basin]")].map((x) => x.getAttribute("data-basin"))).size;
    const agg = el.querySelector("[data-aggregate]");
    expect(shapes + Number(agg.getAttribute("data-aggregate"))).toBe(n);
    const pers = Array.from(new Float64Array(data.topology.persistence.buffer.buffer));
    const ids = Array.from(new Int32Array(data.topology.minima.buffer.buffer));
    const tiny = ids[pers.indexOf(Math.min(...pers))];
    expect(el.querySelector(`[data-basin="${tiny}"]`)).toBe(null);
    sel.set("basins", [tiny]);
    expect(el.querySelectorAll(`[data-basin="${tiny}"][aria-selected="true"]`).length).toBe(1);
  });
});
