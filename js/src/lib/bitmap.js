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
