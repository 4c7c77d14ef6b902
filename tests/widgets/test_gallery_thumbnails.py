"""The Gallery's thumbnails: each entry ships its compact topology simplified to its
``profile_basins`` most persistent basins; the browser draws the profile from it with
ProfileView's own code (js/tests/gallery.test.js checks the browser's profile against Python's
on the fixtures scripts/write_js_fixtures.py writes)."""

from __future__ import annotations

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets import Gallery
from landscape_widgets.widgets.gallery import thumbnail_threshold, thumbnail_topology
from landscape_widgets.widgets.topology_model import compact_topology


def _noise(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, n))  # ~n²/9 basins, no ties


def _bytes(payload: object) -> int:
    """Bytes of the arrays of a payload (what travels as binary buffers)."""
    if isinstance(payload, dict):
        if "buffer" in payload:
            return len(payload["buffer"])
        return sum(_bytes(v) for v in payload.values())
    if isinstance(payload, list):
        return sum(_bytes(v) for v in payload)
    return 0


def test_a_thumbnail_is_the_compact_topology_of_the_most_persistent_basins() -> None:
    tree = lw.merge_tree(_noise(41))
    assert tree.n_minima > 100
    thumb = thumbnail_topology(tree, 12)
    threshold = thumbnail_threshold(tree, 12)
    simple = tree.simplify(threshold)
    # exactly the compact model of the simplified tree, less what a thumbnail does not draw
    full = compact_topology(simple)
    assert set(full) - set(thumb) == {"axes", "centre"} and set(thumb["bands"]) == {"linear"}
    for key in ("minima", "persistence", "parent_minimum", "value_sum", "basin_size"):
        assert thumb[key] == full[key], key
    assert thumb["bands"]["linear"] == full["bands"]["linear"]
    # the 12 most persistent basins (no ties here): what landscape_profile(max_basins=12) keeps,
    # and the same profile, so the thumbnails look as they did when Python drew them
    minima = from_wire(thumb["minima"])
    assert minima.size == 12
    assert set(minima.tolist()) == set(lw.landscape_profile(tree, max_basins=12).basin_ids.tolist())
    edges = from_wire(thumb["bands"]["linear"]["edges"])
    ours = lw.landscape_profile(simple, levels=edges)
    python = lw.landscape_profile(tree, max_basins=12, levels=edges)
    for name in ("basin_ids", "rect_x0", "rect_x1", "rect_y0", "rect_y1", "polygon_x",
                 "polygon_y", "minima_x", "saddle_x", "basin_mean_loss"):
        np.testing.assert_allclose(getattr(ours, name), getattr(python, name), err_msg=name)
    # every finite vertex is counted once, in the basin it folds into
    assert from_wire(thumb["bands"]["linear"]["count"]).sum() == tree.n_vertices
    assert from_wire(thumb["value_sum"]).sum() == pytest.approx(tree.values.sum())


def test_thumbnail_size_grows_with_basins_kept_not_with_the_landscape() -> None:
    small = _bytes(thumbnail_topology(lw.merge_tree(_noise(41)), 32))
    big_tree = lw.merge_tree(_noise(201))
    big = _bytes(thumbnail_topology(big_tree, 32))
    assert big_tree.n_minima > 4000
    # 32 basins x 64 bands x 5 bytes at most for the histograms, plus ~40 bytes per basin
    assert small < 32 * (64 * 5 + 48) and big < 32 * (64 * 5 + 48)
    assert _bytes(compact_topology(big_tree)) > 50 * big  # the whole model would be far bigger


def test_ties_at_the_cap_go_together_and_few_basins_stay_whole() -> None:
    plateaus = np.round(np.random.default_rng(7).random((15, 15)) * 4) / 4
    tree = lw.merge_tree(plateaus)
    pers = np.asarray(tree.persistence)  # of minima[1:]; the global minimum is always kept
    edge = np.sort(pers)[::-1][7]  # the first over a cap of 8, tied with the one before
    assert np.count_nonzero(pers == edge) > 1 and np.count_nonzero(pers > edge) < 7
    kept = from_wire(thumbnail_topology(tree, 8)["minima"])
    assert kept.size == 1 + np.count_nonzero(pers > edge)  # the tied ones all hidden
    assert set(kept.tolist()) == {int(tree.minima[0])} | set(tree.minima[1:][pers > edge].tolist())
    # no more basins than the cap: the tree as it is
    three = lw.merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))
    assert thumbnail_threshold(three, 3) == 0.0
    assert from_wire(thumbnail_topology(three, 3)["minima"]).tolist() == three.minima.tolist()
    with pytest.raises(ValueError, match="max_basins: expected an integer >= 1, got 0"):
        thumbnail_threshold(three, 0)


def test_profile_basins_is_checked_and_sets_the_thumbnails() -> None:
    coll = LandscapeCollection()
    for seed in (0, 1):
        coll.add({"seed": seed}, lw.Landscape.from_array(_noise(21, seed)))
    g = Gallery(coll, rows="seed", profile_basins=5)
    assert [from_wire(t["minima"]).size for t in g._data["profiles"]] == [5, 5]
    for bad in (0, -2, 2.5, "5", True):
        with pytest.raises(ValueError, match=r"profile_basins: expected an integer >= 1, got"):
            Gallery(coll, rows="seed", profile_basins=bad)
