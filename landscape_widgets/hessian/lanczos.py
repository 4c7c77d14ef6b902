"""Extreme eigenpairs of a symmetric operator: thick-restart Lanczos with full reorthogonalisation.

Why Lanczos and not PyHessian's deflated power iteration: power iteration converges at the rate
λ₂/λ₁ per product and starts afresh for every eigenpair, while Lanczos converges at a rate set
by the gap relative to the whole spectrum's width (Chebyshev acceleration) and finds all the
extreme eigenpairs from one Krylov space. Full reorthogonalisation (twice, "twice is enough")
avoids ghost eigenvalues; thick restart (Wu & Simon 2000) keeps memory at ``basis_size`` vectors.

The projected matrix ``T = Vᵀ A V`` is built column by column from explicit projections, so after
a restart (where T is an arrowhead, not tridiagonal) no special bookkeeping is needed, and the
residual of a Ritz pair (θ, V s) is ``β |s_last|``, with β the norm of the newest residual.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch

from .._checks import seed as check_seed
from .linear import LinearOperator

WHICH = ("largest", "smallest", "magnitude")


@dataclass(frozen=True, eq=False)
class EigenPairs:
    """Eigenpairs found by :func:`lanczos_eigenpairs`, ordered as asked (``which``).

    Attributes:
        eigenvalues: float64 array ``(k,)``.
        eigenvectors: ``(k, size)`` tensor of unit rows (sign: largest entry positive).
        residuals: estimated ``‖A y − θ y‖`` for each pair.
        n_products: operator products used.
        converged: whether every residual is below ``tol`` relative to its eigenvalue.
        which: "largest" (algebraic), "smallest" or "magnitude".
    """

    eigenvalues: np.ndarray
    eigenvectors: torch.Tensor
    residuals: np.ndarray
    n_products: int
    converged: bool
    which: str


def _order(theta: np.ndarray, which: str) -> np.ndarray:
    if which == "largest":
        return np.argsort(-theta, kind="stable")
    if which == "smallest":
        return np.argsort(theta, kind="stable")
    return np.argsort(-np.abs(theta), kind="stable")


def _orthogonalise(V: torch.Tensor, w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Remove from ``w`` its components along the (orthonormal) rows of ``V``, twice."""
    h = V @ w
    w = w - V.T @ h
    h2 = V @ w
    return w - V.T @ h2, (h + h2).double().cpu()


def _random_unit(size: int, like: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    v = torch.randn(size, generator=gen, dtype=torch.float64).to(like.device, like.dtype)
    return v / v.norm()


def krylov_extend(
    op: LinearOperator,
    V: torch.Tensor,
    T: np.ndarray,
    start: int,
    stop: int,
    gen: torch.Generator | None = None,
) -> tuple[int, float]:
    """Lanczos columns ``start..stop-1``: ``V[:start+1]`` holds orthonormal rows on entry; on
    return ``V[:j+1]`` and ``T[:j, :j] = Vᵀ A V`` for the returned ``j`` (``stop`` unless the
    Krylov space became invariant and ``gen`` is None), with β the residual norm of column
    ``j-1``. On an invariant subspace, a fresh random vector continues if ``gen`` is given."""
    scale, beta = 0.0, 0.0  # beta stays 0 only when start == stop: nothing extended
    for j in range(start, stop):
        w = op.matvec(V[j])
        w, h = _orthogonalise(V[: j + 1], w)
        T[: j + 1, j] = h.numpy()
        T[j, : j + 1] = h.numpy()
        beta = float(w.norm())
        scale = max(scale, float(np.abs(h.numpy()).max()), beta)
        if j + 1 >= V.shape[0]:
            return j + 1, beta
        if j + 1 >= op.size or beta <= 1e-10 * max(scale, 1e-300):
            if gen is None or j + 1 >= op.size:
                return j + 1, 0.0
            w, _ = _orthogonalise(V[: j + 1], _random_unit(op.size, V, gen))
            V[j + 1] = w / w.norm()
            continue  # coupling 0: the projected matrix stays block diagonal
        V[j + 1] = w / beta
    return stop, beta


def lanczos_eigenpairs(
    op: LinearOperator,
    k: int = 1,
    *,
    which: str = "largest",
    tol: float = 1e-4,
    basis_size: int | None = None,
    max_products: int | None = None,
    seed: int = 0,
) -> EigenPairs:
    """The ``k`` extreme eigenpairs of the symmetric operator ``op``.

    Args:
        k: number of eigenpairs.
        which: "largest" (algebraic, the default: the sharpest upward curvature), "smallest",
            or "magnitude" (what power iteration finds).
        tol: stop when every wanted residual ``‖A y − θ y‖ ≤ tol · |θ|`` (the floor for |θ| is
            1e-3 of the largest |θ|). The eigenvalue error is then about tol²·|θ|·|θ|/gap.
        basis_size: Krylov vectors kept in memory (default ``max(2k + 20, 30)``, at most size).
        max_products: give up (with a warning, ``converged=False``) after this many products.
        seed: seed of the random start vector (a private ``torch.Generator``).

    Example:
        >>> from landscape_widgets.hessian.linear import MatrixOperator
        >>> op = MatrixOperator(torch.diag(torch.arange(1.0, 101.0, dtype=torch.float64)))
        >>> lanczos_eigenpairs(op, 2).eigenvalues.round(4).tolist()
        [100.0, 99.0]
    """
    if which not in WHICH:
        raise ValueError(f"which: expected one of {WHICH}, got {which!r}")
    n = int(op.size)
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise ValueError(f"k: expected an integer between 1 and the operator size {n}, got {k!r}")
    if not tol > 0:
        raise ValueError(f"tol: expected a positive number, got {tol!r}")
    m = min(n, basis_size if basis_size is not None else max(2 * k + 20, 30))
    if m < min(n, k + 2):
        raise ValueError(f"basis_size: expected at least k + 2 = {k + 2}, got {basis_size}")
    max_products = max_products if max_products is not None else max(100 * m, 2000)
    gen = torch.Generator().manual_seed(check_seed("seed", seed))

    V = torch.empty(m + 1, n, dtype=op.dtype, device=op.device)
    T = np.zeros((m + 1, m + 1))
    V[0] = _random_unit(n, V, gen)
    used0 = op.n_products
    j = 0
    while True:
        # one column at a time: the convergence test (an eigh of a small matrix) is free
        # compared with a Hessian-vector product, and stopping early saves products
        j, beta = krylov_extend(op, V, T, j, j + 1, gen)
        theta, S = np.linalg.eigh(T[:j, :j])
        order = _order(theta, which)
        residuals = beta * np.abs(S[j - 1, order])
        floor = 1e-3 * np.abs(theta).max()
        ok = residuals[:k] <= tol * np.maximum(np.abs(theta[order[:k]]), floor)
        products = op.n_products - used0
        if (j >= k and ok.all()) or j >= n or products >= max_products:
            break
        if j < m:
            continue
        # thick restart: keep the best Ritz vectors, continue from the residual direction
        keep = min(j - 1, k + max((m - k) // 2, 1))
        sel = order[:keep]
        coeff = torch.from_numpy(np.ascontiguousarray(S[:, sel].T)).to(V.device, V.dtype)
        residual = V[j].clone()
        V[:keep] = coeff @ V[:j]
        V[keep] = residual
        T[:] = 0.0
        T[np.arange(keep), np.arange(keep)] = theta[sel]
        j = keep

    converged = bool(j >= k and ok.all()) or j >= n
    if not converged:
        warnings.warn(
            f"Lanczos: {k} eigenpairs not converged to tol={tol} after {products} products "
            f"(residuals {residuals[:k].tolist()}); raise max_products or basis_size",
            RuntimeWarning,
            stacklevel=2,
        )
    sel = order[:k]
    coeff = torch.from_numpy(np.ascontiguousarray(S[:, sel].T)).to(V.device, V.dtype)
    Y = coeff @ V[:j]
    Y = Y / Y.norm(dim=1, keepdim=True)
    signs = torch.sign(Y.gather(1, Y.abs().argmax(dim=1, keepdim=True)))
    return EigenPairs(
        eigenvalues=theta[sel].astype(np.float64),
        eigenvectors=Y * signs,
        residuals=np.where(j >= n, 0.0, residuals[:k]),
        n_products=products,
        converged=converged,
        which=which,
    )
