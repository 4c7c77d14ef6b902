"""``sample_landscape(..., executor=..., store=...)``: a landscape computed in blocks of grid
points, as tasks on a Dask cluster or a process pool, into a resumable ``.zarr`` store.

The client evaluates the centre (the loss is a scalar, the forward may need autograd, the
fingerprint), then fixes a **plan** that every worker follows: the evaluation path ("vmap" over
chunks of ``chunk`` points, or the per-point "loop"), ``chunk``, and ``block`` (points per task, a
multiple of ``chunk``, sized for about ``TASK_SECONDS`` of work and at least
``BLOCKS_PER_WORKER`` tasks per worker). There is no timed race on the workers: the values
depend on the path and the chunk boundaries only, so a task computes exactly the chunks that a
serial ``sample_landscape(..., chunk_size=chunk)`` of the same path computes, and the result is
equal to it bit for bit (with the same thread count), whatever the number of workers, the order
in which tasks finish, or a worker that died and had its task recomputed. A store keeps its plan,
so a resumed run computes the missing blocks with the same chunks.

The model, loss, data and directions travel to each worker once (``executors.py``); a task
carries its block's bounds and returns its block's losses (8 bytes a point, plus 8 per field).
The client writes each block into the store as its task finishes: the store may sit on the
client's disk (workers on a cluster need no shared file system), and one writer needs no
locking between workers.
"""

from __future__ import annotations

import copy
import math
import time
import warnings
from collections.abc import Mapping
from contextlib import closing
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from ..landscape import Landscape, Provenance
from ..model.autograd import needs_autograd
from ..model.data import Batches, as_batches
from ..model.state import preserved_model
from ..subspace.base import Subspace
from .checkpoint import run_fingerprint
from .executors import Runner, kept, resolve, setup_worker, worker_device
from .functional import PointLoss
from .grid import Grid, PointSet
from .memory import ActivationMeter, choose_chunk_size
from .point_inputs import LoopMode
from .strategy import planned_strategy

# a task should run long enough that its scheduling (~ms on Dask) is noise, short enough that a
# lost worker costs little and the progress bar moves
TASK_SECONDS = 20.0
BLOCKS_PER_WORKER = 4
PROBE_POINTS = 4


def sample_distributed(
    model: torch.nn.Module, loss_fn: Any, data: Any, subspace: Subspace,
    grid: Grid | PointSet, device: torch.device, dtype: torch.dtype,
    metrics: Mapping[str, Any], *, chunk_size: int | None, progress: bool,
    check_determinism: bool, executor: Any, store: Any, resume: bool,
    task_points: int | None = None,
) -> Landscape:
    """The executor/store path of :func:`~landscape_widgets.evaluation.sample.sample_landscape`
    (its arguments already checked); see the module docstring."""
    from ..io.fingerprint import check_resume

    runner = Runner(executor, unit="blocks", kept=(
        "they are saved in the store." if store is not None else
        "without store= nothing is kept: pass store='land.zarr' to keep finished blocks."))
    resume = check_resume(resume)
    if task_points is not None and (isinstance(task_points, bool) or not isinstance(
            task_points, (int, np.integer)) or task_points < 1):
        raise ValueError(f"task_points: expected None or an integer >= 1, got {task_points!r}")
    batches = as_batches(data)
    with preserved_model(model):
        model.eval()
        ev = PointLoss(model, loss_fn, batches, subspace, device, dtype, metrics)
        meter = ActivationMeter()

        def attempt(grad: bool) -> float:
            return ev.at(grid.centre, meter, LoopMode(grad=grad))

        with meter.attached(model):
            centre, grad = needs_autograd(attempt)
        deterministic = True
        if check_determinism:
            again = ev.at(grid.centre, mode=LoopMode(grad=grad))
            deterministic = centre == again or (math.isnan(centre) and math.isnan(again)) or (
                math.isclose(centre, again, rel_tol=1e-6))
            if not deterministic:
                warnings.warn(
                    f"sample_landscape: two evaluations at the centre gave {centre!r} and "
                    f"{again!r}; the model or data pipeline is not deterministic",
                    RuntimeWarning, stacklevel=3)
        def make_plan() -> dict[str, Any]:
            return _plan(ev, grid, chunk_size, task_points, meter, runner.workers, grad)

        saved = None
        if store is None:
            plan = make_plan()
        else:
            from ..io.zarr_store import ZarrLandscape

            saved = ZarrLandscape.create_or_resume(
                store, run_fingerprint(model, loss_fn, batches, subspace, grid, dtype, device, ev,
                                   centre),
                make_plan, _grid_json(grid), grid.size, tuple(metrics), resume)
            plan = saved.plan
        block = int(plan["block"])
        n_blocks = max(1, math.ceil(grid.size / block))
        width = 1 + len(metrics)
        rows = np.full((grid.size, width), np.nan)
        if saved is not None:
            from ..io.lock import directory_lock

            with directory_lock(saved.path, "store.lock", timeout=5.0):
                pending = saved.pending_blocks()
                _run_blocks(runner, ev, grid, plan, pending, saved, rows, progress, n_blocks,
                            model, loss_fn, batches, subspace, device, dtype, metrics)
                values, fields = saved.read()
        else:
            _run_blocks(runner, ev, grid, plan, list(range(n_blocks)), None, rows, progress,
                        n_blocks, model, loss_fn, batches, subspace, device, dtype, metrics)
            values, fields = rows[:, 0], rows[:, 1:] if metrics else None

    provenance = Provenance(
        source=subspace.kind, normalization=subspace.normalization, seed=subspace.seed,
        eigenvalues=(None if subspace.eigenvalues is None
                     else tuple(map(float, subspace.eigenvalues))),
        resolution=grid.shape if isinstance(grid, Grid) else None, extent=grid.bounds,
        loss_name=_name(loss_fn), model_name=type(model).__name__,
        extra={
            "evaluation": plan["path"], "device": str(device),
            "strategy": planned_strategy(ev, plan["path"], int(plan["chunk"]), grad).describe(),
            "dtype": str(dtype).replace("torch.", ""), "n_samples": ev.n_samples,
            "center_loss": centre, "deterministic": deterministic,
            "grad_in_forward": grad, "subspace": dict(subspace.extra),
            "fields": list(metrics),
            "plan": {"chunk": int(plan["chunk"]), "block": block, "tasks": n_blocks,
                     "executor": runner.describe()},
            **({} if isinstance(grid, Grid) else {"sampler": grid.sampler,
                                                  "sampler_seed": grid.seed}),
        },
    )
    if saved is not None:
        saved.finish(provenance.to_json())
    field_map = ({} if fields is None else
                 {n: fields[:, j].reshape(grid.shape) for j, n in enumerate(metrics)})
    if isinstance(grid, PointSet):
        scattered = Landscape.from_points(grid.points, values, provenance=provenance)
        return replace(scattered, fields=field_map)
    return Landscape(values=values.reshape(grid.shape), axes=grid.axes, provenance=provenance,
                     fields=field_map)


def _plan(ev: PointLoss, grid: Grid | PointSet, chunk_size: int | None,
          task_points: int | None, meter: ActivationMeter, workers: int,
          grad: bool) -> dict[str, Any]:
    """Path, chunk and block, from one timed probe on the client (see the module docstring)."""
    size = grid.size
    chunk = chunk_size or choose_chunk_size(
        ev.device, 3 * ev.param_bytes + 2 * meter.peak_bytes, size,
        activation_bytes=int(meter.largest_per_sample * ev.largest_batch))
    path = "loop" if grad else "vmap"
    probe = grid.coordinates(np.arange(min(size, chunk if path == "vmap" else PROBE_POINTS)))
    start = time.perf_counter()
    if path == "vmap":
        try:
            planned_strategy(ev, path, chunk, grad).losses(probe)
        except Exception as exc:
            path = "loop"
            warnings.warn(
                f"sample_landscape: torch.func.vmap cannot evaluate this model "
                f"({type(exc).__name__}: {exc}); every task evaluates point by point",
                RuntimeWarning, stacklevel=4)
            probe = probe[:PROBE_POINTS]
            start = time.perf_counter()
            planned_strategy(ev, path, chunk, grad).losses(probe)
    else:
        planned_strategy(ev, path, chunk, grad).losses(probe)
    per_point = max((time.perf_counter() - start) / max(len(probe), 1), 1e-9)
    if task_points is not None:
        block = max(1, math.ceil(task_points / chunk)) * chunk
    else:
        by_time = max(1, round(TASK_SECONDS / (per_point * chunk))) * chunk
        by_balance = max(1, math.ceil(size / chunk / (BLOCKS_PER_WORKER * workers))) * chunk
        block = min(by_time, by_balance)
    return {"path": path, "chunk": int(chunk), "block": int(min(block, max(size, 1))),
            "grad_in_forward": grad}


def block_rows(ev: PointLoss, grid: Grid | PointSet, plan: Mapping[str, Any], start: int,
               stop: int) -> np.ndarray:
    """``(stop - start, 1 + n_fields)`` rows of one block, chunk by chunk as the plan says."""
    coords = grid.coordinates(np.arange(start, stop))
    chunk = int(plan["chunk"])
    strategy = planned_strategy(ev, plan["path"], chunk, bool(plan["grad_in_forward"]))
    if plan["path"] == "loop":
        out = strategy.losses(coords)
    else:
        out = torch.cat([strategy.losses(coords[k:k + chunk])
                         for k in range(0, len(coords), chunk)])
    return out.numpy().reshape(stop - start, -1)


def _evaluate_block(shared: Any, token: str, threads: int | None, plan: Mapping[str, Any],
                    start: int, stop: int) -> np.ndarray:
    """A task: one block's rows, on a worker (its evaluator built once per process)."""
    info = setup_worker(threads)

    def build() -> PointLoss:
        model, loss_fn, source, subspace, device, dtype, metrics, _ = resolve(shared, token)
        # a private copy: functional_call swaps batched tensors into the module while it runs,
        # and Dask may serialise the scattered original from its own thread at any moment (to
        # send it to another worker, or to spill it): it would meet tensors from inside vmap
        model = copy.deepcopy(model)
        return PointLoss(model, loss_fn, as_batches(source), subspace,
                         worker_device(device, info["rank"]), dtype, metrics)

    ev = kept(token, build)
    grid = resolve(shared, token)[7]
    return block_rows(ev, grid, plan, start, stop)


def _run_blocks(runner: Runner, ev: PointLoss, grid: Grid | PointSet, plan: Mapping[str, Any],
                pending: list[int], saved: Any, rows: np.ndarray, progress: bool,
                n_blocks: int, model: Any, loss_fn: Any, batches: Batches, subspace: Subspace,
                device: torch.device, dtype: torch.dtype, metrics: Mapping[str, Any]) -> None:
    from .._progress import progress_bar as tqdm

    block = int(plan["block"])

    def bounds(b: int) -> tuple[int, int]:
        return b * block, min((b + 1) * block, grid.size)

    def take(b: int, out: np.ndarray) -> None:
        start, stop = bounds(b)
        if saved is not None:
            saved.write_block(b, out)
        else:
            rows[start:stop] = out.reshape(stop - start, -1)
        bar.update(stop - start)

    done_points = grid.size - sum(bounds(b)[1] - bounds(b)[0] for b in pending)
    bar = tqdm(total=grid.size, initial=done_points, disable=not progress, unit="pt",
               desc=f"{grid.dims}-D landscape ({runner.describe()})")
    try:
        if runner.kind == "local":
            for b in pending:
                take(b, block_rows(ev, grid, plan, *bounds(b)))
            return
        shared = (model, loss_fn, batches.source, subspace, device, dtype, dict(metrics), grid)
        finished = runner.run(_evaluate_block, shared,
                              {b: (dict(plan), *bounds(b)) for b in pending})
        with closing(finished):  # an error in take cancels the queued tasks
            for b, out in finished:
                take(b, np.asarray(out))
    finally:
        bar.close()


def _grid_json(grid: Grid | PointSet) -> dict[str, Any]:
    if isinstance(grid, Grid):
        return {"axes": [[float(x) for x in a] for a in grid.axes]}
    return {"points": grid.points.tolist(), "bounds": [list(b) for b in grid.bounds]}


def _name(fn: Any) -> str:
    from .sample import callable_name

    return callable_name(fn)


__all__ = ["block_rows", "sample_distributed"]
