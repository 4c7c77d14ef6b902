"""One face for the executors a computation can be spread over: a ``dask.distributed.Client``,
any ``concurrent.futures.Executor`` (a ``ProcessPoolExecutor``), or none (in-process).

What travels once and what travels per task:

* Dask: :meth:`Runner.share` scatters an object to every worker once
  (``client.scatter(obj, broadcast=True)``); tasks then carry only its future, which each worker
  resolves from its own memory.
* ``concurrent.futures``: an executor has no scatter, so the object is pickled once on the client
  and its bytes travel with every task (a local pipe: cheap next to a task that runs seconds);
  each worker process unpickles it once and keeps it by a token (:func:`resolve`), so the model
  is rebuilt once per process, not per task.

Every worker also sets its torch thread count once (:func:`setup_worker`): on Dask the cores the
worker was given (``nthreads``; use ``threads_per_worker=1`` so tasks do not share a pool),
in a process pool the machine's cores over the pool's processes; on CUDA each worker takes one
of the visible GPUs (by its Dask name or its process id).

A ``concurrent.futures`` process pool cannot outlive a worker process that dies mid-task
(killed, out of memory, a crash in native code): Python marks the pool broken and fails every
unfinished task with ``BrokenProcessPool``. :meth:`Runner.as_completed` then hands the caller
every task that did finish first (so it is saved) and raises :class:`WorkerLost`, which says
what happened, how much finished and that a re-run with a new pool resumes. The pool is the
caller's object, so the library does not replace it behind their back. Dask recomputes a lost
task on another worker by itself, but not scattered data: when every worker holding the shared
objects dies at once, :meth:`Runner.run` scatters them again and resubmits the unfinished tasks.

Neither dask nor any executor is imported unless one is passed.
"""

from __future__ import annotations

import os
import pickle
import uuid
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

# objects a worker process keeps by token (the newest few: a notebook may run several sweeps)
_KEPT: dict[str, Any] = {}
MAX_KEPT = 4


Key = TypeVar("Key")
# how often Runner.run sends the shared objects again after Dask lost every copy of them, and
# how long it waits for a restarted worker before doing so
MAX_RESHARES = 2
WORKER_WAIT_S = 60.0

# what a run keeps when it stops early, unless the caller says more precisely
KEPT_DEFAULT = ("what they computed is saved where the run keeps its work (store=, directory=, "
                "collection= or checkpoint=; nothing without one).")


class WorkerLost(BrokenExecutor):
    """A worker process of a ``concurrent.futures`` executor died during a task, which broke
    the executor, or Dask lost every copy of a run's shared objects more often than
    :meth:`Runner.run` resends them: the finished tasks are saved, a re-run resumes."""


def is_dask_client(executor: Any) -> bool:
    return type(executor).__module__.split(".")[0] == "distributed" and hasattr(
        executor, "scatter")


@dataclass(frozen=True)
class Shipped:
    """An object pickled once on the client for a ``concurrent.futures`` executor."""

    token: str
    payload: bytes


def resolve(shared: Any, token: str) -> Any:
    """The shared object on a worker: kept from an earlier task of this process when possible.
    (``pickle`` here is the executor's own transport between our processes, never a file.)"""
    if token in _KEPT:
        return _KEPT[token]
    obj = pickle.loads(shared.payload) if isinstance(shared, Shipped) else shared
    if len(_KEPT) >= MAX_KEPT:
        _KEPT.pop(next(iter(_KEPT)))
    _KEPT[token] = obj
    return obj


def kept(token: str, build: Callable[[], Any]) -> Any:
    """A per-process cache for what a worker builds from a shared object (an evaluator)."""
    key = f"built:{token}"
    if key not in _KEPT:
        if len(_KEPT) >= MAX_KEPT:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[key] = build()
    return _KEPT[key]


# glibc's own dynamic ceiling for its mmap threshold on 64-bit (and twice that for trimming)
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20
_MALLOC_TUNED = False


def _tune_malloc() -> None:
    """Undo the fixed ``MALLOC_TRIM_THRESHOLD_`` that Dask's nanny puts in its workers'
    environment: it freezes glibc's mmap threshold at 128 KiB, so every chunk-sized tensor is a
    fresh mmap and page faults on first touch (measured: a vmap chunk of the benchmark MLP ran
    2x slower on a worker than in the client). Set both thresholds to glibc's own maxima."""
    global _MALLOC_TUNED
    if _MALLOC_TUNED or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    _MALLOC_TUNED = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, TRIM_THRESHOLD)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):  # not glibc: nothing to undo
        pass


def setup_worker(threads: int | None) -> dict[str, Any]:
    """Set this worker's torch thread count (once) and its allocator (``_tune_malloc``), and
    say which device index it should use among several GPUs."""
    import torch

    _tune_malloc()
    nthreads = threads
    rank = os.getpid()
    try:
        from distributed import get_worker

        worker = get_worker()
        nthreads = nthreads or int(worker.state.nthreads)
        rank = int(worker.name) if str(worker.name).isdigit() else rank
    except (ImportError, ValueError, AttributeError):
        pass
    if nthreads and torch.get_num_threads() != nthreads:
        torch.set_num_threads(int(nthreads))
    return {"threads": torch.get_num_threads(), "rank": rank}


def worker_device(device: Any, rank: int) -> Any:
    """On CUDA with several visible GPUs, the one of this worker (``rank`` modulo their count);
    otherwise ``device`` unchanged."""
    import torch

    if device.type == "cuda" and device.index is None and torch.cuda.device_count() > 1:
        return torch.device("cuda", rank % torch.cuda.device_count())
    return device


class Runner:
    """Submit tasks to ``executor`` and take their results as they finish."""

    def __init__(self, executor: Any, unit: str = "tasks", kept: str = KEPT_DEFAULT) -> None:
        """``unit`` names the tasks and ``kept`` says where finished work is saved, for the
        message of :class:`WorkerLost`."""
        from concurrent.futures import Executor

        if executor is not None and not (is_dask_client(executor)
                                         or isinstance(executor, Executor)):
            raise TypeError(
                "executor: expected a dask.distributed.Client, a concurrent.futures.Executor "
                f"(e.g. ProcessPoolExecutor) or None, got {type(executor).__name__}"
            )
        self.executor: Any = executor  # a dask Client, an Executor, or None (in-process)
        self.kind = ("dask" if is_dask_client(executor)
                     else "local" if executor is None else "concurrent")
        self.unit, self.kept = unit, kept

    @property
    def workers(self) -> int:
        if self.kind == "dask":
            return max(1, len(self.executor.scheduler_info().get("workers", {})))
        if self.kind == "concurrent":
            return max(1, int(getattr(self.executor, "_max_workers", 1) or 1))
        return 1

    def default_threads(self) -> int | None:
        """Torch threads per worker: Dask decides per worker (None); a process pool gets the
        machine's cores over its processes."""
        if self.kind == "concurrent":
            return max(1, (os.cpu_count() or 1) // self.workers)
        return None

    def share(self, obj: Any) -> tuple[Any, str]:
        """``(handle, token)`` of ``obj`` sent to the workers once (see the module docstring)."""
        token = uuid.uuid4().hex
        if self.kind == "dask":
            return self.executor.scatter(obj, broadcast=True, hash=False), token
        if self.kind == "concurrent":
            try:
                payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
            except (pickle.PicklingError, AttributeError, TypeError) as exc:
                raise TypeError(
                    f"executor: a {type(self.executor).__name__} sends the model, loss, data "
                    "and functions to its processes with pickle, which needs module-level "
                    f"functions and classes (no lambdas or local functions): {exc}. A Dask "
                    "Client (cloudpickle) takes those too"
                ) from exc
            return Shipped(token, payload), token
        return obj, token

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self.kind == "dask":
            return self.executor.submit(fn, *args, pure=False)
        try:
            return self.executor.submit(fn, *args)
        except BrokenExecutor as exc:
            raise WorkerLost(
                f"executor: this {type(self.executor).__name__} cannot run tasks any more (a "
                f"worker process died during an earlier run: {exc}); pass a new one"
            ) from exc

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        """The futures as they finish. On a broken process pool: every finished one first,
        then :class:`WorkerLost` (see the module docstring)."""
        futures = list(futures)
        if self.kind == "dask":
            from distributed import as_completed

            yield from as_completed(futures)
            return
        from concurrent.futures import as_completed

        lost: BaseException | None = None
        finished = 0
        for future in as_completed(futures):
            exc = None if future.cancelled() else future.exception()
            if isinstance(exc, BrokenExecutor):
                lost = lost or exc  # the pool fails all unfinished tasks at once: go on
                continue
            finished += 1
            yield future
        if lost is not None:
            raise WorkerLost(
                f"executor: a worker process of the {type(self.executor).__name__} died during "
                "a task (killed, out of memory, or a crash in native code). A process pool "
                "cannot go on after that: every unfinished task failed with it, and this pool "
                f"cannot be used again. {finished} of the {len(futures)} {self.unit} of this "
                f"run finished; {self.kept} Run the same call again with a new executor: it "
                "computes only what is missing"
            ) from lost

    def run(self, task: Callable[..., Any], shared_obj: Any,
            tasks: Mapping[Key, tuple[Any, ...]]) -> Generator[tuple[Key, Any], None, None]:
        """Run ``task(shared, token, threads, *args)`` for every ``key: args`` of ``tasks`` on
        the executor, with ``shared_obj`` sent once (:meth:`share`); yield ``(key, result)``
        as they finish. Closing the generator early (an error in the caller's loop) cancels
        what is still queued.

        On Dask, a task whose worker dies is recomputed by Dask itself, but scattered data is
        not: when every worker holding ``shared_obj`` dies at once, Dask cancels the tasks that
        need it. The object is then sent again and those tasks resubmitted (with a warning),
        up to :data:`MAX_RESHARES` times; after that :class:`WorkerLost` says what finished."""
        threads = self.default_threads()
        pending = dict(tasks)
        workers = self.workers
        for attempt in range(MAX_RESHARES + 1):
            if attempt:
                warnings.warn(
                    f"executor: every Dask worker holding this run's shared objects (model, "
                    f"loss, data) was lost at once; sending them again and resubmitting the "
                    f"{len(pending)} unfinished {self.unit}", RuntimeWarning, stacklevel=3)
                self._wait_for_workers(workers)
            shared, token = self.share(shared_obj)
            futures = {self.submit(task, shared, token, threads, *args): key
                       for key, args in pending.items()}
            lost = False
            try:
                for future in self.as_completed(futures):
                    if self.kind == "dask" and future.cancelled():
                        lost = True  # its scattered input is gone: resubmitted below
                        continue
                    key = futures[future]
                    result = future.result()
                    del pending[key]
                    yield key, result
            except BaseException:  # GeneratorExit included: the caller stopped early
                self.cancel(futures)
                raise
            if not lost:
                return
        losses = MAX_RESHARES + 1
        raise WorkerLost(
            f"executor: every Dask worker holding this run's shared objects was lost at once, "
            f"{losses} {'time' if losses == 1 else 'times'} (killed, out of memory, or a crash "
            "in native code); "
            f"{len(tasks) - len(pending)} of the {len(tasks)} {self.unit} of this run "
            f"finished; {self.kept} Run the same call again once the cluster is healthy: it "
            "computes only what is missing")

    def _wait_for_workers(self, workers: int) -> None:
        """Wait for the cluster's restarted workers, so that the objects are sent to all of
        them; a cluster that stays smaller gets them once it has one worker."""
        try:
            self.executor.wait_for_workers(workers, timeout=WORKER_WAIT_S)
        except TimeoutError:
            self.executor.wait_for_workers(1, timeout=WORKER_WAIT_S)

    def cancel(self, futures: Iterable[Any]) -> None:
        futures = [f for f in futures if not f.done()]
        if not futures:
            return
        if self.kind == "dask":
            self.executor.cancel(futures)
        else:
            for f in futures:
                f.cancel()

    def describe(self) -> str:
        return {"dask": "dask.distributed", "concurrent": type(self.executor).__name__,
                "local": "in-process"}[self.kind]


__all__ = ["Runner", "Shipped", "WorkerLost", "is_dask_client", "kept", "resolve", "setup_worker",
           "worker_device"]
