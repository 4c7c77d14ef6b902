"""What the Hessian algorithms (Lanczos, Hutchinson, SLQ) need of an operator, and a dense
matrix that provides it (reference computations and tests)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import torch


@runtime_checkable
class LinearOperator(Protocol):
    """A symmetric linear operator on flat vectors of length ``size``."""

    size: int
    dtype: torch.dtype
    device: torch.device
    n_products: int

    def matvec(self, v: torch.Tensor) -> torch.Tensor: ...

    def matmat(self, vs: torch.Tensor) -> torch.Tensor: ...


class MatrixOperator:
    """A dense symmetric matrix as a :class:`LinearOperator` (reference computations, tests).

    Example:
        >>> op = MatrixOperator(torch.diag(torch.tensor([3.0, 1.0])))
        >>> op.matvec(torch.ones(2)).tolist()
        [3.0, 1.0]
    """

    def __init__(self, matrix: torch.Tensor) -> None:
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError(
                f"matrix: expected a square 2-D tensor, got shape {tuple(matrix.shape)}"
            )
        self.matrix = matrix
        self.size = int(matrix.shape[0])
        self.dtype = matrix.dtype
        self.device = matrix.device
        self.n_products = 0

    def matvec(self, v: torch.Tensor) -> torch.Tensor:
        self.n_products += 1
        return self.matrix @ v

    def matmat(self, vs: torch.Tensor) -> torch.Tensor:
        self.n_products += int(vs.shape[0])
        return vs @ self.matrix.T
