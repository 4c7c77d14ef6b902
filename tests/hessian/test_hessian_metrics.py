"""hessian_metrics: top eigenvalues and trace against the dense Hessian."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from landscape_widgets.hessian import hessian_metrics

from ..torch_references import assert_unchanged, dense_hessian, snapshot


def test_metrics_match_dense(cnn_problem):
    model, loss_fn, x, y = cnn_problem
    x, y = x[:8], y[:8]  # a smaller batch keeps the dense reference cheap
    model.train()
    snap = snapshot(model)
    H = dense_hessian(model, loss_fn, x, y)
    eigs = np.sort(np.linalg.eigvalsh(H.numpy()))[::-1]
    m = hessian_metrics(model, loss_fn, (x, y), top_n=2, tol=1e-6, max_trace_samples=96)
    np.testing.assert_allclose(m.top_eigenvalues, eigs[:2], rtol=1e-4)
    assert abs(m.trace - eigs.sum()) <= 4 * m.trace_std_error
    assert m.n_params == H.shape[0]
    model.eval()
    with torch.no_grad():
        assert m.loss == pytest.approx(loss_fn(model(x), y).item(), rel=1e-12)
    model.train()
    assert_unchanged(model, snap)
    assert m.n_products > 0
