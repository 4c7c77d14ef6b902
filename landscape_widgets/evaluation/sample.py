"""``sample_landscape``: the loss of a model on a regular grid, or at scattered points, in a
subspace of its parameters.

Steps: validate everything, evaluate the centre (checks the loss is a scalar, counts the data,
measures activation memory, detects a forward that needs autograd), list the strategies that
apply (``race.py``: ``candidates``), evaluate the centre again (determinism; not where a
captured graph was recorded from a second run at the centre that agreed: ``capture.py``), then
walk the pending grid points in chunks (``walker.py``: a timed race picks the strategy,
out-of-memory halves the chunk, finished points go to the checkpoint). Provenance records the
winner's ``describe()``. The model is left bit-identical (``preserved_model``), whatever
happens.
"""

from __future__ import annotations

import functools
import inspect
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from ..landscape import Extent, Landscape, Provenance
from ..model.autograd import needs_autograd
from ..model.data import as_batches
from ..model.device import resolve_device
from ..model.loss import is_closure
from ..model.params import named_trainable, parameter_count
from ..model.state import preserved_model
from ..subspace.base import Subspace
from .capture import CapturedLoop
from .checkpoint import GridCheckpoint, run_fingerprint
from .fields import MetricFn, check_metrics
from .functional import PointLoss
from .grid import Grid, PointSet, sampling_sites
from .memory import ActivationMeter, choose_chunk_size
from .point_inputs import LoopMode, LossFn
from .race import candidates
from .strategy import Strategy, agree
from .walker import walk

# choose(evaluator, **candidates' keyword arguments) -> the strategies (see sample_with)
Choose = Callable[..., Sequence[Strategy]]



def sample_landscape(
    model: torch.nn.Module,
    loss_fn: LossFn,
    data: Any,
    subspace: Subspace,
    resolution: int | Sequence[int] | None = None,
    extent: Extent = 1.0,
    device: str | torch.device | None = None,
    chunk_size: int | None = None,
    dtype: torch.dtype | None = None,
    progress: bool = True,
    check_determinism: bool = True,
    checkpoint: str | os.PathLike[str] | None = None,
    metrics: Mapping[str, MetricFn] | None = None,
    *,
    points: int | np.ndarray | None = None,
    sampler: str = "sobol",
    seed: int | None = 0,
    resume: bool = True,
    executor: Any = None,
    store: str | os.PathLike[str] | None = None,
    task_points: int | None = None,
) -> Landscape:
    """Evaluate f(α) = mean loss of ``model`` at θ + Σ αᵢ δᵢ on a grid centred at the model,
    or (``points=``) at scattered points in the same box.

    Args:
        model: the trained model θ (left bit-identical; evaluated in eval mode). Its forward
            may differentiate itself (a PINN's ``torch.autograd.grad`` on its inputs): that is
            detected and evaluated point by point with autograd on.
        loss_fn: ``loss_fn(outputs, targets)`` returning a scalar (mean-reduced), or a
            closure ``lw.model_loss(fn)`` computing ``fn(model, batch)`` (any model, any batch;
            not with ``metrics``).
        data: an ``(inputs, targets)`` pair or an iterable of them (a DataLoader); with a
            closure, one batch of any kind or an iterable of them. The loss over many batches
            is their sample-weighted mean.
        subspace: the directions δ₁…δₙ (any n >= 1).
        resolution: points per axis of the grid (one int or one per axis, each >= 2; default
            41); not with ``points``.
        extent: half-width of every axis, one per axis, or one ``(low, high)`` pair per axis
            (the box scattered points are drawn in, too).
        device: where to compute; default CUDA when available, else CPU.
        chunk_size: grid points per vmap call; default from free memory (halved on OOM).
        dtype: evaluation precision (e.g. ``torch.float64``); default the model's.
        progress: show a ``tqdm`` progress bar.
        check_determinism: evaluate the centre twice and warn if the two differ.
        checkpoint: an ``.npz`` path; finished points are saved there and a re-run of the same
            computation resumes from it. The file records a fingerprint of everything that
            determines the values (model parameters and buffers, directions, data, loss,
            resolution or points, extent, dtype, device kind, field names); a re-run that differs
            in any of them is refused with an error naming what differs.
        metrics: extra scalar fields, ``{name: fn(outputs, targets) -> scalar}``, computed
            from the same outputs as the loss in the same pass (``evaluation/fields.py``):
            sample-weighted means over the batches, like the loss; stored in ``land.fields``.
        points: sample scattered points instead of a grid: a number N of points drawn in the
            ``extent`` box by ``sampler``, or an ``(N, dims)`` array of coordinates α (whose
            bounding box is then the landscape's box).
        sampler: "sobol" (scrambled Sobol' sequence; best balanced for N a power of 2),
            "latin" (Latin hypercube) or "random" (uniform), from ``scipy.stats.qmc`` / numpy.
        seed: seed of the sampler (the same seed gives the same points).
        resume: with ``checkpoint``, continue the computation saved there (default). False
            starts over, overwriting it.
        executor: a ``dask.distributed.Client`` or a ``concurrent.futures.Executor``: blocks of
            points become tasks (``evaluation/distributed.py``), with one fixed evaluation path
            and chunk plan, so the values equal a serial run with ``chunk_size`` = the plan's
            chunk bit for bit. None (default): in-process.
        store: a ``.zarr`` directory filled block by block and resumed on a re-run (same
            fingerprint rules as ``checkpoint``; ``Landscape.load`` opens it). Needs the
            ``distributed`` extra; not with ``checkpoint``.
        task_points: grid points per task (rounded up to whole chunks); default about
            20 s of work and at least 4 tasks per worker.

    Returns:
        A :class:`Landscape` with ``values`` of shape ``resolution`` (C order, matching
        ``Landscape.points``), or for ``points=`` a scattered one (``land.points`` ``(N, dims)``,
        ``land.values`` ``(N,)``), and ``fields`` shaped like ``values``; NaN/inf losses are
        kept.

    Example:
        >>> net = torch.nn.Linear(3, 1)
        >>> d = {n: torch.randn_like(p) for n, p in net.named_parameters()}
        >>> sub = Subspace.from_directions(net, [d])
        >>> x, y = torch.randn(16, 3), torch.randn(16, 1)
        >>> land = sample_landscape(net, torch.nn.MSELoss(), (x, y), sub, resolution=5,
        ...                         progress=False)
        >>> land.shape
        (5,)
    """
    return _sample(model, loss_fn, data, subspace, resolution, extent, device, chunk_size,
                   dtype, progress, check_determinism, checkpoint, metrics, points, sampler,
                   seed, resume, executor, store, task_points, None)


def sample_with(choose: Choose, model: torch.nn.Module, loss_fn: LossFn, data: Any,
                subspace: Subspace, **options: Any) -> Landscape:
    """``sample_landscape(model, loss_fn, data, subspace, **options)`` evaluated by the
    strategies ``choose(evaluator, **context)`` returns instead of :func:`~.race.candidates`
    (``context``: the keyword arguments ``candidates`` takes, so ``choose`` may filter or wrap
    its list); raced when there are several and ``chunk_size`` is not given. For tests and
    benchmarks that fix the ways of evaluating.

    Example:
        >>> from .strategy import PointLoop
        >>> net = torch.nn.Linear(3, 1)
        >>> sub = Subspace.from_directions(net, [{n: torch.randn_like(p)
        ...                                       for n, p in net.named_parameters()}])
        >>> land = sample_with(lambda ev, grad, **_: [PointLoop(ev, grad=grad)], net,
        ...                    torch.nn.MSELoss(), (torch.randn(8, 3), torch.randn(8, 1)), sub,
        ...                    resolution=5, progress=False)
        >>> land.provenance.extra["strategy"]
        'per-point loop, functional_call'
    """
    if not callable(choose):
        raise TypeError(f"choose: expected a callable choose(evaluator, **context) -> "
                        f"strategies, got {type(choose).__name__}")
    bound = inspect.signature(sample_landscape).bind(model, loss_fn, data, subspace, **options)
    bound.apply_defaults()
    if any(bound.arguments[k] is not None for k in ("executor", "store", "task_points")):
        raise ValueError("executor: a blocked run fixes its own strategy (distributed.py); "
                         "sample_with takes in-process runs only")
    return _sample(*bound.arguments.values(), choose)  # pyright: ignore[reportCallIssue]


def _sample(model: Any, loss_fn: Any, data: Any, subspace: Any, resolution: Any, extent: Any,
            device: Any, chunk_size: Any, dtype: Any, progress: bool, check_determinism: bool,
            checkpoint: Any, metrics: Any, points: Any, sampler: str, seed: Any, resume: bool,
            executor: Any, store: Any, task_points: Any, choose: Choose | None) -> Landscape:
    _check_arguments(model, loss_fn, subspace, chunk_size)
    metrics = check_metrics(metrics)
    grid = sampling_sites(subspace.dims, resolution, extent, points, sampler, seed)
    batches = as_batches(data, loss_fn)
    device = resolve_device(device)
    dtype = resolve_dtype(model, dtype)
    if executor is not None or store is not None or task_points is not None:
        if checkpoint is not None:
            raise ValueError("checkpoint: an .npz checkpoint and store= exclude each other; "
                             "a .zarr store is the checkpoint of a blocked run")
        from .distributed import sample_distributed

        return sample_distributed(
            model, loss_fn, batches.source, subspace, grid, device, dtype, metrics,
            chunk_size=chunk_size, progress=progress, check_determinism=check_determinism,
            executor=executor, store=store, resume=resume, task_points=task_points)

    with preserved_model(model):
        model.eval()
        evaluator = PointLoss(model, loss_fn, batches, subspace, device, dtype, metrics)
        run = _evaluate(model, loss_fn, batches, subspace, grid, evaluator, checkpoint, resume,
                        chunk_size, progress, check_determinism, choose)
        results, winner, label, raced, centre_loss, deterministic, grad = run

    provenance = Provenance(
        source=subspace.kind,
        normalization=subspace.normalization,
        seed=subspace.seed,
        eigenvalues=(
            None if subspace.eigenvalues is None else tuple(map(float, subspace.eigenvalues))
        ),
        resolution=grid.shape if isinstance(grid, Grid) else None,
        extent=grid.bounds,
        loss_name=callable_name(loss_fn),
        model_name=type(model).__name__,
        extra={
            "evaluation": label,
            "strategy": winner.describe(),
            "raced": raced,
            **winner.settings(),
            "grad_in_forward": grad,
            "device": str(device),
            "dtype": str(dtype).replace("torch.", ""),
            "n_samples": evaluator.n_samples,
            "center_loss": centre_loss,
            "deterministic": deterministic,
            "subspace": dict(subspace.extra),
            "fields": list(metrics),
            **({} if isinstance(grid, Grid) else {"sampler": grid.sampler,
                                                  "sampler_seed": grid.seed}),
        },
    )
    fields = {
        name: results.fields[:, j].reshape(grid.shape)
        for j, name in enumerate(metrics) if results.fields is not None
    }
    if isinstance(grid, PointSet):
        # the box travels in provenance.extent (given points may span a flat one)
        scattered = Landscape.from_points(grid.points, results.values, provenance=provenance)
        return replace(scattered, fields=fields)
    return Landscape(values=results.values.reshape(grid.shape), axes=grid.axes,
                     provenance=provenance, fields=fields)


def _evaluate(model: torch.nn.Module, loss_fn: Any, batches: Any, subspace: Subspace,
              grid: Grid | PointSet, evaluator: PointLoss, checkpoint: Any, resume: bool,
              chunk_size: int | None, progress: bool, check_determinism: bool,
              choose: Choose | None,
              ) -> tuple[GridCheckpoint, Strategy, str, list[str], float, bool, bool]:
    """The centre (loss, determinism, memory), the candidates, the walk: returns the results,
    the winning strategy, the path label, the strategies raced, the centre's loss, whether the
    centre agreed with itself and whether the forward needs autograd."""
    device = evaluator.device
    meter = ActivationMeter()
    with meter.attached(model):
        centre_loss, grad = _first_loss(evaluator, grid.centre, meter)
    n_fields = len(evaluator.metrics)
    if checkpoint is None:
        results = GridCheckpoint.in_memory(grid.size, n_fields)
    else:
        results = GridCheckpoint.open(
            checkpoint, run_fingerprint(model, loss_fn, batches, subspace, grid,
                                        evaluator.dtype, device, evaluator, centre_loss),
            grid.size, tuple(evaluator.metrics), resume=resume,
        )
    per_point_bytes = 3 * evaluator.param_bytes + 2 * meter.peak_bytes
    pending = results.pending()
    activation_bytes = int(meter.largest_per_sample * evaluator.largest_batch)
    chunk = chunk_size or choose_chunk_size(device, per_point_bytes, max(len(pending), 1),
                                            activation_bytes=activation_bytes)
    # the race also runs on CUDA, between vmap and the plain loop only: measured on an H100
    # (benchmarks/README.md), a wide VGG-style CNN ran 1.16x faster one point at a time than
    # through vmap's grouped convolutions (see race.py for the CPU's variants)
    race = chunk_size is None and device.type in ("cpu", "cuda")
    context = {"centre": grid.centre, "centre_loss": centre_loss, "meter": meter,
               "chunk": chunk, "n_points": len(pending), "grad": grad, "race": race}
    if choose is None:
        strategies = candidates(evaluator, **context)
    else:  # a caller's own strategies (tests, benchmarks): raced when there are several
        strategies = list(choose(evaluator, **context))
        wrong = [type(s).__name__ for s in strategies if not isinstance(s, Strategy)]
        if wrong or not strategies:
            raise TypeError(f"choose: expected a non-empty list of Strategy objects "
                            f"(evaluation/strategy.py), got {wrong or 'none'}")
    deterministic = True
    # a captured loop was recorded from a second run at the centre that agreed with the first
    # (capture.py): that is the check; otherwise the centre is evaluated again
    if check_determinism and not any(
            isinstance(s, CapturedLoop) and s.centre_agreed for s in strategies):
        again = evaluator.at(grid.centre, mode=LoopMode(grad=grad))
        deterministic = agree(centre_loss, again)
        if not deterministic:
            warnings.warn(
                f"sample_landscape: two evaluations of {type(model).__name__} at the centre "
                f"gave different losses ({centre_loss!r} and {again!r}); the model or data "
                "pipeline is not deterministic (random ops, data augmentation, "
                "non-deterministic kernels), so the landscape will be noisy",
                RuntimeWarning,
                stacklevel=4,
            )
    winner, label, raced = walk(strategies, grid, results, pending, chunk, progress,
                                checkpoint is not None, race and len(strategies) > 1)
    return results, winner, label, raced, centre_loss, deterministic, grad


# ---------------------------------------------------------------------- arguments
def _check_arguments(
    model: Any, loss_fn: Any, subspace: Any, chunk_size: Any
) -> None:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError(
            "loss_fn: expected a callable loss_fn(outputs, targets) or lw.model_loss(fn), "
            f"got {type(loss_fn).__name__}"
        )
    if not isinstance(subspace, Subspace):
        raise TypeError(
            "subspace: expected a Subspace (e.g. from random_subspace), "
            f"got {type(subspace).__name__}"
        )
    if subspace.dims < 1:
        raise ValueError(
            f"subspace: expected at least 1 direction (dims >= 1), got {subspace.dims}"
        )
    n_params = parameter_count(named_trainable(model))
    if subspace.dims > n_params:
        raise ValueError(
            f"subspace: expected at most {n_params} directions (the model's trainable parameter "
            f"count), got dims={subspace.dims}"
        )
    subspace.check_against(model)
    is_int = isinstance(chunk_size, (int, np.integer)) and not isinstance(chunk_size, bool)
    if chunk_size is not None and (not is_int or chunk_size < 1):
        raise ValueError(f"chunk_size: expected None or an integer >= 1, got {chunk_size!r}")


def resolve_dtype(model: torch.nn.Module, dtype: torch.dtype | None) -> torch.dtype:
    if dtype is None:
        return next(iter(named_trainable(model).values())).dtype
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(
            f"dtype: expected a floating torch.dtype such as torch.float64, got {dtype!r}"
        )
    return dtype


def callable_name(fn: Any) -> str:
    """``CrossEntropyLoss`` for a loss module, the function's name for a function (for a
    ``model_loss`` closure, its function's)."""
    if is_closure(fn):
        return callable_name(fn.fn)
    if isinstance(fn, functools.partial):
        return callable_name(fn.func)
    if inspect.isfunction(fn) or inspect.isbuiltin(fn) or inspect.ismethod(fn):
        return fn.__name__
    return type(fn).__name__


def _first_loss(evaluator: PointLoss, centre: np.ndarray,
                meter: ActivationMeter) -> tuple[float, bool]:
    """The centre's loss, and whether the forward needs autograd: one that differentiates
    itself (``torch.autograd.grad`` on its inputs, as most PINNs compute u_x) fails under
    ``no_grad``; it is then evaluated with autograd on, point by point (``model/autograd.py``)."""
    return needs_autograd(lambda grad: evaluator.at(centre, meter, LoopMode(grad=grad)))
