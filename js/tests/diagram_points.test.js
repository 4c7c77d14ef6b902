// The one persistence-diagram renderer (lib/diagram_points.js): both diagram views draw through
// it (their markers sit where placePairs puts the same pairs on their scales), and its level of
// detail (elements / painted / hidden) is the split PersistenceDiagramView made before it was
// shared: the most persistent first (ties in index order), at itemBudget(1), then SVG_POINTS.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { StaticModel, makeHost } from "../src/runtime.js";
import { linear } from "../src/lib/scales.js";
import { itemBudget, splitAtBudget } from "../src/lib/lod.js";
import { chainTopology } from "./chain_topology.js";
import { w } from "./fixtures.js";

const calls = [];
vi.mock("../src/lib/diagram_points.js", async (importOriginal) => {
  const real = await importOriginal();
  return {
    ...real,
    renderDiagram: (plot, pairs, opts) => {
      const out = real.renderDiagram(plot, pairs, opts);
      calls.push({ pairs, opts, out });
      return out;
    },
  };
});

const { placePairs, splitDetail, renderDiagram } = await import("../src/lib/diagram_points.js");
const diagram = (await import("../src/persistence_diagram_view.js")).default;
const { SVG_POINTS, persistenceOrder, shownPrefix } = await import("../src/persistence_diagram_view.js");
const { Topology } = await import("../src/lib/topology.js");
const trajectory = (await import("../src/trajectory_view.js")).default;

// jsdom has no canvas: a 2-D context that records nothing and encodes a fixed PNG, so that the
// painted tier is taken as in a browser
beforeAll(() => {
  const noop = () => {};
  const fake = (canvas) => new Proxy({ canvas }, { get: (t, k) => (k in t ? t[k] : noop), set: () => true });
  HTMLCanvasElement.prototype.getContext = function getContext() { return fake(this); };
  HTMLCanvasElement.prototype.toDataURL = () => "data:image/png;base64,AAAA";
});

beforeEach(() => {
  document.body.replaceChildren();
  calls.length = 0;
});

function models(viewState) {
  const all = new Map();
  const manager = { get_model: async (id) => all.get(id) };
  const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
  const view = new StaticModel("view", { selection: "IPY_MODEL_sel", ...viewState }, manager);
  all.set("sel", sel);
  all.set("view", view);
  const el = document.createElement("div");
  document.body.appendChild(el);
  return { sel, view, el, host: makeHost(all) };
}

const centre = (n) => (n.tagName === "circle"
  ? [Number(n.getAttribute("cx")), Number(n.getAttribute("cy"))]
  : (() => { // a triangle: its apex is (x, y - r), its base corners at y + 0.7 r
      const [x, y] = n.getAttribute("d").slice(1).split("L")[0].split(",").map(Number);
      return [x, y];
    })());

describe("the shared renderer places pairs on the scales", () => {
  it("x = sx(birth), y = sy(death), the ∞ line for essential pairs, after the transform", () => {
    const sx = linear([0, 2], [0, 200]);
    const sy = linear([0, 2], [100, 0]);
    const pairs = [{ birth: 0.5, death: 1 }, { birth: 1, death: Infinity }];
    expect(placePairs(pairs, sx, sy, 6).map(({ x, y }) => [x, y])).toEqual([[50, 50], [100, 6]]);
    const logged = placePairs([{ birth: 10, death: 100 }], sx, sy, 6, Math.log10);
    expect([logged[0].x, logged[0].y]).toEqual([100, 0]);
  });
});

describe("both diagram views draw through renderDiagram", () => {
  it("PersistenceDiagramView: its circles sit where placePairs puts its pairs", async () => {
    const { el, view, host } = models({ width: 400, height: 300, _data: { topology: chainTopology(30, 5) } });
    await diagram.render({ model: view, el, host });
    expect(calls.length).toBe(1);
    // the diagram hands its pairs placed once, in rank order (rankedPoints): where placePairs
    // puts them
    const { opts, out } = calls[0];
    const pairs = opts.placed.map((q) => q.p);
    expect(pairs.length).toBe(30);
    expect(opts.placed.map((q) => q.i)).toEqual(pairs.map((_, k) => k));
    const want = placePairs(pairs, opts.sx, opts.sy, opts.top);
    const circles = [...el.querySelectorAll("circle.lw-point[data-basin]")];
    expect(circles.length).toBe(30);
    for (const c of circles) {
      const k = pairs.findIndex((p) => p.basin === Number(c.getAttribute("data-basin")));
      expect(centre(c)).toEqual([want[k].x, want[k].y]);
      expect(out.nodes.get(k)).toBe(c);
    }
  });

  it("TrajectoryView: its D0 circles and D1 triangles sit where placePairs puts its groups", async () => {
    const samples = { x: w([0, 1, 2, 3]), y: w([0, 1, 0, 1]), loss: w([4, 2, 1, 0.5]), eval_loss: w([NaN, NaN, NaN, NaN]),
      seed: w([0, 0, 1, 1], "int32"), step: w([1, 1, 1, 1]), epoch: w([0, 1, 0, 1], "int32"), trajectory: w([0, 0, 1, 1], "int32") };
    const d = { dim: w([0, 0, 1], "int32"), birth: w([0.5, 1, 2], "float64"), death: w([2, Infinity, 4], "float64"),
      birth_vertex: w([3, 2, 1], "int32"), death_vertex: w([1, -1, 0], "int32"), count: w([1, 1, 4], "int32"),
      index: w([0, 1, 0], "int32"), group_of0: w([0, 1], "int32"), group_of1: w([2], "int32"), value_min: 0.5, value_max: 4,
      n_pairs: [2, 1], total_persistence: [1, 1], complex: "graph" };
    for (const log of [false, true]) {
      calls.length = 0;
      document.body.replaceChildren();
      const { el, view, host } = models({ width: 700, height: 300, color_by: "loss", log_diagram: log, pair: [],
        _data: { samples, diagram: d, seeds: [0, 1], steps: [1], has_eval: false, method: "pca", value_label: "loss" } });
      await trajectory.render({ model: view, el, host });
      expect(calls.length).toBe(1);
      const { pairs, opts } = calls[0];
      expect(pairs.map((p) => p.key)).toEqual([0, 1, 2]);
      const want = placePairs(pairs, opts.sx, opts.sy, opts.top, opts.tf);
      for (const [g, cls] of [[0, "circle"], [1, "circle"], [2, "path"]]) {
        const node = el.querySelector(`.lw-pair[data-group="${g}"]`);
        expect(node.tagName).toBe(cls);
        expect(centre(node)[0]).toBeCloseTo(want[g].x, 9);
        // a triangle's apex is r + 0.8 above its centre; r grows with the group's count
        const r = 3.5 + 1.2 * Math.log2(pairs[g].count);
        expect(centre(node)[1]).toBeCloseTo(want[g].y - (cls === "path" ? r + 0.8 : 0), 9);
      }
      expect(want[1].y).toBe(opts.top); // the essential D0 class on the ∞ line
    }
  });

  it("the same pairs on the same scales land on the same positions whichever view asks", () => {
    const sx = linear([0, 1], [0, 300]);
    const sy = linear([0, 1], [200, 20]);
    const pairs = Array.from({ length: 50 }, (_, i) => ({ key: i, birth: i / 100, death: i % 7 ? i / 60 : Infinity, dim: i % 2, count: 1 + (i % 3) }));
    const a = document.createElementNS("http://www.w3.org/2000/svg", "g");
    const b = document.createElementNS("http://www.w3.org/2000/svg", "g");
    const base = { sx, sy, w: 300, h: 200, lo: 0, hi: 1, top: 6, axes: { birth: "birth", death: "death", format: String } };
    const basins = renderDiagram(a, pairs, base);
    const groups = renderDiagram(b, pairs, { ...base, sizeByCount: true });
    expect(groups.points.map((q) => [q.x, q.y])).toEqual(basins.points.map((q) => [q.x, q.y]));
  });
});

/** Today's split (PersistenceDiagramView before the shared renderer): by persistence, largest
 *  first, ties in index order; the first itemBudget(1) kept, of those the first SVG_POINTS as
 *  circles, the rest of the kept painted, the others hidden. */
function referenceSplit(persistence) {
  const order = [...persistence.keys()].sort((a, b) => (persistence[b] - persistence[a]) || (a - b));
  const { shown: kept, hidden } = splitAtBudget(order, itemBudget(1));
  const { shown: circles, hidden: painted } = splitAtBudget(kept, SVG_POINTS);
  return { circles: new Set(circles), painted, hidden };
}

describe("the level of detail is today's split", () => {
  it("splitDetail: elements, painted and hidden as before, at several sizes", () => {
    let s = 3;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const n of [10, SVG_POINTS, SVG_POINTS + 1, itemBudget(1), itemBudget(1) + 7, 6000]) {
      const pers = Array.from({ length: n }, () => (rnd() < 0.1 ? 0.5 : rnd())); // with ties
      pers[0] = Infinity;
      const points = pers.map((p, i) => ({ i, p: { key: i } }));
      const order = [...pers.keys()].sort((a, b) => (pers[b] - pers[a]) || (a - b));
      const got = splitDetail(points, order, { budget: itemBudget(1), elements: SVG_POINTS });
      const ref = referenceSplit(pers);
      expect(got.elements.map((q) => q.i)).toEqual([...ref.circles].sort((a, b) => a - b));
      expect(got.painted.map((q) => q.i)).toEqual(ref.painted);
      expect(got.hidden.map((q) => q.i)).toEqual(ref.hidden);
    }
  });

  it("PersistenceDiagramView at 6,000 basins: the 400 most persistent as circles, the next painted, the rest dots", async () => {
    const topo = chainTopology(6000, 11);
    const { el, view, host } = models({ width: 400, height: 300, _data: { topology: topo } });
    await diagram.render({ model: view, el, host });
    const pers = Array.from(new Float64Array(topo.persistence.buffer.buffer));
    const ids = Array.from(new Int32Array(topo.minima.buffer.buffer));
    const ref = referenceSplit(pers);
    const circles = [...el.querySelectorAll("circle.lw-point[data-basin]")].map((c) => Number(c.getAttribute("data-basin")));
    expect(new Set(circles)).toEqual(new Set([...ref.circles].map((k) => ids[k])));
    // the painted and hidden pairs: a live canvas (no PNG while on screen)
    expect(el.querySelector("image.lw-point-aggregate")).toBe(null);
    const image = el.querySelector("foreignObject.lw-point-aggregate");
    expect(image.querySelectorAll("canvas").length).toBe(1);
    expect(Number(image.getAttribute("data-painted"))).toBe(ref.painted.length);
    expect(Number(image.getAttribute("data-aggregate"))).toBe(ref.hidden.length);
    const { out } = calls[0];
    expect(out.painted.map((q) => q.p.basin)).toEqual(ref.painted.map((k) => ids[k]));
  });

  it("a selected pair without an element is drawn on top, found by its rank, at any threshold", async () => {
    const topo = chainTopology(6000, 11);
    const { el, sel, view, host } = models({ width: 400, height: 300, _data: { topology: topo } });
    await diagram.render({ model: view, el, host });
    const model = new Topology(topo);
    const finite = [...model.persistence].filter(Number.isFinite).sort((a, b) => a - b);
    // thresholds with painted and hidden pairs, with painted ones only, with every pair drawn
    for (const [t, least] of [[0, 2], [finite[3040], 1], [finite[5990], 0]]) {
      sel.set("min_persistence", t);
      const { out } = calls[calls.length - 1];
      // one pair of each kind: an element, a painted one, a hidden one; a basin no pair has
      const element = out.elements[out.elements.length - 1]; // the last rank drawn
      const painted = out.painted[0]; // the first rank not drawn
      const hidden = out.hidden[0];
      const chosen = [element, painted, hidden].filter(Boolean).map((q) => q.p.basin);
      const hiddenAt = model.minima.findIndex((b, i) => !model.visible(i, t)); // below the threshold
      const off = hiddenAt >= 0 ? [model.minima[hiddenAt]] : [];
      sel.set("basins", [...chosen, ...off, 999999]); // 999999: no vertex
      const overlay = [...el.querySelectorAll("circle.lw-lod-overlay")];
      // a basin below the threshold is shown as its representative's (maybe one not drawn)
      const notDrawn = new Map([...out.painted, ...out.hidden].map((q) => [q.p.basin, q]));
      const expected = [...new Set([...chosen, ...off, 999999].map((b) => model.rep(b, t)))]
        .filter((b) => notDrawn.has(b)).map((b) => notDrawn.get(b));
      expect(expected.length).toBeGreaterThanOrEqual(least);
      expect(overlay.map((c) => Number(c.getAttribute("data-basin")))).toEqual(expected.map((q) => q.p.basin));
      overlay.forEach((c, k) => {
        expect(Number(c.getAttribute("cx"))).toBe(expected[k].x);
        expect(Number(c.getAttribute("cy"))).toBe(expected[k].y);
      });
      sel.set("basins", []);
    }
  });

  it("shownPrefix: where the walk along the ranking meets the first hidden pair", () => {
    // persistences a few ulps apart on births of every size, so that death - birth as rounded
    // (the ranking's key) orders some pairs against their persistences; NaN (shown at every
    // threshold) and an essential pair
    const n = 400;
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const near = [0.19999999999999998, 0.2, 0.20000000000000004, 0.30000000000000004, 0.3];
    const births = Array.from({ length: n }, () => rnd() * 10 ** Math.floor(rnd() * 7));
    const pers = Array.from({ length: n }, (_, k) => (k === 7 ? NaN : k === 11 ? Infinity : near[k % near.length]));
    const data = chainTopology(n, 3);
    data.minimum_value = w(births, "float64");
    data.persistence = w(pers, "float64");
    const topo = new Topology(data);
    const order = persistenceOrder(topo);
    const along = Array.from(order, (i) => topo.persistence[i]);
    expect(along.some((p, r) => r > 0 && p > along[r - 1])).toBe(true); // not sorted: the case
    const walk = (t) => {
      let k = 0;
      while (k < order.length && topo.visible(order[k], t)) k++;
      return k;
    };
    for (const t of [-1, 0, 0.1, 0.25, 1, Infinity, ...near]) expect(shownPrefix(topo, t)).toBe(walk(t));
    // on a chain's merge tree, at every 37th persistence
    const big = new Topology(chainTopology(3000, 5));
    const bigOrder = persistenceOrder(big);
    for (const t of [...big.persistence].filter((_, k) => k % 37 === 0)) {
      let k = 0;
      while (k < bigOrder.length && big.visible(bigOrder[k], t)) k++;
      expect(shownPrefix(big, t)).toBe(k);
    }
  });
});
