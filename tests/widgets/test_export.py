"""Standalone HTML export: standard embed state, everything inlined, nothing fetched."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from landscape_widgets.widgets import Explorer, SpectrumView, to_html
from landscape_widgets.widgets._base import load_bundle


def _scripts(text: str, kind: str) -> list[str]:
    return re.findall(rf'<script type="{re.escape(kind)}">\n(.*?)\n</script>', text, re.S)


def test_explorer_export_is_self_contained(wells: Any, tmp_path: Path) -> None:
    land, tree = wells
    ex = Explorer(land, tree=tree)
    path = ex.to_html(tmp_path / "ex.html", title="Four <wells>")
    text = path.read_text()
    assert "<title>Four &lt;wells&gt;</title>" in text
    state = json.loads(_scripts(text, "application/vnd.jupyter.widget-state+json")[0])["state"]
    view = json.loads(_scripts(text, "application/vnd.jupyter.widget-view+json")[0])
    assert view["model_id"] == ex.model_id
    # the explorer, its five views, the one shared selection and the one shared topology
    shared = {ex.model_id, ex.selection.model_id, ex.topology.model_id}
    ids = shared | {v.model_id for v in ex.views}
    assert ids <= set(state)
    for v in ex.views:
        entry = state[v.model_id]
        assert entry["state"]["_esm"] == load_bundle(v._bundle)  # drop_defaults=False kept it
        assert entry["state"]["selection"] == f"IPY_MODEL_{ex.selection.model_id}"
        assert entry["state"]["topology"] == f"IPY_MODEL_{ex.topology.model_id}"
    assert state[ex.contour.model_id]["buffers"], "arrays travel as binary buffers"
    assert state[ex.topology.model_id]["buffers"], "the topology travels as binary buffers"
    # the tree travels once: no view carries its own copy of the minima
    minima = [b for e in state.values() for b in e.get("buffers", [])
              if b["path"][-1:] == ["buffer"] and "minima" in b["path"]]
    assert len(minima) == 1
    assert "cdn" not in text.lower() and "unpkg" not in text and "https://" not in text
    assert len(_scripts(text, "module")) == 1


def test_to_html_rejects_non_widgets(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="displayable widget"):
        to_html(object(), tmp_path / "x.html")  # type: ignore[arg-type]
    import ipywidgets

    with pytest.raises(TypeError, match="renders anywidget views"):
        to_html(ipywidgets.HBox([SpectrumView([1.0])]), tmp_path / "x.html")
    assert SpectrumView([1.0]).to_html(tmp_path / "s.html").exists()


def test_missing_bundle_has_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match="npm run build"):
        load_bundle("no_such_view")
