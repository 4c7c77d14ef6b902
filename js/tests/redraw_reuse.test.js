// Views update instead of rebuilding (issue 16's speed goals): a redraw keeps every element it
// would make again (lib/dom.js beginReuse/endReuse), a threshold move reuses the elements of the
// surviving basins and ends exactly where a fresh drawing does, and a selection change touches
// only the elements of the basins it selects or releases.
import { beforeEach, describe, expect, it } from "vitest";
import { StaticModel, makeHost } from "../src/runtime.js";
import barcode from "../src/barcode_view.js";
import diagram from "../src/persistence_diagram_view.js";
import tree from "../src/merge_tree_view.js";
import profile, { placeMarkers } from "../src/profile_view.js";
import { outlineEdges, outlinePath } from "../src/contour_view.js";
import { OutlineMemo, labelBoxes } from "../src/lib/contour_grid.js";
import { MAX_INTERNED, beginReuse, endReuse, svg, svgFresh } from "../src/lib/dom.js";
import { fixed1 } from "../src/lib/svg.js";
import { Highlighter } from "../src/lib/selection.js";
import { chainTopology } from "./lod.test.js";

beforeEach(() => {
  document.body.replaceChildren();
});

function setup(data, t = 0) {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: t }, manager);
  const view = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 400, height: 300, _data: data }, manager);
  models.set("sel", sel);
  models.set("view", view);
  const el = document.createElement("div");
  document.body.appendChild(el);
  return { sel, view, el, host: makeHost(models) };
}

// the drawing as text: every element with its attributes (ids of defs made the same)
function snapshot(el) {
  const root = el.querySelector("svg");
  const ids = new Map();
  // a view's ids end in "-<module prefix>-<view number>" (lib/view.js uid)
  const norm = (v) => v.replace(/(lw-[a-z]+(?:-[a-z]+)*)-[a-z0-9]+-\d+(?![\w-])/g, (m, kind) => {
    if (!ids.has(m)) ids.set(m, `${kind}-#${ids.size}`);
    return ids.get(m);
  });
  const out = [];
  for (const node of root.querySelectorAll("*")) {
    const attrs = [...node.attributes].map((a) => `${a.name}=${norm(a.value)}`).sort();
    out.push(`${node.tagName} ${attrs.join(" ")} ${node.children.length ? "" : node.textContent}`);
  }
  return out;
}

describe("keyed reuse of a redrawn SVG (dom.js)", () => {
  it("keeps the elements made again, makes the new ones, removes the stale ones, in order", () => {
    const root = svg("svg", {});
    const draw = (items) => {
      const g = svg("g", { class: "layer" }, root);
      return items.map((v) => svg("circle", { cx: v, r: 2 }, g));
    };
    // (elements are offered for reuse when a redraw made them: a view's first drawing is one)
    beginReuse(root);
    draw([1, 2, 3]);
    endReuse();
    const before = [...root.querySelectorAll("circle")];
    beginReuse(root);
    const after = draw([2, 3, 4]);
    const stats = endReuse();
    expect(after[0]).toBe(before[1]);
    expect(after[1]).toBe(before[2]);
    expect(before[0].isConnected).toBe(false);
    expect(stats.made).toBe(1);
    expect([...root.querySelectorAll("circle")].map((c) => c.getAttribute("cx"))).toEqual(["2", "3", "4"]);
    expect(root.querySelectorAll("g").length).toBe(1);
    // a dropped element comes back from the spares when the drawing goes back
    beginReuse(root);
    const back = draw([1, 2, 3]);
    expect(endReuse().made).toBe(0);
    expect(back[0]).toBe(before[0]);
    expect([...root.querySelectorAll("circle")].map((c) => c.getAttribute("cx"))).toEqual(["1", "2", "3"]);
  });

  it("never reuses a fresh element (one changed after it is made) nor what it holds", () => {
    const root = svg("svg", {});
    const first = svgFresh("circle", { r: 1 }, root);
    beginReuse(root);
    const second = svgFresh("circle", { r: 1 }, root);
    endReuse();
    expect(second).not.toBe(first);
    expect(root.querySelectorAll("circle").length).toBe(1);
  });

  it("keys long attribute values by their text: equal texts reused, other texts never", () => {
    const root = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const long = (c) => `M0,0${"L1,1".repeat(200)}${c}`; // > 256 characters
    beginReuse(root);
    const a = svg("path", { d: long("Z") }, root);
    const b = svg("path", { d: long("L2,2") }, root);
    endReuse();
    beginReuse(root);
    // an equal text built anew (another string object) finds its element; another text of the
    // same length does not take an element made with a different one
    const a2 = svg("path", { d: long("Z").slice(0) + "" }, root);
    const c = svg("path", { d: long("L3,3") }, root);
    endReuse();
    expect(a2).toBe(a);
    expect(c).not.toBe(b);
    expect(c.getAttribute("d")).toBe(long("L3,3"));
    // past the table's size it starts again with new numbers: no element made with an old
    // text is taken for a new one (numbers that restarted would match the first drawing's)
    const many = (n, tag) => Array.from({ length: n }, (_, k) => long(`L${k},${tag}`));
    const first = many(MAX_INTERNED + 50, 1);
    beginReuse(root);
    for (const d of first) svg("path", { d }, root);
    endReuse();
    const next = many(100, 2);
    beginReuse(root);
    const made = next.map((d) => svg("path", { d }, root));
    endReuse();
    expect(made.map((n) => n.getAttribute("d"))).toEqual(next);
  });

  it("formats path numbers with one decimal, rounded as toFixed(1) (halves may go up)", () => {
    for (const v of [0, 0.04, 0.05, 0.15, 1.25, -0.26, 12.349, -7, 1234.56, 1e-9, 399.95, -0.04]) {
      expect(Math.abs(Number(fixed1(v)) - v)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(fixed1(v)).toMatch(/^-?\d+\.\d$/);
      if (Math.abs(v * 10 - Math.round(v * 10)) < 0.49) expect(Number(fixed1(v)) === Number(v.toFixed(1))).toBe(true);
    }
  });
});

describe("Highlighter across redraws", () => {
  it("writes aria-selected only on change and releases kept elements not registered again", () => {
    const hl = new Highlighter();
    const a = svg("circle", {});
    const b = svg("circle", {});
    hl.add(a, 1);
    hl.add(b, 2);
    hl.apply(new Set([1]));
    expect(a.getAttribute("aria-selected")).toBe("true");
    hl.clear();
    hl.add(a, 1);
    hl.release([a, b]);
    expect(b.hasAttribute("data-basin")).toBe(false);
    expect(a.getAttribute("data-basin")).toBe("1");
    // a kept element that is not selected any more loses the mark when registered again
    expect(a.getAttribute("aria-selected")).toBe(null);
  });
});

const VIEWS = [["barcode", barcode], ["diagram", diagram], ["tree", tree], ["profile", profile]];

describe("a threshold move updates the views", () => {
  const n = 4000;
  const data = { topology: chainTopology(n, 11) };
  const pers = Array.from(new Float64Array(data.topology.persistence.buffer.buffer)).filter(Number.isFinite).sort((a, b) => b - a);
  // inside the level of detail (nothing drawn changes but labels), a move that shows the same
  // pairs (the drawing is kept: spec.drawKey; only the diagram's hidden band moves), then above
  // it (fewer basins), then back to 0
  const same = (pers[3500] + pers[3501]) / 2;
  const moves = [pers[3500], same, pers[120], pers[40], 0];

  for (const [name, view] of VIEWS) {
    it(`${name}: reuses the surviving elements and equals a fresh drawing at every threshold`, async () => {
      const live = setup(data);
      await view.render({ model: live.view, el: live.el, host: live.host });
      live.sel.set("basins", [Number(live.el.querySelector("[data-basin]").getAttribute("data-basin"))]);
      const before = new Set(live.el.querySelectorAll("[data-basin]"));
      const root = live.el.querySelector("[data-view]");
      for (const t of moves) {
        live.sel.set("min_persistence", t);
        // the move between two thresholds that show the same pairs does not draw again
        expect(root.hasAttribute("data-render-skipped")).toBe(t === same);
        const fresh = setup(data, t);
        fresh.sel.set("basins", live.sel.get("basins"));
        await view.render({ model: fresh.view, el: fresh.el, host: fresh.host });
        expect(snapshot(live.el)).toEqual(snapshot(fresh.el));
      }
      // back at 0: every basin element is the one drawn first
      const after = [...live.el.querySelectorAll("[data-basin]")];
      const kept = after.filter((x) => before.has(x)).length;
      expect(kept).toBeGreaterThan(0.95 * after.length);
      expect(Number(root.getAttribute("data-render-made"))).toBe(0);
    }, 60000);
  }
});

describe("brushing 20,000 basins touches only the elements of the basins it changes", () => {
  const n = 20000;
  const data = { topology: chainTopology(n, 13) };
  for (const [name, view] of VIEWS) {
    it(name, async () => {
      const { el, sel, view: model, host } = setup(data);
      await view.render({ model, el, host });
      const drawn = [...new Set([...el.querySelectorAll("[data-basin]")].map((x) => Number(x.getAttribute("data-basin"))))];
      const [a, b] = [drawn[5], drawn[drawn.length - 3]];
      const touched = [];
      const observer = new MutationObserver((records) => { for (const r of records) if (r.attributeName !== "data-render-ms") touched.push(r); });
      observer.observe(el, { subtree: true, attributes: true, childList: true });
      sel.set("basins", [a]);
      sel.set("basins", [b]);
      await Promise.resolve();
      observer.disconnect();
      const changed = touched.filter((r) => r.type === "attributes");
      expect(touched.filter((r) => r.type === "childList").length).toBe(0);
      expect(changed.length).toBeGreaterThan(0);
      for (const r of changed) {
        expect(r.attributeName).toBe("aria-selected");
        expect([a, b]).toContain(Number(r.target.getAttribute("data-basin")));
      }
    }, 30000);
  }
});

describe("placeMarkers on a grid equals the plain scan", () => {
  // the scan it replaces: each marker tested against every one placed before it
  function scan(markers, gap = 1) {
    const placed = [];
    const clash = (x, y, r) => placed.find((q) => Math.hypot(q.x - x, q.y - y) < q.r + r + gap);
    for (const m of markers) {
      const hit = clash(m.x, m.y, m.r);
      if (!hit) { placed.push({ ...m, count: 1, members: [m.basin] }); continue; }
      let moved = null;
      for (const step of [1, -1, 2, -2, 3, -3]) {
        const x = m.x + step * (2 * m.r + gap);
        if (x - m.r < m.lo - 0.5 || x + m.r > m.hi + 0.5) continue;
        if (!clash(x, m.y, m.r)) { moved = x; break; }
      }
      if (moved != null) placed.push({ ...m, x: moved, count: 1, members: [m.basin] });
      else { hit.count += 1; hit.members.push(m.basin); }
    }
    return placed;
  }
  it("on 1,500 random markers in a small plot", () => {
    let s = 3;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const markers = Array.from({ length: 1500 }, (_, k) => {
      const x = 400 * rnd();
      return { basin: k, x, y: 300 * rnd(), r: k % 3 ? 4 : 3.5, lo: x - 30 * rnd(), hi: x + 30 * rnd() };
    });
    expect(placeMarkers(markers)).toEqual(scan(markers));
  });
});

describe("the contour outline in runs", () => {
  it("covers exactly the unit edges of outlineEdges", () => {
    let s = 9;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const nx = 23;
    const ny = 17;
    const labels = Int32Array.from({ length: nx * ny }, () => Math.floor(rnd() * 6));
    const selected = new Set([1, 4]);
    const unit = new Set(outlineEdges(labels, nx, ny, (b) => b, selected).map(([a, b, c, d]) => `${a},${b},${c},${d}`));
    const { d, segments, edges } = outlinePath(labels, nx, ny, (b) => b, selected, (i) => i, (j) => j);
    expect(edges).toBe(unit.size);
    const covered = new Set();
    for (const seg of d.split("M").slice(1)) {
      const [[x0, y0], [x1, y1]] = seg.split("L").map((p) => p.split(",").map(Number));
      if (y0 === y1) for (let x = x0; x < x1; x++) covered.add(`${x},${y0},${x + 1},${y0}`);
      else for (let y = y0; y < y1; y++) covered.add(`${x0},${y},${x0},${y + 1}`);
    }
    expect(covered).toEqual(unit);
    expect(segments).toBeLessThan(unit.size);
    expect(outlinePath(labels, nx, ny, (b) => b, new Set(), (i) => i, (j) => j).d).toBe("");
  });
});

describe("the contour outline scans only the selected labels' box", () => {
  const covers = (d) => {
    const covered = new Set();
    for (const seg of d.split("M").slice(1)) {
      const [[x0, y0], [x1, y1]] = seg.split("L").map((p) => p.split(",").map(Number));
      if (y0 === y1) for (let x = x0; x < x1; x++) covered.add(`${x},${y0},${x + 1},${y0}`);
      else for (let y = y0; y < y1; y++) covered.add(`${x0},${y},${x0},${y + 1}`);
    }
    return covered;
  };
  // blocks of 5 x 4 cells, one label each, with a few stray cells of other labels inside
  const nx = 31;
  const ny = 22;
  const labels = Int32Array.from({ length: nx * ny }, (_, k) => {
    const ix = k % nx;
    const iy = Math.floor(k / nx);
    return k % 37 === 5 ? 100 + (k % 3) : Math.floor(ix / 5) + 10 * Math.floor(iy / 4);
  });
  it("each label's box is its cells' bounding box", () => {
    const box = labelBoxes(labels, nx);
    const seen = new Map();
    labels.forEach((lab, k) => {
      const b = seen.get(lab) || [nx, -1, ny, -1];
      const ix = k % nx;
      const iy = Math.floor(k / nx);
      seen.set(lab, [Math.min(b[0], ix), Math.max(b[1], ix), Math.min(b[2], iy), Math.max(b[3], iy)]);
    });
    [...seen.values()].forEach((b, j) => expect([...box.slice(4 * j, 4 * j + 4)]).toEqual(b));
  });
  for (const [name, selected, merge] of [
    ["one inner block", [23], {}],
    ["blocks at the grid's corners", [0, 6, 50, 56], {}],
    ["a block merged into another (repOf)", [12], { 33: 12 }],
    ["the stray cells", [101], {}],
  ]) {
    it(`covers exactly the unit edges of outlineEdges: ${name}`, () => {
      const repOf = (b) => merge[b] ?? b;
      const sel = new Set(selected);
      const unit = new Set(outlineEdges(labels, nx, ny, repOf, sel).map(([a, b, c, d]) => `${a},${b},${c},${d}`));
      const { d, edges } = outlinePath(labels, nx, ny, repOf, sel, (i) => i, (j) => j);
      expect(unit.size).toBeGreaterThan(0);
      expect(edges).toBe(unit.size);
      expect(covers(d)).toEqual(unit);
    });
  }
});

describe("the contour outline on the plot's scale", () => {
  it("ends every run on a grid line's pixel position, one decimal, as with identity scales", () => {
    let s = 5;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const nx = 29;
    const ny = 19;
    // the selected labels only inside columns 5..20, rows 4..15: a box off the grid's corner
    const labels = Int32Array.from({ length: nx * ny }, (_, k) => {
      const ix = k % nx;
      const iy = Math.floor(k / nx);
      return ix >= 5 && ix <= 20 && iy >= 4 && iy <= 15 ? 1 + Math.floor(rnd() * 9) : 0;
    });
    const selected = new Set([2, 7]);
    const gx = (i) => -2.5 + 3.14159 * i;
    const gy = (j) => 301.7 - 2.71828 * j;
    const plain = outlinePath(labels, nx, ny, (b) => b, selected, (i) => i, (j) => j);
    const scaled = outlinePath(labels, nx, ny, (b) => b, selected, gx, gy);
    expect(scaled.segments).toBe(plain.segments);
    expect(scaled.edges).toBe(plain.edges);
    // the same runs, each grid line i (j) written as gx(i) (gy(j)) to one decimal
    const onScale = plain.d.replace(/M(\d+)\.0,(\d+)\.0L(\d+)\.0,(\d+)\.0/g, (_, a, b, c, d) =>
      `M${fixed1(gx(+a))},${fixed1(gy(+b))}L${fixed1(gx(+c))},${fixed1(gy(+d))}`);
    expect(scaled.d).toBe(onScale);
  });
});

describe("the contour outlines kept (OutlineMemo)", () => {
  it("makes an outline once per size, slice and selected labels, the last few of them", () => {
    const memo = new OutlineMemo(2);
    const slice = {};
    let made = 0;
    const make = () => ({ d: `M${++made},0L1,0`, segments: 1, edges: made });
    const a = memo.outline("400|300", slice, Uint8Array.of(1, 0, 0), make);
    const b = memo.outline("400|300", slice, Uint8Array.of(0, 1, 1), make);
    expect(made).toBe(2);
    // back to the first labels (equal bytes, another array): kept, not made again
    expect(memo.outline("400|300", slice, Uint8Array.of(1, 0, 0), make)).toBe(a);
    expect(made).toBe(2);
    // another size or another slice: made
    memo.outline("401|300", slice, Uint8Array.of(1, 0, 0), make);
    expect(made).toBe(3);
    // two kept: the first (used last) and the 401 one; b was forgotten
    expect(memo.outline("400|300", slice, Uint8Array.of(1, 0, 0), make)).toBe(a);
    expect(memo.outline("400|300", slice, Uint8Array.of(0, 1, 1), make)).not.toBe(b);
    expect(made).toBe(4);
    memo.outline("400|300", {}, Uint8Array.of(0, 1, 1), make);
    expect(made).toBe(5);
  });
});

describe("ProfileView box selection (its shapes' helpers in lib/profile_shapes.js)", () => {
  it("a box over the whole plot selects every drawn basin", async () => {
    const data = { topology: chainTopology(40, 17) };
    const { el, sel, view, host } = setup(data);
    await profile.render({ model: view, el, host });
    const svgEl = el.querySelector("svg");
    const fire = (type, x, y) => svgEl.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0, clientX: x, clientY: y }));
    fire("pointerdown", 53, 11);
    fire("pointermove", 390, 290);
    fire("pointerup", 390, 290);
    const drawn = new Set([...el.querySelectorAll("path.lw-basin[data-basin]")].map((x) => Number(x.getAttribute("data-basin"))));
    expect(new Set(sel.get("basins"))).toEqual(drawn);
    expect(drawn.size).toBe(40);
    // a small box inside a shape, clear of its corners: found by the point-in-polygon test
    sel.set("basins", []);
    fire("pointerdown", 200, 30);
    fire("pointermove", 206, 36);
    fire("pointerup", 206, 36);
    expect(sel.get("basins").length).toBeGreaterThan(0);
  });
});
