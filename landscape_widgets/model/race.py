"""One timed race between ways of computing the same results, shared by grid evaluation
(``evaluation/strategy.py``: vmap chunks against per-point loop variants) and Hessian products
(``hessian/operator.py``: one product at a time against vmapped blocks).

The work is a sequence of ``n`` items (grid points, vectors) whose results do not depend on
how they are computed. Each entrant computes the next items in its heats, each heat timed; the
items are never computed twice, so racing costs only the slower entrants' extra time. The
winner has the smallest time per item (times its ``handicap``) and computes whatever the race
left.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Entrant(Generic[T]):
    """One way of computing, and how it is timed.

    ``warmup`` items are computed first and timed only to prune (one-time setup: caches,
    kernel selection); then every heat of ``heats`` items (None: all items left) is timed and
    the fastest heat per item counts (a burst of other load only ever slows a heat down).
    ``handicap`` multiplies that time when the winner is chosen (> 1: win only when clearly
    faster). Once an entrant is pruned, the later entrants of its ``family`` are not run.
    ``slack_s``: seconds per item added to the pruning threshold (so that one-time setup of a
    fast way never prunes it). ``may_fail``: an exception drops it from the race (its items
    go to the next entrant); otherwise the exception propagates. ``warmed_s``: seconds per item
    of a warm-up that already ran before the race (the grid walker's first chunk): the entrant
    is then pruned before it runs when that exceeded the pruning threshold, as if its own first
    heat had.
    """

    runner: T
    heats: tuple[int | None, ...] = (1,)
    warmup: int = 0
    handicap: float = 1.0
    family: Hashable = None
    slack_s: float = 0.0
    may_fail: bool = False
    warmed_s: float | None = None


@dataclass
class Outcome(Generic[T, R]):
    """The race's results, in item order, for the first ``used`` items; the winner; and each
    timed entrant's seconds per item (by position in the entrant list)."""

    results: list[R]
    winner: T
    used: int
    per_item: dict[int, float] = field(default_factory=dict)


def race(
    entrants: Sequence[Entrant[T]],
    n_items: int,
    run: Callable[[T, int, int], R],
    *,
    prune: float = math.inf,
    clock: Callable[[], float] = time.perf_counter,
) -> Outcome[T, R]:
    """Time ``run(entrant.runner, start, stop)`` (the results of items ``start:stop``) for each
    entrant in order on the next items; an entrant whose first heat (its warm-up when it has
    one) took more than ``prune`` times the best time per item so far, plus its ``slack_s``,
    is not timed further.

    Example:
        >>> slow = lambda start, stop: [x * 2 for x in range(start, stop)]
        >>> out = race([Entrant("a", (2,)), Entrant("b", (2,))], 5,
        ...            lambda name, start, stop: slow(start, stop))
        >>> out.used, out.results[0] + out.results[1]
        (4, [0, 2, 4, 6])
    """
    if not entrants:
        raise ValueError("entrants: expected at least one way of computing, got none")
    results: list[R] = []
    per_item: dict[int, float] = {}
    pruned: set[Hashable] = set()
    i = 0
    for k, entrant in enumerate(entrants):
        if i >= n_items:
            break
        if entrant.family is not None and entrant.family in pruned:
            continue
        best = min(per_item.values(), default=math.inf)
        if entrant.warmed_s is not None and entrant.warmed_s > prune * best + entrant.slack_s:
            per_item[k] = entrant.warmed_s  # (its warm-up is all we know: it cannot win)
            pruned.add(entrant.family)
            continue
        heats = ([entrant.warmup] if entrant.warmup else []) + list(entrant.heats)
        times: list[float] = []
        taken: list[R] = []
        j = i
        try:
            for h, size in enumerate(heats):
                stop = n_items if size is None else min(n_items, j + size)
                if stop <= j:
                    break
                start = clock()
                taken.append(run(entrant.runner, j, stop))
                seconds = (clock() - start) / (stop - j)
                j = stop
                if h == 0 and seconds > prune * best + entrant.slack_s:
                    times.append(seconds)  # pruned: its first heat is all we know
                    pruned.add(entrant.family)
                    break
                if h > 0 or not entrant.warmup:
                    times.append(seconds)
        except Exception:
            if not entrant.may_fail:
                raise
            continue  # out of the race: its items go to the next entrant
        results += taken
        i = j
        if times:
            per_item[k] = min(times)
    if not per_item:
        # every entrant that ran was dropped: the first one's own error is the real one
        raise RuntimeError("race: every way of computing failed")
    winner = min(per_item, key=lambda k: per_item[k] * entrants[k].handicap)
    return Outcome(results=results, winner=entrants[winner].runner, used=i, per_item=per_item)
