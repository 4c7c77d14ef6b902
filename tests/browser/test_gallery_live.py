"""A live Gallery in a real JupyterLab: entries added from Python (``Gallery.add``, a sweep's
``on_entry`` callback) appear in the browser one by one with the progress line, and clicking a
profile opens its Explorer scrolled into view."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .conftest import KERNEL_JS, write_notebook

pytestmark = pytest.mark.browser

CELLS = [
    "import numpy as np\n"
    "import landscape_widgets as lw\n"
    "def wells(lr, seed):\n"
    "    f = lambda p: lw.examples.gaussian_wells(p, [(-1, -1), (1, -1), (0, 1)],\n"
    "                                             [1.0, 0.5 + 0.1 * seed, 3 * lr])\n"
    "    return lw.Landscape.from_function(f, dims=2, resolution=15)\n"
    "KEYS = [{'lr': lr, 'seed': s} for lr in (0.1, 0.3) for s in (0, 1)]\n"
    "coll = lw.LandscapeCollection()\n"
    "g = lw.Gallery(coll, rows='lr', cols='seed', metric='n_minima', expected=len(KEYS))\n"
    "g",
]


@pytest.fixture(scope="module")
def lab(
    tmp_path_factory: pytest.TempPathFactory, jupyter_server: Callable[..., Any]
) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("lab_gallery")
    write_notebook(root / "gallery.ipynb", CELLS)
    with jupyter_server(
        "lab", root, ["--LabApp.expose_app_in_browser=True", "--LabApp.news_url="]
    ) as srv:
        yield {"url": f"{srv['base']}/lab/tree/gallery.ipynb?token={srv['token']}"}


def _progress(page: Any) -> str:
    return page.inner_text(".lw-gallery .lw-progress").strip()


def test_entries_added_from_python_appear_live(page: Any, lab: dict[str, Any]) -> None:
    page.set_default_timeout(60_000)
    page.goto(lab["url"])
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"
        " === 'idle'"
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector('.lw-gallery[data-ready="true"]', timeout=90_000)
    assert _progress(page) == "0 of 4 entries"
    assert page.locator(".lw-gallery .lw-heat-cell").count() == 0
    for n in range(1, 5):
        out = page.evaluate(KERNEL_JS, [f"g.add(KEYS[{n - 1}], wells(**KEYS[{n - 1}]))"])
        assert "ERROR" not in out, out
        page.wait_for_function(
            "n => document.querySelector('.lw-gallery .lw-progress')"
            ".dataset.done === String(n)", arg=n)
        assert _progress(page) == f"{n} of 4 entries"
    # the heat map and the scatter show every entry: 2 lr x 2 seeds
    assert page.locator(".lw-gallery .lw-heat-cell:not(.lw-empty)").count() == 4
    assert page.locator(".lw-gallery .lw-scatter circle.lw-entry").count() == 4
    # select them all, open one: its Explorer opens and is scrolled into view
    page.locator(".lw-gallery button.lw-clear").scroll_into_view_if_needed()
    out = page.evaluate(KERNEL_JS, ["print(len(g.select()))"])
    assert out.strip() == "4", out
    page.wait_for_selector(".lw-gallery .lw-thumb >> nth=3")
    page.locator(".lw-gallery .lw-thumb").nth(3).click()
    page.wait_for_selector('.lw-explorer-area[data-state="open"] .lw-explorer-root'
                           '[data-ready="true"]', timeout=60_000)
    # in view: the Explorer area's top is inside the notebook's scrolled panel
    visible = page.evaluate("""() => {
        const area = document.querySelector('.lw-explorer-area');
        let p = area.parentElement;
        while (p && !(p.scrollHeight > p.clientHeight + 1 &&
                      /(auto|scroll)/.test(getComputedStyle(p).overflowY))) p = p.parentElement;
        const a = area.getBoundingClientRect();
        const v = p ? p.getBoundingClientRect() : {top: 0, bottom: innerHeight};
        return a.top < v.bottom && a.bottom > v.top;
    }""")
    assert visible
    # a replaced entry updates in place: still 4 entries
    page.evaluate(KERNEL_JS, ["g.add(KEYS[0], wells(0.2, 0))"])
    page.wait_for_function(
        "() => document.querySelectorAll('.lw-gallery .lw-scatter circle.lw-entry').length"
        " === 4")
    assert _progress(page) == "4 of 4 entries"
    assert not page.errors, page.errors
