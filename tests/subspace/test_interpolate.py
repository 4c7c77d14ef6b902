"""Directions between models (1-D interpolation, planes through three models)."""

from __future__ import annotations

import pytest
import torch

from landscape_widgets.subspace import interpolate

from ..torch_references import make_cnn, make_mlp


def test_direction_reaches_the_other_model():
    a, b = make_cnn(seed=0), make_cnn(seed=1)
    sub = interpolate(a, b)
    assert sub.dims == 1 and sub.kind == "interpolation"
    wb = dict(b.named_parameters())
    for n, p in a.named_parameters():
        reached = p.detach() + sub.directions[0][n]
        torch.testing.assert_close(reached, wb[n].detach(), rtol=0, atol=1e-15)


def test_plane_through_three_models():
    a, b, c = make_mlp(seed=0), make_mlp(seed=1), make_mlp(seed=2)
    sub = interpolate(a, b, c)
    assert sub.dims == 2 and sub.extra["n_models"] == 3
    wc = dict(c.named_parameters())
    for n, p in a.named_parameters():
        torch.testing.assert_close(p.detach() + sub.directions[1][n], wc[n].detach())


def test_bad_input():
    a = make_mlp()
    with pytest.raises(ValueError, match="expected model 1 to have the parameters of model 0"):
        interpolate(a, torch.nn.Linear(5, 3).double())
    other = torch.nn.Sequential(
        torch.nn.Linear(5, 17), torch.nn.Tanh(), torch.nn.Linear(17, 8), torch.nn.Tanh(),
        torch.nn.Linear(8, 3),
    ).double()
    want = r"expected '0.weight' of model 1 to have shape \(16, 5\), got \(17, 5\)"
    with pytest.raises(ValueError, match=want):
        interpolate(a, other)
    with pytest.raises(ValueError, match="expected model 1 to differ from model 0"):
        interpolate(a, make_mlp())
