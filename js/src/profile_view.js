// ProfileView: the topological landscape profile. One polygon per basin (nested at saddles),
// coloured by mean loss (darker blue = lower); minima red, saddles orange.
import { mountView } from "./lib/view.js";
import { svg } from "./lib/dom.js";
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

/**
 * Monotone x-warp [0, 1] -> [0, 1] that widens every non-outermost basin narrower than `share`
 * of the width to about that share (shares capped so they take at most half the width). Nesting
 * and order are kept (the profile is drawn from x-intervals), so a basin of a few points stays
 * visible; widths are then exact only up to this stretch. Returns the identity when none is
 * narrower.
 */
export function widenWarp(polys, outer, share = 0.08) {
  const inner = polys.filter((p) => !outer.has(p.basin));
  const q = Math.min(share, 0.5 / Math.max(1, inner.length));
  const spans = [];
  for (const p of inner) {
    let a = Infinity;
    let b = -Infinity;
    for (const [x] of p.points) { a = Math.min(a, x); b = Math.max(b, x); }
    if (b > a && b - a < q) spans.push([a, b, (q - (b - a)) / (b - a)]);
  }
  if (!spans.length) return (x) => x;
  const xs = [...new Set([0, 1, ...spans.flatMap(([a, b]) => [a, b])])].sort((u, v) => u - v);
  const cum = [0];
  for (let k = 1; k < xs.length; k++) {
    const mid = (xs[k - 1] + xs[k]) / 2;
    let density = 1;
    for (const [a, b, extra] of spans) if (mid >= a && mid <= b) density += extra;
    cum.push(cum[k - 1] + density * (xs[k] - xs[k - 1]));
  }
  const total = cum[cum.length - 1];
  return (x) => {
    let k = 1;
    while (k < xs.length - 1 && xs[k] < x) k++;
    const f = (x - xs[k - 1]) / (xs[k] - xs[k - 1] || 1);
    return (cum[k - 1] + f * (cum[k] - cum[k - 1])) / total;
  };
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  const level = topo.levels[topo.levelIndex(t)];
  // log axes draw the profile whose height bands are even on the log axis (finer near minima)
  const profile = (loss.kind !== "linear" && level.profile_log) || level.profile;
  const polys = basinPolygons(profile);
  const parents = profile.basin_parent || [-1];
  const outer = new Set([...profile.basin_ids].filter((_, k) => !(parents[k] >= 0)));
  const warp = widenWarp(polys, outer);
  const lin = linear([0, 1], [0, w]);
  const sx = (x) => lin(warp(x));
  const sy = lossAxisScale(loss, [profile.y_min, profile.y_max], [h, 0], 0.03);
  // colour by mean loss on the axis' scale, normalised over the basins shown (darker = lower)
  const means = polys.map((p) => loss.fwd(p.mean)).filter(Number.isFinite);
  const mLo = Math.min(...means);
  const span = Math.max(...means) - mLo || 1;
  const drawn = [];
  const g = svg("g", {}, plot);
  for (const p of polys) {
    const px = p.points.map(([x, y]) => [sx(x), sy(y)]);
    // the palette's lightest stops vanish on white: use 0..0.8 of it; outline light basins in
    // a darker shade (a basin a few points wide still shows as a line), dark ones lighter
    const u = 0.8 * ((loss.fwd(p.mean) - mLo) / span);
    const node = svg("path", {
      class: "lw-basin lw-hit",
      d: `M${px.map((q) => q[0].toFixed(1) + "," + q[1].toFixed(1)).join("L")}Z`,
      fill: depth(u),
      style: `--lw-edge: ${depth(u < 0.4 ? u + 0.45 : u - 0.3)}`,
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

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "profile", title: "Landscape profile", draw,
    margin: { left: 48, right: 10, top: 10, bottom: 12 } });
}

export default { render };
