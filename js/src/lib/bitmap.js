// Dense layers painted once into a bitmap (an <image>, its items picked in JS): the canvas
// they are painted on and the PNG they become. Without a canvas (jsdom) both give null, and the
// views draw those layers as SVG instead.

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

/** The context's canvas as a PNG data URL, or null if the browser cannot encode it. */
export function bitmapUrl(g) {
  let url = null;
  try {
    url = g.canvas.toDataURL("image/png");
  } catch {
    url = null;
  }
  return url && url.startsWith("data:image/png") ? url : null;
}

/** The last few bitmaps a view painted, each under what it depends on (a `key` string and the
 *  `ids` it draws, an integer array compared by content), most recent first: a slider move back
 *  to a threshold drawn a moment ago reuses its PNG instead of painting and encoding it again. */
export class BitmapMemo {
  constructor(size = 4) {
    this.size = size;
    this.entries = [];
  }

  /** The URL kept for (key, ids), or null; a hit becomes the most recent. */
  get(key, ids) {
    const k = this.entries.findIndex((e) => e.key === key && sameInts(e.ids, ids));
    if (k < 0) return null;
    const [entry] = this.entries.splice(k, 1);
    this.entries.unshift(entry);
    return entry.url;
  }

  /** Keep `url` for (key, ids), forgetting the least recent past `size`. */
  set(key, ids, url) {
    this.entries.unshift({ key, ids, url });
    if (this.entries.length > this.size) this.entries.length = this.size;
  }
}

function sameInts(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
