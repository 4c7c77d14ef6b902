"""The sweeps' ``on_entry(key, landscape)`` hook: called in this process once per entry, with the
landscape the collection holds, serially and on executors (a ProcessPoolExecutor, a Dask
LocalCluster); resumed entries are announced first; a hook that raises stops the sweep naming
the entry; one progress bar counts entries on every path."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw

torch = pytest.importorskip("torch")
nn = torch.nn

GRID = {"lr": [0.1, 0.3], "seed": [0, 1]}
LABELS = ["lr=0.1, seed=0", "lr=0.1, seed=1", "lr=0.3, seed=0", "lr=0.3, seed=1"]
SWEEP: dict[str, Any] = dict(resolution=5, extent=0.5, chunk_size=5, progress=False,
                             dtype=torch.float64)
LOSS = nn.CrossEntropyLoss()


def tiny_problem() -> tuple[Any, tuple[Any, Any]]:
    g = torch.Generator().manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    return net, (torch.randn(30, 3, generator=g), torch.randint(0, 2, (30,), generator=g))


def train(config: dict[str, Any]) -> Any:
    """A few seeded SGD steps (module level: workers import or receive it)."""
    torch.manual_seed(int(config["seed"]))
    net, (x, y) = tiny_problem()
    opt = torch.optim.SGD(net.parameters(), lr=float(config["lr"]))
    for _ in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    return net


class Recorder:
    """An ``on_entry`` hook that keeps what it is given (and can fail at one key)."""

    def __init__(self, fail_at: str | None = None) -> None:
        self.calls: list[tuple[dict[str, Any], Any]] = []
        self.fail_at = fail_at

    def __call__(self, key: dict[str, Any], land: Any) -> None:
        self.calls.append((key, land))
        if self.fail_at is not None and label(key) == self.fail_at:
            raise ValueError("the view is gone")

    @property
    def labels(self) -> list[str]:
        return [label(k) for k, _land in self.calls]


def label(key: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items())


def check_calls(hook: Recorder, coll: lw.LandscapeCollection) -> None:
    """Once per entry, each with the key and the very values the collection holds."""
    assert sorted(hook.labels) == sorted(e.label for e in coll)
    assert len(set(hook.labels)) == len(hook.labels)
    for key, land in hook.calls:
        assert isinstance(key, dict) and isinstance(land, lw.Landscape)
        np.testing.assert_array_equal(land.values, coll.landscape(key).values)
        np.testing.assert_array_equal(land.points, coll.landscape(key).points)
        assert land.provenance.to_json() == coll.landscape(key).provenance.to_json()


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    """The serial references run on one torch thread, as each worker does."""
    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(saved)


# ---------------------------------------------------------------------------- serial
def test_called_once_per_entry_in_order_with_the_collections_landscapes() -> None:
    hook = Recorder()
    _net, data = tiny_problem()
    coll = lw.sweep_training(train, GRID, LOSS, data, on_entry=hook, **SWEEP)
    assert hook.labels == LABELS  # serially: the sweep's order
    check_calls(hook, coll)
    states = [({"seed": s}, train({"lr": 0.2, "seed": s}).state_dict()) for s in (0, 1)]
    hook2 = Recorder()
    coll2 = lw.sweep_checkpoints(states, tiny_problem()[0], LOSS, data, on_entry=hook2,
                                 **SWEEP)
    assert hook2.labels == ["seed=0", "seed=1"]
    check_calls(hook2, coll2)


def test_a_resumed_sweep_announces_its_finished_entries_first(tmp_path: Path) -> None:
    _net, data = tiny_problem()
    d = tmp_path / "sweep"
    first = {"lr": [0.1], "seed": [0, 1]}
    lw.sweep_training(train, first, LOSS, data, directory=d, **SWEEP)
    hook = Recorder()
    coll = lw.sweep_training(train, GRID, LOSS, data, directory=d, on_entry=hook, **SWEEP)
    assert hook.labels == LABELS[:2] + LABELS[2:]  # the two finished first, then the new ones
    check_calls(hook, coll)
    # a finished sweep run again: every entry announced, nothing computed
    hook3 = Recorder()
    lw.sweep_training(train, GRID, LOSS, data, directory=d, on_entry=hook3, **SWEEP)
    assert hook3.labels == LABELS


def test_a_raising_hook_stops_the_sweep_naming_the_entry(tmp_path: Path) -> None:
    _net, data = tiny_problem()
    d = tmp_path / "sweep"
    hook = Recorder(fail_at="lr=0.1, seed=1")
    with pytest.raises(RuntimeError, match=r"on_entry raised ValueError for the entry lr=0.1, "
                       r"seed=1: the view is gone\. The sweep stopped; the entry is saved") as e:
        lw.sweep_training(train, GRID, LOSS, data, directory=d, on_entry=hook, **SWEEP)
    assert isinstance(e.value.__cause__, ValueError)
    assert hook.labels == LABELS[:2]  # stopped there
    assert sorted(x.label for x in lw.LandscapeCollection(d)) == LABELS[:2]  # both saved
    again = Recorder()
    coll = lw.sweep_training(train, GRID, LOSS, data, directory=d, on_entry=again, **SWEEP)
    assert again.labels == LABELS  # resumed: the two saved ones, then the rest
    check_calls(again, coll)


def test_keyboard_interrupt_in_the_hook_is_not_wrapped() -> None:
    _net, data = tiny_problem()

    def interrupt(key: dict[str, Any], land: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lw.sweep_training(train, GRID, LOSS, data, on_entry=interrupt, **SWEEP)


# ---------------------------------------------------------------------------- executors
@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as ex:
        yield ex


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    # the workers get this module's functions by value (they need not import tests/)
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def progress_bars(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    import tqdm.auto

    bars: list[Any] = []

    class Bar(tqdm.auto.tqdm):  # type: ignore[misc,name-defined]
        def __init__(self, *a: Any, **kw: Any) -> None:
            super().__init__(*a, **kw)
            self.shown = not self.disable
            bars.append(self)

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    return bars


@pytest.mark.parametrize("kind", ["pool", "dask"])
def test_on_an_executor_once_per_entry_with_one_progress_bar(
    kind: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path
) -> None:
    executor = request.getfixturevalue("pool" if kind == "pool" else "client")
    _net, data = tiny_problem()
    serial = lw.sweep_training(train, GRID, LOSS, data, **SWEEP)
    bars = progress_bars(monkeypatch)
    hook = Recorder()
    coll = lw.sweep_training(train, GRID, LOSS, data, directory=tmp_path / "s",
                             executor=executor, on_entry=hook, **{**SWEEP, "progress": True})
    check_calls(hook, coll)  # completion order: any order, each once
    for key, land in hook.calls:  # and the values of a serial sweep
        np.testing.assert_array_equal(land.values, serial.landscape(key).values)
    shown = [b for b in bars if b.shown]
    assert len(shown) == 1 and shown[0].total == 4 and shown[0].n == 4
    assert shown[0].unit == "landscape"


def test_a_raising_hook_on_an_executor_stops_the_sweep(pool: Any, tmp_path: Path) -> None:
    _net, data = tiny_problem()
    d = tmp_path / "s"

    class FailFirst(Recorder):
        def __call__(self, key: dict[str, Any], land: Any) -> None:
            self.calls.append((key, land))
            raise ValueError("the view is gone")

    hook = FailFirst()
    with pytest.raises(RuntimeError, match=r"on_entry raised ValueError for the entry lr=0\.[13], "
                       r"seed=[01]: the view is gone"):
        lw.sweep_training(train, GRID, LOSS, data, directory=d, executor=pool, on_entry=hook,
                          **SWEEP)
    assert len(hook.calls) == 1  # the first entry to finish; the others were cancelled
    saved = lw.LandscapeCollection(d)
    assert hook.labels[0] in {e.label for e in saved}
    again = Recorder()
    coll = lw.sweep_training(train, GRID, LOSS, data, directory=d, executor=pool,
                             on_entry=again, **SWEEP)
    check_calls(again, coll)
    assert len(saved) == 1 and len(coll) == 4
    assert again.labels[0] == hook.labels[0]  # the saved entry is announced first
