"""One trajectory of a :class:`~._plan.RetrainPlan`: the jump, then seeded retraining epochs, a
sample (sketched parameters and metrics) after each.

The serial loop and resume (``sampling.py``) and the executor's workers (``_distributed.py``)
run trajectories only through these functions, so every path takes the same steps in the same
order under the same seeds: every epoch and every recorded sample seeds the global generator
itself, which is what makes a resumed or distributed run equal an uninterrupted serial one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import torch

from ..model.data import Batches
from ._plan import RetrainPlan
from ._training import (
    _EVAL,
    _epoch_batches,
    _epoch_seed,
    _evaluate,
    _flat,
    _make_optimizer,
    _metrics,
    _train_epoch,
)

# one recorded sample: (epoch, sketched parameters, metrics by SAMPLE_FIELDS)
Sample = tuple[int, np.ndarray, dict[str, float]]


def centre(plan: RetrainPlan, net: torch.nn.Module, train: Batches,
           evals: Batches | None) -> tuple[np.ndarray, dict[str, float]]:
    """θ₀ (flat, unsketched) and its metrics: what every trajectory jumps away from."""
    flat = _flat(net, plan.names)
    tr = _evaluate(net, plan.loss_fn, train, plan.device)
    ev = _evaluate(net, plan.loss_fn, evals, plan.device) if evals is not None else (
        float("nan"), float("nan"))
    return flat, {"train_loss": tr[0], "train_accuracy": tr[1], "eval_loss": ev[0],
                  "eval_accuracy": ev[1]}


def jump(plan: RetrainPlan, net: torch.nn.Module, start_state: Mapping[str, torch.Tensor],
         t: int) -> Any:
    """Put ``net`` at trajectory ``t``'s jump point θ₀ + c·v̄ₛ; returns its fresh optimizer."""
    si, _s, c = plan.trajectory(t)
    net.load_state_dict(start_state)
    params = dict(net.named_parameters())
    with torch.no_grad():
        for name in plan.names:
            p = params[name]
            p.add_(plan.directions[si][name].to(p.device, p.dtype), alpha=c)
    return _make_optimizer(plan.make_optimizer, net)


def restore(plan: RetrainPlan, net: torch.nn.Module, saved: Mapping[str, Any],
            recorded_optimizer: str | None) -> Any:
    """Put ``net`` and a fresh optimizer in the state a checkpoint saved after an epoch."""
    net.load_state_dict(saved["model"])
    opt = _make_optimizer(plan.make_optimizer, net)
    check_optimizer(recorded_optimizer, type(opt).__name__)
    opt.load_state_dict(saved["optimizer"])
    return opt


def samples(plan: RetrainPlan, net: torch.nn.Module, opt: Any, train: Batches,
            evals: Batches | None, t: int, after: int = 0) -> Iterator[Sample]:
    """Retrain trajectory ``t`` from the end of epoch ``after`` (0: from its jump point, which
    is the first sample when the plan records it), yielding each sample as it is taken; ``net``
    and ``opt`` hold the state after the yielded epoch while the caller has it."""
    _si, s, c = plan.trajectory(t)
    if after == 0 and plan.record_jump:
        yield 0, *_sample(plan, net, train, evals, s, c, 0, None)
    for epoch in range(after + 1, plan.epochs + 1):
        seed = _epoch_seed(plan.shuffle_seed, s, c, epoch)
        torch.manual_seed(seed)
        running = _train_epoch(net, plan.loss_fn, opt,
                               _epoch_batches(train, plan.pair, plan.batch_size, seed),
                               plan.device)
        yield epoch, *_sample(plan, net, train, evals, s, c, epoch, running)


def _sample(plan: RetrainPlan, net: torch.nn.Module, train: Batches, evals: Batches | None,
            s: int, c: float, epoch: int, running: tuple[float, float] | None
            ) -> tuple[np.ndarray, dict[str, float]]:
    torch.manual_seed(_epoch_seed(plan.shuffle_seed, s, c, _EVAL + epoch))
    return plan.sketch(_flat(net, plan.names)), _metrics(
        net, plan.loss_fn, train, evals, plan.device,
        running if plan.train_metrics == "running" else None)


def check_optimizer(recorded: str | None, kind: str) -> None:
    """The checkpoint's optimizer class is this run's (the fingerprint already compares the
    qualified names; this guards the state ``load_state_dict`` is about to read)."""
    if recorded is not None and recorded != kind:
        raise ValueError(
            f"make_optimizer: the checkpoint was written with {recorded}, this run makes "
            f"{kind}; pass the same optimizer to resume, or resume=False to start over"
        )


__all__ = ["Sample", "centre", "check_optimizer", "jump", "restore", "samples"]
