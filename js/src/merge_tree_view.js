// MergeTreeView: y = loss; leaves = minima (red), inner nodes = saddles (orange); elbow branches.
// The layout is computed here from the shared topology at the current threshold (cached).
import { mountView, modelMarker } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { linear } from "./lib/scales.js";
import { fixed1 } from "./lib/svg.js";
import { PaintMemo, bitmapContext, liveCanvas, paintScale, paintedCanvas, releaseCanvas } from "./lib/bitmap.js";
import { MINIMUM, SADDLE } from "./lib/colors.js";
import { stampCircles } from "./lib/sprites.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { AGGREGATE_LABEL_Y, AGGREGATE_ROOM, aggregateLabel, itemBudget, lodThreshold, selectionOverlay, shownCount } from "./lib/lod.js";

/** SVG elements counted per drawn branch (its path, its minimum, its death saddle): kept at the
 *  count from when each path had an invisible hit twin, so the level of detail is unchanged. */
const PER_BRANCH = 6;

/** Path data of every branch polyline: [{basin, d}] (basin = raw id at the level). */
export function branchPaths(tree, sx, sy) {
  const out = [];
  const off = tree.edge_path_offsets;
  for (let e = 0; e + 1 < off.length; e++) {
    let d = "";
    for (let i = off[e]; i < off[e + 1]; i++) {
      d += `${i === off[e] ? "M" : "L"}${fixed1(sx(tree.edge_path_x[i]))},${fixed1(sy(tree.edge_path_y[i]))}`;
    }
    out.push({ basin: tree.edge_basin[e], d });
  }
  return out;
}

const pathCache = new WeakMap(); // tree layout -> {key, list} of branchPaths

/** The layout's branches, one per basin: [{basin, d, edges}] in the order of each basin's first
 *  edge, `d` its edges' path data joined (one element for a branch, not one per segment
 *  between the saddles on it: at 4,547 basins the 60 branches drawn were 338 paths), kept with
 *  the path data. */
export function branchesOf(paths) {
  if (!paths.branches) {
    const byBasin = new Map();
    paths.list.forEach((p, e) => {
      const branch = byBasin.get(p.basin);
      if (branch) branch.edges.push(e);
      else byBasin.set(p.basin, { basin: p.basin, edges: [e] });
    });
    paths.branches = [...byBasin.values()];
    for (const branch of paths.branches) branch.d = branch.edges.map((e) => paths.list[e].d).join("");
  }
  return paths.branches;
}

export function draw(ctx) {
  const { topo, plot, w, h, hl, t, loss } = ctx;
  // level of detail: drawn at the threshold that keeps at most the budget's branches;
  // the smaller subtrees are merged into their parent's branch and counted
  const cap = itemBudget(PER_BRANCH);
  const tDraw = lodThreshold(topo, t, cap);
  const tree = topo.treeLayout(tDraw);
  const hiddenCount = tDraw > t ? shownCount(topo, t) - shownCount(topo, tDraw) : 0;
  const sx = linear([-0.03, 1.03], [0, w]);
  const sy = lossAxisScale(loss, [tree.y_min, tree.y_max], [h, 0], 0.05);
  const edges = svg("g", {}, plot);
  // the path data of a layout at a size and axis, kept (a slider revisits thresholds)
  const pathKey = `${w}|${h}|${loss.kind}`;
  let paths = pathCache.get(tree);
  if (!paths || paths.key !== pathKey) pathCache.set(tree, (paths = { key: pathKey, list: branchPaths(tree, sx, sy), sx, sy }));
  // past the element budget (the tree aggregated): the most persistent branches as elements,
  // the next ones painted into one bitmap under them (see SVG_BRANCHES), hit in JS and drawn
  // on top when selected; a tree within the budget draws every branch as elements
  const painted = tDraw > t ? paintedBranches(ctx, tree, paths, sx, sy) : null;
  if (painted) {
    liveCanvas(edges, { class: "lw-tree-raster", x: -PAD, y: -PAD, width: w + 2 * PAD, height: h + 2 * PAD }, painted.canvas,
      { "data-painted": String(painted.basins.size) });
  }
  for (const { basin, d } of branchesOf(paths)) {
    if (painted && painted.basins.has(basin)) continue;
    // one element per branch, focusable; a click near it is resolved in JS (pick below: within
    // 4.5 px, as a 9 px invisible hit stroke under each branch did, one element fewer each)
    hl.add(svg("path", { d, class: "lw-edge lw-hit", "pointer-events": "none" }, edges), topo.rep(basin, t));
  }
  const nodes = svg("g", {}, plot);
  if (painted) {
    // (events pass through to the branches: the canvas below picks nodes and branches alike)
    liveCanvas(nodes, { class: "lw-tree-raster-nodes", x: -PAD, y: -PAD, width: w + 2 * PAD,
      height: h + 2 * PAD, "pointer-events": "none", "aria-hidden": "true" }, painted.nodesCanvas);
  }
  const order = [...tree.node_x.keys()].sort((a, b) => tree.node_is_minimum[a] - tree.node_is_minimum[b]);
  for (const k of order) {
    if (painted && (painted.basins.has(tree.node_basin[k]) || painted.jointNodes.has(k))) continue;
    const isMin = tree.node_is_minimum[k];
    const node = svg("circle", {
      class: `${isMin ? "lw-min" : "lw-saddle"} lw-hit`,
      cx: sx(tree.node_x[k]), cy: sy(tree.node_y[k]), r: isMin ? 4.5 : 3.5,
      "data-vertex": tree.node_vertex[k],
    }, nodes);
    hl.add(node, topo.rep(tree.node_basin[k], t));
  }
  // the trained model: on its basin's branch, at its loss
  const tm = topo.trainedModel(t);
  if (tm) {
    const k = [...tree.node_x.keys()].find((j) => tree.node_is_minimum[j] && topo.rep(tree.node_basin[j], t) === tm.basin);
    if (k !== undefined) modelMarker(nodes, sx(tree.node_x[k]), sy(tm.value), tm, topo);
  }
  lossAxis(plot, sy, "left");
  let overlay = null;
  let merged = { has: () => false };
  let leafOf = null;
  if (hiddenCount > 0) {
    svg("text", { class: "lw-label lw-aggregate-label", x: w - 2, y: AGGREGATE_LABEL_Y, "text-anchor": "end",
      "data-aggregate": String(hiddenCount) }, plot).textContent = aggregateLabel(hiddenCount, "branches merged into their parents");
    leafOf = new Map();
    for (const k of tree.node_x.keys()) if (tree.node_is_minimum[k]) leafOf.set(tree.node_basin[k], k);
    merged = { has: (b) => topo.index.has(b) && topo.rep(b, tDraw) !== b };
  }
  if (hiddenCount > 0 || painted) {
    // a selected basin without elements of its own: a painted branch drawn on top, or a merged
    // basin's marker at its own minimum's loss on the branch it merged into
    // (a drawn branch's painted joints: its saddles, ringed on top as the elements would be)
    const notDrawn = { has: (b) => Boolean(painted && (painted.basins.has(b) || painted.joints.has(b))) || merged.has(b) };
    overlay = selectionOverlay(hl, nodes, notDrawn, (b, parent) => {
      if (painted && painted.basins.has(b)) {
        return svg("path", { d: painted.basins.get(b).d, class: "lw-edge lw-hit lw-lod-overlay", "pointer-events": "none" }, parent);
      }
      if (painted && painted.joints.has(b)) {
        // two paths for them all (the trunk has hundreds), a circle per subpath: the selected
        // rings, then the saddles' fills over them (as each circle element covered the rings
        // drawn before it, a dense row of saddles stays a row of dots)
        const d = painted.joints.get(b).map((n) => `M${fixed1(n.x - 3.5)},${fixed1(n.y)}a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0`).join("");
        const ring = svg("g", { class: "lw-lod-overlay lw-joints", "pointer-events": "none" }, parent);
        svg("path", { class: "lw-joint-rings", d }, ring);
        svg("path", { class: "lw-joint-fills", d }, ring);
        return ring;
      }
      const k = leafOf.get(topo.rep(b, tDraw));
      if (k === undefined) return null;
      const v = topo.minimumValue[topo.index.get(b)];
      return svg("circle", { class: "lw-min lw-hit lw-lod-overlay", cx: sx(tree.node_x[k]), cy: sy(v), r: 4.5 }, parent);
    });
  }
  return {
    onSelection(selected) {
      if (overlay) overlay.update(selected);
    },
    pick(ev, x, y) {
      // an element: its basin; the painted layer: the painted node or branch under the pointer
      const node = ev.target.closest ? ev.target.closest("[data-basin]") : null;
      let basin = node ? Number(node.getAttribute("data-basin")) : null;
      if (basin == null) {
        const raw = pickDrawnBranch(paths, tree, painted, x, y);
        if (raw != null) basin = topo.rep(raw, ctx.t);
      }
      if (basin == null && painted && ev.target.closest && ev.target.closest(".lw-tree-raster")) {
        const raw = pickBranch(painted, x, y);
        if (raw != null) basin = topo.rep(raw, ctx.t);
      }
      return basin == null ? null : { basin, info: topo.basinInfo(basin, ctx.t) };
    },
  };
}

/** Most branches drawn as elements (paths, circles; focusable) when the tree is past its
 *  element budget; the next ones up to the budget are painted into one bitmap: a slider move
 *  back to 0 re-placed and restyled ~3,000 tree elements (~40 ms at 4,500 basins). A branch
 *  brings its path, its minimum and the saddles on it (~6 elements at 150 branches): 60
 *  branches keep the tree near the other views' budgets (see SVG_BARS). */
export const SVG_BRANCHES = 60;
const PAD = 6; // px of bitmap around the plot (circles on its edges stay whole)

/** The painted branches of a drawn tree (the least persistent beyond SVG_BRANCHES) and their
 *  canvases: {canvas, nodesCanvas, basins: Map(raw id -> {d, lines, nodes}), joints, jointNodes}
 *  (see paintedGeometry), or null (few branches, or no canvas: every branch is drawn as
 *  elements). The branches are kept with the layout's path data, the canvases of the last few
 *  layouts in `treeCanvases`. */
function paintedBranches(ctx, tree, paths, sx, sy) {
  if (paths.painted === undefined) paths.painted = paintedGeometry(ctx, tree, paths, sx, sy);
  if (!paths.painted) return null;
  const { basins, joints, jointNodes } = paths.painted;
  let canvases = treeCanvases.get(paths);
  if (canvases === undefined) {
    // two canvases, as the elements are layered: branches under the branches drawn as
    // elements, nodes under the nodes drawn as elements (over every branch)
    const canvas = treeBitmap(ctx, basins, "edges");
    const nodesCanvas = canvas ? treeBitmap(ctx, basins, "nodes", joints) : null;
    canvases = canvas && nodesCanvas ? { canvas, nodesCanvas } : null;
    treeCanvases.set(paths, canvases);
  }
  return canvases ? { ...canvases, basins, joints, jointNodes } : null;
}

// the canvases of the last 8 painted layouts (path data -> {canvas, nodesCanvas}): a slider
// revisits thresholds; a canvas of a plot at 2x holds a few MB, so older ones are freed
const treeCanvases = new PaintMemo(8, (c) => {
  if (c) {
    releaseCanvas(c.canvas);
    releaseCanvas(c.nodesCanvas);
  }
});

/**
 * The painted branches' geometry, or null (within SVG_BRANCHES): `basins` (the painted ones:
 * their path data, polylines and nodes) and the joints, the saddles on a drawn branch where
 * only painted branches end: painted with them (a drawn branch of a noisy tree carries hundreds
 * of such saddles: 278 elements of the tree's ~420 at 4,547 basins, 429 at 20,201), by drawn
 * basin in `joints` ([{x, y}]) and by node in `jointNodes`. A saddle where a drawn branch ends
 * stays an element.
 */
function paintedGeometry(ctx, tree, paths, sx, sy) {
  const { topo } = ctx;
  const pers = (b) => {
    const i = topo.index.get(b);
    return i === undefined ? Infinity : topo.persistence[i];
  };
  // by basin (a basin's branch is several edges: the trunk's segments are its minimum's)
  const branches = branchesOf(paths);
  if (branches.length <= SVG_BRANCHES) return null;
  const ranked = branches.slice().sort((a, b) => (pers(b.basin) - pers(a.basin)) || (a.basin - b.basin));
  const basins = new Map();
  const all = edgeLines(paths, tree);
  for (const { basin, d, edges } of ranked.slice(SVG_BRANCHES)) {
    basins.set(basin, { d, lines: edges.map((e) => all[e]), nodes: [] });
  }
  for (const k of tree.node_x.keys()) {
    const entry = basins.get(tree.node_basin[k]);
    if (entry) entry.nodes.push({ x: sx(tree.node_x[k]), y: sy(tree.node_y[k]), min: tree.node_is_minimum[k] === 1 });
  }
  // a saddle is a joint unless a drawn branch ends there (an edge from another branch's node)
  const endsDrawn = new Uint8Array(tree.node_x.length);
  tree.node_parent.forEach((p, v) => {
    if (p >= 0 && tree.node_basin[v] !== tree.node_basin[p] && !basins.has(tree.node_basin[v])) endsDrawn[p] = 1;
  });
  const joints = new Map();
  const jointNodes = new Set();
  for (const k of tree.node_x.keys()) {
    const b = tree.node_basin[k];
    if (tree.node_is_minimum[k] || basins.has(b) || endsDrawn[k]) continue;
    if (!joints.has(b)) joints.set(b, []);
    joints.get(b).push({ x: sx(tree.node_x[k]), y: sy(tree.node_y[k]) });
    jointNodes.add(k);
  }
  return { basins, joints, jointNodes };
}

/** The painted branches as the stylesheet draws them: `part` "edges" (.lw-edge) or "nodes"
 *  (the joints' saddles and the painted branches' saddles, then their minima: .lw-saddle,
 *  .lw-min). */
function treeBitmap(ctx, basins, part, joints = new Map()) {
  const g = bitmapContext(ctx.w + 2 * PAD, ctx.h + 2 * PAD, paintScale());
  if (!g || typeof g.arc !== "function") return null;
  g.translate(PAD, PAD);
  if (part === "edges") {
    const view = ctx.svg.ownerDocument.defaultView;
    const themed = view && view.getComputedStyle ? view.getComputedStyle(ctx.svg).getPropertyValue("--jp-ui-font-color2").trim() : "";
    g.strokeStyle = themed || "#556";
    g.lineWidth = 1.4;
    g.beginPath();
    for (const { lines } of basins.values()) {
      for (const pts of lines) {
        for (let i = 0; i + 1 < pts.length; i += 2) {
          if (i === 0) g.moveTo(pts[i], pts[i + 1]);
          else g.lineTo(pts[i], pts[i + 1]);
        }
      }
    }
    g.stroke();
    return paintedCanvas(g);
  }
  // saddles, then minima, each in the map's order: stamped from sprites (lib/sprites.js)
  for (const min of [false, true]) {
    const circles = [];
    if (!min) for (const list of joints.values()) for (const n of list) circles.push({ x: n.x, y: n.y, r: 3.5 });
    for (const { nodes } of basins.values()) {
      for (const n of nodes) if (n.min === min) circles.push({ x: n.x, y: n.y, r: min ? 4.5 : 3.5 });
    }
    stampCircles(g, circles, { fill: min ? MINIMUM : SADDLE, stroke: "#fff", lineWidth: 0.8 });
  }
  return paintedCanvas(g);
}

/** The painted basin under (x, y): the disc of a node drawn on top (minima over saddles), else the branch whose
 *  polyline is nearest within 4.5 px (the elements' 9 px hit stroke), else null. */
export function pickBranch(painted, x, y) {
  // (painted in the map's order, minima after saddles: the last disc that holds it is on top)
  for (const min of [true, false]) {
    const reach = ((min ? 4.5 : 3.5) + 0.4) ** 2;
    let top = null;
    for (const [basin, { nodes }] of painted.basins) {
      for (const n of nodes) if (n.min === min && (n.x - x) ** 2 + (n.y - y) ** 2 <= reach) top = basin;
    }
    if (top != null) return top;
  }
  let best = 4.5 ** 2;
  let found = null;
  for (const [basin, { lines }] of painted.basins) {
    for (const pts of lines) {
      for (let i = 0; i + 3 < pts.length; i += 2) {
        const dd = segmentDistance2(x, y, pts[i], pts[i + 1], pts[i + 2], pts[i + 3]);
        if (dd <= best) { best = dd; found = basin; }
      }
    }
  }
  return found;
}

/** The branch drawn as an element under (x, y): of those whose polyline passes within 4.5 px
 *  (the 9 px stroke a browser would hit), the one drawn last (on top); else null. Painted
 *  branches (`painted.basins`) are skipped: pickBranch resolves them under the elements. */
export function pickDrawnBranch(paths, tree, painted, x, y) {
  const lines = edgeLines(paths, tree);
  const branches = branchesOf(paths);
  const reach = 4.5 ** 2;
  for (let k = branches.length - 1; k >= 0; k--) {
    const { basin, edges } = branches[k];
    if (painted && painted.basins.has(basin)) continue;
    for (const e of edges) {
      const pts = lines[e];
      for (let i = 0; i + 3 < pts.length; i += 2) {
        if (segmentDistance2(x, y, pts[i], pts[i + 1], pts[i + 2], pts[i + 3]) <= reach) return basin;
      }
    }
  }
  return null;
}

/** Each edge's polyline in plot pixels ([x0, y0, x1, y1, ...]), kept with the path data. */
function edgeLines(paths, tree) {
  if (paths.lines) return paths.lines;
  const off = tree.edge_path_offsets;
  const { sx, sy } = paths;
  paths.lines = paths.list.map((_, e) => {
    const pts = [];
    for (let i = off[e]; i < off[e + 1]; i++) pts.push(sx(tree.edge_path_x[i]), sy(tree.edge_path_y[i]));
    return pts;
  });
  return paths.lines;
}

/** Squared distance from (x, y) to the segment (x0, y0)-(x1, y1). */
export function segmentDistance2(x, y, x0, y0, x1, y1) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = dx * dx + dy * dy;
  const u = len > 0 ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len)) : 0;
  return (x0 + u * dx - x) ** 2 + (y0 + u * dy - y) ** 2;
}

/** What the tree's drawing depends on at the threshold (see mountView's spec.drawKey): the
 *  level of detail's threshold, how many branches it merges, the trained model's basin. Every
 *  drawn branch is a basin shown at the drawn threshold, its own label at any t below it. */
export function drawKey(ctx) {
  const { topo, t } = ctx;
  if (!topo) return [t];
  const tDraw = lodThreshold(topo, t, itemBudget(PER_BRANCH));
  const tm = topo.trainedModel(t);
  return [tDraw, tDraw > t ? shownCount(topo, t) : -1, tDraw > t ? -1 : t, tm ? tm.basin : null];
}

/** Is part of the tree aggregated at the current threshold (the label needs room above)? */
function aggregated(ctx, perItem) {
  return Boolean(ctx.topo) && lodThreshold(ctx.topo, ctx.t, itemBudget(perItem)) > ctx.t;
}

function render({ model, el, host }) {
  return mountView({ model, el, host }, { name: "tree", view: "merge-tree", title: "Merge tree", draw, drawKey,
    margin: (ctx) => ({ left: 48, right: 10, top: aggregated(ctx, PER_BRANCH) ? AGGREGATE_ROOM : 10, bottom: 12 }) });
}

export default { render };
