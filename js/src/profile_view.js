// ProfileView: the topological landscape profile. One polygon per basin (nested at saddles),
// coloured by mean loss (darker blue = lower); minima red, saddles orange.
import { mountView } from "./lib/view.js";
import { svg } from "./lib/svg.js";
import { linear } from "./lib/scales.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { depth } from "./lib/colors.js";

/** Polygons as [{basin, points: [[x, y], ...], mean}] in drawing order. */
export function basinPolygons(profile) {
  const out = [];
  const off = profile.polygon_offsets;
  for (let k = 0; k + 1 < off.length; k++) {
    const points = [];
    for (let i = off[k]; i < off[k + 1]; i++) points.push([profile.polygon_x[i], profile.polygon_y[i]]);
    out.push({ basin: profile.basin_ids[k], points, mean: profile.basin_mean_loss[k] });
  }
  return out;
}

/** Ray-casting point-in-polygon test. */
export function inside(pt, poly) {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const profile = topo.levels[topo.levelIndex(t)].profile;
  const sx = linear([0, 1], [0, w]);
  const sy = lossAxisScale(loss, [profile.y_min, profile.y_max], [h, 0], 0.03);
  const polys = basinPolygons(profile);
  // colour by mean loss on the axis' scale, normalised over the basins shown (darker = lower)
  const means = polys.map((p) => loss.fwd(p.mean)).filter(Number.isFinite);
  const mLo = Math.min(...means);
  const span = Math.max(...means) - mLo || 1;
  const drawn = [];
  const g = svg("g", {}, plot);
  for (const p of polys) {
    const px = p.points.map(([x, y]) => [sx(x), sy(y)]);
    const node = svg("path", {
      class: "lw-basin lw-hit",
      d: `M${px.map((q) => q[0].toFixed(1) + "," + q[1].toFixed(1)).join("L")}Z`,
      fill: depth((loss.fwd(p.mean) - mLo) / span),
    }, g);
    hl.add(node, topo.rep(p.basin, t));
    drawn.push({ basin: topo.rep(p.basin, t), px });
  }
  for (let k = 0; k < profile.saddle_x.length; k++) {
    hl.add(svg("circle", { class: "lw-saddle lw-hit", cx: sx(profile.saddle_x[k]), cy: sy(profile.saddle_y[k]), r: 3.5 }, plot), topo.rep(profile.saddle_basin[k], t));
  }
  for (let k = 0; k < profile.minima_x.length; k++) {
    hl.add(svg("circle", { class: "lw-min lw-hit", cx: sx(profile.minima_x[k]), cy: sy(profile.minima_y[k]), r: 4 }, plot), topo.rep(profile.minima_basin[k], t));
  }
  lossAxis(plot, sy, "left");
  return {
    box(x0, y0, x1, y1) {
      const centre = [(x0 + x1) / 2, (y0 + y1) / 2];
      const hit = new Set();
      for (const d of drawn) {
        if (d.px.some(([x, y]) => x >= x0 && x <= x1 && y >= y0 && y <= y1) || inside(centre, d.px)) hit.add(d.basin);
      }
      return [...hit];
    },
  };
}

export function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "profile", title: "Landscape profile", draw,
    margin: { left: 48, right: 10, top: 10, bottom: 12 } });
}

export default { render };
