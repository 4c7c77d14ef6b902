"""Two evaluations at the centre must agree, else a warning (non-determinism corrupts a
landscape); eval mode already removes dropout, so the noisy model here is noisy in any mode."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn

from landscape_widgets.evaluation import sample_landscape

from .conftest import random_subspace


class AlwaysNoisy(nn.Module):
    """Dropout with ``training=True`` hard-coded, plus input noise: random even in eval mode."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 2)

    def forward(self, x):
        x = nn.functional.dropout(x, p=0.5, training=True)
        return self.lin(x + 0.1 * torch.randn_like(x))


def _data():
    torch.manual_seed(0)
    return torch.randn(32, 4), torch.randn(32, 2)


def test_non_deterministic_model_warns():
    model = AlwaysNoisy()
    sub = random_subspace(model, 2)
    with pytest.warns(RuntimeWarning, match="not deterministic"):
        land = sample_landscape(model, nn.MSELoss(), _data(), sub, resolution=3, progress=False)
    assert land.provenance.extra["deterministic"] is False


def test_no_check_no_warning():
    model = AlwaysNoisy()
    sub = random_subspace(model, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        land = sample_landscape(model, nn.MSELoss(), _data(), sub, resolution=3, progress=False,
                                check_determinism=False)
    assert land.shape == (3, 3)


def test_dropout_model_in_train_mode_is_deterministic_in_eval():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2)).train()
    sub = random_subspace(model, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        land = sample_landscape(model, nn.MSELoss(), _data(), sub, resolution=3, progress=False)
    assert land.provenance.extra["deterministic"] is True
    assert model.training and model[1].training


def test_shuffling_loader_is_deterministic_up_to_round_off():
    x, y = _data()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=5,
                                         shuffle=True)
    model = nn.Linear(4, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sample_landscape(model, nn.MSELoss(), loader, random_subspace(model, 1), resolution=3,
                         progress=False)


def _counting_gnn_loss(noise: float):
    """The GCN's closure, counting its calls, plus ``noise`` x a Python random number (which
    capture bakes in as a constant: its replay then misses the first run's loss)."""
    import random

    import landscape_widgets as lw

    calls = []

    def fn(model, batch):
        calls.append(1)
        return nn.functional.mse_loss(model(batch), batch.y) + noise * random.random()

    return lw.model_loss(fn, batch_size=lambda b: b.num_graphs), calls


def test_a_captured_closure_is_not_evaluated_again_at_the_centre():
    """Capture ran the closure a second time at the centre and its replay agreed with the first
    run: that is the determinism check. Through the captured loop alone the closure runs at
    the centre (first loss), at the centre recorded, at the off-centre probe: 3 calls with or
    without the check, none more; raced, no warning and ``deterministic`` recorded."""
    from landscape_widgets.evaluation.capture import CapturedGraphs, CapturedLoop
    from landscape_widgets.evaluation.sample import sample_with

    from .test_real_models import _gnn, graph_batches

    model = _gnn()
    sub = random_subspace(model, 2)

    def captured(ev, centre, centre_loss, **_):
        graphs = CapturedGraphs.of(ev, centre, centre_loss, batched=False)
        assert graphs is not None
        return [CapturedLoop(graphs)]

    for check in (True, False):
        loss, calls = _counting_gnn_loss(0.0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            land = sample_with(captured, model, loss, graph_batches((6,)), sub, resolution=5,
                               progress=False, check_determinism=check)
        assert len(calls) == 3 and land.provenance.extra["deterministic"] is True
    loss, calls = _counting_gnn_loss(0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        land = sample_landscape(model, loss, graph_batches((6,)), sub, resolution=9,
                                progress=False)
    assert any("captured aten graph" in r for r in land.provenance.extra["raced"])
    assert land.provenance.extra["deterministic"] is True


def test_a_closure_that_capture_cannot_reproduce_is_still_checked_and_warns():
    from .test_real_models import _gnn, graph_batches

    model = _gnn()
    sub = random_subspace(model, 2)
    loss, _calls = _counting_gnn_loss(1e-2)
    with pytest.warns(RuntimeWarning, match="not deterministic"):
        land = sample_landscape(model, loss, graph_batches((6,)), sub, resolution=9,
                                progress=False)
    assert land.provenance.extra["deterministic"] is False
    assert "captured" not in land.provenance.extra["strategy"]
