"""Curvature of a model whose forward differentiates itself (a PINN taking u_x and u_t with
``torch.autograd.grad``, as most PINN code does): detected on the first loss, taken by plain
autograd, and equal to the dense Hessian of the same function written in forward mode."""

from __future__ import annotations

import pytest
import torch

import landscape_widgets as lw
from landscape_widgets import examples
from landscape_widgets.hessian import hvp_operator

from ..torch_references import (
    AutogradPINN,
    BrokenForward,
    assert_unchanged,
    dense_hessian,
    snapshot,
)


def _pinn(seed: int, n: int = 24):
    model, loss_fn, (x, y) = examples.convection_pinn(beta=5.0, n_collocation=n, steps=20,
                                                      width=6, seed=seed)
    return model.double(), loss_fn, x.double(), y.double()


@pytest.fixture(scope="module")
def pinn():
    return _pinn(0)


@pytest.mark.parametrize("keep_graph", [False, True])
def test_products_equal_the_dense_hessian(pinn, keep_graph):
    model, loss_fn, x, y = pinn
    twin = AutogradPINN(model.net)  # same parameters, derivatives by autograd inside forward
    snap = snapshot(twin)
    reference = dense_hessian(model, loss_fn, x, y)
    op = hvp_operator(twin, loss_fn, (x, y), keep_graph=keep_graph)
    assert op.grad_in_forward and op.mode == "reverse-over-reverse, torch.autograd"
    assert not hvp_operator(model, loss_fn, (x, y)).grad_in_forward
    vs = torch.randn(5, op.size, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    torch.testing.assert_close(op.matmat(vs), vs @ reference, rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(op.matvec(vs[0]), reference @ vs[0], rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(op.matvec(vs[1]), reference @ vs[1], rtol=1e-9, atol=1e-10)
    assert op.n_products == 7
    assert reference.abs().max() > 1.0  # a curved loss: the comparison can fail
    assert_unchanged(twin, snap)


def test_batches_weighted_and_gradient_and_loss(pinn):
    model, loss_fn, x, y = pinn
    _, _, x2, y2 = _pinn(1, n=40)  # a second batch: other collocation points, other size
    twin = AutogradPINN(model.net)
    op = hvp_operator(twin, loss_fn, [(x, y), (x2, y2)])
    w1, w2 = len(x) / (len(x) + len(x2)), len(x2) / (len(x) + len(x2))
    reference = (w1 * dense_hessian(model, loss_fn, x, y)
                 + w2 * dense_hessian(model, loss_fn, x2, y2))
    torch.testing.assert_close(op.dense(), reference, rtol=1e-9, atol=1e-10)

    params = dict(model.named_parameters())
    def loss_at(p):
        out = lambda a: loss_fn(torch.func.functional_call(model, p, (a[0],)), a[1])  # noqa: E731
        return w1 * out((x, y)) + w2 * out((x2, y2))
    grads = torch.func.grad(loss_at)({n: p.detach() for n, p in params.items()})
    torch.testing.assert_close(op.gradient(), op.flatten(grads), rtol=1e-10, atol=1e-12)
    with torch.no_grad():
        torch.testing.assert_close(op.loss(), loss_at(params))


def test_eigenvalues_match_the_forward_mode_twin(pinn):
    model, loss_fn, x, y = pinn
    ours = lw.hessian_subspace(AutogradPINN(model.net), loss_fn, (x, y), dims=2)
    twin = lw.hessian_subspace(model, loss_fn, (x, y), dims=2)
    assert ours.extra["hvp_mode"] == "reverse-over-reverse, torch.autograd"
    torch.testing.assert_close(torch.tensor(ours.eigenvalues), torch.tensor(twin.eigenvalues),
                               rtol=1e-6, atol=0.0)


def test_a_forward_that_fails_either_way_raises_its_own_error(pinn):
    _, loss_fn, x, y = pinn
    with pytest.raises(RuntimeError, match="broken forward"):
        hvp_operator(BrokenForward(2).double(), loss_fn, (x, y))
