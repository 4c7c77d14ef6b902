"""Progress bars leave their final state, not "0%", in a notebook's saved outputs."""

from __future__ import annotations

import io
import json
import re

import pytest

from landscape_widgets._progress import progress_bar

CELL = """
from landscape_widgets._progress import progress_bar
bar = progress_bar(total=40, unit="pt", desc="sampling")
for _ in range(40):
    bar.update(1)
bar.close()
"""


def test_outside_a_notebook_it_is_plain_tqdm():
    out = io.StringIO()
    bar = progress_bar(total=5, file=out, desc="x")
    bar.update(5)
    bar.close()
    assert "5/5" in out.getvalue()


def test_a_disabled_bar_writes_nothing(capsys):
    bar = progress_bar(total=5, disable=True)
    bar.update(5)
    bar.close()
    assert capsys.readouterr() == ("", "")


def test_saved_notebook_shows_the_finished_bar(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipywidgets")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    texts = [o["data"]["text/plain"] for o in outputs if "data" in o and "text/plain" in o["data"]]
    assert texts, json.dumps(outputs)[:500]
    # what a saved notebook shows is the bar's final state; no widget left, no "0%" record
    assert not any(re.search(r"(^|\D)0%|(^|\D)0/40", t) for t in texts), texts
    assert any("100%" in t and "40/40" in t for t in texts), texts
    assert all("application/vnd.jupyter.widget-view+json" not in o.get("data", {})
               for o in outputs), outputs
