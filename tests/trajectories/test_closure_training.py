"""jump_and_retrain trains and evaluates through a loss closure: the same trajectories as the
``(outputs, targets)`` form when the closure computes the same loss; dict batches; resume
fingerprints the closure."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.trajectories import jump_and_retrain

F = torch.nn.functional
KW: dict[str, Any] = dict(seeds=(0, 1), step_sizes=(0.5,), epochs=3, progress=False)


def sgd(params: Any) -> torch.optim.Optimizer:
    return torch.optim.SGD(params, lr=0.1, momentum=0.9)


@pytest.fixture
def problem() -> tuple[Any, Any, Any]:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    x, y = torch.randn(60, 4), torch.randint(0, 3, (60,))
    return model, x, y


def test_closure_retrains_like_the_pair_form(problem: Any) -> None:
    model, x, y = problem
    before = {n: p.detach().clone() for n, p in model.state_dict().items()}
    closure = lw.model_loss(lambda m, b: F.cross_entropy(m(b[0]), b[1]))
    ours = jump_and_retrain(model, closure, (x, y), sgd, batch_size=16, eval_data=(x, y), **KW)
    ref = jump_and_retrain(model, F.cross_entropy, (x, y), sgd, batch_size=16,
                           eval_data=(x, y), **KW)
    np.testing.assert_array_equal(ours.params, ref.params)
    np.testing.assert_allclose(ours.metric("train_loss"), ref.metric("train_loss"), rtol=1e-12)
    np.testing.assert_allclose(ours.metric("eval_loss"), ref.metric("eval_loss"), rtol=1e-12)
    assert np.isnan(ours.metric("train_accuracy")).all()  # a closure has no outputs to score
    for n, t in model.state_dict().items():
        assert torch.equal(t, before[n]), n


def test_dict_batches_and_resume(problem: Any, tmp_path: Any) -> None:
    model, x, y = problem
    batches = [{"x": x[i:i + 20], "y": y[i:i + 20]} for i in range(0, 60, 20)]
    closure = lw.model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"]))
    pairs = [(x[i:i + 20], y[i:i + 20]) for i in range(0, 60, 20)]
    ours = jump_and_retrain(model, closure, batches, sgd, **KW)
    ref = jump_and_retrain(model, F.cross_entropy, pairs, sgd, **KW)
    np.testing.assert_allclose(ours.params, ref.params, rtol=1e-6, atol=1e-7)
    path = tmp_path / "traj.npz"
    a = jump_and_retrain(model, closure, batches, sgd, checkpoint=path, **KW)
    b = jump_and_retrain(model, closure, batches, sgd, checkpoint=path, **KW)
    np.testing.assert_array_equal(a.params, b.params)
    other = lw.model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"]) * 2.0)
    with pytest.raises(ValueError, match="loss function"):
        jump_and_retrain(model, other, batches, sgd, checkpoint=path, **KW)
