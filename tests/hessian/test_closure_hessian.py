"""Loss closures through the curvature stage: Hessian products equal the dense Hessian of the
``(outputs, targets)`` form; a regulariser closure (loss + λ‖θ‖²) shifts every eigenvalue by
exactly 2λ; Lanczos, Hutchinson, density, hessian_subspace and hessian_metrics take closures;
the model is left bit-identical."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.hessian import hutchinson_trace, hvp_operator, lanczos_eigenpairs

from ..torch_references import assert_unchanged, dense_hessian, snapshot

F = torch.nn.functional
LAMBDA = 0.05


def _closure(lam: float = 0.0):
    def fn(model, batch):
        loss = F.cross_entropy(model(batch["x"]), batch["y"])
        if lam:
            loss = loss + lam * sum((p ** 2).sum() for p in model.parameters())
        return loss

    return lw.model_loss(fn)


def test_closure_products_equal_the_dense_hessian(cnn_problem):
    model, loss_fn, x, y = cnn_problem
    snap = snapshot(model)
    ref = dense_hessian(model, loss_fn, x, y)
    batches = [{"x": x[:10], "y": y[:10]}, {"x": x[10:], "y": y[10:]}]
    op = hvp_operator(model, _closure(), batches)
    torch.testing.assert_close(op.dense(), ref, rtol=1e-9, atol=1e-10)
    assert_unchanged(model, snap)
    kept = hvp_operator(model, _closure(), batches, keep_graph=True)
    torch.testing.assert_close(kept.dense(), ref, rtol=1e-9, atol=1e-10)
    assert_unchanged(model, snap)


def test_regulariser_closure_shifts_the_spectrum_by_two_lambda(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    batch = {"x": x, "y": y}
    plain = np.linalg.eigvalsh(dense_hessian(model, loss_fn, x, y).numpy())
    op = hvp_operator(model, _closure(LAMBDA), batch)
    shifted = np.linalg.eigvalsh(op.dense().numpy())
    np.testing.assert_allclose(shifted, plain + 2 * LAMBDA, rtol=1e-9, atol=1e-10)
    # Lanczos and Hutchinson see the same shift
    top = lanczos_eigenpairs(op, k=3, seed=0).eigenvalues
    np.testing.assert_allclose(np.sort(np.asarray(top))[::-1], plain[::-1][:3] + 2 * LAMBDA,
                               rtol=1e-6)
    trace = hutchinson_trace(op, rtol=1e-3, max_samples=400, seed=0)
    exact = plain.sum() + 2 * LAMBDA * op.size
    assert abs(trace.value - exact) < 4 * trace.std_error + 1e-9


def test_closure_stages_equal_the_pair_form(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    snap = snapshot(model)
    batch = {"x": x, "y": y}
    a = lw.hessian_subspace(model, _closure(), batch, dims=2, seed=0)
    b = lw.hessian_subspace(model, loss_fn, (x, y), dims=2, seed=0)
    np.testing.assert_allclose(a.eigenvalues, b.eigenvalues, rtol=1e-8)
    ma = lw.hessian_metrics(model, _closure(), batch, seed=0)
    mb = lw.hessian_metrics(model, loss_fn, (x, y), seed=0)
    for key in ("loss", "top_eigenvalues", "trace", "trace_std_error", "n_params"):
        np.testing.assert_allclose(getattr(ma, key), getattr(mb, key), rtol=1e-8, err_msg=key)
    da = lw.spectral_density(hvp_operator(model, _closure(), batch), n_probes=2, steps=10,
                             seed=0)
    db = lw.spectral_density(hvp_operator(model, loss_fn, (x, y)), n_probes=2, steps=10,
                             seed=0)
    np.testing.assert_allclose(da.nodes, db.nodes, rtol=1e-8, atol=1e-10)
    assert_unchanged(model, snap)


def test_half_precision_loss_accumulates_in_float32(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    model = model.bfloat16()
    batches = [{"x": x[i:i + 8].bfloat16(), "y": y[i:i + 8]} for i in range(0, 40, 8)]
    op = hvp_operator(model, _closure(), batches)
    assert op.loss().dtype == torch.float32
    wide = hvp_operator(model, _closure(), batches, dtype=torch.float64)
    assert wide.loss().dtype == torch.float64
    assert abs(float(op.loss()) - float(wide.loss())) < 0.05 * float(wide.loss())


def test_closure_errors_name_the_argument(mlp_problem):
    model, _loss_fn, x, y = mlp_problem
    bad = lw.model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"], reduction="none"))
    with pytest.raises(ValueError, match="loss_fn: expected it to return a scalar"):
        hvp_operator(model, bad, {"x": x, "y": y})
