"""Subspaces around a model: random (normalised, orthogonal) and Hessian-eigenvector directions."""

from .base import Subspace

__all__ = ["Subspace"]
