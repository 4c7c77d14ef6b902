"""More than one value per point: extra scalar fields (accuracy, a PINN's per-term losses...)
computed from the same model outputs as the loss, in the same pass.

A metric has the loss's signature, ``fn(outputs, targets) -> scalar``: a 0-d (or one-element)
tensor, or a Python number. Like the loss it is taken as a mean over the batch's samples, and
over many batches the field is the sample-weighted mean of the per-batch values (so accuracy as
``(outputs.argmax(1) == targets).float().mean()`` gives the accuracy over the whole data).
Written with tensor operations it runs under ``torch.func.vmap`` with the loss; one that calls
``.item()`` or branches on values makes ``sample_landscape`` fall back to its per-point loop
(correct, slower).

Example:
    >>> import torch
    >>> out, y = torch.tensor([[2.0, 1.0], [0.0, 3.0]]), torch.tensor([0, 0])
    >>> acc = lambda o, t: (o.argmax(1) == t).float().mean()
    >>> scores(torch.nn.functional.cross_entropy, {"accuracy": acc}, out, y)[1].item()
    0.5
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any

import torch

from ..model.data import check_scalar

MetricFn = Callable[[Any, Any], Any]


def check_metrics(metrics: Any) -> dict[str, MetricFn]:
    """Validate ``sample_landscape(metrics=...)``: None or a mapping of names to callables.

    Example:
        >>> list(check_metrics({"accuracy": lambda o, t: o.mean()}))
        ['accuracy']
    """
    if metrics is None:
        return {}
    if not isinstance(metrics, Mapping):
        raise TypeError(
            "metrics: expected a mapping of names to functions fn(outputs, targets) -> scalar, "
            f"got {type(metrics).__name__}"
        )
    out: dict[str, MetricFn] = {}
    for name, fn in metrics.items():
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"metrics: expected non-empty string names, got {name!r}")
        if not callable(fn):
            raise TypeError(
                f"metrics[{name!r}]: expected a function fn(outputs, targets) -> scalar, "
                f"got {type(fn).__name__}"
            )
        out[name] = fn
    return out


def scores(
    loss_fn: Callable[[Any, Any], Any],
    metrics: Mapping[str, MetricFn],
    outputs: Any,
    targets: Any,
) -> torch.Tensor:
    """``[loss, metric₁, ...]`` as one float64 vector (on the loss's device; vmap-safe)."""
    loss = check_scalar(loss_fn(outputs, targets))
    values = [loss.to(torch.float64)]
    for name, fn in metrics.items():
        value = fn(outputs, targets)
        if isinstance(value, torch.Tensor):
            value = check_scalar(value, f"metrics[{name!r}]").to(torch.float64)
        elif isinstance(value, numbers.Real):  # bools and numpy scalars included
            value = torch.tensor(float(value), dtype=torch.float64, device=loss.device)
        else:
            raise TypeError(
                f"metrics[{name!r}]: expected it to return a scalar tensor or a number, got "
                f"{type(value).__name__}"
            )
        values.append(value)
    return torch.stack(values)
