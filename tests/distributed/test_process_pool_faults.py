"""A process killed mid-task breaks a ProcessPoolExecutor (Python fails every unfinished task of
the pool): the finished work is saved, the error says so, and a re-run with a new pool computes
only what is missing."""

from __future__ import annotations

import functools
import math
import multiprocessing
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

import pytest
from torch import nn

import landscape_widgets as lw
from landscape_widgets.evaluation.executors import WorkerLost

from .helpers import loss_logged_or_killed, tiny_problem, train, train_or_die
from .helpers import train_logged_or_killed as train_logged
from .test_distributed import GRID, RUN, SWEEP, _collections_equal, problem

pytest.importorskip("zarr")

LOSS = nn.CrossEntropyLoss()


def new_pool() -> ProcessPoolExecutor:
    """A fresh pool per run (a broken one cannot be reused). Its processes are forked from one
    forkserver that imported torch once: seconds less per pool than "spawn", and unlike "fork"
    never a copy of this process's OpenMP state."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["torch", "landscape_widgets", "tests.distributed.helpers"])
    return ProcessPoolExecutor(2, mp_context=context)


def test_a_killed_pool_worker_keeps_finished_entries_and_the_rerun_resumes(tmp_path):
    _net, data = tiny_problem(0)
    serial = lw.sweep_training(train, GRID, LOSS, data, **SWEEP)
    directory, marker = tmp_path / "sweep", tmp_path / "killed-once"
    log = tmp_path / "log"  # one file per finished training / loss call in a worker
    log.mkdir()
    with new_pool() as pool:
        with pytest.raises(WorkerLost, match=r"a worker process of the ProcessPoolExecutor "
                           r"died during a task[\s\S]*cannot be used again. \d of the 4 entries "
                           r"of this run finished; they are saved in the collection's "
                           r"directory[\s\S]*Run the same call again") as info:
            lw.sweep_training(functools.partial(train_logged, marker=str(marker),
                                                log_dir=str(log)),
                              GRID, LOSS, data, directory=directory, executor=pool, **SWEEP)
        assert isinstance(info.value, BrokenExecutor)  # `except BrokenProcessPool`-style code
        with pytest.raises(WorkerLost, match="cannot run tasks any more.*pass a new one"):
            lw.sweep_training(train, GRID, LOSS, data, executor=pool, **SWEEP)
    assert marker.exists()
    saved = {e.label for e in lw.LandscapeCollection(directory)}
    assert "lr=0.5, seed=1" not in saved
    assert f"{len(saved)} of the 4 entries" in str(info.value)
    before = set(log.iterdir())
    with new_pool() as pool:
        coll = lw.sweep_training(functools.partial(train_logged, marker=str(marker),
                                                   log_dir=str(log)),
                                 GRID, LOSS, data, directory=directory, executor=pool, **SWEEP)
    retrained = sorted(f.read_text() for f in set(log.iterdir()) - before)
    assert retrained == sorted({e.label for e in serial} - saved)  # only the missing entries
    _collections_equal(serial, coll)


def test_a_killed_pool_worker_keeps_finished_blocks_and_the_rerun_resumes(tmp_path):
    net, data, sub = problem(2)
    serial = lw.sample_landscape(net, LOSS, data, sub, resolution=9, **RUN)
    path, marker = tmp_path / "land.zarr", tmp_path / "killed-once"
    log = tmp_path / "log"  # one file per finished training / loss call in a worker
    log.mkdir()
    kw = dict(resolution=9, store=path, task_points=20, **RUN)  # blocks of 20, 20, 20, 20, 1
    with new_pool() as pool:
        dying = functools.partial(loss_logged_or_killed, marker=str(marker),
                                  log_dir=str(log))
        with pytest.raises(WorkerLost, match=r"\d of the 5 blocks of this run finished; they "
                           "are saved in the store"):
            lw.sample_landscape(net, dying, data, sub, executor=pool, **kw)
    from landscape_widgets.io.zarr_store import open_store

    store = open_store(path)
    pending = store.pending_blocks()
    assert pending  # the killed task's block at least
    with pytest.raises(ValueError, match=f"{len(pending)} of 5 blocks missing"):
        lw.Landscape.load(path)
    before = set(log.iterdir())
    with new_pool() as pool:
        logged = functools.partial(loss_logged_or_killed, marker=str(marker),
                                   log_dir=str(log))
        land = lw.sample_landscape(net, logged, data, sub, executor=pool, **kw)
    # the workers evaluated only the missing blocks' chunks (of 5 points)
    expected = sum(math.ceil((min(81, 20 * (b + 1)) - 20 * b) / 5) for b in pending)
    assert len(set(log.iterdir()) - before) == expected
    assert land.values.tobytes() == serial.values.tobytes()
    assert lw.Landscape.load(path).values.tobytes() == serial.values.tobytes()


def test_without_a_store_the_error_says_nothing_was_kept(tmp_path):
    net, data, sub = problem(2)
    marker, log = tmp_path / "killed-once", tmp_path / "log"
    log.mkdir()
    dying = functools.partial(loss_logged_or_killed, marker=str(marker), log_dir=str(log))
    with new_pool() as pool:
        with pytest.raises(WorkerLost, match="without store= nothing is kept: pass "
                           "store='land.zarr'"):
            lw.sample_landscape(net, dying, data, sub, resolution=9, executor=pool,
                                task_points=20, **RUN)


def test_a_sweep_without_a_directory_counts_entries_and_says_nothing_was_kept(tmp_path):
    """The message counts a sweep's tasks as entries and names the argument that keeps them."""
    _net, data = tiny_problem(0)
    dying = functools.partial(train_or_die, marker=str(tmp_path / "killed-once"))
    with new_pool() as pool:
        with pytest.raises(WorkerLost, match=r"\d of the 4 entries of this run finished; "
                           "without directory= nothing is kept: pass directory=") as info:
            lw.sweep_training(dying, GRID, LOSS, data, executor=pool, **SWEEP)
    assert "4 tasks" not in str(info.value)
