// Circles stamped from sprites: a painted layer of thousands of white-rimmed discs (the diagram's
// painted pairs, the merge tree's painted nodes) drawn one `arc; fill; stroke` at a time makes
// Chromium rasterise thousands of small paths when the layer is first shown (it defers canvas
// drawing). Each distinct disc (radius, colours, rim, density and sub-pixel phase) is rendered
// once into a cell of an atlas canvas and copied with `drawImage` at integer device pixels, in
// the same order, so the disc drawn last stays on top. The phase (the centre's position within a
// device pixel, in 16ths) keeps each stamp within 1/32 device pixel of where the arc would land.
// At 2x this paints a layer in a third to a half of the time; at 1x in about the same.

/** Sub-pixel phases per axis (the centre rounded to 1/PHASES of a device pixel). Skia's own
 *  rasterisation jumps with sub-pixel shifts (a shift of 1/100 px can move an edge pixel's alpha by
 *  100+), so the finer the phases, the fewer edge pixels differ from the arcs (js/tests and
 *  tests/browser/test_sprite_paint.py measure it). */
export const PHASES = 16;

// the atlases kept, at most this many pixels in all (16 MB; a disc of radius 4.5 at 2x: 0.14 M),
// the least recent dropped past it
const MAX_ATLAS_PIXELS = 4e6;
let atlasPixels = 0;
let generation = 0; // stampCircles' calls, counted
/** Past this radius in device px a disc is drawn as an arc (its atlas would be large). */
const MAX_SPRITE_RADIUS = 24;
const atlases = new Map(); // key -> {canvas, c, n, gen (the last paint that stamped it)}

/** The atlas of a disc of radius `r` (CSS px) filled `fill`, rimmed by `stroke` of `lineWidth`,
 *  at `scale` device pixels per CSS px: a PHASES x PHASES grid of n x n cells, the cell
 *  (fx, fy) with the centre at (c + fx / PHASES, c + fy / PHASES). One
 *  canvas per disc: creating hundreds of small canvases costs more than the arcs they save.
 *  Null where no canvas can be drawn on. */
function atlas(r, fill, stroke, lineWidth, scale) {
  const key = `${r}|${fill}|${stroke}|${lineWidth}|${scale}`;
  let a = atlases.get(key);
  if (a) {
    atlases.delete(key);
    atlases.set(key, a);
    a.gen = generation;
    return a;
  }
  const c = Math.ceil((r + lineWidth / 2) * scale) + 1;
  const n = 2 * c + 1;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = n * PHASES;
  const g = canvas.getContext("2d");
  if (!g || typeof g.arc !== "function") return null;
  g.fillStyle = fill;
  g.strokeStyle = stroke;
  g.lineWidth = lineWidth;
  // every cell at once: a cell drawn after the atlas was stamped would copy the atlas (the
  // stamps read a snapshot of it) before the painting is done
  for (let fy = 0; fy < PHASES; fy++) {
    for (let fx = 0; fx < PHASES; fx++) {
      g.setTransform(scale, 0, 0, scale, fx * n + c + fx / PHASES, fy * n + c + fy / PHASES);
      g.beginPath();
      g.arc(0, 0, r, 0, 2 * Math.PI);
      g.fill();
      if (lineWidth > 0) g.stroke();
    }
  }
  a = { canvas, c, n, gen: generation };
  atlasPixels += canvas.width * canvas.height;
  for (const [first, gone] of atlases) {
    if (atlasPixels <= MAX_ATLAS_PIXELS) break;
    if (gone.gen === generation) continue; // stamped by this paint: kept (no thrashing)
    atlases.delete(first);
    atlasPixels -= gone.canvas.width * gone.canvas.height;
    gone.canvas.width = gone.canvas.height = 0;
  }
  atlases.set(key, a);
  return a;
}

/**
 * Paint `circles` ([{x, y, r}] in the context's user space, CSS px) on `g` in their order, each
 * as `beginPath; arc(x, y, r); fill; stroke` would with `fill`, `stroke` and `lineWidth`
 * (lineWidth 0: no rim). `g`'s transform must be a scale and a translation (bitmapContext's);
 * without one (no canvas, a rotated transform) the arcs are drawn one by one. `under`: `g` paints
 * in "destination-over" (each disc goes under what is there), so an arc's rim is drawn before
 * its fill (a stamp carries both).
 */
export function stampCircles(g, circles, { fill, stroke = "#fff", lineWidth = 0, under = false }) {
  const t = typeof g.getTransform === "function" ? g.getTransform() : null;
  const plain = t && t.b === 0 && t.c === 0 && t.a > 0 && t.a === t.d && typeof document !== "undefined";
  if (!plain) {
    arcCircles(g, circles, { fill, stroke, lineWidth, under });
    return;
  }
  generation += 1;
  g.save();
  g.fillStyle = fill;
  g.strokeStyle = stroke;
  g.lineWidth = lineWidth;
  g.setTransform(1, 0, 0, 1, 0, 0);
  // the atlas of the last radius, looked up again only when the radius changes (a layer's
  // discs mostly share one: thousands of lookups of the same key otherwise)
  let lastR = NaN;
  let a = null;
  for (let k = 0; k < circles.length; k++) {
    const q = circles[k];
    if ((q.r + lineWidth / 2) * t.a > MAX_SPRITE_RADIUS) {
      g.setTransform(t);
      arcCircles(g, [q], { fill, stroke, lineWidth, under });
      g.setTransform(1, 0, 0, 1, 0, 0);
      continue;
    }
    if (q.r !== lastR) {
      a = atlas(q.r, fill, stroke, lineWidth, t.a);
      lastR = q.r;
    }
    if (!a) { // no canvas for the atlas: the rest as arcs
      g.restore();
      arcCircles(g, circles.slice(k), { fill, stroke, lineWidth, under });
      return;
    }
    // the centre's device pixel and phase (snap, without its pair of arrays per disc)
    const vx = t.a * q.x + t.e;
    const vy = t.d * q.y + t.f;
    let ix = Math.floor(vx);
    let fx = Math.round((vx - ix) * PHASES);
    if (fx === PHASES) { ix += 1; fx = 0; }
    let iy = Math.floor(vy);
    let fy = Math.round((vy - iy) * PHASES);
    if (fy === PHASES) { iy += 1; fy = 0; }
    g.drawImage(a.canvas, fx * a.n, fy * a.n, a.n, a.n, ix - a.c, iy - a.c, a.n, a.n);
  }
  g.restore();
}

/** The arcs drawn one by one (the reference stampCircles matches; its fallback). `under`: in
 *  destination-over, the rim first, then the fill under it. */
export function arcCircles(g, circles, { fill, stroke = "#fff", lineWidth = 0, under = false }) {
  g.fillStyle = fill;
  g.strokeStyle = stroke;
  g.lineWidth = lineWidth;
  for (const q of circles) {
    g.beginPath();
    g.arc(q.x, q.y, q.r, 0, 2 * Math.PI);
    if (under && lineWidth > 0) g.stroke();
    g.fill();
    if (!under && lineWidth > 0) g.stroke();
  }
}
