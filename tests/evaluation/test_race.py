"""The CPU race's choices (its timing is exercised end to end in test_sample.py)."""

from __future__ import annotations

from types import SimpleNamespace

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


def test_loop_variants_cover_layouts_and_slicing():
    images = SimpleNamespace(has_image_inputs=lambda: True)
    flat = SimpleNamespace(has_image_inputs=lambda: False)
    assert race.loop_variants(flat, None) == [(False, None)]
    assert race.loop_variants(images, 96) == [(False, None), (False, 96), (True, None), (True, 96)]
    assert race.race_loop_points(images, 96) == 4 * (1 + race.RACE_POINTS)
