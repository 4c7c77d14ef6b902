"""Tiny models and training functions the workers run (module-level: picklable)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch
from torch import nn


def tiny_problem(seed: int = 0) -> tuple[nn.Module, tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(seed)
    net = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    x = torch.randn(40, 3, generator=g)
    y = torch.randint(0, 2, (40,), generator=g)
    return net, (x, y)


def accuracy(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (out.argmax(1) == y).double().mean()


def train(config: dict[str, Any]) -> nn.Module:
    """A few seeded SGD steps: equal results wherever it runs (one thread)."""
    torch.manual_seed(int(config["seed"]))
    net, (x, y) = tiny_problem(0)
    opt = torch.optim.SGD(net.parameters(), lr=float(config["lr"]))
    for _ in range(5):
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    return net


def train_or_die(config: dict[str, Any], marker: str) -> nn.Module:
    """``train``, but the first task to train seed 1 kills its own worker process (the marker
    file makes it happen once)."""
    marker = Path(marker)
    if int(config["seed"]) == 1 and not marker.exists():
        marker.write_text("killed")
        os._exit(1)
    return train(config)


def train_or_fail(config: dict[str, Any]) -> nn.Module:
    if float(config["lr"]) > 0.3:
        raise ArithmeticError(f"diverged at lr={config['lr']}")
    return train(config)


def sgd(params: list) -> torch.optim.Optimizer:
    return torch.optim.SGD(params, lr=0.1, momentum=0.9)


def loss_or_die(out: torch.Tensor, y: torch.Tensor, marker: str) -> torch.Tensor:
    """Cross-entropy; on a Dask worker, the first call kills its worker process (once)."""
    try:
        from distributed import get_worker

        get_worker()
    except ValueError:  # the client: never
        return nn.functional.cross_entropy(out, y)
    if not Path(marker).exists():
        Path(marker).write_text("killed")
        os._exit(1)
    return nn.functional.cross_entropy(out, y)
