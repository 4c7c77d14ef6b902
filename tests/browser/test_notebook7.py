"""A real Jupyter Notebook 7 on 127.0.0.1: brushing in the browser reaches Python, and Python's
selection reaches the DOM (issue 4: the widgets work in Notebook 7 as well as JupyterLab 4)."""

from __future__ import annotations

import importlib.util
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .conftest import _unavailable, write_notebook

pytestmark = pytest.mark.browser

CELLS = [
    "import landscape_widgets as lw\n"
    "explorer = lw.Explorer(lw.examples.four_wells(resolution=41))\n"
    "MINIMA = [int(m) for m in explorer.tree.minima]\n"
    "explorer",
    "print('selection', explorer.selection.basins)",
]


@pytest.fixture(scope="module")
def nb7(
    browser: Any, jupyter_server: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Notebook 7 serving a temp dir with one notebook that displays an Explorer; yields its URL.

    ``browser`` first: without Chromium this fails (CI) or skips before a server starts."""
    if importlib.util.find_spec("notebook") is None:
        _unavailable('Jupyter Notebook 7 is not installed (pip install "notebook>=7,<8")')
    root = tmp_path_factory.mktemp("nb7")
    write_notebook(root / "explorer.ipynb", CELLS)
    with jupyter_server(
        "notebook", root, ["--JupyterNotebookApp.expose_app_in_browser=True"]
    ) as srv:
        yield f"{srv['base']}/notebooks/explorer.ipynb?token={srv['token']}"


# Notebook 7's own shortcuts plugin races the settings registry on load, with or without our
# widgets (jupyter/notebook#7862); any other page error fails the test.
UPSTREAM_ERRORS = ("Cannot read properties of undefined (reading 'schema')",)


def _selected(page: Any, view: str) -> set[int]:
    return set(page.eval_on_selector_all(
        f'.lw-{view} [aria-selected="true"]', "ns => ns.map(n => +n.dataset.basin)"
    ))


def _printed_selection(page: Any) -> str:
    """Re-run the notebook's second cell (the one that prints the selection); its output."""
    page.evaluate("""() => {
      const panel = window.jupyterapp.shell.currentWidget;
      panel.content.activeCellIndex = 1;
      return window.jupyterapp.commands.execute('notebook:run-cell');
    }""")
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"
        " === 'idle'"
    )
    out = page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea-output").first
    return out.inner_text().strip()


def test_brushing_reaches_python_and_back_in_notebook7(
    page: Any, nb7: str, kernel_js: str
) -> None:
    page.set_default_timeout(60_000)
    page.goto(nb7)
    # Notebook 7's own shell (not JupyterLab's) with the notebook open and its kernel idle
    page.wait_for_selector("#main-panel, .jp-NotebookPanel")
    assert page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook"
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel; return k && k.status === 'idle'; }"
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector('.lw-explorer-root[data-ready="true"]', timeout=90_000)
    minima = json.loads(page.evaluate(kernel_js, ["print(__import__('json').dumps(MINIMA))"]))
    assert len(minima) == 4
    target = minima[2]

    # browser -> Python: a real click on a bar
    page.click(f'.lw-barcode rect.lw-bar[data-basin="{target}"]')
    assert _selected(page, "profile") == {target}
    assert _selected(page, "tree") == {target}
    deadline = time.time() + 20
    while (seen := _printed_selection(page)) != f"selection [{target}]":
        assert time.time() < deadline, f"selection never reached Python: {seen!r}"
        time.sleep(0.2)

    # Python -> browser
    other = minima[1]
    assert page.evaluate(kernel_js, [f"explorer.selection.basins = [{other}]"]) == ""
    page.wait_for_selector(f'.lw-tree [data-basin="{other}"][aria-selected="true"]')
    assert _selected(page, "profile") == {other}
    assert _selected(page, "barcode") == {other}
    assert _selected(page, "tree") == {other}
    assert _printed_selection(page) == f"selection [{other}]"
    errors = [e for e in page.errors if e not in UPSTREAM_ERRORS]
    assert not errors, errors
