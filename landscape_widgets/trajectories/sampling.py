"""Jump-and-retrain sampling (Horoi et al. 2022, §3.1): trajectories through the low-loss region
around a trained model θ₀.

For each seed s and step size c: draw one random direction per seed, filter-normalize it
(Li et al.; :func:`landscape_widgets.subspace.random_subspace` with ``dims=1``), jump to
θ₀ + c·v̄ₛ, retrain a copy of the model with a fresh optimizer from ``make_optimizer`` and record
the parameters and train/eval loss and accuracy after every epoch.

Bookkeeping: samples are ordered seed-major, then step size, then epoch. With ``record_jump``
(default) each trajectory starts with the jump point itself (epoch 0, before any retraining) and
holds ``epochs + 1`` samples; without it, ``epochs`` samples. The paper's 640 samples are
4 seeds × 4 steps × 40, counting the jump point as the first of the 40 (its scripts): here that is
``epochs=39`` (or ``epochs=40, record_jump=False``).

Memory: parameters are stored as float32 on the CPU. Models with more than ``max_dims``
trainable parameters are recorded through a fixed, seeded CountSketch projection to ``max_dims``
coordinates (:mod:`.projection`: a sparse Johnson–Lindenstrauss map that keeps norms, Euclidean
and cosine distances to a relative error ~√(2/k)); so the record costs at most
``4 · n_samples · max_dims`` bytes (640 samples × 65,536: 168 MB). ``max_dims=None`` keeps every
parameter.

Determinism: the direction of seed s is ``random_subspace(..., seed=s)``; each epoch runs under
its own seed (derived from ``shuffle_seed``, s, c and the epoch) inside ``torch.random.fork_rng``,
which drives the mini-batch shuffle of an ``(inputs, targets)`` pair with ``batch_size``, the
shuffling of a DataLoader that uses the global generator, and dropout. The caller's global RNG
state is left as it was.

The user's model is never trained: a copy is (``copy.deepcopy``), and the original is guarded by
:func:`landscape_widgets.model.preserved_model` as well.
"""

from __future__ import annotations

import copy
import math
import os
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from ..model.data import Batches
from ..model.state import preserved_model
from ._checkpoint import SAMPLE_FIELDS, TrajectoryCheckpoint
from ._plan import TRAIN_METRICS, RetrainPlan, check_run_options, plan_retrain
from ._result import FORMAT, METRIC_NAMES, VERSION, Trajectories, _readonly
from ._run import centre, check_optimizer, jump, restore, samples
from ._training import _EVAL, _accuracy_counts, _clone_state, _epoch_seed, _index, _own_rng

DEFAULT_MAX_DIMS = 65_536


# --------------------------------------------------------------------------------- the stage
@_own_rng
def jump_and_retrain(
    model: torch.nn.Module,
    loss_fn: Callable[[Any, torch.Tensor], torch.Tensor],
    train_data: Any,
    make_optimizer: Callable[[list[torch.nn.Parameter]], Any],
    seeds: Sequence[int] = (0, 1, 2, 3),
    step_sizes: Sequence[float] = (0.25, 0.5, 0.75, 1.0),
    epochs: int = 40,
    eval_data: Any = None,
    *,
    record_jump: bool = True,
    batch_size: int | None = None,
    normalization: str | None = "filter",
    ignore_bias_and_norm: bool = True,
    max_dims: int | None = DEFAULT_MAX_DIMS,
    projection_seed: int = 0,
    shuffle_seed: int = 0,
    train_metrics: str = "exact",
    device: str | torch.device | None = None,
    progress: bool = True,
    checkpoint: str | os.PathLike[str] | None = None,
    save_interval: float = 60.0,
    resume: bool = True,
    executor: Any = None,
) -> Trajectories:
    """Sample the low-loss region around ``model`` by jumping away and retraining.

    Args:
        model: the trained model θ₀ (left exactly as it was; a copy is retrained).
        loss_fn: ``loss_fn(outputs, targets)`` returning a mean-reduced scalar, or a closure
            ``lw.model_loss(fn)``: training and evaluation then call ``fn(model_copy, batch)``
            (accuracies are NaN: there are no outputs to compare).
        train_data: an ``(inputs, targets)`` pair (full batch, or mini-batches of
            ``batch_size`` shuffled with a seeded generator) or an iterable of batches such as a
            DataLoader (its shuffling is seeded through the global generator, see the module
            notes).
        make_optimizer: called with the list of the copy's parameters for every trajectory;
            returns a fresh optimizer ("retrain with the original optimizer").
        seeds: one random direction per seed (shared by that seed's step sizes).
        step_sizes: jump lengths c, in units of the filter-normalized direction.
        epochs: retraining epochs per trajectory.
        eval_data: optional held-out data (pair or batches) evaluated at every sample.
        record_jump: also record the jump point (epoch 0) of each trajectory.
        batch_size: mini-batch size for a pair ``train_data`` (None: full batch).
        normalization, ignore_bias_and_norm: passed to ``random_subspace`` ("filter" and True:
            Li et al.'s filter normalization with bias/norm-layer directions zeroed).
        max_dims: record at most this many coordinates per sample (CountSketch projection above
            it, see :mod:`.projection`); None keeps all parameters.
        projection_seed: seed of the CountSketch map.
        shuffle_seed: base seed of every epoch's shuffling and dropout.
        train_metrics: "exact" (default): train loss/accuracy evaluated at each recorded θ in
            eval mode over the whole ``train_data`` (the value f(θ) the topology uses; one extra
            forward pass per epoch); "running": the mini-batch average during the epoch (free,
            but it mixes the parameters of the whole epoch).
        device: where to retrain (default: the model's device).
        progress: show a tqdm progress bar (one tick per retraining epoch).
        checkpoint: an ``.npz`` path; samples and the state at the last finished epoch are saved
            there (every ``save_interval`` seconds, after each trajectory and when interrupted),
            and a re-run of the same computation resumes where the last one stopped. The file
            records a fingerprint of everything that determines the samples (the model's
            parameters and buffers, the data, the loss, the optimizer's class and
            hyperparameters, seeds, step sizes, epochs, ...); a re-run that differs in any of
            them is refused with an error naming what differs.
        save_interval: seconds between checkpoint writes within a trajectory. With a
            checkpoint, a copy of the model's and the optimizer's state is taken at the end of
            every epoch (that is what an interrupted run resumes from).
        resume: with ``checkpoint``, continue the run saved there (default). False starts
            over, overwriting it.
        executor: a ``dask.distributed.Client`` or a ``concurrent.futures.Executor``: one
            trajectory per task (``_distributed.py``), equal to the serial run; finished
            trajectories go into the checkpoint as their tasks finish (a trajectory cut short
            is recomputed from its jump).

    Returns:
        :class:`Trajectories` with ``len(seeds) · len(step_sizes) · (epochs + record_jump)``
        samples.

    Example:
        >>> from landscape_widgets import examples
        >>> model, loss_fn, data = examples.digits_mlp(hidden=8, epochs=5)  # doctest: +SKIP
        >>> traj = jump_and_retrain(model, loss_fn, data,
        ...     lambda p: torch.optim.Adam(p, lr=1e-2), seeds=(0,), step_sizes=(0.5,),
        ...     epochs=3, progress=False)  # doctest: +SKIP
        >>> traj.params.shape  # doctest: +SKIP
        (4, 650)
    """
    check_run_options(resume, save_interval)
    plan, train, evals = plan_retrain(
        model, loss_fn, train_data, make_optimizer, seeds, step_sizes, epochs, eval_data,
        record_jump=record_jump, batch_size=batch_size, normalization=normalization,
        ignore_bias_and_norm=ignore_bias_and_norm, max_dims=max_dims,
        projection_seed=projection_seed, shuffle_seed=shuffle_seed,
        train_metrics=train_metrics, device=device)
    # hashing the model and data costs a pass: only when the fingerprint is kept
    fingerprint = plan.fingerprint(model if checkpoint is not None else None)
    ck = TrajectoryCheckpoint.open(checkpoint, fingerprint, plan.n_samples,
                                   plan.sketch.out_dims, resume=resume)

    from .._progress import progress_bar as tqdm

    t0 = time.perf_counter()
    with preserved_model(model):
        torch.manual_seed(_epoch_seed(plan.shuffle_seed, -1, 0.0, _EVAL))
        net = copy.deepcopy(model).to(plan.device)
        start_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        centre_params, centre_metrics = centre(plan, net, train, evals)
        bar = tqdm(total=plan.n_trajectories * plan.epochs, initial=_epochs_done(plan, ck),
                   desc="jump & retrain", disable=not progress, unit="epoch")
        try:
            if executor is None:
                _retrain_serial(plan, net, start_state, train, evals, ck, bar, save_interval)
            else:
                from ._distributed import run_trajectories

                ck.set_resume(None)  # a trajectory cut short restarts from its jump
                todo = [t for t in range(plan.n_trajectories) if not ck.done[plan.rows(t)].all()]
                run_trajectories(executor, plan, net, start_state, todo, ck, bar)
        finally:
            bar.close()
            ck.save()
    return assemble(plan, ck, plan.sketch(centre_params), centre_metrics,
                    time.perf_counter() - t0)


# --------------------------------------------------------------------------------- serial
def _retrain_serial(plan: RetrainPlan, net: torch.nn.Module,
                    start_state: dict[str, torch.Tensor], train: Batches,
                    evals: Batches | None, ck: TrajectoryCheckpoint, bar: Any,
                    save_interval: float) -> None:
    """Every unfinished trajectory in order, the one a checkpoint cut short from its last
    finished epoch; each finished trajectory is saved at once."""
    for t in range(plan.n_trajectories):
        if ck.done[plan.rows(t)].all():
            continue
        saved = ck.resume if ck.resume and ck.resume["trajectory"] == t else None
        if saved is not None:
            opt, after = restore(plan, net, saved, ck.optimizer), int(saved["epoch"])
        else:
            opt, after = jump(plan, net, start_state, t), 0
        check_optimizer(ck.optimizer, type(opt).__name__)
        ck.optimizer = type(opt).__name__
        _retrain_one(plan, net, opt, train, evals, ck, bar, t, after, save_interval)
        ck.set_resume(None)
        ck.save()


def _retrain_one(plan: RetrainPlan, net: torch.nn.Module, opt: Any, train: Batches,
                 evals: Batches | None, ck: TrajectoryCheckpoint, bar: Any, t: int, after: int,
                 save_interval: float) -> None:
    """Record trajectory ``t``'s samples; with a checkpoint file, keep the state after every
    epoch and write it every ``save_interval`` seconds."""
    _si, s, c = plan.trajectory(t)
    warned = False
    last_save = time.perf_counter()
    for epoch, params, metrics in samples(plan, net, opt, train, evals, t, after):
        ck.record(plan.row(t, epoch), params, metrics)
        if epoch == 0:  # the jump point: no epoch trained yet
            continue
        loss_now = metrics["train_loss"]
        if not warned and not math.isfinite(loss_now):
            _warn_diverged(s, c, epoch, stacklevel=6)  # the caller of jump_and_retrain
            warned = True
        if ck.path is not None:
            ck.set_resume({"trajectory": t, "epoch": epoch,
                           "model": _clone_state(net.state_dict()),
                           "optimizer": _clone_state(opt.state_dict())})
            if time.perf_counter() - last_save >= save_interval:
                ck.save()
                last_save = time.perf_counter()
        bar.update(1)
        bar.set_postfix(seed=s, step=c, loss=f"{loss_now:.4g}")


def _warn_diverged(s: int, c: float, epoch: int, stacklevel: int) -> None:
    warnings.warn(
        f"jump_and_retrain: the loss is not finite at seed {s}, step {c}, epoch {epoch} "
        "(diverged? lower the learning rate or the step size)", RuntimeWarning,
        stacklevel=stacklevel)


def _epochs_done(plan: RetrainPlan, ck: TrajectoryCheckpoint) -> int:
    """Retraining epochs already recorded (a resumed run's progress bar starts there)."""
    jumps = sum(bool(ck.done[plan.rows(t)][0]) for t in range(plan.n_trajectories)
                ) if plan.record_jump else 0
    return int(ck.done.sum()) - jumps


# --------------------------------------------------------------------------------- assemble
def assemble(plan: RetrainPlan, ck: TrajectoryCheckpoint, centre_params: np.ndarray,
             centre_metrics: dict[str, float], seconds: float) -> Trajectories:
    """The :class:`Trajectories` of a finished run: the checkpoint's samples, labelled."""
    seeds = np.array(plan.seeds)
    steps = np.array(plan.step_sizes)
    per = plan.per_trajectory
    return Trajectories(
        params=ck.params,
        train_loss=ck.metrics["train_loss"], train_accuracy=ck.metrics["train_accuracy"],
        eval_loss=ck.metrics["eval_loss"], eval_accuracy=ck.metrics["eval_accuracy"],
        seed=np.repeat(np.repeat(seeds, len(steps)), per),
        step_size=np.tile(np.repeat(steps, per), len(seeds)),
        epoch=np.tile(np.arange(0 if plan.record_jump else 1, plan.epochs + 1),
                      plan.n_trajectories),
        trajectory=np.repeat(np.arange(plan.n_trajectories), per),
        center=centre_params, center_metrics=dict(centre_metrics),
        jump_norms=plan.jump_norms(), seeds=plan.seeds, step_sizes=plan.step_sizes,
        epochs=plan.epochs, record_jump=plan.record_jump, projection=plan.sketch.describe(),
        meta={
            "normalization": plan.normalization,
            "ignore_bias_and_norm": plan.ignore_bias_and_norm, "zeroed": list(plan.zeroed),
            "optimizer": ck.optimizer, "batch_size": plan.batch_size,
            "train_metrics": plan.train_metrics, "shuffle_seed": plan.shuffle_seed,
            "n_params": plan.n_params, "n_train": plan.n_train, "n_eval": plan.n_eval,
            "parameter_names": list(plan.names), "device": str(plan.device),
            "seconds": round(seconds, 3),
        },
    )


__all__ = ["DEFAULT_MAX_DIMS", "FORMAT", "METRIC_NAMES", "TRAIN_METRICS", "VERSION",
           "Trajectories", "jump_and_retrain"]
# Private helpers re-exported for existing imports from this module.
_reexported = (SAMPLE_FIELDS, _accuracy_counts, _index, _readonly)
