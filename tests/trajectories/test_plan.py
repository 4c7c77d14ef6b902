"""The pieces jump_and_retrain is made of (plan / one trajectory / assemble) and training through
a ``model_loss`` closure: a model that takes a dict batch and computes its own loss, checked
against a plain SGD loop; a closure run on a process pool equals the serial run."""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.subspace import random_subspace
from landscape_widgets.trajectories import jump_and_retrain
from landscape_widgets.trajectories._plan import plan_retrain
from landscape_widgets.trajectories._run import jump, samples

F = torch.nn.functional
PLAN_OPTIONS: dict[str, Any] = dict(
    record_jump=True, batch_size=16, normalization="filter", ignore_bias_and_norm=True,
    max_dims=None, projection_seed=0, shuffle_seed=0, train_metrics="exact", device=None)


class DictNet(torch.nn.Module):
    """A model in the Hugging Face style: ``model(**batch)`` with the labels among the inputs,
    returning an object with ``.loss`` and ``.logits``."""

    def __init__(self) -> None:
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(),
                                        torch.nn.Linear(8, 3))

    def forward(self, features: torch.Tensor, labels: torch.Tensor) -> SimpleNamespace:
        logits = self.body(features)
        return SimpleNamespace(logits=logits, loss=F.cross_entropy(logits, labels))


def own_loss(model: Any, batch: Any) -> torch.Tensor:  # module level: a process pool pickles it
    return model(**batch).loss


def sgd(params: Any) -> torch.optim.Optimizer:
    return torch.optim.SGD(params, lr=0.1, momentum=0.9)


def problem() -> tuple[torch.nn.Module, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    return model, torch.randn(48, 4), torch.randint(0, 3, (48,))


def test_one_trajectory_from_the_plan_equals_its_rows() -> None:
    model, x, y = problem()
    traj = jump_and_retrain(model, F.cross_entropy, (x, y), sgd, seeds=(0, 5),
                            step_sizes=(0.5, 1.0), epochs=3, eval_data=(x[:8], y[:8]),
                            batch_size=16, max_dims=None, progress=False)
    plan, train, evals = plan_retrain(model, F.cross_entropy, (x, y), sgd, (0, 5), (0.5, 1.0),
                                      3, (x[:8], y[:8]), **PLAN_OPTIONS)
    assert plan.n_samples == len(traj.params) == 4 * 4
    for t in range(plan.n_trajectories):
        si, s, c = plan.trajectory(t)
        rows = traj.trajectory == t
        assert (traj.seed[rows] == s).all() and (traj.step_size[rows] == c).all()
        assert plan.seeds[si] == s and list(np.flatnonzero(rows)) == list(
            range(plan.rows(t).start, plan.rows(t).stop))
    t = 3  # the last trajectory, run on its own: the same samples bit for bit
    net = copy.deepcopy(model)
    start = {k: v.clone() for k, v in net.state_dict().items()}
    opt = jump(plan, net, start, t)
    found = list(samples(plan, net, opt, train, evals, t))
    assert [e for e, _p, _m in found] == [0, 1, 2, 3]
    for epoch, params, metrics in found:
        row = plan.row(t, epoch)
        assert traj.epoch[row] == epoch
        np.testing.assert_array_equal(params, traj.params[row])
        assert metrics["train_loss"] == traj.train_loss[row]
        assert metrics["eval_accuracy"] == traj.eval_accuracy[row]
    # resuming after epoch 1 from the state then gives the rest
    net2 = copy.deepcopy(model)
    opt2 = jump(plan, net2, start, t)
    it = samples(plan, net2, opt2, train, evals, t)
    next(it), next(it)  # jump point, epoch 1
    state = (copy.deepcopy(net2.state_dict()), copy.deepcopy(opt2.state_dict()))
    net3 = copy.deepcopy(model)
    net3.load_state_dict(state[0])
    opt3 = sgd(list(net3.parameters()))
    opt3.load_state_dict(state[1])
    rest = list(samples(plan, net3, opt3, train, evals, t, after=1))
    assert [e for e, _p, _m in rest] == [2, 3]
    np.testing.assert_array_equal(rest[-1][1], traj.params[plan.row(t, 3)])


def test_without_the_jump_point_rows_shift() -> None:
    model, x, y = problem()
    options = {**PLAN_OPTIONS, "record_jump": False}
    plan, _train, _evals = plan_retrain(model, F.cross_entropy, (x, y), sgd, (0,), (0.5, 1.0),
                                        2, None, **options)
    assert plan.per_trajectory == 2 and plan.n_samples == 4
    assert [plan.row(t, e) for t in (0, 1) for e in (1, 2)] == [0, 1, 2, 3]


def test_the_plan_pickles_and_rewraps_its_data() -> None:
    """A ProcessPoolExecutor ships the plan with plain pickle: data sources, not wrappers."""
    model = DictNet()
    batch = {"features": torch.randn(12, 4), "labels": torch.randint(0, 3, (12,))}
    loss = lw.model_loss(own_loss)
    plan, train, _ = plan_retrain(model, loss, batch, sgd, (0,), (0.5,), 1, None,
                                  **{**PLAN_OPTIONS, "batch_size": None})
    back = pickle.loads(pickle.dumps(plan))
    train2, evals2 = back.batches()
    assert evals2 is None and train2.n_samples == train.n_samples == 12
    assert torch.equal(next(iter(train2))["features"], batch["features"])
    assert back.fingerprint() == plan.fingerprint()


def test_a_dict_batch_model_with_its_own_loss_retrains_like_a_plain_sgd_loop() -> None:
    """``model(**batch).loss`` through ``lw.model_loss``, full batch, plain SGD: epoch e is
    θ_{e-1} − lr ∇L(θ_{e-1}) from the jump point (the reference loop calls the model itself)."""
    torch.manual_seed(1)
    model = DictNet()
    batch = {"features": torch.randn(40, 4), "labels": torch.randint(0, 3, (40,))}
    lr, c, seed = 0.2, 0.5, 3
    before = {k: v.clone() for k, v in model.state_dict().items()}
    traj = jump_and_retrain(model, lw.model_loss(own_loss), batch,
                            lambda p: torch.optim.SGD(p, lr=lr), seeds=(seed,), step_sizes=(c,),
                            epochs=4, max_dims=None, progress=False)
    direction = random_subspace(model, dims=1, seed=seed, orthogonalize=False).directions[0]
    net = copy.deepcopy(model)
    with torch.no_grad():
        for n, p in net.named_parameters():
            p.add_(direction[n], alpha=c)
    expected, losses = [], []
    for epoch in range(5):
        expected.append(torch.cat([p.detach().reshape(-1) for p in net.parameters()]).numpy())
        with torch.no_grad():
            losses.append(float(net(**batch).loss))
        if epoch == 4:
            break
        net.zero_grad()
        net(**batch).loss.backward()
        with torch.no_grad():
            for p in net.parameters():
                p.sub_(lr * p.grad)
    np.testing.assert_allclose(traj.params, np.array(expected, dtype=np.float64), atol=2e-6)
    np.testing.assert_allclose(traj.train_loss, losses, rtol=1e-5)
    assert traj.train_loss[-1] < traj.train_loss[0]  # it did train
    assert np.isnan(traj.train_accuracy).all()
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k


def test_a_closure_on_a_process_pool_equals_the_serial_run() -> None:
    """The workers wrap the data with the closure as the client does (dict batches)."""
    model = DictNet()
    x, y = torch.randn(36, 4), torch.randint(0, 3, (36,))
    batches = [{"features": x[i:i + 12], "labels": y[i:i + 12]} for i in range(0, 36, 12)]
    loss = lw.model_loss(own_loss)
    kw: dict[str, Any] = dict(seeds=(0, 1), step_sizes=(0.5,), epochs=2, eval_data=batches[:1],
                              progress=False)
    serial = jump_and_retrain(model, loss, batches, sgd, **kw)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pooled = jump_and_retrain(model, loss, batches, sgd, executor=pool, **kw)
    np.testing.assert_array_equal(pooled.params, serial.params)
    np.testing.assert_array_equal(pooled.train_loss, serial.train_loss)
    np.testing.assert_array_equal(pooled.eval_loss, serial.eval_loss)


def test_plan_errors_name_the_argument() -> None:
    model, x, y = problem()
    args = (model, F.cross_entropy, (x, y), sgd, (0,), (0.5,), 1, None)
    with pytest.raises(ValueError, match=r"train_metrics: expected one of \('exact', 'running'\)"):
        plan_retrain(*args, **{**PLAN_OPTIONS, "train_metrics": "mean"})
    with pytest.raises(ValueError, match="max_dims: expected a positive int or None, got 0"):
        plan_retrain(*args, **{**PLAN_OPTIONS, "max_dims": 0})
    with pytest.raises(ValueError, match="batch_size: only for an \\(inputs, targets\\) pair"):
        plan_retrain(model, F.cross_entropy, [(x, y)], sgd, (0,), (0.5,), 1, None,
                     **PLAN_OPTIONS)
    with pytest.raises(ValueError, match="save_interval: expected seconds >= 0, got -1"):
        jump_and_retrain(model, F.cross_entropy, (x, y), sgd, save_interval=-1, progress=False)
