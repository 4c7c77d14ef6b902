"""The trained model on an n-D contour slice (Chromium, static export): a filled mark where the
plane passes through the grid centre, a hollow "projected" mark where it does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw

from .conftest import open_export

pytestmark = pytest.mark.browser


def bowl3(p: np.ndarray) -> np.ndarray:
    return (p**2).sum(axis=-1) + 0.3 * np.cos(3 * p[..., 0])


@pytest.mark.parametrize(("index", "off"), [([4, 4, 4], False), ([4, 4, 1], True)])
def test_model_mark_says_whether_the_slice_holds_it(page: Any, tmp_path: Path,
                                                   index: list[int], off: bool) -> None:
    land = lw.Landscape.from_function(bowl3, dims=3, resolution=9)
    view = lw.ContourView(land, slice_axes=[0, 1], slice_index=index)
    open_export(page, view, tmp_path / "c.html")
    marks = page.eval_on_selector_all(
        "[data-view=contour] .lw-model",
        "ms => ms.map(m => [m.classList.contains('lw-model-off'), m.getAttribute('aria-label')])")
    assert len(marks) == 1
    assert marks[0][0] is off
    assert ("projected" in marks[0][1]) is off
