import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets import examples

from .torch_references import AutogradPINN, dense_hessian


def test_four_wells_has_its_minima_at_the_centres():
    land = examples.four_wells(resolution=41)
    for (cx, cy), depth in zip(examples.FOUR_WELLS["centers"], examples.FOUR_WELLS["depths"]):
        i = int(np.argmin(np.abs(land.axes[0] - cx)))
        j = int(np.argmin(np.abs(land.axes[1] - cy)))
        window = land.values[i - 1 : i + 2, j - 1 : j + 2]
        assert land.values[i, j] == window.min()
        assert land.values[i, j] < 1.0 - 0.9 * depth


def test_himmelblau_is_zero_at_its_known_minima():
    pts = np.array(
        [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
    )
    np.testing.assert_allclose(examples.himmelblau(pts), 0.0, atol=1e-9)


def test_digits_mlp_trains_and_leaves_global_rng_alone():
    state = torch.get_rng_state()
    model, loss_fn, (x, y) = examples.digits_mlp(epochs=30, seed=1)
    assert torch.equal(state, torch.get_rng_state())
    assert not model.training
    acc = (model(x).argmax(1) == y).float().mean().item()
    assert acc > 0.9
    model2, _, _ = examples.digits_mlp(epochs=30, seed=1)
    for p, q in zip(model.parameters(), model2.parameters()):
        assert torch.equal(p, q)


def test_convection_pinn_derivatives_and_loss_are_right():
    model, loss_fn, (x, y) = examples.convection_pinn(beta=3.0, n_collocation=32, steps=2)
    out = model(x)
    assert out.shape == (x.shape[0], 3)
    # forward-mode derivatives equal autograd's
    pts = x.clone().requires_grad_(True)
    u = model.net(pts)
    grad = torch.autograd.grad(u.sum(), pts)[0]
    torch.testing.assert_close(out[:, 2], grad[:, 0], rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(out[:, 1], grad[:, 1], rtol=1e-5, atol=1e-6)
    # the loss written out by hand
    kind = y[:, 0]
    res = (out[kind == 0, 1] + 3.0 * out[kind == 0, 2]).pow(2).mean()
    ic = (out[kind == 1, 0] - torch.sin(x[kind == 1, 0])).pow(2).mean()
    bc = (out[kind == 2, 0] - out[kind == 3, 0]).pow(2).mean()
    torch.testing.assert_close(loss_fn(out, y), res + ic + bc)


def test_convection_pinn_hessian_matches_an_autograd_reference():
    # the landscapes' Hessian subspaces differentiate the hand-written forward mode twice more
    model, loss_fn, (x, y) = examples.convection_pinn(beta=5.0, n_collocation=24, steps=20, width=6)
    model = model.double()
    x = x.double()
    reference = dense_hessian(AutogradPINN(model.net), loss_fn, x, y)
    op = lw.hvp_operator(model, loss_fn, (x, y), dtype=torch.float64)
    ours = torch.stack([op.matvec(e) for e in torch.eye(op.size, dtype=torch.float64)], 1)
    assert reference.abs().max() > 1.0  # a curved loss, not a trivially small Hessian
    torch.testing.assert_close(ours, reference, rtol=1e-8, atol=1e-9)
    # and its vmap over parameter sets (landscape sampling) gives each set's own loss
    params = {n: p.detach() for n, p in model.named_parameters()}
    batch = {n: torch.stack([p, p * 1.1, p - 0.05]) for n, p in params.items()}
    batched = torch.vmap(lambda p: loss_fn(torch.func.functional_call(model, p, (x,)), y))(batch)
    for i in range(3):
        one = {n: b[i] for n, b in batch.items()}
        alone = loss_fn(torch.func.functional_call(model, one, (x,)), y)
        torch.testing.assert_close(batched[i], alone)


def test_convection_pinn_learns_the_easy_case():
    untrained, loss_fn, (x, y) = examples.convection_pinn(beta=1.0, n_collocation=128, steps=0)
    trained, _, _ = examples.convection_pinn(beta=1.0, n_collocation=128, steps=300)
    with torch.no_grad():
        assert loss_fn(trained(x), y).item() < 0.2 * loss_fn(untrained(x), y).item()


def test_relaxing_walks_layout_and_loss() -> None:
    traj = examples.relaxing_walks(6, 4, seed=3, dims=5)
    assert traj.n_samples == 6 * 5 and traj.params.shape == (30, 5)
    # each walk recorded at epochs 0..4; four walks per seed; step sizes by walk
    np.testing.assert_array_equal(traj.epoch, np.tile(np.arange(5), 6))
    np.testing.assert_array_equal(traj.seed, np.repeat([0, 0, 0, 0, 1, 1], 5))
    np.testing.assert_allclose(traj.step_size, np.repeat([0.25, 0.5, 0.75, 1.0, 0.25, 0.5], 5))
    # the loss is the squared distance to the origin (+ 1e-3), and a walk relaxes towards it
    np.testing.assert_allclose(traj.train_loss, (traj.params.astype(np.float64) ** 2).sum(1)
                               + 1e-3, rtol=1e-5)
    per_walk = traj.train_loss.reshape(6, 5)
    assert (per_walk[:, -1] < per_walk[:, 0]).all()
    # seeded: the same walks again
    np.testing.assert_array_equal(examples.relaxing_walks(6, 4, seed=3, dims=5).params, traj.params)


def test_relaxing_walks_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError, match="n_walks: expected an integer >= 1, got 0"):
        examples.relaxing_walks(0, 4)
    with pytest.raises(ValueError, match="epochs: expected an integer >= 0, got 2.5"):
        examples.relaxing_walks(2, 2.5)
