"""The race: which way of evaluating a chunk of grid points is fastest on this machine.

All candidates give the same values (up to float summation order), so ``sample_landscape``
times them on real grid points, keeps the results, and goes on with the winner:

* ``vmap`` over a chunk of points, at the cache-sized chunk and at half of it;
* the per-point loop, with NCHW or channels-last image inputs or the first conv's cached
  input columns (``columns.py``), with whole batches or with cache-sized micro-batches
  (``functional.py``; raced only where slicing the batches gave the centre's loss again);
  every loop variant calls the conv/BN/ReLU-fused model (``fusion.py``) where it gave the
  centre's loss again.

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
# an automatic chunk size we time the candidates on the second chunk -- each loop variant
# (loop_variants): one warm-up point then RACE_POINTS timed ones, keeping the fastest point;
# vmap: one chunk of the estimated size and one of half of it, keeping the faster size -- and
# switch to the fastest loop when it clearly beats vmap. All give the same values.
RACE_POINTS = 3
RACE_WARMUP_POINTS = 8
# A variant whose warm-up point alone took RACE_PRUNE times the best timed point so far (plus
# RACE_PRUNE_MIN_S, so one-time setup of a fast model never counts) is not timed further: on
# the benchmark CNN the NCHW loop costs 3-5x the others, ~50 ms a point.
RACE_PRUNE = 2.0
RACE_PRUNE_MIN_S = 0.01
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
    if meter.largest_per_sample <= 0 or getattr(evaluator, "closure", None) is not None:
        return None  # (a closure's batch is opaque: nothing to slice)
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


def loss_fused(
    evaluator: PointLoss, coordinates: np.ndarray, micro: int | None, columns: bool = False
) -> float:
    """The mean loss at one point through the conv/BN/ReLU-fused model (``fusion.py``), fed
    its input columns (``columns.py``) or else in the layout the loop most likely races to
    (channels-last), in micro-batches when ``micro``; NaN when it fails."""
    saved = evaluator.fuse
    evaluator.fuse = True
    use_variant(evaluator, (not columns and evaluator.has_image_inputs(), columns, micro))
    try:
        return evaluator.at(coordinates)
    except Exception:
        return math.nan
    finally:
        evaluator.fuse = saved
        use_variant(evaluator, (False, False, None))


Variant = tuple[bool, bool, int | None]  # (channels-last, input columns, micro-batch size)


def loop_variants(evaluator: PointLoss, micro: int | None) -> list[Variant]:
    """The (channels-last, input columns, micro-batch) settings of the loop the race times:
    NCHW inputs, the fused model's input columns where they apply (``columns.py``) and, for
    image inputs, channels-last inputs, each whole and (``micro``) in micro-batches."""
    inputs = []
    if evaluator.fuse and evaluator.columns_ready():
        inputs.append((False, True))
    if evaluator.has_image_inputs():
        inputs.append((True, False))
    sizes = [None] if micro is None else [None, micro]
    # the plain loop first (its failure is the model's own error), the NCHW micro-batches last:
    # the likely winners come early, so the slow variants get pruned after their warm-up
    variants: list[Variant] = [(False, False, None)]
    variants += [(layout, columns, size) for layout, columns in inputs for size in sizes]
    return variants + ([] if micro is None else [(False, False, micro)])


def use_variant(evaluator: PointLoss, variant: Variant) -> None:
    """Set the evaluator's loop to ``variant`` (``(False, False, None)``: the plain loop)."""
    evaluator.channels_last, evaluator.columns, evaluator.micro_batch = variant


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
    in ``vmap_chunks``, the smaller first, the larger skipped when vmap already lost by
    ``RACE_PRUNE``); return the values, whether a loop was clearly faster (leaving the
    evaluator set to the fastest loop variant) and the faster vmap chunk size. Without vmap
    (it cannot trace the model) the fastest loop variant wins and evaluates the rest."""
    variants = loop_variants(evaluator, micro)
    pieces = []
    loop_per_point = {}
    i = 0
    try:
        for variant in variants:
            use_variant(evaluator, variant)
            try:
                # warm-up (layout conversion, oneDNN primitive creation), timed only to prune
                start = time.perf_counter()
                warm = evaluator.loop(coords[i : i + 1])
                warm_seconds = time.perf_counter() - start
                timed, seconds = [], []
                best_so_far = min(loop_per_point.values(), default=math.inf)
                if warm_seconds <= RACE_PRUNE * best_so_far + RACE_PRUNE_MIN_S:
                    for k in range(i + 1, i + 1 + RACE_POINTS):
                        start = time.perf_counter()
                        timed.append(evaluator.loop(coords[k : k + 1]))
                        seconds.append(time.perf_counter() - start)
                # the fastest point: a burst of other load only ever slows a point down
                loop_per_point[variant] = min(seconds, default=warm_seconds)
            except Exception:
                # the plain variant's failure is the model's own error; any other variant is
                # out of the race (e.g. ``h.view(n, -1)`` on channels-last activations, which
                # are not contiguous) and its points go to the next one
                if variant == variants[0]:
                    raise
                continue
            pieces += [warm, *timed]
            i += 1 + len(timed)
    finally:
        use_variant(evaluator, (False, False, None))
    rest = coords[i:]
    best = min(loop_per_point, key=loop_per_point.__getitem__)
    if not with_vmap:
        use_variant(evaluator, best)
        return torch.cat([*pieces, evaluator.loop(rest)]), True, chunk
    vmap_per_point = {}
    j = 0
    # the smaller chunk first: where vmap clearly loses to the loop (an op without a batching
    # rule, scatter-heavy graph models), the larger chunk is not timed at all -- on a small
    # grid it would otherwise take most of the points at the slow rate
    for size in sorted(vmap_chunks(chunk)):
        piece = rest[j : j + size]
        if len(piece) == 0:  # a small grid: not enough points to time this size
            break
        start = time.perf_counter()
        pieces.append(evaluator.batched(piece))
        vmap_per_point[size] = (time.perf_counter() - start) / len(piece)
        j += len(piece)
        if vmap_per_point[size] > RACE_PRUNE * loop_per_point[best]:
            break
    chunk = min(vmap_per_point, key=vmap_per_point.__getitem__)
    loop_faster = loop_per_point[best] < LOOP_ADVANTAGE * vmap_per_point[chunk]
    if loop_faster:  # the rest of the racing chunk goes the winner's way too
        use_variant(evaluator, best)
        if j < len(rest):
            pieces.append(evaluator.loop(rest[j:]))
    else:
        for k in range(j, len(rest), chunk):
            pieces.append(evaluator.batched(rest[k : k + chunk]))
    return torch.cat(pieces), loop_faster, chunk
