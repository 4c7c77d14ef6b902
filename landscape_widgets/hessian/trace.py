"""Hutchinson's trace estimator: tr(H) = E[vᵀ H v] for Rademacher probes v (entries ±1)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .._checks import seed as check_seed
from .linear import LinearOperator


@dataclass(frozen=True, eq=False)
class TraceEstimate:
    """A Monte-Carlo trace estimate.

    Attributes:
        value: the mean of the samples vᵀHv.
        std_error: the standard error of that mean (sample std / √n); the true trace lies within
            ±3 standard errors with high probability (the estimator is a mean of i.i.d. terms).
        n_samples: number of probes used (= operator products).
        samples: the individual vᵀHv values.
    """

    value: float
    std_error: float
    n_samples: int
    samples: np.ndarray


def rademacher(shape: tuple[int, ...], gen: torch.Generator) -> torch.Tensor:
    return torch.randint(0, 2, shape, generator=gen, dtype=torch.int8).to(torch.float64) * 2 - 1


def hutchinson_trace(
    op: LinearOperator,
    *,
    rtol: float = 1e-2,
    min_samples: int = 10,
    max_samples: int = 500,
    block: int = 8,
    seed: int = 0,
) -> TraceEstimate:
    """Estimate ``tr(op)``, drawing probes in blocks of ``block`` (vmapped products) until the
    standard error is below ``rtol · |estimate|`` or ``max_samples`` probes were used.

    Example:
        >>> from landscape_widgets.hessian.linear import MatrixOperator
        >>> op = MatrixOperator(torch.diag(torch.tensor([1.0, 2.0, 3.0])))
        >>> hutchinson_trace(op).value   # exact for a diagonal matrix: v_i² = 1
        6.0
    """
    if not rtol > 0:
        raise ValueError(f"rtol: expected a positive number, got {rtol!r}")
    if not 2 <= min_samples <= max_samples:
        raise ValueError(
            f"min_samples, max_samples: expected 2 <= min_samples <= max_samples, "
            f"got {min_samples} and {max_samples}"
        )
    if block < 1:
        raise ValueError(f"block: expected a positive integer, got {block!r}")
    gen = torch.Generator().manual_seed(check_seed("seed", seed))
    samples: list[float] = []
    while len(samples) < max_samples:
        b = min(block, max_samples - len(samples))
        vs = rademacher((b, op.size), gen).to(op.device, op.dtype)
        hv = op.matmat(vs)
        samples.extend((vs.double() * hv.double()).sum(dim=1).cpu().tolist())
        if len(samples) >= min_samples:
            mean = float(np.mean(samples))
            err = float(np.std(samples, ddof=1)) / math.sqrt(len(samples))
            if err <= rtol * abs(mean):
                break
    arr = np.asarray(samples)
    return TraceEstimate(
        value=float(arr.mean()),
        std_error=float(arr.std(ddof=1) / math.sqrt(arr.size)),
        n_samples=int(arr.size),
        samples=arr,
    )
