"""Real-browser fixtures: Debian Chromium driven by Playwright (no browser download needed).

Missing Chromium (or Playwright) fails the tests when the ``CI`` environment variable is set, and
skips them otherwise, so CI never skips them silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("LW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run; apt-get install -y chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session (Playwright gives each launch a fresh profile)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"chromium not found at {CHROMIUM}")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    context.close()


@pytest.fixture(scope="session")
def brush_js() -> str:
    """In-page JS: brush basin ``b`` in the barcode, return ms until tree + profile show it."""
    return BRUSH_JS


# JS run in the page: click the bar of basin `b` (real pointer events through Playwright would
# include Playwright's own latency), and time until the tree and profile show it selected.
BRUSH_JS = """
async ([b]) => {
  const q = (sel) => document.querySelector(sel);
  const bar = q(`.lw-barcode rect.lw-bar[data-basin="${b}"]`);
  const svg = bar.ownerSVGElement;
  const t0 = performance.now();
  svg.dispatchEvent(new PointerEvent("pointerdown", {bubbles: true, button: 0}));
  bar.dispatchEvent(new PointerEvent("pointerup", {bubbles: true, button: 0}));
  const done = () => q(`.lw-tree [data-basin="${b}"][aria-selected="true"]`)
    && q(`.lw-profile [data-basin="${b}"][aria-selected="true"]`);
  while (!done()) {
    if (performance.now() - t0 > 5000) return -1;
    await new Promise((r) => setTimeout(r, 0));
  }
  return performance.now() - t0;
}
"""
