"""The contour view of a scattered landscape in Chromium (static export): tooltips show the
samples' own coordinates, a click on the contour background names the pixel's nearest sample
(not the global minimum), and ``field=`` colours the map by another field with its own colour
bar label."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.stats import qmc

import landscape_widgets as lw
from landscape_widgets.widgets import Explorer

from .conftest import open_export

pytestmark = pytest.mark.browser


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def test_scattered_contours_show_sample_coordinates_and_nearest_vertex(
    page: Any, tmp_path: Path
) -> None:
    pts = qmc.scale(qmc.Sobol(d=2, scramble=True, seed=0).random_base2(9), [-5, -5], [5, 5])
    values = lw.examples.himmelblau(pts)
    accuracy = 1.0 / (1.0 + values)
    land = dataclasses.replace(lw.Landscape.from_points(pts, values, bounds=5.0),
                               fields={"accuracy": accuracy})
    ex = Explorer(land, "gabriel", min_persistence=2.0, field="accuracy")
    open_export(page, ex, tmp_path / "scattered_field.html")
    tree = ex.tree
    # the colour bar is the field's, labelled with its name
    assert page.get_attribute(".lw-contour g.lw-colorbar", "data-field") == "accuracy"
    assert page.text_content(".lw-contour g.lw-colorbar text.lw-label") == "accuracy"
    # a minimum's tooltip: that sample's coordinates, not "–"
    m = int(tree.minima[1])
    page.hover(f'.lw-contour circle.lw-min[data-vertex="{m}"]')
    tip = page.inner_text(".lw-contour .lw-tooltip")
    assert "at α = (–)" not in tip
    at = re.search(r"at α = \(([^)]*)\)", tip)
    assert at is not None, tip
    np.testing.assert_allclose(numbers(at.group(1)), pts[m], atol=0.01 * 10)
    # barcode tooltips too (they share the topology payload)
    page.hover(f'.lw-barcode rect.lw-bar[data-basin="{int(tree.minima[0])}"]')
    bar_tip = page.inner_text(".lw-barcode .lw-tooltip")
    np.testing.assert_allclose(numbers(re.search(r"at α = \(([^)]*)\)", bar_tip).group(1)),
                               pts[int(tree.minima[0])], atol=0.1)
    # screen -> data map from two minima's circles
    pos = []
    for v in tree.minima[:2]:
        box = page.locator(f'.lw-contour circle.lw-min[data-vertex="{int(v)}"]').bounding_box()
        pos.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    (sx0, sy0), (sx1, sy1) = pos
    (dx0, dy0), (dx1, dy1) = pts[int(tree.minima[0])], pts[int(tree.minima[1])]
    kx, ky = (dx1 - dx0) / (sx1 - sx0), (dy1 - dy0) / (sy1 - sy0)
    # hover the background a few pixels off a minimum: the tooltip names the nearest sample
    hx, hy = sx1 + 9, sy1 + 9
    page.mouse.move(hx, hy)
    tip = page.inner_text(".lw-contour .lw-tooltip")
    # the tooltip names no ids, only coordinates: the sample shown is the one at those coordinates
    shown = np.array(numbers(re.search(r"at α = \(([^)]*)\)", tip).group(1)))
    vertex = int(np.argmin(np.hypot(*(pts - shown).T)))
    np.testing.assert_allclose(shown, pts[vertex], atol=0.01)
    assert vertex != int(tree.minima[0])  # the old bug: every pixel named the global minimum
    here = np.array([dx1 + (hx - sx1) * kx, dy1 + (hy - sy1) * ky])
    dist = np.hypot(*(pts - here).T)
    pixel = 10.0 / 128 + abs(kx) * 2  # a raster pixel and rounding of the mouse position
    assert dist[vertex] <= dist.min() + 2 * pixel
    assert re.search(r"accuracy \d", tip), tip  # the pixel's field value, by name
    assert page.errors == []
