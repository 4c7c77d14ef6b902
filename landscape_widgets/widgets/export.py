"""Standalone HTML export: the widgets' embed state plus a small offline runtime.

The state is the standard ipywidgets embed state (``ipywidgets.embed.embed_data`` with
``drop_defaults=False``, so every view's ``_esm`` bundle is inside the file). Instead of the
``@jupyter-widgets/html-manager`` loader from a CDN, the file carries ``static/runtime.js``
(a few kB): it creates the models with anywidget's model API, imports each view's embedded ES
module and renders it. Nothing is fetched at view time, so the file works offline; brushing and
the persistence slider work because linking lives in the browser.

Example:
    >>> import landscape_widgets as lw
    >>> view = lw.SpectrumView([3.0, 1.0])
    >>> path = view.to_html("/tmp/spectrum.html")  # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ipywidgets import Widget
from ipywidgets.embed import dependency_state, embed_data, escape_script

from ..io.atomic import write_text_atomic
from ._base import load_bundle

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>body {{ margin: 12px; font-family: system-ui, sans-serif; }}</style>
</head>
<body>
<h3 style="margin:4px 0 8px">{title}</h3>
<script type="application/vnd.jupyter.widget-state+json">
{state}
</script>
<script type="application/vnd.jupyter.widget-view+json">
{view}
</script>
<script type="module">
{runtime}
</script>
</body>
</html>
"""


def embed_state(widget: Widget) -> dict[str, Any]:
    """``{"manager_state": ..., "view_specs": [...]}`` of ``widget`` and everything it refers
    to (the shared selection, child views), with defaults kept."""
    state = dependency_state([widget], drop_defaults=False)
    return embed_data(views=[widget], drop_defaults=False, state=state)


def to_html(widget: Widget, path: str | Path, title: str | None = None) -> Path:
    """Write ``widget`` as one self-contained HTML file and return its path.

    Raises:
        TypeError: if ``widget`` is not an anywidget view (e.g. an ipywidgets HBox).
    """
    if not isinstance(widget, Widget) or not hasattr(widget, "get_view_spec"):
        raise TypeError(f"to_html: expected a displayable widget, got {type(widget).__name__}")
    if not getattr(widget, "_esm", None):
        raise TypeError(
            f"to_html: the offline runtime renders anywidget views (a view or an Explorer), "
            f"not {type(widget).__name__}; put linked views in an Explorer instead of a box"
        )
    data = embed_state(widget)
    text = TEMPLATE.format(
        title=html.escape(title or f"landscape_widgets: {type(widget).__name__}"),
        state=escape_script(json.dumps(data["manager_state"])),
        view=escape_script(json.dumps(data["view_specs"][0])),
        runtime=escape_script(load_bundle("runtime")),
    )
    path = Path(path)
    write_text_atomic(path, text)  # an interrupted export leaves the previous page whole
    return path
