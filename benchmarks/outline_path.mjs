// Micro-benchmark of the contour's selection outline (js/src/lib/contour_grid.js outlinePath),
// driven by benchmarks/outline_path.py: node outline_path.mjs MODULE DATA.json REPEATS.
// Times outlinePath as the contour view calls it (the labels' index kept, the selected labels
// given), best and median of REPEATS, then the same followed by reading its `d`; prints JSON.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";

const [modulePath, dataPath, repeatsArg] = process.argv.slice(2);
const { outlinePath, labelIndex, selectedLabels } = await import(pathToFileURL(modulePath).href);
const data = JSON.parse(readFileSync(dataPath, "utf8"));
const repeats = Number(repeatsArg || 30);
const labels = Int32Array.from(data.labels);
const rep = new Map(data.reps.map(([a, b]) => [a, b]));
const repOf = (lab) => rep.get(lab) ?? lab;
const gx = (i) => 40 + (i * 600) / data.nx; // a 600 x 600 plot
const gy = (j) => 640 - (j * 600) / data.ny;
const timeIt = (f) => {
  const t = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { best: t[0], median: t[t.length >> 1] };
};
const out = [];
for (const c of data.cases) {
  const selected = new Set(c.selected);
  const on = selectedLabels(labelIndex(labels).distinct, repOf, selected);
  const call = () => outlinePath(labels, data.nx, data.ny, repOf, selected, gx, gy, on);
  for (let k = 0; k < 5; k++) call().d; // warm the JIT (and the labels' index and boxes)
  const r = call();
  out.push({
    name: c.name, segments: r.segments, edges: r.edges,
    d_sha1: createHash("sha1").update(r.d).digest("hex").slice(0, 12), d_chars: r.d.length,
    outline: timeIt(call), outline_and_d: timeIt(() => call().d.length),
  });
}
console.log(JSON.stringify(out));
