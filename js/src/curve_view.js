// CurveView: a 1-D landscape as loss against α. Minima red, saddles (the maxima where two basins
// merge) orange, the trained model (grid centre) a diamond; the selected basins are outlined
// along their stretch of the curve. Click the curve to select the basin there, shift adds, a box
// drag selects the basins of the points inside it.
import { mountView, modelMarker } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { axis } from "./lib/svg.js";
import { linear, extent, fmt } from "./lib/scales.js";
import { decodeAll } from "./lib/wire.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";

/** Runs of consecutive points with the same shown basin: [{basin, i0, i1}] (inclusive). */
export function basinRuns(basins, repOf) {
  const out = [];
  for (let i = 0; i < basins.length; i++) {
    const b = repOf(basins[i]);
    const last = out[out.length - 1];
    if (last && last.basin === b) last.i1 = i;
    else out.push({ basin: b, i0: i, i1: i });
  }
  return out;
}

/** Index of the grid point nearest to α = a (x sorted ascending). */
export function nearest(x, a) {
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= a) lo = mid;
    else hi = mid;
  }
  return Math.abs(x[hi] - a) < Math.abs(x[lo] - a) ? hi : lo;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const c = decodeAll(ctx.data.curve);
  const n = c.x.length;
  const sx = linear(extent(c.x, 0.02), [0, w]);
  const sy = lossAxisScale(loss, [topo.valueMin, topo.valueMax], [h, 0], 0.05);
  const repOf = (b) => topo.rep(b, t);
  const path = (i0, i1) => {
    let d = "";
    for (let i = i0; i <= i1; i++) {
      if (!Number.isFinite(c.y[i])) continue;
      d += `${d ? "L" : "M"}${sx(c.x[i]).toFixed(1)},${sy(c.y[i]).toFixed(1)}`;
    }
    return d;
  };
  // one stretch per basin: selected ones get the selection outline (CSS on aria-selected)
  const runs = basinRuns(c.basins, repOf);
  const under = svg("g", {}, plot);
  for (const r of runs) {
    hl.add(svg("path", { class: "lw-curve-band", d: path(Math.max(0, r.i0 - 1), Math.min(n - 1, r.i1 + 1)) }, under), r.basin);
  }
  svg("path", { class: "lw-curve-line", d: path(0, n - 1) }, plot);
  // critical points: saddles (maxima between two basins), then minima on top
  const dyingAt = new Map();
  for (let i = 0; i < topo.minima.length; i++) if (topo.deathSaddle[i] >= 0) dyingAt.set(topo.deathSaddle[i], topo.minima[i]);
  for (let k = 0; k < topo.saddles.length; k++) {
    const v = topo.saddles[k];
    if (!dyingAt.has(v) || !topo.visible(topo.index.get(dyingAt.get(v)), t)) continue;
    hl.add(svg("circle", { class: "lw-saddle lw-hit", cx: sx(c.x[v]), cy: sy(c.y[v]), r: 3.5, "data-vertex": v }, plot), repOf(dyingAt.get(v)));
  }
  for (let i = 0; i < topo.minima.length; i++) {
    if (!topo.visible(i, t)) continue;
    const v = topo.minima[i];
    hl.add(svg("circle", { class: "lw-min lw-hit", cx: sx(c.x[v]), cy: sy(c.y[v]), r: 4.5, "data-vertex": v }, plot), repOf(v));
  }
  const tm = topo.trainedModel(t);
  if (tm) modelMarker(plot, sx(c.x[tm.vertex]), sy(tm.value), tm, topo);
  axis(svg("g", { transform: `translate(0,${h})` }, plot), sx, "bottom", { label: (topo.axes && ctx.model.get("axis_name")) || "α", format: fmt });
  lossAxis(plot, sy, "left");
  return {
    pick(ev, x, y) {
      if (x < 0 || x > w || y < 0 || y > h) return null;
      const i = nearest(c.x, sx.invert(x));
      // only near the curve (or on a marker): 12 px
      if (Math.abs(sy(c.y[i]) - y) > 12 && !(ev.target.closest && ev.target.closest("[data-vertex]"))) return null;
      const basin = repOf(c.basins[i]);
      const info = { ...(topo.basinInfo(basin, t) || {}), title: "point", loss: c.y[i], coords: [c.x[i]] };
      info.extra = [`in the basin of the minimum at α = ${fmt(c.x[basin])}`];
      return { basin, point: i, info };
    },
    box(x0, y0, x1, y1) {
      const out = new Set();
      for (let i = 0; i < n; i++) {
        const px = sx(c.x[i]);
        const py = sy(c.y[i]);
        if (px >= x0 && px <= x1 && py >= y0 && py <= y1) out.add(repOf(c.basins[i]));
      }
      return [...out];
    },
  };
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "curve", title: "Loss along α", draw,
    margin: { left: 52, right: 14, top: 10, bottom: 38 } });
}

export default { render };
