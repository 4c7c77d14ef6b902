"""Reproducible screenshots of the views (issue 15): the profile focused on the sub-basins of a
deep funnel, and the Explorer in JupyterLab's dark theme colours.

    python scripts/screenshot_views.py     # -> docs/profile_focused.png, docs/explorer_dark.png

The landscape is analytic: one deep funnel (depth 6) and nine shallow dips on a ring around it
(persistence 0.007 to 0.23), like the profile of the demo's PINN, where the funnel fills the
panel. Chromium is Debian's, driven by Playwright (see scripts/screenshot.py).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from screenshot import ARGS, CHROMIUM, landscape, shrink  # noqa: E402

RING = [(1.6 * np.cos(a), 1.6 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 11)[:-1]]
DEPTHS = [0.40, 0.34, 0.29, 0.25, 0.21, 0.18, 0.15, 0.12, 0.10, 0.08]

# JupyterLab's dark theme variables (the ones the views read), set on the page as Lab does
DARK = """:root { --jp-layout-color0: #111111; --jp-layout-color1: #212121;
  --jp-ui-font-color1: rgba(255,255,255,.87); --jp-ui-font-color2: rgba(255,255,255,.6);
  --jp-border-color1: #616161; --jp-content-link-color: #90caf9; }
body { background: #111111; color: rgba(255,255,255,.87); }"""


def funnel(p: np.ndarray) -> np.ndarray:
    """One deep funnel at the origin and shallow dips on a ring (tests/browser uses the same)."""
    r2 = (p**2).sum(1)
    f = 0.03 * r2 - 6.0 * np.exp(-r2 / 0.4)
    for (cx, cy), d in zip(RING, DEPTHS, strict=True):
        f = f - d * np.exp(-((p[:, 0] - cx) ** 2 + (p[:, 1] - cy) ** 2) / 0.05)
    return f


def main() -> int:
    from playwright.sync_api import sync_playwright

    import landscape_widgets as lw

    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 970, "height": 900}, device_scale_factor=1.5)
        land = lw.Landscape.from_function(funnel, dims=2, resolution=101, extent=2.4)
        ex = lw.Explorer(land, views=["profile", "contour"])
        html = Path(tmp) / "funnel.html"
        ex.to_html(html, title="A deep funnel and nine shallow basins")
        page.goto(html.as_uri())
        page.wait_for_selector("body[data-lw-rendered]")
        globe = int(ex.tree.minima[0])
        page.locator(f".lw-profile path.lw-basin[data-basin='{globe}']").first.dblclick(
            position={"x": 3, "y": 3}, force=True)
        page.keyboard.press("Escape")
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.mouse.move(0, 0)
        page.wait_for_timeout(200)
        out = docs / "profile_focused.png"
        page.locator(".lw-explorer-root").screenshot(path=str(out))
        shrink(out)
        print(out)

        dark = Path(tmp) / "dark.html"
        ex2 = lw.Explorer(landscape())
        ex2.selection.basins = [int(ex2.tree.minima[1])]
        ex2.to_html(dark, title="landscape_widgets in a dark theme")
        page.set_viewport_size({"width": 1400, "height": 900})
        page.goto(dark.as_uri())
        page.add_style_tag(content=DARK)
        page.wait_for_selector("body[data-lw-rendered]")
        page.wait_for_timeout(300)
        out = docs / "explorer_dark.png"
        page.screenshot(path=str(out), full_page=True)
        shrink(out)
        print(out)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
