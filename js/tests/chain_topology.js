// A merge-tree fixture shared by the level-of-detail tests (moved from lod.test.js, which
// re-exports it).
import { w } from "./fixtures.js";

// A 1-D landscape with n minima (vertices 2j) and n - 1 saddles between them (2j + 1), its
// merge tree by the elder rule (a plain union-find sweep over the saddles).
export function chainTopology(n, seed = 1) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const minVal = Array.from({ length: n }, () => rnd());
  const sadVal = Array.from({ length: n - 1 }, () => 1 + rnd());
  const root = Array.from({ length: n }, (_, j) => j); // union-find over minima; root = oldest
  const find = (j) => (root[j] === j ? j : (root[j] = find(root[j])));
  const pers = new Array(n).fill(Infinity);
  const parent = new Array(n).fill(-1);
  const death = new Array(n).fill(-1);
  const order = [...sadVal.keys()].sort((a, b) => sadVal[a] - sadVal[b]);
  for (const q of order) {
    const a = find(q);
    const b = find(q + 1);
    const [old, young] = minVal[a] < minVal[b] ? [a, b] : [b, a];
    pers[young] = sadVal[q] - minVal[young];
    parent[young] = 2 * old;
    death[young] = 2 * q + 1;
    root[young] = old;
  }
  const byValue = [...minVal.keys()].sort((a, b) => minVal[a] - minVal[b]);
  const saddles = [...sadVal.keys()].sort((a, b) => sadVal[a] - sadVal[b]);
  return {
    shape: [2 * n - 1],
    axes: [w(Array.from({ length: 2 * n - 1 }, (_, k) => k))],
    value_min: 0,
    value_max: 2,
    minima: w(byValue.map((j) => 2 * j), "int32"),
    minimum_value: w(byValue.map((j) => minVal[j]), "float64"),
    persistence: w(byValue.map((j) => pers[j]), "float64"),
    parent_minimum: w(byValue.map((j) => parent[j]), "int32"),
    death_saddle: w(byValue.map((j) => death[j]), "int32"),
    basin_size: w(byValue.map((j) => (j < n - 1 ? 2 : 1)), "int32"),
    saddles: w(saddles.map((q) => 2 * q + 1), "int32"),
    saddle_value: w(saddles.map((q) => sadVal[q]), "float64"),
    levels: [],
    barcode: null,
    // basin j holds its minimum (2j) and the saddle at its right (2j + 1), in 4 bands of 0.5
    n_nonfinite: 0,
    value_sum: w(byValue.map((j) => minVal[j] + (j < n - 1 ? sadVal[j] : 0)), "float64"),
    bands: { linear: bandsOf(byValue, minVal, sadVal), log: bandsOf(byValue, minVal, sadVal) },
  };
}

function bandsOf(byValue, minVal, sadVal) {
  const n = minVal.length;
  const offsets = [0];
  const band = [];
  const count = [];
  const of = (v) => Math.min(3, Math.floor(v / 0.5));
  for (const j of byValue) {
    const bs = [of(minVal[j])];
    if (j < n - 1) bs.push(of(sadVal[j]));
    for (const b of bs) { band.push(b); count.push(1); }
    offsets.push(band.length);
  }
  return { edges: w([0, 0.5, 1, 1.5, 2], "float64"), offsets: w(offsets, "int32"), band: w(band, "uint8"), count: w(count, "int32") };
}
