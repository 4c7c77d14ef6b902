"""Curvature of the training loss: Hessian-vector products (torch.func, forward-over-reverse;
plain autograd for a forward that differentiates itself), Lanczos eigenpairs, Hutchinson trace
and the SLQ spectral density."""

from .density import SpectralDensity, spectral_density
from .hvp import hvp_operator
from .lanczos import EigenPairs, lanczos_eigenpairs
from .linear import LinearOperator, MatrixOperator
from .metrics import HessianMetrics, hessian_metrics
from .operator import HessianOperator
from .trace import TraceEstimate, hutchinson_trace

__all__ = [
    "EigenPairs",
    "HessianMetrics",
    "HessianOperator",
    "LinearOperator",
    "MatrixOperator",
    "SpectralDensity",
    "TraceEstimate",
    "hessian_metrics",
    "hutchinson_trace",
    "hvp_operator",
    "lanczos_eigenpairs",
    "spectral_density",
]
