"""Stochastic Lanczos quadrature: exact moments (Gauss quadrature), normalisation, and closeness
to the smoothed true spectrum. (PyHessian's density() cannot serve as a reference: it calls
torch.eig, removed from torch.)"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from landscape_widgets.hessian import MatrixOperator, hvp_operator, spectral_density

from ..torch_references import dense_hessian


def test_moments_exact_for_diagonal_operator():
    # Rademacher probes have v_i² = 1/n exactly, so every probe's quadrature reproduces
    # tr(H^p)/n for p < 2·steps
    lam = torch.linspace(-1.0, 2.0, 200, dtype=torch.float64) ** 3
    sd = spectral_density(MatrixOperator(torch.diag(lam)), steps=6, n_probes=3)
    assert sd.nodes.shape == (3, 6) and sd.n_products == 18
    np.testing.assert_allclose(sd.weights.sum(axis=1), 1.0, rtol=1e-12)
    for p in range(12):
        assert sd.moment(p) == pytest.approx((lam**p).mean().item(), rel=1e-9, abs=1e-12)


def smoothed(eigs: np.ndarray, t: np.ndarray, sigma: float) -> np.ndarray:
    z = (t[:, None] - eigs) / sigma
    return np.exp(-0.5 * z**2).sum(1) / (len(eigs) * sigma * np.sqrt(2 * np.pi))


def test_density_close_to_smoothed_dense_spectrum(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    eigs = np.linalg.eigvalsh(dense_hessian(model, loss_fn, x, y).numpy())
    sd = spectral_density(hvp_operator(model, loss_fn, (x, y)), steps=40, n_probes=6)
    t = sd.grid(2000)
    sigma = 0.05 * (eigs.max() - eigs.min())
    phi = sd.evaluate(t, sigma)
    dt = t[1] - t[0]
    assert phi.sum() * dt == pytest.approx(1.0, abs=1e-3)
    assert np.abs(phi - smoothed(eigs, t, sigma)).sum() * dt < 0.1  # L1 distance
    lo, hi = sd.support
    assert eigs.min() - 1e-6 <= lo and hi <= eigs.max() + 1e-6  # Ritz values interlace
    assert hi == pytest.approx(eigs.max(), rel=1e-6)  # extreme ones converge first


def test_probe_exhausting_krylov_space_is_exact():
    A = torch.diag(torch.tensor([1.0, 1.0, 2.0, 2.0, 3.0], dtype=torch.float64))
    sd = spectral_density(MatrixOperator(A), steps=5, n_probes=2)
    # three distinct eigenvalues: the Krylov space has dimension 3, the rest is padding
    assert np.isnan(sd.nodes[:, 3:]).all() and (sd.weights[:, 3:] == 0).all()
    np.testing.assert_allclose(np.sort(sd.nodes[0, :3]), [1.0, 2.0, 3.0], atol=1e-12)
    np.testing.assert_allclose(sd.weights[0, np.argsort(sd.nodes[0, :3])], [0.4, 0.4, 0.2])


def test_bad_input():
    op = MatrixOperator(torch.eye(4))
    with pytest.raises(ValueError, match="steps, n_probes: expected positive integers, got 0"):
        spectral_density(op, steps=0)
    sd = spectral_density(MatrixOperator(torch.diag(torch.arange(4.0))), steps=4, n_probes=1)
    with pytest.raises(ValueError, match="sigma: expected a positive number, got -1"):
        sd.evaluate(np.zeros(3), sigma=-1)
