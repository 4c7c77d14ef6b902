"""Landscapes of a model whose forward differentiates itself: a PINN taking u_x and u_t with
``torch.autograd.grad`` (most PINN code does) fails under ``no_grad`` and inside vmap; it is
detected at the centre and sampled point by point with autograd on."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from landscape_widgets import examples
from landscape_widgets.evaluation import sample_landscape

from ..torch_references import AutogradPINN, BrokenForward
from .conftest import assert_same_state, loop_reference, random_subspace, state_of


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_equals_the_loop_over_its_forward_mode_twin(dtype):
    twin, loss_fn, data = examples.convection_pinn(beta=5.0, n_collocation=48, steps=30, width=8)
    model = AutogradPINN(twin.net)  # same parameters, derivatives by autograd in forward
    before = state_of(model)
    x, _ = data
    flags = x.requires_grad
    sub = random_subspace(model, dims=2, seed=3)
    land = sample_landscape(model, loss_fn, data, sub, resolution=(5, 4), extent=1.0,
                            dtype=dtype, progress=False)
    extra = land.provenance.extra
    assert extra["grad_in_forward"] and extra["evaluation"] == "loop"
    reference = loop_reference(twin, loss_fn, data, sub, land.axes, dtype=torch.float64)
    rtol = 1e-5 if dtype == torch.float32 else 1e-10
    np.testing.assert_allclose(land.values, reference, rtol=rtol)
    assert np.ptp(reference) > 0.1  # a landscape with relief: the comparison can fail
    assert_same_state(model, before)
    assert x.requires_grad == flags

    # the twin, whose forward mode runs under no_grad, keeps the fast path
    fast = sample_landscape(twin, loss_fn, data, sub, resolution=(5, 4), extent=1.0,
                            dtype=dtype, progress=False)
    assert not fast.provenance.extra["grad_in_forward"]
    np.testing.assert_allclose(fast.values, land.values, rtol=rtol)


def test_a_forward_that_fails_either_way_raises_its_own_error(mlp_problem):
    _, loss_fn, data = mlp_problem
    model = BrokenForward(5)
    with pytest.raises(RuntimeError, match="broken forward"):
        sample_landscape(model, loss_fn, data, random_subspace(model, 2), resolution=3,
                         progress=False)
