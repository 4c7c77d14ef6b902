"""jump_and_retrain on a real model: bookkeeping, the model left alone, the jump itself,
retraining against a hand-written reference, determinism, resume, projection, bad input."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from landscape_widgets.subspace import random_subspace
from landscape_widgets.trajectories import CountSketch, Trajectories, jump_and_retrain

from .conftest import EPOCHS, SEEDS, STEPS, run, sgd


def flat(model: torch.nn.Module) -> np.ndarray:
    return torch.cat([p.detach().reshape(-1).double() for p in model.parameters()]).numpy()


def test_shapes_and_bookkeeping(traj: Trajectories, digits: Any) -> None:
    model = digits[0]
    per = EPOCHS + 1  # the jump point, then one sample per epoch
    n = len(SEEDS) * len(STEPS) * per
    d = sum(p.numel() for p in model.parameters())
    assert traj.params.shape == (n, d) and traj.params.dtype == np.float32
    assert traj.n_samples == n and traj.n_trajectories == len(SEEDS) * len(STEPS)
    assert traj.seed.tolist() == [s for s in SEEDS for _ in STEPS for _ in range(per)]
    assert traj.step_size.tolist() == [c for _ in SEEDS for c in STEPS for _ in range(per)]
    assert traj.epoch.tolist() == list(range(per)) * 4
    assert traj.trajectory.tolist() == [t for t in range(4) for _ in range(per)]
    assert np.flatnonzero(traj.jump_start).tolist() == [0, per, 2 * per, 3 * per]
    assert (traj.epoch[traj.jump_start] == 0).all()
    for name in ("train_loss", "train_accuracy", "eval_loss", "eval_accuracy"):
        values = traj.metric(name)
        assert values.shape == (n,) and np.isfinite(values).all(), name
    assert ((traj.train_accuracy >= 0) & (traj.train_accuracy <= 1)).all()
    assert traj.has_eval and traj.projection["kind"] == "none"
    assert traj.meta["optimizer"] == "SGD" and traj.meta["n_train"] == 1500
    assert traj.center.shape == (d,)
    np.testing.assert_array_equal(traj.center, flat(model).astype(np.float32))
    assert not traj.params.flags.writeable
    # retraining helps: every trajectory ends lower than its jump point
    for t in range(4):
        rows = traj.trajectory_indices(t)
        assert traj.train_loss[rows[-1]] < traj.train_loss[rows[0]]


def test_without_jump_point_is_the_same_run_minus_epoch_zero(traj: Trajectories,
                                                             digits: Any) -> None:
    short = run(digits, record_jump=False)
    assert short.n_samples == len(SEEDS) * len(STEPS) * EPOCHS
    keep = traj.epoch > 0
    np.testing.assert_array_equal(short.params, traj.params[keep])
    np.testing.assert_array_equal(short.train_loss, traj.train_loss[keep])
    assert short.epoch.min() == 1
    assert (short.epoch[short.jump_start] == 1).all()


def test_model_and_global_rng_unchanged(digits: Any) -> None:
    model = digits[0]
    model.train()  # a mode the run must restore
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    flags = {n: p.requires_grad for n, p in model.named_parameters()}
    grads = {n: None if p.grad is None else p.grad.clone() for n, p in model.named_parameters()}
    rng = torch.get_rng_state()
    try:
        run(digits, seeds=(3,), step_sizes=(1.0,), epochs=2)
        assert torch.equal(torch.get_rng_state(), rng)
        for n, p in model.named_parameters():
            assert torch.equal(p, before[n]), n
            assert (p.grad is None and grads[n] is None) or torch.equal(p.grad, grads[n]), n
        assert {n: p.requires_grad for n, p in model.named_parameters()} == flags
        assert model.training
    finally:
        model.eval()


def test_jump_is_step_times_filter_normalized_direction(traj: Trajectories,
                                                        digits: Any) -> None:
    model, loss_fn, (x, y), _ = digits
    center = flat(model)
    weights = [p.detach().double() for n, p in model.named_parameters() if p.ndim > 1]
    for si, s in enumerate(SEEDS):
        direction = random_subspace(model, dims=1, normalization="filter", seed=s,
                                    orthogonalize=False).flat()[0].double().numpy()
        norm = np.linalg.norm(direction)
        # filter normalization: every filter (row) of a weight gets the model's filter norm,
        # biases are zeroed, so the whole direction has the norm of the model's weights
        assert norm == pytest.approx(float(torch.sqrt(sum((w**2).sum() for w in weights))),
                                     rel=1e-6)
        assert traj.jump_norms[si] == pytest.approx(norm, rel=1e-9)
        for c in STEPS:
            row = np.flatnonzero((traj.seed == s) & (traj.step_size == c) & (traj.epoch == 0))
            jump = traj.params[row[0]].astype(np.float64) - center
            assert np.linalg.norm(jump) == pytest.approx(c * norm, rel=1e-5)
            np.testing.assert_allclose(jump, c * direction, atol=1e-5)
            # the loss recorded at the jump point is the loss there
            net = copy.deepcopy(model)
            torch.nn.utils.vector_to_parameters(
                torch.tensor(center + c * direction, dtype=torch.float32), net.parameters())
            with torch.no_grad():
                expect = float(loss_fn(net(x), y))
            assert traj.train_loss[row[0]] == pytest.approx(expect, rel=1e-5)


def test_retraining_matches_a_plain_sgd_loop(digits: Any) -> None:
    """Full batch, plain SGD: epoch e is θ_{e-1} − lr ∇L(θ_{e-1}) from the jump point."""
    model, loss_fn, (x, y), _ = digits
    lr, c, seed = 0.05, 0.75, 2
    traj = run(digits, make_optimizer=lambda p: torch.optim.SGD(p, lr=lr), seeds=(seed,),
               step_sizes=(c,), epochs=3, batch_size=None, eval_data=None)
    direction = random_subspace(model, dims=1, seed=seed, orthogonalize=False).directions[0]
    net = copy.deepcopy(model)
    with torch.no_grad():
        for n, p in net.named_parameters():
            p.add_(direction[n], alpha=c)
    expected = [flat(net)]
    for _ in range(3):
        net.zero_grad()
        loss_fn(net(x), y).backward()
        with torch.no_grad():
            for p in net.parameters():
                p.sub_(lr * p.grad)
        expected.append(flat(net))
    np.testing.assert_allclose(traj.params, np.array(expected), atol=2e-6)
    assert not traj.has_eval and np.isnan(traj.eval_loss).all()


def test_deterministic(traj: Trajectories, digits: Any) -> None:
    again = run(digits)
    np.testing.assert_array_equal(again.params, traj.params)
    np.testing.assert_array_equal(again.train_loss, traj.train_loss)
    np.testing.assert_array_equal(again.eval_accuracy, traj.eval_accuracy)
    other = run(digits, shuffle_seed=1)
    # same jump points, different mini-batch order afterwards
    np.testing.assert_array_equal(other.params[traj.epoch == 0], traj.params[traj.epoch == 0])
    assert not np.array_equal(other.params[traj.epoch > 0], traj.params[traj.epoch > 0])


def test_dataloader_shuffling_and_dropout_are_seeded(digits: Any) -> None:
    _, loss_fn, (x, y), _ = digits
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 16), torch.nn.ReLU(), torch.nn.Dropout(0.3),
                                torch.nn.Linear(16, 10))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=200,
                                         shuffle=True)

    def go() -> Trajectories:
        return jump_and_retrain(model, loss_fn, loader, sgd, seeds=(0,), step_sizes=(0.5,),
                                epochs=2, progress=False)

    rng = torch.get_rng_state()
    a, b = go(), go()
    assert torch.equal(torch.get_rng_state(), rng)
    np.testing.assert_array_equal(a.params, b.params)
    assert a.meta["n_train"] == 1500


def test_running_train_metrics(traj: Trajectories, digits: Any) -> None:
    running = run(digits, train_metrics="running", seeds=(0,))
    rows = traj.seed == 0
    np.testing.assert_array_equal(running.params, traj.params[rows])  # same training
    jump = running.epoch == 0  # no running value at the jump point: evaluated exactly
    np.testing.assert_array_equal(running.train_loss[jump], traj.train_loss[rows][jump])
    assert not np.allclose(running.train_loss[~jump], traj.train_loss[rows][~jump])


class Interrupt(torch.optim.SGD):
    """SGD that raises KeyboardInterrupt at its class-wide step number ``stop_at``."""

    steps = 0
    stop_at = -1

    def step(self, closure: Any = None) -> Any:
        type(self).steps += 1
        if type(self).steps == type(self).stop_at:
            raise KeyboardInterrupt
        return super().step(closure)


def interrupting(params: Any) -> torch.optim.Optimizer:
    return Interrupt(params, lr=0.1, momentum=0.9)


@pytest.mark.parametrize("stop_at", [3, 19, 33])  # first epoch, mid-trajectory, later
def test_resume_after_interruption(traj: Trajectories, digits: Any, tmp_path: Path,
                                   stop_at: int) -> None:
    path = tmp_path / "run.npz"
    Interrupt.steps, Interrupt.stop_at = 0, stop_at
    model = digits[0]
    before = flat(model)
    with pytest.raises(KeyboardInterrupt):
        run(digits, make_optimizer=interrupting, checkpoint=path, save_interval=0)
    np.testing.assert_array_equal(flat(model), before)
    assert path.exists()
    with np.load(path, allow_pickle=False) as ck:
        done = ck["done"]
    assert 0 < done.sum() < traj.n_samples
    Interrupt.stop_at = -1
    resumed = run(digits, make_optimizer=interrupting, checkpoint=path)
    np.testing.assert_array_equal(resumed.params, traj.params)
    np.testing.assert_array_equal(resumed.train_loss, traj.train_loss)
    np.testing.assert_array_equal(resumed.eval_loss, traj.eval_loss)
    # finished: a third call only reads the file
    Interrupt.steps, Interrupt.stop_at = 0, 1
    again = run(digits, make_optimizer=interrupting, checkpoint=path)
    np.testing.assert_array_equal(again.params, traj.params)


def test_checkpoint_refuses_other_arguments(digits: Any, tmp_path: Path) -> None:
    path = tmp_path / "run.npz"
    run(digits, seeds=(0,), step_sizes=(0.5,), epochs=1, checkpoint=path)
    with pytest.raises(ValueError, match="different configuration.*epochs"):
        run(digits, seeds=(0,), step_sizes=(0.5,), epochs=2, checkpoint=path)
    with pytest.raises(ValueError, match="npz"):
        run(digits, seeds=(0,), step_sizes=(0.5,), epochs=1, checkpoint=tmp_path / "x.pt")


def test_projection_bounds_memory_and_keeps_distances(traj: Trajectories, digits: Any) -> None:
    d = traj.dims
    small = run(digits, max_dims=256, projection_seed=7)
    assert small.params.shape == (traj.n_samples, 256)
    assert small.projection == {"kind": "countsketch", "n_params": d, "dims": 256, "seed": 7}
    sketch = CountSketch(d, 256, 7)
    np.testing.assert_allclose(small.params, np.array([sketch(r) for r in
                                                       traj.params.astype(np.float64)]),
                               rtol=1e-5, atol=1e-5)
    full = traj.params.astype(np.float64)
    proj = small.params.astype(np.float64)
    iu = np.triu_indices(traj.n_samples, 1)
    dist_full = np.linalg.norm(full[:, None] - full[None], axis=-1)[iu]
    dist_proj = np.linalg.norm(proj[:, None] - proj[None], axis=-1)[iu]
    # CountSketch keeps distances to ~sqrt(2/k) = 9% at k = 256
    assert np.median(np.abs(dist_proj / dist_full - 1)) < 0.1
    assert np.corrcoef(dist_full, dist_proj)[0, 1] > 0.95


def test_countsketch_preserves_inner_products_on_average() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=5000), rng.normal(size=5000)
    y = 0.6 * x + 0.8 * y
    estimates = [CountSketch(5000, 64, s)(x).astype(float) @ CountSketch(5000, 64, s)(y)
                 for s in range(200)]
    assert np.mean(estimates) == pytest.approx(x @ y, rel=0.05)
    assert CountSketch(10, 20).identity
    np.testing.assert_array_equal(CountSketch(10, 20)(np.arange(10.0)), np.arange(10.0))


def test_save_load_roundtrip(traj: Trajectories, tmp_path: Path) -> None:
    path = traj.save(tmp_path / "traj.npz")
    back = Trajectories.load(path)
    for name in ("params", "train_loss", "eval_accuracy", "seed", "step_size", "epoch",
                 "trajectory", "center", "jump_norms"):
        np.testing.assert_array_equal(getattr(back, name), getattr(traj, name))
    assert back.meta == traj.meta and back.projection == traj.projection
    assert (back.seeds, back.step_sizes, back.epochs) == (traj.seeds, traj.step_sizes, traj.epochs)
    with pytest.raises(ValueError, match="npz"):
        traj.save(tmp_path / "traj.pkl")


def test_bad_input(digits: Any) -> None:
    model, loss_fn, train, _ = digits
    with pytest.raises(ValueError, match="distinct seeds"):
        run(digits, seeds=(0, 0))
    with pytest.raises(ValueError, match="epochs"):
        run(digits, epochs=0)
    with pytest.raises(ValueError, match="step_sizes"):
        run(digits, step_sizes=(float("nan"),))
    with pytest.raises(ValueError, match="train_metrics"):
        run(digits, train_metrics="mean")
    with pytest.raises(ValueError, match="max_dims"):
        run(digits, max_dims=0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*train), batch_size=50)
    with pytest.raises(ValueError, match="batch_size"):
        jump_and_retrain(model, loss_fn, loader, sgd, batch_size=10, progress=False)
    other = torch.nn.Linear(2, 2)
    with pytest.raises(ValueError, match="make_optimizer"):
        run(digits, make_optimizer=lambda p: torch.optim.SGD(other.parameters(), lr=0.1))
    with pytest.raises(TypeError, match="make_optimizer"):
        run(digits, make_optimizer=lambda p: None)
    with pytest.raises(TypeError, match="model"):
        jump_and_retrain("net", loss_fn, train, sgd)


def test_a_pinn_with_autograd_in_forward_retrains_like_its_forward_mode_twin() -> None:
    # most PINN code takes u_x with torch.autograd.grad inside forward, which fails under
    # no_grad: evaluation must run it with autograd on, and give the twin's numbers
    from landscape_widgets import examples

    from ..torch_references import AutogradPINN

    twin, loss_fn, data = examples.convection_pinn(beta=5.0, n_collocation=48, steps=30,
                                                   width=8)
    twin = twin.double()
    data = (data[0].double(), data[1].double())
    model = AutogradPINN(copy.deepcopy(twin.net))

    def adam(params: Any) -> torch.optim.Optimizer:
        return torch.optim.Adam(params, lr=1e-2)

    kw: dict[str, Any] = dict(seeds=(0,), step_sizes=(0.5,), epochs=3, eval_data=data,
                              progress=False)
    without_grad = []  # forwards run under no_grad: the detection's one failed attempt

    def count(module: Any, args: Any) -> None:
        if not torch.is_grad_enabled():
            without_grad.append(module)

    model.register_forward_pre_hook(count)  # (deep copies of the model keep the hook)
    ours = jump_and_retrain(model, loss_fn, data, adam, **kw)
    assert len(without_grad) == 1, "autograd in forward should be found once, not every epoch"
    reference = jump_and_retrain(twin, loss_fn, data, adam, **kw)
    for name in ("train_loss", "eval_loss"):
        np.testing.assert_allclose(ours.metric(name), reference.metric(name), rtol=1e-9)
    assert np.isnan(ours.metric("train_accuracy")).all()  # a regression: no accuracy
    assert ours.metric("train_loss")[-1] < ours.metric("train_loss")[0]  # retraining works
