"""The ways of evaluating the loss at grid points, each one object with one small interface.

A :class:`Strategy` computes ``losses(points)`` for an ``(n, dims)`` array of coordinates,
says in ``describe()`` what it is (the landscape's provenance records the winner's), and in
``reproduces(centre, loss)`` whether it gives the centre's loss again (shortcuts that are exact
only for some models are checked that way before they may race). All of them share one
:class:`~.functional.PointLoss` (the data on the device, the points' parameters, caches):

* :class:`VmapChunks`: ``torch.func.vmap`` over a chunk of points at once, through the exact
  affine-head shortcut where the model starts with a Linear/Conv layer (``head.py``);
* :class:`PointLoop`: one ``functional_call`` per point, whole batches or micro-batches,
  image inputs channels-last or not, autograd on for a forward that differentiates itself;
* :class:`OwnedLoop`: the same loop through a private copy of the model (``owned.py``);
* :class:`FusedLoop`: the same loop through the conv/BN/ReLU-fused graph (``fusion.py``),
  optionally fed the first conv's cached input columns (``columns.py``);
* ``capture.CapturedLoop``: a ``model_loss`` closure's aten ops on the parameters, captured
  once per cached batch and replayed per point (``capture.py``).

:func:`candidates` (``race.py``) lists those that apply; the race picks one; the chunk walker
(``sample.py``) only chunks, halves on out-of-memory and checkpoints. A ``model_loss`` closure
takes every strategy except those that need a plain ``model(inputs)`` forward (the affine head,
the fused graph, input columns, channels-last inputs, micro-batches): they are never listed.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from .functional import PointLoss
from .point_inputs import LoopMode

# Two centre evaluations closer than this (relative) count as equal: float round-off from a
# different summation order is harmless, anything larger corrupts a landscape.
DETERMINISM_RTOL = 1e-6


def agree(a: float, b: float) -> bool:
    """Whether two losses are equal up to ``DETERMINISM_RTOL`` (NaN agrees with NaN)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=DETERMINISM_RTOL, abs_tol=0.0)


class Strategy(ABC):
    """One way of evaluating the loss at grid points (see the module docstring)."""

    # points per call it is built for (vmap); None: any number (one point at a time)
    chunk: int | None = None

    def __init__(self, evaluator: PointLoss) -> None:
        self.evaluator = evaluator

    @abstractmethod
    def losses(self, points: np.ndarray) -> torch.Tensor:
        """``(n,)`` float64 losses on the CPU (with metrics ``(n, 1 + n_metrics)``)."""

    @abstractmethod
    def describe(self) -> str:
        """What this strategy is, in words (recorded in the landscape's provenance)."""

    @abstractmethod
    def settings(self) -> dict[str, Any]:
        """The provenance flags: ``affine_head``, ``fused``, ``input_columns``,
        ``channels_last``, ``micro_batch``."""

    def reproduces(self, centre: np.ndarray, loss: float) -> bool:
        """Whether this strategy gives ``loss`` (the centre's loss by the plain forward) at
        ``centre`` again, up to ``DETERMINISM_RTOL``; False when it fails there."""
        try:
            value = float(self.losses(np.asarray(centre)[None]).reshape(1, -1)[0, 0])
        except Exception:
            return False
        return agree(loss, value)

    def resized(self, chunk: int) -> Strategy:
        """The same strategy for chunks of ``chunk`` points (after an out-of-memory error)."""
        return self

    def walk_chunk(self, chunk: int) -> int:
        """Points per call when this strategy walks the rest of the grid, given the walker's
        ``chunk``: a vmap strategy's own chunk, else ``chunk``."""
        return self.chunk or chunk

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.describe()}>"


class VmapChunks(Strategy):
    """``vmap`` over chunks of ``chunk`` points (the walker hands it chunks of that size).

    Example:
        >>> from ..model.data import as_batches
        >>> from ..subspace.base import Subspace
        >>> net = torch.nn.Linear(3, 1)
        >>> sub = Subspace.from_directions(net, [{n: torch.ones_like(p)
        ...                                       for n, p in net.named_parameters()}])
        >>> ev = PointLoss(net, torch.nn.functional.mse_loss,
        ...                as_batches((torch.zeros(4, 3), torch.zeros(4, 1))), sub,
        ...                torch.device("cpu"), torch.float32)
        >>> s = VmapChunks(ev, chunk=8)
        >>> s.describe(), tuple(s.losses(np.zeros((3, 1))).shape)
        ('vmap over chunks of 8 points', (3,))
    """

    def __init__(self, evaluator: PointLoss, chunk: int, head: bool = True) -> None:
        super().__init__(evaluator)
        if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
            raise ValueError(f"chunk: expected an integer >= 1, got {chunk!r}")
        self.chunk = int(chunk)
        self.head = bool(head) and evaluator.head is not None

    def losses(self, points: np.ndarray) -> torch.Tensor:
        return self.evaluator.batched(points, head=self.head)

    def describe(self) -> str:
        shortcut = ", affine-head shortcut" if self.head else ""
        return f"vmap over chunks of {self.chunk} points{shortcut}"

    def settings(self) -> dict[str, Any]:
        return {"affine_head": self.head, "fused": False, "input_columns": False,
                "channels_last": False, "micro_batch": None}

    def resized(self, chunk: int) -> VmapChunks:  # (a subclass stays itself)
        return type(self)(self.evaluator, chunk, self.head)


class PointLoop(Strategy):
    """One point after another through ``torch.func.functional_call``; ``channels_last``
    image inputs, ``micro`` samples per model call (None: whole batches), ``grad``: autograd
    on during the forward."""

    kind = "functional_call"

    def __init__(self, evaluator: PointLoss, *, channels_last: bool = False,
                 micro: int | None = None, grad: bool = False) -> None:
        super().__init__(evaluator)
        if micro is not None and (isinstance(micro, bool) or not isinstance(
                micro, (int, np.integer)) or micro < 1):
            raise ValueError(f"micro: expected None or an integer >= 1, got {micro!r}")
        if evaluator.closure is not None and (channels_last or micro is not None):
            raise ValueError(
                "loss_fn: a model_loss closure's batch is handed over whole: channels_last and "
                f"micro do not apply to it, got channels_last={channels_last}, micro={micro}"
            )
        self.mode = LoopMode(channels_last=bool(channels_last), grad=bool(grad),
                             micro=None if micro is None else int(micro))

    def losses(self, points: np.ndarray) -> torch.Tensor:
        return self.evaluator.loop(points, self.mode)

    def describe(self) -> str:
        parts = [f"per-point loop, {self.kind}"]
        if self.mode.columns:
            parts.append("input columns")
        if self.mode.channels_last:
            parts.append("channels-last inputs")
        if self.mode.micro is not None:
            parts.append(f"micro-batches of {self.mode.micro}")
        if self.mode.grad:
            parts.append("autograd in forward")
        return ", ".join(parts)

    def settings(self) -> dict[str, Any]:
        return {"affine_head": False, "fused": self.mode.fused,
                "input_columns": self.mode.fused and self.mode.columns,
                "channels_last": self.mode.channels_last, "micro_batch": self.mode.micro}

    def variant(self, *, channels_last: bool = False, micro: int | None = None,
                columns: bool = False) -> PointLoop:
        """The same loop with other inputs (layout, slices; input columns for the fused one)."""
        other = type(self).__new__(type(self))
        other.evaluator = self.evaluator
        other.mode = replace(self.mode, channels_last=channels_last, micro=micro,
                             columns=columns and self.mode.fused)
        return other


class OwnedLoop(PointLoop):
    """The loop through a private copy of the model whose parameters are written in place
    (``owned.py``; functional_call where the model cannot be deep-copied)."""

    kind = "private copy of the model"

    def __init__(self, evaluator: PointLoss, *, channels_last: bool = False,
                 micro: int | None = None, grad: bool = False) -> None:
        super().__init__(evaluator, channels_last=channels_last, micro=micro, grad=grad)
        self.mode = replace(self.mode, owned=True)

    def describe(self) -> str:
        text = super().describe()
        if self.evaluator.cannot_copy:  # (the copy is made once, shared by every OwnedLoop)
            text = text.replace(self.kind, "functional_call (the model cannot be copied)")
        return text


class FusedLoop(PointLoop):
    """The loop through the conv/BN/ReLU-fused ``torch.fx`` graph (``fusion.py``), with
    ``columns`` fed the first conv's cached input columns (``columns.py``)."""

    kind = "conv/BN/ReLU-fused graph"

    def __init__(self, evaluator: PointLoss, *, channels_last: bool = False,
                 micro: int | None = None, columns: bool = False) -> None:
        super().__init__(evaluator, channels_last=channels_last, micro=micro)
        if not evaluator.fusable():
            raise ValueError("evaluator: expected a model with conv/BN/ReLU chains to fuse "
                             "(plain forward, no metrics, no closure), got one without")
        if columns and not evaluator.columns_ready():
            raise ValueError("columns: the first convolution's input columns do not apply "
                             "(no such stage, uncached data, or too large), got columns=True")
        self.mode = replace(self.mode, fused=True, columns=bool(columns),
                            channels_last=bool(channels_last) and not columns)


def is_vmap(strategy: Strategy) -> bool:
    """Whether ``strategy`` evaluates chunks with vmap (a chunk size of its own: ``VmapChunks``,
    ``capture.CapturedChunks``; the others take one point at a time)."""
    return strategy.chunk is not None


def planned_strategy(evaluator: PointLoss, path: str, chunk: int, grad: bool) -> Strategy:
    """The one strategy of a blocked run's plan (``distributed.py``): "vmap" over chunks of
    ``chunk`` points, or the per-point "loop" (``grad``: autograd on in the forward); the same
    objects a serial run with ``chunk_size=chunk`` uses, so the values are equal bit for bit."""
    if path == "vmap":
        return VmapChunks(evaluator, chunk)
    if path == "loop":
        return OwnedLoop(evaluator, grad=grad)
    raise ValueError(f"path: expected 'vmap' or 'loop', got {path!r}")
