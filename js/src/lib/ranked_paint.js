// The persistence diagram's painted layer at any threshold, from checkpoints. A threshold shows
// a prefix of one ranking that is fixed for a topology (the pairs by persistence, largest first:
// a pair is hidden iff its persistence is below the threshold), so the layer at count m is the
// layer at any smaller count with the next items painted *under* it ("destination-over": the
// more persistent pair stays on top). The layer is painted in bands of a fixed size, and the
// canvas at each band's end is kept: a first visit of a threshold copies the nearest kept canvas
// below it and paints less than one band, where painting every pair again cost 25-45 ms at
// 4,547 basins (benchmarks/README.md, "Views at scale"). A cold drawing and one continued from a
// checkpoint run the same operations in the same order, so their pixels are the same.
import { PaintMemo, bitmapContext, paintedCanvas, releaseCanvas } from "./bitmap.js";
import { stampCircles } from "./sprites.js";

/** Fewest items in a band, most checkpoints per layer, and most pixels they hold together
 *  (4 M: 16 MB; the Explorer's diagram at 2x holds ~0.33 M a canvas, so 12 checkpoints). */
export const BAND_MIN = 256;
export const MAX_CHECKPOINTS = 16;
export const MAX_LAYER_PIXELS = 4e6;

/** The items painted between two checkpoints for a ranking of `total` items, on canvases of
 *  `pixels` device pixels each (at most MAX_LAYER_PIXELS in all the checkpoints). */
export function bandSize(total, pixels = 0) {
  const count = Math.max(1, Math.min(MAX_CHECKPOINTS, Math.floor(MAX_LAYER_PIXELS / Math.max(1, pixels))));
  return Math.max(BAND_MIN, Math.ceil(total / count));
}

/** Colour of an aggregated (hidden) pair's dot. */
export const DOT_FILL = "rgba(110,110,110,.55)";
export const DOT_R = 1.5;

/**
 * Paint items [from, to) of `items` ([{x, y, p}] in rank order, CSS px) under what `g` holds:
 * the first `nCircles` items of the ranking are circles (sprites like .lw-point: `radius(p)`,
 * `fill`, a white rim), the rest grey dots, one path per call. In destination-over each item
 * goes under the ones before it, so the ranking's first stays on top.
 */
export function paintUnder(g, items, from, to, { nCircles, radius, fill }) {
  g.save();
  g.globalCompositeOperation = "destination-over";
  const circles = [];
  for (let j = from; j < Math.min(to, nCircles); j++) circles.push({ x: items[j].x, y: items[j].y, r: radius(items[j].p) });
  if (circles.length) stampCircles(g, circles, { fill, stroke: "#fff", lineWidth: 0.8, under: true });
  const first = Math.max(from, nCircles);
  if (to > first) {
    g.fillStyle = DOT_FILL;
    g.beginPath();
    for (let j = first; j < to; j++) {
      g.moveTo(items[j].x + DOT_R, items[j].y);
      g.arc(items[j].x, items[j].y, DOT_R, 0, 2 * Math.PI);
    }
    g.fill();
  }
  g.restore();
}

/** A copy of `canvas` (same pixels, same size), or null without a canvas. */
function copyCanvas(canvas) {
  const copy = document.createElement("canvas");
  copy.width = canvas.width;
  copy.height = canvas.height;
  const g = copy.getContext("2d");
  if (!g) return null;
  g.drawImage(canvas, 0, 0);
  return copy;
}

/**
 * One layer's checkpoints and last few drawings, for one ranking (compared by identity) at one
 * size, scale and axis. `paint(items, m)` returns the canvas of the first `m` items.
 */
export class RankedLayer {
  constructor({ ranking, total, width, height, scale, pad, nCircles, radius, fill }) {
    Object.assign(this, { ranking, width, height, scale, pad, nCircles, radius, fill });
    this.band = bandSize(total, Math.ceil(width * scale) * Math.ceil(height * scale));
    this.checkpoints = []; // [k]: the canvas of the first (k + 1) * band items
    this.drawings = new PaintMemo(4, releaseCanvas); // m -> canvas, the last few drawn
  }

  /** The canvas of the first `m` items of `items` (the current drawing's, in rank order; at
   *  least m of them), or null where no canvas can be drawn on. */
  paint(items, m) {
    const kept = this.drawings.get(m);
    if (kept) return kept;
    const g = bitmapContext(this.width, this.height, this.scale);
    if (!g || typeof g.arc !== "function") return null;
    const full = Math.floor(m / this.band);
    const start = Math.min(full, this.checkpoints.length);
    if (start > 0) {
      g.save();
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.drawImage(this.checkpoints[start - 1], 0, 0);
      g.restore();
    }
    g.translate(this.pad, this.pad);
    const style = { nCircles: this.nCircles, radius: this.radius, fill: this.fill };
    let keep = true; // checkpoints stay contiguous: none past one that could not be copied
    for (let k = start; k < full; k++) {
      paintUnder(g, items, k * this.band, (k + 1) * this.band, style);
      const copy = keep ? copyCanvas(g.canvas) : null;
      if (copy) this.checkpoints[k] = copy;
      else keep = false;
    }
    paintUnder(g, items, full * this.band, m, style);
    const canvas = paintedCanvas(g);
    this.drawings.set(m, canvas);
    return canvas;
  }

  /** Free every canvas this layer holds. */
  release() {
    for (const c of this.checkpoints) releaseCanvas(c);
    this.checkpoints = [];
    this.drawings = new PaintMemo(4, releaseCanvas);
  }
}

const layers = new WeakMap(); // owner (a view's ctx) -> [RankedLayer], most recent first

/** The RankedLayer of `owner` for `spec` (RankedLayer's fields plus `key`: what else the
 *  positions depend on, e.g. the axis): kept while the ranking and key stay, the last two per
 *  owner (a linear/log toggle back finds its checkpoints); an older one is released. */
export function rankedLayer(owner, spec) {
  let list = layers.get(owner);
  if (!list) layers.set(owner, (list = []));
  const same = (l) => l.ranking === spec.ranking && l.key === spec.key;
  let layer = list.find(same);
  if (layer) {
    list.splice(list.indexOf(layer), 1);
  } else {
    layer = new RankedLayer(spec);
    layer.key = spec.key;
  }
  list.unshift(layer);
  while (list.length > 2) list.pop().release();
  return layer;
}
