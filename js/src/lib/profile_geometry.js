// The topological landscape profile (Oesterling et al. 2013) at any threshold and scale,
// computed in the browser from the compact topology: the twin of
// landscape_widgets/layout/profile.py + _bands.py. Each basin's own points per band come from
// the per-minimum band histograms (summed over the minima merged into it), so the geometry
// equals lw.landscape_profile(tree.simplify(t), levels=edges) for the model's fixed edges.
// Fields and units are Python's LandscapeProfile's (see its docstring for the rules).
import { buildForest, clamp, inorder, subtreeSums } from "./forest.js";

/** Band j of value v: (edges[j], edges[j+1]], the lowest edge counting in band 0. */
export function bandOf(edges, v) {
  let lo = 0;
  let hi = edges.length; // first index with edges[i] >= v (searchsorted, side="left")
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(Math.max(lo - 1, 0), edges.length - 2);
}

/** Rect records (one per basin and band it is alive in): _bands.layout_bands. */
function layoutBands(forest, hist, yLo, yHi) {
  const k = forest.size;
  const edges = hist.edges;
  const lo = new Int32Array(k);
  const hi = new Int32Array(k);
  const offsets = new Int32Array(k + 1);
  for (let b = 0; b < k; b++) {
    hi[b] = bandOf(edges, yHi[b]);
    lo[b] = Math.min(bandOf(edges, yLo[b]), hi[b]);
    offsets[b + 1] = offsets[b] + hi[b] - lo[b] + 1;
  }
  const R = offsets[k];
  const basin = new Int32Array(R);
  const band = new Int32Array(R);
  for (let b = 0; b < k; b++) {
    for (let r = offsets[b]; r < offsets[b + 1]; r++) {
      basin[r] = b;
      band[r] = lo[b] + r - offsets[b];
    }
  }
  const at = (b, j) => offsets[b] + j - lo[b];
  // own finite points per rect, from the histograms of the minima merged into each basin
  const own = new Float64Array(R);
  const size = new Float64Array(k);
  for (let j = 0; j < forest.minimumBasin.length; j++) {
    const b = forest.minimumBasin[j];
    if (b < 0) continue;
    for (let e = hist.offsets[j]; e < hist.offsets[j + 1]; e++) {
      const jb = Math.min(Math.max(hist.band[e], lo[b]), hi[b]);
      own[at(b, jb)] += hist.count[e];
      size[b] += hist.count[e];
    }
  }
  for (let b = 0; b < k; b++) for (let r = offsets[b] + 1; r < offsets[b + 1]; r++) own[r] += own[r - 1];
  const total = subtreeSums(forest, size);
  // children that merge below their parent's top join its core from the next band up
  const step = new Float64Array(R);
  for (let c = 0; c < k; c++) {
    const p = forest.parent[c];
    if (p >= 0 && hi[c] < hi[p]) step[at(p, hi[c] + 1)] += total[c];
  }
  const core = new Float64Array(R);
  for (let b = 0; b < k; b++) {
    let acc = 0;
    for (let r = offsets[b]; r < offsets[b + 1]; r++) {
      acc += step[r];
      core[r] = own[r] + acc;
    }
  }
  // width: the core plus every child still alive in that band (children come after parents)
  const width = Float64Array.from(core);
  for (let c = k - 1; c >= 0; c--) {
    const p = forest.parent[c];
    if (p < 0) continue;
    for (let r = offsets[c]; r < offsets[c + 1]; r++) width[at(p, band[r])] += width[r];
  }
  const { x0, left } = packRects(forest, offsets, lo, hi, basin, band, width, edges.length - 1);
  return { edges, lo, hi, offsets, basin, band, core, width, x0, left, size };
}

/** Left edge of every rect and the width of its alive left children (_bands._pack). */
function packRects(forest, offsets, lo, hi, basin, band, width, nBands) {
  const k = forest.size;
  const R = basin.length;
  const at = (b, j) => offsets[b] + j - lo[b];
  const offset = new Float64Array(R);
  const accLeft = new Float64Array(R);
  const accRight = new Float64Array(R);
  const rootTotal = new Float64Array(nBands);
  const rootRight = new Float64Array(nBands);
  const roots = [];
  const children = new Map();
  for (let b = 0; b < k; b++) {
    const p = forest.parent[b];
    if (p < 0) roots.push(b);
    else {
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(b);
    }
  }
  for (const b of roots) for (let r = offsets[b]; r < offsets[b + 1]; r++) rootTotal[band[r]] += width[r];
  const outermostFirst = (a, b) => forest.side[a] - forest.side[b] || forest.rank[b] - forest.rank[a] || a - b;
  roots.sort(outermostFirst); // roots all sit on the right side of a virtual parent
  for (const b of roots) {
    for (let r = offsets[b]; r < offsets[b + 1]; r++) {
      const j = band[r];
      rootRight[j] += width[r];
      offset[r] = rootTotal[j] - rootRight[j] + (forest.nFinite - rootTotal[j]) / 2;
    }
  }
  for (const [p, list] of children) {
    list.sort(outermostFirst);
    // one call per child, not a loop nested in this one: the engine compiles a hot inner loop
    // on its own and leaves that code at every exit (a hundred times on a 512-basin rung)
    for (const c of list) stackChild(c, offsets[p] - lo[p], forest.side[c] < 0, offsets, band, width, offset, accLeft, accRight);
  }
  const x0 = offset; // add the parents' left edges: parent rects come first
  for (let c = 0; c < k; c++) {
    const p = forest.parent[c];
    if (p < 0) continue;
    for (let r = offsets[c]; r < offsets[c + 1]; r++) x0[r] += x0[at(p, band[r])];
  }
  return { x0, left: accLeft };
}

/** Place child c's rects against its parent's (whose band j is rect `base + j`): left children
 *  stack outwards from the parent's left edge, right ones from its right edge. */
function stackChild(c, base, left, offsets, band, width, offset, accLeft, accRight) {
  for (let r = offsets[c]; r < offsets[c + 1]; r++) {
    const pr = base + band[r];
    if (left) {
      offset[r] = accLeft[pr];
      accLeft[pr] += width[r];
    } else {
      accRight[pr] += width[r];
      offset[r] = width[pr] - accRight[pr];
    }
  }
}

/**
 * The landscape profile of `topo` simplified at threshold t, with the model's band edges of
 * `kind` ("linear" or "log"): a LandscapeProfile-shaped object of typed arrays.
 */
export function landscapeProfile(topo, t, kind = "linear") {
  const hist = topo.bands[kind === "linear" ? "linear" : "log"];
  const forest = buildForest(topo, t);
  const k = forest.size;
  const yLo = new Float64Array(k);
  const yHi = new Float64Array(k);
  for (let b = 0; b < k; b++) {
    yLo[b] = clamp(forest, forest.birth[b]);
    yHi[b] = forest.parent[b] < 0 ? forest.yMax : clamp(forest, forest.death[b]);
  }
  const bands = layoutBands(forest, hist, yLo, yHi);
  const { edges, lo, hi, offsets, basin, band, width, x0 } = bands;
  const R = basin.length;
  // a minimum exactly on a band edge would start with a zero-height rectangle: skip it
  const keep = new Uint8Array(R);
  let nKeep = 0;
  for (let r = 0; r < R; r++) {
    const b = basin[r];
    const j = band[r];
    keep[r] = j === lo[b] && j < hi[b] && yLo[b] >= edges[j + 1] ? 0 : 1;
    nKeep += keep[r];
  }
  const scale = 1 / forest.nFinite;
  const rect = {
    x0: new Float64Array(nKeep), x1: new Float64Array(nKeep), y0: new Float64Array(nKeep),
    y1: new Float64Array(nKeep), basin: new Int32Array(nKeep), band: new Int32Array(nKeep),
  };
  const nRect = new Int32Array(k);
  for (let r = 0, n = 0; r < R; r++) {
    if (!keep[r]) continue;
    const b = basin[r];
    const j = band[r];
    rect.x0[n] = x0[r] * scale;
    rect.x1[n] = (x0[r] + width[r]) * scale;
    rect.y0[n] = Math.max(edges[j], yLo[b]);
    rect.y1[n] = Math.min(edges[j + 1], yHi[b]);
    rect.basin[n] = forest.ids[b];
    rect.band[n] = j;
    nRect[b]++;
    n++;
  }
  const poly = outlines(nRect, rect);
  const minimaX = new Float64Array(k);
  const parentIds = new Int32Array(k);
  const mean = new Float64Array(k);
  const depth = new Float64Array(k);
  const subtree = new Float64Array(k);
  const sums = new Float64Array(k);
  for (let j = 0; j < forest.minimumBasin.length; j++) {
    if (forest.minimumBasin[j] >= 0) sums[forest.minimumBasin[j]] += topo.valueSum[j];
  }
  const dying = [];
  for (let b = 0; b < k; b++) {
    const bottom = offsets[b] + (keep[offsets[b]] ? 0 : 1);
    minimaX[b] = (x0[bottom] + bands.left[bottom] + bands.core[bottom] / 2) * scale;
    const p = forest.parent[b];
    parentIds[b] = p < 0 ? -1 : forest.ids[p];
    mean[b] = sums[b] / Math.max(bands.size[b], 1);
    depth[b] = p < 0 ? Infinity : forest.death[b] - forest.birth[b];
    subtree[b] = width[offsets[b + 1] - 1];
    if (p >= 0) dying.push(b);
  }
  const saddleX = new Float64Array(dying.length);
  const saddleY = new Float64Array(dying.length);
  const saddleVertex = new Int32Array(dying.length);
  const saddleBasin = new Int32Array(dying.length);
  dying.forEach((b, n) => {
    const top = offsets[b + 1] - 1;
    saddleX[n] = (forest.side[b] < 0 ? x0[top] + width[top] : x0[top]) * scale;
    saddleY[n] = yHi[b];
    saddleVertex[n] = forest.deathSaddle[b];
    saddleBasin[n] = forest.ids[b];
  });
  return {
    basin_ids: forest.ids,
    basin_parent: parentIds,
    basin_mean_loss: mean,
    basin_size: bands.size,
    basin_subtree_size: subtree,
    basin_min: yLo,
    basin_death: yHi,
    basin_depth: depth,
    polygon_offsets: poly.offsets,
    polygon_x: poly.x,
    polygon_y: poly.y,
    rect_x0: rect.x0,
    rect_x1: rect.x1,
    rect_y0: rect.y0,
    rect_y1: rect.y1,
    rect_basin: rect.basin,
    rect_band: rect.band,
    minima_x: minimaX,
    minima_y: yLo,
    minima_basin: forest.ids,
    saddle_x: saddleX,
    saddle_y: saddleY,
    saddle_vertex: saddleVertex,
    saddle_basin: saddleBasin,
    levels: edges,
    y_min: forest.yMin,
    y_max: forest.yMax,
    n_points: forest.nPoints,
    n_nonfinite: forest.nPoints - forest.nFinite,
  };
}

/** Stair-step outline of each basin's rect stack: up the right edges, down the left ones. */
function outlines(nRect, rect) {
  const k = nRect.length;
  const offsets = new Int32Array(k + 1);
  for (let b = 0; b < k; b++) offsets[b + 1] = offsets[b] + 4 * nRect[b];
  const x = new Float64Array(offsets[k]);
  const y = new Float64Array(offsets[k]);
  for (let b = 0, first = 0; b < k; b++) {
    const n = nRect[b];
    for (let l = 0; l < n; l++) {
      const r = first + l;
      const right = offsets[b] + 2 * l;
      const left = offsets[b] + 2 * n + 2 * (n - 1 - l);
      x[right] = rect.x1[r]; y[right] = rect.y0[r];
      x[right + 1] = rect.x1[r]; y[right + 1] = rect.y1[r];
      x[left] = rect.x0[r]; y[left] = rect.y1[r];
      x[left + 1] = rect.x0[r]; y[left + 1] = rect.y0[r];
    }
    first += n;
  }
  return { offsets, x, y };
}
