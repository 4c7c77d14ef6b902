"""Fixtures: the small models and dense-Hessian references shared with the other curvature tests."""

from ..torch_references import cnn_problem, mlp_problem  # noqa: F401 (fixtures)
