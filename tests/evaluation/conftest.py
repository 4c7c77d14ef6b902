"""Small models, hand-made directions and the reference every grid test compares against: a
plain Python loop that perturbs a deep copy of the model point by point."""

from __future__ import annotations

import copy
import time

import numpy as np
import pytest
import torch
from torch import nn

from landscape_widgets.model.data import as_batches, batch_size, call_model, move_batch
from landscape_widgets.subspace.base import Subspace


class SmallCNN(nn.Module):
    """Conv + BatchNorm + pooling + linear head: a custom class (not nn.Sequential)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3)
        self.bn2 = nn.BatchNorm2d(6)
        self.fc = nn.Linear(6 * 2 * 2, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        x = nn.functional.max_pool2d(x, 2)
        x = torch.relu(self.bn2(self.conv2(x)))
        return self.fc(x.flatten(1))


def trained_bn_stats(model: nn.Module, x: torch.Tensor) -> nn.Module:
    """Give BatchNorm non-trivial running statistics (as after training), then eval mode."""
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(x + 0.3 * torch.randn_like(x))
    return model.eval()


def random_subspace(model: nn.Module, dims: int, seed: int = 0, scale: float = 0.3) -> Subspace:
    """Directions made here (not by the subspace package): Gaussian, scaled per tensor."""
    gen = torch.Generator().manual_seed(seed)
    directions = []
    for _ in range(dims):
        d = {}
        for name, p in model.named_parameters():
            if p.requires_grad:
                r = torch.randn(p.shape, generator=gen, dtype=p.dtype)
                d[name] = scale * r * (p.detach().norm() / r.norm())
        directions.append(d)
    return Subspace.from_directions(model, directions, kind="random", seed=seed)


def loop_reference(model, loss_fn, data, subspace, axes, dtype=torch.float64) -> np.ndarray:
    """The obvious implementation: for each grid point, write θ + Σ αᵢ δᵢ into a deep copy of
    the model and average the loss over the batches (weighted by batch size)."""
    ref = copy.deepcopy(model).to(dtype).eval()
    theta = {n: p.detach().clone() for n, p in ref.named_parameters() if p.requires_grad}
    mesh = np.meshgrid(*axes, indexing="ij")
    points = np.stack([m.ravel() for m in mesh], axis=1)
    values = np.empty(len(points))
    batches = list(as_batches(data))
    with torch.no_grad():
        for k, alpha in enumerate(points):
            for name, p in ref.named_parameters():
                if name in theta:
                    step = sum(
                        float(a) * d[name].to(dtype)
                        for a, d in zip(alpha, subspace.directions, strict=True)
                    )
                    p.copy_(theta[name] + step)
            total, n = 0.0, 0
            for batch in batches:
                inputs, targets = move_batch(batch, "cpu", dtype)
                m = batch_size(batch)
                total += float(loss_fn(call_model(ref, inputs), targets)) * m
                n += m
            values[k] = total / n
    return values.reshape([len(a) for a in axes])


def burn(seconds: float) -> None:
    """Spend ``seconds`` of this process's CPU time (a slow strategy in a race test): with one
    thread the race reads CPU time (``race.race_clock``), which a ``time.sleep`` never uses."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@pytest.fixture
def mlp_problem():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 3))
    x, y = torch.randn(40, 5), torch.randint(0, 3, (40,))
    return model, nn.CrossEntropyLoss(), (x, y)


@pytest.fixture
def cnn_problem():
    torch.manual_seed(1)
    x, y = torch.randn(24, 1, 8, 8), torch.randint(0, 3, (24,))
    model = trained_bn_stats(SmallCNN(), x)
    return model, nn.CrossEntropyLoss(), (x, y)


def state_of(model: nn.Module) -> dict:
    """Everything that must be bit-identical after sampling."""
    return {
        "params": {n: p.detach().clone() for n, p in model.named_parameters()},
        "grad": {n: p.requires_grad for n, p in model.named_parameters()},
        "buffers": {n: b.detach().clone() for n, b in model.named_buffers()},
        "modes": {n: m.training for n, m in model.named_modules()},
    }


def assert_same_state(model: nn.Module, before: dict) -> None:
    after = state_of(model)
    assert after["grad"] == before["grad"]
    assert after["modes"] == before["modes"]
    for kind in ("params", "buffers"):
        assert after[kind].keys() == before[kind].keys()
        for n, t in before[kind].items():
            assert torch.equal(after[kind][n], t), f"{kind} {n} changed"
            assert after[kind][n].dtype == t.dtype


@pytest.fixture(autouse=True)
def _runtime_warnings_are_errors():
    """An unexpected warning (determinism, vmap fallback) fails the test; tests that expect
    one use ``pytest.warns``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


def only(make):
    """A ``choose`` for :func:`~landscape_widgets.evaluation.sample.sample_with`: the one
    strategy ``make(evaluator)`` (no race), built directly by the test."""
    return lambda evaluator, **_context: [make(evaluator)]


def evaluator_at_centre(model, loss_fn, data, sub, dtype=torch.float64):
    """A :class:`PointLoss` whose data is cached, with its activation meter and the centre's
    loss: what ``candidates()`` is handed."""
    from landscape_widgets.evaluation.functional import PointLoss
    from landscape_widgets.evaluation.memory import ActivationMeter

    ev = PointLoss(model, loss_fn, as_batches(data, loss_fn), sub, torch.device("cpu"), dtype)
    meter = ActivationMeter()
    with meter.attached(model):
        loss = ev.at(np.zeros(sub.dims), meter)
    return ev, meter, loss
