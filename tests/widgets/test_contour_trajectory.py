"""ContourView(trajectory=...): the payload sent to the browser and its validation."""

from __future__ import annotations

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire


def test_payload_carries_coords_epochs_losses_labels(wells) -> None:
    land, tree = wells
    path = {"coords": [[-1.0, 0.5], [0.0, 0.2], [0.5, 0.0]], "epochs": [0, 5, 10],
            "losses": [3.0, 1.5, 0.25], "labels": ["<img src=x>", "mid", "end"]}
    view = lw.ContourView(land, tree, trajectory=path)
    tr = view._data["trajectory"]
    np.testing.assert_array_equal(from_wire(tr["coords"]), np.array(path["coords"]))
    np.testing.assert_array_equal(from_wire(tr["epochs"]), [0, 5, 10])
    np.testing.assert_array_equal(from_wire(tr["losses"]), [3.0, 1.5, 0.25])
    assert np.isnan(from_wire(tr["residuals"])).all()  # unknown: not drawn
    assert tr["labels"] == path["labels"]  # strings travel as data; JS writes textContent
    view.levels = 6  # a refresh keeps the layer
    assert "trajectory" in view._data
    assert "trajectory" not in lw.ContourView(land, tree)._data


def test_projected_path_is_accepted_and_n_d_coordinates_kept(wells3d) -> None:
    import torch

    land, tree = wells3d
    net = torch.nn.Linear(2, 1)
    gen = torch.Generator().manual_seed(0)
    ckpts = [{k: v + 0.3 * torch.randn(v.shape, generator=gen)
              for k, v in net.state_dict().items()} for _ in range(4)]
    sub = lw.trajectory_subspace(ckpts, dims=3, model=net)
    path = lw.project_trajectory(sub, ckpts, model=net, losses=[4.0, 3.0, 2.0, 1.0])
    view = lw.ContourView(land, tree, trajectory=path)
    tr = view._data["trajectory"]
    np.testing.assert_allclose(from_wire(tr["coords"]), path.coords)
    np.testing.assert_allclose(from_wire(tr["residuals"]), path.residuals)
    assert tr["labels"] == ["epoch 0", "epoch 1", "epoch 2", "epoch 3"]


def test_bad_trajectories_are_named(wells) -> None:
    land, tree = wells
    with pytest.raises(ValueError, match=r"coords of shape \(n, 2\)"):
        lw.ContourView(land, tree, trajectory={"coords": [[0.0, 0.0, 0.0]]})
    with pytest.raises(ValueError, match="expected losses to hold 2 numbers"):
        lw.ContourView(land, tree, trajectory={"coords": [[0, 0], [1, 1]], "losses": [1.0]})
    with pytest.raises(ValueError, match="optional 'epochs'"):
        lw.ContourView(land, tree, trajectory={"coords": [[0, 0]], "epoch": [1]})
    with pytest.raises(ValueError, match="finite coords"):
        lw.ContourView(land, tree, trajectory={"coords": [[0, np.nan]]})
    with pytest.raises(ValueError, match="expected 1 labels"):
        lw.ContourView(land, tree, trajectory={"coords": [[0, 0]], "labels": ["a", "b"]})
    with pytest.raises(TypeError, match="trajectory: expected lw.project_trajectory's result"):
        lw.ContourView(land, tree, trajectory=[[0, 0]])
    with pytest.warns(UserWarning, match=r"1 of 2 checkpoints \(indices \[0\]\) lie outside"):
        lw.ContourView(land, tree, trajectory={"coords": [[-5.0, 0.0], [0.0, 0.0]]})
