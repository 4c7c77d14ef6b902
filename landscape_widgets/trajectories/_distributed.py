"""``jump_and_retrain(..., executor=)``: one trajectory per task.

The plan (``_plan.py``: the data, the directions, the loss, the optimizer factory, the
CountSketch), the model copy and its start state go to the workers once
(``evaluation/executors.py``); a task carries its trajectory's index and returns its samples
(sketched parameters and metrics), which the client records in the checkpoint as the task
finishes (saved at once, so an interrupted run keeps every finished trajectory). A task runs
the trajectory through the same functions as the serial loop (``_run.py``), so its samples
equal the serial run's.
"""

from __future__ import annotations

import copy
import math
import warnings
from contextlib import closing
from typing import Any

import torch

from ..evaluation.executors import Runner, resolve, setup_worker
from ._plan import RetrainPlan
from ._run import Sample, check_optimizer, jump, samples


def _trajectory_task(shared: Any, token: str, threads: int | None,
                     t: int) -> tuple[str, list[Sample]]:
    """On a worker: ``(optimizer class name, [(epoch, params, metrics), ...])``."""
    setup_worker(threads)
    plan, model, start_state = resolve(shared, token)
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=cuda):
        net = copy.deepcopy(model).to(plan.device)
        opt = jump(plan, net, start_state, t)
        train, evals = plan.batches()
        return type(opt).__name__, list(samples(plan, net, opt, train, evals, t))


def run_trajectories(executor: Any, plan: RetrainPlan, model: torch.nn.Module,
                     start_state: dict[str, torch.Tensor], todo: list[int], ck: Any,
                     bar: Any) -> None:
    """Compute the trajectories ``todo`` of ``plan`` as tasks, retraining copies of ``model``
    (at ``start_state``); record each one in ``ck`` (saved) as it finishes."""
    runner = Runner(executor, unit="trajectories", kept=(
        "they are saved in the checkpoint." if ck.path is not None else
        "without checkpoint= nothing is kept: pass checkpoint='runs/retrain.npz' to keep "
        "finished trajectories."))
    if runner.kind == "local":
        raise TypeError("executor: expected a dask.distributed.Client or an Executor, got None")
    finished = runner.run(_trajectory_task, (plan, model, start_state), {t: (t,) for t in todo})
    with closing(finished):  # an error below cancels the queued tasks
        for t, (kind, found) in finished:
            check_optimizer(ck.optimizer, kind)
            ck.optimizer = kind
            for epoch, params, metrics in found:
                ck.record(plan.row(t, epoch), params, metrics)
            ck.save()
            _si, s, c = plan.trajectory(t)
            bad = [e for e, _p, m in found if e > 0 and not math.isfinite(m["train_loss"])]
            if bad:
                warnings.warn(
                    f"jump_and_retrain: the loss is not finite at seed {s}, step {c}, epoch "
                    f"{bad[0]} (diverged? lower the learning rate or the step size)",
                    RuntimeWarning, stacklevel=4)
            bar.update(plan.epochs)
            bar.set_postfix(seed=s, step=c)


__all__ = ["run_trajectories"]
