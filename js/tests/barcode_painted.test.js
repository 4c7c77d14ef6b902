// The barcode's painted tier: past SVG_BARS bars the less persistent ones are painted into one
// bitmap and picked in JS. Picking must equal what a browser hits on the same bars drawn as
// SVG rects in drawing order (checked against a brute-force scan), and the split must keep the
// most persistent bars as elements and state every bar's basin in drawing order.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import barcode from "../src/barcode_view.js";
import { SVG_BARS, barRect, pickBar } from "../src/lib/bar_rows.js";
import { mountSetup as setup } from "./mount_setup.js";
import { chainTopology } from "./chain_topology.js";

let s = 11;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);

describe("pickBar", () => {
  for (const rowH of [0.2, 0.34, 0.9, 1.4, 6]) {
    it(`equals the last rect in drawing order that holds the point (rows ${rowH} px)`, () => {
      const first = 37;
      const rects = Array.from({ length: 300 }, (_, k) => {
        const x0 = 200 * rnd();
        const x1 = x0 + (rnd() < 0.2 ? 0.5 : 60 * rnd());
        return { basin: 1000 + k, row: first + k, ...barRect(x0, x1, first + k, rowH) };
      });
      const top = rects[0].y - 2;
      const bottom = rects[rects.length - 1].y + 3;
      let hits = 0;
      for (let k = 0; k < 3000; k++) {
        const x = 270 * rnd() - 5;
        const y = top + (bottom - top) * rnd();
        let want = null;
        for (const r of rects) if (x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height) want = r.basin;
        if (want != null) hits++;
        expect(pickBar(rects, rowH, x, y)).toBe(want);
      }
      expect(hits).toBeGreaterThan(150); // the scan hits bars, not only empty space
    });
  }
  it("nothing to pick: no rects", () => {
    expect(pickBar([], 1, 3, 3)).toBe(null);
  });
});

// a 2-D context that records the painted rects and the copies onto live canvases (jsdom has no
// canvas); PNGs encoded are counted (none while the view is on screen)
const painted = [];
const copies = [];
let encoded = 0;
const saved = {};
beforeAll(() => {
  const proto = window.HTMLCanvasElement.prototype;
  saved.getContext = proto.getContext;
  saved.toDataURL = proto.toDataURL;
  proto.getContext = function getContext() {
    const canvas = this;
    let dx = 0;
    return {
      canvas, fillStyle: "",
      scale() {},
      translate(x) { dx += x; },
      fillRect(x, y, width, height) { painted.push({ x: x + dx, y, width, height, fill: this.fillStyle, canvas }); },
      clearRect() {},
      drawImage(from) { copies.push({ to: canvas, from }); },
    };
  };
  proto.toDataURL = () => {
    encoded++;
    return "data:image/png;base64,iVBORw0KGgo=";
  };
});
afterAll(() => {
  const proto = window.HTMLCanvasElement.prototype;
  proto.getContext = saved.getContext;
  proto.toDataURL = saved.toDataURL;
});
beforeEach(() => {
  document.body.replaceChildren();
  painted.length = 0;
  copies.length = 0;
  encoded = 0;
});


describe("BarcodeView's painted tier", () => {
  const n = 3000;
  const data = { topology: chainTopology(n, 5) };

  it(`keeps the ${SVG_BARS} most persistent bars as elements and paints the rest in order`, async () => {
    const { el, sel, view, host } = setup(data);
    await barcode.render({ model: view, el, host });
    const order = el.querySelector("g.lw-bars").getAttribute("data-order").split(" ").map(Number);
    const agg = Number(el.querySelector("[data-aggregate]").getAttribute("data-aggregate"));
    expect(order.length + agg).toBe(n);
    expect(order.length).toBeGreaterThan(SVG_BARS + 100);
    // drawing order is persistence order: the most persistent first
    const topo = data.topology;
    const ids = Array.from(new Int32Array(topo.minima.buffer.buffer));
    const pers = Array.from(new Float64Array(topo.persistence.buffer.buffer));
    const p = new Map(ids.map((b, i) => [b, pers[i]]));
    for (let k = 1; k < order.length; k++) expect(p.get(order[k - 1])).toBeGreaterThanOrEqual(p.get(order[k]));
    const elements = [...el.querySelectorAll("rect.lw-bar[data-basin]")].map((r) => Number(r.getAttribute("data-basin")));
    expect(elements).toEqual(order.slice(0, SVG_BARS));
    // the painted bars: a live canvas (a foreignObject holding one HTML canvas), no PNG
    expect(el.querySelector("image.lw-bar-raster")).toBe(null);
    const image = el.querySelector("foreignObject.lw-bar-raster");
    expect(Number(image.getAttribute("data-painted"))).toBe(order.length - SVG_BARS);
    expect(image.children.length).toBe(1);
    const shown = image.firstElementChild;
    expect([shown.localName, shown.namespaceURI]).toEqual(["canvas", "http://www.w3.org/1999/xhtml"]);
    expect([shown.style.width, shown.style.height]).toEqual([`${image.getAttribute("width")}px`, `${image.getAttribute("height")}px`]);
    // it shows the canvas the bars were painted on (copied, once), never encoded
    expect(copies).toEqual([{ to: shown, from: painted[0].canvas }]);
    expect([shown.width, shown.height]).toEqual([painted[0].canvas.width, painted[0].canvas.height]);
    expect(encoded).toBe(0);
    // the layer is under the elements (first in the bars' group), one fillRect per painted bar
    expect(image.parentNode.firstElementChild).toBe(image);
    expect(painted.length).toBe(order.length - SVG_BARS);
    expect(new Set(painted.map((r) => r.fill))).toEqual(new Set(["#4a6fa5"]));
    // a selected painted bar is drawn on top as an element exactly where it is painted
    const b = order[SVG_BARS + 17];
    sel.set("basins", [b]);
    const lit = el.querySelectorAll(`rect.lw-lod-overlay[data-basin="${b}"][aria-selected="true"]`);
    expect(lit.length).toBe(1);
    const at = ["x", "y", "width", "height"].map((a) => Number(lit[0].getAttribute(a)));
    const r = painted[17];
    expect(at).toEqual([r.x - 2, r.y, r.width, r.height]); // (the bitmap starts 2 px left of the plot)
    expect(lit[0].parentNode.lastElementChild).toBe(lit[0]);
    // a selection redraw keeps the live canvas as it is: the same element, not copied again
    expect(el.querySelector("foreignObject.lw-bar-raster")).toBe(image);
    expect(image.firstElementChild).toBe(shown);
    expect(copies.length).toBe(1);
    sel.set("basins", []);
    expect(el.querySelectorAll(`[data-basin="${b}"]`).length).toBe(0);
    // an element bar selected: no overlay
    sel.set("basins", [order[3]]);
    expect(el.querySelectorAll(".lw-lod-overlay").length).toBe(0);
  });

  it(`draws every bar as an element at ${SVG_BARS} bars or fewer`, async () => {
    const { el, view, host } = setup({ topology: chainTopology(SVG_BARS, 9) });
    await barcode.render({ model: view, el, host });
    expect(el.querySelectorAll("rect.lw-bar[data-basin]").length).toBe(SVG_BARS);
    expect(el.querySelector("image.lw-bar-raster, foreignObject.lw-bar-raster")).toBe(null);
    expect(painted.length).toBe(0);
  });
});
