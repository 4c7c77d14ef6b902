"""Small models with a few hundred parameters, their data, and a dense Hessian reference that
shares no code with the package (``torch.autograd.functional.hessian``, reverse-over-reverse)."""

from __future__ import annotations

import pytest
import torch


def make_mlp(dtype: torch.dtype = torch.float64, seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(5, 16), torch.nn.Tanh(), torch.nn.Linear(16, 8), torch.nn.Tanh(),
        torch.nn.Linear(8, 3),
    ).to(dtype)


def make_cnn(dtype: torch.dtype = torch.float64, seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(),
        torch.nn.Conv2d(4, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Tanh(),
        torch.nn.Flatten(), torch.nn.Linear(4 * 4 * 4, 3),
    ).to(dtype)
    with torch.no_grad():  # non-trivial running statistics, so eval mode matters
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    return net


class AutogradPINN(torch.nn.Module):
    """The convection PINN's [u, u_t, u_x] the way most PINN code takes input derivatives:
    ``torch.autograd.grad(..., create_graph=True)`` inside ``forward`` (no ``no_grad``, no
    ``torch.func``). Shares no code with the example's hand-written forward mode, so the two are
    references for each other."""

    def __init__(self, net: torch.nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, points: torch.Tensor) -> torch.Tensor:
        points = points.detach().requires_grad_(True)
        u = self.net(points)
        (grad,) = torch.autograd.grad(u.sum(), points, create_graph=True)
        return torch.cat([u, grad[:, 1:2], grad[:, 0:1]], 1)


class BrokenForward(torch.nn.Module):
    """A model whose forward always raises ``RuntimeError("broken forward")``."""

    def __init__(self, in_features: int, out_features: int = 3) -> None:
        super().__init__()
        self.lin = torch.nn.Linear(in_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("broken forward")


def make_classification(n: int, shape: tuple[int, ...], dtype: torch.dtype, seed: int = 1):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((n, *shape), generator=gen, dtype=dtype)
    y = torch.randint(0, 3, (n,), generator=gen)
    return x, y


def dense_hessian(model: torch.nn.Module, loss_fn, x, y) -> torch.Tensor:
    """Reference Hessian of loss_fn(model(x), y) in eval mode, over the trainable parameters."""
    names = [n for n, p in model.named_parameters() if p.requires_grad]
    params = dict(model.named_parameters())
    shapes = [params[n].shape for n in names]
    sizes = [params[n].numel() for n in names]
    theta = torch.cat([params[n].detach().reshape(-1) for n in names])
    buffers = dict(model.named_buffers())
    was_training = model.training
    model.eval()

    def f(flat):
        d = {n: q.view(s) for n, q, s in zip(names, flat.split(sizes), shapes, strict=True)}
        return loss_fn(torch.func.functional_call(model, {**params, **buffers, **d}, (x,)), y)

    try:
        return torch.autograd.functional.hessian(f, theta)
    finally:
        model.train(was_training)


def snapshot(model: torch.nn.Module):
    return (
        {n: p.detach().clone() for n, p in model.named_parameters()},
        {n: b.detach().clone() for n, b in model.named_buffers()},
        {n: m.training for n, m in model.named_modules()},
        {n: p.requires_grad for n, p in model.named_parameters()},
    )


def assert_unchanged(model: torch.nn.Module, snap) -> None:
    params, buffers, modes, flags = snapshot(model)
    for n, p in params.items():
        assert torch.equal(p, snap[0][n]), n
    for n, b in buffers.items():
        assert torch.equal(b, snap[1][n]), n
    assert modes == snap[2]
    assert flags == snap[3]


@pytest.fixture
def mlp_problem():
    model = make_mlp()
    x, y = make_classification(40, (5,), torch.float64)
    return model, torch.nn.functional.cross_entropy, x, y


@pytest.fixture
def cnn_problem():
    model = make_cnn()
    x, y = make_classification(24, (1, 8, 8), torch.float64)
    return model, torch.nn.functional.cross_entropy, x, y
