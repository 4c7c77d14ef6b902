"""Scale-out on a real Dask LocalCluster (2 worker processes) and a ProcessPoolExecutor: equal to
the serial result bit for bit, resumable from a .zarr store, robust to a killed worker."""

from __future__ import annotations

import functools
import json
import os

import numpy as np
import pytest
import torch
from torch import nn

import landscape_widgets as lw
from landscape_widgets.io.bounded import FileFormatError

from .helpers import (
    accuracy,
    loss_or_all_die,
    loss_or_die,
    sgd,
    tiny_problem,
    train,
    train_or_die,
    train_or_fail,
)

pytest.importorskip("zarr")
pytest.importorskip("distributed")

LOSS = nn.CrossEntropyLoss()
RUN = dict(chunk_size=5, progress=False, dtype=torch.float64)


class CountingLoss:
    """Cross-entropy that counts its calls and raises KeyboardInterrupt at call ``stop_at``."""

    def __init__(self, stop_at=None):
        self.calls, self.stop_at = 0, stop_at

    def __call__(self, out, y):
        self.calls += 1
        if self.stop_at is not None and self.calls >= self.stop_at:
            raise KeyboardInterrupt
        return nn.functional.cross_entropy(out, y)


def problem(dims=2):
    net, data = tiny_problem(0)
    return net, data, lw.random_subspace(net, dims=dims, seed=0)


def test_sample_on_dask_equals_serial_bit_for_bit(client, tmp_path):
    net, data, sub = problem(3)
    serial = lw.sample_landscape(net, LOSS, data, sub, resolution=7, **RUN)
    land = lw.sample_landscape(net, LOSS, data, sub, resolution=7, executor=client,
                               store=tmp_path / "land.zarr", task_points=40, **RUN)
    assert land.shape == (7, 7, 7)
    assert land.values.tobytes() == serial.values.tobytes()
    assert land.provenance.extra["plan"]["tasks"] == 9  # ceil(343 / 40 -> 40) blocks
    loaded = lw.Landscape.load(tmp_path / "land.zarr")
    assert loaded.values.tobytes() == serial.values.tobytes()
    assert [a.tolist() for a in loaded.axes] == [a.tolist() for a in serial.axes]
    assert loaded.provenance.loss_name == "CrossEntropyLoss"


def test_sample_on_a_process_pool_equals_serial_with_fields_and_points(pool):
    net, data, sub = problem(2)
    acc = {"acc": accuracy}
    serial = lw.sample_landscape(net, LOSS, data, sub, resolution=9, metrics=acc, **RUN)
    land = lw.sample_landscape(net, LOSS, data, sub, resolution=9, metrics=acc,
                               executor=pool, task_points=10, **RUN)
    assert land.values.tobytes() == serial.values.tobytes()
    assert land.fields["acc"].tobytes() == serial.fields["acc"].tobytes()
    serial = lw.sample_landscape(net, LOSS, data, sub, points=30, **RUN)
    land = lw.sample_landscape(net, LOSS, data, sub, points=30, executor=pool,
                               task_points=10, **RUN)
    assert land.values.tobytes() == serial.values.tobytes()
    assert np.array_equal(land.points, serial.points)
    with pytest.raises(TypeError, match="no lambdas or local functions"):
        lw.sample_landscape(net, lambda out, y: LOSS(out, y), data, sub, resolution=5,
                            executor=pool, **RUN)


def test_interrupted_store_resumes_without_recomputing(tmp_path):
    net, data, sub = problem(2)
    full = lw.sample_landscape(net, LOSS, data, sub, resolution=7, **RUN)
    path = tmp_path / "land.zarr"
    # 49 points, blocks of 10 = 2 chunks of 5 = 2 loss calls (the last block 9 points: 5 + 4)
    # calls: 2 at the centre, 1 probe chunk, then blocks 0 and 1 finish and block 2 is cut
    first = CountingLoss(stop_at=2 + 1 + 2 * 2 + 1)
    with pytest.raises(KeyboardInterrupt):
        lw.sample_landscape(net, first, data, sub, resolution=7, store=path, task_points=10,
                            **RUN)
    with pytest.raises(ValueError, match="not complete.*3 of 5 blocks missing"):
        lw.Landscape.load(path)
    again = CountingLoss()
    land = lw.sample_landscape(net, again, data, sub, resolution=7, store=path,
                               task_points=10, **RUN)
    assert again.calls == 2 + 3 * 2  # the centre twice, then only the 3 missing blocks
    assert land.values.tobytes() == full.values.tobytes()
    # a finished store: nothing to compute
    done = CountingLoss()
    lw.sample_landscape(net, done, data, sub, resolution=7, store=path, task_points=10, **RUN)
    assert done.calls == 2
    # resume=False starts over (every block and the probe again)
    over = CountingLoss()
    lw.sample_landscape(net, over, data, sub, resolution=7, store=path, task_points=10,
                        resume=False, **RUN)
    assert over.calls == 2 + 1 + 5 * 2


def test_store_of_another_computation_is_refused(tmp_path):
    net, data, sub = problem(2)
    path = tmp_path / "land.zarr"
    lw.sample_landscape(net, LOSS, data, sub, resolution=5, store=path, **RUN)
    with pytest.raises(ValueError, match="different configuration.*extent"):
        lw.sample_landscape(net, LOSS, data, sub, resolution=5, extent=0.5, store=path, **RUN)
    other = tmp_path / "other.zarr"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not a landscape store"):
        lw.sample_landscape(net, LOSS, data, sub, resolution=5, store=other, **RUN)
    with pytest.raises(ValueError, match="store: expected a directory path ending in '.zarr'"):
        lw.sample_landscape(net, LOSS, data, sub, resolution=5, store=tmp_path / "x", **RUN)
    with pytest.raises(TypeError, match="executor: expected a dask.distributed.Client"):
        lw.sample_landscape(net, LOSS, data, sub, resolution=5, executor="cluster", **RUN)


def test_store_is_untrusted_on_reading(tmp_path):
    net, data, sub = problem(2)
    path = tmp_path / "land.zarr"
    lw.sample_landscape(net, LOSS, data, sub, resolution=5, store=path, **RUN)
    header = path / "values" / ".zarray"
    meta = json.loads(header.read_text())
    header.write_text(json.dumps({**meta, "dtype": "|O", "filters": [{"id": "pickle"}]}))
    with pytest.raises(FileFormatError, match="dtype '\\|O', expected '<f8'; filters"):
        lw.Landscape.load(path)
    header.write_text(json.dumps(meta))
    lw.Landscape.load(path)
    store_meta = json.loads((path / "landscape_widgets.json").read_text())
    forged = {**store_meta, "grid": {"axes": [list(range(3000))] * 3}}
    (path / "landscape_widgets.json").write_text(json.dumps(forged))
    with pytest.raises(FileFormatError, match="exceeds the limit"):
        lw.Landscape.load(path)
    (path / "landscape_widgets.json").write_text(json.dumps({**store_meta, "version": 99}))
    with pytest.raises(FileFormatError, match="version 99"):
        lw.Landscape.load(path)


def test_dask_resume_rewrites_only_missing_blocks(client, tmp_path):
    net, data, sub = problem(2)
    path = tmp_path / "land.zarr"
    kw = dict(resolution=9, store=path, task_points=20, executor=client, **RUN)
    first = lw.sample_landscape(net, LOSS, data, sub, **kw)
    chunks = sorted((path / "values").glob("[0-9]*"))
    assert len(chunks) == 5
    inodes = {c.name: os.stat(c).st_ino for c in chunks}
    for b in ("1", "3"):  # as if the client had been interrupted before these blocks
        (path / "done" / b).unlink()
    again = lw.sample_landscape(net, LOSS, data, sub, **kw)
    assert again.values.tobytes() == first.values.tobytes()
    rewritten = {c.name for c in chunks if os.stat(c).st_ino != inodes[c.name]}
    assert rewritten == {"1", "3"}


def test_worker_killed_during_a_landscape_loses_only_its_task(client, tmp_path):
    net, data, sub = problem(2)
    serial = lw.sample_landscape(net, LOSS, data, sub, resolution=9, **RUN)
    marker = tmp_path / "killed-once"
    dying = functools.partial(loss_or_die, marker=str(marker))
    land = lw.sample_landscape(net, dying, data, sub, resolution=9, executor=client,
                               task_points=20, **RUN)
    assert marker.exists()  # a worker did die mid-task
    assert land.values.tobytes() == serial.values.tobytes()
    client.wait_for_workers(2, timeout=60)


def test_every_worker_killed_at_once_resends_the_shared_objects(client, tmp_path, monkeypatch):
    """Dask cannot recompute scattered data: when all the workers holding the model die
    together, the run sends it again and finishes; past the resend limit, WorkerLost says what
    finished and that a re-run resumes."""
    from landscape_widgets.evaluation import executors

    net, data, sub = problem(2)
    serial = lw.sample_landscape(net, LOSS, data, sub, resolution=9, **RUN)
    for attempt, limit in enumerate((1, 0)):
        killed = tmp_path / f"killed-{attempt}"
        killed.mkdir()
        # both workers are inside a task, then exit together (once)
        dying = functools.partial(loss_or_all_die, marker_dir=str(killed), workers=2)
        monkeypatch.setattr(executors, "MAX_RESHARES", limit)
        store = tmp_path / f"land-{attempt}.zarr"
        if limit:
            with pytest.warns(RuntimeWarning, match=r"every Dask worker holding this run's "
                              r"shared objects \(model, loss, data\) was lost at once; sending "
                              r"them again and resubmitting the 5 unfinished blocks"):
                land = lw.sample_landscape(net, dying, data, sub, resolution=9, store=store,
                                           executor=client, task_points=20, **RUN)
        else:
            with pytest.raises(executors.WorkerLost, match=r"lost at once, 1 time \(killed"
                               r"[\s\S]*0 of the 5 blocks of this run finished; they are "
                               r"saved in the store[\s\S]*Run the same call again"):
                lw.sample_landscape(net, dying, data, sub, resolution=9, store=store,
                                    executor=client, task_points=20, **RUN)
            client.wait_for_workers(2, timeout=60)
            # the deaths are spent: the same call resumes the store and finishes
            land = lw.sample_landscape(net, dying, data, sub, resolution=9, store=store,
                                       executor=client, task_points=20, **RUN)
        assert sorted(p.name for p in killed.iterdir()) == ["0", "1"]  # both workers died
        assert land.values.tobytes() == serial.values.tobytes()
        client.wait_for_workers(2, timeout=60)


def test_process_pool_resume_rewrites_only_missing_blocks(pool, tmp_path):
    net, data, sub = problem(2)
    path = tmp_path / "land.zarr"
    kw = dict(resolution=9, store=path, task_points=20, executor=pool, **RUN)
    first = lw.sample_landscape(net, LOSS, data, sub, **kw)
    chunks = sorted((path / "values").glob("[0-9]*"))
    inodes = {c.name: os.stat(c).st_ino for c in chunks}
    (path / "done" / "2").unlink()
    again = lw.sample_landscape(net, LOSS, data, sub, **kw)
    assert again.values.tobytes() == first.values.tobytes()
    assert {c.name for c in chunks if os.stat(c).st_ino != inodes[c.name]} == {"2"}


def _collections_equal(a, b):
    assert len(a) == len(b)
    for entry in a:
        other = b.get(dict(entry.key))
        assert other is not None
        assert a.landscape(entry).values.tobytes() == b.landscape(other).values.tobytes()
        assert json.dumps(dict(entry.topology)) == json.dumps(dict(other.topology))  # NaN too


SWEEP = dict(dims=2, resolution=5, extent=0.5, chunk_size=5, progress=False,
             dtype=torch.float64)
GRID = {"lr": [0.1, 0.5], "seed": [0, 1]}


def test_sweep_training_on_dask_and_pool_equals_serial(client, pool, tmp_path):
    _net, data = tiny_problem(0)
    serial = lw.sweep_training(train, GRID, LOSS, data, **SWEEP)
    on_dask = lw.sweep_training(train, GRID, LOSS, data, directory=tmp_path / "d",
                                executor=client, **SWEEP)
    _collections_equal(serial, on_dask)
    on_pool = lw.sweep_training(train, GRID, LOSS, data, executor=pool, **SWEEP)
    _collections_equal(serial, on_pool)
    # interrupted after 3 entries (one entry's record dropped): the re-run computes only it
    inodes = {e.id: os.stat(e.file).st_ino for e in on_dask}
    partial = lw.LandscapeCollection(tmp_path / "d")
    finished = dict(partial.attrs["sweep_entries"])
    dropped = sorted(finished)[0]
    del finished[dropped]
    partial.update_attrs(sweep_entries=finished)
    again = lw.sweep_training(train, GRID, LOSS, data,
                              directory=tmp_path / "d", executor=client, **SWEEP)
    _collections_equal(serial, again)
    rewritten = {e.id for e in again if os.stat(e.file).st_ino != inodes[e.id]}
    assert rewritten == {dropped}


def test_sweep_checkpoints_on_dask_equals_serial(client):
    _net, data = tiny_problem(0)
    states = [({"seed": s}, train({"lr": 0.2, "seed": s}).state_dict()) for s in range(3)]
    template = tiny_problem(0)[0]
    serial = lw.sweep_checkpoints(states, template, LOSS, data, **SWEEP)
    on_dask = lw.sweep_checkpoints(states, template, LOSS, data, executor=client, **SWEEP)
    _collections_equal(serial, on_dask)


def test_worker_killed_during_a_sweep_loses_only_its_task(client, tmp_path):
    _net, data = tiny_problem(0)
    marker = tmp_path / "killed-once"
    serial = lw.sweep_training(train, GRID, LOSS, data, **SWEEP)
    dying = functools.partial(train_or_die, marker=str(marker))
    coll = lw.sweep_training(dying, GRID, LOSS, data, executor=client, **SWEEP)
    assert marker.exists()  # a worker did die mid-task
    _collections_equal(serial, coll)
    client.wait_for_workers(2, timeout=60)


def test_errors_in_user_code_name_the_entry_and_the_others_finish(client, tmp_path):
    _net, data = tiny_problem(0)
    directory = tmp_path / "sweep"
    with pytest.raises(lw.SweepError, match=r"2 sweep entries failed \(lr=0.5, seed=0, lr=0.5, "
                       r"seed=1\)[\s\S]*ArithmeticError: diverged at lr=0.5") as info:
        lw.sweep_training(train_or_fail, GRID, LOSS, data, directory=directory,
                          executor=client, **SWEEP)
    assert "train_or_fail" in next(iter(info.value.failures.values()))  # the traceback
    saved = lw.LandscapeCollection(directory)
    assert sorted(e.label for e in saved) == ["lr=0.1, seed=0", "lr=0.1, seed=1"]


def test_jump_and_retrain_on_dask_and_pool_equals_serial(client, pool, tmp_path):
    net, data = tiny_problem(0)
    kw = dict(seeds=(0, 1), step_sizes=(0.5, 1.0), epochs=3, batch_size=16, progress=False,
              eval_data=data)
    serial = lw.jump_and_retrain(net, LOSS, data, sgd, **kw)
    for executor in (client, pool):
        traj = lw.jump_and_retrain(net, LOSS, data, sgd, executor=executor,
                                   checkpoint=tmp_path / f"{type(executor).__name__}.npz", **kw)
        assert traj.params.tobytes() == serial.params.tobytes()
        for name in ("train_loss", "train_accuracy", "eval_loss", "eval_accuracy"):
            assert getattr(traj, name).tobytes() == getattr(serial, name).tobytes()
        assert traj.meta["optimizer"] == "SGD"


def test_a_worker_evaluates_its_own_copy_of_the_shared_model():
    """functional_call swaps batched tensors into the module it runs; on Dask the shared model
    is the scattered object itself, which Dask may serialise from another thread at any time
    (to another worker, to disk). The task must never run the scattered module."""
    from landscape_widgets.evaluation.distributed import _evaluate_block
    from landscape_widgets.evaluation.grid import Grid

    net, data, sub = problem(2)
    weight = net[0].weight
    seen = []

    def watch(_module, _inputs, _output):  # runs inside the forward, as Dask's thread could
        seen.append(isinstance(net[0].weight, nn.Parameter) and net[0].weight is weight)

    grid = Grid.build(dims=2, resolution=3, extent=1.0)
    serial = lw.sample_landscape(net, LOSS, data, sub, resolution=3, extent=1.0, chunk_size=3,
                                 progress=False, dtype=torch.float64)
    net[0].register_forward_hook(watch)
    shared = (net, LOSS, data, sub, torch.device("cpu"), torch.float64, {}, grid)
    plan = {"path": "vmap", "chunk": 3, "block": 9, "grad_in_forward": False}
    rows = _evaluate_block(shared, "copy-test", None, plan, 0, 9)
    assert seen and all(seen)  # the scattered module kept its own parameters throughout
    assert rows[:, 0].tobytes() == serial.values.ravel().tobytes()
