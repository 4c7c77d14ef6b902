// Painted layers as live canvases (lib/bitmap.js liveCanvas): a foreignObject holding one HTML
// canvas into which the painted canvas is copied, kept by the keyed reuse of a redraw (the
// same foreignObject and canvas where the size is unchanged, repainted in place), and turned
// into a PNG <image> only in an exported copy (lib/export.js standaloneSvg). jsdom has no
// canvas: a 2-D context that records copies and a toDataURL that names its canvas.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BitmapMemo, PaintMemo, liveCanvas, releaseCanvas } from "../src/lib/bitmap.js";
import { beginReuse, endReuse, svg } from "../src/lib/dom.js";
import { standaloneSvg } from "../src/lib/export.js";

const copies = [];
const saved = {};
beforeAll(() => {
  const proto = window.HTMLCanvasElement.prototype;
  saved.getContext = proto.getContext;
  saved.toDataURL = proto.toDataURL;
  proto.getContext = function getContext() {
    const canvas = this;
    // where the canvas was when its context was made: in the page, that costs a style pass
    const connected = canvas.isConnected;
    return { canvas, connected, clearRect() {}, drawImage(from) { copies.push({ to: canvas, from }); } };
  };
  proto.toDataURL = function toDataURL() {
    return `data:image/png;base64,${this.getAttribute("data-name") || "QUFB"}`;
  };
});
afterAll(() => {
  const proto = window.HTMLCanvasElement.prototype;
  proto.getContext = saved.getContext;
  proto.toDataURL = saved.toDataURL;
});
beforeEach(() => {
  document.body.replaceChildren();
  copies.length = 0;
});

function painted(w, h, name) {
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  c.setAttribute("data-name", name);
  return c;
}

function drawing(source, attrs = {}, count = 7) {
  // (a view draws every time between beginReuse and endReuse, the first time too)
  const root = svg("svg", { width: 300, height: 200 });
  document.body.appendChild(root);
  const node = redraw(root, source, attrs, count);
  return { root, g: root.firstElementChild, node };
}

function redraw(root, source, attrs = {}, count = 7) {
  beginReuse(root);
  const g = svg("g", { class: "plot" }, root);
  const node = liveCanvas(g, { class: "lw-bar-raster", x: -2, y: 0, width: 204, height: 100, ...attrs }, source,
    { "data-painted": String(count) });
  svg("rect", { class: "lw-bar", x: 1, y: 1, width: 5, height: 5 }, g);
  endReuse();
  return node;
}

describe("liveCanvas", () => {
  it("is a foreignObject holding one HTML canvas of its CSS size, the painted canvas copied in", () => {
    const source = painted(408, 200, "one");
    const { g, node } = drawing(source);
    expect(node.localName).toBe("foreignObject");
    expect(node.namespaceURI).toBe("http://www.w3.org/2000/svg");
    expect(node.parentNode).toBe(g);
    expect(["class", "x", "y", "width", "height", "data-painted"].map((a) => node.getAttribute(a)))
      .toEqual(["lw-bar-raster", "-2", "0", "204", "100", "7"]);
    expect(node.childNodes.length).toBe(1);
    const canvas = node.firstChild;
    expect([canvas.localName, canvas.namespaceURI]).toEqual(["canvas", "http://www.w3.org/1999/xhtml"]);
    expect([canvas.style.width, canvas.style.height, canvas.style.display]).toEqual(["204px", "100px", "block"]);
    expect([canvas.width, canvas.height]).toEqual([408, 200]); // the backing store: the source's
    expect(copies).toEqual([{ to: canvas, from: source }]);
  });

  it("paints a new canvas before it joins the page (a context made in the page forces a style pass)", () => {
    const contexts = [];
    const proto = window.HTMLCanvasElement.prototype;
    const fake = proto.getContext;
    proto.getContext = function getContext() {
      const g = fake.call(this);
      contexts.push(g.connected);
      return g;
    };
    try {
      // in a drawing, and on its own in a drawn view (the contour's painted outline)
      drawing(painted(408, 200, "one"));
      const root = svg("svg", { width: 300, height: 200 });
      document.body.appendChild(root);
      const node = liveCanvas(root, { class: "lw-outline-raster", x: 0, y: 0, width: 20, height: 10 }, painted(40, 20, "two"));
      expect(node.isConnected).toBe(true);
      expect(node.firstChild.isConnected).toBe(true);
      expect(contexts).toEqual([false, false]);
    } finally {
      proto.getContext = fake;
    }
  });

  it("a redraw of the same size keeps the foreignObject and its canvas, and paints the new bitmap into it", () => {
    const first = painted(408, 200, "one");
    const { root, node } = drawing(first);
    const canvas = node.firstChild;
    // the same bitmap: nothing copied again
    expect(redraw(root, first)).toBe(node);
    expect(copies.length).toBe(1);
    // another bitmap and count: same elements, the new pixels copied in, data-painted updated
    const second = painted(408, 200, "two");
    expect(redraw(root, second, {}, 9)).toBe(node);
    expect(node.firstChild).toBe(canvas);
    expect(node.childNodes.length).toBe(1);
    expect(node.isConnected).toBe(true);
    expect(node.getAttribute("data-painted")).toBe("9");
    expect(copies).toEqual([{ to: canvas, from: first }, { to: canvas, from: second }]);
    // another size: a new live canvas in its place
    const wide = painted(508, 200, "three");
    const other = redraw(root, wide, { width: 254 });
    expect(other).not.toBe(node);
    expect(root.querySelectorAll("foreignObject").length).toBe(1);
    expect([other.firstChild.width, other.firstChild.style.width]).toEqual([508, "254px"]);
  });
});

describe("standaloneSvg", () => {
  it("turns each live canvas into a PNG image of its pixels with its attributes, the page untouched", () => {
    const { root, node } = drawing(painted(408, 200, "one"));
    node.firstChild.setAttribute("data-name", "TElWRQ");
    const copy = standaloneSvg(root);
    expect(copy.querySelectorAll("foreignObject, canvas").length).toBe(0);
    const images = copy.querySelectorAll("image");
    expect(images.length).toBe(1);
    const image = images[0];
    expect(image.getAttribute("href")).toBe("data:image/png;base64,TElWRQ");
    expect(["class", "x", "y", "width", "height", "data-painted", "preserveAspectRatio"].map((a) => image.getAttribute(a)))
      .toEqual(["lw-bar-raster", "-2", "0", "204", "100", "7", "none"]);
    // in the live canvas's place: under the bar drawn after it
    expect(image.nextElementSibling.getAttribute("class")).toBe("lw-bar");
    // the page keeps its live canvas
    expect(root.querySelector("foreignObject.lw-bar-raster")).toBe(node);
    expect(node.firstChild.localName).toBe("canvas");
  });

  it("leaves out a foreignObject without a canvas", () => {
    const root = svg("svg", { width: 10, height: 10 });
    svg("foreignObject", { class: "x", width: 10, height: 10 }, root);
    document.body.appendChild(root);
    expect(standaloneSvg(root).querySelectorAll("foreignObject, image").length).toBe(0);
  });
});

describe("memos of painted canvases", () => {
  it("PaintMemo keeps the most recent, releasing the forgotten", () => {
    const gone = [];
    const memo = new PaintMemo(2, (v) => gone.push(v));
    const a = {};
    const b = {};
    memo.set(a, "A");
    memo.set(b, "B");
    expect(memo.get(a)).toBe("A"); // now the most recent
    memo.set("c", "C"); // forgets b
    expect(gone).toEqual(["B"]);
    expect(memo.get(b)).toBe(undefined);
    expect([memo.get(a), memo.get("c")]).toEqual(["A", "C"]);
    memo.set("c", null); // replaced: the old value released, a null kept
    expect(gone).toEqual(["B", "C"]);
    expect(memo.get("c")).toBe(null);
  });

  it("BitmapMemo releases a forgotten canvas's pixels", () => {
    const memo = new BitmapMemo(1, releaseCanvas);
    const one = painted(40, 20, "one");
    memo.set("k", [1], one);
    memo.set("k", [2], painted(40, 20, "two"));
    expect([one.width, one.height]).toEqual([0, 0]);
    expect(memo.get("k", [1])).toBe(null);
  });
});
