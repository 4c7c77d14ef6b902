"""Hessian-vector products for models whose forward differentiates itself.

Most physics-informed networks compute their input derivatives inside ``forward`` with
``torch.autograd.grad(u, x, create_graph=True)``. Such a forward fails under ``no_grad`` and
cannot run inside ``torch.func`` transforms (they refuse ``requires_grad_`` and
``torch.autograd.grad`` on tensors they did not create), so :class:`~.operator.HessianOperator`
switches to this path when it detects one: the loss with autograd on, and ``H v`` as
reverse-over-reverse through plain ``torch.autograd`` (PyHessian's way): the gradient's graph is
built once per batch and each vector of a block is one more backward pass through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:  # imported for annotations only: operator.py imports this module
    from .operator import HessianOperator

MODE = "reverse-over-reverse, torch.autograd"


def _gradient_graphs(op: HessianOperator, create_graph: bool):
    """Per batch: (θ as a fresh leaf, ∇L at θ, the batch's weight in the mean)."""
    for inputs, targets, weight in op._device_batches():
        theta = op.theta.detach().requires_grad_(True)
        loss = op._batch_loss(theta, inputs, targets)
        (grad,) = torch.autograd.grad(
            loss, theta, create_graph=create_graph, allow_unused=True, materialize_grads=True
        )
        yield theta, grad, weight


def autograd_gradient(op: HessianOperator) -> torch.Tensor:
    """∇L at θ (flat), by plain autograd."""
    from .operator import eval_mode

    total = torch.zeros_like(op.theta)
    with eval_mode(op.model), torch.enable_grad():
        for _theta, grad, weight in _gradient_graphs(op, create_graph=False):
            total += grad.detach() * weight
    return total


def autograd_products(op: HessianOperator, vs: torch.Tensor) -> torch.Tensor:
    """``(H v_i)_i`` for the rows of ``vs``: one gradient graph per batch (kept across calls
    when ``op.keep_graph``), one backward pass through it per vector."""
    from .operator import eval_mode

    total = torch.zeros_like(vs)
    with eval_mode(op.model), torch.enable_grad():
        if op.keep_graph:
            if op._autograd_graphs is None:
                op._autograd_graphs = list(_gradient_graphs(op, create_graph=True))
            graphs = op._autograd_graphs
        else:
            graphs = _gradient_graphs(op, create_graph=True)
        for theta, grad, weight in graphs:
            if not grad.requires_grad:  # the loss is linear in θ here: this batch adds H = 0
                continue
            last = len(vs) - 1
            for i, v in enumerate(vs):
                (hv,) = torch.autograd.grad(
                    grad, theta, v, retain_graph=op.keep_graph or i < last,
                    allow_unused=True, materialize_grads=True,
                )
                total[i] += hv.detach() * weight
    return total
