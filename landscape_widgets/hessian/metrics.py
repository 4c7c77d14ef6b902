"""The Hessian metrics of seed 000 (Fig. 5) in one call: top eigenvalues and trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from .hvp import hvp_operator
from .lanczos import lanczos_eigenpairs
from .operator import LossFn
from .trace import hutchinson_trace


@dataclass(frozen=True)
class HessianMetrics:
    """Curvature summary of a model's training loss at its parameters.

    Attributes:
        loss: the training loss (eval mode, sample-weighted mean).
        top_eigenvalues: the ``top_n`` largest (algebraic) Hessian eigenvalues, descending.
        trace: Hutchinson estimate of tr(H); ``trace_std_error`` its standard error.
        n_params: number of trainable parameters.
        n_products: Hessian-vector products used in total.
    """

    loss: float
    top_eigenvalues: tuple[float, ...]
    trace: float
    trace_std_error: float
    n_params: int
    n_products: int


def hessian_metrics(
    model: torch.nn.Module,
    loss_fn: LossFn,
    data: Any,
    *,
    top_n: int = 1,
    tol: float = 1e-3,
    trace_rtol: float = 1e-2,
    max_trace_samples: int = 200,
    device: torch.device | str | None = None,
    seed: int = 0,
    keep_graph: bool | None = None,
) -> HessianMetrics:
    """Top eigenvalues (Lanczos) and trace (Hutchinson) of the training-loss Hessian.

    Example:
        >>> net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
        >>> data = (torch.randn(32, 4), torch.randn(32, 1))
        >>> m = hessian_metrics(net, torch.nn.functional.mse_loss, data, top_n=2)
        >>> len(m.top_eigenvalues)
        2
    """
    op = hvp_operator(model, loss_fn, data, device=device, keep_graph=keep_graph)
    pairs = lanczos_eigenpairs(op, top_n, which="largest", tol=tol, seed=seed)
    trace = hutchinson_trace(op, rtol=trace_rtol, max_samples=max_trace_samples, seed=seed)
    return HessianMetrics(
        loss=float(op.loss()),
        top_eigenvalues=tuple(float(x) for x in pairs.eigenvalues),
        trace=trace.value,
        trace_std_error=trace.std_error,
        n_params=op.size,
        n_products=op.n_products,
    )
