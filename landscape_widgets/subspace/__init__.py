"""Subspaces around a model: random (normalised, orthogonal) and Hessian-eigenvector directions,
and directions between models."""

from .base import Subspace
from .eigen import hessian_subspace
from .interpolation import interpolate
from .random import gram_schmidt, random_subspace

__all__ = ["Subspace", "gram_schmidt", "hessian_subspace", "interpolate", "random_subspace"]
