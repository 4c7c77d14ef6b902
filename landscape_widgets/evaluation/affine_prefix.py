"""The affine prefix of a captured graph, computed once: the exact affine-head shortcut
(``head.py``) generalised to any loss closure.

At a grid point the parameters are ``θ + Σ αᵢ δᵢ``. A value computed from the parameters and
constants by ops that are affine in them -- a product with a constant (``mm(x, w.t())`` on the
data, a graph convolution's constant sparse matrix), an embedding lookup, a view, a sum, a
product with a number -- is therefore itself ``v₀ + Σ αᵢ vᵢ``: ``v₀`` its value at ``θ`` and
``vᵢ`` its linear part in direction ``δᵢ`` (the op on ``δᵢ`` with additive constants dropped).
:func:`fold_affine_prefix` finds the largest such values that a non-affine op reads (a ReLU's
input, a layer norm's) and replaces each by ``combine(α, [v₀, v₁, ...])``: one pass over ``dims
+ 1`` stored tensors instead of the products. On the GCN of ``benchmarks/grid_eval.py`` this
is the first convolution (a GEMM and a sparse product per point). Only values computed by a
matrix product are replaced (a view of a parameter or an embedding lookup would cost as much
to combine as to compute), and only while the stored bases fit in ``max_bytes``. Exact up to
float rounding; the rewritten graph is checked against the plain forward like any captured
graph (``capture.CapturedGraphs.of``).

The rewritten graph takes one more input, the point's coordinates ``α``, after the parameters.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import torch
import torch.fx
from torch.fx.node import map_arg

aten = torch.ops.aten

# ops that move or select values, linear in their first argument: applied to the linear part
_STRUCTURAL = {
    aten.view.default, aten._unsafe_view.default, aten.reshape.default, aten.t.default,
    aten.transpose.int, aten.permute.default, aten.expand.default, aten.squeeze.dim,
    aten.squeeze.default, aten.unsqueeze.default, aten.alias.default, aten.select.int,
    aten.slice.Tensor, aten.clone.default, aten.split.Tensor, aten.split_with_sizes.default,
    aten.neg.default, aten.sum.dim_IntList, operator.getitem,
}
# products linear in one tensor argument (at this position) when the others are constant
_PRODUCTS = {
    aten.mm.default: (0, 1), aten.bmm.default: (0, 1), aten.matmul.default: (0, 1),
    torch.sparse.mm: (1,), aten.embedding.default: (0,), aten.index_select.default: (0,),
}
# what makes a value worth storing as a basis: a matrix product's arithmetic per element (a
# gather such as an embedding lookup costs about as much as combining dims + 1 bases)
_MATMULS = {aten.mm.default, aten.bmm.default, aten.matmul.default, torch.sparse.mm,
            aten.addmm.default}


def combine(alphas: torch.Tensor, basis: torch.Tensor) -> torch.Tensor:
    """``basis[0] + Σᵢ alphas[i] · basis[i + 1]`` in one pass (a ``(1, dims + 1)`` product).

    Example:
        >>> combine(torch.tensor([2.0]), torch.tensor([[1.0, 1.0], [0.5, -1.0]]))
        tensor([ 2., -1.])
    """
    # (one addmm: 25-40 % less than a tensordot of [1, α] on a GCN layer's (3, 2200, 64) bases)
    flat = basis.view(basis.shape[0], -1)
    return torch.addmm(flat[:1], alphas.view(1, -1), flat[1:]).view(basis.shape[1:])


class _Affine:
    """Which nodes are affine in the parameters, and which of those did a product."""

    def __init__(self, gm: torch.fx.GraphModule, n_params: int) -> None:
        self.affine: set[torch.fx.Node] = set()
        self.costly: set[torch.fx.Node] = set()  # affine and computed by a product
        placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
        self.affine.update(placeholders[:n_params])
        for node in gm.graph.nodes:
            if node.op == "call_function" and self._is_affine(node):
                self.affine.add(node)
                if node.target in _MATMULS or any(
                        n in self.costly for n in node.all_input_nodes):
                    self.costly.add(node)

    def _is_affine(self, node: torch.fx.Node) -> bool:
        inputs = node.all_input_nodes
        # every tensor input affine or a constant (a stored tensor)
        if any(n not in self.affine and n.op != "get_attr" for n in inputs):
            return False
        # the argument positions holding an affine value (x * x: two, not affine)
        moving = [k for k, a in enumerate(node.args)
                  if isinstance(a, torch.fx.Node) and a in self.affine]
        if not moving or any(isinstance(v, torch.fx.Node) and v in self.affine
                             for v in node.kwargs.values()):
            return False
        target = node.target
        if target in _STRUCTURAL:
            return moving == [0]
        if target in _PRODUCTS:
            return len(moving) == 1 and moving[0] in _PRODUCTS[target]
        if target == aten.mul.Tensor:
            return len(moving) == 1
        if target == aten.div.Tensor:  # (over a constant)
            return moving == [0]
        if target in (aten.add.Tensor, aten.sub.Tensor):
            return True
        if target == aten.addmm.default:  # bias + m1 @ m2: at most one of m1, m2 moving
            return moving in ([0], [1], [2], [0, 1], [0, 2])
        return False


def _linear(node: torch.fx.Node, env: dict[torch.fx.Node, Any], lin: dict[torch.fx.Node, Any],
            shape: Sequence[int]) -> Any:
    """The linear part of ``node`` (its op on the inputs' linear parts, constants kept as
    factors and dropped as addends), from the inputs' values ``env`` and linear parts ``lin``
    (None: a constant)."""
    def part(arg: Any) -> Any:
        return lin.get(arg) if isinstance(arg, torch.fx.Node) else None

    target = node.target
    args: Any = node.args
    kwargs: Any = node.kwargs
    if target in (aten.add.Tensor, aten.sub.Tensor, aten.addmm.default):
        if target == aten.addmm.default:
            bias, m1, m2 = args[:3]
            beta, alpha = kwargs.get("beta", 1), kwargs.get("alpha", 1)
            first = part(bias)
            moving = part(m1) is not None or part(m2) is not None
            second = torch.mm(part(m1) if part(m1) is not None else env[m1],
                              part(m2) if part(m2) is not None else env[m2]) if moving else None
            first = None if first is None else beta * first
        else:
            alpha = kwargs.get("alpha", 1) * (1 if target == aten.add.Tensor else -1)
            first, second = part(args[0]), part(args[1])
        total: Any = first if second is None else (
            alpha * second if first is None else first + alpha * second)
        return total.expand(shape)
    values = map_arg((args, kwargs), lambda n: lin[n] if lin.get(n) is not None else env[n])
    call_args, call_kwargs = values
    return target(*call_args, **call_kwargs)  # pyright: ignore[reportCallIssue]


def fold_affine_prefix(gm: torch.fx.GraphModule, base: Sequence[torch.Tensor],
                       directions: Sequence[torch.Tensor], max_bytes: int) -> tuple[int, ...]:
    """Rewrite ``gm`` (its inputs: the parameters, in the order of ``base``) in place as the
    module docstring says and add the input ``alphas`` (shape ``(dims,)``) after them;
    ``directions[k]`` is ``(dims, *base[k].shape)``. Returns the bytes of each stored basis,
    one per replaced value (their sum never exceeds ``max_bytes``)."""
    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != len(base):
        raise ValueError(f"base: expected one tensor per graph input ({len(placeholders)}), "
                         f"got {len(base)}")
    with gm.graph.inserting_after(placeholders[-1]):
        alphas = gm.graph.placeholder("alphas")
    found = _Affine(gm, len(base))
    frontier = [n for n in gm.graph.nodes if n in found.costly
                and any(u not in found.affine for u in n.users)]
    if not frontier:
        gm.recompile()
        return ()
    dims = directions[0].shape[0] if directions else 0
    env: dict[torch.fx.Node, Any] = dict(zip(placeholders, base, strict=True))
    lins: list[dict[torch.fx.Node, Any]] = [
        dict(zip(placeholders, (d[i] for d in directions), strict=True)) for i in range(dims)]
    with torch.no_grad():
        for node in gm.graph.nodes:
            if node.op == "get_attr":
                env[node] = getattr(gm, str(node.target))
            elif node in found.affine and node.op == "call_function":
                call_args, call_kwargs = map_arg((node.args, node.kwargs), lambda n: env[n])
                env[node] = node.target(*call_args, **call_kwargs)  # pyright: ignore
                shape = getattr(env[node], "shape", ())
                for lin in lins:
                    lin[node] = _linear(node, env, lin, shape)
    sizes: list[int] = []
    for node in frontier:
        value = env[node]
        if not isinstance(value, torch.Tensor):
            continue
        basis = torch.stack([value] + [lin[node] for lin in lins]).contiguous()
        size = basis.numel() * basis.element_size()
        if sum(sizes) + size > max_bytes:
            continue
        name = f"affine_{len(sizes)}"
        sizes.append(size)
        gm.register_buffer(name, basis, persistent=False)
        with gm.graph.inserting_before(node):
            value_node = gm.graph.call_function(combine, (alphas, gm.graph.get_attr(name)))
        value_node.meta.update(node.meta)
        for user in [u for u in node.users if u not in found.affine]:
            user.replace_input_with(node, value_node)
    gm.graph.eliminate_dead_code()
    gm.recompile()
    return tuple(sizes)
