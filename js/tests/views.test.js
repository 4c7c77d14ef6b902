import { beforeEach, describe, expect, it } from "vitest";
import { StaticModel, createModels, makeHost } from "../src/runtime.js";
import barcode, { visibleBars } from "../src/barcode_view.js";
import diagram, { diagramPoints } from "../src/persistence_diagram_view.js";
import tree from "../src/merge_tree_view.js";
import profile, { inside, basinPolygons, placeMarkers, subtree, focusWindow } from "../src/profile_view.js";
import { outlineEdges, cellDomain } from "../src/contour_view.js";
import { toThreshold, toPosition } from "../src/explorer.js";
import { Topology } from "../src/lib/topology.js";
import { decodeAll } from "../src/lib/wire.js";
import { topologyPayload, barcodePayload, treePayload, profilePayload } from "./fixtures.js";

function setup(data) {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
  const view = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 300, height: 200, _data: data }, manager);
  models.set("sel", sel);
  models.set("view", view);
  const el = document.createElement("div");
  document.body.appendChild(el);
  return { sel, view, el, host: makeHost(models) };
}

function click(node, shiftKey = false) {
  const svgEl = node.ownerSVGElement;
  svgEl.dispatchEvent(new MouseEvent("pointerdown", { bubbles: true, button: 0 }));
  node.dispatchEvent(new MouseEvent("pointerup", { bubbles: true, button: 0, shiftKey }));
}

const selected = (el) => [...el.querySelectorAll('[aria-selected="true"]')].map((n) => Number(n.getAttribute("data-basin")));

beforeEach(() => {
  document.body.innerHTML = "";
});

describe("BarcodeView", () => {
  const data = { topology: topologyPayload({ barcode: barcodePayload() }) };

  it("draws one bar per pair, hides those below the threshold", () => {
    const topo = new Topology(data.topology);
    expect(visibleBars(topo, 0).map((b) => b.basin)).toEqual([0, 6, 2, 4]);
    expect(visibleBars(topo, 3).map((b) => [b.basin, b.row])).toEqual([[0, 0], [6, 1]]);
  });

  it("click selects a basin, shift adds, the selection model drives aria-selected", async () => {
    const { sel, view, el, host } = setup(data);
    await barcode.render({ model: view, el, host });
    const bars = el.querySelectorAll("rect.lw-bar");
    expect(bars.length).toBe(4);
    expect([...bars].map((b) => b.getAttribute("data-basin"))).toEqual(["0", "6", "2", "4"]);
    click(bars[2]);
    expect(sel.get("basins")).toEqual([2]);
    click(bars[1], true);
    expect(sel.get("basins")).toEqual([2, 6]);
    expect(selected(el).sort()).toEqual([2, 6]);
    sel.set("basins", [4]);
    expect(selected(el)).toEqual([4]);
    sel.set("min_persistence", 3); // basin 4 merges into 0: its bar disappears, 0 lights up
    expect(el.querySelectorAll("rect.lw-bar").length).toBe(2);
    expect(selected(el)).toContain(0);
  });
});

describe("PersistenceDiagramView", () => {
  it("plots (birth, death) with the essential class on top and selects by click", async () => {
    const data = { topology: topologyPayload() };
    expect(diagramPoints(new Topology(data.topology), 0).map((p) => [p.basin, p.death])).toEqual([
      [0, Infinity], [6, 5], [2, 3], [4, 4],
    ]);
    const { sel, view, el, host } = setup(data);
    await diagram.render({ model: view, el, host });
    const pts = el.querySelectorAll("circle.lw-point");
    expect(pts.length).toBe(4);
    // drawn least persistent first: the essential class last, on top
    expect([...pts].map((c) => Number(c.getAttribute("data-basin")))).toEqual([4, 2, 6, 0]);
    click(el.querySelector('circle.lw-point[data-basin="4"]'));
    expect(sel.get("basins")).toEqual([4]);
    expect(selected(el)).toEqual([4]);
  });
});

describe("MergeTreeView", () => {
  it("draws minima red and saddles orange, relabels saddles at the threshold", async () => {
    // the layout is computed in the browser from the topology (as Python's merge_tree_layout:
    // a saddle lies on the surviving branch, here the global minimum's)
    const data = { topology: topologyPayload() };
    const { sel, view, el, host } = setup(data);
    await tree.render({ model: view, el, host });
    expect(el.querySelectorAll("circle.lw-min").length).toBe(4);
    expect(el.querySelectorAll("circle.lw-saddle").length).toBe(3);
    sel.set("basins", [2]);
    let lit = [...el.querySelectorAll('[aria-selected="true"]')];
    expect(lit.some((n) => n.classList.contains("lw-min"))).toBe(true);
    expect(lit.some((n) => n.classList.contains("lw-saddle"))).toBe(false);
    expect(lit.some((n) => n.classList.contains("lw-edge"))).toBe(true);
    sel.set("basins", [0]);
    lit = [...el.querySelectorAll('[aria-selected="true"]')];
    expect(lit.filter((n) => n.classList.contains("lw-saddle")).length).toBe(3); // on 0's branch
    sel.set("min_persistence", 2.5); // 2 and 4 merge into 0: their leaves and saddles go
    expect(el.querySelectorAll("circle.lw-min").length).toBe(2);
    expect(el.querySelectorAll("circle.lw-saddle").length).toBe(1);
    click(el.querySelector('circle.lw-min[data-basin="6"]'));
    expect(sel.get("basins")).toEqual([6]);
  });
});

describe("ProfileView", () => {
  // the profile is computed in the browser from the topology's band histograms
  const data = { topology: topologyPayload() };

  it("has one polygon per basin, darker for lower mean loss (color_by mean_loss)", async () => {
    const { view, el, host } = setup(data);
    view.set("color_by", "mean_loss");
    await profile.render({ model: view, el, host });
    const polys = el.querySelectorAll("path.lw-basin");
    expect([...polys].map((p) => p.getAttribute("data-basin"))).toEqual(["0", "6", "2", "4"]);
    const lum = (b) => el.querySelector(`path.lw-basin[data-basin="${b}"]`).getAttribute("fill")
      .match(/\d+/g).map(Number).reduce((a, c) => a + c, 0);
    // mean losses: basin 6 0.5, basin 2 1, basin 4 2, basin 0 3
    expect(lum(6)).toBeLessThan(lum(2));
    expect(lum(2)).toBeLessThan(lum(4));
    expect(lum(4)).toBeLessThan(lum(0));
    expect(el.querySelectorAll(".lw-min").length).toBe(4);
  });

  it("colours by depth by default: one banded gradient, lower stops darker, and a colour bar", async () => {
    const { view, el, host } = setup(data);
    await profile.render({ model: view, el, host });
    const polys = el.querySelectorAll("path.lw-basin");
    const fill = polys[0].getAttribute("fill");
    expect(fill).toMatch(/^url\(#lw-profile-bands-[\w-]+\)$/);
    expect(polys[1].getAttribute("fill")).toBe(fill);
    const stops = [...el.querySelectorAll(`${fill.slice(4, -1)} stop`)];
    const lum = (s) => s.getAttribute("stop-color").match(/\d+/g).map(Number).reduce((a, b) => a + b, 0);
    expect(stops.length).toBeGreaterThan(1);
    expect(lum(stops[0])).toBeLessThan(lum(stops[stops.length - 1]));
    expect(el.querySelectorAll(".lw-colorbar text").length).toBeGreaterThan(1);
  });

  it("double-click focuses on a subtree; the breadcrumb goes back", async () => {
    const { view, el, host } = setup(data);
    await profile.render({ model: view, el, host });
    const inner = el.querySelector('path.lw-basin[data-basin="2"]');
    inner.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    expect([...el.querySelectorAll("path.lw-basin")].map((p) => p.getAttribute("data-basin"))).toEqual(["2"]);
    expect(el.querySelectorAll(".lw-crumb").length).toBe(2);
    el.querySelector('.lw-crumb[data-crumb="0"]').click();
    expect(el.querySelectorAll("path.lw-basin").length).toBe(4);
    expect([...el.querySelectorAll(".lw-crumb")].map((c) => c.getAttribute("aria-current"))).toEqual(["true"]);
    expect(el.querySelector(".lw-crumbs .lw-hint")).not.toBeNull();
  });

  it("keeps its breadcrumb and colour menu through redraws, and follows a colouring set from Python", async () => {
    const { view, el, host } = setup(data);
    await profile.render({ model: view, el, host });
    const crumb = el.querySelector(".lw-crumb");
    const menu = el.querySelector("select.lw-color-by");
    expect(menu.value).toBe("depth");
    view.set("height", view.get("height") + 10); // a redraw that changes neither
    expect(el.querySelector(".lw-crumb")).toBe(crumb);
    view.set("color_by", "mean_loss");
    expect(menu.value).toBe("mean_loss");
    expect(el.querySelector(".lw-crumb")).toBe(crumb);
  });

  it("point-in-polygon and polygon unpacking", () => {
    const polys = basinPolygons(decodeAll(profilePayload()));
    expect(polys[1].points.length).toBe(4);
    expect(inside([0.3, 2], polys[1].points)).toBe(true);
    expect(inside([0.6, 2], polys[1].points)).toBe(false);
  });
});

describe("profile geometry helpers", () => {
  it("markers never overlap: moved sideways within their basin, else merged with a count", () => {
    const ms = [
      { basin: 1, x: 10, y: 10, r: 4, lo: 0, hi: 100 },
      { basin: 2, x: 12, y: 10, r: 4, lo: 0, hi: 100 }, // room beside: moved
      { basin: 3, x: 11, y: 11, r: 4, lo: 9, hi: 13 }, // no room in its basin: merged
    ];
    const out = placeMarkers(ms);
    expect(out.length).toBe(2);
    for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) {
      expect(Math.hypot(out[i].x - out[j].x, out[i].y - out[j].y)).toBeGreaterThanOrEqual(out[i].r + out[j].r);
    }
    expect(out.find((m) => m.basin === 1).members).toEqual([1, 3]);
    expect(out.find((m) => m.basin === 1).count).toBe(2);
  });

  it("focus window: a subtree, its x extent and its loss range", () => {
    const p = decodeAll(profilePayload());
    p.basin_parent = [-1, 0];
    const polys = basinPolygons(p);
    expect([...subtree(p, 0)].sort()).toEqual([0, 2]);
    const win = focusWindow(p, polys, { basin: 2 });
    expect([...win.basins]).toEqual([2]);
    expect(win.x[0]).toBeCloseTo(0.2);
    expect(win.x[1]).toBeCloseTo(0.4);
    expect(win.y[0]).toBeCloseTo(1); // nothing lies below its own minimum
    expect(win.y[1]).toBeCloseTo(3 + 0.08 * 2);
    // the outermost basin: up to a little above its last merge, not the empty top
    // the outermost basin: zoomed on its sub-basins, up to a little above its last merge
    // (not the empty top), down to a little below their lowest minimum (the funnel is cut)
    const outer = focusWindow(p, polys, { basin: 0 });
    expect(outer.y[0]).toBeCloseTo(1 - 0.08 * 2);
    expect(outer.y[1]).toBeCloseTo(3 + 0.08 * 2);
    expect(outer.cut).toBe(true);
  });
});

describe("ContourView helpers", () => {
  it("outlines exactly the selected basins' region, not a tint", () => {
    const labels = new Int32Array([0, 0, 2, 2]); // 2x2, rows = y from the bottom
    const edges = outlineEdges(labels, 2, 2, (b) => b, new Set([2]));
    // the top row (cells (0,1), (1,1)): its 6 unit edges on the boundary of the 2x1 strip
    expect(edges.length).toBe(6);
    const key = (e) => e.join(",");
    expect(new Set(edges.map(key))).toEqual(new Set(["0,1,0,2", "2,1,2,2", "0,1,1,1", "1,1,2,1", "0,2,1,2", "1,2,2,2"]));
    expect(outlineEdges(labels, 2, 2, (b) => b, new Set())).toEqual([]);
    expect(outlineEdges(labels, 2, 2, (b) => b, new Set([0, 2])).length).toBe(8); // the square
    expect(cellDomain([0, 1, 2])).toEqual([-0.5, 2.5]);
  });
});

describe("Explorer slider and runtime", () => {
  it("maps slider positions to thresholds and back", () => {
    expect(toThreshold(0, 2)).toBe(0);
    expect(toThreshold(1000, 2)).toBe(2);
    expect(toPosition(toThreshold(400, 2), 2)).toBe(400);
    expect(toPosition(1, 0)).toBe(0);
  });

  it("rebuilds models from an embed state with base64 buffers", async () => {
    const b64 = Buffer.from(new Float32Array([1, 2]).buffer).toString("base64");
    const { models, manager } = createModels({
      a: { model_name: "AnyModel", state: { _data: { x: { dtype: "float32", shape: [2], buffer: null } }, n: 1 },
        buffers: [{ path: ["_data", "x", "buffer"], data: b64, encoding: "base64" }] },
    });
    const m = await manager.get_model("a");
    expect(m.get("_data").x.buffer).toBeInstanceOf(DataView);
    let fired = 0;
    m.on("change:n", () => fired++);
    m.set("n", 1);
    m.set("n", 2);
    expect(fired).toBe(1);
    expect(models.size).toBe(1);
    await expect(manager.get_model("zz")).rejects.toThrow(/no model zz/);
  });
});
