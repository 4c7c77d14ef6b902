"""A real sweep feeding a live Gallery through ``on_entry=gallery.add`` (issue #20 item 4): the
Gallery shows every entry as it finishes and ends equal to a Gallery built on the finished
collection, serially and on a process pool."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import landscape_widgets as lw

from .test_on_entry import GRID, LOSS, SWEEP, tiny_problem, train

torch = pytest.importorskip("torch")


def _run_live(executor: Any) -> None:
    _net, data = tiny_problem()
    coll = lw.LandscapeCollection()
    gallery = lw.Gallery(coll, rows="lr", cols="seed", expected=4)
    shown: list[int] = []
    gallery.observe(lambda change: shown.append(len(change["new"]["ids"])), names="_data")
    out = lw.sweep_training(train, GRID, LOSS, data, collection=coll, on_entry=gallery.add,
                            executor=executor, **SWEEP)
    assert out is coll and len(coll) == 4
    # the browser saw the gallery grow entry by entry, and it ends with every entry once
    assert shown == sorted(shown) and {1, 2, 3, 4} <= set(shown)
    assert gallery._data["ids"] == coll.ids
    full = lw.Gallery(coll, rows="lr", cols="seed")
    assert gallery._data["keys"] == full._data["keys"]
    assert gallery._data["profiles"] == full._data["profiles"]  # every thumbnail, byte for byte


def test_a_serial_sweep_fills_a_live_gallery() -> None:
    _run_live(None)


@pytest.mark.skipif(sys.platform == "win32", reason="fork/spawn pools differ on Windows")
def test_a_sweep_on_a_process_pool_fills_a_live_gallery() -> None:
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        _run_live(pool)
