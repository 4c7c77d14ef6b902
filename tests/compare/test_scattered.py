"""Collections and sweeps of scattered landscapes: every graph connectivity, save/load, errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection

from .digits import EXTENT, make_mlp

GRAPHS = ["symmetric_knn", "knn", "delaunay", "gabriel"]


def cloud(seed: int, n: int = 200) -> lw.Landscape:
    rng = np.random.default_rng(seed)
    pts = rng.uniform(-2, 2, size=(n, 2))
    vals = np.sin(2 * pts[:, 0]) * np.cos(2 * pts[:, 1]) + 0.1 * seed + (pts**2).sum(1) / 8
    return lw.Landscape.from_points(pts, vals, bounds=2.0)


@pytest.mark.parametrize("connectivity", GRAPHS)
def test_collection_metrics_use_the_named_graph_and_survive_save_load(connectivity, tmp_path):
    coll = LandscapeCollection(connectivity=connectivity)
    for seed in (0, 1):
        coll.add({"seed": seed}, cloud(seed))
    for seed in (0, 1):
        land = cloud(seed)
        tree = lw.merge_tree(land, connectivity=connectivity)
        m = lw.landscape_metrics(tree)
        topo = coll[{"seed": seed}].metrics
        assert topo["n_minima"] == m.n_minima and topo["smad"] == pytest.approx(m.smad)
        assert topo["center_loss"] == land.values[land.center_index]
    saved = coll.save(tmp_path / "c")
    back = LandscapeCollection.load(saved)
    assert back.settings["connectivity"] == connectivity
    for seed in (0, 1):
        land = back.landscape({"seed": seed})
        assert not land.is_grid
        np.testing.assert_array_equal(land.points, cloud(seed).points)
        np.testing.assert_array_equal(back.tree({"seed": seed}).pairs,
                                      lw.merge_tree(cloud(seed), connectivity=connectivity).pairs)
    # a collection on disk writes scattered entries as they come, too
    live = LandscapeCollection(tmp_path / "live", connectivity=connectivity)
    live.add({"seed": 0}, cloud(0))
    again = LandscapeCollection(tmp_path / "live")
    np.testing.assert_array_equal(again.landscape({"seed": 0}).values, cloud(0).values)


def test_grid_connectivity_refuses_scattered_entries_and_trees_must_fit():
    with pytest.raises(ValueError, match="grid connectivity 'full'.*one of"):
        LandscapeCollection().add({"seed": 0}, cloud(0))
    coll = LandscapeCollection(connectivity="knn")
    other = lw.merge_tree(cloud(1, n=50), connectivity="knn")
    with pytest.raises(ValueError, match="tree: expected the merge tree of this landscape"):
        coll.add({"seed": 0}, cloud(0), tree=other)
    # grid landscapes can be read as point sets by the graph connectivities
    grid = lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=9)
    entry = coll.add({"seed": 1}, grid)
    assert entry.metrics["n_minima"] == lw.merge_tree(grid, connectivity="knn").n_minima


def test_sweep_with_scattered_points_equals_each_entry_alone(checkpoints: Any, digits: Any):
    chosen = checkpoints[:2]
    coll = lw.sweep_checkpoints(chosen, make_mlp, torch_loss(), digits, points=40,
                                sampler="latin", extent=EXTENT, chunk_size=9, progress=False)
    assert coll.settings["connectivity"] == "symmetric_knn"
    assert coll.attrs["sweep"]["points"] == 40 and coll.attrs["sweep"]["sampler"] == "latin"
    for key, state in chosen:
        model = make_mlp()
        model.load_state_dict(state)
        sub = lw.random_subspace(model, dims=2, normalization="filter", seed=0)
        land = lw.sample_landscape(model, torch_loss(), digits, sub, points=40, sampler="latin",
                                   seed=0, extent=EXTENT, chunk_size=9, progress=False)
        got = coll.landscape(key)
        np.testing.assert_array_equal(got.points, land.points)
        np.testing.assert_array_equal(got.values, land.values)
        m = lw.landscape_metrics(lw.merge_tree(land))
        assert coll[key].metrics["total_persistence"] == pytest.approx(m.total_persistence)
    with pytest.raises(ValueError, match="connectivity='delaunay' contradicts"):
        lw.sweep_checkpoints(chosen, make_mlp, torch_loss(), digits, collection=coll,
                             points=40, connectivity="delaunay", progress=False)
    with pytest.raises(ValueError, match="sampler: expected one of"):
        lw.sweep_checkpoints(chosen, make_mlp, torch_loss(), digits, points=4, sampler="grid")


def torch_loss() -> Any:
    import torch

    return torch.nn.CrossEntropyLoss()
