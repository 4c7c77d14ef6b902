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
