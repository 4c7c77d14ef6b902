"""The chunk walker: evaluates the pending points of a grid chunk by chunk with one strategy,
after (when asked) a race between several on the first points; halves the chunk on
out-of-memory; saves finished points to the checkpoint. It does not know how a strategy
evaluates (``strategy.py``) nor which ones apply (``race.py``)."""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence

import numpy as np
import torch

from .checkpoint import GridCheckpoint
from .grid import Grid, PointSet
from .memory import is_out_of_memory
from .race import RACE_WARMUP_POINTS, Warmed, race_clock, race_points, race_strategies
from .strategy import OwnedLoop, Strategy, is_vmap

# Seconds between checkpoint writes (a write also happens at the end and on any exception).
SAVE_INTERVAL_S = 30.0


def walk(
    strategies: Sequence[Strategy],
    grid: Grid | PointSet,
    store: GridCheckpoint,
    pending: np.ndarray,
    chunk: int,
    progress: bool,
    saving: bool,
    racing: bool,
) -> tuple[Strategy, str, list[str]]:
    """Evaluate the pending points chunk by chunk with the first strategy, (``racing``) after
    a warm-up chunk racing all of them on the next points; halve the chunk on out-of-memory;
    save finished points. A vmap strategy that fails on the first chunk (it cannot trace the
    model) gives way to the next strategies, with a warning. The warm-up chunk is timed: a
    vmap family whose warm-up alone lost by far is not timed again in the race
    (``race_strategies``' ``warmed``). Returns the winner and the path
    label: "vmap", "loop" (vmap cannot take the model, or was not a candidate) or
    "loop-faster" (a loop won a race against vmap); and what was raced (descriptions)."""
    from .._progress import progress_bar as tqdm

    if not strategies:
        raise ValueError("strategies: expected at least one way of evaluating, got none")
    strategies = list(strategies)
    current = strategies[0]
    label = "vmap" if is_vmap(current) else "loop"
    if current.chunk is not None:
        chunk = min(chunk, current.chunk)
    raced: list[str] = []
    probed = False  # whether one chunk went through (only then is a failure the model's)
    warmed: Warmed | None = None  # the warm-up chunk's strategy, seconds a point, points
    last_save = time.monotonic()
    bar = tqdm(total=grid.size, initial=store.n_done, disable=not progress, unit="pt",
               desc=f"{grid.dims}-D landscape")  # a Grid or a PointSet: the same walk
    try:
        pos = 0
        while pos < len(pending):
            race_now = racing and probed and len(pending) - pos > race_points(
                [s for s in strategies if not is_vmap(s)])
            if racing and not probed:  # a small first chunk warms up before the race
                size = min(chunk, RACE_WARMUP_POINTS)
            elif race_now:
                size = race_points(strategies)
            else:
                size = chunk
            ids = pending[pos : pos + size]
            coords = grid.coordinates(ids)
            try:
                if race_now:
                    values, winner, used = race_strategies(strategies, coords, warmed)
                    raced = [s.describe() for s in strategies]
                    ids = ids[:used]
                    racing = False
                    if is_vmap(current) and not is_vmap(winner):
                        label = "loop-faster"
                    current = winner
                    chunk = current.walk_chunk(chunk)
                    if not isinstance(current, OwnedLoop):
                        current.evaluator.drop_owned_copy()
                elif racing and not probed:  # (timed: the race may prune on it)
                    clock = race_clock(strategies)
                    start = clock()
                    values = current.losses(coords)
                    warmed = (current, (clock() - start) / max(len(ids), 1), len(ids))
                else:
                    values = current.losses(coords)
            except Exception as exc:
                if is_out_of_memory(exc) and chunk > 1:
                    chunk = max(1, chunk // 2)
                    current = current.resized(chunk)
                    strategies = [s.resized(min(chunk, s.chunk or chunk)) for s in strategies]
                    if current.evaluator.device.type == "cuda":
                        torch.cuda.empty_cache()
                    continue
                rest = [s for s in strategies if not is_vmap(s)]
                if not is_vmap(current) or probed or not rest:
                    raise
                # vmap could not trace the model. If the loop fails as well, the error is real
                # (the loop raises it); otherwise continue point by point, racing the loops.
                values = rest[0].losses(coords)
                strategies, current, label = rest, rest[0], "loop"
                racing = racing and len(rest) > 1
                warnings.warn(
                    f"sample_landscape: torch.func.vmap cannot evaluate this model "
                    f"({type(exc).__name__}: {exc}); falling back to a per-point loop, "
                    "which is correct but slower",
                    RuntimeWarning,
                    stacklevel=4,
                )
            probed = True
            store.record(ids, values.numpy())
            bar.update(len(ids))
            pos += len(ids)
            if saving and time.monotonic() - last_save >= SAVE_INTERVAL_S:
                store.save()
                last_save = time.monotonic()
    finally:
        bar.close()
        store.save()  # no-op without a checkpoint path; keeps finished work on an interrupt
    return current, label, raced
