"""ContourView's level of detail: a noisy slice whose contour polygons would exceed the point
budget travels as the raster ``z`` alone (the browser colours it by band), while smooth
landscapes keep exactly the contourpy polygons they had."""

from __future__ import annotations

import json
from typing import Any

import contourpy
import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets import ContourView
from landscape_widgets.widgets._contours import (
    POINT_BUDGET,
    contour_geometry,
    level_set,
    level_values,
)


def wire_bytes(obj: Any) -> int:
    """Bytes of a payload as it travels: array buffers plus the JSON of everything else."""
    if isinstance(obj, dict):
        if "buffer" in obj:
            return len(obj["buffer"]) + 40
        return sum(wire_bytes(v) + len(json.dumps(k)) for k, v in obj.items())
    if isinstance(obj, list | tuple):
        return sum(wire_bytes(v) for v in obj)
    return len(json.dumps(obj))


def reference_geometry(x: Any, y: Any, z: Any, edges: Any) -> dict[str, list[np.ndarray]]:
    """The polygons and lines as contourpy gives them (the code before the level of detail)."""
    gen = contourpy.contour_generator(x, y, np.ma.masked_invalid(z),
                                      fill_type=contourpy.FillType.OuterOffset,
                                      line_type=contourpy.LineType.Separate)
    bands, band_of, lines, line_of = [], [], [], []
    for k in range(len(edges) - 1):
        upper = np.nextafter(edges[k + 1], np.inf) if k == len(edges) - 2 else edges[k + 1]
        polys, offsets = gen.filled(edges[k], upper)
        for pts, offs in zip(polys, offsets, strict=True):
            for a, b in zip(offs[:-1], offs[1:], strict=True):
                bands.append(pts[a:b])
                band_of.append(k)
    for k in range(1, len(edges) - 1):
        for line in gen.lines(edges[k]):
            lines.append(line)
            line_of.append(k)
    return {"bands": bands, "bands_level": band_of, "lines": lines, "lines_level": line_of}


def points(rings: dict[str, Any]) -> int:
    return int(from_wire(rings["points"]).shape[0])


@pytest.fixture(scope="module")
def noise() -> tuple[Any, Any]:
    land = lw.examples.noisy_landscape("noise", resolution=201, seed=0)
    return land, lw.merge_tree(land)


def test_noise_slice_is_a_raster_and_small(noise) -> None:
    land, tree = noise
    slice_ = ContourView(land, tree)._data["slice"]
    # before the level of detail: 12.1 MB of polygons and lines (linear and log)
    assert wire_bytes(slice_) <= 1_500_000, wire_bytes(slice_)
    for name in ("linear", "log"):
        s = slice_["levels"][name]
        assert s["raster"] is True
        assert points(s["bands"]) == 0
        assert points(s["bands"]) + points(s["lines"]) <= POINT_BUDGET
    # what the browser colours: the slice's values, rows = y, and the edges of both scales
    np.testing.assert_array_equal(from_wire(slice_["z"]), land.values.T.astype(np.float32))
    finite = land.values[np.isfinite(land.values)]
    np.testing.assert_allclose(
        from_wire(slice_["levels"]["log"]["edges"]),
        level_values(float(finite.min()), float(finite.max()), 12, True),
    )


def test_smooth_landscape_keeps_its_polygons(wells) -> None:
    land, tree = wells
    slice_ = ContourView(land, tree, levels=10)._data["slice"]
    z = land.values.T
    for name, log in (("linear", False), ("log", True)):
        s = slice_["levels"][name]
        edges = level_values(float(z.min()), float(z.max()), 10, log)
        ref = reference_geometry(land.axes[0], land.axes[1], z, edges)
        assert s["raster"] is False
        assert points(s["bands"]) > 0
        for part in ("bands", "lines"):
            offsets = from_wire(s[part]["offsets"])
            np.testing.assert_array_equal(np.diff(offsets), [len(r) for r in ref[part]])
            np.testing.assert_array_equal(from_wire(s[part]["points"]),
                                          np.concatenate(ref[part]).astype(np.float32))
            np.testing.assert_array_equal(from_wire(s[part]["level"]), ref[f"{part}_level"])


@pytest.mark.parametrize("resolution", [201, 401])
def test_smooth_landscapes_stay_under_the_budget(resolution: int) -> None:
    land = lw.examples.four_wells(resolution=resolution)
    z = land.values.T
    for log in (False, True):
        edges = level_values(float(z.min()), float(z.max()), 12, log)
        s = level_set(land.axes[0], land.axes[1], z, edges)
        assert s["raster"] is False and points(s["bands"]) > 0


def test_budget_boundary_and_lines_kept_when_they_fit(wells) -> None:
    land, _ = wells
    x, y, z = land.axes[0], land.axes[1], land.values.T
    edges = level_values(float(z.min()), float(z.max()), 8, False)
    full = contour_geometry(x, y, z, edges)
    n_bands, n_lines = points(full["bands"]), points(full["lines"])
    at = level_set(x, y, z, edges, budget=n_bands + n_lines)
    assert at["raster"] is False and points(at["bands"]) == n_bands
    over = level_set(x, y, z, edges, budget=n_bands + n_lines - 1)
    assert over["raster"] is True and points(over["bands"]) == 0
    assert points(over["lines"]) == n_lines  # the lines alone fit: kept
    few = level_set(x, y, z, edges, budget=n_lines - 1)
    assert few["raster"] is True and points(few["lines"]) == 0
    assert from_wire(few["lines"]["offsets"]).tolist() == [0]
