"""Directions between models: the 1-D linear interpolation of Goodfellow et al. (2015), and the
plane (or n-D span) through three or more models."""

from __future__ import annotations

import torch

from ..model.params import named_trainable
from .base import Subspace


def interpolate(
    model_a: torch.nn.Module, model_b: torch.nn.Module, *more: torch.nn.Module
) -> Subspace:
    """Directions ``θ_b − θ_a`` (and ``θ_c − θ_a``, ... for more models), to be sampled around
    ``model_a``: α = 0 is model_a, α = 1 model_b. Buffers (batch-norm statistics) are model_a's.

    Example:
        >>> a, b = torch.nn.Linear(3, 1), torch.nn.Linear(3, 1)
        >>> sub = interpolate(a, b)
        >>> # lw.sample_landscape(a, loss_fn, data, sub, resolution=51, extent=[(-0.5, 1.5)])
        >>> sub.dims, sub.kind
        (1, 'interpolation')
    """
    base = named_trainable(model_a)
    directions = []
    for i, other in enumerate((model_b, *more), start=1):
        theta = named_trainable(other)
        if list(theta) != list(base):
            raise ValueError(
                f"models: expected model {i} to have the parameters of model 0 "
                f"({list(base)[:4]}...), got {list(theta)[:4]}..."
            )
        d = {}
        for n, p in base.items():
            if theta[n].shape != p.shape:
                raise ValueError(
                    f"models: expected {n!r} of model {i} to have shape {tuple(p.shape)}, "
                    f"got {tuple(theta[n].shape)}"
                )
            d[n] = (theta[n].to("cpu", torch.float64) - p.to("cpu", torch.float64)).to(p.dtype)
        if all(not t.any() for t in d.values()):
            raise ValueError(
                f"models: expected model {i} to differ from model 0, got identical parameters"
            )
        directions.append(d)
    return Subspace.from_directions(
        model_a, directions, kind="interpolation", extra={"n_models": 2 + len(more)}
    )
