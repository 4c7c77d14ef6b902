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

from .._checks import seed as check_seed
from ..io.fingerprint import (
    callable_fingerprint,
    check_resume,
    data_fingerprint,
    model_fingerprint,
    optimizer_fingerprint,
)
from ..model.data import as_batches
from ..model.device import resolve_device
from ..model.params import named_trainable
from ..model.state import preserved_model
from ..subspace.random import random_subspace
from ._checkpoint import SAMPLE_FIELDS, TrajectoryCheckpoint
from ._result import FORMAT, METRIC_NAMES, VERSION, Trajectories, _readonly
from ._training import (
    _EVAL,
    _accuracy_counts,
    _check_layout,
    _clone_state,
    _epoch_batches,
    _epoch_seed,
    _evaluate,
    _flat,
    _index,
    _make_optimizer,
    _metrics,
    _own_rng,
    _train_epoch,
)
from .projection import CountSketch

DEFAULT_MAX_DIMS = 65_536
TRAIN_METRICS = ("exact", "running")


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
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn: expected a callable, got {type(loss_fn).__name__}")
    if not callable(make_optimizer):
        raise TypeError(
            "make_optimizer: expected a callable taking the parameters, e.g. "
            f"`lambda p: torch.optim.SGD(p, lr=0.1)`, got {type(make_optimizer).__name__}"
        )
    seeds_t, steps_t, epochs = _check_layout(seeds, step_sizes, epochs)
    shuffle_seed = check_seed("shuffle_seed", shuffle_seed)
    projection_seed = check_seed("projection_seed", projection_seed, minimum=0)
    if train_metrics not in TRAIN_METRICS:
        raise ValueError(f"train_metrics: expected one of {TRAIN_METRICS}, got {train_metrics!r}")
    if max_dims is not None and (isinstance(max_dims, bool) or not isinstance(
            max_dims, (int, np.integer)) or max_dims < 1):
        raise ValueError(f"max_dims: expected a positive int or None, got {max_dims!r}")
    check_resume(resume)
    if not isinstance(save_interval, (int, float)) or save_interval < 0:
        raise ValueError(f"save_interval: expected seconds >= 0, got {save_interval!r}")
    torch.manual_seed(_epoch_seed(shuffle_seed, -2, 0.0, _EVAL))  # checking/counting the data
    train = as_batches(train_data, loss_fn)
    pair = None
    if isinstance(train_data, (tuple, list)) and len(train_data) == 2 and isinstance(
            train_data[1], torch.Tensor):
        pair = (train_data[0], train_data[1])
    if batch_size is not None:
        if pair is None:
            raise ValueError(
                "batch_size: only for an (inputs, targets) pair; a DataLoader brings its own"
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or \
                batch_size < 1:
            raise ValueError(f"batch_size: expected a positive int or None, got {batch_size!r}")
    evals = as_batches(eval_data, loss_fn) if eval_data is not None else None

    params0 = named_trainable(model)
    names = list(params0)
    n_params = int(sum(p.numel() for p in params0.values()))
    dev = resolve_device(device, default=next(iter(params0.values())).device)
    sketch = CountSketch(n_params, max_dims if max_dims is not None else n_params,
                         projection_seed)

    # one filter-normalized direction per seed, from the subspace stage
    directions = []
    zeroed: list[str] = []
    for s in seeds_t:
        sub = random_subspace(model, dims=1, normalization=normalization, seed=s,
                              ignore_bias_and_norm=ignore_bias_and_norm, orthogonalize=False)
        directions.append(sub.directions[0])
        zeroed = list(sub.extra.get("zeroed", []))
    jump_norms = np.array([
        math.sqrt(sum(float((d[n].double() ** 2).sum()) for n in names)) for d in directions
    ])

    per_traj = epochs + (1 if record_jump else 0)
    n_traj = len(seeds_t) * len(steps_t)
    n = n_traj * per_traj
    n_train = train.n_samples
    fingerprint = {
        "seeds": list(seeds_t), "step_sizes": list(steps_t), "epochs": epochs,
        "record_jump": bool(record_jump), "batch_size": batch_size,
        "normalization": normalization, "ignore_bias_and_norm": bool(ignore_bias_and_norm),
        "projection": sketch.describe(), "shuffle_seed": int(shuffle_seed),
        "train_metrics": train_metrics, "n_params": n_params, "device": dev.type,
        "n_train": n_train, "n_eval": evals.n_samples if evals is not None else None,
    }
    if checkpoint is not None:  # hashing the model and data costs a pass: only when it is kept
        fingerprint.update({
            **model_fingerprint(model),
            **data_fingerprint(train.source, "data"),
            **(data_fingerprint(evals.source, "eval_data") if evals is not None else {}),
            **callable_fingerprint(loss_fn, "loss"),
            **optimizer_fingerprint(make_optimizer, model.parameters()),
        })
    ck = TrajectoryCheckpoint.open(checkpoint, fingerprint, n, sketch.out_dims, resume=resume)
    keep_state = ck.path is not None

    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    with preserved_model(model):
        torch.manual_seed(_epoch_seed(shuffle_seed, -1, 0.0, _EVAL))
        net = copy.deepcopy(model).to(dev)
        start_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        net_params = dict(net.named_parameters())
        center_flat = _flat(net, names)
        center_train = _evaluate(net, loss_fn, train, dev)
        center_eval = _evaluate(net, loss_fn, evals, dev) if evals is not None else (
            math.nan, math.nan)
        epochs_done = sum(
            int(ck.done[t * per_traj:(t + 1) * per_traj].sum()) - (1 if record_jump and
                                                                   ck.done[t * per_traj] else 0)
            for t in range(n_traj)
        )
        bar = tqdm(total=n_traj * epochs, initial=epochs_done, desc="jump & retrain",
                   disable=not progress, unit="epoch")
        last_save = time.perf_counter()
        try:
            if executor is not None:
                from ._distributed import run_trajectories

                todo = [(t, si, s, c) for t, (si, s, c) in enumerate(
                    (si, s, c) for si, s in enumerate(seeds_t) for c in steps_t)
                    if not ck.done[t * per_traj:(t + 1) * per_traj].all()]
                ck.set_resume(None)  # a trajectory cut short restarts from its jump
                run_trajectories(executor, todo, ck, bar, per_traj, dict(
                    model=net, start_state=start_state, loss_fn=loss_fn, train=train.source,
                    pair=pair, batch_size=batch_size,
                    evals=None if evals is None else evals.source,
                    make_optimizer=make_optimizer, directions=directions, names=names,
                    sketch=sketch, record_jump=record_jump, epochs=epochs,
                    shuffle_seed=shuffle_seed, train_metrics=train_metrics, device=dev))
            for si, s in enumerate(seeds_t if executor is None else ()):
                for ci, c in enumerate(steps_t):
                    t = si * len(steps_t) + ci
                    rows = slice(t * per_traj, (t + 1) * per_traj)
                    if ck.done[rows].all():
                        continue

                    base = t * per_traj - (0 if record_jump else 1)  # + epoch = sample index

                    def record(epoch: int, running: tuple[float, float] | None,
                               s: int = s, c: float = c, base: int = base) -> None:
                        torch.manual_seed(_epoch_seed(shuffle_seed, s, c, _EVAL + epoch))
                        ck.record(base + epoch, sketch(_flat(net, names)), _metrics(
                            net, loss_fn, train, evals, dev,
                            running if train_metrics == "running" else None))

                    saved = ck.resume if ck.resume and ck.resume["trajectory"] == t else None
                    if saved is not None:
                        net.load_state_dict(saved["model"])
                        opt = _make_optimizer(make_optimizer, net)
                        _check_optimizer(ck.optimizer, opt)
                        opt.load_state_dict(saved["optimizer"])
                        first = saved["epoch"] + 1
                    else:
                        net.load_state_dict(start_state)
                        with torch.no_grad():
                            for name in names:
                                p = net_params[name]
                                p.add_(directions[si][name].to(p.device, p.dtype), alpha=c)
                        opt = _make_optimizer(make_optimizer, net)
                        if record_jump:
                            record(0, None)
                        first = 1
                    _check_optimizer(ck.optimizer, opt)
                    ck.optimizer = type(opt).__name__
                    warned = False
                    for epoch in range(first, epochs + 1):
                        eseed = _epoch_seed(shuffle_seed, s, c, epoch)
                        torch.manual_seed(eseed)
                        running = _train_epoch(
                            net, loss_fn, opt, _epoch_batches(train, pair, batch_size, eseed), dev)
                        record(epoch, running)
                        loss_now = ck.metrics["train_loss"][base + epoch]
                        if not warned and not math.isfinite(loss_now):
                            warnings.warn(
                                f"jump_and_retrain: the loss is not finite at seed {s}, step "
                                f"{c}, epoch {epoch} (diverged? lower the learning rate or the "
                                "step size)", RuntimeWarning, stacklevel=2)
                            warned = True
                        if keep_state:
                            ck.set_resume({"trajectory": t, "epoch": epoch,
                                           "model": _clone_state(net.state_dict()),
                                           "optimizer": _clone_state(opt.state_dict())})
                            if time.perf_counter() - last_save >= save_interval:
                                ck.save()
                                last_save = time.perf_counter()
                        bar.update(1)
                        bar.set_postfix(seed=s, step=c, loss=f"{loss_now:.4g}")
                    ck.set_resume(None)
                    ck.save()
                    last_save = time.perf_counter()
        finally:
            bar.close()
            ck.save()

    seed_col = np.repeat(np.repeat(np.array(seeds_t), len(steps_t)), per_traj)
    step_col = np.tile(np.repeat(np.array(steps_t), per_traj), len(seeds_t))
    epoch_col = np.tile(np.arange(0 if record_jump else 1, epochs + 1), n_traj)
    return Trajectories(
        params=ck.params,
        train_loss=ck.metrics["train_loss"], train_accuracy=ck.metrics["train_accuracy"],
        eval_loss=ck.metrics["eval_loss"], eval_accuracy=ck.metrics["eval_accuracy"],
        seed=seed_col, step_size=step_col, epoch=epoch_col,
        trajectory=np.repeat(np.arange(n_traj), per_traj),
        center=sketch(center_flat),
        center_metrics={"train_loss": center_train[0], "train_accuracy": center_train[1],
                        "eval_loss": center_eval[0], "eval_accuracy": center_eval[1]},
        jump_norms=jump_norms, seeds=seeds_t, step_sizes=steps_t, epochs=epochs,
        record_jump=bool(record_jump), projection=sketch.describe(),
        meta={
            "normalization": normalization, "ignore_bias_and_norm": bool(ignore_bias_and_norm),
            "zeroed": zeroed, "optimizer": ck.optimizer, "batch_size": batch_size,
            "train_metrics": train_metrics, "shuffle_seed": int(shuffle_seed),
            "n_params": n_params, "n_train": n_train,
            "n_eval": evals.n_samples if evals is not None else None,
            "parameter_names": names, "device": str(dev),
            "seconds": round(time.perf_counter() - t0, 3),
        },
    )


def _check_optimizer(recorded: str | None, opt: Any) -> None:
    """The checkpoint's optimizer class is this run's (the fingerprint already compares the
    qualified names; this guards the state ``load_state_dict`` is about to read)."""
    kind = type(opt).__name__
    if recorded is not None and recorded != kind:
        raise ValueError(
            f"make_optimizer: the checkpoint was written with {recorded}, this run makes "
            f"{kind}; pass the same optimizer to resume, or resume=False to start over"
        )


__all__ = ["DEFAULT_MAX_DIMS", "FORMAT", "METRIC_NAMES", "TRAIN_METRICS", "VERSION",
           "Trajectories", "jump_and_retrain"]
# Private helpers re-exported for existing imports from this module.
_reexported = (SAMPLE_FIELDS, _accuracy_counts, _index, _readonly)
