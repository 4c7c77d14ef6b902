// SpectrumView: eigenvalue stems, or a spectral density curve with its quadrature nodes as a rug.
import { mountView } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { axis } from "./lib/svg.js";
import { linear, extent, fmt } from "./lib/scales.js";
import { decodeAll } from "./lib/wire.js";

export function draw(ctx) {
  const { plot, w, h, model } = ctx;
  const s = decodeAll(ctx.data.spectrum);
  const kind = model.get("kind");
  const sx = linear(extent(s.x, 0.06), [0, w]);
  if (kind === "density") {
    const logy = model.get("log_density");
    const ys = Array.from(s.y, (v) => (logy ? Math.log10(Math.max(v, 1e-12)) : v));
    const sy = linear(extent(ys, 0.04), [h, 0]);
    const d = ys.map((v, i) => `${i ? "L" : "M"}${sx(s.x[i]).toFixed(1)},${sy(v).toFixed(1)}`).join("");
    svg("path", { d, fill: "none", stroke: "#23395d", "stroke-width": 1.5, class: "lw-density" }, plot);
    for (const v of s.nodes) svg("line", { x1: sx(v), x2: sx(v), y1: h, y2: h - 5, stroke: "#d62728", "stroke-width": 0.6 }, plot);
    axis(plot, sy, "left", { label: logy ? "log10 density" : "density", format: fmt });
  } else {
    const sy = linear([0, 1], [h, 0]);
    svg("line", { x1: 0, x2: w, y1: h, y2: h, stroke: "#999" }, plot);
    for (const v of s.x) {
      svg("line", { x1: sx(v), x2: sx(v), y1: h, y2: sy(0.8), stroke: "#23395d", "stroke-width": 1.5, class: "lw-stem" }, plot);
      svg("circle", { cx: sx(v), cy: sy(0.8), r: 3, fill: "#23395d" }, plot).appendChild(svg("title")).textContent = `λ = ${fmt(v)}`;
    }
  }
  axis(svg("g", { transform: `translate(0,${h})` }, plot), sx, "bottom", { label: "eigenvalue", format: fmt });
  return {};
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "spectrum", title: "Hessian spectrum", draw });
}

export default { render };
