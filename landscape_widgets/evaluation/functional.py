"""The loss at θ + Σ αᵢ δᵢ for a chunk of grid points, computed without writing to the model.

The model is only ever *called* through ``torch.func.functional_call`` with tensors we own, so
its parameters and buffers are never written. Two paths share everything but the inner call:

* batched: the chunk's parameters are one ``(chunk, *shape)`` tensor per name, and
  ``torch.func.vmap`` runs the model and the loss over the chunk at once (buffers shared);
* loop: one point at a time, for models vmap cannot trace (data-dependent control flow,
  ``.item()``, in-place ops on inputs...), and on the CPU for models where one plain call per
  point beats vmap's grouped convolutions.

Which of these ways a grid is evaluated is not decided here: every variant is one
:class:`~.point_inputs.LoopMode` (frozen) handed to :meth:`PointLoss.loop`, or the ``head``
switch of :meth:`PointLoss.batched`, and the strategy objects of ``strategy.py`` choose them:

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
from collections.abc import Callable, Mapping
from typing import Any

import torch

from ..model.data import Batches, check_scalar, model_args
from ..subspace.base import Subspace
from .fields import MetricFn, scores
from .head import find_affine_head
from .memory import ActivationMeter
from .point_inputs import CACHE_MAX_BYTES, OWNED, PLAIN, LoopMode, LossFn, PointInputs


class PointLoss(PointInputs):
    """Mean loss of ``model`` over ``batches`` at points of the subspace's coordinates, each way
    of evaluating it; what the ways share (the data on the device, the points' parameters, the
    model's variants) is inherited from :class:`~.point_inputs.PointInputs`.

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
        super().__init__(model, loss_fn, batches, subspace, device, dtype, metrics)
        # (the shortcut feeds the rest of the model hidden activations: a closure calls the
        # whole model itself)
        self.head = None if self.closure is not None else find_affine_head(model, subspace.dims)
        # functional_call on the head's ``rest`` must not be handed the head layer's tensors
        self.rest_shared = {
            n: t for n, t in self.shared.items() if self.head is None or not self.head.owns(n)
        }
        self._basis_cache: dict[int, torch.Tensor] = {}
        self._basis_bytes = 0

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
