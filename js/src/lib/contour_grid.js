// The grid of ContourView's slice: the cells' domain, the cell and vertex under a point, and the
// outline of the selected basins' cells (their region's exact boundary, as path data).
import { fixed1 } from "./svg.js";

/** Half-cell padded domain of a grid axis. */
export function cellDomain(a) {
  const n = a.length;
  const d = n > 1 ? (a[n - 1] - a[0]) / (n - 1) : 1;
  return [a[0] - d / 2, a[n - 1] + d / 2];
}

/** Grid cell (ix, iy) under plot coordinates, or null. */
export function cellAt(s, sx, sy, x, y) {
  const nx = s.x.length;
  const ny = s.y.length;
  const [x0, x1] = sx.domain;
  const [y0, y1] = sy.domain;
  const ix = Math.floor(((sx.invert(x) - x0) / (x1 - x0)) * nx);
  const iy = Math.floor(((sy.invert(y) - y0) / (y1 - y0)) * ny);
  if (ix < 0 || iy < 0 || ix >= nx || iy >= ny) return null;
  return [ix, iy];
}

/** The vertex under raster pixel (ix, iy): a scattered landscape's nearest sample (its
 *  `vertex` raster), else the grid point of the slice. */
export function pixelVertex(s, ix, iy) {
  if (s.vertex) return s.vertex[iy * s.x.length + ix];
  return s.base_vertex + ix * s.stride_x + iy * s.stride_y;
}

/**
 * Boundary of the selected basins' cells as unit-square edges in grid coordinates: [[ix0, iy0,
 * ix1, iy1], ...] (iy up). An edge is drawn where a selected cell meets an unselected one or the
 * grid's border, so the outline is exactly the region's boundary.
 */
export function outlineEdges(labels, nx, ny, repOf, selected) {
  const out = [];
  if (!selected.size) return out;
  const memo = new Map();
  const on = (ix, iy) => {
    if (ix < 0 || iy < 0 || ix >= nx || iy >= ny) return false;
    const lab = labels[iy * nx + ix];
    let v = memo.get(lab);
    if (v === undefined) memo.set(lab, (v = selected.has(repOf(lab))));
    return v;
  };
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      if (!on(ix, iy)) continue;
      if (!on(ix - 1, iy)) out.push([ix, iy, ix, iy + 1]);
      if (!on(ix + 1, iy)) out.push([ix + 1, iy, ix + 1, iy + 1]);
      if (!on(ix, iy - 1)) out.push([ix, iy, ix + 1, iy]);
      if (!on(ix, iy + 1)) out.push([ix, iy + 1, ix + 1, iy + 1]);
    }
  }
  return out;
}

/**
 * The boundary of the selected basins' cells, the cell edges of outlineEdges merged into
 * straight runs (one segment per run of a row or column boundary). Only the box around the
 * selected labels' cells is scanned (each label's bounding box is kept with the grid's label
 * index), so that brushing a small basin of a 20,000-basin map costs a pass over the labels, not
 * over the grid. `onLabel` (optional): the labels selected, one byte per distinct label of
 * labelIndex, when the caller has them. Returns {d, segments, edges, cells} (edges: the unit
 * edges of outlineEdges that the segments cover; cells: {mask, x0, y0, w, h}, the selected
 * cells of the box (x0..x0+w-1, y0..y0+h-1) padded by one empty cell on every side, row by row:
 * mask[(iy - y0 + 1) * (w + 2) + ix - x0 + 1]).
 * `d`, the path data (`gx(i)`, `gy(j)` map grid lines to pixels), is made when first read and
 * kept: an outline past OUTLINE_SVG_SEGMENTS is drawn in cells (lib/outline_paint.js) and never
 * reads it (a noisy map's selection: ~20,000 segments of text per threshold move otherwise).
 * Copying the result with a spread or Object.assign reads it: keep the object itself.
 */
export function outlinePath(labels, nx, ny, repOf, selected, gx, gy, onLabel = null) {
  if (!selected.size) return { d: "", segments: 0, edges: 0, cells: null };
  // the cells' mask through each distinct label (a slider move asks again on the same map)
  const { distinct, cellLabel } = labelIndex(labels);
  const box = labelBoxes(labels, nx);
  if (!onLabel) onLabel = selectedLabels(distinct, repOf, selected);
  let x0 = nx;
  let x1 = -1;
  let y0 = ny;
  let y1 = -1;
  for (let k = 0; k < distinct.length; k++) {
    if (!onLabel[k]) continue;
    x0 = Math.min(x0, box[4 * k]);
    x1 = Math.max(x1, box[4 * k + 1]);
    y0 = Math.min(y0, box[4 * k + 2]);
    y1 = Math.max(y1, box[4 * k + 3]);
  }
  if (x1 < 0) return { d: "", segments: 0, edges: 0, cells: null };
  // the box's mask, padded by one empty cell on every side: no bounds checks at its border
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const mask = new Uint8Array((bw + 2) * (bh + 2));
  for (let iy = y0; iy <= y1; iy++) {
    const row = (iy - y0 + 1) * (bw + 2) + 1;
    for (let ix = x0; ix <= x1; ix++) mask[row + ix - x0] = onLabel[cellLabel[iy * nx + ix]];
  }
  const cells = { mask, x0, y0, w: bw, h: bh };
  const { segments, edges } = eachRun(mask, bw, bh);
  let d = null;
  return {
    get d() {
      if (d === null) d = runsPath(cells, gx, gy);
      return d;
    },
    segments,
    edges,
    cells,
  };
}

/**
 * Every run of the boundary of a padded box mask (outlinePath's cells: w x h cells, one empty
 * cell around), in box coordinates: `visit(true, j, i0, i1)` for horizontal grid line j (between
 * rows j - 1 and j) from column line i0 to i1, then `visit(false, i, j0, j1)` for vertical grid
 * line i (between columns i - 1 and i), each line in order. Returns how many runs (segments)
 * and unit edges there are; without `visit` only counts them (a painted outline needs no more).
 */
function eachRun(mask, w, h, visit = null) {
  const px = w + 2;
  let segments = 0;
  let edges = 0;
  for (let j = 0; j <= h; j++) {
    let start = -1;
    const below = j * px + 1;
    const above = below + px;
    for (let i = 0; i <= w; i++) {
      const edge = i < w && mask[below + i] !== mask[above + i];
      if (edge && start < 0) start = i;
      else if (!edge && start >= 0) {
        segments++;
        edges += i - start;
        if (visit) visit(true, j, start, i);
        start = -1;
      }
    }
  }
  for (let i = 0; i <= w; i++) {
    let start = -1;
    for (let j = 0; j <= h; j++) {
      const at = (j + 1) * px + i;
      const edge = j < h && mask[at] !== mask[at + 1];
      if (edge && start < 0) start = j;
      else if (!edge && start >= 0) {
        segments++;
        edges += j - start;
        if (visit) visit(false, i, start, j);
        start = -1;
      }
    }
  }
  return { segments, edges };
}

/** The path data of `cells`' runs (eachRun), grid line i (j) at gx(x0 + i) (gy(y0 + j)). */
function runsPath({ mask, x0, y0, w, h }, gx, gy) {
  // the grid lines' pixel positions as text, once: a noisy map's outline has tens of
  // thousands of segments, all of them between these few hundred numbers
  // (and with their comma: "12.5," for a column line, ",40.0" for a row line)
  const xs = new Array(w + 2);
  const xc = new Array(w + 2);
  for (let i = 0; i <= w + 1; i++) xc[i] = (xs[i] = fixed1(gx(x0 + i))) + ",";
  const ys = new Array(h + 2);
  const cy = new Array(h + 2);
  for (let j = 0; j <= h + 1; j++) cy[j] = "," + (ys[j] = fixed1(gy(y0 + j)));
  const parts = [];
  eachRun(mask, w, h, (horizontal, line, start, end) => {
    if (horizontal) parts.push("M" + xs[start] + cy[line] + "L" + xs[end] + cy[line]);
    else parts.push("M" + xc[line] + ys[start] + "L" + xc[line] + ys[end]);
  });
  return parts.join("");
}

/** One byte per distinct label: is the basin it belongs to at this threshold selected? */
export function selectedLabels(distinct, repOf, selected) {
  const on = new Uint8Array(distinct.length);
  if (selected.size) for (let k = 0; k < distinct.length; k++) on[k] = selected.has(repOf(distinct[k])) ? 1 : 0;
  return on;
}

const minimumIndexes = new WeakMap(); // distinct labels -> {topo, idx}: each one's minimum index

/**
 * selectedLabels(distinct, (b) => topo.rep(b, t), selected) on typed arrays: each label's
 * index among topo's minima is kept with the labels, the selection becomes one byte per
 * minimum, and a label is selected when its representative's byte is set (a Map and a Set
 * lookup per label cost a noisy map's 4,547 labels ~6 ms a threshold move). A label that is
 * not a minimum stands for itself.
 */
export function selectedLabelsAt(topo, t, distinct, selected) {
  const on = new Uint8Array(distinct.length);
  if (!selected.size) return on;
  let known = minimumIndexes.get(distinct);
  if (!known || known.topo !== topo) {
    const idx = new Int32Array(distinct.length);
    for (let k = 0; k < distinct.length; k++) idx[k] = topo.index.get(distinct[k]) ?? -1;
    minimumIndexes.set(distinct, (known = { topo, idx }));
  }
  const chosen = new Uint8Array(topo.minima.length);
  const others = new Set();
  for (const b of selected) {
    const i = topo.index.get(b);
    if (i === undefined) others.add(b);
    else chosen[i] = 1;
  }
  const { repIdx } = topo.simplified(t);
  const { idx } = known;
  for (let k = 0; k < distinct.length; k++) {
    const i = idx[k];
    on[k] = i >= 0 ? chosen[repIdx[i]] : others.has(distinct[k]) ? 1 : 0;
  }
  return on;
}

/** Do two byte arrays hold the same bytes? Four at a time where both start on a word (a move
 *  compares 20,000-label masks with the outlines kept, in code not yet compiled: ~2 ms a move
 *  byte by byte). */
export function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && a.buffer && b.buffer) {
    const words = a.length >> 2;
    const wa = new Int32Array(a.buffer, a.byteOffset, words);
    const wb = new Int32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (wa[i] !== wb[i]) return false;
    i = words << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The last few outlines of a view's selection, each under what its path depends on: the
 *  drawn size (`key`), the slice (by identity) and the labels selected (`on`, by content). */
export class OutlineMemo {
  constructor(size = 4) {
    this.size = size;
    this.entries = [];
  }

  /** The outline kept for (key, slice, on) (it becomes the most recent), else `make()`'s
   *  ({d, segments, edges, ...}), given key, slice and on, kept and forgetting the least
   *  recent. The outline object itself is kept: its `d` may be made when first read. */
  outline(key, slice, on, make) {
    const k = this.entries.findIndex((e) => e.key === key && e.slice === slice && sameBytes(e.on, on));
    const entry = k >= 0 ? this.entries.splice(k, 1)[0] : Object.assign(make(), { key, slice, on });
    this.entries.unshift(entry);
    if (this.entries.length > this.size) this.entries.pop();
    return entry;
  }
}

const labelIndexes = new WeakMap(); // labels array -> {distinct, cellLabel, boxes}

/** The distinct labels of a label grid and each cell's index into them (once per grid). */
export function labelIndex(labels) {
  let entry = labelIndexes.get(labels);
  if (!entry) {
    const at = new Map();
    const cellLabel = new Int32Array(labels.length);
    for (let k = 0; k < labels.length; k++) {
      let j = at.get(labels[k]);
      if (j === undefined) at.set(labels[k], (j = at.size));
      cellLabel[k] = j;
    }
    entry = { distinct: Array.from(at.keys()), cellLabel, boxes: null };
    if (typeof labels === "object" && labels !== null) labelIndexes.set(labels, entry);
  }
  return entry;
}

/** Each distinct label's bounding box of cells on a grid of `nx` cells a row: [ix0, ix1, iy0,
 *  iy1] per label of labelIndex, in one Int32Array (kept with the index). */
export function labelBoxes(labels, nx) {
  const entry = labelIndex(labels);
  if (entry.boxes && entry.boxes.nx === nx) return entry.boxes.box;
  const { distinct, cellLabel } = entry;
  const box = new Int32Array(4 * distinct.length);
  for (let j = 0; j < distinct.length; j++) box.set([0x7fffffff, -1, 0x7fffffff, -1], 4 * j);
  for (let k = 0; k < cellLabel.length; k++) {
    const j = 4 * cellLabel[k];
    const ix = k % nx;
    const iy = (k - ix) / nx;
    if (ix < box[j]) box[j] = ix;
    if (ix > box[j + 1]) box[j + 1] = ix;
    if (iy < box[j + 2]) box[j + 2] = iy;
    if (iy > box[j + 3]) box[j + 3] = iy;
  }
  entry.boxes = { nx, box };
  return box;
}
