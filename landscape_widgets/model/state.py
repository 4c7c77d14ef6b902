"""Leave the user's model bit-identical, whatever happens (exception, Ctrl-C)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def preserved_model(model: torch.nn.Module) -> Iterator[torch.nn.Module]:
    """Snapshot parameters, buffers, ``requires_grad`` flags and each submodule's train/eval mode;
    restore them on exit, also when the body raises or is interrupted.

    Example:
        >>> net = torch.nn.Linear(2, 1)
        >>> with preserved_model(net):
        ...     with torch.no_grad():
        ...         _ = net.weight.add_(1.0)
        >>> # net.weight is back to its old value here
    """
    params = {n: p.detach().clone() for n, p in model.named_parameters()}
    grad_flags = {n: p.requires_grad for n, p in model.named_parameters()}
    buffers = {n: b.detach().clone() for n, b in model.named_buffers()}
    modes = {n: m.training for n, m in model.named_modules()}
    try:
        yield model
    finally:
        with torch.no_grad():
            for n, p in model.named_parameters():
                p.copy_(params[n])
                p.requires_grad_(grad_flags[n])
            for n, b in model.named_buffers():
                if n in buffers:
                    b.copy_(buffers[n])
        for n, m in model.named_modules():
            if n in modes:
                m.training = modes[n]
