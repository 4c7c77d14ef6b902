"""Hessian-vector products of the training loss, as a linear operator on flat parameter vectors.

Following curvlinops, a factory (:func:`~.hvp.hvp_operator`) builds the closure once: the model's
trainable parameters become one flat vector θ, the loss is a pure function of θ through
``torch.func.functional_call``, and ``H v`` is the forward-mode derivative of the reverse-mode
gradient (``jvp(grad(L), θ, v)``, "forward-over-reverse"): one product costs about as much as
two or three backward passes and needs no ``create_graph``. Products of several vectors at once
are vmapped, in blocks that fit the free memory, where a timed race finds that faster than one
at a time. The user's model is never written to: parameters and buffers are copies, and the
train/eval flags touched to evaluate in eval mode are restored after every product.
A model whose forward calls ``torch.autograd`` itself (a PINN's input derivatives) cannot go
through ``torch.func``: it is detected on the first loss and takes ``autograd_path.py``.

The algorithms (Lanczos, Hutchinson, SLQ) accept anything with ``size``, ``dtype``, ``device``
and ``matvec``/``matmat`` (``linear.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch

from ..model.data import Batches, check_scalar, move_any
from ..model.device import resolve_device
from ..model.loss import ClosureModule, ModelLoss, is_closure
from ..model.memory import ActivationMeter, available_memory, is_out_of_memory
from ..model.params import named_trainable
from ..model.race import Entrant, race
from . import autograd_path

# How many Hessian-vector products one vmapped call may hold: each keeps its own forward and
# tangent activations. Measured on notebook 04's ResNet (19 conv + BN layers, 1,400 images, CPU):
# one forward-over-reverse product took 6.4x, each further product of a block of 8 3.1x the bytes
# its modules output in one forward pass; a block may take this share of the free memory.
HVP_ACTIVATION_FACTOR = 6
HVP_BUDGET_FRACTION = {"cuda": 0.6, "cpu": 0.25}
# vmapped products are not always faster: on the CPU a vmapped block of 8 took 2x the time per
# product of one product at a time for that ResNet (vmap turns convolutions into grouped ones),
# and half of it for a 64-256-256-10 MLP. The first block of at least RACE_MIN_BLOCK vectors
# times RACE_PRODUCTS single products against the rest vmapped and keeps the faster way.
RACE_MIN_BLOCK = 4
RACE_PRODUCTS = 2
# Keeping each batch's gradient graph (PyHessian's way) makes a product 2-5x cheaper on small
# models (benchmarks/README.md: 0.60 ms against 2.7 ms recomputed on the benchmark MLP), at the
# memory of every batch's graph for the operator's lifetime. By default (keep_graph=None) the
# graphs are kept when KEPT_GRAPH_FACTOR x one forward's module outputs per batch, summed over
# the batches, fit in this share of the free memory.
KEPT_GRAPH_FACTOR = 4
KEPT_GRAPH_BUDGET_FRACTION = {"cuda": 0.3, "cpu": 0.15}

# loss_fn(outputs, targets), or a model_loss closure fn(model, batch) (model/loss.py)
LossFn = Callable[[Any, Any], torch.Tensor]


def default_device(device: torch.device | str | None) -> torch.device:
    """``device``, or CUDA when available, else the CPU (checked: ``model.device``)."""
    return resolve_device(device)


@contextmanager
def eval_mode(model: torch.nn.Module) -> Iterator[None]:
    """Put every submodule in eval mode; restore each one's flag afterwards, whatever happens."""
    modes = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        yield
    finally:
        for m, flag in modes:
            m.training = flag


class HessianOperator:
    """Hessian of the (sample-weighted mean) training loss at the model's current parameters.

    Build it with :func:`hvp_operator`. Vectors are flat, in the order of
    ``named_trainable(model)``; :meth:`flatten` / :meth:`unflatten` convert to and from
    ``{name: tensor}`` dicts. ``n_products`` counts Hessian-vector products (one per vector).
    ``vmap_products`` says how ``matmat`` takes several vectors: ``True`` vmapped (in blocks of
    at most :meth:`block_limit`), ``False`` one at a time, ``None`` (default) decided by a timed
    race on the first block of four or more.
    """

    def __init__(
        self,
        model: torch.nn.Module,
        loss_fn: LossFn,
        batches: Batches,
        device: torch.device,
        dtype: torch.dtype,
        keep_graph: bool = False,
    ) -> None:
        trainable = named_trainable(model)
        self.model = model
        self.loss_fn = loss_fn
        # a model_loss closure: fn(model, batch) with θ swapped in (model/loss.py)
        self.closure: ClosureModule | None = None
        if is_closure(loss_fn):
            assert isinstance(loss_fn, ModelLoss)
            self.closure = ClosureModule(model, loss_fn)
        self.batches = batches
        self.device = device
        self.dtype = dtype
        self.names = tuple(trainable)
        self.shapes = tuple(tuple(p.shape) for p in trainable.values())
        self.numels = tuple(p.numel() for p in trainable.values())
        self.size = int(sum(self.numels))
        self.n_products = 0
        self.n_samples = batches.n_samples
        # copies: the user's tensors are never handed to torch.func
        self.theta = torch.cat(
            [p.to(device=device, dtype=dtype).reshape(-1) for p in trainable.values()]
        ).clone()
        self._fixed: dict[str, torch.Tensor] = {}
        for n, p in model.named_parameters():
            if n not in trainable:
                self._fixed[n] = p.detach().to(device=device, dtype=_cast(p, dtype)).clone()
        for n, b in model.named_buffers():
            self._fixed[n] = b.detach().to(device=device, dtype=_cast(b, dtype)).clone()
        self._vmap_ok = True
        # how products are differentiated; switches once if forward mode fails (see _products)
        self.mode = "reverse-over-reverse, kept graph" if keep_graph else "forward-over-reverse"
        self.keep_graph = keep_graph
        self._pullbacks: list[tuple[Callable[[torch.Tensor], Any], float]] | None = None
        self._block_limit: int | None = None  # see block_limit()
        self._forward_bytes_cache: int | None = None  # see _forward_bytes()
        # several vectors at once: True vmaps them (in memory-sized blocks), False takes one at
        # a time, None races the two on the first block of >= RACE_MIN_BLOCK and keeps the faster
        self.vmap_products: bool | None = None
        # the model's forward calls torch.autograd itself (see autograd_path.py); set by
        # hvp_operator when the loss fails under no_grad and works with autograd on
        self.grad_in_forward = False
        self._autograd_graphs: list[tuple[torch.Tensor, torch.Tensor, float]] | None = None

    # -- conversions ---------------------------------------------------------------------------
    def unflatten(self, flat: torch.Tensor) -> dict[str, torch.Tensor]:
        parts = flat.split(self.numels)
        return {n: q.view(s) for n, q, s in zip(self.names, parts, self.shapes, strict=True)}

    def flatten(self, tensors: dict[str, torch.Tensor]) -> torch.Tensor:
        return torch.cat([tensors[n].to(self.device, self.dtype).reshape(-1) for n in self.names])

    # -- the loss as a function of θ -------------------------------------------------------------
    def _batch_loss(self, flat: torch.Tensor, inputs: Any, targets: torch.Tensor) -> torch.Tensor:
        if self.closure is not None:  # ``inputs`` is the closure's whole batch
            return check_scalar(self.closure.call_with({**self._fixed, **self.unflatten(flat)},
                                                       inputs))
        args = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
        out = torch.func.functional_call(self.model, {**self._fixed, **self.unflatten(flat)}, args)
        return check_scalar(self.loss_fn(out, targets))

    def _grad_fn(
        self, inputs: Any, targets: torch.Tensor
    ) -> Callable[[torch.Tensor], torch.Tensor]:
        return torch.func.grad(lambda t: self._batch_loss(t, inputs, targets))

    def _hvp_fn(
        self, mode: str, inputs: Any, targets: torch.Tensor
    ) -> Callable[[torch.Tensor], torch.Tensor]:
        grad_fn = self._grad_fn(inputs, targets)
        if mode == "forward-over-reverse":
            return lambda v: torch.func.jvp(grad_fn, (self.theta,), (v,))[1]
        pullback = torch.func.vjp(grad_fn, self.theta)[1]
        return lambda v: pullback(v)[0]  # H is symmetric: vᵀH = (Hv)ᵀ

    def _device_batches(self) -> Iterator[tuple[Any, Any, float]]:  # targets None: closure
        for batch in self.batches:
            moved = move_any(batch, self.loss_fn, self.device, self.dtype)
            inputs, targets = (moved, None) if self.closure is not None else moved
            yield inputs, targets, self.batches.size(batch) / self.n_samples

    def loss(
        self, flat: torch.Tensor | None = None, meter: ActivationMeter | None = None
    ) -> torch.Tensor:
        """The training loss at ``flat`` (default: the model's parameters), without gradients;
        ``meter`` (attached to the model) sees one pass per batch."""
        flat = self.theta if flat is None else flat
        # float32 at least: a bf16/fp16 model's batch losses are not summed in half precision
        acc = torch.promote_types(self.dtype, torch.float32)
        total = torch.zeros((), device=self.device, dtype=acc)
        grad_mode = torch.enable_grad() if self.grad_in_forward else torch.no_grad()
        with eval_mode(self.model), grad_mode:
            for inputs, targets, weight in self._device_batches():
                if meter is not None:
                    meter.start_pass()
                total = total + self._batch_loss(flat, inputs, targets).detach().to(acc) * weight
                if meter is not None:
                    meter.end_pass()
        return total

    def gradient(self) -> torch.Tensor:
        """The gradient of the training loss at θ (flat)."""
        if self.grad_in_forward:
            return autograd_path.autograd_gradient(self)
        total = torch.zeros_like(self.theta)
        with eval_mode(self.model):
            for inputs, targets, weight in self._device_batches():
                total += self._grad_fn(inputs, targets)(self.theta) * weight
        return total

    # -- products --------------------------------------------------------------------------------
    def matvec(self, v: torch.Tensor) -> torch.Tensor:
        """``H v`` for one flat vector ``v``."""
        self._check_vector(v, 1)
        self.n_products += 1
        return self._products(v.to(self.device, self.dtype)[None])[0]

    def matmat(self, vs: torch.Tensor) -> torch.Tensor:
        """``(H v_i)_i`` for the rows of ``vs`` (shape ``(k, size)``), vmapped over the rows."""
        self._check_vector(vs, 2)
        self.n_products += int(vs.shape[0])
        return self._products(vs.to(self.device, self.dtype))

    def block_limit(self) -> int:
        """The most products one vmapped call takes here: the memory budget over the estimated
        bytes of one product (``HVP_ACTIVATION_FACTOR`` x one forward's module outputs on the
        first batch, plus a few parameter-sized vectors); measured once."""
        if self._block_limit is None:
            per_product = HVP_ACTIVATION_FACTOR * self._forward_bytes() + 4 * self.theta.nbytes
            fraction = HVP_BUDGET_FRACTION.get(self.device.type, HVP_BUDGET_FRACTION["cpu"])
            budget = int(available_memory(self.device) * fraction)
            self._block_limit = max(1, budget // max(per_product, 1))
        return self._block_limit

    def _forward_bytes(self) -> int:
        """Bytes one forward pass's modules output (the largest batch's when measured by the
        first loss, else the first batch's; measured once)."""
        if self._forward_bytes_cache is None:
            meter = ActivationMeter()
            grad_mode = torch.enable_grad() if self.grad_in_forward else torch.no_grad()
            with eval_mode(self.model), grad_mode, meter.attached(self.model):
                for inputs, targets, _weight in self._device_batches():
                    meter.start_pass()
                    self._batch_loss(self.theta, inputs, targets)
                    meter.end_pass()
                    break
            self._forward_bytes_cache = int(meter.peak_bytes)
        return self._forward_bytes_cache

    def kept_graphs_fit(self) -> bool:
        """Whether every batch's gradient graph fits in ``KEPT_GRAPH_BUDGET_FRACTION`` of the
        free memory (estimated: ``KEPT_GRAPH_FACTOR`` x one forward's module outputs per batch
        plus a few parameter-sized tensors); False for data without a length."""
        try:
            n_batches = len(self.batches)
        except TypeError:
            return False
        per_graph = KEPT_GRAPH_FACTOR * self._forward_bytes() + 4 * self.theta.nbytes
        fraction = KEPT_GRAPH_BUDGET_FRACTION.get(self.device.type,
                                                  KEPT_GRAPH_BUDGET_FRACTION["cpu"])
        return n_batches * per_graph <= int(available_memory(self.device) * fraction)

    def keep_graphs(self) -> None:
        """Take products through each batch's gradient graph, built once and kept."""
        self.keep_graph = True
        if not self.grad_in_forward:
            self.mode = "reverse-over-reverse, kept graph"

    def _products(self, vs: torch.Tensor) -> torch.Tensor:
        if self.grad_in_forward:  # one gradient graph per batch serves the whole block
            return autograd_path.autograd_products(self, vs)
        k = vs.shape[0]
        if k >= RACE_MIN_BLOCK and self.vmap_products is None and self._vmap_ok:
            return self._race(vs)
        limit = self.block_limit() if k > 1 and self.vmap_products is not False else 1
        if k > limit:
            return torch.cat([self._products(vs[i : i + limit]) for i in range(0, k, limit)])
        try:
            return self._products_at_once(vs)
        except (RuntimeError, MemoryError) as exc:
            # k vmapped products hold k sets of forward and tangent activations: on a device
            # too small for that, do the block in halves (one product at a time at worst)
            if k == 1 or not is_out_of_memory(exc):
                raise
            if vs.is_cuda:
                torch.cuda.empty_cache()
            half = k // 2
            return torch.cat([self._products(vs[:half]), self._products(vs[half:])])

    def _race(self, vs: torch.Tensor) -> torch.Tensor:
        """Products of ``vs``: RACE_PRODUCTS one at a time, the rest vmapped, both timed by the
        shared race (``model/race.py``); later blocks go the faster way (``vmap_products``).
        The values are the same either way."""

        def run(vmapped: bool, start: int, stop: int) -> torch.Tensor:
            self.vmap_products = vmapped
            return self._products(vs[start:stop])

        outcome = race([Entrant(False, heats=(RACE_PRODUCTS,)), Entrant(True, heats=(None,))],
                       vs.shape[0], run, clock=lambda: self._clock(vs))
        self.vmap_products = outcome.winner
        return torch.cat(outcome.results)

    @staticmethod
    def _clock(like: torch.Tensor) -> float:
        if like.is_cuda:  # kernels run asynchronously: wait for them before reading the clock
            torch.cuda.synchronize(like.device)
        return time.perf_counter()

    def _products_at_once(self, vs: torch.Tensor) -> torch.Tensor:
        if self.keep_graph:
            try:
                return self._products_kept(vs)
            except RuntimeError as exc:
                _explain_missing_second_derivative(exc)
                raise
        while True:
            try:
                return self._products_with(self.mode, vs)
            except (RuntimeError, NotImplementedError) as exc:
                # forward-mode AD is missing or broken for a few ops (e.g. mse_loss's backward
                # in torch 2.13: "ZeroTensors are immutable"); reverse-over-reverse always works.
                # Running out of memory is not such a failure: _products splits the block.
                if self.mode != "forward-over-reverse" or is_out_of_memory(exc):
                    _explain_missing_second_derivative(exc)
                    raise
                self.mode = "reverse-over-reverse"
                self._vmap_ok = True

    def _products_with(self, mode: str, vs: torch.Tensor) -> torch.Tensor:
        total = torch.zeros_like(vs)
        with eval_mode(self.model):
            for inputs, targets, weight in self._device_batches():
                total += self._map(self._hvp_fn(mode, inputs, targets), vs) * weight
        return total

    def _products_kept(self, vs: torch.Tensor) -> torch.Tensor:
        """Reverse-over-reverse through each batch's gradient graph, built once and kept
        (PyHessian's approach): the cheapest product, at the memory of one graph per batch."""
        if self._pullbacks is None:
            pullbacks = []
            with eval_mode(self.model):
                for inputs, targets, weight in self._device_batches():
                    pullback = torch.func.vjp(self._grad_fn(inputs, targets), self.theta)[1]
                    pullbacks.append((pullback, weight))
            self._pullbacks = pullbacks
        total = torch.zeros_like(vs)
        for pullback, weight in self._pullbacks:
            total += self._map(lambda v, f=pullback: f(v)[0], vs) * weight
        return total

    def _map(self, fn: Callable[[torch.Tensor], torch.Tensor], vs: torch.Tensor) -> torch.Tensor:
        if vs.shape[0] > 1 and self._vmap_ok:
            try:
                return torch.func.vmap(fn)(vs)
            except (RuntimeError, NotImplementedError) as exc:
                # some ops (custom autograd functions, data-dependent control flow) have no
                # batching rule: fall back to one product at a time, and remember it (an
                # out-of-memory error is no such thing: _products splits the block instead)
                if is_out_of_memory(exc):
                    raise
                self._vmap_ok = False
        return torch.stack([fn(v) for v in vs])

    def _check_vector(self, v: torch.Tensor, ndim: int) -> None:
        if not isinstance(v, torch.Tensor) or v.ndim != ndim or v.shape[-1] != self.size:
            want = "(size,)" if ndim == 1 else "(k, size)"
            got = tuple(v.shape) if isinstance(v, torch.Tensor) else type(v).__name__
            raise ValueError(f"expected a tensor of shape {want} with size={self.size}, got {got}")

    def dense(self) -> torch.Tensor:
        """The full ``(size, size)`` Hessian, one column per product: small models only."""
        if self.size > 20_000:
            raise ValueError(f"dense(): expected at most 20000 parameters, got {self.size}")
        eye = torch.eye(self.size, device=self.device, dtype=self.dtype)
        return torch.cat([self.matmat(eye[i : i + 64]) for i in range(0, self.size, 64)])


def _explain_missing_second_derivative(exc: BaseException) -> None:
    """An op without a second derivative (the fused attention kernels behind
    ``scaled_dot_product_attention``) makes Hessian products impossible: say which and how."""
    text = str(exc)
    if isinstance(exc, RuntimeError) and "derivative for" in text and "not implemented" in text:
        raise RuntimeError(
            f"model: Hessian products need second derivatives of every op, and one has none "
            f"({text}). Fused attention kernels are the usual cause: build the model with "
            "plain attention (Hugging Face: attn_implementation='eager')"
        ) from exc


def _cast(t: torch.Tensor, dtype: torch.dtype) -> torch.dtype:
    return dtype if t.is_floating_point() else t.dtype
