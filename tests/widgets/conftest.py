"""Shared inputs for the widget tests: the four-well landscape and its merge tree."""

from __future__ import annotations

from typing import Any

import pytest

import landscape_widgets as lw


@pytest.fixture(scope="module")
def wells() -> tuple[Any, Any]:
    land = lw.examples.four_wells(resolution=31)
    return land, lw.merge_tree(land)


@pytest.fixture(scope="module")
def wells3d() -> tuple[Any, Any]:
    def f(p: Any) -> Any:
        return lw.examples.gaussian_wells(
            p, [(-1, -1, 0), (1, -1, 0.5), (-1, 1, -0.5)], [1.0, 0.7, 0.5]
        )

    land = lw.Landscape.from_function(f, dims=3, resolution=(15, 13, 11))
    return land, lw.merge_tree(land)
