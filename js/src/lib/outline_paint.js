// A selection's outline on a dense map, painted: a noisy map's selected basin has an outline
// of ~20,000 grid-line segments, and the browser rasters that SVG path (round caps, a halo
// under it) in 70–90 ms on every move that changes it, on threads that on two cores compete
// with the next move (stroking the same segments on a canvas costs as much, on the main
// thread). Where the outline is that long its cells are ~2 px, narrower than its stroke and its
// halo, and the outline covers the map: the selection is drawn in cells instead, an image with
// one pixel per grid cell (the selected cells tinted, those on the boundary opaque), scaled to
// the map without smoothing: the region selected, readable, at the cost of one image.
import { bitmapContext, liveCanvas } from "./bitmap.js";

/** Past this many segments the contour view paints its selection's outline (see above). */
export const OUTLINE_SVG_SEGMENTS = 2000;

/** [r, g, b] of a "#rrggbb" colour. */
function rgbOf(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Opacity of the selection's tint over its cells (the map's colours stay readable under it). */
const TINT_ALPHA = 150;

/**
 * The pixels (RGBA, row by row) of the selected `cells` (outlinePath's {mask, x0, y0, w, h}:
 * the box's selected cells, padded by one cell): (w + 2) × (h + 2), one per cell of the padded
 * box, row 0 at the top when `flip` (grid row y0 + h, the last, drawn at the top: y up), else
 * grid row y0 - 1: the selected cells in `colour` (an "#rrggbb"), opaque on the selection's
 * boundary (a cell with an unselected 4-neighbour), tinted inside; the rest transparent.
 * Written into `out` (an ImageData's zeroed data: no copy) when given.
 */
export function cellPixels(cells, colour, flip, out = null) {
  const { mask, w, h } = cells;
  const pw = w + 2;
  const ph = h + 2;
  const px = out || new Uint8ClampedArray(4 * pw * ph);
  // one 32-bit write per selected cell (a map's selection can hold most of its ~40,000 cells,
  // painted on the move that selects it, while the page's code is still young)
  const words = new Uint32Array(px.buffer, px.byteOffset, pw * ph);
  const edgeWord = pixelWord(colour, 255);
  const tintWord = pixelWord(colour, TINT_ALPHA);
  for (let row = 1; row + 1 < ph; row++) {
    const from = row * pw;
    const to = (flip ? ph - 1 - row : row) * pw;
    for (let col = 1; col + 1 < pw; col++) {
      const at = from + col;
      if (!mask[at]) continue;
      // (the padded border is unselected: every selected cell has its 4 neighbours in the box)
      const edge = !mask[at - 1] || !mask[at + 1] || !mask[at - pw] || !mask[at + pw];
      words[to + col] = edge ? edgeWord : tintWord;
    }
  }
  return px;
}

/** The 32-bit word whose bytes in memory are the pixel [r, g, b, alpha] of `colour`. */
function pixelWord(colour, alpha) {
  const bytes = new Uint8Array(4);
  bytes.set([...rgbOf(colour), alpha]);
  return new Uint32Array(bytes.buffer)[0];
}

/** cellPixels on a canvas of that many pixels; null without a canvas (jsdom). */
export function outlineCells(cells, colour, flip) {
  const pw = cells.w + 2;
  const ph = cells.h + 2;
  const g = bitmapContext(pw, ph, 1);
  if (!g || typeof g.createImageData !== "function") return null;
  const image = g.createImageData(pw, ph);
  cellPixels(cells, colour, flip, image.data);
  g.putImageData(image, 0, 0);
  return g.canvas;
}

/**
 * Show the painted outline `canvas` (or none: null) in `area`, right above the `outline` path
 * (under the markers drawn after it), as a live canvas covering the padded box `rect` ({x, y,
 * width, height} in CSS px): kept when it already shows that canvas; made again after a
 * redraw removed it (it is not part of the drawing code).
 */
export function showPaintedOutline(area, outline, canvas, rect, segments) {
  const old = area.querySelector(":scope > foreignObject.lw-outline-raster");
  if (!canvas) {
    if (old) old.remove();
    return null;
  }
  const live = old && old.firstElementChild;
  if (live && live.__lwSource === canvas) return old;
  if (old) old.remove();
  const node = liveCanvas(area, { class: "lw-outline-raster", ...rect, "aria-hidden": "true" },
    canvas, { "data-painted": String(segments) });
  outline.after(node);
  return node;
}
