// The frame of the views that run their own drawing (TrajectoryView, MetricScatterView, the
// Gallery: several panels, or entries rather than one landscape's basins): they take the
// frame's plumbing (styles, selection, title and export buttons, width, cleanup) without
// mountView's redraw loop and basin picking. fitWidth is the width rule both frames share.
import { html } from "./dom.js";
import { injectStyle } from "./style.js";
import { connectSelection } from "./selection.js";
import { exportButtons, standaloneSvg } from "./export.js";
import { disposers } from "./brush.js";

/** Drawn width of a view: the container's width inside an Explorer cell (`fill`), else the
 *  model's width shrunk to the container (0 = not laid out yet: the model's width). */
export function fitWidth(modelWidth, available, fill) {
  if (!(available > 0)) return modelWidth;
  return fill ? Math.max(200, Math.floor(available)) : Math.max(200, Math.min(modelWidth, Math.floor(available)));
}

/**
 * The frame of a view that draws itself (TrajectoryView, MetricScatterView, Gallery): styles,
 * the shared selection model, a root with the stable `data-view` hook, a title line with the
 * SVG/PNG export buttons (when `exportSvg()` is given), a tooltip, and a disposer bag.
 * `frame.ready()` marks the root ready (data-ready, data-mount-ms) and returns the cleanup
 * that removes every listener registered through `frame.bag` and the root.
 */
export async function mountFrame({ model, el, host }, { name, view, title = "", exportSvg = null, className = "" }) {
  const t0 = performance.now();
  injectStyle(el);
  const sel = await connectSelection(model, host);
  const root = html("div", { class: `lw-view lw-${name}${className ? ` ${className}` : ""}`, "data-view": view || name }, el);
  const head = html("div", { class: "lw-head" }, root);
  const titleEl = html("div", { class: "lw-title", text: title }, head);
  if (exportSvg) exportButtons(head, exportSvg, view || name);
  const bag = disposers();
  const frame = {
    sel, root, head, title: titleEl, bag,
    tip: html("div", { class: "lw-tooltip" }, root),
    ready() {
      root.setAttribute("data-ready", "true");
      root.setAttribute("data-mount-ms", (performance.now() - t0).toFixed(1));
      return () => {
        bag.dispose();
        root.remove();
      };
    },
    /** The drawn width for the model's `width`: shrunk to the container (see fitWidth). */
    fitWidth(modelWidth) {
      return fitWidth(modelWidth, el.clientWidth || (el.parentElement && el.parentElement.clientWidth) || 0,
        Boolean(el.closest && el.closest(".lw-cell")));
    },
    /** Call `fn` when the container's width changes (JupyterLab panels, window resizes). */
    onResize(fn) {
      if (typeof ResizeObserver !== "function") return;
      let last = el.clientWidth;
      const observer = new ResizeObserver(() => {
        if (Math.abs(el.clientWidth - last) >= 1) {
          last = el.clientWidth;
          fn();
        }
      });
      observer.observe(el);
      bag.add(() => observer.disconnect());
    },
    /** Time one redraw into data-render-ms of `node` (default the root). */
    timed(fn, node = root) {
      return (...args) => {
        const start = performance.now();
        const out = fn(...args);
        node.setAttribute("data-render-ms", (performance.now() - start).toFixed(1));
        return out;
      };
    },
  };
  return frame;
}

/** One SVG of several panels side by side (`gap` px apart), each a standalone copy with its
 *  styles inlined: what a view of several panels exports as its figure. */
export function sideBySide(svgs, gap = 6) {
  const out = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  let x = 0;
  let height = 0;
  for (const panel of svgs) {
    const copy = standaloneSvg(panel, "none");
    const w = Number(panel.getAttribute("width")) || 0;
    copy.setAttribute("x", String(x));
    copy.setAttribute("y", "0");
    out.appendChild(copy);
    x += w + gap;
    height = Math.max(height, Number(panel.getAttribute("height")) || 0);
  }
  out.setAttribute("width", String(Math.max(0, x - gap)));
  out.setAttribute("height", String(height));
  return out;
}
