// PersistenceDiagramView: (birth, death) per minimum above the diagonal; the essential class on
// a dashed top line. Points below the persistence threshold are hidden.
import { mountView } from "./lib/view.js";
import { svg, axis } from "./lib/svg.js";
import { linear, extent, fmt } from "./lib/scales.js";

/** Points to draw at threshold t: [{basin, birth, death, essential}]. */
export function diagramPoints(topo, t) {
  const pts = [];
  for (let i = 0; i < topo.minima.length; i++) {
    if (!topo.visible(i, t)) continue;
    const birth = topo.minimumValue[i];
    const pers = topo.persistence[i];
    const essential = !Number.isFinite(pers);
    pts.push({ basin: topo.minima[i], birth, death: essential ? Infinity : birth + pers, essential });
  }
  return pts;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t } = ctx;
  const [lo, hi] = extent([topo.valueMin, topo.valueMax], 0.05);
  const sx = linear([lo, hi], [0, w]);
  const sy = linear([lo, hi], [h, 0]);
  svg("line", { x1: sx(lo), y1: sy(lo), x2: sx(hi), y2: sy(hi), stroke: "#999" }, plot);
  const top = 6;
  svg("line", { x1: 0, x2: w, y1: top, y2: top, stroke: "#999", "stroke-dasharray": "4 3" }, plot);
  svg("text", { x: 4, y: top - 2, class: "lw-label" }, plot).textContent = "∞";
  if (t > 0) {
    // the band of hidden pairs: death - birth < t
    svg("path", { d: `M${sx(lo)},${sy(lo)}L${sx(hi)},${sy(hi)}L${sx(hi - t)},${sy(hi)}L${sx(lo)},${sy(lo + t)}Z`, fill: "rgba(0,0,0,.06)" }, plot);
  }
  const drawn = [];
  for (const p of diagramPoints(topo, t)) {
    const x = sx(p.birth);
    const y = p.essential ? top : sy(p.death);
    const c = svg("circle", { class: "lw-point lw-hit", cx: x, cy: y, r: 4.5 }, plot);
    hl.add(c, p.basin);
    drawn.push({ p, x, y });
  }
  axis(svg("g", { transform: `translate(0,${h})` }, plot), sx, "bottom", { label: "birth (loss)", format: fmt });
  axis(plot, sy, "left", { label: "death", format: fmt });
  return {
    box(x0, y0, x1, y1) {
      return drawn.filter((d) => d.x >= x0 && d.x <= x1 && d.y >= y0 && d.y <= y1).map((d) => d.p.basin);
    },
  };
}

export function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "diagram", title: "Persistence diagram", draw });
}

export default { render };
