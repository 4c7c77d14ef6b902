"""Real-browser fixtures: Debian Chromium driven by Playwright (no browser download needed).

Missing Chromium (or Playwright) fails the tests when the ``CI`` environment variable is set, and
skips them otherwise, so CI never skips them silently.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path, cells: Sequence[str]) -> None:
    """An unexecuted python3 notebook with one code cell per source string."""
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": c, "outputs": [],
             "execution_count": None}
            for c in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))


@contextmanager
def _serve_jupyter(
    app: str, root: Path, args: Sequence[str] = (), startup_s: float = 60
) -> Iterator[dict[str, Any]]:
    """``jupyter <app>`` (``lab``, ``notebook``, ...) on 127.0.0.1 serving ``root``.

    Yields ``{"base", "token", "root"}``; the server's log is ``root/<app>.log``. The repository
    is on the kernel's PYTHONPATH; Jupyter config and runtime dirs are private to ``root``.
    """
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, PYTHONPATH=f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
               JUPYTER_CONFIG_DIR=str(root / ".jupyter"), JUPYTER_RUNTIME_DIR=str(root / ".rt"))
    logfile = root / f"{app}.log"
    log = open(logfile, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", app, "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", f"--ServerApp.token={token}", "--ServerApp.password=",
         f"--ServerApp.root_dir={root}", "--ServerApp.disable_check_xsrf=True",
         "--ServerApp.open_browser=False", "--ServerApp.allow_root=True", *args],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + startup_s
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(logfile.read_text()[-3000:]) from None
                time.sleep(0.5)
        yield {"base": base, "token": token, "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def jupyter_server() -> Callable[..., Any]:
    """Factory: ``with jupyter_server("notebook", root, [extra args]) as srv: ...``."""
    return _serve_jupyter


@pytest.fixture(scope="session")
def kernel_js() -> str:
    """In-page JS for JupyterLab and Notebook 7 (``window.jupyterapp`` exposed): run ``code``
    in the current notebook's kernel, return its stdout (and any error)."""
    return KERNEL_JS


KERNEL_JS = """
async ([code]) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let out = "";
  const future = kernel.requestExecute({ code, store_history: false });
  future.onIOPub = (msg) => {
    const c = msg.content;
    if (msg.header.msg_type === "stream") out += c.text;
    if (msg.header.msg_type === "error") out += `ERROR ${c.ename}: ${c.evalue}`;
  };
  await future.done;
  return out;
}
"""


# pointer down, up and click at the centre of the `index`-th element matching `selector`;
# returns its data-basin. (Playwright's own click waits for an unobscured element, which a
# sub-pixel bar among 20,000, or a hit shape over a bitmap, is not.)
POINTER_CLICK_JS = """([selector, index]) => {
  const node = document.querySelectorAll(selector)[index];
  const box = node.getBoundingClientRect();
  const at = { bubbles: true, cancelable: true, composed: true, button: 0, pointerId: 1,
    isPrimary: true, pointerType: "mouse", clientX: box.x + box.width / 2,
    clientY: box.y + box.height / 2 };
  node.dispatchEvent(new PointerEvent("pointerdown", { ...at, buttons: 1 }));
  node.dispatchEvent(new PointerEvent("pointerup", { ...at, buttons: 0 }));
  node.dispatchEvent(new MouseEvent("click", { ...at, buttons: 0 }));
  return node.getAttribute("data-basin");
}"""


def pointer_click(page: Any, selector: str, index: int = 0) -> str | None:
    """Click the ``index``-th element matching ``selector`` with pointer events at its centre;
    returns its ``data-basin``."""
    return page.evaluate(POINTER_CLICK_JS, [selector, index])


def open_export(page: Any, widget: Any, path: Path, timeout_ms: int = 30_000) -> float:
    """Export ``widget`` with ``to_html``, open the file, wait until every view has drawn, and
    assert it rendered without errors and fetched nothing from outside the file. Returns the
    page's own render time (ms after navigation)."""
    widget.to_html(path)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-lw-rendered]", timeout=timeout_ms)
    assert page.get_attribute("body", "data-lw-error") is None
    assert not page.errors, page.errors
    outside = [u for u in requests if not u.startswith(("file:", "blob:", "data:"))]
    assert outside == [], f"the export fetched {outside}"
    return float(page.get_attribute("body", "data-lw-rendered"))
