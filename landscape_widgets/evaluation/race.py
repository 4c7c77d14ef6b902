"""Which strategies race, and the race between them (``model/race.py`` times it).

All strategies give the same values (up to float summation order), so ``sample_landscape``
times them on real grid points, keeps the results, and goes on with the winner:

* :class:`~.strategy.VmapChunks` at the cache-sized chunk and at half of it;
* the per-point loop (:class:`~.strategy.OwnedLoop`, or :class:`~.strategy.FusedLoop` where the
  fused graph gave the centre's loss again), with NCHW or channels-last image inputs or the
  first conv's cached input columns, with whole batches or with cache-sized micro-batches
  (raced only where slicing the batches gave the centre's loss again);
* for a ``model_loss`` closure, its captured aten graph (``capture.py``) replayed per point,
  where capture succeeds and the replay gives the plain forward's loss again at the centre
  and off it.

On CUDA only vmap (both chunk sizes) and the plain loop race: the layout and micro-batch
variants are CPU-cache measures, and CUDA tensors are never converted. A forward that
differentiates itself has one candidate, the loop with autograd on. Every timed call ends in
a copy of its losses to the host, so wall-clock times are exact; with one CPU thread the race
reads CPU time instead (:func:`race_clock`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import torch

from ..model.race import Entrant, race
from .capture import captured_candidates
from .functional import PointLoss
from .memory import ActivationMeter
from .strategy import FusedLoop, OwnedLoop, PointLoop, Strategy, VmapChunks, is_vmap

# On the CPU, vmap's grouped convolutions can be slower than one model call per point, and a
# convolutional model is often much faster fed channels-last inputs (see functional.py). With
# an automatic chunk size we time the candidates on the second chunk -- each loop variant: one
# warm-up point then RACE_POINTS timed ones, keeping the fastest point; vmap: one chunk of the
# estimated size and one of half of it, keeping the faster size -- and switch to the fastest
# loop when it clearly beats vmap. All give the same values.
RACE_POINTS = 3
RACE_WARMUP_POINTS = 8
# A variant whose warm-up point alone took RACE_PRUNE times the best timed point so far (plus
# RACE_PRUNE_MIN_S, so one-time setup of a fast model never counts) is not timed further: on
# the benchmark CNN the NCHW loop costs 3-5x the others, ~50 ms a point. The smaller vmap
# chunk is timed first: where it loses by that much, the larger one is not timed at all; nor
# is any, where the walker's vmap warm-up chunk already lost by that much (``warmed``, with
# RACE_PRUNE_MIN_S spread over the chunk's points).
RACE_PRUNE = 2.0
RACE_PRUNE_MIN_S = 0.01
LOOP_ADVANTAGE = 0.75
# The loop also races micro-batches when a batch's largest activation exceeds what stays in a
# core's caches: slices whose largest activation is about MICRO_BATCH_BYTES, at least
# MICRO_BATCH_MIN samples so per-call overhead stays small (measured on the CNN of
# benchmarks/grid_eval.py: 2-10 MB per call equally fast, 21 MB 1.4x slower, 1 MB 1.2x slower).
MICRO_BATCH_BYTES = 4 << 20
MICRO_BATCH_MIN = 32


# (the strategy that evaluated the walker's warm-up chunk, its seconds per point, the points)
Warmed = tuple[Strategy, float, int]


def micro_batch_candidate(evaluator: PointLoss, meter: ActivationMeter) -> int | None:
    """A micro-batch size worth racing (slices whose largest activation is about
    ``MICRO_BATCH_BYTES``), or ``None`` when the batches are already that small."""
    if meter.largest_per_sample <= 0 or getattr(evaluator, "closure", None) is not None:
        return None  # (a closure's batch is opaque: nothing to slice)
    size = max(MICRO_BATCH_MIN, int(MICRO_BATCH_BYTES // meter.largest_per_sample))
    return None if size >= evaluator.largest_batch else size


def vmap_chunks(chunk: int) -> list[int]:
    """The vmap chunk sizes the race times: the cache-sized estimate and its half (the
    estimate counts module outputs only; a forward's own intermediates can be larger)."""
    return [chunk, chunk // 2] if chunk >= 4 else [chunk]


def loop_variants(loop: PointLoop, images: bool, columns: bool,
                  micro: int | None) -> list[PointLoop]:
    """The variants of ``loop`` the race times: NCHW inputs, the fused graph's input columns
    (``columns``) and, for image inputs, channels-last inputs, each whole and (``micro``) in
    micro-batches; the plain loop first (its failure is the model's own error), the NCHW
    micro-batches last: the likely winners come early, so slow variants get pruned."""
    inputs = ([(False, True)] if columns else []) + ([(True, False)] if images else [])
    sizes = [None] if micro is None else [None, micro]
    variants = [loop.variant()]
    variants += [loop.variant(channels_last=layout, columns=cols, micro=size)
                 for layout, cols in inputs for size in sizes]
    return variants + ([] if micro is None else [loop.variant(micro=micro)])


def race_points(strategies: Sequence[Strategy]) -> int:
    """Points a race of ``strategies`` takes: one warm-up and RACE_POINTS timed per loop,
    one chunk per vmap size."""
    return sum((s.chunk or 0) if is_vmap(s) else 1 + RACE_POINTS for s in strategies)


def candidates(
    evaluator: PointLoss,
    *,
    centre: np.ndarray,
    centre_loss: float,
    meter: ActivationMeter,
    chunk: int,
    n_points: int,
    grad: bool = False,
    race: bool = True,
    fuse: bool = True,
) -> list[Strategy]:
    """The strategies that apply, the one to start with first (vmap where it may apply). With
    ``race``, every CPU shortcut whose exactness depends on the model (micro-batches, the fused
    graph, input columns) is listed only where it gave ``centre_loss`` at ``centre`` again,
    and only where ``n_points`` leave room to race it (``fuse=False``: never the fused graph,
    for benchmarks); without ``race``, vmap then the plain loop (the fallback when vmap cannot
    trace the model)."""
    if grad:  # vmap cannot take a forward that differentiates itself
        return [OwnedLoop(evaluator, grad=True)]
    plain = OwnedLoop(evaluator)
    if not race:
        return [VmapChunks(evaluator, chunk), plain]
    vmaps: list[Strategy] = [VmapChunks(evaluator, c) for c in vmap_chunks(chunk)]
    if evaluator.device.type != "cpu":
        return [*vmaps, plain]
    images = evaluator.has_image_inputs()
    # never with metrics: slicing and the fused graph are checked on the loss alone, and a
    # metric need not be a per-sample mean
    micro = None if evaluator.metrics else micro_batch_candidate(evaluator, meter)
    # (the loops' points: vmap takes whatever the racing chunk has left)
    room = n_points - RACE_WARMUP_POINTS - race_points(loop_variants(plain, images, False, micro))
    # a loss that slicing changes is not a per-sample mean over independent samples
    if micro is not None and (room <= 0 or not plain.variant(micro=micro).reproduces(
            centre, centre_loss)):
        micro = None
    loop: PointLoop = plain
    columns = False
    if fuse and room > 0 and evaluator.fusable():
        fused = FusedLoop(evaluator, channels_last=images, micro=micro)
        if fused.reproduces(centre, centre_loss):
            loop = fused
            columns = evaluator.columns_ready() and FusedLoop(
                evaluator, columns=True, micro=micro).reproduces(centre, centre_loss)
    if not columns:
        evaluator.drop_columns()
    captured = captured_candidates(evaluator, centre, centre_loss) if (
        room > 0 and evaluator.closure is not None) else []
    # (the plain loop stays the first loop: its failure is the model's own error)
    return [*vmaps, *loop_variants(loop, images, columns, micro), *captured]


def race_clock(strategies: Sequence[Strategy]) -> Callable[[], float]:
    """The race's clock: this process's CPU time when every strategy computes on the CPU with
    one intra-op thread (then CPU time is exactly the work done, and a point is not charged for
    the time other processes held the core: on a shared 2-core machine at load 4-6, wall-clock
    heats of single 9 ms points let a loop 1.6x slower win 2 races of 3), else wall-clock time
    (several threads work at once; a GPU computes while the host waits)."""
    cpu = all(getattr(s.evaluator, "device", torch.device("cpu")).type == "cpu"
              for s in strategies)
    return time.process_time if cpu and torch.get_num_threads() == 1 else time.perf_counter


def race_strategies(strategies: Sequence[Strategy], points: np.ndarray,
                    warmed: Warmed | None = None) -> tuple[torch.Tensor, Strategy, int]:
    """Evaluate the first points by each strategy in turn, timed: the loops first (a warm-up
    point, then RACE_POINTS timed ones each), then vmap at each chunk size (the smaller
    first); return the values of the points used, the winner and how many points were used.
    A loop variant that fails (other than the first) leaves the race; a vmap must win by
    less than ``LOOP_ADVANTAGE`` to lose to a loop. ``warmed``: the vmap strategy that
    evaluated the walker's warm-up chunk, its seconds per point there (by
    :func:`race_clock`) and the chunk's points: where that alone took more than RACE_PRUNE
    times the best loop's point (plus RACE_PRUNE_MIN_S over the chunk: one-time setup), its
    family is not timed again (on the GCN of ``benchmarks/grid_eval.py`` vmap runs PyG's
    scatters point by point, ~10 ms a point against the captured loop's ~1 ms)."""
    loops = [s for s in strategies if not is_vmap(s)]
    vmaps = sorted((s for s in strategies if is_vmap(s)), key=lambda s: s.chunk or 0)
    entrants = [Entrant(s, heats=(1,) * RACE_POINTS, warmup=1, handicap=1 / LOOP_ADVANTAGE,
                        slack_s=RACE_PRUNE_MIN_S, may_fail=k > 0) for k, s in enumerate(loops)]
    family = None if warmed is None or not is_vmap(warmed[0]) else type(warmed[0]).__name__
    for s in vmaps:
        first = family is not None and type(s).__name__ == family
        entrants.append(Entrant(
            s, heats=(s.chunk,), family=type(s).__name__,
            warmed_s=warmed[1] if first and warmed is not None else None,
            slack_s=RACE_PRUNE_MIN_S / warmed[2] if first and warmed is not None else 0.0))
        family = None if first else family  # (the smallest chunk carries it for the family)
    outcome = race(entrants, len(points), lambda s, a, b: s.losses(points[a:b]),
                   prune=RACE_PRUNE, clock=race_clock(strategies))
    return torch.cat(outcome.results), outcome.winner, outcome.used
