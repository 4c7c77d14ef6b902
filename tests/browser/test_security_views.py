"""Hostile strings through every view, in a real Chromium: key names and values, scalar and
metric names, provenance (loss_name, model_name, extra), axis names, value labels and page
titles that look like markup. Each view is exported with ``to_html`` (and shown live in
JupyterLab), its tooltips are hovered, and then: no dialog opened, no script set a flag, the
page asked for nothing but its own file (or its Jupyter server), the strings are shown
literally, and no element came from data (no img, script, iframe, handler attribute)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.landscape import Provenance
from landscape_widgets.trajectories import Trajectories, pca_embedding, trajectory_topology
from landscape_widgets.widgets import Explorer, MetricScatterView
from landscape_widgets.widgets.trajectory_view import TrajectoryView

from .conftest import KERNEL_JS, write_notebook

pytestmark = pytest.mark.browser

# each one either opens a dialog or sets window.__lw_pwned if it ever runs
H_IMG = "<img src=x onerror=\"window.__lw_pwned=1;alert(1)\">"
H_SCRIPT = "</text><script>window.__lw_pwned=2;alert(2)</script>"
H_ATTR = "\" onmouseover=\"window.__lw_pwned=3;alert(3)\" x=\""
H_SVG = "'><svg onload=\"window.__lw_pwned=4;alert(4)\">"
H_IFRAME = "<iframe srcdoc=\"<script>parent.__lw_pwned=5;alert(5)</script>\"></iframe>"
H_ENT = "&lt;b&gt; & <b>not bold</b>"
KEY = H_IMG  # a key name
VALUES = [H_SVG, H_IFRAME, H_ENT]  # its values
METRIC_A = H_SCRIPT  # user scalars
METRIC_B = H_ATTR
PROVENANCE = Provenance(source="array", loss_name=H_SCRIPT, model_name=H_IMG,
                        extra={H_ATTR: H_SVG, "note": H_IFRAME})

# anything a view may create; the rest (img, script, iframe, a, object...) came from data
INJECTED_JS = """() => {
  const allowed = new Set(["div", "span", "label", "select", "option", "input", "button", "b",
    "br", "style", "svg", "g", "rect", "text", "path", "circle", "line", "image", "defs",
    "clipPath", "title", "linearGradient", "stop"]);
  const out = [];
  // a painted layer's live canvas (lib/bitmap.js): a foreignObject holding one canvas, no text
  const live = (n) => n.localName === "foreignObject" && n.childNodes.length === 1
    && n.firstChild.localName === "canvas" && n.firstChild.childNodes.length === 0;
  for (const root of document.querySelectorAll(".lw-view")) {
    for (const n of [root, ...root.querySelectorAll("*")]) {
      const painted = live(n) || (n.localName === "canvas" && live(n.parentNode));
      if (!allowed.has(n.localName) && !painted) out.push(n.localName);
      for (const a of n.attributes) {
        if (a.name.toLowerCase().startsWith("on")) out.push(`${n.localName}[${a.name}]`);
      }
    }
  }
  return out;
}"""


@dataclass
class Watch:
    """What a page did: dialogs it opened, URLs it requested, console messages."""

    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


def watch(page: Any) -> Watch:
    w = Watch()

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: w.requests.append(r.url))
    page.on("console", lambda m: w.console.append(f"{m.type}: {m.text}"))
    return w


def open_hostile(page: Any, widget: Any, path: Path, title: str | None = None) -> Watch:
    """Export ``widget`` and open it, watching dialogs, requests and the console."""
    widget.to_html(path, title=title)
    w = watch(page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-lw-rendered]", timeout=30_000)
    assert page.get_attribute("body", "data-lw-error") is None
    return w


def assert_inert(page: Any, w: Watch, allowed: Callable[[str], bool]) -> None:
    """Nothing ran, nothing was fetched but ``allowed`` URLs, no element came from data."""
    page.wait_for_timeout(300)  # time for an injected onerror/onload to fire, had it existed
    assert w.dialogs == []
    assert page.evaluate("() => window.__lw_pwned") is None
    assert [u for u in w.requests if not allowed(u)] == []
    assert page.evaluate(INJECTED_JS) == []
    assert not page.errors, page.errors


def only_file(path: Path) -> Callable[[str], bool]:
    # the file itself; blob: is the runtime importing each view's embedded module, data:image
    # the contour view's own selection raster
    return lambda u: u == path.as_uri() or u.startswith(("blob:", "data:image/"))


def tooltip_lines(page: Any, scope: str) -> list[str]:
    tips = page.locator(f"{scope} .lw-tooltip >> visible=true")
    assert tips.count() == 1
    tip = tips.first
    assert tip.evaluate(
        "t => [...t.querySelectorAll('*')].every(n => ['B', 'BR'].includes(n.nodeName))")
    return tip.evaluate("t => t.innerText").split("\n")


# ------------------------------------------------------------------------------ fixtures
def bowl(i: int, seed: int) -> np.ndarray:
    g = np.linspace(-1, 1, 9)
    rng = np.random.default_rng(10 * i + seed)
    return (np.add.outer((g - 0.3 * i) ** 2, g**2) + 0.3 * np.cos(5 * g)[:, None]
            + 0.05 * rng.random((9, 9)))


@pytest.fixture(scope="module")
def hostile_collection() -> LandscapeCollection:
    """3 hostile key values x 2 seeds, hostile scalar names, hostile provenance."""
    coll = LandscapeCollection()
    for i, value in enumerate(VALUES):
        for seed in (0, 1):
            land = lw.Landscape.from_array(bowl(i, seed), provenance=PROVENANCE)
            coll.add({KEY: value, "seed": seed}, land,
                     scalars={METRIC_A: float(i + seed), METRIC_B: 0.1 * (i + 1)})
    return coll


def hostile_trajectories() -> TrajectoryView:
    rng = np.random.default_rng(0)
    rows, loss, seeds, steps, epoch = [], [], [], [], []
    for t in range(4):
        x = rng.normal(size=6) * (1 + t)
        for e in range(6):
            rows.append(x.copy())
            loss.append(float((x**2).sum()) + 1e-3)
            seeds.append(t // 2), steps.append(0.25 * (1 + t % 2)), epoch.append(e)
            x = 0.8 * x + 0.05 * rng.normal(size=6)
    traj = Trajectories(params=np.array(rows), train_loss=np.array(loss), seed=seeds,
                        step_size=steps, epoch=epoch)
    view = TrajectoryView(traj, pca_embedding(traj), trajectory_topology(traj.params,
                                                                         traj.train_loss, k=4),
                          color_by="seed")
    # a hand-edited export: strings where Python writes fixed words and numbers
    view._data = {**view._data, "value_label": H_SCRIPT, "method": H_ATTR,
                  "seeds": [H_IMG, H_SVG]}
    return view


# ------------------------------------------------------------------------------ exports
def test_gallery_export_shows_keys_metrics_and_labels_literally(
    page: Any, hostile_collection: LandscapeCollection, tmp_path: Path
) -> None:
    coll = hostile_collection
    g = lw.Gallery(coll, rows=KEY, cols="seed", metric=METRIC_A, x=METRIC_A, y=METRIC_B,
                   color=KEY, explorers="all")
    path = tmp_path / "gallery.html"
    w = open_hostile(page, g, path, title=H_SCRIPT)
    assert page.title() == H_SCRIPT
    assert page.inner_text("h3") == H_SCRIPT
    # heat map: the key name and its values are axis text; the metric menu lists the names
    heat_text = page.eval_on_selector_all(".lw-heatmap text", "ns => ns.map(n => n.textContent)")
    for s in [KEY, *VALUES]:
        assert s in heat_text
    options = page.eval_on_selector_all("select.lw-metric option",
                                        "ns => ns.map(n => [n.value, n.textContent])")
    assert [METRIC_A, METRIC_A] in options and [METRIC_B, METRIC_B] in options
    assert page.input_value("select.lw-metric") == METRIC_A
    assert METRIC_A in page.inner_text(".lw-heatmap .lw-caption")
    # hover a cell: "KEY=value, seed=0" in bold, then the metric, literally
    cells = g.cell_values()
    r = list(cells.index).index(H_IFRAME)
    page.hover(f'.lw-heatmap rect.lw-heat-cell[data-row="{r}"][data-col="0"]')
    lines = tooltip_lines(page, ".lw-gallery")
    assert lines[0] == f"{KEY}={H_IFRAME}, seed=0"
    assert lines[1] == f"mean {METRIC_A} {cells.loc[H_IFRAME, 0]:.4g}"
    assert page.inner_text(".lw-gallery > .lw-tooltip b") == f"{KEY}={H_IFRAME}, seed=0"
    # the scatter: axis labels, legend, a point's tooltip
    labels = page.eval_on_selector_all(".lw-scatter text.lw-label",
                                       "ns => ns.map(n => n.textContent)")
    assert labels == [METRIC_A, METRIC_B]
    legend = page.eval_on_selector_all(".lw-scatter .lw-legend > span",
                                       "ns => ns.map(n => n.textContent)")
    assert sorted(legend) == sorted(f"{KEY}={v}" for v in VALUES)
    entry = coll.find(**{KEY: H_ENT, "seed": 1})[0]
    page.hover(f'.lw-scatter circle.lw-entry[data-entry="{entry.id}"]')
    lines = tooltip_lines(page, ".lw-scatter")
    assert lines[0] == entry.label == f"{KEY}={H_ENT}, seed=1"
    assert f"{METRIC_A} 3" in lines and f"{METRIC_B} 0.3" in lines
    # a cell's profiles are titled by labels; a profile opens its Explorer under its label
    page.click(f'.lw-heatmap rect.lw-heat-cell[data-row="{r}"][data-col="1"]')
    shown = coll.find(**{KEY: H_IFRAME, "seed": 1})[0]
    assert page.get_attribute(".lw-thumb", "title") == shown.label
    page.click(".lw-thumb")
    page.wait_for_selector('.lw-explorer-area[data-state="open"]')
    assert page.inner_text(".lw-explorer-title") == f"Explorer: {KEY}={H_IFRAME}, seed=1"
    page.hover(".lw-explorer-area .lw-barcode rect.lw-bar >> nth=0")
    assert tooltip_lines(page, ".lw-explorer-area .lw-barcode")[0] == "Basin"
    assert_inert(page, w, only_file(path))


def test_metric_scatter_export(page: Any, hostile_collection: LandscapeCollection,
                               tmp_path: Path) -> None:
    view = MetricScatterView(hostile_collection, x=METRIC_B, y=METRIC_A, color=KEY)
    path = tmp_path / "scatter.html"
    w = open_hostile(page, view, path)
    for axis in ("x", "y", "color"):
        labels = page.eval_on_selector_all(f'.lw-scatter select[data-axis="{axis}"] option',
                                           "ns => ns.map(n => n.textContent)")
        assert {KEY, METRIC_A, METRIC_B} <= set(labels)
    assert page.eval_on_selector_all(".lw-scatter text.lw-label",
                                     "ns => ns.map(n => n.textContent)") == [METRIC_B, METRIC_A]
    page.hover(".lw-scatter circle.lw-entry >> nth=0")
    lines = tooltip_lines(page, ".lw-scatter")
    assert lines[0] in {e.label for e in hostile_collection}
    assert any(line.startswith(METRIC_A + " ") for line in lines)
    # colour by a metric: its name heads the colour range
    page.select_option('.lw-scatter select[data-axis="color"]', METRIC_B)
    assert METRIC_B in page.inner_text(".lw-scatter .lw-legend")
    assert_inert(page, w, only_file(path))


def test_explorer_export_axis_names_and_provenance(page: Any, tmp_path: Path) -> None:
    g = np.linspace(-1, 1, 7)
    values = (np.add.outer(np.add.outer(g**2, np.cos(4 * g)), 0.5 * g**2)
              + 0.01 * np.arange(g.size**3).reshape(7, 7, 7) / 343)
    land = lw.Landscape.from_array(values, provenance=PROVENANCE)
    ex = Explorer(land)
    ex.contour.axis_names = [H_SCRIPT, H_ATTR, H_IMG]
    path = tmp_path / "explorer.html"
    w = open_hostile(page, ex, path, title=H_IMG)
    assert page.title() == H_IMG
    labels = page.eval_on_selector_all(".lw-contour .lw-axis text.lw-label",
                                       "ns => ns.map(n => n.textContent)")
    assert labels == [H_SCRIPT, H_ATTR]
    menu = page.eval_on_selector_all('.lw-contour select[data-axis="0"] option',
                                     "ns => ns.map(n => n.textContent)")
    assert menu == [H_SCRIPT, H_ATTR, H_IMG]
    assert H_IMG in page.inner_text(".lw-contour .lw-controls")
    # every view's tooltip
    page.hover(".lw-contour circle.lw-min >> nth=0")
    assert tooltip_lines(page, ".lw-contour")[0] == "minimum"
    for view, target in [("profile", "path.lw-basin"), ("tree", "circle.lw-min"),
                         ("barcode", "rect.lw-bar"), ("diagram", "circle.lw-point")]:
        page.hover(f".lw-{view} {target} >> nth=-1", force=True)  # the topmost one
        assert any(line.startswith("basin ") for line in tooltip_lines(page, f".lw-{view}"))
    page.click(".lw-barcode rect.lw-bar >> nth=0")
    assert page.get_attribute(".lw-contour path.lw-outline", "d").startswith("M")
    assert_inert(page, w, only_file(path))


def test_trajectory_export(page: Any, tmp_path: Path) -> None:
    view = hostile_trajectories()
    path = tmp_path / "traj.html"
    w = open_hostile(page, view, path)
    legend = page.eval_on_selector_all(".lw-trajectory .lw-legend > span",
                                       "ns => ns.map(n => n.textContent)")
    assert legend == [f"seed {H_IMG}", f"seed {H_SVG}"]
    labels = page.eval_on_selector_all(".lw-trajectory text.lw-label",
                                       "ns => ns.map(n => n.textContent)")
    assert f"birth ({H_SCRIPT})" in labels
    page.hover(".lw-trajectory .lw-sample >> nth=-1", force=True)
    assert tooltip_lines(page, ".lw-trajectory")[0].startswith("sample ")
    page.hover(".lw-trajectory .lw-pair >> nth=-1", force=True)
    assert tooltip_lines(page, ".lw-trajectory")[0].startswith("D")
    assert_inert(page, w, only_file(path))


# ------------------------------------------------------------------------------ live
LIVE_CELLS = [
    "import numpy as np, landscape_widgets as lw\n"
    "from landscape_widgets.compare import LandscapeCollection\n"
    "from landscape_widgets.landscape import Provenance\n"
    "from landscape_widgets.widgets import Explorer\n"
    f"KEY, VALUES, A, B = {KEY!r}, {VALUES!r}, {METRIC_A!r}, {METRIC_B!r}\n"
    f"PROV = Provenance(source='array', loss_name={H_SCRIPT!r}, model_name={H_IMG!r}, "
    f"extra={{{H_ATTR!r}: {H_SVG!r}}})\n"
    "g = np.linspace(-1, 1, 9)\n"
    "coll = LandscapeCollection()\n"
    "for i, v in enumerate(VALUES):\n"
    "    for seed in (0, 1):\n"
    "        vals = np.add.outer((g - 0.3 * i) ** 2, g ** 2) + 0.3 * np.cos(5 * g)[:, None] "
    "+ 0.01 * seed * g[None, :]\n"
    "        coll.add({KEY: v, 'seed': seed}, lw.Landscape.from_array(vals, provenance=PROV),\n"
    "                 scalars={A: float(i + seed), B: 0.1 * (i + 1)})\n"
    "gal = lw.Gallery(coll, rows=KEY, cols='seed', metric=A, x=A, y=B, color=KEY)\n"
    "gal",
    "ex = Explorer(lw.Landscape.from_array(np.add.outer(g ** 2, np.cos(4 * g)), provenance=PROV))\n"
    f"ex.contour.axis_names = [{H_SCRIPT!r}, {H_ATTR!r}]\n"
    "ex",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory,
        jupyter_server: Callable[..., Any]) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("lab")
    write_notebook(root / "hostile.ipynb", LIVE_CELLS)
    with jupyter_server(
        "lab", root, ["--LabApp.expose_app_in_browser=True", "--LabApp.news_url="]
    ) as srv:
        yield {"url": f"{srv['base']}/lab/tree/hostile.ipynb?token={srv['token']}",
               "base": srv["base"]}


def test_live_jupyterlab_gallery_and_explorer(page: Any, lab: dict[str, Any]) -> None:
    """Live views in JupyterLab: hostile strings stay text, and anywidget loads every view
    through its current interface (no "Direct export of a 'render'" deprecation warning)."""
    w = watch(page)
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
    page.wait_for_selector('.lw-explorer-root[data-ready="true"]', timeout=90_000)
    page.locator(".lw-heatmap").scroll_into_view_if_needed()
    row = sorted(VALUES).index(H_IFRAME)  # string key values sort by code point, as in Python
    cell = f'.lw-heatmap rect.lw-heat-cell[data-row="{row}"][data-col="0"]'
    page.hover(cell)
    lines = tooltip_lines(page, ".lw-gallery")
    assert lines[0] == f"{KEY}={H_IFRAME}, seed=0"
    assert lines[1].startswith(f"mean {METRIC_A} ")
    # browser -> Python: the cell's entry, by its id
    page.click(cell)
    deadline = time.time() + 20
    want = json.dumps([{KEY: H_IFRAME, "seed": 0}])
    code = ("import json; print(json.dumps([dict(gal.collection[i].key) "
            "for i in gal.selection.entries]))")
    while (seen := page.evaluate(KERNEL_JS, [code]).strip()) != want:
        assert time.time() < deadline, seen
        time.sleep(0.2)
    assert page.get_attribute(".lw-thumb", "title") == f"{KEY}={H_IFRAME}, seed=0"
    page.locator(".lw-explorer-root").scroll_into_view_if_needed()
    labels = page.eval_on_selector_all(".lw-explorer-root .lw-contour text.lw-label",
                                       "ns => ns.map(n => n.textContent)")
    assert labels[:2] == [H_SCRIPT, H_ATTR]
    page.hover(".lw-explorer-root .lw-barcode rect.lw-bar >> nth=0")
    assert tooltip_lines(page, ".lw-explorer-root .lw-barcode")[0] == "Basin"
    assert_inert(page, w, lambda u: u.startswith((lab["base"], "blob:", "data:")))
    assert [m for m in w.console if "Direct export" in m or "Deprecation" in m] == []
