// The merge tree draws one path per branch (a basin's edges, the segments between the saddles
// on it, joined), not one per edge; a click is resolved against the branches in drawing order.
// Checked against the layout's edges and a plain scan of the drawn elements.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import tree, { branchPaths, branchesOf, pickDrawnBranch, segmentDistance2 } from "../src/merge_tree_view.js";
import { Topology } from "../src/lib/topology.js";
import { itemBudget, lodThreshold } from "../src/lib/lod.js";
import { linear } from "../src/lib/scales.js";
import { mountSetup as setup } from "./mount_setup.js";
import { chainTopology } from "./chain_topology.js";

beforeEach(() => {
  document.body.replaceChildren();
});

/** A path's subpaths as polylines: [[x0, y0, x1, y1, ...], ...]. */
function polylines(d) {
  return d.split("M").filter(Boolean).map((part) => part.split("L").flatMap((xy) => xy.split(",").map(Number)));
}

describe("the merge tree's branches", () => {
  it("one path element per basin, holding exactly its edges' path data", async () => {
    const data = { topology: chainTopology(300, 4) };
    const { el, host, view } = setup(data, 400);
    await tree.render({ model: view, el, host });
    const drawn = [...el.querySelectorAll("path.lw-edge[data-basin]")];
    const basins = drawn.map((p) => Number(p.getAttribute("data-basin")));
    expect(new Set(basins).size).toBe(basins.length); // one element a basin
    // the layout the view drew (every branch within the budget): its edges, grouped by basin
    const topo = new Topology(data.topology);
    const layout = topo.treeLayout(0);
    const edgeCount = new Map();
    for (const b of layout.edge_basin) edgeCount.set(b, (edgeCount.get(b) || 0) + 1);
    expect(new Set(basins)).toEqual(new Set(edgeCount.keys()));
    expect(drawn.length).toBeLessThan(layout.edge_basin.length); // fewer elements than edges
    for (const p of drawn) {
      expect(polylines(p.getAttribute("d")).length).toBe(edgeCount.get(Number(p.getAttribute("data-basin"))));
    }
  });

  it("branchesOf joins each basin's edges in order; pickDrawnBranch finds the last drawn within 4.5 px", () => {
    const topo = new Topology(chainTopology(120, 9));
    const layout = topo.treeLayout(0);
    const sx = linear([-0.03, 1.03], [0, 500]);
    const sy = linear([layout.y_min, layout.y_max], [300, 0]);
    const paths = { list: branchPaths(layout, sx, sy), sx, sy };
    const branches = branchesOf(paths);
    // every edge in exactly one branch, in edge order within it, its data joined
    expect(branches.flatMap((b) => b.edges).sort((a, b) => a - b)).toEqual([...paths.list.keys()]);
    for (const b of branches) {
      expect(b.edges.every((e) => paths.list[e].basin === b.basin)).toBe(true);
      expect(b.d).toBe(b.edges.map((e) => paths.list[e].d).join(""));
    }
    // the plain rule: the last branch in drawing order with a segment within 4.5 px
    const lines = new Map(branches.map((b) => [b.basin, polylines(b.d)]));
    const plain = (x, y) => {
      let found = null;
      for (const b of branches) {
        for (const pts of lines.get(b.basin)) {
          for (let i = 0; i + 3 < pts.length; i += 2) {
            if (segmentDistance2(x, y, pts[i], pts[i + 1], pts[i + 2], pts[i + 3]) <= 4.5 ** 2 + 1e-9) found = b.basin;
          }
        }
      }
      return found;
    };
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let hits = 0;
    let misses = 0;
    for (let k = 0; k < 2000; k++) {
      const x = 500 * rnd();
      const y = 300 * rnd();
      const got = pickDrawnBranch(paths, layout, null, x, y);
      // (path data rounds to 0.1 px: a point right at the reach may differ)
      const want = plain(x, y);
      if (got !== want) {
        const near = (b) => Math.min(...lines.get(b).flatMap((pts) =>
          pts.slice(0, -2).filter((_, i) => i % 2 === 0).map((_, j) => segmentDistance2(x, y, pts[2 * j], pts[2 * j + 1], pts[2 * j + 2], pts[2 * j + 3]))));
        const edge = [got, want].filter((b) => b !== null).map((b) => Math.abs(Math.sqrt(near(b)) - 4.5));
        expect(Math.min(...edge)).toBeLessThan(0.2); // one of them right at the reach
        misses++;
      }
      if (want !== null) hits++;
    }
    expect(hits).toBeGreaterThan(100);
    expect(misses).toBeLessThan(hits / 50);
  });
});

describe("the painted tree's joints", () => {
  // jsdom has no canvas: a 2-D context that records nothing, so that branches are painted as
  // in a browser
  const original = HTMLCanvasElement.prototype.getContext;
  beforeAll(() => {
    const noop = () => {};
    const fake = (canvas) => new Proxy({ canvas }, { get: (t, k) => (k in t ? t[k] : noop), set: () => true });
    HTMLCanvasElement.prototype.getContext = function getContext() { return fake(this); };
  });
  afterAll(() => {
    HTMLCanvasElement.prototype.getContext = original;
  });

  it("saddles where only painted branches end are painted; a selected branch rings them on top", async () => {
    const data = { topology: chainTopology(4000, 6) };
    const { el, sel, view, host } = setup(data, 400);
    await tree.render({ model: view, el, host });
    expect(el.querySelector("foreignObject.lw-tree-raster-nodes")).not.toBe(null);
    const topo = new Topology(data.topology);
    const layout = topo.treeLayout(lodThreshold(topo, 0, itemBudget(6)));
    const drawn = new Set([...el.querySelectorAll("path.lw-edge[data-basin]")].map((p) => Number(p.getAttribute("data-basin"))));
    // the plain rule, node by node: a drawn branch's saddle stays an element iff a drawn
    // branch ends there; the others on drawn branches are its joints
    const element = new Set();
    const jointsOf = new Map();
    for (let k = 0; k < layout.node_x.length; k++) {
      const b = layout.node_basin[k];
      if (layout.node_is_minimum[k] || !drawn.has(b)) continue;
      let ends = false;
      for (let v = 0; v < layout.node_x.length; v++) {
        if (layout.node_parent[v] === k && layout.node_basin[v] !== b && drawn.has(layout.node_basin[v])) ends = true;
      }
      if (ends) element.add(layout.node_vertex[k]);
      else jointsOf.set(b, (jointsOf.get(b) || 0) + 1);
    }
    const saddles = [...el.querySelectorAll("circle.lw-saddle[data-vertex]")].map((c) => Number(c.getAttribute("data-vertex")));
    expect(new Set(saddles)).toEqual(element);
    expect(saddles.length).toBe(element.size);
    const [branch, count] = [...jointsOf].sort((a, b) => b[1] - a[1])[0];
    expect(count).toBeGreaterThan(3);
    // selected: its joints ringed, one circle each (a subpath of one path), each centred on
    // a node of its branch (where one of its edges starts)
    sel.set("basins", [branch]);
    const ring = el.querySelector(`g.lw-joints[data-basin="${branch}"]`);
    expect(ring.getAttribute("aria-selected")).toBe("true");
    const [rings, fills] = [...ring.children];
    expect([rings.getAttribute("class"), fills.getAttribute("class")]).toEqual(["lw-joint-rings", "lw-joint-fills"]);
    expect(fills.getAttribute("d")).toBe(rings.getAttribute("d"));
    const circles = rings.getAttribute("d").split("M").filter(Boolean);
    expect(circles.length).toBe(count);
    const d = el.querySelector(`path.lw-edge[data-basin="${branch}"]`).getAttribute("d");
    const starts = new Set(d.split("M").filter(Boolean).map((part) => part.split("L")[0].split(",").map(Number).join(",")));
    for (const c of circles) {
      const [left, y] = c.split("a")[0].split(",").map(Number);
      expect(starts.has(`${Math.round((left + 3.5) * 10) / 10},${y}`)).toBe(true);
    }
    sel.set("basins", []);
    expect(el.querySelector(".lw-joints")).toBe(null);
  });
});
