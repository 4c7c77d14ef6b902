"""Dense layers painted into bitmaps (js/src/lib/bitmap.js) in Chromium: a profile of thousands
of basins is one PNG under its invisible hit shapes, and the persistence diagram's pairs beyond
the element budget are one PNG of dots; both images decode and carry paint, and the profile's
hit shapes still select a basin in every view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import landscape_widgets as lw

from .conftest import open_export, pointer_click

pytestmark = pytest.mark.browser

# the number of painted (non-transparent) pixels of the image under `sel`
PAINTED_JS = """async (sel) => {
  const node = document.querySelector(sel);
  const im = new Image();
  im.src = node.getAttribute("href");
  await im.decode();
  const c = document.createElement("canvas");
  c.width = im.naturalWidth;
  c.height = im.naturalHeight;
  const g = c.getContext("2d");
  g.drawImage(im, 0, 0);
  const a = g.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < a.length; i += 4) if (a[i] > 0) n += 1;
  return n;
}"""


def test_profile_and_diagram_bitmaps(page: Any, tmp_path: Path) -> None:
    land = lw.examples.noisy_landscape("noise", resolution=201)  # 4,547 basins
    open_export(page, lw.Explorer(land), tmp_path / "dense.html")
    for sel in (".lw-profile image.lw-profile-raster", "image.lw-point-aggregate"):
        href = page.get_attribute(sel, "href")
        assert href is not None and href.startswith("data:image/png;base64,"), sel
        assert page.evaluate(PAINTED_JS, sel) > 1000, sel
    # the hit shapes over the bitmap still brush: a click selects its basin in the other views
    basin = pointer_click(page, ".lw-profile [data-basin]", 3)
    for view in ("[data-view=merge-tree]", "[data-view=barcode]"):
        page.wait_for_selector(f"{view} [data-basin='{basin}'][aria-selected='true']",
                               state="attached", timeout=5_000)
