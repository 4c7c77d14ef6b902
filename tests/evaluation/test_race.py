"""The CPU race's choices (its timing is exercised end to end in test_sample.py)."""

from __future__ import annotations

import time
from collections import Counter
from types import SimpleNamespace

import numpy as np
import torch

from landscape_widgets.evaluation import race
from landscape_widgets.evaluation.memory import ActivationMeter


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


def test_loop_variants_cover_layouts_columns_and_slicing():
    def evaluator(images: bool, columns: bool) -> SimpleNamespace:
        return SimpleNamespace(has_image_inputs=lambda: images, fuse=columns,
                               columns_ready=lambda: columns)

    assert race.loop_variants(evaluator(False, False), None) == [(False, False, None)]
    assert race.loop_variants(evaluator(True, False), 96) == [
        (False, False, None), (True, False, None), (True, False, 96), (False, False, 96)
    ]
    assert race.race_loop_points(evaluator(True, False), 96) == 4 * (1 + race.RACE_POINTS)
    # a fused model whose first conv takes input columns (columns.py) races them too
    assert race.loop_variants(evaluator(True, True), None) == [
        (False, False, None), (False, True, None), (True, False, None)
    ]


class _TimedEvaluator:
    """Stands in for PointLoss: each loop variant sleeps its own time per point."""

    def __init__(self, seconds: dict) -> None:
        self.seconds = seconds
        self.channels_last, self.columns, self.micro_batch, self.fuse = False, False, None, False
        self.points: Counter = Counter()

    def has_image_inputs(self) -> bool:
        return True

    def columns_ready(self) -> bool:
        return False

    def loop(self, coords):
        variant = (self.channels_last, self.columns, self.micro_batch)
        self.points[variant] += len(coords)
        time.sleep(self.seconds[variant] * len(coords))
        return torch.zeros(len(coords), dtype=torch.float64)


def test_race_prunes_a_variant_whose_warm_up_is_far_slower():
    plain, layout = (False, False, None), (True, False, None)
    coords = np.zeros((2 * (1 + race.RACE_POINTS) + 2, 2))
    slow = _TimedEvaluator({plain: 0.02, layout: 0.12})  # warm-up > 2 x 0.02 + 0.01 s
    values, loop_faster, _ = race.race(slow, coords, 4, None, with_vmap=False)
    assert slow.points[layout] == 1  # warm-up only, then out
    assert slow.points[plain] == len(coords) - 1 and loop_faster and len(values) == len(coords)
    # a close competitor is timed in full and wins when faster
    close = _TimedEvaluator({plain: 0.02, layout: 0.005})
    race.race(close, coords, 4, None, with_vmap=False)
    assert close.points[layout] == len(coords) - 1 - race.RACE_POINTS
    assert (close.channels_last, close.columns, close.micro_batch) == layout


def test_vmap_that_clearly_loses_is_timed_at_the_smaller_chunk_only(mlp_problem):
    """A vmap path 2x slower than the loop is not timed at the larger chunk, and the rest of
    the racing chunk goes through the loop; the values are the loop's."""
    from landscape_widgets.evaluation.functional import PointLoss
    from landscape_widgets.model.data import as_batches

    from .conftest import random_subspace

    class SlowVmap(PointLoss):
        calls: list[int] = []

        def batched(self, coordinates):
            SlowVmap.calls.append(len(coordinates))
            time.sleep(0.02 * len(coordinates))  # far slower per point than one loop call
            return super().batched(coordinates)

    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    pl = SlowVmap(model, loss_fn, as_batches(data), sub, torch.device("cpu"), torch.float64)
    coords = np.random.default_rng(0).uniform(-1, 1, (40, 2))
    values, loop_faster, chunk = race.race(pl, coords, chunk=16, micro=None)
    assert loop_faster and chunk == 8
    assert SlowVmap.calls == [8]
    np.testing.assert_allclose(values.numpy(), pl.loop(coords).numpy(), rtol=1e-12)
