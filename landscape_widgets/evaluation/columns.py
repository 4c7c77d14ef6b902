"""The first convolution as one matrix product over input columns computed once.

Every grid point feeds the same images to the first layer; only its weights change. A first
convolution with few input channels (a grayscale or RGB image) is a poor fit for oneDNN's
direct convolution -- on the small CNN of ``benchmarks/grid_eval.py`` the 1-channel conv1
took longer than the 16-channel conv2 with 6x its FLOPs. Unfolded once per batch (``im2col``,
``torch.nn.functional.unfold``: one row of ``C · kh · kw`` input values per output pixel), the
layer becomes one GEMM per point, ``columns @ Wᵀ + b``, which writes its output straight into
the channels-last layout the rest of the loop prefers, with the batch norm folded and the ReLU
as oneDNN's post-op (``fusion.py``).

It applies to the fused model of ``fusion.py`` when its single input feeds nothing but one
fused ``conv_bn_relu`` with ``groups == 1``; ``point_inputs.py`` keeps the columns while the data
is cached and the race (``race.py``) times this input stage against the others.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import fx

from . import fusion


@dataclass(frozen=True)
class InputColumns:
    """The unfold of the first convolution: ``prepare`` turns a ``(n, C, H, W)`` batch into
    its ``(n, H_out, W_out, C · kh · kw)`` columns; with ``pool`` (a non-overlapping max-pool
    right after the layer) into ``(n, ph · pw, H_out // ph, W_out // pw, C · kh · kw)``: one
    group of output pixels per offset in the pooling window, rows the pool drops left out.

    Example:
        >>> stage = InputColumns(kernel_size=(3, 3), stride=(1, 1), padding=(0, 0),
        ...                      dilation=(1, 1))
        >>> stage.prepare(torch.zeros(2, 1, 5, 6)).shape
        torch.Size([2, 3, 4, 9])
        >>> InputColumns((3, 3), (1, 1), (0, 0), (1, 1), pool=(2, 2)).prepare(
        ...     torch.zeros(2, 1, 7, 6)).shape
        torch.Size([2, 4, 2, 2, 9])
    """

    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    pool: tuple[int, int] | None = None

    def prepare(self, x: torch.Tensor) -> torch.Tensor:
        n, _c, h, w = x.shape
        out_h, out_w = (
            (size + 2 * pad - dil * (k - 1) - 1) // step + 1
            for size, k, step, pad, dil in zip(
                (h, w), self.kernel_size, self.stride, self.padding, self.dilation, strict=True
            )
        )
        cols = F.unfold(x, self.kernel_size, self.dilation, self.padding, self.stride)
        cols = cols.transpose(1, 2).reshape(n, out_h, out_w, -1)
        if self.pool is None:
            return cols.contiguous()
        ph, pw = self.pool
        h2, w2 = out_h // ph, out_w // pw
        cols = cols[:, : h2 * ph, : w2 * pw].reshape(n, h2, ph, w2, pw, -1)
        return cols.permute(0, 2, 4, 1, 3, 5).reshape(n, ph * pw, h2, w2, -1).contiguous()


def columns_bn_relu(
    columns: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    bn: fusion.BatchNormArgs | None,
    relu: bool,
) -> torch.Tensor:
    """``relu(bn(conv2d(x)))`` from ``x``'s columns: one GEMM, output channels-last; from
    window-grouped columns (``InputColumns.pool``) followed by the max-pool, as maxima over
    the groups (contiguous blocks, unlike the pool's strided reads; exact, as a ReLU commutes
    with a maximum): 1.3-1.6x faster than the GEMM then ``max_pool_by_maxima``.

    Example:
        >>> conv = torch.nn.Conv2d(1, 4, 3)
        >>> x = torch.randn(2, 1, 6, 6)
        >>> stage = InputColumns((3, 3), (1, 1), (0, 0), (1, 1))
        >>> y = columns_bn_relu(stage.prepare(x), conv.weight, conv.bias, None, True)
        >>> torch.allclose(y, torch.relu(conv(x)), atol=1e-6)
        True
    """
    weight, bias = fusion.fold_batch_norm(weight, bias, bn)
    *lead, h, w, k = columns.shape
    flat = columns.reshape(-1, k)
    matrix = weight.reshape(weight.shape[0], k)
    if relu and fusion.onednn_eligible(flat, matrix):
        # oneDNN's inner product with the ReLU as a post-op: one pass over the output
        # (addmm first copies the bias into it, then relu_ reads it again: 1.4x slower)
        out = torch.ops.mkldnn._linear_pointwise(flat, matrix, bias, "relu", [], "")
    else:
        out = F.linear(flat, matrix, bias)
        if relu:
            out.relu_()
    out = out.view(*lead, h, w, -1)
    if len(lead) == 2:  # (n, window offsets, h, w, C): the max-pool, group by group
        groups = list(out.unbind(1))
        pooled = torch.maximum(groups[0], groups[1]) if len(groups) > 1 else groups[0].clone()
        for group in groups[2:]:
            torch.maximum(pooled, group, out=pooled)
        out = pooled
    return out.permute(0, 3, 1, 2)


def with_input_columns(fused: fx.GraphModule) -> tuple[fx.GraphModule, InputColumns] | None:
    """A copy of ``fused`` (from ``fusion.fused_for_inference``) that takes the columns of its
    input instead of the input (and computes a max-pool that alone follows the first layer
    with it), with the stage that makes them; ``None`` when the input does not feed exactly
    one fused, ungrouped convolution."""
    graph = copy.deepcopy(fused.graph)
    inputs = [n for n in graph.nodes if n.op == "placeholder"]
    if len(inputs) != 1 or len(inputs[0].users) != 1:
        return None
    first = next(iter(inputs[0].users))
    if first.target is not fusion.conv_bn_relu or first.args[0] is not inputs[0]:
        return None
    x, weight, bias, bn, stride, padding, dilation, groups, relu = first.args
    if groups != 1 or weight is None:
        return None
    kernel = tuple(fused.get_parameter(str(weight.target)).shape[2:])
    if len(kernel) != 2:
        return None
    # a max-pool that alone reads the layer's output is absorbed (window-grouped columns)
    pool = next(iter(first.users)) if len(first.users) == 1 else None
    if pool is None or pool.target is not fusion.max_pool_by_maxima or pool.args[0] is not first:
        pool = None
    last = first if pool is None else pool
    with graph.inserting_before(last):
        node = graph.call_function(
            columns_bn_relu, (x, weight, bias, bn, relu)
        )
    last.replace_all_uses_with(node)
    if pool is not None:
        graph.erase_node(pool)
    graph.erase_node(first)
    module = fx.GraphModule(fused, graph)
    stage = InputColumns(kernel, tuple(stride), tuple(padding), tuple(dilation),
                         None if pool is None else tuple(pool.args[1]))
    return module, stage
