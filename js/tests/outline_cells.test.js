// The painted selection of a dense map (lib/outline_paint.js cellPixels): one pixel per cell of
// the selection's padded box, the selected cells tinted and those on the boundary opaque,
// against the grid's own labels cell by cell (and outlineEdges for the boundary), y up or down.
import { describe, expect, it } from "vitest";
import { outlineEdges, outlinePath } from "../src/lib/contour_grid.js";
import { OUTLINE_SVG_SEGMENTS, cellPixels } from "../src/lib/outline_paint.js";

let s = 3;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);

describe("cellPixels", () => {
  // a noisy label grid: 60 x 40 cells of 6 labels
  const nx = 60;
  const ny = 40;
  const labels = Int32Array.from({ length: nx * ny }, () => Math.floor(rnd() * 6));
  const selected = new Set([1, 4]);

  for (const flip of [false, true]) {
    it(`marks exactly the selected cells, the boundary ones opaque (flip ${flip})`, () => {
      const out = outlinePath(labels, nx, ny, (b) => b, selected, (i) => 2 * i, (j) => 2 * j);
      expect(out.segments).toBeGreaterThan(100);
      const { x0, y0, w, h } = out.cells;
      const px = cellPixels(out.cells, "#e6007e", flip);
      const pw = w + 2;
      const ph = h + 2;
      expect(px.length).toBe(4 * pw * ph);
      // the cells on the boundary: those with an outline edge (outlineEdges, unit edges)
      const boundary = new Set();
      for (const [ix0, iy0, ix1, iy1] of outlineEdges(labels, nx, ny, (b) => b, selected)) {
        // an edge between two cells: the selected one of the two is on the boundary
        const cellsOf = ix0 === ix1 ? [[ix0 - 1, iy0], [ix0, iy0]] : [[ix0, iy0 - 1], [ix0, iy0]];
        for (const [ix, iy] of cellsOf) {
          if (ix >= 0 && iy >= 0 && ix < nx && iy < ny && selected.has(labels[iy * nx + ix])) boundary.add(iy * nx + ix);
        }
      }
      let marked = 0;
      for (let row = 0; row < ph; row++) {
        for (let col = 0; col < pw; col++) {
          const ix = x0 - 1 + col;
          const iy = y0 - 1 + (flip ? ph - 1 - row : row);
          const inGrid = ix >= 0 && iy >= 0 && ix < nx && iy < ny;
          const on = inGrid && selected.has(labels[iy * nx + ix]);
          const a = px[4 * (row * pw + col) + 3];
          if (!on) expect(a).toBe(0);
          else {
            marked++;
            expect([px[4 * (row * pw + col)], px[4 * (row * pw + col) + 1], px[4 * (row * pw + col) + 2]]).toEqual([230, 0, 126]);
            if (boundary.has(iy * nx + ix)) expect(a).toBe(255);
            else expect(a > 0 && a < 255).toBe(true);
          }
        }
      }
      expect(marked).toBe([...labels].filter((l) => selected.has(l)).length);
    });
  }

  it("is used past a long outline only", () => {
    expect(OUTLINE_SVG_SEGMENTS).toBeGreaterThanOrEqual(1000);
  });
});
