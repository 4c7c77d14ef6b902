"""Gather-scale-scatter chains of a captured graph as one sparse matrix product.

Message passing (graph convolutions, pooling by a segment index) records as
``scatter_add_(zeros(n_out, f), 0, dst[:, None].expand(e, f), w * index_select(h, 0, src))``
with ``dst``, ``src`` and ``w`` constants (they come from the batch alone). That is ``S @ h``
for the constant sparse ``S[dst[k], src[k]] += w[k]``: one CSR product instead of an ``e × f``
gather, an ``e × f`` product and an ``e × f`` scatter, each a pass over memory. Only the
summation order changes; the captured graph is checked against the plain forward anyway
(``capture.CapturedGraphs.of``). Applied to graphs replayed one point at a time only (vmap has
no rule for a sparse operand).
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.fx

aten = torch.ops.aten


def _constant(gm: torch.fx.GraphModule, node: Any) -> torch.Tensor | None:
    if isinstance(node, torch.fx.Node) and node.op == "get_attr":
        value = getattr(gm, str(node.target))
        return value if isinstance(value, torch.Tensor) else None
    return None


def _rows(index: torch.Tensor) -> torch.Tensor | None:
    """``dst`` when ``index`` is ``dst[:, None]`` repeated along its columns, else None."""
    if index.dim() != 2 or index.shape[1] == 0 or index.dtype != torch.int64:
        return None
    first = index[:, 0]
    if index.stride(1) == 0:  # (an expanded view: every column is the first, no check needed)
        return first
    return first if bool((index == first[:, None]).all()) else None


def _gathered(gm: torch.fx.GraphModule, node: Any, n_edges: int
              ) -> tuple[Any, torch.Tensor, torch.Tensor | None] | None:
    """``(h, src, w)`` when ``node`` is ``w * index_select(h, 0, src)``, or ``w * h`` with
    ``src = arange(n_edges)`` (either without ``w``: ``None``)."""
    weight = None
    if isinstance(node, torch.fx.Node) and node.target == aten.mul.Tensor:
        a, b = node.args
        weight, node = (_constant(gm, a), b) if _constant(gm, a) is not None else (
            _constant(gm, b), a)
        if weight is None or weight.numel() != n_edges or weight.shape[0] != n_edges:
            return None
    if not isinstance(node, torch.fx.Node):
        return None
    if node.target != aten.index_select.default:  # scattered as it is (pooling)
        shape = node.meta.get("shape")
        if shape is None or len(shape) != 2 or shape[0] != n_edges:
            return None
        return node, torch.arange(n_edges), weight
    h, dim, index = node.args
    src = _constant(gm, index)
    shape = h.meta.get("shape") if isinstance(h, torch.fx.Node) else None
    if src is None or shape is None or len(shape) != 2 or dim not in (0, -2):
        return None
    return h, src, weight


def sparse_products(gm: torch.fx.GraphModule, recompile: bool = True) -> int:
    """Rewrite every gather-scale-scatter chain of ``gm`` (see the module docstring) in place;
    returns how many were rewritten. ``recompile=False``: only the graph changes (the caller
    recompiles once after all its rewrites)."""
    rewritten = 0
    for node in list(gm.graph.nodes):
        if node.target != aten.scatter_add_.default or len(node.args) != 4:
            continue
        buffer, dim, index, source = node.args
        if not (isinstance(buffer, torch.fx.Node) and buffer.target == aten.new_zeros.default
                and len(buffer.users) == 1 and dim == 0):
            continue
        index_value = _constant(gm, index)
        dst = None if index_value is None else _rows(index_value)
        out_shape = buffer.meta.get("shape")
        if dst is None or out_shape is None or len(out_shape) != 2:
            continue
        found = _gathered(gm, source, len(dst))
        if found is None:
            continue
        h, src, weight = found
        dtype = h.meta.get("dtype")
        if weight is not None and weight.dtype != dtype:
            continue
        values = (torch.ones(len(dst), dtype=dtype) if weight is None
                  else weight.reshape(-1).to(dtype))
        with warnings.catch_warnings():  # ("sparse CSR support is in beta")
            warnings.simplefilter("ignore", UserWarning)
            matrix = torch.sparse_coo_tensor(torch.stack([dst, src]), values,
                                             (out_shape[0], h.meta["shape"][0])).coalesce()
            matrix = matrix.to_sparse_csr()
        name = f"sparse_{rewritten}"
        gm.register_buffer(name, matrix, persistent=False)
        with gm.graph.inserting_before(node):
            product = gm.graph.call_function(torch.sparse.mm,
                                             (gm.graph.get_attr(name), h))
        product.meta.update(node.meta)  # (its shape: a later chain may gather from it)
        node.replace_all_uses_with(product)
        gm.graph.erase_node(node)
        rewritten += 1
    if rewritten:
        gm.graph.eliminate_dead_code()
        if recompile:
            gm.recompile()
    return rewritten
