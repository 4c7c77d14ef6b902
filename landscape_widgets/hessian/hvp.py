"""The factory of :class:`~.operator.HessianOperator`: ``hvp_operator(model, loss_fn, data)``
checks the loss once at the model's parameters (finite; the same twice, else a warning), finds
out whether the forward differentiates itself (a PINN: products by plain autograd) and whether
each batch's gradient graph fits in memory to be kept (products 2-5x cheaper on small models).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import torch

from ..model.autograd import needs_autograd
from ..model.data import as_batches
from ..model.memory import ActivationMeter
from ..model.params import named_trainable
from . import autograd_path
from .operator import HessianOperator, LossFn, default_device


def hvp_operator(
    model: torch.nn.Module,
    loss_fn: LossFn,
    data: Any,
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
    check_determinism: bool = True,
    keep_graph: bool | None = None,
) -> HessianOperator:
    """Hessian-vector products of ``loss_fn(model(x), y)`` (eval mode; sample-weighted mean over
    the batches of ``data``) at the model's current parameters.

    Args:
        model: a ``torch.nn.Module``; only parameters with ``requires_grad`` are variables.
            A forward that differentiates itself (a PINN's ``torch.autograd.grad`` on its
            inputs) is detected and takes plain-autograd products (``autograd_path.py``).
        loss_fn: ``loss_fn(outputs, targets)`` returning a scalar, or a closure
            ``lw.model_loss(fn)`` computing ``fn(model, batch)``.
        data: an ``(inputs, targets)`` pair, or an iterable of them (a DataLoader); with a
            closure, one batch of any kind or an iterable of them.
        device: where to compute (default: CUDA if available, else CPU).
        dtype: floating dtype of the computation (default: the model's); float64 for references.
        check_determinism: evaluate the loss twice and warn if the two values differ (dropout,
            batch statistics or non-deterministic kernels would corrupt every product).
        keep_graph: True builds each batch's gradient graph once and keeps it
            (reverse-over-reverse, as PyHessian does): products get 2-4x cheaper on small
            models, memory grows by the activations of every batch. False recomputes
            forward-over-reverse for every product. None (default): keep the graphs where they
            fit in a share of the free memory (``kept_graphs_fit``), else recompute.

    Example:
        >>> net = torch.nn.Linear(3, 1)
        >>> data = (torch.randn(8, 3), torch.randn(8, 1))
        >>> op = hvp_operator(net, torch.nn.functional.mse_loss, data)
        >>> op.matvec(torch.ones(op.size)).shape
        torch.Size([4])
    """
    if not callable(loss_fn):
        raise TypeError(
            "loss_fn: expected a callable (outputs, targets) -> scalar, "
            f"got {type(loss_fn).__name__}"
        )
    batches = as_batches(data, loss_fn)
    params = named_trainable(model)
    if dtype is None:
        dtype = next(iter(params.values())).dtype
    if not dtype.is_floating_point:
        raise ValueError(f"dtype: expected a floating dtype, got {dtype}")
    op = HessianOperator(model, loss_fn, batches, default_device(device), dtype,
                         bool(keep_graph))

    def attempt(grad: bool) -> torch.Tensor:
        op.grad_in_forward = grad
        # the first loss also measures one forward's activations (kept_graphs_fit, block_limit)
        meter = ActivationMeter()
        with meter.attached(model):
            loss = op.loss(meter=meter)
        op._forward_bytes_cache = int(meter.peak_bytes)
        return loss

    # a forward that differentiates itself (torch.autograd.grad on its inputs, as most PINNs
    # compute u_x) fails under no_grad: evaluate it with autograd on, and take its products by
    # plain torch.autograd (model/autograd.py)
    first, op.grad_in_forward = needs_autograd(attempt)
    if op.grad_in_forward:
        op.mode = autograd_path.MODE
    if keep_graph is None and op.kept_graphs_fit():
        op.keep_graphs()
    if not torch.isfinite(first):
        raise ValueError(
            f"loss: expected a finite loss at the model's parameters, got {first.item()}"
        )
    if check_determinism:
        second = op.loss()
        if not math.isclose(first.item(), second.item(), rel_tol=1e-5, abs_tol=1e-8):
            warnings.warn(
                f"the loss differs between two evaluations ({first.item()!r} vs "
                f"{second.item()!r}): "
                "random augmentation, dropout or non-deterministic kernels make Hessian products "
                "inconsistent; fix the data order and use deterministic algorithms",
                RuntimeWarning,
                stacklevel=2,
            )
    return op
