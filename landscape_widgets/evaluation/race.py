"""The race: which way of evaluating a chunk of grid points is fastest on this machine.

All candidates give the same values (up to float summation order), so ``sample_landscape``
times them on real grid points, keeps the results, and goes on with the winner:

* ``vmap`` over a chunk of points, at the cache-sized chunk and at half of it;
* the per-point loop, with NCHW or channels-last image inputs, with whole batches or with
  cache-sized micro-batches (``functional.py``; raced only where slicing the batches gave the
  centre's loss again).

On CUDA only vmap (both chunk sizes) and the plain loop race: the layout and micro-batch
variants are CPU-cache measures, and CUDA tensors are never converted (``channels_last``).
Every timed call ends in a copy of its losses to the host, so wall-clock times are exact.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from .functional import PointLoss
from .memory import ActivationMeter

# On the CPU, vmap's grouped convolutions can be slower than one model call per point, and a
# convolutional model is often much faster fed channels-last inputs (see functional.py). With
# an automatic chunk size we time the candidates on the second chunk -- the loop (and, for
# image inputs, the channels-last loop): one warm-up point then RACE_POINTS timed ones each;
# vmap: one chunk of the estimated size and one of half of it, keeping the faster size -- and
# switch to the fastest loop when it clearly beats vmap. All give the same values.
RACE_POINTS = 2
RACE_WARMUP_POINTS = 8
LOOP_ADVANTAGE = 0.75
# The loop also races micro-batches (functional.py) when a batch's largest activation exceeds
# what stays in a core's caches: slices whose largest activation is about MICRO_BATCH_BYTES,
# at least MICRO_BATCH_MIN samples so per-call overhead stays small (measured on the CNN of
# benchmarks/grid_eval.py: 2-10 MB per call equally fast, 21 MB 1.4x slower, 1 MB 1.2x slower).
MICRO_BATCH_BYTES = 4 << 20
MICRO_BATCH_MIN = 32


def micro_batch_candidate(evaluator: PointLoss, meter: ActivationMeter) -> int | None:
    """A micro-batch size worth racing (slices whose largest activation is about
    ``MICRO_BATCH_BYTES``), or ``None`` when the batches are already that small."""
    if meter.largest_per_sample <= 0:
        return None
    size = max(MICRO_BATCH_MIN, int(MICRO_BATCH_BYTES // meter.largest_per_sample))
    return None if size >= evaluator.largest_batch else size


def loss_in_micro_batches(evaluator: PointLoss, coordinates: np.ndarray, size: int) -> float:
    """The mean loss at one point with the batches cut into slices of ``size`` samples: equal
    to the whole-batch loss only for a per-sample mean over independent samples; NaN when the
    model cannot take slices (e.g. it reshapes to a fixed batch size)."""
    evaluator.micro_batch = size
    try:
        return evaluator.at(coordinates)
    except Exception:
        return math.nan
    finally:
        evaluator.micro_batch = None


def loop_variants(evaluator: PointLoss, micro: int | None) -> list[tuple[bool, int | None]]:
    """The (channels-last, micro-batch) settings of the loop that the race times."""
    layouts = [False, True] if evaluator.has_image_inputs() else [False]
    sizes = [None] if micro is None else [None, micro]
    return [(layout, size) for layout in layouts for size in sizes]


def vmap_chunks(chunk: int) -> list[int]:
    """The vmap chunk sizes the race times: the cache-sized estimate and its half (the
    estimate counts module outputs only; a forward's own intermediates can be larger)."""
    return [chunk, chunk // 2] if chunk >= 4 else [chunk]


def race_loop_points(evaluator: PointLoss, micro: int | None) -> int:
    """Points the loop variants take in the race: one warm-up and RACE_POINTS timed each (vmap
    gets the rest of the racing chunk, ideally one chunk of each size)."""
    return len(loop_variants(evaluator, micro)) * (1 + RACE_POINTS)


def race(
    evaluator: PointLoss,
    coords: np.ndarray,
    chunk: int,
    micro: int | None,
    with_vmap: bool = True,
) -> tuple[torch.Tensor, bool, int]:
    """Evaluate a chunk partly by loop (each variant), partly by vmap (one chunk of each size
    in ``vmap_chunks``); return the values, whether a loop was clearly faster (leaving the
    evaluator set to the fastest loop variant) and the faster vmap chunk size. Without vmap
    (it cannot trace the model) the fastest loop variant wins and evaluates the rest."""
    variants = loop_variants(evaluator, micro)
    pieces = []
    loop_per_point = {}
    i = 0
    try:
        for variant in variants:
            evaluator.channels_last, evaluator.micro_batch = variant
            try:
                # untimed warm-up: layout conversion, oneDNN primitive creation
                warm = evaluator.loop(coords[i : i + 1])
                start = time.perf_counter()
                timed = evaluator.loop(coords[i + 1 : i + 1 + RACE_POINTS])
                loop_per_point[variant] = (time.perf_counter() - start) / RACE_POINTS
            except Exception:
                # the plain variant's failure is the model's own error; any other variant is
                # out of the race (e.g. ``h.view(n, -1)`` on channels-last activations, which
                # are not contiguous) and its points go to the next one
                if variant == variants[0]:
                    raise
                continue
            pieces += [warm, timed]
            i += 1 + RACE_POINTS
    finally:
        evaluator.channels_last, evaluator.micro_batch = False, None
    rest = coords[i:]
    best = min(loop_per_point, key=loop_per_point.__getitem__)
    if not with_vmap:
        evaluator.channels_last, evaluator.micro_batch = best
        return torch.cat([*pieces, evaluator.loop(rest)]), True, chunk
    vmap_per_point = {}
    j = 0
    for size in vmap_chunks(chunk):
        piece = rest[j : j + size]
        if len(piece) == 0:  # a small grid: not enough points to time this size
            break
        start = time.perf_counter()
        pieces.append(evaluator.batched(piece))
        vmap_per_point[size] = (time.perf_counter() - start) / len(piece)
        j += len(piece)
    chunk = min(vmap_per_point, key=vmap_per_point.__getitem__)
    for k in range(j, len(rest), chunk):
        pieces.append(evaluator.batched(rest[k : k + chunk]))
    loop_faster = loop_per_point[best] < LOOP_ADVANTAGE * vmap_per_point[chunk]
    if loop_faster:
        evaluator.channels_last, evaluator.micro_batch = best
    return torch.cat(pieces), loop_faster, chunk
