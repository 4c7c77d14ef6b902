"""Hessian-vector products against the dense autograd Hessian, and the operator's contract."""

from __future__ import annotations

import copy

import pytest
import torch

from landscape_widgets.hessian import MatrixOperator, hvp_operator

from ..torch_references import (
    assert_unchanged,
    dense_hessian,
    make_classification,
    make_cnn,
    snapshot,
)


@pytest.mark.parametrize("problem", ["mlp_problem", "cnn_problem"])
def test_products_equal_dense_hessian(problem, request):
    model, loss_fn, x, y = request.getfixturevalue(problem)
    model.train()  # the operator must switch to eval mode (batch-norm running stats) itself
    snap = snapshot(model)
    H = dense_hessian(model, loss_fn, x, y)
    op = hvp_operator(model, loss_fn, (x, y), keep_graph=False)  # the recomputing path
    assert op.mode == "forward-over-reverse"
    gen = torch.Generator().manual_seed(3)
    vs = torch.randn(4, op.size, generator=gen, dtype=torch.float64)
    assert torch.allclose(op.matvec(vs[0]).cpu(), H @ vs[0], atol=1e-10, rtol=0)
    assert torch.allclose(op.matmat(vs).cpu(), vs @ H, atol=1e-10, rtol=0)
    assert op.n_products == 5
    assert_unchanged(model, snap)


def test_loader_is_sample_weighted_mean(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
    assert len(loader) == 3  # 16 + 16 + 8: a ragged last batch
    whole, batched = hvp_operator(model, loss_fn, (x, y)), hvp_operator(model, loss_fn, loader)
    v = torch.randn(whole.size, dtype=torch.float64)
    assert torch.allclose(batched.matvec(v), whole.matvec(v), atol=1e-12, rtol=0)
    assert torch.allclose(batched.loss(), whole.loss(), atol=1e-14)
    assert torch.allclose(batched.gradient(), whole.gradient(), atol=1e-13)


@pytest.mark.parametrize("batch_size", [40, 16])
def test_kept_graph_products_equal_dense_hessian(cnn_problem, batch_size):
    model, loss_fn, x, y = cnn_problem
    model.train()
    snap = snapshot(model)
    dataset = torch.utils.data.TensorDataset(x, y)
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size)
    op = hvp_operator(model, loss_fn, loader, keep_graph=True)
    assert op.mode == "reverse-over-reverse, kept graph"
    H = dense_hessian(model, loss_fn, x, y)
    vs = torch.randn(3, op.size, dtype=torch.float64)
    assert torch.allclose(op.matvec(vs[0]).cpu(), H @ vs[0], atol=1e-10, rtol=0)
    assert torch.allclose(op.matmat(vs).cpu(), vs @ H, atol=1e-10, rtol=0)
    assert_unchanged(model, snap)


def test_gradient_and_loss_match_autograd(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    op = hvp_operator(model, loss_fn, (x, y))
    loss = loss_fn(model(x), y)
    grads = torch.autograd.grad(loss, list(model.parameters()))
    expected = torch.cat([g.reshape(-1) for g in grads])
    assert torch.allclose(op.gradient().cpu(), expected, atol=1e-13)
    assert op.loss().item() == pytest.approx(loss.item(), rel=1e-14)


def test_mse_loss_falls_back_to_reverse_over_reverse():
    # torch 2.13's forward-mode AD of mse_loss's backward raises "ZeroTensors are immutable"
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 2)
    ).double()
    x, y = torch.randn(10, 3, dtype=torch.float64), torch.randn(10, 2, dtype=torch.float64)
    loss_fn = torch.nn.functional.mse_loss
    op = hvp_operator(model, loss_fn, (x, y))
    v = torch.randn(op.size, dtype=torch.float64)
    H = dense_hessian(model, loss_fn, x, y)
    assert torch.allclose(op.matvec(v).cpu(), H @ v, atol=1e-12)
    both = op.matmat(torch.stack([v, 2 * v])).cpu()
    assert torch.allclose(both, torch.stack([H @ v, 2 * H @ v]), atol=1e-12)


def test_fallback_when_forward_mode_fails(mlp_problem, monkeypatch):
    model, loss_fn, x, y = mlp_problem
    op = hvp_operator(model, loss_fn, (x, y), keep_graph=False)  # forward mode is tried

    def broken_jvp(*args, **kwargs):
        raise RuntimeError("no forward-mode rule")

    monkeypatch.setattr(torch.func, "jvp", broken_jvp)
    v = torch.randn(op.size, dtype=torch.float64)
    assert torch.allclose(op.matvec(v).cpu(), dense_hessian(model, loss_fn, x, y) @ v, atol=1e-10)
    assert op.mode == "reverse-over-reverse"


def test_float32_model_in_float64():
    model = make_cnn(torch.float32)
    x, y = make_classification(8, (1, 8, 8), torch.float32)
    snap = snapshot(model)
    op = hvp_operator(model, torch.nn.functional.cross_entropy, (x, y), dtype=torch.float64)
    assert op.theta.dtype == torch.float64
    reference = copy.deepcopy(model).double()
    H = dense_hessian(reference, torch.nn.functional.cross_entropy, x.double(), y)
    v = torch.randn(op.size, dtype=torch.float64)
    assert torch.allclose(op.matvec(v).cpu(), H @ v, atol=1e-5)
    assert_unchanged(model, snap)


def test_frozen_parameters_are_constants(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    model[0].weight.requires_grad_(False)
    op = hvp_operator(model, loss_fn, (x, y))
    assert op.size == sum(p.numel() for p in model.parameters()) - model[0].weight.numel()
    H = dense_hessian(model, loss_fn, x, y)
    assert H.shape == (op.size, op.size)
    v = torch.randn(op.size, dtype=torch.float64)
    assert torch.allclose(op.matvec(v).cpu(), H @ v, atol=1e-10)


def test_flatten_unflatten_round_trip(cnn_problem):
    model, loss_fn, x, y = cnn_problem
    op = hvp_operator(model, loss_fn, (x, y))
    d = op.unflatten(op.theta)
    assert list(d) == [n for n, _ in model.named_parameters()]
    assert all(d[n].shape == p.shape for n, p in model.named_parameters())
    assert torch.equal(op.flatten(d), op.theta)


def test_model_restored_after_an_exception_mid_product(cnn_problem):
    model, _, x, y = cnn_problem
    model.train()
    snap = snapshot(model)
    calls = {"n": 0}

    def flaky_loss(out, target):
        calls["n"] += 1
        if calls["n"] > 2:  # the two determinism-check evaluations pass, the product fails
            raise KeyboardInterrupt
        return torch.nn.functional.cross_entropy(out, target)

    op = hvp_operator(model, flaky_loss, (x, y))
    with pytest.raises(KeyboardInterrupt):
        op.matvec(torch.ones(op.size, dtype=torch.float64))
    assert_unchanged(model, snap)


def test_non_deterministic_loss_warns(mlp_problem):
    model, loss_fn, x, y = mlp_problem

    def noisy(out, target):
        return loss_fn(out, target) + 1e-3 * torch.rand(())

    with pytest.warns(RuntimeWarning, match="differs between two evaluations"):
        hvp_operator(model, noisy, (x, y))


def test_bad_input(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    with pytest.raises(ValueError, match="expected it to return a scalar"):
        hvp_operator(model, lambda o, t: (o - 0).sum(1), (x, y))
    with pytest.raises(ValueError, match="expected at least one batch"):
        hvp_operator(model, loss_fn, [])
    with pytest.raises(TypeError, match="expected a callable"):
        hvp_operator(model, "mse", (x, y))
    with pytest.raises(TypeError, match="expected a torch.nn.Module"):
        hvp_operator(lambda z: z, loss_fn, (x, y))
    with pytest.raises(ValueError, match="expected a floating dtype"):
        hvp_operator(model, loss_fn, (x, y), dtype=torch.int64)
    with pytest.raises(ValueError, match="expected a finite loss"):
        hvp_operator(model, lambda o, t: loss_fn(o, t) * float("nan"), (x, y))
    op = hvp_operator(model, loss_fn, (x, y))
    want = rf"expected a tensor of shape \(size,\) with size={op.size}, got \(3,\)"
    with pytest.raises(ValueError, match=want):
        op.matvec(torch.ones(3))
    with pytest.raises(ValueError, match=r"expected a tensor of shape \(k, size\)"):
        op.matmat(torch.ones(op.size))


def test_matrix_operator():
    A = torch.tensor([[2.0, 1.0], [1.0, 3.0]])
    op = MatrixOperator(A)
    assert torch.equal(op.matmat(torch.eye(2)), A)
    assert op.n_products == 2
    with pytest.raises(ValueError, match=r"expected a square 2-D tensor, got shape \(2, 3\)"):
        MatrixOperator(torch.ones(2, 3))


def test_out_of_memory_splits_the_block(mlp_problem, monkeypatch):
    """A block of vmapped products too large for the device is done in halves, same values."""
    model, loss_fn, x, y = mlp_problem
    op = hvp_operator(model, loss_fn, (x, y))
    op.vmap_products = True  # no race: blocks as large as the memory estimate allows
    vs = torch.randn(5, op.size, dtype=torch.float64)
    expected = op.matmat(vs)
    real = type(op)._products_at_once
    sizes = []

    def small_device(self, block):
        sizes.append(block.shape[0])
        if block.shape[0] > 2:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real(self, block)

    monkeypatch.setattr(type(op), "_products_at_once", small_device)
    assert torch.allclose(op.matmat(vs), expected, atol=1e-12, rtol=0)
    assert sizes == [5, 2, 3, 1, 2]
    assert op.n_products == 10  # counted once per product, however the block was split
    monkeypatch.setattr(type(op), "_products_at_once",
                        lambda self, block: (_ for _ in ()).throw(torch.OutOfMemoryError("x")))
    with pytest.raises(torch.OutOfMemoryError):  # a single product that does not fit: raised
        op.matvec(vs[0])


def test_block_of_products_fits_the_free_memory(cnn_problem, monkeypatch):
    """matmat vmaps at most as many products as the memory budget holds (one per call when
    memory is short), with the same values."""
    from landscape_widgets.hessian import operator as operator_mod

    model, loss_fn, x, y = cnn_problem
    vs = torch.randn(5, sum(p.numel() for p in model.parameters()), dtype=torch.float64)
    sizes = []
    real = operator_mod.HessianOperator._products_at_once

    def spy(self, block):
        sizes.append(block.shape[0])
        return real(self, block)

    monkeypatch.setattr(operator_mod.HessianOperator, "_products_at_once", spy)
    roomy = hvp_operator(model, loss_fn, (x, y))
    roomy.vmap_products = True  # no race: blocks as large as the memory estimate allows
    expected = roomy.matmat(vs)
    assert sizes == [5] and roomy.block_limit() >= 5
    monkeypatch.setattr(operator_mod, "available_memory", lambda device: 1 << 20)  # 1 MiB free
    tight = hvp_operator(model, loss_fn, (x, y))
    tight.vmap_products = True
    sizes.clear()
    assert torch.allclose(tight.matmat(vs), expected, atol=1e-12, rtol=0)
    assert tight.block_limit() == 1 and sizes == [1] * 5


@pytest.mark.parametrize("slow", ["vmapped", "single"])
def test_race_keeps_the_faster_way_to_take_many_products(mlp_problem, monkeypatch, slow):
    """The first block of >= 4 vectors races single products against vmapped ones; later
    blocks go the faster way, and every way gives the dense Hessian's products."""
    import time

    from landscape_widgets.hessian import operator as operator_mod

    model, loss_fn, x, y = mlp_problem
    H = dense_hessian(model, loss_fn, x, y)
    op = hvp_operator(model, loss_fn, (x, y))
    real = operator_mod.HessianOperator._products_at_once
    sizes = []

    def slowed(self, block):
        sizes.append(block.shape[0])
        if (block.shape[0] > 1) == (slow == "vmapped"):
            time.sleep(0.05 * block.shape[0])
        return real(self, block)

    monkeypatch.setattr(operator_mod.HessianOperator, "_products_at_once", slowed)
    vs = torch.randn(8, op.size, dtype=torch.float64)
    assert torch.allclose(op.matmat(vs).cpu(), vs @ H, atol=1e-10, rtol=0)
    assert sizes == [1, 1, 6]  # two single products timed against the other six vmapped
    assert op.vmap_products is (slow == "single")
    sizes.clear()
    assert torch.allclose(op.matmat(vs).cpu(), vs @ H, atol=1e-10, rtol=0)
    assert sizes == ([1] * 8 if slow == "vmapped" else [8])
    assert op.n_products == 16


def test_out_of_memory_inside_vmap_splits_the_block_and_keeps_vmap(mlp_problem, monkeypatch):
    """An allocation failure inside vmap is not a missing batching rule: the block is split,
    later blocks are still vmapped, and the products are the dense Hessian's."""
    model, loss_fn, x, y = mlp_problem
    H = dense_hessian(model, loss_fn, x, y)
    op = hvp_operator(model, loss_fn, (x, y), keep_graph=False)  # the forward-mode path
    op.vmap_products = True
    real_vmap = torch.func.vmap
    widths = []

    def small_device_vmap(fn, *args, **kwargs):
        mapped = real_vmap(fn, *args, **kwargs)

        def call(vs):
            widths.append(vs.shape[0])
            if vs.shape[0] > 2:
                raise RuntimeError("DefaultCPUAllocator: can't allocate memory (simulated)")
            return mapped(vs)

        return call

    monkeypatch.setattr(torch.func, "vmap", small_device_vmap)
    vs = torch.randn(4, op.size, dtype=torch.float64)
    assert torch.allclose(op.matmat(vs).cpu(), vs @ H, atol=1e-10, rtol=0)
    assert widths == [4, 2, 2] and op._vmap_ok
    assert op.mode == "forward-over-reverse"  # not mistaken for a forward-mode failure


def test_default_keeps_graphs_where_memory_allows(mlp_problem, monkeypatch):
    """keep_graph=None: the kept graph (cheaper products) when every batch's graph fits in a
    share of the free memory, else recomputed products; the same values either way."""
    from landscape_widgets.hessian import operator

    model, loss_fn, x, y = mlp_problem
    snap = snapshot(model)
    H = dense_hessian(model, loss_fn, x, y)
    vs = torch.randn(5, H.shape[0], generator=torch.Generator().manual_seed(4),
                     dtype=torch.float64)
    op = hvp_operator(model, loss_fn, [(x[:20], y[:20]), (x[20:], y[20:])])
    assert op.keep_graph and op.mode == "reverse-over-reverse, kept graph"
    assert torch.allclose(op.matmat(vs).cpu(), vs @ H, atol=1e-10, rtol=0)
    monkeypatch.setattr(operator, "available_memory", lambda device: 1024)  # 1 KiB free
    small = hvp_operator(model, loss_fn, (x, y))
    assert not small.keep_graph and small.mode == "forward-over-reverse"
    assert torch.allclose(small.matmat(vs).cpu(), vs @ H, atol=1e-10, rtol=0)
    assert_unchanged(model, snap)
