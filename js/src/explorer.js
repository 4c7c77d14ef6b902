// Explorer: every view in ONE widget output (Colab renders each output in its own iframe), linked
// through the shared selection, with a persistence-threshold slider that simplifies all views and
// a loss-scale toggle (auto | linear | log) that sets every view's `scale` at once.
import contourView from "./contour_view.js";
import treeView from "./merge_tree_view.js";
import profileView from "./profile_view.js";
import curveView from "./curve_view.js";
import barcodeView from "./barcode_view.js";
import diagramView from "./persistence_diagram_view.js";
import spectrumView from "./spectrum_view.js";
import { html } from "./lib/dom.js";
import { legendRow } from "./lib/view.js";
import { injectStyle } from "./lib/style.js";
import { connectSelection } from "./lib/selection.js";
import { connectTopologyModel, followThreshold, topologyOf } from "./lib/topology_model.js";
import { fmt } from "./lib/scales.js";
import { resolveScale, scaleToggle } from "./lib/loss_scale.js";

export const SLOTS = [
  ["contour", contourView.render],
  ["curve", curveView.render],
  ["profile", profileView.render],
  ["merge_tree", treeView.render],
  ["barcode", barcodeView.render],
  ["diagram", diagramView.render],
  ["spectrum", spectrumView.render],
];

async function childModel(model, host, ref) {
  const id = ref.replace(/^IPY_MODEL_/, "");
  if (host && typeof host.getModel === "function") return host.getModel(`anywidget:${id}`);
  return model.widget_manager.get_model(id);
}

/** Slider position (0..1000) <-> threshold, quadratic so small thresholds get room. */
export const toThreshold = (pos, max) => (max * (pos / 1000) ** 2);
export const toPosition = (t, max) => (max > 0 ? Math.round(1000 * Math.sqrt(Math.min(1, t / max))) : 0);

async function render({ model, el, host }) {
  const t0 = performance.now();
  injectStyle(el);
  const sel = await connectSelection(model, host);
  // the one topology every panel draws from: decoded here once, shared with the panels
  const shared = await connectTopologyModel(model, host);
  if (shared) followThreshold(sel, shared); // relabels the selection, slider or Python alike
  const root = html("div", { class: "lw-view lw-explorer-root", "data-view": "explorer" }, el);
  if (model.get("title")) html("div", { class: "lw-explorer-title", text: model.get("title") }, root);
  const bar = html("div", { class: "lw-controls" }, root);
  const label = html("label", { text: "min persistence" }, bar);
  const slider = html("input", { type: "range", min: 0, max: 1000, step: 1, class: "lw-threshold" }, label);
  const value = html("span", { class: "lw-threshold-value" }, label);
  const count = html("span", { class: "lw-basin-count" }, bar);
  const children = [];
  const setScale = (scale) => {
    // every view redraws on its own change:scale; the Explorer's trait follows for Python
    for (const child of children) {
      if (child.get("scale") !== undefined && child.get("scale") !== scale) {
        child.set("scale", scale);
        child.save_changes();
      }
    }
    if (model.get("scale") !== scale) {
      model.set("scale", scale);
      model.save_changes();
    }
  };
  const showScale = scaleToggle(bar, setScale);
  legendRow(root);
  const grid = html("div", { class: "lw-explorer" }, root);
  const cleanups = [];
  const topo = shared ? topologyOf(shared) : null;
  const renderers = new Map(SLOTS);
  const order = model.get("order") || SLOTS.map(([slot]) => slot);
  for (const slot of order) {
    const renderView = renderers.get(slot);
    if (!renderView) continue;
    const ref = model.get(slot);
    if (!ref) continue;
    const child = await childModel(model, host, ref);
    children.push(child);
    const cell = html("div", { class: `lw-cell lw-cell-${slot}` }, grid);
    cleanups.push(await renderView({ model: child, el: cell, host }));
  }
  const max = topo ? topo.maxPersistence * 1.001 : 0;
  const show = () => {
    const t = sel.get("min_persistence") || 0;
    slider.value = String(toPosition(t, max));
    value.textContent = fmt(t);
    if (topo) {
      let n = 0;
      for (let i = 0; i < topo.minima.length; i++) if (topo.visible(i, t)) n++;
      count.textContent = `${n} of ${topo.minima.length} basins`;
    }
  };
  slider.disabled = !(max > 0);
  slider.dataset.max = String(max);
  // a drag fires input events faster than the views redraw: the first move applies at once,
  // and any more in the same animation frame are folded into one update at the next frame,
  // to the slider's latest position, so no stale redraw queues up
  let pending = 0;
  let dirty = false;
  const apply = () => {
    const t = toThreshold(Number(slider.value), max);
    if (t === (sel.get("min_persistence") || 0)) return;
    // every view simplifies at once; the shared model relabels the selection (followThreshold)
    sel.set("min_persistence", t);
    sel.save_changes();
  };
  const nextFrame = () => {
    pending = 0;
    if (!dirty) return;
    dirty = false;
    apply();
    pending = requestAnimationFrame(nextFrame);
  };
  slider.addEventListener("input", () => {
    if (pending) {
      dirty = true;
      return;
    }
    apply();
    pending = requestAnimationFrame(nextFrame);
  });
  const onScale = () => {
    const scale = model.get("scale") || "linear";
    showScale(scale, topo ? resolveScale(scale, topo.valueMin, topo.valueMax) : "linear");
  };
  model.on("change:scale", onScale);
  onScale();
  sel.on("change:min_persistence", show);
  show();
  root.setAttribute("data-ready", "true");
  root.setAttribute("data-mount-ms", (performance.now() - t0).toFixed(1));
  return () => {
    if (pending) cancelAnimationFrame(pending);
    sel.off("change:min_persistence", show);
    model.off("change:scale", onScale);
    for (const c of cleanups) if (typeof c === "function") c();
    root.remove();
  };
}

export default { render };
