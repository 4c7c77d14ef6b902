"""Models whose forward differentiates itself.

Most physics-informed networks take their input derivatives inside ``forward`` with
``torch.autograd.grad(u, x, create_graph=True)``. Such a forward fails under ``no_grad`` (there
is no graph to differentiate). Every stage that evaluates a model without gradients (the
landscape's centre, the Hessian operator's loss, jump-and-retrain's evaluation) asks
:func:`needs_autograd` once, then runs such a model with autograd on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .memory import is_out_of_memory

T = TypeVar("T")


def needs_autograd(attempt: Callable[[bool], T]) -> tuple[T, bool]:
    """``(attempt(False), False)``; if that raises a RuntimeError (not an out-of-memory one),
    ``(attempt(True), True)``. ``attempt(grad)`` evaluates with autograd off or on. A model that
    fails both ways raises the first error, which is about the model, not about autograd.

    Example:
        >>> import torch
        >>> def loss(grad: bool) -> float:
        ...     x = torch.ones(2, requires_grad=True)
        ...     with torch.enable_grad() if grad else torch.no_grad():
        ...         (dx,) = torch.autograd.grad((x**2).sum(), x)
        ...     return float(dx.sum())
        >>> needs_autograd(loss)
        (4.0, True)
    """
    try:
        return attempt(False), False
    except RuntimeError as exc:
        if is_out_of_memory(exc):
            raise
        try:
            return attempt(True), True
        except Exception:
            raise exc from None
