"""Hessian subspaces: the top eigenvectors of the training-loss Hessian as directions."""

from __future__ import annotations

from typing import Any

import torch

from ..hessian.hvp import hvp_operator
from ..hessian.lanczos import lanczos_eigenpairs
from ..hessian.operator import LossFn
from .base import Direction, Subspace
from .random import NORMALIZATIONS, _filter_normalise


def hessian_subspace(
    model: torch.nn.Module,
    loss_fn: LossFn,
    data: Any,
    dims: int = 3,
    *,
    which: str = "largest",
    tol: float = 1e-4,
    seed: int = 0,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
    basis_size: int | None = None,
    max_products: int | None = None,
    keep_graph: bool | None = None,
    normalization: str | None = None,
) -> Subspace:
    """The ``dims`` top Hessian eigenvectors (unit length, orthonormal) at the model's parameters,
    by thick-restart Lanczos on Hessian-vector products (``torch.func``, forward-over-reverse).

    ``data`` is one ``(inputs, targets)`` batch or a loader (the Hessian of the sample-weighted
    mean loss); the model is evaluated in eval mode and left untouched. ``which``: "largest"
    (algebraic, default), "smallest" or "magnitude". ``sub.eigenvalues`` follow the directions;
    ``sub.extra`` records residuals, products used and convergence. Directions are unit vectors,
    so the extent of a Hessian landscape is a distance in parameter space. ``keep_graph``:
    see :func:`~landscape_widgets.hessian.hvp_operator` (faster products, more memory).

    ``normalization`` rescales each eigenvector as random directions are scaled (Li et al. 2018),
    so that an extent means the same for both kinds: "layer" gives each tensor's piece the norm of
    the model's tensor, "filter" each filter's piece (slice along dim 0) the norm of the model's
    filter; None (default) keeps unit vectors. Rescaled directions keep their eigenvalues
    (those of the unit eigenvectors, recorded in ``sub.eigenvalues``) but are no longer
    orthonormal (``sub.orthonormal`` is False); pieces of all-zero tensors stay zero.

    Example:
        >>> net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
        >>> data = (torch.randn(32, 4), torch.randn(32, 1))
        >>> sub = hessian_subspace(net, torch.nn.functional.mse_loss, data, dims=2)
        >>> sub.eigenvalues[0] >= sub.eigenvalues[1]
        True
    """
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization: expected one of {NORMALIZATIONS}, got {normalization!r}")
    op = hvp_operator(model, loss_fn, data, device=device, dtype=dtype, keep_graph=keep_graph)
    if not isinstance(dims, int) or isinstance(dims, bool) or not 1 <= dims <= op.size:
        raise ValueError(
            f"dims: expected an integer between 1 and the number of parameters ({op.size}), "
            f"got {dims!r}"
        )
    pairs = lanczos_eigenpairs(
        op, dims, which=which, tol=tol, seed=seed, basis_size=basis_size, max_products=max_products
    )
    model_dtypes = {n: p.dtype for n, p in model.named_parameters()}
    directions = tuple(
        {n: t.detach().to("cpu", model_dtypes[n]) for n, t in op.unflatten(vec).items()}
        for vec in pairs.eigenvectors
    )
    if normalization is not None:
        directions = tuple(_rescale_like_model(model, d, normalization) for d in directions)
    return Subspace(
        directions=directions,
        kind="hessian",
        normalization=normalization,
        seed=seed,
        eigenvalues=tuple(float(x) for x in pairs.eigenvalues),
        orthonormal=normalization is None,
        extra={
            "lengths": "unit" if normalization is None else f"{normalization}-normalised",
            "which": which,
            "tol": tol,
            "residuals": [float(r) for r in pairs.residuals],
            "converged": pairs.converged,
            "n_products": pairs.n_products,
            "hvp_mode": op.mode,
            "n_params": op.size,
        },
    )


def _rescale_like_model(
    model: torch.nn.Module, direction: Direction, normalization: str
) -> Direction:
    """Each tensor's (or filter's) piece of ``direction`` rescaled to the model's norm there, in
    float64, then cast back to the parameter's dtype (as ``random_subspace`` scales its draws)."""
    weights = dict(model.named_parameters())
    out: Direction = {}
    for name, d in direction.items():
        w = weights[name].detach().to("cpu", torch.float64)
        d64 = d.to(torch.float64)
        if normalization == "filter":
            scaled = _filter_normalise(d64, w)
        else:
            scaled = d64 * (w.norm() / (d64.norm() + 1e-10))
        out[name] = scaled.to(d.dtype)
    if all(float(t.abs().sum()) == 0 for t in out.values()):
        raise ValueError(
            "model: expected non-zero parameters to scale the directions by, got all-zero "
            f"{normalization}-norms; use normalization=None"
        )
    return out
