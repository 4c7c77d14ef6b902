"""Reproducible README screenshot: a linked Explorer, exported to HTML, shot in headless Chromium.

    python scripts/screenshot.py                 # -> docs/explorer.png
    python scripts/screenshot.py --out x.png --html x.html --scale 1

The landscape is an analytic one (defined below) with six basins of different depths; the
second-deepest basin is selected before export, so every
view shows the linking. Chromium is Debian's (``/usr/bin/chromium``, or ``$LW_CHROMIUM``), driven
by Playwright with a throw-away profile; nothing is downloaded and the page fetches nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without the package installed
    sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("LW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# Six quadratic bowls of different depths and curvatures, joined by a soft minimum: broad
# basins (so the profile has body) separated by clear saddles, and a merge tree two levels deep.
CENTERS = np.array([(-1.1, -0.9), (0.9, -1.1), (-0.2, 0.3), (1.2, 0.8), (-1.3, 1.1), (0.4, 1.5)])
OFFSETS = np.array([0.0, 0.15, 0.45, 0.3, 0.6, 0.7])  # each bowl's minimum value
CURVATURES = np.array([1.0, 1.2, 1.6, 1.3, 1.8, 2.0])
SOFTNESS = 0.08


def six_bowls(p: np.ndarray) -> np.ndarray:
    """``−τ log Σᵢ exp(−(aᵢ |p − cᵢ|² + bᵢ) / τ)``: six minima, five saddles."""
    q = CURVATURES * ((p[:, None, :] - CENTERS) ** 2).sum(axis=-1) + OFFSETS
    q_min = q.min(axis=1, keepdims=True)
    soft = q_min[:, 0] - SOFTNESS * np.log(np.exp(-(q - q_min) / SOFTNESS).sum(axis=1))
    return np.round(soft, 12)  # the global minimum is 0, not 1e-32 (a tidy colour bar)


def landscape(resolution: int = 121):
    import landscape_widgets as lw

    return lw.Landscape.from_function(six_bowls, dims=2, resolution=resolution, extent=2.0)


def export(html: Path) -> list[int]:
    """Write the Explorer with the second-deepest basin selected; return the selected ids."""
    import landscape_widgets as lw

    land = landscape()
    ex = lw.Explorer(land)
    minima = [int(m) for m in ex.tree.minima]  # sorted by loss: minima[0] is the global one
    ex.selection.basins = [minima[1]]
    title = "landscape_widgets: linked explorer (six basins, the second-deepest selected)"
    ex.to_html(html, title=title)
    return ex.selection.basins


def shoot(html: Path, out: Path, scale: float, width: int) -> tuple[int, int]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        sys.exit(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": width, "height": 900}, device_scale_factor=scale,
        )
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("body[data-lw-rendered]", timeout=30_000)
        if page.get_attribute("body", "data-lw-error") or errors:
            sys.exit(f"the export failed to render: {page.get_attribute('body', 'data-lw-error')}"
                     f" {errors}")
        page.wait_for_timeout(300)  # let the contour shading image decode
        box = page.evaluate(
            """() => { const b = document.querySelector('.lw-explorer-root')
              .getBoundingClientRect(); return {w: Math.ceil(b.right), h: Math.ceil(b.bottom)}; }"""
        )
        clip = {"x": 0, "y": 0, "width": min(box["w"] + 12, width), "height": box["h"] + 12}
        page.screenshot(path=str(out), clip=clip)
        ctx.close()
    return clip["width"], clip["height"]


def shrink(path: Path) -> bool:
    """Re-save as a 256-colour palette PNG (3x smaller, no visible change on flat-colour plots);
    needs Pillow, else the plain screenshot is kept."""
    try:
        from PIL import Image
    except ImportError:
        return False
    with Image.open(path) as im:
        rgb = im.convert("RGB")
    rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "explorer.png")
    parser.add_argument("--html", type=Path, default=None, help="keep the exported HTML here")
    parser.add_argument("--scale", type=float, default=1.5, help="device pixel ratio")
    parser.add_argument("--width", type=int, default=1300, help="window width in CSS pixels")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        html = args.html or Path(tmp) / "explorer.html"
        selected = export(html)
        w, h = shoot(html, args.out, args.scale, args.width)
    shrink(args.out)
    size = args.out.stat().st_size
    print(f"{args.out} ({w}x{h} CSS px at scale {args.scale}, {size / 1024:.0f} kB); "
          f"selected basin {selected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
