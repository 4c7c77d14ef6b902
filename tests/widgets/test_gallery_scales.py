"""``compact_topology(scales=...)``: the Gallery's thumbnails compute only the linear band
histograms they ship (the log pass over every vertex was computed and thrown away), and the
Gallery's payload is what it was: the full compact topology less axes, centre and log bands."""

from __future__ import annotations

import time

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.widgets import Gallery
from landscape_widgets.widgets.gallery import thumbnail_threshold, thumbnail_topology
from landscape_widgets.widgets.topology_model import compact_topology


def _noise(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, n))


def _former_thumbnail(tree: object, max_basins: int) -> dict:
    """The thumbnail as the Gallery built it before ``scales=``: both band sets, log dropped."""
    threshold = thumbnail_threshold(tree, max_basins)
    data = compact_topology(tree.simplify(threshold) if threshold > 0 else tree)  # type: ignore[attr-defined]
    del data["axes"]
    data.pop("centre", None)
    del data["bands"]["log"]
    return data


def test_scales_computes_only_the_bands_asked_for() -> None:
    tree = lw.merge_tree(_noise(31))
    both = compact_topology(tree)
    assert list(both["bands"]) == ["linear", "log"]
    for scales in (("linear",), ("log",), ("log", "linear")):
        one = compact_topology(tree, scales=scales)
        assert set(one["bands"]) == set(scales)
        for s in scales:
            assert one["bands"][s] == both["bands"][s], s
        assert {k: v for k, v in one.items() if k != "bands"} == \
            {k: v for k, v in both.items() if k != "bands"}


@pytest.mark.parametrize("scales", ["linear", (), ("cubic",), ("linear", "ln"), None])
def test_bad_scales_name_the_argument(scales: object) -> None:
    tree = lw.merge_tree(_noise(9))
    want = r"scales: expected a non-empty tuple of \('linear', 'log'\)"
    with pytest.raises(ValueError, match=want):
        compact_topology(tree, scales=scales)  # type: ignore[arg-type]


def test_gallery_payload_is_unchanged() -> None:
    coll = LandscapeCollection()
    for k, seed in enumerate(range(4)):
        coll.add({"lr": 0.1 * (1 + k % 2), "seed": seed}, lw.Landscape.from_array(_noise(25, seed)))
    for basins in (1, 5, 32, 10_000):
        for e in coll.entries:
            tree = coll.tree(e)
            assert thumbnail_topology(tree, basins) == _former_thumbnail(tree, basins)
    g = Gallery(coll, rows="lr", cols="seed", metric="n_minima", profile_basins=5)
    assert g._data["profiles"] == [_former_thumbnail(coll.tree(e), 5) for e in coll.entries]


def test_a_thumbnail_skips_the_log_pass() -> None:
    # one entry of 201² noise: the thumbnail's own pass over the vertices, not the tree's
    tree = lw.merge_tree(_noise(201))

    def best(f: object, n: int = 3) -> float:
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            f()  # type: ignore[operator]
            times.append(time.perf_counter() - t0)
        return min(times)

    new = best(lambda: thumbnail_topology(tree, 32))
    old = best(lambda: _former_thumbnail(tree, 32))
    assert new < old, (new, old)
