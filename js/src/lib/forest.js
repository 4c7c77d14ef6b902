// The drawable branch forest of the merge tree simplified at a threshold: the browser twin of
// landscape_widgets/layout/_forest.py (build_forest without max_basins, pack, inorder), so the
// profile, tree layout and barcode drawn here equal Python's on tree.simplify(t).
// Basins keep minima order (ascending value): a parent always precedes its children, so every
// "sum over ancestors" or "sum over the subtree" is one forward or backward loop.

const sweep = (v) => (Number.isNaN(v) ? Infinity : v); // NaN enters the sweep as +inf

/** Death value (sweep) of saddle vertex s. */
function saddleSweep(topo, s) {
  return sweep(topo.saddleValue[topo.saddleIndex.get(s)]);
}

/**
 * Forest of `topo` (a Topology) at threshold t: kept (surviving) minima that hold a finite
 * vertex, their parents, deaths, sibling ranks and sides; `minimumBasin[j]`: the forest basin
 * the points of original minimum j go to (-1: none).
 */
export function buildForest(topo, t) {
  const m = topo.minima.length;
  const { repIdx } = topo.simplified(t);
  const kept = new Uint8Array(m);
  for (let i = 0; i < m; i++) kept[i] = i === 0 || !(topo.persistence[i] < t) ? 1 : 0;
  const finiteOf = new Float64Array(m); // finite points of each survivor's merged branch
  for (let j = 0; j < m; j++) finiteOf[repIdx[j]] += topo.finiteCount[j];
  const birth = new Float64Array(m);
  const drawable = new Uint8Array(m);
  const fp = new Int32Array(m).fill(-1); // nearest drawable strict ancestor
  for (let i = 0; i < m; i++) {
    if (!kept[i]) continue;
    birth[i] = sweep(topo.minimumValue[i]);
    drawable[i] = Number.isFinite(birth[i]) || (birth[i] === -Infinity && finiteOf[i] > 0) ? 1 : 0;
    const pm = topo.parentMinimum[i];
    if (pm < 0) continue;
    const p = topo.index.get(pm);
    fp[i] = drawable[p] ? p : fp[p];
  }
  const index = [];
  const position = new Int32Array(m).fill(-1);
  for (let i = 0; i < m; i++) {
    if (kept[i] && drawable[i]) {
      position[i] = index.length;
      index.push(i);
    }
  }
  const k = index.length;
  const parent = new Int32Array(k);
  const death = new Float64Array(k);
  const deathSaddle = new Int32Array(k);
  const fbirth = new Float64Array(k);
  for (let b = 0; b < k; b++) {
    const i = index[b];
    parent[b] = fp[i] >= 0 ? position[fp[i]] : -1;
    const ds = topo.deathSaddle[i];
    const dies = parent[b] >= 0 && ds >= 0;
    death[b] = dies ? saddleSweep(topo, ds) : Infinity;
    deathSaddle[b] = parent[b] >= 0 ? ds : -1;
    fbirth[b] = birth[i];
  }
  // survivor -> forest basin: itself when drawable, else its nearest drawable ancestor
  const survivorBasin = new Int32Array(m).fill(-1);
  for (let i = 0; i < m; i++) {
    if (!kept[i]) continue;
    survivorBasin[i] = drawable[i] ? position[i] : fp[i] >= 0 ? position[fp[i]] : -1;
  }
  const minimumBasin = new Int32Array(m);
  for (let j = 0; j < m; j++) minimumBasin[j] = survivorBasin[repIdx[j]];

  // siblings (roots form one group) ranked by (death, saddle id, order): innermost lowest
  const order = [...Array(k).keys()].sort(
    (a, b) => parent[a] - parent[b] || cmp(death[a], death[b]) || deathSaddle[a] - deathSaddle[b] || a - b,
  );
  const rank = new Int32Array(k);
  const side = new Int8Array(k);
  for (let n = 0, start = 0; n < k; n++) {
    if (n > 0 && parent[order[n]] !== parent[order[n - 1]]) start = n;
    rank[order[n]] = n - start;
  }
  for (let b = 0; b < k; b++) side[b] = parent[b] >= 0 && rank[b] % 2 === 1 ? -1 : 1;
  const ids = new Int32Array(k);
  for (let b = 0; b < k; b++) ids[b] = topo.minima[index[b]];
  const nPoints = topo.shape.reduce((a, n) => a * n, 1);
  return {
    size: k, index, ids, parent, birth: fbirth, death, deathSaddle, rank, side, minimumBasin,
    keptMinima: kept, yMin: topo.valueMin, yMax: topo.valueMax,
    nFinite: nPoints - topo.nNonfinite, nPoints,
  };
}

/** Numeric order where equal infinities tie (a - b is NaN for inf - inf). */
export function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function clamp(forest, v) {
  return Math.min(Math.max(v, forest.yMin), forest.yMax);
}

/** Children of every basin and the roots, each list outermost first per side (left first). */
function sideGroups(forest) {
  const groups = new Map();
  for (let b = 0; b < forest.size; b++) {
    const p = forest.parent[b];
    if (!groups.has(p)) groups.set(p, []);
    groups.get(p).push(b);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => forest.side[a] - forest.side[b] || forest.rank[b] - forest.rank[a] || a - b);
  }
  return groups;
}

/**
 * Left edge of every basin when each occupies `width[b]` and children sit inside their parent
 * as [left children, outermost first][own part][right children, innermost first]; roots from 0
 * (_forest.pack).
 */
export function pack(forest, width) {
  const k = forest.size;
  const offset = new Float64Array(k);
  let rootTotal = 0;
  for (let b = 0; b < k; b++) if (forest.parent[b] < 0) rootTotal += width[b];
  for (const [p, list] of sideGroups(forest)) {
    const parentWidth = p < 0 ? rootTotal : width[p];
    let left = 0;
    let right = 0;
    for (const b of list) {
      if (forest.side[b] < 0) {
        offset[b] = left;
        left += width[b];
      } else {
        right += width[b];
        offset[b] = parentWidth - right;
      }
    }
  }
  for (let b = 0; b < k; b++) if (forest.parent[b] >= 0) offset[b] += offset[forest.parent[b]];
  return offset;
}

/** Per basin, the number of basins in its subtree (itself included). */
export function subtreeCounts(forest) {
  const counts = new Float64Array(forest.size).fill(1);
  for (let b = forest.size - 1; b >= 0; b--) {
    if (forest.parent[b] >= 0) counts[forest.parent[b]] += counts[b];
  }
  return counts;
}

/** In-order (left subtrees, the basin, right subtrees) position of every basin's minimum. */
export function inorder(forest) {
  const counts = subtreeCounts(forest);
  const start = pack(forest, counts);
  const position = new Float64Array(forest.size);
  for (let b = 0; b < forest.size; b++) position[b] = start[b];
  for (let b = 0; b < forest.size; b++) {
    const p = forest.parent[b];
    if (p >= 0 && forest.side[b] < 0) position[p] += counts[b];
  }
  return { position, start, counts };
}

/** Per basin, `own` summed over its subtree. */
export function subtreeSums(forest, own) {
  const total = Float64Array.from(own);
  for (let b = forest.size - 1; b >= 0; b--) {
    if (forest.parent[b] >= 0) total[forest.parent[b]] += total[b];
  }
  return total;
}
