"""The race's entrants and choices (its timing is exercised end to end in test_sample.py), and
the generic race shared with the Hessian operator (``model/race.py``)."""

from __future__ import annotations

import time
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from landscape_widgets.evaluation import race
from landscape_widgets.evaluation.memory import ActivationMeter
from landscape_widgets.evaluation.strategy import OwnedLoop, Strategy, VmapChunks
from landscape_widgets.model.race import Entrant
from landscape_widgets.model.race import race as generic_race

from .conftest import burn, evaluator_at_centre, random_subspace


@pytest.fixture(autouse=True)
def one_cpu_thread():
    """The race reads CPU time with one torch thread (``race.race_clock``), which burn() spends
    exactly; with more (a run outside scripts/test.sh, which sets OMP_NUM_THREADS=1) it reads
    wall-clock time, and a loaded machine decides the timed tests here."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_vmap_chunk_candidates():
    assert race.vmap_chunks(1) == [1]
    assert race.vmap_chunks(3) == [3]
    assert race.vmap_chunks(16) == [16, 8]
    assert race.vmap_chunks(17) == [17, 8]


def test_micro_batch_candidate_targets_cache_sized_slices():
    meter = ActivationMeter()
    meter.largest_per_sample = 43264.0  # 16 x 26 x 26 float32 per image: the benchmark CNN
    assert race.micro_batch_candidate(SimpleNamespace(largest_batch=500), meter) == 96
    # batches already that small, or no activation measured: nothing to race
    assert race.micro_batch_candidate(SimpleNamespace(largest_batch=96), meter) is None
    assert race.micro_batch_candidate(SimpleNamespace(largest_batch=500), ActivationMeter()) is None
    # large activations per sample still keep at least MICRO_BATCH_MIN samples per call
    meter.largest_per_sample = race.MICRO_BATCH_BYTES
    assert race.micro_batch_candidate(SimpleNamespace(largest_batch=500), meter) == (
        race.MICRO_BATCH_MIN
    )


def test_loop_variants_cover_layouts_columns_and_slicing(cnn_problem):
    model, loss_fn, data = cnn_problem
    ev, _meter, _loss = evaluator_at_centre(model, loss_fn, data, random_subspace(model, 2))
    plain = OwnedLoop(ev)

    def settings(variants):
        return [(v.mode.channels_last, v.mode.columns, v.mode.micro) for v in variants]

    assert settings(race.loop_variants(plain, False, False, None)) == [(False, False, None)]
    variants = race.loop_variants(plain, True, False, 96)
    assert settings(variants) == [
        (False, False, None), (True, False, None), (True, False, 96), (False, False, 96)
    ]
    assert all(isinstance(v, OwnedLoop) for v in variants)
    assert race.race_points(variants) == 4 * (1 + race.RACE_POINTS)
    assert race.race_points([VmapChunks(ev, 16), VmapChunks(ev, 8), plain]) == 24 + 4
    # a fused model whose first conv takes input columns (columns.py) races them too
    from landscape_widgets.evaluation.strategy import FusedLoop

    fused = race.loop_variants(FusedLoop(ev), True, True, None)
    assert settings(fused) == [(False, False, None), (False, True, None), (True, False, None)]
    assert [v.describe() for v in fused] == [
        "per-point loop, conv/BN/ReLU-fused graph",
        "per-point loop, conv/BN/ReLU-fused graph, input columns",
        "per-point loop, conv/BN/ReLU-fused graph, channels-last inputs",
    ]


def test_candidates_on_the_cpu_list_vmap_then_the_loops(mlp_problem):
    model, loss_fn, data = mlp_problem
    ev, meter, loss = evaluator_at_centre(model, loss_fn, data, random_subspace(model, 2))
    kw = {"centre": np.zeros(2), "centre_loss": loss, "meter": meter, "chunk": 16,
          "n_points": 100}
    listed = race.candidates(ev, **kw)
    assert [s.describe() for s in listed] == [
        "vmap over chunks of 16 points",  # (no affine head: 5 inputs, 2 directions)
        "vmap over chunks of 8 points",
        "per-point loop, private copy of the model",
    ]
    # no race: vmap, then the loop it falls back to; autograd in forward: the loop only
    assert [type(s) for s in race.candidates(ev, **kw, race=False)] == [VmapChunks, OwnedLoop]
    only = race.candidates(ev, **kw, grad=True)
    assert [s.describe() for s in only] == [
        "per-point loop, private copy of the model, autograd in forward"]


class _Sleeper(Strategy):
    """A strategy that takes its own CPU time per point and counts the points it was given."""

    def __init__(self, seconds: float, counts: Counter, name: str, chunk: int | None = None):
        Strategy.__init__(self, None)  # type: ignore[arg-type]  (never touches an evaluator)
        self.seconds, self.counts, self.name, self.chunk = seconds, counts, name, chunk

    def losses(self, points):
        self.counts[self.name] += len(points)
        burn(self.seconds * len(points))
        return torch.zeros(len(points), dtype=torch.float64)

    def describe(self):
        return self.name

    def settings(self):
        return {}


class _VmapSleeper(_Sleeper, VmapChunks):
    """A sleeper the race treats as vmap (one timed chunk, no warm-up, no handicap)."""


def test_race_prunes_a_variant_whose_warm_up_is_far_slower():
    coords = np.zeros((2 * (1 + race.RACE_POINTS) + 2, 2))
    counts: Counter = Counter()
    plain, slow = _Sleeper(0.02, counts, "plain"), _Sleeper(0.12, counts, "layout")
    values, winner, used = race.race_strategies([plain, slow], coords)  # warm-up > 2x0.02+0.01
    assert counts["layout"] == 1  # warm-up only, then out
    assert winner is plain and used == len(values) == 1 + race.RACE_POINTS + 1
    # a close competitor is timed in full and wins when faster
    counts.clear()
    close = _Sleeper(0.005, counts, "layout")
    _values, winner, used = race.race_strategies([plain, close], coords)
    assert counts["layout"] == 1 + race.RACE_POINTS and winner is close
    assert used == 2 * (1 + race.RACE_POINTS)


def test_a_loop_must_win_clearly_and_a_failing_variant_leaves_the_race():
    counts: Counter = Counter()
    coords = np.zeros((40, 2))
    # vmap at 0.01 s a point against a loop at 0.009: not 0.75x, vmap stays
    loop, vmap = _Sleeper(0.009, counts, "loop"), _VmapSleeper(0.01, counts, "vmap", chunk=8)
    _values, winner, _used = race.race_strategies([vmap, loop], coords)
    assert winner is vmap

    class Broken(_Sleeper):
        def losses(self, points):
            raise RuntimeError("view size is not compatible (channels-last)")

    fine = _Sleeper(0.001, counts, "fine")
    values, winner, used = race.race_strategies([fine, Broken(0, counts, "broken")], coords)
    assert winner is fine and used == len(values) == 1 + race.RACE_POINTS
    with pytest.raises(RuntimeError, match="view size"):  # the first loop's error is the model's
        race.race_strategies([Broken(0, counts, "broken"), fine], coords)


def test_vmap_that_clearly_loses_is_timed_at_the_smaller_chunk_only(mlp_problem):
    """A vmap path 2x slower than the loop is not timed at the larger chunk; the values are
    the loop's."""
    model, loss_fn, data = mlp_problem
    ev, _meter, _loss = evaluator_at_centre(model, loss_fn, data, random_subspace(model, 2))
    calls: list[int] = []

    class SlowVmap(VmapChunks):
        def losses(self, points):
            calls.append(len(points))
            burn(0.1 * len(points))  # far slower per point than one loop call, even loaded
            return super().losses(points)

    coords = np.random.default_rng(0).uniform(-1, 1, (40, 2))
    loop = OwnedLoop(ev)
    values, winner, used = race.race_strategies([SlowVmap(ev, 16), SlowVmap(ev, 8), loop],
                                                coords)
    assert winner is loop and calls == [8]
    assert used == 1 + race.RACE_POINTS + 8
    np.testing.assert_allclose(values.numpy(), ev.loop(coords[:used]).numpy(), rtol=1e-12)


def test_generic_race_families_handicaps_and_bad_input():
    seen: list[tuple[str, int, int]] = []

    def run(name, start, stop):
        seen.append((name, start, stop))
        return list(range(start, stop))

    clock = iter(range(1000)).__next__  # every heat takes one tick, whatever its size
    out = generic_race([Entrant("a", heats=(2,)), Entrant("b", heats=(None,), handicap=0.1)],
                       10, run, clock=lambda: float(clock()))
    assert out.used == 10 and sum(out.results, []) == list(range(10))
    assert out.winner == "b"  # 1/8 tick per item x 0.1 beats 1/2
    with pytest.raises(ValueError, match="entrants"):
        generic_race([], 3, run)


def test_the_race_reads_cpu_time_with_one_cpu_thread_else_wall_clock(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, dims=2)
    ev, _meter, _loss = evaluator_at_centre(model, loss_fn, data, sub)
    strategies = [VmapChunks(ev, 4), OwnedLoop(ev)]
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert race.race_clock(strategies) is time.process_time
        torch.set_num_threads(2)
        assert race.race_clock(strategies) is time.perf_counter
    finally:
        torch.set_num_threads(threads)
    ev.device = torch.device("cuda")  # (nothing runs: only the clock is chosen)
    assert race.race_clock(strategies) is time.perf_counter


def test_an_entrant_warmed_before_the_race_is_pruned_on_that_warm_up_alone():
    seen: list[str] = []

    def run(name, start, stop):
        seen.append(name)
        return list(range(start, stop))

    clock = iter(range(1000)).__next__  # one tick a heat: "loop" takes 1 tick an item
    slow = [Entrant("loop", heats=(1, 1)), Entrant("vmap4", heats=(4,), family="v",
                                                    warmed_s=3.0, slack_s=0.5),
            Entrant("vmap8", heats=(8,), family="v")]
    out = generic_race(slow, 20, run, prune=2.0, clock=lambda: float(clock()))
    assert seen == ["loop", "loop"] and out.winner == "loop"  # 3 > 2 x 1 + 0.5: not run again
    assert out.per_item[1] == 3.0 and out.used == 2
    seen.clear()
    fast = [slow[0], Entrant("vmap4", heats=(4,), family="v", warmed_s=2.4, slack_s=0.5)]
    out = generic_race(fast, 20, run, prune=2.0, clock=lambda: float(clock()))
    assert seen == ["loop", "loop", "vmap4"]  # within 2 x 1 + 0.5: timed, no warm-up of its own
    assert out.winner == "vmap4" and out.used == 6


def _counting_vmap(calls: list[int], seconds: float):
    class CountingVmap(VmapChunks):
        def losses(self, points):
            calls.append(len(points))
            burn(seconds * len(points))
            return super().losses(points)

    return CountingVmap


@pytest.mark.parametrize("vmap_s, raced_again", [(0.05, False), (0.0, True)],
                         ids=["vmap-far-slower", "vmap-fast"])
def test_the_walker_times_its_warm_up_chunk_and_prunes_a_vmap_that_lost_by_far(
        mlp_problem, vmap_s, raced_again):
    """The walker's first chunk (vmap) is timed; where it alone lost by far to the loop, the
    race does not time vmap again (its values are the loop's); where vmap is fast it is raced
    as before. Either way the landscape equals the plain loop's."""
    from landscape_widgets.evaluation.sample import sample_with

    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, dims=2)
    calls: list[int] = []
    vmap = _counting_vmap(calls, vmap_s)
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)  # (the race reads CPU time, which burn() spends)
        land = sample_with(lambda ev, chunk, **_: [vmap(ev, 4), OwnedLoop(ev)], model, loss_fn,
                           data, sub, resolution=7, progress=False)
    finally:
        torch.set_num_threads(threads)
    assert calls[0] == 4  # the warm-up chunk
    assert (len(calls) > 1) is raced_again  # (which wins a fair race is the clock's call)
    if not raced_again:
        assert land.provenance.extra["strategy"] == "per-point loop, private copy of the model"
    ev, _meter, _loss = evaluator_at_centre(model, loss_fn, data, sub)
    reference = ev.loop(np.asarray(land.points)).numpy()
    np.testing.assert_allclose(land.values.ravel(), reference, rtol=1e-5)
