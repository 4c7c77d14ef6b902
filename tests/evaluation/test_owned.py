"""The loop's private copy of the model (``owned.py``): same values as the functional path,
tied weights written once for all their aliases, and the functional path for models that cannot
be deep-copied."""

from __future__ import annotations

import threading

import numpy as np
import torch
from torch import nn

from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.evaluation.functional import PointLoss
from landscape_widgets.evaluation.sample import sample_with
from landscape_widgets.evaluation.strategy import OwnedLoop, VmapChunks
from landscape_widgets.model.data import as_batches

from .conftest import (
    assert_same_state,
    burn,
    loop_reference,
    only,
    random_subspace,
    state_of,
)


class TiedMLP(nn.Module):
    """Encoder and decoder share one weight (as tied embeddings do)."""

    def __init__(self) -> None:
        super().__init__()
        self.enc = nn.Linear(6, 4)
        self.dec = nn.Linear(4, 6)
        self.dec.weight = nn.Parameter(self.enc.weight.detach().t().clone())
        self.head = nn.Linear(6, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.enc(x))
        return self.head(torch.tanh(nn.functional.linear(h, self.enc.weight.t(), self.dec.bias)))


class Unclonable(nn.Module):
    """Holds a lock, which deepcopy refuses."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(5, 3)
        self.lock = threading.Lock()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin(torch.tanh(x))


def _problem(model: nn.Module, features: int):
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(30, features, generator=gen), torch.randint(0, 3, (30,), generator=gen)
    return model, nn.CrossEntropyLoss(), (x, y)


def test_loop_through_the_copy_equals_the_reference(mlp_problem, monkeypatch):
    model, loss_fn, data = mlp_problem
    before = state_of(model)
    sub = random_subspace(model, 2)
    land = sample_with(only(OwnedLoop), model, loss_fn, data, sub, resolution=(5, 3),
                       progress=False, dtype=torch.float64)
    assert land.provenance.extra["evaluation"] == "loop"
    assert land.provenance.extra["strategy"] == "per-point loop, private copy of the model"
    np.testing.assert_allclose(land.values, loop_reference(model, loss_fn, data, sub, land.axes),
                               rtol=1e-12)
    assert_same_state(model, before)


def test_tied_weights_move_together(monkeypatch):
    torch.manual_seed(0)
    model, loss_fn, data = _problem(TiedMLP(), 6)
    model.dec.weight = model.enc.weight  # tie: one parameter, two names
    sub = random_subspace(model, 2)
    pl = PointLoss(model, loss_fn, as_batches(data), sub, torch.device("cpu"), torch.float64)
    own = pl.owned_copy()
    assert own is not None and own.module.dec.weight is own.module.enc.weight
    land = sample_with(only(OwnedLoop), model, loss_fn, data, sub, resolution=4,
                       progress=False, dtype=torch.float64)
    np.testing.assert_allclose(land.values, loop_reference(model, loss_fn, data, sub, land.axes),
                               rtol=1e-12)


def test_a_model_deepcopy_refuses_takes_the_functional_path(monkeypatch):
    torch.manual_seed(0)
    model, loss_fn, data = _problem(Unclonable(), 5)
    sub = random_subspace(model, 2)
    pl = PointLoss(model, loss_fn, as_batches(data), sub, torch.device("cpu"), torch.float64)
    assert pl.owned_copy() is None and pl.cannot_copy
    land = sample_with(only(OwnedLoop), model, loss_fn, data, sub, resolution=4,
                       progress=False, dtype=torch.float64)
    assert land.provenance.extra["strategy"] == (
        "per-point loop, functional_call (the model cannot be copied)")
    del model.lock  # (the reference deep-copies the model too)
    np.testing.assert_allclose(land.values, loop_reference(model, loss_fn, data, sub, land.axes),
                               rtol=1e-12)


def test_plain_tensor_attributes_are_shared_not_copied(monkeypatch):
    class WithTable(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lin = nn.Linear(5, 3)
            self.table = torch.linspace(0.0, 1.0, 3)  # not a parameter, not a buffer

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.lin(x) + self.table

    torch.manual_seed(0)
    model, loss_fn, data = _problem(WithTable(), 5)
    sub = random_subspace(model, 2)
    pl = PointLoss(model, loss_fn, as_batches(data), sub, torch.device("cpu"), torch.float32)
    own = pl.owned_copy()
    assert own is not None and own.module.table is model.table
    assert own.module.lin.weight is not model.lin.weight
    land = sample_with(only(OwnedLoop), model, loss_fn, data, sub, resolution=4,
                       progress=False, dtype=torch.float64)
    np.testing.assert_allclose(land.values, loop_reference(model, loss_fn, data, sub, land.axes),
                               rtol=1e-6)


def test_the_vmap_path_never_copies_the_model(mlp_problem, monkeypatch):
    # a large model's copy would only take memory from vmap's chunks: the centre checks go
    # through the functional path, and only the loop makes the copy
    from landscape_widgets.evaluation import owned

    def refuse(*args, **kwargs):
        raise AssertionError("the model was copied")

    monkeypatch.setattr(owned.OwnedCopy, "of", classmethod(refuse))
    model, loss_fn, data = mlp_problem
    land = sample_landscape(model, loss_fn, data, random_subspace(model, 2), resolution=5,
                            chunk_size=8, progress=False)  # a chunk size: no race, vmap only
    assert land.provenance.extra["evaluation"] == "vmap"


def test_a_copy_made_for_the_race_is_dropped_when_vmap_wins(mlp_problem):
    class SlowOwned(OwnedLoop):  # a loop that clearly loses to vmap, copy and all
        def losses(self, points):
            values = super().losses(points)
            assert self.evaluator._owned is not None  # timing the loop made the copy
            burn(0.05 * len(points))
            return values

    seen = []

    def choose(evaluator, chunk, **_context):
        seen.append(evaluator)
        return [VmapChunks(evaluator, chunk), SlowOwned(evaluator)]

    model, loss_fn, data = mlp_problem
    land = sample_with(choose, model, loss_fn, data, random_subspace(model, 2), resolution=9,
                       progress=False)
    assert land.provenance.extra["evaluation"] == "vmap"
    assert seen and seen[0]._owned is None
