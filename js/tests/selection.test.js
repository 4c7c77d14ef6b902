import { describe, expect, it } from "vitest";
import { nextSelection, Highlighter, displayedSelection, connectSelection } from "../src/lib/selection.js";
import { StaticModel } from "../src/runtime.js";
import { Topology } from "../src/lib/topology.js";
import { topologyPayload } from "./fixtures.js";

describe("selection logic", () => {
  it("click replaces, shift toggles one, shift-box adds", () => {
    expect(nextSelection([1, 2], [3], false)).toEqual([3]);
    expect(nextSelection([1, 2], [3], true)).toEqual([1, 2, 3]);
    expect(nextSelection([1, 2], [2], true)).toEqual([1]);
    expect(nextSelection([1], [1, 5, 5], true)).toEqual([1, 5]);
    expect(nextSelection([1], [], false)).toEqual([]);
  });

  it("highlights exactly the selected basins' elements", () => {
    const hl = new Highlighter();
    const nodes = [0, 1, 2].map(() => document.createElementNS("http://www.w3.org/2000/svg", "rect"));
    hl.add(nodes[0], 7);
    hl.add(nodes[1], 7);
    hl.add(nodes[2], 9);
    hl.apply(new Set([7]));
    expect(nodes.map((n) => n.getAttribute("aria-selected"))).toEqual(["true", "true", null]);
    hl.apply(new Set([9]));
    expect(nodes.map((n) => n.getAttribute("aria-selected"))).toEqual([null, null, "true"]);
    expect(nodes[2].getAttribute("data-basin")).toBe("9");
  });

  it("shows a selection relabelled at the current threshold", () => {
    const sel = new StaticModel("s", { basins: [2, 6], min_persistence: 3 }, null);
    const topo = new Topology(topologyPayload());
    expect([...displayedSelection(sel, topo)].sort()).toEqual([0, 6]);
  });

  it("resolves the selection reference through the host or the widget manager", async () => {
    const sel = new StaticModel("abc", {}, null);
    const manager = { get_model: async (id) => (id === "abc" ? sel : null) };
    const view = new StaticModel("v", { selection: "IPY_MODEL_abc" }, manager);
    expect(await connectSelection(view, null)).toBe(sel);
    const host = { getModel: async (ref) => (ref === "anywidget:abc" ? sel : null) };
    expect(await connectSelection(view, host)).toBe(sel);
  });
});
