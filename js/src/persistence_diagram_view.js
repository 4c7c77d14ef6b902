// PersistenceDiagramView: (birth, death) per minimum above the diagonal; the essential class on
// a dashed top line. Points below the persistence threshold are hidden.
import { mountView } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { diagramFrame, INFINITY_Y } from "./lib/diagram.js";

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

/** Path of the region between the diagonal and death = birth + t, births in [lo, hi]. */
export function hiddenBand(sx, sy, lo, hi, t, n = 48) {
  const pts = [];
  for (let k = 0; k <= n; k++) {
    const b = sx.invert(sx(lo) + ((sx(hi) - sx(lo)) * k) / n); // even steps on screen
    if (b + t <= hi) pts.push([sx(b), sy(b + t)]);
  }
  if (!pts.length) return "";
  const d = pts.map(([x, y], k) => `${k ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");
  return `${d}L${sx(hi - t).toFixed(1)},${sy(hi).toFixed(1)}L${sx(hi).toFixed(1)},${sy(hi).toFixed(1)}L${sx(lo).toFixed(1)},${sy(lo).toFixed(1)}Z`;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const sx = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [0, w], 0.05);
  const sy = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [h, 20], 0.03); // ∞ above
  const [lo, hi] = sx.domain;
  const top = INFINITY_Y;
  diagramFrame(plot, sx, sy, [lo, hi], w, top); // the renderer TrajectoryView shares
  if (t > 0) {
    // the band of hidden pairs: death - birth < t (a curve on a log scale)
    svg("path", { d: hiddenBand(sx, sy, lo, hi, t), fill: "rgba(0,0,0,.06)", class: "lw-hidden-band" }, plot);
  }
  const drawn = [];
  for (const p of diagramPoints(topo, t)) {
    const x = sx(p.birth);
    const y = p.essential ? top : sy(p.death);
    const c = svg("circle", { class: "lw-point lw-hit", cx: x, cy: y, r: 4.5 }, plot);
    hl.add(c, p.basin);
    drawn.push({ p, x, y });
  }
  lossAxis(svg("g", { transform: `translate(0,${h})` }, plot), sx, "bottom", { name: "birth (loss)" });
  lossAxis(plot, sy, "left", { name: "death" });
  return {
    box(x0, y0, x1, y1) {
      return drawn.filter((d) => d.x >= x0 && d.x <= x1 && d.y >= y0 && d.y <= y1).map((d) => d.p.basin);
    },
  };
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "diagram", view: "persistence-diagram", title: "Persistence diagram", draw });
}

export default { render };
