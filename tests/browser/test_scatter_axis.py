"""MetricScatterView's y axis: the axis label sits beside its tick labels, never over them,
whatever their width (small losses print as "3.50e-4"), and inside the view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets import LandscapeCollection

from .conftest import open_export

pytestmark = pytest.mark.browser

BOXES_JS = """() => {
  const axis = [...document.querySelectorAll('.lw-scatter svg g.lw-axis')]
    .find((g) => g.querySelector('text.lw-label[transform*="rotate"]'));
  const label = axis.querySelector('text.lw-label').getBoundingClientRect();
  const ticks = [...axis.querySelectorAll('text:not(.lw-label)')]
    .map((t) => t.getBoundingClientRect());
  const svg = document.querySelector('.lw-scatter svg').getBoundingClientRect();
  const box = (r) => [r.left, r.top, r.right, r.bottom];
  return { label: box(label), ticks: ticks.map(box), svg: box(svg) };
}"""


@pytest.mark.parametrize("scale", [0.00123, 1.0, 12345.0])
def test_y_label_beside_its_tick_labels(page: Any, tmp_path: Path, scale: float) -> None:
    rng = np.random.default_rng(0)
    bowl = np.add.outer(np.linspace(-1, 1, 21) ** 2, np.linspace(-1, 1, 21) ** 2)
    coll = LandscapeCollection()
    for seed in range(6):
        land = lw.Landscape.from_array(scale * (bowl + 0.3 * rng.random(bowl.shape)))
        coll.add({"seed": seed}, land, scalars={"test_error": float(rng.random())})
    view = lw.MetricScatterView(coll, x="test_error", y="center_loss")
    open_export(page, view, tmp_path / "scatter.html")
    got = page.evaluate(BOXES_JS)
    label = got["label"]
    assert len(got["ticks"]) >= 3
    widest_left = min(t[0] for t in got["ticks"])
    assert label[2] <= widest_left, (label, got["ticks"])  # left of every tick label
    assert label[0] >= got["svg"][0]  # not cut off by the view's edge
