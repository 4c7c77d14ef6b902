"""``jump_and_retrain(..., executor=)``: one trajectory per task.

The model copy, its start state, the data, the directions, the optimizer factory and the
CountSketch go to the workers once (``evaluation/executors.py``); a task carries its
trajectory's index, seed and step size and returns its samples (sketched parameters and
metrics), which the client records in the checkpoint as the task finishes (saved at once, so an
interrupted run keeps every finished trajectory). A task runs the serial loop's steps in the
same order under the same seeds (``_training.py``: every epoch and every recorded sample seeds
the global generator itself), so its samples equal the serial run's.
"""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import numpy as np
import torch

from ..evaluation.executors import Runner, resolve, setup_worker
from ..model.data import as_batches
from ._training import (
    _EVAL,
    _epoch_batches,
    _epoch_seed,
    _flat,
    _make_optimizer,
    _metrics,
    _train_epoch,
)


def _trajectory_task(shared: Any, token: str, threads: int | None, si: int, s: int,
                     c: float) -> tuple[str, list[tuple[int, np.ndarray, dict[str, float]]]]:
    """On a worker: ``(optimizer class name, [(epoch, params, metrics), ...])``."""
    setup_worker(threads)
    job = resolve(shared, token)
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=cuda):
        return _retrain(job, si, s, c)


def _retrain(job: dict[str, Any], si: int, s: int, c: float) -> tuple[str, list[Any]]:
    dev = job["device"]
    net = copy.deepcopy(job["model"]).to(dev)
    net.load_state_dict(job["start_state"])
    train = as_batches(job["train"])
    evals = None if job["evals"] is None else as_batches(job["evals"])
    names, sketch, shuffle_seed = job["names"], job["sketch"], job["shuffle_seed"]
    params = dict(net.named_parameters())
    with torch.no_grad():
        for name in names:
            p = params[name]
            p.add_(job["directions"][si][name].to(p.device, p.dtype), alpha=c)
    opt = _make_optimizer(job["make_optimizer"], net)
    samples: list[tuple[int, np.ndarray, dict[str, float]]] = []

    def record(epoch: int, running: tuple[float, float] | None) -> None:
        torch.manual_seed(_epoch_seed(shuffle_seed, s, c, _EVAL + epoch))
        samples.append((epoch, sketch(_flat(net, names)), _metrics(
            net, job["loss_fn"], train, evals, dev,
            running if job["train_metrics"] == "running" else None)))

    if job["record_jump"]:
        record(0, None)
    for epoch in range(1, job["epochs"] + 1):
        eseed = _epoch_seed(shuffle_seed, s, c, epoch)
        torch.manual_seed(eseed)
        running = _train_epoch(net, job["loss_fn"], opt,
                               _epoch_batches(train, job["pair"], job["batch_size"], eseed), dev)
        record(epoch, running)
    return type(opt).__name__, samples


def run_trajectories(executor: Any, todo: list[tuple[int, int, int, float]], ck: Any,
                     bar: Any, per_traj: int, job: dict[str, Any]) -> None:
    """Compute the trajectories ``todo`` (``(t, seed index, seed, step)``) as tasks and record
    each one in ``ck`` (saved) as it finishes."""
    runner = Runner(executor)
    if runner.kind == "local":
        raise TypeError("executor: expected a dask.distributed.Client or an Executor, got None")
    shared, token = runner.share(job)
    threads = runner.default_threads()
    futures = {runner.submit(_trajectory_task, shared, token, threads, si, s, c): (t, s, c)
               for t, si, s, c in todo}
    offset = 0 if job["record_jump"] else 1
    try:
        for future in runner.as_completed(futures):
            t, s, c = futures[future]
            kind, samples = future.result()
            if ck.optimizer is not None and ck.optimizer != kind:
                raise ValueError(
                    f"make_optimizer: the checkpoint was written with {ck.optimizer}, this run "
                    f"makes {kind}; pass the same optimizer to resume, or resume=False to start "
                    "over")
            ck.optimizer = kind
            for epoch, params, metrics in samples:
                ck.record(t * per_traj + epoch - offset, params, metrics)
            bad = [e for e, _p, m in samples if e > 0 and not math.isfinite(m["train_loss"])]
            if bad:
                warnings.warn(
                    f"jump_and_retrain: the loss is not finite at seed {s}, step {c}, epoch "
                    f"{bad[0]} (diverged? lower the learning rate or the step size)",
                    RuntimeWarning, stacklevel=3)
            ck.save()
            bar.update(job["epochs"])
            bar.set_postfix(seed=s, step=c)
    except BaseException:
        runner.cancel(futures)
        raise


__all__ = ["run_trajectories"]
