"""The plan of a jump-and-retrain run: everything that determines its samples, fixed and checked
before anything is trained.

:func:`plan_retrain` checks the arguments, wraps the data and draws one filter-normalized
direction per seed (the subspace stage); the frozen :class:`RetrainPlan` it returns is what the
serial loop, the resume logic (``_checkpoint.py``) and the executor's workers
(``_distributed.py``) all run trajectories from (``_run.py``). It holds the data's sources, not
their wrappers, so that it pickles with plain ``pickle`` (a ``ProcessPoolExecutor``);
:meth:`RetrainPlan.batches` wraps them again on a worker.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from .._checks import seed as check_seed
from ..io.fingerprint import (
    callable_fingerprint,
    check_resume,
    data_fingerprint,
    model_fingerprint,
    optimizer_fingerprint,
)
from ..model.data import Batches, as_batches
from ..model.device import resolve_device
from ..model.params import named_trainable
from ..subspace.random import random_subspace
from ._training import _EVAL, _check_layout, _epoch_seed
from .projection import CountSketch

TRAIN_METRICS = ("exact", "running")


@dataclass(frozen=True)
class RetrainPlan:
    """What one ``jump_and_retrain`` call computes (see its docstring for the arguments).

    Trajectory ``t`` is seed ``seeds[t // len(step_sizes)]`` with step size
    ``step_sizes[t % len(step_sizes)]`` (seed-major); its samples are rows
    ``t * per_trajectory ...`` of the result.
    """

    loss_fn: Any
    make_optimizer: Callable[[list[torch.nn.Parameter]], Any]
    train_source: Any
    eval_source: Any
    pair: tuple[Any, torch.Tensor] | None  # train_data as an (inputs, targets) pair, if it is one
    batch_size: int | None
    seeds: tuple[int, ...]
    step_sizes: tuple[float, ...]
    epochs: int
    record_jump: bool
    shuffle_seed: int
    train_metrics: str
    names: tuple[str, ...]  # the trainable parameters, in the order of the flat vectors
    directions: tuple[dict[str, torch.Tensor], ...]  # one per seed
    zeroed: tuple[str, ...]  # parameters the directions leave out (bias, norm layers)
    sketch: CountSketch
    device: torch.device
    normalization: str | None
    ignore_bias_and_norm: bool
    n_params: int
    n_train: int
    n_eval: int | None

    @property
    def per_trajectory(self) -> int:
        return self.epochs + (1 if self.record_jump else 0)

    @property
    def n_trajectories(self) -> int:
        return len(self.seeds) * len(self.step_sizes)

    @property
    def n_samples(self) -> int:
        return self.n_trajectories * self.per_trajectory

    def trajectory(self, t: int) -> tuple[int, int, float]:
        """``(seed index, seed, step size)`` of trajectory ``t``."""
        si, ci = divmod(t, len(self.step_sizes))
        return si, self.seeds[si], self.step_sizes[ci]

    def rows(self, t: int) -> slice:
        """The sample rows of trajectory ``t``."""
        return slice(t * self.per_trajectory, (t + 1) * self.per_trajectory)

    def row(self, t: int, epoch: int) -> int:
        """The sample row of trajectory ``t`` after ``epoch`` (0: the jump point)."""
        return t * self.per_trajectory + epoch - (0 if self.record_jump else 1)

    def batches(self) -> tuple[Batches, Batches | None]:
        """The training and evaluation data, wrapped as ``jump_and_retrain`` wrapped them."""
        evals = None if self.eval_source is None else as_batches(self.eval_source, self.loss_fn)
        return as_batches(self.train_source, self.loss_fn), evals

    def jump_norms(self) -> np.ndarray:
        """‖v̄ₛ‖ of each seed's direction (the length of a jump of step size 1)."""
        return np.array([
            math.sqrt(sum(float((d[n].double() ** 2).sum()) for n in self.names))
            for d in self.directions
        ])

    def fingerprint(self, model: torch.nn.Module | None = None) -> dict[str, Any]:
        """What determines the samples, JSON-able; with ``model`` also the hashes of the model,
        the data, the loss and the optimizer (a pass over them: only for a checkpoint)."""
        found = {
            "seeds": list(self.seeds), "step_sizes": list(self.step_sizes),
            "epochs": self.epochs, "record_jump": self.record_jump,
            "batch_size": self.batch_size, "normalization": self.normalization,
            "ignore_bias_and_norm": self.ignore_bias_and_norm,
            "projection": self.sketch.describe(), "shuffle_seed": self.shuffle_seed,
            "train_metrics": self.train_metrics, "n_params": self.n_params,
            "device": self.device.type, "n_train": self.n_train, "n_eval": self.n_eval,
        }
        if model is None:
            return found
        return {
            **found,
            **model_fingerprint(model),
            **data_fingerprint(self.train_source, "data"),
            **(data_fingerprint(self.eval_source, "eval_data")
               if self.eval_source is not None else {}),
            **callable_fingerprint(self.loss_fn, "loss"),
            **optimizer_fingerprint(self.make_optimizer, model.parameters()),
        }


def plan_retrain(
    model: torch.nn.Module, loss_fn: Any, train_data: Any, make_optimizer: Any, seeds: Any,
    step_sizes: Any, epochs: Any, eval_data: Any, *, record_jump: bool, batch_size: Any,
    normalization: str | None, ignore_bias_and_norm: bool, max_dims: Any, projection_seed: Any,
    shuffle_seed: Any, train_metrics: str, device: Any,
) -> tuple[RetrainPlan, Batches, Batches | None]:
    """Check the arguments and fix the plan; also returns the wrapped training and evaluation
    data (a DataLoader is checked by drawing its first batch, under a fixed seed)."""
    _check_callables(model, loss_fn, make_optimizer)
    seeds_t, steps_t, epochs = _check_layout(seeds, step_sizes, epochs)
    shuffle_seed = check_seed("shuffle_seed", shuffle_seed)
    projection_seed = check_seed("projection_seed", projection_seed, minimum=0)
    if train_metrics not in TRAIN_METRICS:
        raise ValueError(f"train_metrics: expected one of {TRAIN_METRICS}, got {train_metrics!r}")
    if max_dims is not None and not _positive_int(max_dims):
        raise ValueError(f"max_dims: expected a positive int or None, got {max_dims!r}")
    torch.manual_seed(_epoch_seed(shuffle_seed, -2, 0.0, _EVAL))  # checking/counting the data
    train = as_batches(train_data, loss_fn)
    pair = _as_pair(train_data)
    if batch_size is not None:
        if pair is None:
            raise ValueError(
                "batch_size: only for an (inputs, targets) pair; a DataLoader brings its own"
            )
        if not _positive_int(batch_size):
            raise ValueError(f"batch_size: expected a positive int or None, got {batch_size!r}")
    evals = as_batches(eval_data, loss_fn) if eval_data is not None else None

    params0 = named_trainable(model)
    n_params = int(sum(p.numel() for p in params0.values()))
    directions, zeroed = _directions(model, seeds_t, normalization, ignore_bias_and_norm)
    plan = RetrainPlan(
        loss_fn=loss_fn, make_optimizer=make_optimizer, train_source=train.source,
        eval_source=None if evals is None else evals.source, pair=pair, batch_size=batch_size,
        seeds=seeds_t, step_sizes=steps_t, epochs=epochs, record_jump=bool(record_jump),
        shuffle_seed=int(shuffle_seed), train_metrics=train_metrics, names=tuple(params0),
        directions=directions, zeroed=zeroed,
        sketch=CountSketch(n_params, max_dims if max_dims is not None else n_params,
                           projection_seed),
        device=resolve_device(device, default=next(iter(params0.values())).device),
        normalization=normalization, ignore_bias_and_norm=bool(ignore_bias_and_norm),
        n_params=n_params, n_train=train.n_samples,
        n_eval=evals.n_samples if evals is not None else None,
    )
    return plan, train, evals


def _check_callables(model: Any, loss_fn: Any, make_optimizer: Any) -> None:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn: expected a callable, got {type(loss_fn).__name__}")
    if not callable(make_optimizer):
        raise TypeError(
            "make_optimizer: expected a callable taking the parameters, e.g. "
            f"`lambda p: torch.optim.SGD(p, lr=0.1)`, got {type(make_optimizer).__name__}"
        )


def check_run_options(resume: Any, save_interval: Any) -> None:
    """The options of how a run is kept (not part of the plan: they change no sample)."""
    check_resume(resume)
    if not isinstance(save_interval, (int, float)) or save_interval < 0:
        raise ValueError(f"save_interval: expected seconds >= 0, got {save_interval!r}")


def _positive_int(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, np.integer)) and bool(value >= 1)


def _as_pair(train_data: Any) -> tuple[Any, torch.Tensor] | None:
    """``train_data`` as an ``(inputs, targets)`` pair (mini-batched by ``batch_size``)."""
    if isinstance(train_data, (tuple, list)) and len(train_data) == 2 and isinstance(
            train_data[1], torch.Tensor):
        return train_data[0], train_data[1]
    return None


def _directions(model: torch.nn.Module, seeds: Sequence[int], normalization: str | None,
                ignore_bias_and_norm: bool) -> tuple[tuple[dict[str, torch.Tensor], ...],
                                                     tuple[str, ...]]:
    """One filter-normalized direction per seed, from the subspace stage, and the parameters
    it zeroes."""
    directions = []
    zeroed: list[str] = []
    for s in seeds:
        sub = random_subspace(model, dims=1, normalization=normalization, seed=s,
                              ignore_bias_and_norm=ignore_bias_and_norm, orthogonalize=False)
        directions.append(sub.directions[0])
        zeroed = list(sub.extra.get("zeroed", []))
    return tuple(directions), tuple(zeroed)


__all__ = ["TRAIN_METRICS", "RetrainPlan", "check_run_options", "plan_retrain"]
