"""A sweep on an executor: one entry per task (``sweep_checkpoints`` / ``sweep_training`` with
``executor=``).

The loss, the data and the configuration are sent to the workers once (``Runner.share``); a task
carries its entry's key and loader (a checkpoint's state, or the ``train`` function) and returns
the entry's landscape, Hessian metrics and scalars. The client adds each entry to the collection
as its task finishes (the collection's writes take the directory lock, ``io/lock.py``), so an
interrupted sweep keeps every finished entry and a re-run skips them. A task whose user code
(``train``, ``make_model``, ``scalars``, the loss) raises returns the traceback instead of a
result: the other entries finish and are saved, then :class:`SweepError` names every key that
failed with its traceback. The ``on_entry`` hook runs here, in the client, as each entry is
added (what it raises stops the sweep: the remaining tasks are cancelled). A worker that dies
mid-task (killed, out of memory) takes only that task with it: Dask recomputes it on another
worker.

A task does not checkpoint its half-sampled landscape (workers need no shared file system): an
interrupted entry is recomputed from the start. Each entry's ``sample_landscape`` runs serially
on its worker, so with ``chunk_size`` fixed (no timed race) the entries equal a serial sweep's
bit for bit at the same torch thread count.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from contextlib import closing
from typing import Any


class SweepError(RuntimeError):
    """Entries whose code raised; ``failures`` maps each entry's label to its traceback."""

    def __init__(self, failures: Mapping[str, str], done: int) -> None:
        self.failures = dict(failures)
        lines = [f"--- entry {label} ---\n{tb}" for label, tb in self.failures.items()]
        super().__init__(
            f"{len(self.failures)} sweep entr{'y' if len(self.failures) == 1 else 'ies'} failed "
            f"({', '.join(self.failures)}); {done} other entries finished and are saved. "
            "Fix the code and run the sweep again: finished entries are skipped.\n"
            + "\n".join(lines)
        )


def _entry_task(shared: Any, token: str, threads: int | None, key: dict[str, Any],
                load: Callable[[], Any]) -> tuple[str, Any]:
    """On a worker: ``("ok", (landscape, hessian, scalars))`` or ``("error", traceback)``."""
    from ..evaluation.executors import resolve, setup_worker, worker_device
    from ..evaluation.sample import resolve_device
    from .sweep import entry_result

    info = setup_worker(threads)
    loss_fn, data, cfg, scalars, device, chunk_size = resolve(shared, token)
    try:
        dev = worker_device(resolve_device(device), info["rank"])
        model, extra = load()
        return "ok", entry_result(key, model, dict(extra), loss_fn, data, cfg, scalars, dev,
                                  chunk_size)
    except Exception:
        return "error", traceback.format_exc()


def run_on_executor(executor: Any, pending: list[Any], coll: Any, record: Any, loss_fn: Any,
                    data: Any, cfg: Any, scalars: Any, device: Any, chunk_size: int | None,
                    bar: Any, label: Callable[[Mapping[str, Any]], str],
                    announce: Callable[[Mapping[str, Any], Any], None]) -> None:
    """Compute the ``pending`` jobs as tasks; add each finished entry to ``coll`` at once,
    then ``announce(key, landscape)`` it (the ``on_entry`` hook, in completion order)."""
    from ..evaluation.executors import Runner  # torch: only when a sweep runs

    runner = Runner(executor, unit="entries", kept=(
        "they are saved in the collection's directory." if coll.directory is not None else
        "without directory= nothing is kept: pass directory='runs/sweep' to keep finished "
        "entries."))
    if runner.kind == "local":
        raise TypeError("executor: expected a dask.distributed.Client or an Executor, got None")
    digests = {id(job): job.digest() if job.digest is not None else None for job in pending}
    jobs = {id(job): job for job in pending}
    failures: dict[str, str] = {}
    done = 0
    finished = runner.run(_entry_task, (loss_fn, data, cfg, scalars, device, chunk_size),
                          {id(job): (dict(job.key), job.load) for job in pending})
    with closing(finished):  # an error below cancels the queued tasks
        for job_id, (status, result) in finished:
            job = jobs[job_id]
            if status == "error":
                failures[label(job.key)] = result
                continue
            land, hess, extra = result
            entry = coll.add(job.key, land, hessian=hess, scalars=extra, replace=True)
            record.record(entry.id, digests[job_id])
            done += 1
            bar.set_postfix_str(label(job.key), refresh=False)
            bar.update(1)
            announce(job.key, land)
    if failures:
        # in the sweep's own order, not the order the tasks happened to finish in
        order = [label(job.key) for job in pending]
        raise SweepError({k: failures[k] for k in order if k in failures}, done)


__all__ = ["SweepError", "run_on_executor"]
