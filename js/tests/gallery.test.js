import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaticModel, makeHost } from "../src/runtime.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import gallery, {
  drawThumb, thumbProfile, thumbRanges, thumbTopology, valueRange, HEAT_MARGIN, THUMB, THUMB_MARGIN, readableName,
} from "../src/gallery.js";
import profileView from "../src/profile_view.js";
import { decode } from "../src/lib/wire.js";
import scatter, { scatterPoints, colorScale, MARGIN } from "../src/metric_scatter_view.js";
import {
  entryTable, reduceValues, uniqueSorted, heatCells, nextEntries, shortLabel, EntryHighlighter, boxIds,
} from "../src/lib/entries.js";
import { decodeAll } from "../src/lib/wire.js";
import { mapPoints, mapCaption, MAP_MARGIN } from "../src/lib/mds_map.js";
import { w } from "./fixtures.js";

// 2 learning rates x 2 seeds (+ one lr=1 entry with one seed); n_saddles has a NaN
const IDS = ["a", "b", "c", "d", "e"];
function entriesPayload() {
  return {
    ids: IDS,
    labels: IDS.map((id) => `entry ${id}`),
    key_names: ["lr", "seed"],
    keys: { lr: [0.1, 0.1, 0.01, 0.01, 1], seed: [0, 1, 0, 1, 0] },
    metric_names: ["n_saddles", "accuracy"],
    metrics: {
      n_saddles: w([1, 3, 2, NaN, 5], "float64"),
      accuracy: w([0.9, 0.8, 0.5, 0.4, 0.1], "float64"),
    },
  };
}

// the thumbnails Python's Gallery ships (thumbnail_topology) with Python's profile of each:
// written by scripts/write_js_fixtures.py; entry e shows the first one again
const THUMBS = JSON.parse(readFileSync(join(import.meta.dirname, "py_fixtures", "gallery", "thumbnails.json"), "utf8")).entries;
const profilesPayload = () => IDS.map((_, i) => THUMBS[i % THUMBS.length].payload);

function setup({ explorers = {}, map = null } = {}) {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const sel = new StaticModel("sel", { entries: [], active: null, hover: null }, manager);
  const sc = new StaticModel("sc", { selection: "IPY_MODEL_sel", x: "n_saddles", y: "accuracy", color: "lr",
    log_x: false, log_y: false, width: 300, height: 220, _data: entriesPayload() }, manager);
  const gal = new StaticModel("gal", {
    selection: "IPY_MODEL_sel", scatter: "IPY_MODEL_sc", rows: "lr", cols: "seed", metric: "n_saddles",
    reduce: "mean", max_profiles: 24, shared_axis: true, explorer: null, explorer_entry: null,
    width: 300, height: 220, _explorers: explorers, _data: { ...entriesPayload(), profiles: profilesPayload(), ...(map ? { map } : {}) },
  }, manager);
  for (const m of [sel, sc, gal]) models.set(m.model_id, m);
  const el = document.createElement("div");
  document.body.appendChild(el);
  return { sel, sc, gal, el, host: makeHost(models) };
}

/** Pointer events at plot coordinates (jsdom's boxes are at 0, 0). */
function clickAt(svgEl, margin, x, y, shiftKey = false) {
  const opts = { bubbles: true, button: 0, clientX: margin.left + x, clientY: margin.top + y, shiftKey };
  svgEl.dispatchEvent(new MouseEvent("pointerdown", opts));
  svgEl.dispatchEvent(new MouseEvent("pointerup", opts));
}

function dragBox(svgEl, margin, [x0, y0], [x1, y1]) {
  const at = (x, y) => ({ bubbles: true, button: 0, clientX: margin.left + x, clientY: margin.top + y });
  svgEl.dispatchEvent(new MouseEvent("pointerdown", at(x0, y0)));
  svgEl.dispatchEvent(new MouseEvent("pointermove", at(x1, y1)));
  svgEl.dispatchEvent(new MouseEvent("pointerup", at(x1, y1)));
}

beforeEach(() => {
  document.body.innerHTML = "";
});
afterEach(() => {
  delete globalThis.__LW_STATIC__;
});

describe("entries table and reductions", () => {
  it("reduces like LandscapeCollection.pivot (NaN skipped, std with ddof=1)", () => {
    const v = [1, NaN, 3, 2];
    expect(reduceValues(v, "mean")).toBe(2);
    expect(reduceValues(v, "median")).toBe(2);
    expect(reduceValues([4, 1, 3, 2], "median")).toBe(2.5);
    expect(reduceValues(v, "min")).toBe(1);
    expect(reduceValues(v, "max")).toBe(3);
    expect(reduceValues(v, "count")).toBe(3);
    expect(reduceValues(v, "std")).toBeCloseTo(1, 12);
    expect(reduceValues([5], "std")).toBeNaN();
    expect(reduceValues([NaN], "mean")).toBeNaN();
    expect(() => reduceValues(v, "mode")).toThrow(/unknown reduction/);
  });

  it("sorts key values: numbers ascending, then strings", () => {
    expect(uniqueSorted([0.1, "b", 0.01, 1, "a", 0.1])).toEqual([0.01, 0.1, 1, "a", "b"]);
  });

  it("groups entries into heat-map cells and reduces each", () => {
    const table = entryTable(entriesPayload());
    const grid = heatCells(table, "lr", "seed", "n_saddles", "mean");
    expect(grid.rowValues).toEqual([0.01, 0.1, 1]);
    expect(grid.colValues).toEqual([0, 1]);
    expect(grid.cells.map((row) => row.map((c) => c.ids))).toEqual([[["c"], ["d"]], [["a"], ["b"]], [["e"], []]]);
    expect(grid.cells[0][1].value).toBeNaN(); // its only value is NaN
    expect(grid.cells[2][1].value).toBeNaN(); // no entry
    const one = heatCells(table, "lr", "", "n_saddles", "mean"); // a single column: over seeds
    expect(one.cells.map((row) => row[0].value)).toEqual([2, 2, 5]);
    expect(valueRange(one)).toEqual([2, 5]);
    expect(shortLabel(table, 1, ["lr"])).toBe("seed=1");
    expect(shortLabel(table, 1, ["lr", "seed"])).toBe("lr=0.1, seed=1");
  });

  it("shift toggles entries in and out of a selection", () => {
    expect(nextEntries(["a"], ["b", "c"], false)).toEqual(["b", "c"]);
    expect(nextEntries(["a"], ["b", "c"], true)).toEqual(["a", "b", "c"]);
    expect(nextEntries(["a", "b", "c"], ["b", "c"], true)).toEqual(["a"]);
  });

  it("highlights an element when any of its entries is selected", () => {
    const hl = new EntryHighlighter();
    const n1 = hl.add(document.createElement("div"), ["a", "b"]);
    const n2 = hl.add(document.createElement("div"), ["c"]);
    hl.apply(new Set(["b"]), "c");
    expect(n1.getAttribute("aria-selected")).toBe("true");
    expect(n2.getAttribute("aria-selected")).toBeNull();
    expect(n2.classList.contains("lw-active")).toBe(true);
  });
});

describe("MetricScatterView", () => {
  it("plots finite points, on log axes only positive ones", () => {
    const table = entryTable(entriesPayload());
    expect(scatterPoints(table, "n_saddles", "accuracy").map((p) => p.id)).toEqual(["a", "b", "c", "e"]);
    const logged = scatterPoints(table, "lr", "accuracy", true, false);
    expect(logged.map((p) => p.x)).toEqual([-1, -1, -2, -2, 0]);
    const colors = colorScale(table, "lr");
    expect(colors.legend.map((l) => l.label)).toEqual(["lr=0.01", "lr=0.1", "lr=1"]);
    expect(colors.colorOf(0)).toBe(colors.colorOf(1));
    expect(colors.colorOf(0)).not.toBe(colors.colorOf(2));
    const ramp = colorScale(table, "accuracy");
    expect(ramp.colorOf(0)).not.toBe(ramp.colorOf(4));
    expect(boxIds([{ id: "a", px: 1, py: 1 }, { id: "b", px: 5, py: 5 }], 0, 0, 2, 2)).toEqual(["a"]);
  });

  it("click and box brushing write the shared selection; the selection drives aria-selected", async () => {
    const { sel, sc, el, host } = setup();
    await scatter.render({ model: sc, el, host });
    const pts = [...el.querySelectorAll("circle.lw-entry")];
    expect(pts.map((p) => p.getAttribute("data-entry")).sort()).toEqual(["a", "b", "c", "e"]);
    expect(el.querySelector(".lw-caption").textContent).toMatch(/1 of 5 entries/);
    const svgEl = el.querySelector("svg");
    const at = (id) => {
      const p = el.querySelector(`circle[data-entry="${id}"]`);
      return [Number(p.getAttribute("cx")), Number(p.getAttribute("cy"))];
    };
    clickAt(svgEl, MARGIN, ...at("c"));
    expect(sel.get("entries")).toEqual(["c"]);
    clickAt(svgEl, MARGIN, ...at("a"), true);
    expect(sel.get("entries")).toEqual(["c", "a"]);
    // a box around b and e only
    const [bx, by] = at("b");
    const [ex, ey] = at("e");
    dragBox(svgEl, MARGIN, [Math.min(bx, ex) - 3, Math.min(by, ey) - 3], [Math.max(bx, ex) + 3, Math.max(by, ey) + 3]);
    expect(sel.get("entries").sort()).toEqual(["b", "e"]);
    expect([...el.querySelectorAll('[aria-selected="true"]')].map((n) => n.getAttribute("data-entry")).sort()).toEqual(["b", "e"]);
    sel.set("entries", ["a"]);
    expect([...el.querySelectorAll('[aria-selected="true"]')].map((n) => n.getAttribute("data-entry"))).toEqual(["a"]);
    // changing an axis from the menu writes the trait and redraws
    const menu = el.querySelector('select[data-axis="x"]');
    menu.value = "lr";
    menu.dispatchEvent(new Event("change"));
    expect(sc.get("x")).toBe("lr");
    expect(el.querySelectorAll("circle.lw-entry").length).toBe(5);
  });
});

describe("Gallery", () => {
  it("draws one cell per configuration and selects a cell's entries on click", async () => {
    const { sel, gal, el, host } = setup();
    await gallery.render({ model: gal, el, host });
    const cells = el.querySelectorAll("rect.lw-heat-cell");
    expect(cells.length).toBe(6);
    const heat = el.querySelector(".lw-heatmap svg");
    const cell = el.querySelector('rect.lw-heat-cell[data-row="1"][data-col="1"]'); // lr=0.1, seed=1
    expect(cell.getAttribute("data-entries")).toBe("b");
    expect(Number(cell.getAttribute("data-value"))).toBe(3);
    clickAt(heat, HEAT_MARGIN, Number(cell.getAttribute("x")) + 2, Number(cell.getAttribute("y")) + 2);
    expect(sel.get("entries")).toEqual(["b"]);
    expect(cell.getAttribute("aria-selected")).toBe("true");
    // the scatter (a child view) highlights the same entry
    expect(el.querySelector('.lw-scatter circle[data-entry="b"]').getAttribute("aria-selected")).toBe("true");
    // one thumbnail per selected entry
    expect([...el.querySelectorAll(".lw-thumb")].map((t) => t.getAttribute("data-entry"))).toEqual(["b"]);
  });

  it("reduces over seeds with one column; metric and reduction menus redraw", async () => {
    const { sel, gal, el, host } = setup();
    gal.set("cols", "");
    await gallery.render({ model: gal, el, host });
    const cells = [...el.querySelectorAll("rect.lw-heat-cell")];
    expect(cells.length).toBe(3);
    expect(cells.map((c) => Number(c.getAttribute("data-value")))).toEqual([2, 2, 5]);
    expect(cells.map((c) => c.getAttribute("data-entries"))).toEqual(["c d", "a b", "e"]);
    const menu = el.querySelector("select.lw-metric");
    menu.value = "accuracy";
    menu.dispatchEvent(new Event("change"));
    expect(gal.get("metric")).toBe("accuracy");
    const reduce = el.querySelector("select.lw-reduce");
    reduce.value = "max";
    reduce.dispatchEvent(new Event("change"));
    const values = [...el.querySelectorAll("rect.lw-heat-cell")].map((c) => Number(c.getAttribute("data-value")));
    expect(values).toEqual([0.5, 0.9, 0.1]);
    // a cell with two seeds shows two thumbnails, titled by the seed
    const heat = el.querySelector(".lw-heatmap svg");
    const c0 = el.querySelector('rect.lw-heat-cell[data-row="0"]');
    clickAt(heat, HEAT_MARGIN, Number(c0.getAttribute("x")) + 2, Number(c0.getAttribute("y")) + 2);
    expect(sel.get("entries")).toEqual(["c", "d"]);
    const titles = [...el.querySelectorAll(".lw-thumb-title")].map((t) => t.textContent);
    expect(titles).toEqual(["seed=0", "seed=1"]);
    // box over every cell selects everything; clicking empty space clears
    dragBox(heat, HEAT_MARGIN, [-5, -5], [400, 400]);
    expect(sel.get("entries").sort()).toEqual(IDS);
    expect(el.querySelector(".lw-selected-count").textContent).toBe("5 selected");
    clickAt(heat, HEAT_MARGIN, -30, -5);
    expect(sel.get("entries")).toEqual([]);
  });

  it("a click on a profile makes its entry active; without its Explorer, a static page says so", async () => {
    globalThis.__LW_STATIC__ = true;
    const { sel, gal, el, host } = setup();
    await gallery.render({ model: gal, el, host });
    sel.set("entries", ["c", "d"]);
    const thumbs = el.querySelectorAll(".lw-thumb");
    expect(thumbs.length).toBe(2);
    thumbs[1].dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(sel.get("active")).toBe("d");
    expect(el.querySelector(".lw-thumb[aria-current]").getAttribute("data-entry")).toBe("d");
    await new Promise((r) => setTimeout(r, 0));
    const area = el.querySelector(".lw-explorer-area");
    expect(area.getAttribute("data-entry")).toBe("d");
    expect(area.getAttribute("data-state")).toBe("waiting");
    expect(area.textContent).toMatch(/explorers="all"/);
    expect(el.querySelector('.lw-scatter circle.lw-active')).toBeNull(); // d has no point (NaN)
    sel.set("active", "c");
    expect(el.querySelector(".lw-scatter circle.lw-active").getAttribute("data-entry")).toBe("c");
  });

});

describe("Gallery thumbnails: ProfileView's profile, geometry and renderer", () => {
  it.each(THUMBS.map((t) => [t.name, t]))("%s: the browser's profile of a thumbnail is Python's", (_, t) => {
    const topo = thumbTopology(t.payload);
    expect(thumbTopology(t.payload)).toBe(topo); // decoded once
    const got = thumbProfile(topo);
    expect(got.basin_ids.length).toBeLessThanOrEqual(t.max_basins);
    for (const [name, msg] of Object.entries(t.profile)) {
      const want = typeof msg === "number" ? [msg] : [...decode(msg)];
      const have = typeof msg === "number" ? [got[name]] : [...got[name]];
      expect(have.length, name).toBe(want.length);
      have.forEach((v, i) => {
        if (!(v === want[i] || Math.abs(v - want[i]) <= 1e-9 * Math.max(1, Math.abs(want[i])))) {
          throw new Error(`${t.name} ${name}[${i}]: got ${v}, Python ${want[i]}`);
        }
      });
    }
  });

  it.each(THUMBS.map((t) => [t.name, t]))("%s: a thumbnail draws the shapes and markers ProfileView draws", async (_, t) => {
    // ProfileView of the same topology, coloured by mean loss, its plot as big as the thumbnail's
    const models = new Map();
    const manager = { get_model: async (id) => models.get(id) };
    const w = 300;
    const h = 160;
    models.set("sel", new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager));
    const view = new StaticModel("view", { selection: "IPY_MODEL_sel", width: w + 52 + 58, height: h + 10 + 12,
      color_by: "mean_loss", _data: { topology: t.payload } }, manager);
    models.set("view", view);
    const pv = document.body.appendChild(document.createElement("div"));
    await profileView.render({ model: view, el: pv, host: makeHost(models) });
    const holder = document.body.appendChild(document.createElement("div"));
    const thumb = drawThumb(holder, thumbTopology(t.payload), {
      width: w + THUMB_MARGIN.left + THUMB_MARGIN.right, height: h + THUMB_MARGIN.top + THUMB_MARGIN.bottom });
    const shapes = (root) => [...root.querySelectorAll("path.lw-basin, rect.lw-stub")]
      .map((n) => `${n.getAttribute("data-basin")} ${n.getAttribute("d") || n.getAttribute("x")}`);
    expect(shapes(thumb).length).toBe(t.payload.minima.shape[0] + thumb.querySelectorAll("rect.lw-stub").length);
    expect(shapes(thumb)).toEqual(shapes(pv));
    // the markers: every minimum and merge saddle, placed without overlap (a marker with no
    // room joins the one it touches and counts it); smaller in the thumbnail
    const prof = thumbProfile(thumbTopology(t.payload));
    const marks = (root) => [...root.querySelectorAll("circle.lw-min, circle.lw-saddle")];
    const total = (root) => marks(root).reduce((a, n) => a + Number(n.getAttribute("data-count") || 1), 0);
    expect(total(thumb)).toBe(prof.minima_x.length + prof.saddle_x.length);
    expect(total(pv)).toBe(total(thumb));
    expect(Number(thumb.querySelector("circle.lw-min").getAttribute("r"))).toBeCloseTo(4 * 0.6, 6);
  });

  it("shared axis: one loss range and one colour range over the thumbnails; lower mean darker", () => {
    const topos = THUMBS.map((t) => thumbTopology(t.payload));
    const profiles = topos.map(thumbProfile);
    const ranges = thumbRanges(profiles);
    expect(ranges.y).toEqual([Math.min(...profiles.map((p) => p.y_min)), Math.max(...profiles.map((p) => p.y_max))]);
    const holder = document.createElement("div");
    const own = drawThumb(holder, topos[0]);
    const shared = drawThumb(holder, topos[0], ranges);
    expect(own.getAttribute("width")).toBe(String(THUMB.width));
    // the loss axis: ticks inside each range, the shared one wider
    const ticks = (node) => [...node.querySelectorAll(".lw-axis text")].map((n) => n.textContent).filter(Boolean).map(Number);
    expect(ticks(own).length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...ticks(shared))).toBeGreaterThan(Math.max(...ticks(own)));
    for (const v of ticks(own)) expect(v).toBeGreaterThanOrEqual(profiles[0].y_min - 0.05 * (profiles[0].y_max - profiles[0].y_min));
    // colour by mean loss: the lowest-mean basin is the darkest
    const lum = (n) => n.getAttribute("fill").match(/\d+/g).map(Number).reduce((a, c) => a + c, 0);
    const paths = [...own.querySelectorAll("path.lw-basin")];
    const means = new Map([...profiles[0].basin_ids].map((b, k) => [b, profiles[0].basin_mean_loss[k]]));
    const byMean = [...paths].sort((a, b) => means.get(Number(a.getAttribute("data-basin"))) - means.get(Number(b.getAttribute("data-basin"))));
    expect(lum(byMean[0])).toBeLessThan(lum(byMean[byMean.length - 1]));
  });
});

describe("Gallery menu names", () => {
  it("shows keys as words, keeping odd keys intact", () => {
    expect(readableName("eval_accuracy")).toBe("eval accuracy");
    expect(readableName("train__loss_")).toBe("train loss");
    expect(readableName("_")).toBe("_");
    expect(readableName("<b>x_y</b>")).toBe("<b>x_y</b>"); // not an identifier: literal
    expect(readableName("a b_c")).toBe("a b_c");
  });
});

describe("Gallery heat-map number format", () => {
  it("formats every cell alike", async () => {
    const { commonFormat } = await import("../src/gallery.js");
    const f = commonFormat([0.95, 0.031, 0.5]);
    expect([0.95, 0.031, 0.5].map(f)).toEqual(["0.950", "0.031", "0.500"]);
    expect([12.34, 3].map(commonFormat([12.34, 3]))).toEqual(["12.3", "3.0"]);
    expect([3, 12].map(commonFormat([3, 12]))).toEqual(["3", "12"]); // counts
    expect([2e-4, 0.5].map(commonFormat([2e-4, 0.5]))).toEqual(["2.00e-4", "5.00e-1"]);
  });
});

// MDS coordinates of the five entries: a, b close together; c, d close; e far away
const MAP = { ids: IDS, coords: [[0, 0], [0.1, 0], [2, 1], [2, 1.1], [-3, 0]], metric: "wasserstein", order: 1, explained: 0.93 };

describe("Gallery map (distance=...)", () => {
  it("places points with one scale on both axes, centred in the plot", () => {
    const table = entryTable(entriesPayload());
    const pts = mapPoints(MAP, table, 200, 100);
    expect(pts.map((p) => p.id)).toEqual(IDS);
    const scale = (pts[1].px - pts[0].px) / 0.1;
    expect((pts[0].py - pts[2].py) / 1).toBeCloseTo(scale, 9); // same scale upwards
    expect((pts[4].px + pts[2].px) / 2).toBeCloseTo(100, 9); // x from -3 to 2, centred
    expect((pts[0].py + pts[3].py) / 2).toBeCloseTo(50, 9); // y from 0 to 1.1, centred
    expect(5 * scale).toBeCloseTo(100 - 16, 9); // the larger span fills the smaller side
    expect(Math.min(...pts.map((p) => p.px))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...pts.map((p) => p.px))).toBeLessThanOrEqual(200);
    expect(mapPoints({ ids: ["zz"], coords: [[0, 0]] }, table, 100, 100)).toEqual([]);
    expect(mapCaption(MAP)).toMatch(/Wasserstein \(order 1\).*93%/);
    expect(mapCaption({ ...MAP, metric: "bottleneck" })).toMatch(/the bottleneck distance/);
  });

  it("is absent without a map; a click or a box selects entries, lit in heat map and scatter", async () => {
    const plain = setup();
    await gallery.render({ model: plain.gal, el: plain.el, host: plain.host });
    expect(plain.el.querySelector(".lw-mds-map")).toBeNull();
    document.body.innerHTML = "";
    const { sel, el, gal, host } = setup({ map: MAP });
    await gallery.render({ model: gal, el, host });
    const svgEl = el.querySelector(".lw-mds-map svg");
    const points = [...el.querySelectorAll(".lw-mds-map circle.lw-entry")];
    expect(points.map((p) => p.getAttribute("data-entry"))).toEqual(IDS);
    const at = (id) => {
      const p = el.querySelector(`.lw-mds-map circle[data-entry="${id}"]`);
      return [Number(p.getAttribute("cx")), Number(p.getAttribute("cy"))];
    };
    clickAt(svgEl, MAP_MARGIN, ...at("e"));
    expect(sel.get("entries")).toEqual(["e"]);
    expect(el.querySelector('.lw-heatmap rect[data-entries="e"]').getAttribute("aria-selected")).toBe("true");
    expect(el.querySelector('.lw-scatter circle[data-entry="e"]').getAttribute("aria-selected")).toBe("true");
    expect(el.querySelector('.lw-mds-map circle[data-entry="e"]').getAttribute("aria-selected")).toBe("true");
    // a box around c and d selects both; selecting elsewhere lights them up here
    const [cx, cy] = at("c");
    const [dx, dy] = at("d");
    dragBox(svgEl, MAP_MARGIN, [Math.min(cx, dx) - 3, Math.min(cy, dy) - 3], [Math.max(cx, dx) + 3, Math.max(cy, dy) + 3]);
    expect(sel.get("entries").sort()).toEqual(["c", "d"]);
    sel.set("entries", ["a"]);
    const lit = [...el.querySelectorAll('.lw-mds-map circle[aria-selected="true"]')].map((n) => n.getAttribute("data-entry"));
    expect(lit).toEqual(["a"]);
    expect(el.querySelector(".lw-mds-map .lw-caption").textContent).toMatch(/classical MDS/);
  });
});
