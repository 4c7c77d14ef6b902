// MergeTreeView: y = loss; leaves = minima (red), inner nodes = saddles (orange); elbow branches.
// The layout is computed here from the shared topology at the current threshold (cached).
import { mountView, modelMarker } from "./lib/view.js";
import { svg } from "./lib/dom.js";
import { linear } from "./lib/scales.js";
import { fixed1 } from "./lib/svg.js";
import { lossAxisScale, lossAxis } from "./lib/loss_scale.js";
import { AGGREGATE_LABEL_Y, AGGREGATE_ROOM, aggregateLabel, itemBudget, lodThreshold, selectionOverlay, shownCount } from "./lib/lod.js";

/** SVG elements per drawn branch: its minimum (two paths, a circle) and its death saddle. */
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
  if (!paths || paths.key !== pathKey) pathCache.set(tree, (paths = { key: pathKey, list: branchPaths(tree, sx, sy) }));
  for (const { basin, d } of paths.list) {
    // a wide invisible stroke under each branch makes it easy to click
    const hit = svg("path", { d, class: "lw-hit", stroke: "transparent", "stroke-width": 9, fill: "none" }, edges);
    hl.add(hit, topo.rep(basin, t));
    hl.add(svg("path", { d, class: "lw-edge", "pointer-events": "none" }, edges), topo.rep(basin, t));
  }
  const nodes = svg("g", {}, plot);
  const order = [...tree.node_x.keys()].sort((a, b) => tree.node_is_minimum[a] - tree.node_is_minimum[b]);
  for (const k of order) {
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
  if (hiddenCount > 0) {
    svg("text", { class: "lw-label lw-aggregate-label", x: w - 2, y: AGGREGATE_LABEL_Y, "text-anchor": "end",
      "data-aggregate": String(hiddenCount) }, plot).textContent = aggregateLabel(hiddenCount, "branches merged into their parents");
    // a selected merged basin: a marker at its own minimum's loss on the branch it merged into
    const leafOf = new Map();
    for (const k of tree.node_x.keys()) if (tree.node_is_minimum[k]) leafOf.set(tree.node_basin[k], k);
    const hiddenIds = { has: (b) => topo.index.has(b) && topo.rep(b, tDraw) !== b };
    overlay = selectionOverlay(hl, nodes, hiddenIds, (b, parent) => {
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
  };
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
