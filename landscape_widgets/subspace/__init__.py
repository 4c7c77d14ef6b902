"""Subspaces around a model: random (normalised, orthogonal) and Hessian-eigenvector directions,
directions between models, and the PCA directions of a training trajectory."""

from .base import Subspace
from .eigen import hessian_subspace
from .interpolation import interpolate
from .random import gram_schmidt, random_subspace
from .trajectory import ProjectedPath, project_trajectory, trajectory_subspace

__all__ = [
    "ProjectedPath",
    "Subspace",
    "gram_schmidt",
    "hessian_subspace",
    "interpolate",
    "project_trajectory",
    "random_subspace",
    "trajectory_subspace",
]
