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


def _claim(marker: str | Path) -> bool:
    """Create ``marker``; True for the one process that created it. Atomic (``O_EXCL``): two
    workers that reach it at the same moment cannot both win, so "once" means once."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _on_dask_worker() -> bool:
    try:
        from distributed import get_worker

        get_worker()
    except ValueError:  # the client
        return False
    return True


def train_or_die(config: dict[str, Any], marker: str) -> nn.Module:
    """``train``, but the first task to train seed 1 kills its own worker process (the marker
    file makes it happen once)."""
    if int(config["seed"]) == 1 and _claim(marker):
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
    if _on_dask_worker() and _claim(marker):
        os._exit(1)
    return nn.functional.cross_entropy(out, y)


def loss_or_all_die(out: torch.Tensor, y: torch.Tensor, marker_dir: str,
                    workers: int) -> torch.Tensor:
    """Cross-entropy; on Dask, the first ``workers`` worker processes to call it each take a
    numbered slot, wait until every slot is taken (all of them are inside a task) and exit
    together: every copy of the scattered data dies at once. Later processes compute."""
    import time

    if not _on_dask_worker():
        return nn.functional.cross_entropy(out, y)
    folder = Path(marker_dir)
    for slot in range(workers):
        if _claim(folder / str(slot)):
            deadline = time.monotonic() + 60
            while not (folder / str(workers - 1)).exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            os._exit(1)
    return nn.functional.cross_entropy(out, y)


def _in_pool_worker() -> bool:
    import multiprocessing

    return multiprocessing.parent_process() is not None


def _log_call(log_dir: str, text: str) -> None:
    """One file per call (processes write no shared file): the test counts them."""
    import uuid

    (Path(log_dir) / uuid.uuid4().hex).write_text(text)


def _kill_once(marker: str) -> None:
    """SIGKILL this process the first time (the marker file makes the retry clean)."""
    import signal

    if _claim(marker):
        os.kill(os.getpid(), signal.SIGKILL)


def train_logged_or_killed(config: dict[str, Any], marker: str, log_dir: str) -> nn.Module:
    """``train``; the first attempt of the entry lr=0.5, seed=1 kills its worker process, and
    every finished training leaves a file in ``log_dir``."""
    if float(config["lr"]) == 0.5 and int(config["seed"]) == 1:
        _kill_once(marker)
    net = train(config)
    _log_call(log_dir, f"lr={config['lr']}, seed={config['seed']}")
    return net


def loss_logged_or_killed(out: torch.Tensor, y: torch.Tensor, marker: str,
                          log_dir: str) -> torch.Tensor:
    """Cross-entropy; in a pool's worker process, each call leaves a file in ``log_dir``, and
    the first call of all kills its process (once)."""
    if _in_pool_worker():
        _kill_once(marker)
        _log_call(log_dir, "loss")
    return nn.functional.cross_entropy(out, y)
