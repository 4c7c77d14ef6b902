// Merge-tree layout and barcode rows at any threshold, in the browser: the twins of
// landscape_widgets/layout/tree_layout.py (merge_tree_layout) and barcode.py (barcode_rows) on
// tree.simplify(t). Fields are Python's TreeLayout / BarcodeRows fields.
import { buildForest, clamp, cmp, inorder } from "./forest.js";

const sweep = (v) => (Number.isNaN(v) ? Infinity : v);

/** Layout of the merge tree of `topo` simplified at threshold t. */
export function mergeTreeLayout(topo, t) {
  const forest = buildForest(topo, t);
  const k = forest.size;
  // saddles of the simplified tree: death saddles of kept minima, in sweep (value, id) order
  const s = topo.saddles.length;
  const used = new Uint8Array(s);
  for (let i = 0; i < topo.minima.length; i++) {
    if (forest.keptMinima[i] && topo.deathSaddle[i] >= 0) used[topo.saddleIndex.get(topo.deathSaddle[i])] = 1;
  }
  const simpleRank = new Int32Array(s);
  for (let q = 0, n = 0; q < s; q++) {
    simpleRank[q] = n;
    n += used[q];
  }
  let nKept = 0;
  const keptPosition = new Int32Array(topo.minima.length);
  for (let i = 0; i < topo.minima.length; i++) if (forest.keptMinima[i]) keptPosition[i] = nKept++;
  // kept saddles: where a forest branch dies, in the tree's saddle order
  const saddleOfChild = new Map();
  const keptSaddles = new Uint8Array(s);
  for (let b = 0; b < k; b++) {
    if (forest.parent[b] < 0) continue;
    const q = topo.saddleIndex.get(forest.deathSaddle[b]);
    keptSaddles[q] = 1;
    saddleOfChild.set(b, q);
  }
  const saddleNode = new Int32Array(s).fill(-1);
  const nodeVertex = [...forest.ids];
  const nodeIndex = forest.index.map((i) => keptPosition[i]);
  for (let q = 0; q < s; q++) {
    if (!keptSaddles[q]) continue;
    saddleNode[q] = nodeVertex.length;
    nodeVertex.push(topo.saddles[q]);
    nodeIndex.push(nKept + simpleRank[q]);
  }
  const n = nodeVertex.length;
  const branch = new Int32Array(n);
  const deathNode = new Int32Array(k).fill(-1);
  for (let b = 0; b < k; b++) branch[b] = b;
  for (const [b, q] of saddleOfChild) {
    branch[saddleNode[q]] = forest.parent[b]; // every branch dying at a saddle shares a parent
    deathNode[b] = saddleNode[q];
  }
  // along each branch: its minimum, then its saddles upward; the last leads to its death
  const byBranch = [...Array(n).keys()].sort((a, b) => branch[a] - branch[b] || a - b);
  const nodeParent = new Int32Array(n);
  for (let e = 0; e < n; e++) {
    const node = byBranch[e];
    const last = e === n - 1 || branch[byBranch[e + 1]] !== branch[node];
    nodeParent[node] = last ? deathNode[branch[node]] : byBranch[e + 1];
  }
  const values = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    values[v] = v < k ? forest.birth[v] : sweep(topo.saddleValue[topo.saddleIndex.get(nodeVertex[v])]);
  }
  const nodeY = values.map((v) => clamp(forest, v));
  const { position } = inorder(forest);
  const nodeX = new Float64Array(n);
  for (let b = 0; b < k; b++) nodeX[b] = (position[b] + 0.5) / k;
  centreSaddles(nodeX, nodeParent, nodeVertex, values, k);

  const offsets = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) offsets[v + 1] = offsets[v] + (nodeParent[v] < 0 ? 2 : 3);
  const px = new Float64Array(offsets[n]);
  const py = new Float64Array(offsets[n]);
  for (let v = 0; v < n; v++) {
    const p = nodeParent[v];
    const o = offsets[v];
    const ty = p < 0 ? forest.yMax : nodeY[p];
    px[o] = nodeX[v]; py[o] = nodeY[v]; // start at the child
    px[o + 1] = nodeX[v]; py[o + 1] = ty; // up to the parent's height
    if (p >= 0) {
      px[o + 2] = nodeX[p]; py[o + 2] = ty; // across to the parent
    }
  }
  const basin = Int32Array.from(branch, (b) => forest.ids[b]);
  return {
    node_x: nodeX,
    node_y: nodeY,
    node_vertex: Int32Array.from(nodeVertex),
    node_index: Int32Array.from(nodeIndex),
    node_is_minimum: Uint8Array.from({ length: n }, (_, v) => (v < k ? 1 : 0)),
    node_basin: basin,
    node_parent: nodeParent,
    edge_source: Int32Array.from({ length: n }, (_, v) => v),
    edge_target: nodeParent,
    edge_basin: basin,
    edge_path_offsets: offsets,
    edge_path_x: px,
    edge_path_y: py,
    y_min: forest.yMin,
    y_max: forest.yMax,
  };
}

/** Each saddle midway between its leftmost and rightmost child (children come first in the
 * sweep, so one pass in (value, id) order sees every child before its parent). */
function centreSaddles(nodeX, nodeParent, nodeVertex, values, nMinima) {
  const n = nodeX.length;
  const lo = new Float64Array(n).fill(Infinity);
  const hi = new Float64Array(n).fill(-Infinity);
  const order = [...Array(n).keys()].sort((a, b) => cmp(values[a], values[b]) || nodeVertex[a] - nodeVertex[b]);
  for (const v of order) {
    if (v >= nMinima) nodeX[v] = (lo[v] + hi[v]) / 2;
    const p = nodeParent[v];
    if (p >= 0) {
      lo[p] = Math.min(lo[p], nodeX[v]);
      hi[p] = Math.max(hi[p], nodeX[v]);
    }
  }
}

/** Barcode rows of `topo` simplified at threshold t (longest first; ties by minimum order). */
export function barcodeRows(topo, t = 0) {
  const forest = buildForest(topo, t);
  const k = forest.size;
  const persistence = new Float64Array(k);
  for (let b = 0; b < k; b++) {
    persistence[b] = Number.isFinite(forest.death[b]) ? forest.death[b] - forest.birth[b] : Infinity;
  }
  const order = [...Array(k).keys()].sort((a, b) => cmp(persistence[b], persistence[a]) || a - b);
  const pick = (f) => Float64Array.from(order, f);
  return {
    birth: pick((b) => clamp(forest, forest.birth[b])),
    death: pick((b) => (Number.isFinite(forest.death[b]) ? clamp(forest, forest.death[b]) : forest.yMax)),
    persistence: pick((b) => persistence[b]),
    essential: Uint8Array.from(order, (b) => (Number.isFinite(forest.death[b]) ? 0 : 1)),
    basin: Int32Array.from(order, (b) => forest.ids[b]),
    saddle: Int32Array.from(order, (b) => (Number.isFinite(forest.death[b]) ? forest.deathSaddle[b] : -1)),
    row: Int32Array.from(order, (_, r) => r),
    y_min: forest.yMin,
    y_max: forest.yMax,
  };
}
