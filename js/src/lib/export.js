// Figure export: the SVG a view shows, as a standalone SVG file (styles inlined, so it looks the
// same outside the page) or as a PNG rendered from that SVG at PNG_SCALE x the on-screen size.
// A painted layer, a live canvas on screen (lib/bitmap.js liveCanvas), becomes a PNG <image>
// in the exported copy: encoded here, at export time only.
import { html, setAttr, svg } from "./dom.js";

/** PNG pixels per CSS pixel (print-quality figures). */
export const PNG_SCALE = 2;

// presentation properties that the stylesheet sets: copied from the computed style of every node
const PROPS = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-linejoin", "opacity", "font-size", "font-family", "font-weight", "font-style", "text-anchor",
  "dominant-baseline", "visibility", "display"];

/**
 * A standalone copy of `svgEl`: xmlns set, explicit size, a background rect, every node's
 * computed presentation style inlined (classes and CSS variables mean nothing outside the page),
 * and each live canvas (a <foreignObject> holding a <canvas>) an <image> of its PNG.
 */
export function standaloneSvg(svgEl, background = "#fff") {
  const copy = svgEl.cloneNode(true);
  const src = [svgEl, ...svgEl.querySelectorAll("*")];
  const dst = [copy, ...copy.querySelectorAll("*")];
  const view = svgEl.ownerDocument.defaultView;
  for (let i = 0; i < src.length && i < dst.length; i++) {
    const cs = view && view.getComputedStyle ? view.getComputedStyle(src[i]) : null;
    if (!cs) continue;
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) dst[i].style.setProperty(p, v);
    }
  }
  // (after the styles: src and dst are matched by position)
  for (let i = 0; i < src.length && i < dst.length; i++) {
    if (src[i].localName === "foreignObject") canvasAsImage(src[i], dst[i]);
  }
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  const w = Number(svgEl.getAttribute("width"));
  const h = Number(svgEl.getAttribute("height"));
  copy.setAttribute("viewBox", `0 0 ${w} ${h}`);
  copy.style.setProperty("overflow", "hidden");
  const bg = svgEl.ownerDocument.createElementNS("http://www.w3.org/2000/svg", "rect");
  bg.setAttribute("width", String(w));
  bg.setAttribute("height", String(h));
  bg.setAttribute("fill", background);
  copy.insertBefore(bg, copy.firstChild);
  for (const n of copy.querySelectorAll(".lw-brush")) n.remove();
  return copy;
}

/** Replace `copy` (the exported copy of the live canvas `live`, a <foreignObject>) by an
 *  <image> of the canvas's pixels as a PNG, with the foreignObject's attributes (class, place,
 *  size, data-painted...) and inlined style; a foreignObject without a canvas is removed (the
 *  views put nothing else in one). */
function canvasAsImage(live, copy) {
  const canvas = live.querySelector("canvas");
  let url = null;
  try {
    url = canvas ? canvas.toDataURL("image/png") : null;
  } catch {
    url = null;
  }
  if (!url || !url.startsWith("data:image/png")) {
    copy.remove();
    return;
  }
  const image = svg("image", { preserveAspectRatio: "none", href: url });
  for (const a of copy.attributes) if (!image.hasAttribute(a.name)) setAttr(image, a.name, a.value);
  copy.replaceWith(image);
}

/** The SVG file text of a view's drawing. */
export function svgText(svgEl, background) {
  const text = new XMLSerializer().serializeToString(standaloneSvg(svgEl, background));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${text}`;
}

/** Resolve to a PNG Blob of the drawing at `scale` x its size. */
export function pngBlob(svgEl, scale = PNG_SCALE, background) {
  const w = Number(svgEl.getAttribute("width"));
  const h = Number(svgEl.getAttribute("height"));
  const url = URL.createObjectURL(new Blob([svgText(svgEl, background)], { type: "image/svg+xml" }));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      const g = canvas.getContext("2d");
      g.scale(scale, scale);
      g.drawImage(img, 0, 0, w, h);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("landscape_widgets: PNG export failed"))), "image/png");
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("landscape_widgets: PNG export: the SVG did not load"));
    };
    img.src = url;
  });
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = html("a", { download: filename }, document.body);
  a.href = url; // a blob: URL made here, not data
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "SVG" and "PNG" buttons (data-export="svg" / "png") that download `getSvg()`'s drawing. */
export function exportButtons(parent, getSvg, name) {
  const box = html("span", { class: "lw-export", role: "group", "aria-label": "export figure" }, parent);
  const bg = () => getComputedStyle(parent.closest(".lw-view") || parent).getPropertyValue("--lw-bg").trim() || "#fff";
  const svgButton = html("button", { type: "button", "data-export": "svg", text: "SVG", title: "download this figure as SVG" }, box);
  svgButton.addEventListener("click", () => {
    download(new Blob([svgText(getSvg(), bg())], { type: "image/svg+xml" }), `${name}.svg`);
  });
  const pngButton = html("button", { type: "button", "data-export": "png", text: "PNG", title: `download this figure as PNG (${PNG_SCALE}x)` }, box);
  pngButton.addEventListener("click", async () => {
    download(await pngBlob(getSvg(), PNG_SCALE, bg()), `${name}.png`);
  });
  return box;
}
