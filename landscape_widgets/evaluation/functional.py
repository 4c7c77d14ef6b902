"""The loss at θ + Σ αᵢ δᵢ for a chunk of grid points, computed without writing to the model.

The model is only ever *called* through ``torch.func.functional_call`` with tensors we own, so
its parameters and buffers are never written. Two paths share everything but the inner call:

* batched: the chunk's parameters are one ``(chunk, *shape)`` tensor per name, and
  ``torch.func.vmap`` runs the model and the loss over the chunk at once (buffers shared);
* loop: one point at a time, for models vmap cannot trace (data-dependent control flow,
  ``.item()``, in-place ops on inputs...), and on the CPU for models where one plain call per
  point beats vmap's grouped convolutions.

Which of these ways a grid is evaluated is not decided here: every variant is one
:class:`LoopMode` (frozen) handed to :meth:`PointLoss.loop`, or the ``head`` switch of
:meth:`PointLoss.batched`, and the strategy objects of ``strategy.py`` choose them:

* ``channels_last``: image-shaped (4-D / 5-D floating) CPU inputs handed to the model in the
  channels-last layout (same values, other strides); oneDNN then keeps every convolution output
  channels-last, where CPU max-pooling and elementwise ops are vectorised over channels.
* ``micro``: each batch cut into slices of that many samples (views, no copy), so that one
  call's activations stay in the CPU caches; exact only for a per-sample mean over independent
  samples (checked at the centre before it is raced).
* ``grad``: the forward runs with autograd on (a model whose forward calls
  ``torch.autograd`` itself, as most PINNs do; it fails under ``no_grad`` and inside vmap).
* ``fused`` / ``columns``: a ``torch.fx`` copy of the model with conv → BN → ReLU fused and
  max-pooling by maxima (``fusion.py``), optionally fed the cached input columns of its first
  convolution (``columns.py``).
* ``owned``: the loop's private copy of the model, its parameters written in place
  (``owned.py``), instead of ``functional_call``.

``metrics``: extra scalar fields computed from the same model outputs as the loss
(``fields.py``): every inner call then returns ``[loss, metric₁, ...]`` (float64) instead of the
loss, so vmap, the affine head, the plain loop and the private copy give all of them in one
pass. The fused model and micro-batches are never used then (both are checked on the loss
alone, and micro-batches are exact only for per-sample means).

``loss_fn`` may also be a :func:`~landscape_widgets.model.loss.model_loss` closure
``fn(model, batch)``: every inner call then runs the closure through ``functional_call`` on a
``ClosureModule`` (the point's tensors swapped into the model for that call, under vmap too), or
hands it the loop's private copy of the model. The paths that need a plain ``model(inputs)``
forward (the affine head, the fused model, input columns, channels-last inputs, micro-batches)
and ``metrics`` do not apply to a closure and are never taken for one.

The loss over the data is the sample-weighted mean over batches (as ``model.data.mean_loss``);
so is every metric.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import torch

from ..model.data import Batches, check_scalar, model_args, move_any
from ..model.loss import ClosureModule, ModelLoss, is_closure
from ..model.params import named_trainable
from ..subspace.base import Subspace
from .batches import DeviceBatch, channels_last, has_image_inputs, nbytes, split_batch
from .fields import MetricFn, scores
from .fusion import FusedModel
from .head import find_affine_head
from .memory import ActivationMeter, available_memory
from .owned import OwnedCopy

# loss_fn(outputs, targets), or a model_loss closure fn(model, batch) (model/loss.py)
LossFn = Callable[[Any, Any], torch.Tensor]

# Batches moved to the device once and kept there when they fit in this share of the memory
# budget; otherwise each pass re-reads the user's loader.
CACHE_MAX_BYTES = 1 << 30


@dataclass(frozen=True)
class LoopMode:
    """How :meth:`PointLoss.loop` evaluates one point (see the module docstring); the default
    is the plain ``functional_call`` forward over whole batches."""

    owned: bool = False  # through the private copy of the model (owned.py), when it exists
    fused: bool = False  # through the conv/BN/ReLU-fused graph (fusion.py)
    columns: bool = False  # with ``fused``: fed the first conv's input columns (columns.py)
    channels_last: bool = False  # image inputs in the channels-last layout
    micro: int | None = None  # samples per model call (None: whole batches)
    grad: bool = False  # autograd on during the forward


PLAIN = LoopMode()
OWNED = LoopMode(owned=True)


class PointLoss:
    """Mean loss of ``model`` over ``batches`` at points of the subspace's coordinates: the data
    on the device, the points' parameters, and the caches every way of evaluating shares.

    Example:
        >>> net = torch.nn.Linear(3, 1)
        >>> d = {n: torch.ones_like(p) for n, p in net.named_parameters()}
        >>> sub = Subspace.from_directions(net, [d])
        >>> from ..model.data import as_batches
        >>> data = as_batches((torch.zeros(4, 3), torch.zeros(4, 1)))
        >>> pl = PointLoss(net, torch.nn.functional.mse_loss, data, sub, torch.device("cpu"),
        ...                torch.float32)
        >>> pl.loop(torch.tensor([[0.0], [1.0]])).shape
        torch.Size([2])
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
        # extra fields (see the module docstring); empty: plain scalar losses everywhere
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
        # (the shortcut feeds the rest of the model hidden activations: a closure calls the
        # whole model itself)
        self.head = None if self.closure is not None else find_affine_head(model, subspace.dims)
        # functional_call on the head's ``rest`` must not be handed the head layer's tensors
        self.rest_shared = {
            n: t for n, t in shared.items() if self.head is None or not self.head.owns(n)
        }
        self._basis_cache: dict[int, torch.Tensor] = {}
        self._basis_bytes = 0
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

    # ------------------------------------------------------------------ one point
    def loss_one(self, params: dict[str, torch.Tensor], inputs: Any, targets: Any) -> Any:
        """The loss (with metrics the scores) of one batch with the point's ``params``, through
        ``functional_call`` (a closure: ``inputs`` is its whole batch)."""
        return self._loss_one(params, inputs, targets)

    def _loss_one(self, params: dict[str, torch.Tensor], inputs: Any, targets: Any) -> Any:
        if self.closure is not None:  # ``inputs`` is the closure's whole batch
            return self.closure.call_with({**self.shared, **params}, inputs)
        outputs = torch.func.functional_call(self.model, (params, self.shared), model_args(inputs))
        return self._score(outputs, targets)

    def _score(self, outputs: Any, targets: Any) -> Any:
        """The loss, or with metrics the float64 vector ``[loss, metric₁, ...]``."""
        if not self.metrics:
            return self.loss_fn(outputs, targets)
        return scores(self.loss_fn, self.metrics, outputs, targets)

    def _owned_loss(self, module: torch.nn.Module, _params: Any, inputs: Any,
                    targets: Any) -> Any:
        if self.closure is not None:  # the closure computes with the copy's parameters
            return self.loss_fn(module, inputs)
        return self._score(module(*model_args(inputs)), targets)

    def _fused_loss(self, columns: bool, params: dict[str, torch.Tensor], inputs: Any,
                    targets: Any) -> Any:
        assert self._fused is not None, "LoopMode(fused=True) needs fusable() first"
        outputs = self._fused(params, self.shared, model_args(inputs), columns=columns)
        return self._score(outputs, targets)

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

    def at(
        self, coordinates: Any, meter: ActivationMeter | None = None, mode: LoopMode = PLAIN
    ) -> float:
        """The mean loss at one point (checks that ``loss_fn`` returns a scalar)."""
        return float(self.values_at(coordinates, meter, mode).reshape(-1)[0])

    def values_at(
        self, coordinates: Any, meter: ActivationMeter | None = None, mode: LoopMode = PLAIN
    ) -> torch.Tensor:
        """The mean loss at one point as a 0-d float64 tensor on the device, or with metrics
        the ``(1 + n_metrics,)`` means ``[loss, metric₁, ...]``, evaluated as ``mode`` says
        (``mode.owned`` falls back to ``functional_call`` when the model cannot be copied)."""
        # (the meter's hooks sit on the model's own modules: it measures functional passes of
        # the model only, not the fused model or our copy)
        params: dict[str, torch.Tensor] = {}
        own = self.owned_copy() if mode.owned and not mode.fused and meter is None else None
        if own is not None:
            loss_one = functools.partial(self._owned_loss, own.module)
            own.set_point(torch.as_tensor(coordinates, dtype=torch.float64).tolist())
        else:
            loss_one = functools.partial(self._fused_loss, mode.columns) if mode.fused else (
                self._loss_one)
            with torch.no_grad():  # the point's parameters: no graph back to the user's model
                params = self.params_at(self._alphas(coordinates))
        total = torch.zeros(self._value_shape, dtype=torch.float64, device=self.device)
        n = 0
        with torch.enable_grad() if mode.grad else torch.no_grad():
            for inputs, targets, m in self.batches(mode):
                if meter is not None:
                    meter.start_pass(m)
                loss = loss_one(params, inputs, targets)
                loss = (loss if self.metrics else check_scalar(loss)).detach()
                if meter is not None:
                    meter.end_pass()
                total = total + loss.double() * m
                n += m
        return total / n

    @property
    def _value_shape(self) -> tuple[int, ...]:
        return (1 + len(self.metrics),) if self.metrics else ()

    def loop(self, coordinates: Any, mode: LoopMode = OWNED) -> torch.Tensor:
        """``(c,)`` losses (with metrics ``(c, 1 + n_metrics)``), one point after another, each
        evaluated as ``mode`` says (default: through the private copy of the model)."""
        alphas = self._alphas(coordinates)
        rows = [self.values_at(a, mode=mode).cpu() for a in alphas]
        if not rows:
            return torch.zeros((0, *self._value_shape), dtype=torch.float64)
        return torch.stack(rows)

    # ------------------------------------------------------------------ a chunk at once
    def batched(self, coordinates: Any, head: bool = True) -> torch.Tensor:
        """``(c,)`` losses (with metrics ``(c, 1 + n_metrics)``) of a chunk of points with
        ``vmap`` over the batched parameters; ``head``: through the affine-head shortcut where
        the model has one (``head.py``)."""
        alphas = self._alphas(coordinates)
        c = alphas.shape[0]
        use_head = head and self.head is not None
        with torch.no_grad():
            total = torch.zeros((c, *self._value_shape), dtype=torch.float64, device=self.device)
            n = 0
            params: dict[str, torch.Tensor] | None = None
            rest_params: dict[str, torch.Tensor] | None = None
            for k, (inputs, targets, m) in enumerate(self.batches()):
                if use_head and isinstance(inputs, torch.Tensor):
                    if rest_params is None:
                        rest_params = self.params_at(alphas, self._rest_names())
                    basis = self._head_basis(k, inputs)
                    # [1, α] · basis: one GEMM writes the chunk's hidden activations once
                    # (adding the centre afterwards took a second pass, 2.6x the time)
                    coeffs = torch.cat([alphas.new_ones(c, 1), alphas], dim=1)
                    hidden = torch.tensordot(coeffs, basis, dims=1)
                    losses = self._vmapped(self._rest_loss, 0)(rest_params, hidden, targets)
                elif self.closure is not None:
                    if params is None:
                        params = self.params_at(alphas)
                    # the batch (any object) is closed over, not mapped: only tensors may be
                    losses = torch.func.vmap(
                        lambda p, batch=inputs: self._loss_one(p, batch, None),
                        randomness="different",
                    )(params)
                else:
                    if params is None:
                        params = self.params_at(alphas)
                    losses = self._vmapped(self._loss_one, None)(params, inputs, targets)
                expected = (c, *self._value_shape)
                if not isinstance(losses, torch.Tensor) or tuple(losses.shape) != expected:
                    got = tuple(losses.shape) if isinstance(losses, torch.Tensor) else type(losses)
                    raise ValueError(
                        f"loss_fn: expected one scalar per point, i.e. shape ({c},) over a chunk, "
                        f"got {got}"
                    )
                total = total + losses.double() * m
                n += m
        return (total / n).cpu()

    @staticmethod
    def _vmapped(fn: Callable[..., Any], input_dim: int | None) -> Callable[..., Any]:
        # randomness="different": random ops (if any) draw independently per point, as a loop
        # would; the determinism check warns about such models.
        return torch.func.vmap(fn, in_dims=(0, input_dim, None), randomness="different")

    # ------------------------------------------------------------------ affine-head shortcut
    def _rest_names(self) -> tuple[str, ...]:
        assert self.head is not None
        return tuple(n for n in self.names if not self.head.owns(n))

    def _rest_loss(
        self, params: dict[str, torch.Tensor], hidden: torch.Tensor, targets: Any
    ) -> Any:
        assert self.head is not None
        outputs = torch.func.functional_call(
            self.head.rest, (params, self.rest_shared), (hidden,)
        )
        return self._score(outputs, targets)

    def _head_basis(self, k: int, inputs: torch.Tensor) -> torch.Tensor:
        """The first layer's ``dims + 1`` outputs for batch ``k``, kept while the data is cached
        (same batch objects every pass) and the total stays under the cache limit."""
        assert self.head is not None
        if k in self._basis_cache:
            return self._basis_cache[k]
        basis = self.head.basis(inputs, self.base, self.stacked, self.shared)
        size = basis.numel() * basis.element_size()
        if self._cache is not None and self._basis_bytes + size <= CACHE_MAX_BYTES:
            self._basis_cache[k] = basis
            self._basis_bytes += size
        return basis
