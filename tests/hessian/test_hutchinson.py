"""Hutchinson trace: exact where theory says so, within its stated error on a model Hessian."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from landscape_widgets.hessian import MatrixOperator, hutchinson_trace, hvp_operator

from ..torch_references import dense_hessian


def test_exact_for_diagonal():
    op = MatrixOperator(torch.diag(torch.arange(1.0, 11.0, dtype=torch.float64)))
    est = hutchinson_trace(op)
    assert est.value == 55.0 and est.std_error == 0.0
    assert est.n_samples == 16  # the first check after min_samples=10 (blocks of 8)


@pytest.mark.parametrize("problem", ["mlp_problem", "cnn_problem"])
def test_within_stated_error_of_dense_trace(problem, request):
    model, loss_fn, x, y = request.getfixturevalue(problem)
    true = torch.trace(dense_hessian(model, loss_fn, x, y)).item()
    est = hutchinson_trace(hvp_operator(model, loss_fn, (x, y)), rtol=0.02, max_samples=160)
    assert est.std_error > 0
    assert abs(est.value - true) <= 4 * est.std_error
    assert est.samples.shape == (est.n_samples,)
    assert est.value == pytest.approx(float(np.mean(est.samples)))


def test_error_shrinks_like_one_over_sqrt_n():
    gen = torch.Generator().manual_seed(0)
    B = torch.randn(60, 60, generator=gen, dtype=torch.float64)
    op = MatrixOperator(B + B.T)
    a = hutchinson_trace(op, rtol=1e-9, min_samples=16, max_samples=16, seed=1)
    b = hutchinson_trace(op, rtol=1e-9, min_samples=400, max_samples=400, seed=1)
    assert a.n_samples == 16 and b.n_samples == 400
    assert b.std_error < a.std_error / 2.5  # √(400/16) = 5, with sampling noise
    assert abs(b.value - torch.trace(B + B.T).item()) <= 4 * b.std_error


def test_bad_input():
    op = MatrixOperator(torch.eye(3))
    with pytest.raises(ValueError, match="rtol: expected a positive number, got 0"):
        hutchinson_trace(op, rtol=0)
    with pytest.raises(ValueError, match="2 <= min_samples <= max_samples, got 10 and 5"):
        hutchinson_trace(op, max_samples=5)
    with pytest.raises(ValueError, match="block: expected a positive integer"):
        hutchinson_trace(op, block=0)
