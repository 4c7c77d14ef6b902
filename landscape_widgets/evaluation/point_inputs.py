"""What every way of evaluating a point's loss shares: the inputs, none of the computing.

:class:`~.functional.PointLoss` computes the loss several ways (vmap over a chunk, the affine
head, a loop over the functional model, its private copy or its fused graph), and
``strategy.py`` races them against each other on the same grid. All of them read the same data
on the device, the same θ and δᵢ, and the same variants of the model; these are made here once
and cached, so that no race re-reads the user's loader or copies the model twice, and so that
how a loss is computed (``functional.py``) reads apart from where its inputs come from.

:class:`LoopMode` says how the data and the model are handed to one point's evaluation;
``functional.py``'s docstring says when each way pays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import torch

from ..model.data import Batches, move_any
from ..model.loss import ClosureModule, ModelLoss, is_closure
from ..model.params import named_trainable
from ..subspace.base import Subspace
from .batches import DeviceBatch, channels_last, has_image_inputs, nbytes, split_batch
from .fields import MetricFn
from .fusion import FusedModel
from .memory import available_memory
from .owned import OwnedCopy

# loss_fn(outputs, targets), or a model_loss closure fn(model, batch) (model/loss.py)
LossFn = Callable[[Any, Any], torch.Tensor]

# Batches moved to the device once and kept there when they fit in this share of the memory
# budget; otherwise each pass re-reads the user's loader.
CACHE_MAX_BYTES = 1 << 30


@dataclass(frozen=True)
class LoopMode:
    """How :meth:`~.functional.PointLoss.loop` evaluates one point (``functional.py``'s
    docstring says why each way pays); the default is the plain ``functional_call`` forward
    over whole batches."""

    owned: bool = False  # through the private copy of the model (owned.py), when it exists
    fused: bool = False  # through the conv/BN/ReLU-fused graph (fusion.py)
    columns: bool = False  # with ``fused``: fed the first conv's input columns (columns.py)
    channels_last: bool = False  # image inputs in the channels-last layout
    micro: int | None = None  # samples per model call (None: whole batches)
    grad: bool = False  # autograd on during the forward


PLAIN = LoopMode()
OWNED = LoopMode(owned=True)


class PointInputs:
    """The inputs of :class:`~.functional.PointLoss` at points of the subspace's coordinates:
    the data on the device, the points' parameters, and the model's variants (its private copy,
    its fused graph and that graph's input columns), each made once.

    Example:
        >>> net = torch.nn.Linear(3, 1)
        >>> d = {n: torch.ones_like(p) for n, p in net.named_parameters()}
        >>> sub = Subspace.from_directions(net, [d])
        >>> from ..model.data import as_batches
        >>> data = as_batches((torch.zeros(4, 3), torch.zeros(4, 1)))
        >>> inputs = PointInputs(net, torch.nn.functional.mse_loss, data, sub,
        ...                      torch.device("cpu"), torch.float32)
        >>> moved = inputs.params_at(torch.tensor([2.0]))  # θ + 2 δ, δ all ones
        >>> bool(torch.equal(moved["bias"], net.bias.detach() + 2))
        True
    """

    def __init__(
        self,
        model: torch.nn.Module,
        loss_fn: LossFn,
        batches: Batches,
        subspace: Subspace,
        device: torch.device,
        dtype: torch.dtype,
        metrics: Mapping[str, MetricFn] | None = None,
    ) -> None:
        self.model = model
        self.loss_fn = loss_fn
        # a model_loss closure runs as fn(model, batch) through this module (model/loss.py)
        self.closure: ClosureModule | None = None
        if is_closure(loss_fn):
            assert isinstance(loss_fn, ModelLoss)
            if metrics:
                raise ValueError(
                    "metrics: expected none with a model_loss closure (metrics take the model's "
                    f"outputs and targets, a closure's batch has neither), got {list(metrics)}"
                )
            self.closure = ClosureModule(model, loss_fn)
        # extra fields (functional.py's docstring); empty: plain scalar losses everywhere
        self.metrics: dict[str, MetricFn] = dict(metrics or {})
        self.device = device
        self.dtype = dtype
        self._batches = batches
        self._cache: list[DeviceBatch] | None = None
        # caches (never choices): channels-last copies of cached batches by index, the loop's
        # private copy of the model, the fused model, the first conv's input columns
        self._layout_cache: dict[int, Any] = {}
        self._owned: OwnedCopy | None = None
        self._owned_tried = False
        self.cannot_copy = False  # a deep copy of the model was tried and failed
        self._fused: FusedModel | None = None
        self._fusion_tried = False
        self._columns_cache: dict[int, torch.Tensor] = {}
        trainable = named_trainable(model)
        self.names = tuple(trainable)
        # .to() may return the parameter's own storage: we only ever read these tensors.
        self.base = {n: p.to(device=device, dtype=dtype) for n, p in trainable.items()}
        self.stacked = {
            n: torch.stack([d[n] for d in subspace.directions]).to(device=device, dtype=dtype)
            for n in self.names
        }
        # Frozen parameters and buffers are shared by every point (not perturbed); floating
        # ones follow the evaluation dtype so a float64 run is float64 throughout.
        shared: dict[str, torch.Tensor] = {}
        for n, p in model.named_parameters():
            if n not in self.base:
                shared[n] = p.detach().to(device=device, dtype=dtype)
        for n, b in model.named_buffers():
            b = b.detach()
            shared[n] = b.to(device=device, dtype=dtype) if b.is_floating_point() else b.to(device)
        self.shared = shared
        self.n_params = sum(p.numel() for p in self.base.values())
        self.param_bytes = self.n_params * torch.empty((), dtype=dtype).element_size()
        self.n_samples = 0
        self.largest_batch = 0  # the most samples in one batch (both known after a full pass)

    # ------------------------------------------------------------------ data
    def batches(self, mode: LoopMode = PLAIN) -> Iterator[DeviceBatch]:
        """The data on the device as ``mode`` hands it to the model: channels-last, as the
        fused model's input columns, cut into micro-batches."""
        cached = self._cache is not None
        for k, (inputs, targets, m) in enumerate(self._device_batches()):
            if mode.fused and mode.columns:
                inputs = self._columns_cache[k]  # prepared by columns_ready(): data cached
            elif mode.channels_last:
                if not cached:
                    inputs = channels_last(inputs)
                elif k in self._layout_cache:
                    inputs = self._layout_cache[k]
                else:
                    inputs = self._layout_cache[k] = channels_last(inputs)
            if mode.micro is not None:
                yield from split_batch(inputs, targets, m, mode.micro)
            else:
                yield inputs, targets, m

    def has_image_inputs(self) -> bool:
        """Whether the first batch has an input that channels-last evaluation would change."""
        if self.closure is not None:  # a closure's batch is handed over as the data gave it
            return False
        for inputs, _targets, _m in self._device_batches():
            return has_image_inputs(inputs)
        return False

    def _device_batches(self) -> Iterator[DeviceBatch]:
        """The data on the device; the first full pass fills a cache when it is small enough."""
        if self._cache is not None:
            yield from self._cache
            return
        cache: list[DeviceBatch] | None = []
        cached_bytes = 0
        n_samples = 0
        for batch in self._batches:
            if self.closure is not None:  # the whole batch is the closure's
                inputs, targets = move_any(batch, self.loss_fn, self.device, self.dtype), None
            else:
                inputs, targets = move_any(batch, self.loss_fn, self.device, self.dtype)
            m = self._batches.size(batch)
            if m == 0:
                raise ValueError("data: expected non-empty batches, got a batch with 0 samples")
            n_samples += m
            self.largest_batch = max(self.largest_batch, m)
            if cache is not None:
                cached_bytes += nbytes(inputs) + nbytes(targets)
                if cached_bytes <= CACHE_MAX_BYTES:
                    cache.append((inputs, targets, m))
                else:
                    cache = None
            yield inputs, targets, m
        if n_samples == 0:
            raise ValueError("data: expected at least one batch, got an empty iterable")
        self.n_samples = n_samples
        self._cache = cache

    # ------------------------------------------------------------------ parameters
    def params_at(
        self, alphas: torch.Tensor, names: tuple[str, ...] | None = None
    ) -> dict[str, torch.Tensor]:
        """θ + Σ αᵢ δᵢ: ``(c, dims)`` coordinates -> ``{name: (c, *shape)}``, or a single
        ``(dims,)`` point -> ``{name: shape}`` (all trainable names, or the given ones)."""
        return {
            n: self.base[n] + torch.tensordot(alphas, self.stacked[n], dims=1)
            for n in (self.names if names is None else names)
        }

    def _alphas(self, coordinates: Any) -> torch.Tensor:
        return torch.as_tensor(coordinates, dtype=self.dtype).to(self.device)

    def as_alphas(self, coordinates: Any) -> torch.Tensor:
        """Coordinates as a tensor of the evaluation dtype on the device."""
        return self._alphas(coordinates)

    def cached_batches(self) -> list[DeviceBatch] | None:
        """The data on the device when a full pass cached it (the same objects every pass),
        else None."""
        return None if self._cache is None else list(self._cache)

    # ------------------------------------------------------------------ fused loop model
    def fusable(self) -> bool:
        """Whether the model has conv/BN/ReLU chains to fuse for the loop (``fusion.py``);
        builds the fused copy once. Never with metrics (the fused model is checked on the
        centre's loss alone) nor a closure (it needs a plain forward)."""
        if self.metrics or self.closure is not None:
            return False
        if not self._fusion_tried:
            self._fusion_tried = True
            self._fused = FusedModel.of(self.model)
        return self._fused is not None

    def columns_ready(self) -> bool:
        """Whether the fused loop can take the first conv's input columns (``columns.py``):
        the stage applies, the data is cached and its columns fit under ``CACHE_MAX_BYTES`` and
        a quarter of the free memory (prepared here, once)."""
        if not self.fusable() or self._cache is None:
            return False
        assert self._fused is not None
        stage = self._fused.columns_stage
        if stage is None:
            return False
        if not self._columns_cache:
            # columns are kh·kw times the input: keep them to a share of the free memory too
            budget = min(CACHE_MAX_BYTES, available_memory(self.device) // 4)
            total = 0
            for k, (inputs, _targets, _m) in enumerate(self._cache):
                if not isinstance(inputs, torch.Tensor) or inputs.dim() != 4:
                    return False
                cols = stage.prepare(inputs)
                total += cols.numel() * cols.element_size()
                if total > budget:
                    self._columns_cache.clear()
                    return False
                self._columns_cache[k] = cols
        return True

    def drop_columns(self) -> None:
        """Free the cached input columns (no strategy uses them)."""
        self._columns_cache.clear()

    # ------------------------------------------------------------------ the loop's private copy
    def owned_copy(self) -> OwnedCopy | None:
        """The loop's private copy of the model (made once), or None when it cannot be made."""
        if not self._owned_tried:
            self._owned_tried = True
            self._owned = OwnedCopy.of(self.model, self.names, self.base, self.stacked,
                                       self.device, self.dtype)
            self.cannot_copy = self._owned is None
        return self._owned

    def drop_owned_copy(self) -> None:
        """Free the loop's copy of the model (no strategy that uses it was chosen: a large
        model's copy would only shrink the memory left for vmap chunks)."""
        self._owned = None
