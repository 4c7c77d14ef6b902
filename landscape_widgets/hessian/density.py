"""Eigenvalue spectral density by stochastic Lanczos quadrature (SLQ; Ghorbani et al. 2019).

For a unit probe v, ``m`` Lanczos steps give a tridiagonal T = S diag(θ) Sᵀ; the Ritz values θ_k
with weights τ_k = S[0, k]² form an m-point Gauss quadrature of the spectral measure
Σ_i (vᵀu_i)² δ(t − λ_i), exact for polynomials of degree < 2m. With Rademacher probes,
E[(vᵀu_i)²] = 1/n, so the average over probes estimates the normalised density
φ(t) = (1/n) Σ_i δ(t − λ_i), which is then smoothed with a Gaussian of width σ.
(PyHessian's ``density()`` does the same but calls ``torch.eig``, removed from torch.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .._checks import seed as check_seed
from .lanczos import krylov_extend
from .linear import LinearOperator
from .trace import rademacher


@dataclass(frozen=True, eq=False)
class SpectralDensity:
    """Gauss-quadrature nodes and weights of each probe; a density on demand.

    Attributes:
        nodes: ``(n_probes, steps)`` Ritz values (NaN-padded where a probe's Krylov space
            was exhausted early, which makes its quadrature exact).
        weights: same shape, each row sums to 1 (0 where padded).
        size: the operator dimension n (multiply the density by n for eigenvalue counts).
        n_products: operator products used.

    Example:
        >>> from landscape_widgets.hessian.linear import MatrixOperator
        >>> op = MatrixOperator(torch.diag(torch.linspace(0, 1, 50, dtype=torch.float64)))
        >>> sd = spectral_density(op, steps=20, n_probes=2)
        >>> round(float(sd.moment(1)), 6)   # tr(H)/n
        0.5
    """

    nodes: np.ndarray
    weights: np.ndarray
    size: int
    n_products: int

    @property
    def support(self) -> tuple[float, float]:
        return float(np.nanmin(self.nodes)), float(np.nanmax(self.nodes))

    def moment(self, p: int) -> float:
        """Estimate of ``tr(H^p) / n`` (exact per probe for p < 2·steps)."""
        return float(np.mean(np.nansum(self.weights * np.nan_to_num(self.nodes) ** p, axis=1)))

    def default_sigma(self) -> float:
        lo, hi = self.support
        return 0.01 * (hi - lo) if hi > lo else 1e-3 * max(abs(hi), 1.0)

    def grid(self, n_points: int = 1000, padding: float = 0.05) -> np.ndarray:
        lo, hi = self.support
        pad = padding * (hi - lo) + 5 * self.default_sigma()
        return np.linspace(lo - pad, hi + pad, n_points)

    def evaluate(self, t: np.ndarray, sigma: float | None = None) -> np.ndarray:
        """The Gaussian-smoothed normalised density at the points ``t`` (integrates to 1).

        ``sigma`` defaults to 1% of the width of the spectrum's support."""
        sigma = self.default_sigma() if sigma is None else float(sigma)
        if not sigma > 0:
            raise ValueError(f"sigma: expected a positive number, got {sigma!r}")
        t = np.asarray(t, dtype=float)
        nodes = np.nan_to_num(self.nodes).reshape(-1)
        w = self.weights.reshape(-1) / self.nodes.shape[0]
        z = (t[..., None] - nodes) / sigma
        return (np.exp(-0.5 * z**2) * w).sum(axis=-1) / (sigma * np.sqrt(2 * np.pi))


def spectral_density(
    op: LinearOperator, *, steps: int = 80, n_probes: int = 4, seed: int = 0
) -> SpectralDensity:
    """SLQ with ``n_probes`` Rademacher probes and ``steps`` Lanczos steps each (full
    reorthogonalisation), i.e. ``steps · n_probes`` operator products.

    Example:
        >>> # op = hvp_operator(model, loss_fn, data)
        >>> # sd = spectral_density(op); t = sd.grid(); phi = sd.evaluate(t)
    """
    if steps < 1 or n_probes < 1:
        raise ValueError(f"steps, n_probes: expected positive integers, got {steps} and {n_probes}")
    m = min(steps, op.size)
    gen = torch.Generator().manual_seed(check_seed("seed", seed))
    nodes = np.full((n_probes, m), np.nan)
    weights = np.zeros((n_probes, m))
    used0 = op.n_products
    for p in range(n_probes):
        V = torch.empty(m + 1, op.size, dtype=op.dtype, device=op.device)
        v = rademacher((op.size,), gen)
        V[0] = (v / v.norm()).to(op.device, op.dtype)
        T = np.zeros((m + 1, m + 1))
        j, _ = krylov_extend(op, V, T, 0, m, gen=None)
        theta, S = np.linalg.eigh(T[:j, :j])
        nodes[p, :j] = theta
        weights[p, :j] = S[0] ** 2
    return SpectralDensity(
        nodes=nodes, weights=weights, size=op.size, n_products=op.n_products - used0
    )
