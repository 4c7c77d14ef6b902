// Hostile strings (keys, key values, metric names, labels, axis names, value labels, menu
// entries) through every view: they must show literally, as text, and never become elements,
// attributes or scripts. And a source rule: no markup parser anywhere in js/src or the bundle.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { StaticModel, makeHost, widgetOf } from "../src/runtime.js";
import gallery, { HEAT_MARGIN } from "../src/gallery.js";
import scatter, { MARGIN as SCATTER_MARGIN } from "../src/metric_scatter_view.js";
import explorer from "../src/explorer.js";
import trajectory from "../src/trajectory_view.js";
import { html, svg, text, bold, writeLines, setAttr, setOptions, swatch } from "../src/lib/dom.js";
import { w, topologyPayload, barcodePayload, treePayload, profilePayload } from "./fixtures.js";

export const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "</text><script>alert(2)</script>",
  "\"onmouseover=\"alert(3)\" x=\"",
  "'><svg onload=alert(4)>",
  "<iframe srcdoc=\"<script>alert(5)</script>\"></iframe>",
  "&lt;b&gt; & <b>not bold</b>",
];
const [H_IMG, H_SCRIPT, H_ATTR, H_SVG, H_IFRAME, H_ENT] = HOSTILE;

// every element a view may create; anything else (img, script, iframe, a, foreignObject...) is
// markup that came from data
const ALLOWED = new Set(["div", "span", "label", "select", "option", "input", "button", "b", "br",
  "style", "svg", "g", "rect", "text", "path", "circle", "line", "image", "defs", "clipPath", "title",
  "linearGradient", "stop"]);

/** Assert the subtree holds only expected elements, no handler attributes and no foreign URLs. */
function expectInert(root) {
  const nodes = [root, ...root.querySelectorAll("*")];
  const tags = new Set(nodes.map((n) => n.localName));
  expect([...tags].filter((t) => !ALLOWED.has(t))).toEqual([]);
  for (const n of nodes) {
    for (const a of n.attributes) {
      expect(a.name.toLowerCase().startsWith("on"), `${n.localName}[${a.name}]`).toBe(false);
      if (["href", "src", "xlink:href", "srcdoc"].includes(a.name.toLowerCase())) {
        expect(a.value).toMatch(/^(data:image\/png;|$)/);
      }
    }
  }
  for (const t of root.querySelectorAll(".lw-tooltip")) {
    expect([...t.querySelectorAll("*")].every((n) => n.localName === "b" || n.localName === "br")).toBe(true);
  }
}

const tipText = (root) => [...root.querySelectorAll(".lw-tooltip")].find((t) => t.style.display === "block");

// ---------------------------------------------------------------- markup sinks are spied on
const SINKS = [["innerHTML", Element.prototype], ["outerHTML", Element.prototype]];
let writes;
let restore;
beforeEach(() => {
  document.body.replaceChildren();
  writes = [];
  restore = [];
  for (const [prop, proto] of SINKS) {
    const d = Object.getOwnPropertyDescriptor(proto, prop);
    Object.defineProperty(proto, prop, {
      configurable: true,
      get() { return d.get.call(this); },
      set(v) { writes.push(`${prop}=${v}`); d.set.call(this, v); },
    });
    restore.push(() => Object.defineProperty(proto, prop, d));
  }
  const adjacent = Element.prototype.insertAdjacentHTML;
  Element.prototype.insertAdjacentHTML = function (pos, v) { writes.push(`insertAdjacentHTML ${v}`); return adjacent.call(this, pos, v); };
  restore.push(() => { Element.prototype.insertAdjacentHTML = adjacent; });
  window.alert = vi.fn();
  // jsdom has no canvas: the contour view's selection raster draws into a stub
  HTMLCanvasElement.prototype.getContext = () => ({ putImageData() {} });
  HTMLCanvasElement.prototype.toDataURL = () => "data:image/png;base64,AAAA";
  globalThis.ImageData ??= class { constructor(data, width, height) { Object.assign(this, { data, width, height }); } };
});
afterEach(() => {
  for (const r of restore) r();
  delete globalThis.__LW_STATIC__;
  expect(writes).toEqual([]);
  expect(window.alert).not.toHaveBeenCalled();
});

function pointer(target, type, { x = 0, y = 0, shiftKey = false } = {}) {
  target.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0, clientX: x, clientY: y, shiftKey }));
}

// ---------------------------------------------------------------- models with hostile strings
const KEY = H_IMG; // a key name
const METRIC_A = H_SCRIPT;
const METRIC_B = H_ATTR;
const IDS = ["e0\"><img src=x onerror=alert(6)>", "e1'<script>alert(7)</script>", "e2", "e3"];
const KEY_VALUES = [H_SVG, H_SVG, H_IFRAME, H_ENT];
const LABELS = IDS.map((_, i) => `${KEY}=${KEY_VALUES[i]}, seed=${i % 2}`);

function entriesPayload() {
  return {
    ids: IDS,
    labels: LABELS,
    key_names: [KEY, "seed"],
    keys: { [KEY]: KEY_VALUES, seed: [0, 1, 0, 1] },
    metric_names: [METRIC_A, METRIC_B],
    metrics: { [METRIC_A]: w([1, 2, 3, 4], "float64"), [METRIC_B]: w([0.4, 0.3, 0.2, 0.1], "float64") },
  };
}

// every entry's thumbnail: the fixture's compact topology (what Gallery ships per entry)
const profilesPayload = (n) => Array.from({ length: n }, () => topologyPayload());

// a 7 x 1 x 1 landscape (the 1-D fixture's topology with two unit axes), so that the contour
// view shows its slice menus and slider labels: axis names are data too
function contourPayload() {
  const topology = topologyPayload({
    levels: [{ threshold: 0, tree: treePayload(), profile: profilePayload() }],
    barcode: barcodePayload(),
  });
  topology.shape = [7, 1, 1];
  topology.axes = [w([0, 1, 2, 3, 4, 5, 6]), w([0]), w([0])];
  const rect = (x0, x1) => [x0, -0.5, x1, -0.5, x1, 0.5, x0, 0.5];
  const set = {
    edges: w([0, 2.5, 5], "float64"),
    bands: { points: w([...rect(-0.5, 3), ...rect(3, 6.5)]), offsets: w([0, 4, 8], "int32"), level: w([0, 1], "int32") },
    lines: { points: w([3, -0.5, 3, 0.5]), offsets: w([0, 2], "int32"), level: w([0], "int32") },
  };
  const slice = {
    axes: [0, 1], index: [0, 0, 0], x: w([0, 1, 2, 3, 4, 5, 6]), y: w([0]),
    z: w([0, 3, 1, 4, 2, 5, 0.5]), basins: w([0, 0, 2, 2, 4, 4, 6], "int32"),
    base_vertex: 0, stride_x: 1, stride_y: 1, levels: { linear: set, log: set },
    crit_vertex: w([0, 6, 2, 4, 1], "int32"), crit_kind: w([0, 0, 0, 0, 1], "int32"),
    crit_basin: w([0, 6, 2, 4, 2], "int32"), crit_x: w([0, 6, 2, 4, 1]), crit_y: w([0, 0, 0, 0, 0]),
  };
  return { topology, slice };
}

/** An Explorer of the fixture landscape with hostile axis names, its models added to `models`. */
function addExplorer(models, manager, p) {
  const m = (id, attrs) => models.set(p + id, new StaticModel(p + id, attrs, manager)).get(p + id);
  m("bsel", { basins: [], point: null, hover: null, min_persistence: 0 });
  const base = { selection: `IPY_MODEL_${p}bsel`, width: 260, height: 200, scale: "linear" };
  const topo = contourPayload().topology;
  m("contour", { ...base, _data: contourPayload(), axis_names: [H_SCRIPT, H_ATTR, H_IMG], slice_axes: [0, 1], slice_index: [0, 0, 0] });
  m("profile", { ...base, _data: { topology: topo } });
  m("tree", { ...base, _data: { topology: topo } });
  m("barcode", { ...base, _data: { topology: topo } });
  m("diagram", { ...base, _data: { topology: topo } });
  m("spectrum", { ...base, kind: "eigenvalues", log_density: false, _data: { spectrum: { x: w([3, 1]), y: w([1, 1]), nodes: w([]) } } });
  return m("explorer", { selection: `IPY_MODEL_${p}bsel`, scale: "linear", contour: `IPY_MODEL_${p}contour`,
    profile: `IPY_MODEL_${p}profile`, merge_tree: `IPY_MODEL_${p}tree`, barcode: `IPY_MODEL_${p}barcode`,
    diagram: `IPY_MODEL_${p}diagram`, spectrum: `IPY_MODEL_${p}spectrum` });
}

function collectionModels() {
  const models = new Map();
  const manager = { get_model: async (id) => models.get(id) };
  const add = (id, attrs) => models.set(id, new StaticModel(id, attrs, manager)).get(id);
  add("sel", { entries: [], active: null, hover: null });
  add("sc", { selection: "IPY_MODEL_sel", x: METRIC_A, y: METRIC_B, color: KEY, log_x: false, log_y: false,
    width: 320, height: 240, _data: entriesPayload() });
  addExplorer(models, manager, "x0");
  const gal = add("gal", {
    selection: "IPY_MODEL_sel", scatter: "IPY_MODEL_sc", rows: KEY, cols: "seed", metric: METRIC_A,
    reduce: "mean", max_profiles: 24, shared_axis: false, explorer: null, explorer_entry: null,
    width: 320, height: 240, _explorers: { [IDS[0]]: "IPY_MODEL_x0explorer" },
    _data: { ...entriesPayload(), profiles: profilesPayload(IDS.length) },
  });
  const el = document.body.appendChild(document.createElement("div"));
  return { models, manager, gal, sc: models.get("sc"), sel: models.get("sel"), el, host: makeHost(models) };
}

// ---------------------------------------------------------------- the views
describe("hostile strings through every view", () => {
  it("Gallery: key names and values, metric names, ids and labels show as text only", async () => {
    const { gal, sel, el, host } = collectionModels();
    await gallery.render({ model: gal, el, host });
    const heat = el.querySelector(".lw-heatmap");
    // axis names and tick labels of the heat map are SVG text
    const heatText = [...heat.querySelectorAll("text")].map((t) => t.textContent);
    for (const s of [KEY, H_SVG, H_IFRAME, H_ENT]) expect(heatText).toContain(s);
    // the metric menu lists the hostile names as option labels
    expect([...el.querySelectorAll("select.lw-metric option")].map((o) => [o.value, o.textContent]))
      .toEqual([[METRIC_A, METRIC_A], [METRIC_B, METRIC_B]]);
    expect(el.querySelector("select.lw-metric").value).toBe(METRIC_A);
    expect(heat.querySelector(".lw-caption").textContent).toContain(METRIC_A);
    // hovering a cell: the tooltip shows "KEY=value, seed=0" in bold, then the metric
    const cell = [...heat.querySelectorAll("rect.lw-heat-cell")].find((r) => r.getAttribute("data-entries") === IDS[2]);
    const svgEl = cell.ownerSVGElement;
    const at = { x: HEAT_MARGIN.left + Number(cell.getAttribute("x")) + 2, y: HEAT_MARGIN.top + Number(cell.getAttribute("y")) + 2 };
    pointer(svgEl, "pointermove", at);
    const tip = tipText(el);
    expect(tip.querySelector("b").textContent).toBe(`${KEY}=${H_IFRAME}, seed=0`);
    expect(tip.textContent).toBe(`${KEY}=${H_IFRAME}, seed=0mean ${METRIC_A} 31 entries`);
    expect(tip.querySelectorAll("br").length).toBe(2);
    // selecting the cells: thumbnails titled by key values, their tooltips (title) the labels
    sel.set("entries", IDS);
    const thumbs = [...el.querySelectorAll(".lw-thumb")];
    // (thumbnails follow the heat map's reading order; each one's id, title and label literal)
    expect(thumbs.map((t) => t.getAttribute("data-entry")).sort()).toEqual([...IDS].sort());
    for (const t of thumbs) {
      const k = IDS.indexOf(t.getAttribute("data-entry"));
      expect(t.getAttribute("title")).toBe(LABELS[k]);
      expect(t.querySelector(".lw-thumb-title").textContent).toBe(LABELS[k]);
    }
    // the active entry opens its (embedded) Explorer under a title with its label
    sel.set("active", IDS[0]);
    await vi.waitFor(() => expect(el.querySelector(".lw-explorer-area").getAttribute("data-state")).toBe("open"));
    expect(el.querySelector(".lw-explorer-title").textContent).toBe(`Explorer: ${LABELS[0]}`);
    expect(el.querySelector(".lw-explorer-area").getAttribute("data-entry")).toBe(IDS[0]);
    const axisText = [...el.querySelectorAll(".lw-explorer-area .lw-contour text")].map((t) => t.textContent);
    expect(axisText).toEqual(expect.arrayContaining([H_SCRIPT, H_ATTR]));
    // an entry without an embedded Explorer: the waiting note, title as text
    globalThis.__LW_STATIC__ = true;
    sel.set("active", IDS[3]);
    await vi.waitFor(() => expect(el.querySelector(".lw-explorer-area").getAttribute("data-state")).toBe("waiting"));
    expect(el.querySelector(".lw-explorer-title").textContent).toBe(`Explorer: ${LABELS[3]}`);
    expectInert(el);
  });

  it("MetricScatterView: axis names, menus, legend and tooltip", async () => {
    const { sc, el, host } = collectionModels();
    await scatter.render({ model: sc, el, host });
    for (const axis of ["x", "y"]) {
      expect([...el.querySelectorAll(`select[data-axis="${axis}"] option`)].map((o) => o.textContent))
        .toEqual([METRIC_A, METRIC_B, KEY, "seed"]);
    }
    expect([...el.querySelectorAll('select[data-axis="color"] option')].map((o) => o.textContent))
      .toEqual(["(none)", KEY, "seed", METRIC_A, METRIC_B]);
    const labels = [...el.querySelectorAll("text.lw-label")].map((t) => t.textContent);
    expect(labels).toEqual([METRIC_A, METRIC_B]);
    // the legend: one swatch per key value, labelled "KEY=value"
    const legend = [...el.querySelectorAll(".lw-legend > span")].map((s) => s.textContent);
    expect(legend).toEqual([H_ENT, H_SVG, H_IFRAME].map((v) => `${KEY}=${v}`));
    // hover the third entry's point
    const dot = [...el.querySelectorAll("circle.lw-entry")].find((c) => c.getAttribute("data-entry") === IDS[2]);
    pointer(dot.ownerSVGElement, "pointermove",
      { x: SCATTER_MARGIN.left + Number(dot.getAttribute("cx")), y: SCATTER_MARGIN.top + Number(dot.getAttribute("cy")) });
    const tip = tipText(el);
    expect(tip.querySelector("b").textContent).toBe(LABELS[2]);
    expect(tip.textContent).toBe(`${LABELS[2]}${METRIC_A} 3${METRIC_B} 0.2`);
    // colour by a metric: a range legend named by the metric
    sc.set("color", METRIC_B);
    expect(el.querySelector(".lw-legend").textContent).toContain(METRIC_B);
    expectInert(el);
  });

  it("Explorer: every basin view's tooltip, contour axis names in labels, menus and sliders", async () => {
    const models = new Map();
    const manager = { get_model: async (id) => models.get(id) };
    const ex = addExplorer(models, manager, "");
    const el = document.body.appendChild(document.createElement("div"));
    await explorer.render({ model: ex, el, host: makeHost(models) });
    const contour = el.querySelector(".lw-contour");
    const axisText = [...contour.querySelectorAll(".lw-axis text.lw-label")].map((t) => t.textContent);
    expect(axisText).toEqual([H_SCRIPT, H_ATTR]);
    for (const s of contour.querySelectorAll("select[data-axis]")) {
      expect([...s.options].map((o) => o.textContent)).toEqual([H_SCRIPT, H_ATTR, H_IMG]);
    }
    expect([...contour.querySelectorAll(".lw-controls label")].map((l) => l.firstChild.textContent)).toContain(H_IMG);
    // hover something in every view: the tooltip is text lines (the contour one a title in bold)
    const targets = {
      contour: contour.querySelector("circle.lw-min"), profile: el.querySelector(".lw-profile path.lw-basin"),
      tree: el.querySelector(".lw-tree circle.lw-min"), barcode: el.querySelector(".lw-barcode rect.lw-bar"),
      diagram: el.querySelector(".lw-diagram circle.lw-point"),
    };
    for (const [name, node] of Object.entries(targets)) {
      pointer(node, "pointermove", { x: 60, y: 40 });
      const tip = tipText(el.querySelector(`.lw-${name}`));
      expect(tip, name).toBeTruthy();
      expect(tip.textContent, name).toMatch(/basin size \d+ points/);
      expect(tip.textContent, name).not.toMatch(/vertex|basin \d/); // words, no internal ids
    }
    expect(tipText(contour).querySelector("b").textContent).toBe("minimum");
    // selecting a basin draws the contour's shade from a canvas data URL (the one URL allowed)
    pointer(targets.barcode.ownerSVGElement, "pointerdown");
    pointer(targets.barcode, "pointerup");
    expect(contour.querySelector("path.lw-outline").getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+L/);
    expectInert(el);
  });

  it("TrajectoryView: value label, method, seed and step legends, tooltips", async () => {
    const models = new Map();
    const manager = { get_model: async (id) => models.get(id) };
    const sel = new StaticModel("sel", { basins: [], point: null, hover: null, min_persistence: 0 }, manager);
    const samples = {
      x: w([0, 1, 2, 5, 3, 4]), y: w([0, 1, 0, 2, 0, 1]), loss: w([10, 1, 0.1, 0.01, 100, 1]),
      eval_loss: w([1, 1, 1, 1, 1, 1]), seed: w([0, 0, 0, 1, 1, 1], "int32"), step: w([0.5, 0.5, 0.5, 1, 1, 1]),
      epoch: w([0, 1, 2, 2, 0, 1], "int32"), trajectory: w([0, 0, 0, 1, 1, 1], "int32"),
    };
    const diagram = {
      dim: w([0, 1], "int32"), birth: w([0.01, 100], "float64"), death: w([1, Infinity], "float64"),
      birth_vertex: w([3, 4], "int32"), death_vertex: w([5, -1], "int32"), count: w([1, 2], "int32"),
      index: w([0, 0], "int32"), value_min: 0.01, value_max: 100, n_pairs: [1, 2], total_persistence: [1, 2],
      complex: H_SCRIPT,
    };
    // a hand-edited export: strings where Python writes numbers and fixed words
    const data = { samples, diagram, seeds: [H_IMG, H_SVG], steps: [0.5, 1], has_eval: true,
      method: H_ATTR, value_label: H_SCRIPT };
    const model = new StaticModel("view", { selection: "IPY_MODEL_sel", width: 700, height: 300, _data: data,
      color_by: "seed", log_diagram: false, pair: [] }, manager);
    models.set("sel", sel);
    models.set("view", model);
    const el = document.body.appendChild(document.createElement("div"));
    await trajectory.render({ model, el, host: makeHost(models) });
    expect([...el.querySelectorAll(".lw-legend > span")].map((s) => s.textContent)).toEqual([`seed ${H_IMG}`, `seed ${H_SVG}`]);
    expect([...el.querySelectorAll(".lw-diagram-panel text.lw-label")].map((t) => t.textContent))
      .toContain(`birth (${H_SCRIPT})`);
    expect([...el.querySelectorAll("select.lw-color-by option")].map((o) => o.value)).toEqual(["loss", "eval_loss", "seed", "step", "epoch"]);
    pointer(el.querySelector('.lw-sample[data-sample="4"]'), "pointermove");
    expect(tipText(el).textContent).toBe("sample 4seed 1 · step 1 · epoch 0train loss 100eval loss 1");
    pointer(el.querySelector(".lw-pair.lw-d1"), "pointermove");
    expect(tipText(el).querySelector("b").textContent).toBe("D₁ (100, ∞)");
    expectInert(el);
  });
});

// ---------------------------------------------------------------- the helper itself
describe("dom.js", () => {
  it("writes lines as text nodes, bold runs as <b>", () => {
    const node = document.createElement("div");
    writeLines(node, [[bold(H_IMG), ` ${H_SCRIPT}`], H_ATTR, null, H_ENT]);
    expect([...node.childNodes].map((n) => n.nodeName)).toEqual(["B", "#text", "BR", "#text", "BR", "#text"]);
    expect(node.textContent).toBe(`${H_IMG} ${H_SCRIPT}${H_ATTR}${H_ENT}`);
    writeLines(node, ["x"]);
    expect(node.textContent).toBe("x");
  });

  it("builds elements with text and attributes, refuses handlers and foreign URLs", () => {
    const parent = document.createElement("div");
    const span = html("span", { class: "c", title: H_ATTR, text: H_IMG }, parent);
    expect(span.getAttribute("title")).toBe(H_ATTR);
    expect(span.textContent).toBe(H_IMG);
    text(span, H_SCRIPT);
    svg("text", { text: H_SVG }, svg("svg", {}, parent));
    swatch(parent, "red;background-image:url(javascript:alert(1))", H_IFRAME);
    const select = html("select", {}, parent);
    setOptions(select, [H_IMG, [H_ATTR, H_ENT]], H_ATTR, H_SCRIPT);
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([["", H_SCRIPT], [H_IMG, H_IMG], [H_ATTR, H_ENT]]);
    expect(select.value).toBe(H_ATTR);
    expect(() => html("div", { onclick: "alert(1)" })).toThrow(/event handlers/);
    expect(() => svg("g", { ONLOAD: "alert(1)" })).toThrow(/event handlers/);
    expect(() => setAttr(svg("image"), "href", "javascript:alert(1)")).toThrow(/data:image URL/);
    expect(() => setAttr(svg("a"), "xlink:href", "https://example.org/x")).toThrow(/data:image URL/);
    expect(() => html("iframe", { src: "http://x" })).toThrow(/data:image URL/);
    expect(setAttr(svg("image"), "href", "data:image/png;base64,AA").getAttribute("href")).toBe("data:image/png;base64,AA");
    expectInert(parent.querySelector("span"));
    expect(parent.querySelectorAll("img, script, iframe").length).toBe(0);
  });

  it("each view module exports anywidget's current interface: default {render}, no named render", async () => {
    const names = readdirSync(SRC).filter((f) => f.endsWith(".js") && f !== "runtime.js");
    expect(names.length).toBe(11); // every module but runtime.js
    for (const name of names) {
      const mod = await import(/* @vite-ignore */ join(SRC, name));
      expect(mod.render, name).toBeUndefined();
      expect(typeof (await widgetOf(mod)).render, name).toBe("function");
    }
  });
});

// ---------------------------------------------------------------- the source rule
const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = join(HERE, "..", "src");
const STATIC = join(HERE, "..", "..", "landscape_widgets", "static");

// a markup sink may only ever be emptied: `x.innerHTML = ""` (followed by ; , ) } or a line end)
const EMPTYING = /^\s*=\s*(""|''|``)\s*(?:[;,)}\n]|$)/;
const SINK = /\b(innerHTML|outerHTML)\b/g;
const FORBIDDEN = /\b(insertAdjacentHTML|createContextualFragment|DOMParser|parseFromString|setHTMLUnsafe|parseHTMLUnsafe|srcdoc|document\s*\.\s*write(?:ln)?)\b/g;

/** Markup sinks in JS source text: [{line, text}] (comments ignored). */
export function markupSinks(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/^\s*\/\/.*$/gm, "");
  const out = [];
  const lineOf = (i) => code.slice(0, i).split("\n").length;
  for (const m of code.matchAll(SINK)) {
    if (!EMPTYING.test(code.slice(m.index + m[0].length, m.index + m[0].length + 8))) {
      out.push({ line: lineOf(m.index), text: code.slice(m.index, m.index + 60).split("\n")[0] });
    }
  }
  for (const m of code.matchAll(FORBIDDEN)) out.push({ line: lineOf(m.index), text: m[0] });
  return out;
}

function jsFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith(".js") ? [p] : [];
  });
}

describe("no markup sinks in the browser code", () => {
  it("the rule catches assignments of anything but an empty string", () => {
    expect(markupSinks('el.innerHTML = "";\ntip.innerHTML = ""')).toEqual([]);
    expect(markupSinks("a.innerHTML=\"\",b.outerHTML=''}")).toEqual([]);
    expect(markupSinks("// tip.innerHTML = rows\n/* el.outerHTML = x */ y")).toEqual([]);
    for (const bad of ["tip.innerHTML = rows.join('<br>');", 'tip.innerHTML = "" + name;', "tip.innerHTML += name",
      "tip.innerHTML=`<b>${x}</b>`", "el.outerHTML = s", "const s = el.innerHTML;", "el.insertAdjacentHTML('beforeend', s)",
      "new DOMParser().parseFromString(s, 'text/html')", "document.write(s)", "range.createContextualFragment(s)",
      'frame.setAttribute("srcdoc", s)', "el.innerHTML\n= name"]) {
      expect(markupSinks(bad), bad).not.toEqual([]);
    }
  });

  it("js/src and the committed bundles in landscape_widgets/static have none", () => {
    const files = [...jsFiles(SRC), ...jsFiles(STATIC)];
    expect(files.length).toBeGreaterThanOrEqual(2 * 12);
    const found = files.flatMap((f) => markupSinks(readFileSync(f, "utf8")).map((s) => `${relative(join(HERE, "..", ".."), f)}:${s.line}: ${s.text}`));
    expect(found).toEqual([]);
  });
});
