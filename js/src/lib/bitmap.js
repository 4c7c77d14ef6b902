// Dense layers painted once into a bitmap (its items picked in JS) and shown as a live canvas:
// an SVG <foreignObject> holding one HTML <canvas>, never encoded while the view is on screen
// (an <image> needed each new drawing encoded as a PNG, which the browser then decoded again).
// An exported figure turns each live canvas into a PNG <image> (lib/export.js). Without a
// canvas (jsdom) the context is null, and the views draw those layers as SVG instead.
import { html, setAttr, svg } from "./dom.js";

let canvasWorks = true; // jsdom has no canvas and complains on every try: try once

/** A 2-D context on a fresh canvas of `w` × `h` CSS pixels at `scale` device pixels each (already
 *  scaled, so the caller paints in CSS pixels), or null where there is no canvas. */
export function bitmapContext(w, h, scale) {
  if (!canvasWorks || typeof document === "undefined") return null;
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.ceil(w * scale));
  canvas.height = Math.max(1, Math.ceil(h * scale));
  let g = null;
  try {
    g = canvas.getContext("2d");
  } catch {
    g = null;
  }
  if (!g || typeof g.scale !== "function") {
    canvasWorks = false;
    return null;
  }
  g.scale(scale, scale);
  return g;
}

/** The canvas a layer is painted on (the context's), shown later by `liveCanvas`. */
export function paintedCanvas(g) {
  return g && g.canvas ? g.canvas : null;
}

/** The screen's pixel density for painted layers (at most 2x: a bitmap drawn at another scale
 *  is resampled on every raster of its panel). */
export function paintScale() {
  return Math.min(2, Math.max(1, (typeof window !== "undefined" && window.devicePixelRatio) || 1));
}

/**
 * Show the painted canvas `source` in the SVG at `parent`: a <foreignObject> with `attrs`
 * (class, x, y, width, height in CSS px; they key its reuse by lib/dom.js, so a repaint of the
 * same size keeps it) holding one HTML <canvas> of that CSS size whose backing store is
 * `source`'s (the screen's density), into which `source` is copied. `later`: attributes that
 * change with the content (data-painted), set on every drawing. Pointer events on the canvas
 * reach the view with `ev.target.closest(<the class>)` the foreignObject. Returns it.
 */
export function liveCanvas(parent, attrs, source, later = {}) {
  const node = svg("foreignObject", attrs, parent);
  let canvas = node.firstElementChild;
  // a new canvas is drawn before it joins the page: making the 2-D context of a canvas in the
  // page first brings the page's styles up to date, in the middle of a redraw
  const fresh = !canvas || canvas.localName !== "canvas";
  if (fresh) canvas = html("canvas", { class: "lw-live-canvas", style: { display: "block", width: `${attrs.width}px`, height: `${attrs.height}px` } });
  if (canvas.__lwSource !== source) {
    // a resize clears it, else clear it: the source's pixels replace what was shown
    if (canvas.width !== source.width || canvas.height !== source.height) {
      canvas.width = source.width;
      canvas.height = source.height;
    }
    const g = canvas.getContext("2d");
    g.clearRect(0, 0, canvas.width, canvas.height);
    g.drawImage(source, 0, 0);
    canvas.__lwSource = source;
  }
  if (fresh) node.replaceChildren(canvas);
  for (const [name, value] of Object.entries(later)) setAttr(node, name, value);
  return node;
}

let scratch = null; // a 1 x 1 canvas that flushCanvas draws into

/** Have the browser paint `canvas` now: it records a canvas's drawing and rasters it when its
 *  pixels are first read (by the live canvas that shows it, in the frame that shows it), so
 *  work done ahead (lib/idle.js) reads one pixel of it to pay for the painting there. */
export function flushCanvas(canvas) {
  if (!canvas || typeof document === "undefined" || !canvas.width) return;
  if (!scratch) {
    scratch = document.createElement("canvas");
    scratch.width = 1;
    scratch.height = 1;
  }
  const g = scratch.getContext("2d");
  if (g) g.drawImage(canvas, 0, 0, 1, 1, 0, 0, 1, 1);
}

/** Free a painted canvas's pixels (one forgotten by a memo; its copy on screen stays). */
export function releaseCanvas(canvas) {
  if (canvas && typeof canvas.width === "number") {
    canvas.width = 0;
    canvas.height = 0;
  }
}

/** Painted canvases (or what holds them) kept under a key (any value, by identity), the most
 *  recent `size`: a slider back to a drawing of a moment ago shows its canvas again without
 *  painting it; a forgotten one is handed to `release` (its pixels freed: a canvas of a plot at
 *  2x holds a few MB, where the PNG it replaced held tens of KB). */
export class PaintMemo {
  constructor(size, release = () => {}) {
    this.size = size;
    this.release = release;
    this.entries = new Map();
  }

  /** The value kept for `key` (undefined if none); a hit becomes the most recent. */
  get(key) {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Keep `value` for `key`, forgetting (and releasing) the least recent past `size`. */
  set(key, value) {
    if (this.entries.has(key)) {
      const old = this.entries.get(key);
      this.entries.delete(key);
      if (old !== value) this.release(old);
    }
    this.entries.set(key, value);
    while (this.entries.size > this.size) {
      const [first, gone] = this.entries.entries().next().value;
      this.entries.delete(first);
      this.release(gone);
    }
  }
}

/** The last few bitmaps a view painted (their canvases), each under what it depends on (a `key`
 *  string and the `ids` it draws, an integer array compared by content), most recent first: a
 *  slider move back to a threshold drawn a moment ago shows its canvas instead of painting it
 *  again. A forgotten canvas is released (releaseCanvas) when `release` is set. */
export class BitmapMemo {
  constructor(size = 4, release = null) {
    this.size = size;
    this.release = release;
    this.entries = [];
  }

  /** The bitmap kept for (key, ids), or null; a hit becomes the most recent. */
  get(key, ids) {
    const k = this.entries.findIndex((e) => e.key === key && sameInts(e.ids, ids));
    if (k < 0) return null;
    const [entry] = this.entries.splice(k, 1);
    this.entries.unshift(entry);
    return entry.bitmap;
  }

  /** Keep `bitmap` for (key, ids), forgetting the least recent past `size`. */
  set(key, ids, bitmap) {
    this.entries.unshift({ key, ids, bitmap });
    while (this.entries.length > this.size) {
      const gone = this.entries.pop();
      if (this.release) this.release(gone.bitmap);
    }
  }
}

function sameInts(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
