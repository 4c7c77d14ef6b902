"""Writes are atomic and single-writer (issue 14, item 4): an exception or Ctrl-C inside a
writer leaves the previous file loadable and no temporary file; two processes adding to one
collection directory keep all their entries; a file that is not a landscape is not replaced
silently."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection


def bowl(shift: float, resolution: int = 5) -> lw.Landscape:
    return lw.Landscape.from_function(
        lambda p: (p**2).sum(1) + shift, dims=2, resolution=resolution
    )


def fail_mid_array(monkeypatch: pytest.MonkeyPatch, exc: type[BaseException]) -> None:
    """Every ``.npy`` array write puts half its bytes out, then raises ``exc``."""

    def half_then_raise(fp: Any, array: np.ndarray, *args: Any, **kwargs: Any) -> None:
        data = np.ascontiguousarray(array).tobytes()
        fp.write(b"\x93NUMPY" + data[: len(data) // 2])
        raise exc("interrupted")

    monkeypatch.setattr(np.lib.format, "write_array", half_then_raise)


def leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in directory.rglob("*") if p.is_file() and p.name not in keep)


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_interrupted_landscape_save_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type[BaseException]
) -> None:
    path = bowl(1.0).save(tmp_path / "land.npz")
    fail_mid_array(monkeypatch, exc)
    with pytest.raises(exc, match="interrupted"):
        bowl(2.0, resolution=9).save(path)
    monkeypatch.undo()
    back = lw.Landscape.load(path)
    assert back.shape == (5, 5) and back.values.min() == 1.0
    assert leftovers(tmp_path, {"land.npz"}) == []


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_interrupted_collection_add_keeps_every_finished_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type[BaseException]
) -> None:
    d = tmp_path / "coll"
    c = LandscapeCollection(d)
    c.add({"seed": 0}, bowl(0.0))
    c.add({"seed": 1}, bowl(1.0))
    fail_mid_array(monkeypatch, exc)
    with pytest.raises(exc, match="interrupted"):
        c.add({"seed": 1}, bowl(5.0), replace=True)  # over an existing entry's file
    with pytest.raises(exc, match="interrupted"):
        c.add({"seed": 2}, bowl(2.0))
    monkeypatch.undo()
    back = LandscapeCollection.load(d)
    assert back.ids == ["seed=0", "seed=1"]
    assert back.landscape("seed=1").values.min() == 1.0
    assert leftovers(d, {"collection.json", "collection.lock", "seed=0.npz", "seed=1.npz"}) == []


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_interrupted_index_write_keeps_the_old_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type[BaseException]
) -> None:
    d = tmp_path / "coll"
    c = LandscapeCollection(d)
    c.add({"seed": 0}, bowl(0.0))
    before = (d / "collection.json").read_bytes()

    def no_rename(*args: Any, **kwargs: Any) -> None:
        raise exc("interrupted")  # the new index is written in full, then the rename fails

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(exc, match="interrupted"):
        c.update_attrs(note="x" * 10_000)
    monkeypatch.undo()
    assert (d / "collection.json").read_bytes() == before
    assert LandscapeCollection.load(d).ids == ["seed=0"]
    assert leftovers(d, {"collection.json", "collection.lock", "seed=0.npz"}) == []


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_interrupted_checkpoint_save_keeps_the_old_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type[BaseException]
) -> None:
    from landscape_widgets.evaluation.checkpoint import GridCheckpoint  # torch: not in workers

    path = tmp_path / "run.npz"
    ck = GridCheckpoint.open(path, {"shape": [4]}, size=4)
    ck.record(np.array([0, 1]), np.array([0.5, 0.25]))
    ck.save()
    ck.record(np.array([2]), np.array([9.0]))
    fail_mid_array(monkeypatch, exc)
    with pytest.raises(exc, match="interrupted"):
        ck.save()
    monkeypatch.undo()
    again = GridCheckpoint.open(path, {"shape": [4]}, size=4)
    assert again.done.tolist() == [True, True, False, False]
    assert leftovers(tmp_path, {"run.npz"}) == []


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    path = bowl(0.0).save(tmp_path / "land.npz")
    assert (path.stat().st_mode & 0o777) == (0o666 & ~umask)  # not mkstemp's 0o600


def test_saving_over_a_file_that_is_not_a_landscape_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.npz"
    notes.write_bytes(b"my thesis, not a landscape")
    with pytest.raises(FileExistsError, match="notes.npz' exists and is not a saved Landscape; "
                                              "pass overwrite=True"):
        bowl(0.0).save(notes)
    assert notes.read_bytes() == b"my thesis, not a landscape"
    other = tmp_path / "other.npz"
    np.savez(other, values=np.zeros(3))  # an npz, but not a landscape
    with pytest.raises(FileExistsError, match="not a saved Landscape"):
        bowl(0.0).save(other)
    bowl(3.0).save(notes, overwrite=True)
    assert lw.Landscape.load(notes).values.min() == 3.0
    bowl(4.0).save(notes)  # a landscape may be replaced by a landscape
    assert lw.Landscape.load(notes).values.min() == 4.0


def add_entries(directory: str, worker: int, count: int) -> None:
    """Runs in a spawned process: add ``count`` entries to a shared directory."""
    coll = LandscapeCollection(directory)
    for i in range(count):
        coll.add({"worker": worker, "i": i}, bowl(float(worker * 100 + i)))


def test_two_processes_adding_to_one_directory_keep_all_entries(tmp_path: Path) -> None:
    d = tmp_path / "shared"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=add_entries, args=(str(d), w, 25)) for w in (1, 2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=240)
    assert [p.exitcode for p in workers] == [0, 0]
    back = LandscapeCollection.load(d)
    assert len(back) == 50
    assert {(e.key["worker"], e.key["i"]) for e in back} == {
        (w, i) for w in (1, 2) for i in range(25)
    }
    for e in back:
        assert back.landscape(e).values.min() == e.key["worker"] * 100 + e.key["i"]
    assert not [p.name for p in d.rglob(".*")]  # no temporary file left behind


def test_a_held_lock_times_out_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from landscape_widgets.compare import store

    d = tmp_path / "coll"
    c = LandscapeCollection(d)
    c.add({"seed": 0}, bowl(0.0))
    monkeypatch.setattr(store, "LOCK_TIMEOUT_S", 0.2)
    with open(d / "collection.lock", "a+b") as held:  # another writer, as far as flock knows
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(TimeoutError, match="another process has been writing to .*coll"):
            c.add({"seed": 1}, bowl(1.0))
    c.add({"seed": 1}, bowl(1.0))
    assert LandscapeCollection.load(d).ids == ["seed=0", "seed=1"]


def test_a_second_object_sees_entries_added_meanwhile(tmp_path: Path) -> None:
    d = tmp_path / "coll"
    first, second = LandscapeCollection(d), LandscapeCollection(d)
    first.add({"seed": 0}, bowl(0.0))
    second.add({"seed": 1}, bowl(1.0))  # re-reads the index under the lock
    first.update_attrs(note="kept")
    back = LandscapeCollection.load(d)
    assert back.ids == ["seed=0", "seed=1"] and back.attrs == {"note": "kept"}
    with pytest.raises(ValueError, match="already has an entry seed=0"):
        second.add({"seed": 0}, bowl(5.0))


def test_an_interrupted_html_export_leaves_the_previous_page(tmp_path, monkeypatch) -> None:
    land = lw.Landscape.from_function(lambda p: (p**2).sum(1), dims=2, resolution=9)
    path = lw.ContourView(land).to_html(tmp_path / "page.html")
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        lw.ContourView(land, width=300).to_html(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]  # no temporary left
