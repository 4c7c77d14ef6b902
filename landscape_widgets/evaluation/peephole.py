"""Peephole rewrites of a captured aten graph (``capture.py``): fewer passes over memory per
grid point, the same values up to float rounding.

A captured graph is replayed at every grid point, so whatever it recomputes that does not
change, or computes in more kernels than needed, is paid hundreds of times:

* :func:`fold_constants`: nodes that do not depend on the parameters' *values* are computed
  once and kept as constants. The recorder taints every op with a parameter-derived input,
  including factories that only read its shape and dtype (``new_zeros(h, [n])``, ``ones_like``):
  PyTorch Geometric's mean pooling counts the nodes per graph that way at every point.
* :func:`fuse_tanh_gelu`: the tanh-approximate GELU written out as eight elementwise ops
  (Hugging Face's ``gelu_new``/``NewGELUActivation``: ``0.5 * x * (1 + tanh(c * (x + k *
  x**3)))``) becomes one function of three passes, ``x * sigmoid(2 * c * (x + k * x**3))``:
  the same function, as ``(1 + tanh(u)) / 2 = sigmoid(2u)``. Measured on the GPT-2 of
  ``benchmarks/grid_eval.py`` (a ``(128, 12, 256)`` float32 activation, 1 thread, AVX2):
  0.62 ms against 2.44 ms written out and 1.45 ms for ``aten.gelu(approximate="tanh")``,
  whose vectorised ``tanh`` is the slow part. Matched on the graph's ops and constants
  (``0.5``, ``1``, the exponent 3), never on a model's name; ``c`` and ``k`` are taken from the
  graph, so other coefficients stay what they were.

Every rewritten graph is still checked against the plain forward at the centre and off it
before it may race (``capture.CapturedGraphs.of``).
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.fx
from torch.fx.node import map_arg

aten = torch.ops.aten

# ops whose result depends on their tensor input's shape, dtype and device only
_VALUE_FREE = {aten.new_zeros.default, aten.new_ones.default, aten.new_full.default,
               aten.zeros_like.default, aten.ones_like.default, aten.full_like.default}
# the GELU rewrite keeps float32/float64 exact to rounding; half precision is left alone
_GELU_DTYPES = {torch.float32, torch.float64}
_MAX_DEPTH = 8  # (how deep a product or polynomial is followed up the graph)


def _inputs(node: torch.fx.Node) -> list[torch.fx.Node]:
    return list(node.all_input_nodes)


def _written(node: torch.fx.Node) -> list[torch.fx.Node]:
    """The input nodes an in-place or out= op writes to."""
    schema = getattr(node.target, "_schema", None)
    if schema is None or not schema.is_mutable:
        return []
    out = []
    for k, arg in enumerate(schema.arguments):
        value = node.args[k] if k < len(node.args) else node.kwargs.get(arg.name)
        info = arg.alias_info
        if info is not None and info.is_write and isinstance(value, torch.fx.Node):
            out.append(value)
    return out


def _aliased(node: torch.fx.Node) -> list[torch.fx.Node]:
    """The inputs whose storage ``node``'s result may share (views and in-place ops)."""
    schema = getattr(node.target, "_schema", None)
    if schema is None:  # (getitem of a tuple: the tuple's)
        return _inputs(node) if node.op == "call_function" else []
    out = []
    for k, arg in enumerate(schema.arguments):
        value = node.args[k] if k < len(node.args) else node.kwargs.get(arg.name)
        if arg.alias_info is not None and isinstance(value, torch.fx.Node):
            out.append(value)
    return out


def _like(node: torch.fx.Node) -> torch.Tensor:
    """A stand-in for a parameter-derived input of a value-free op: its shape, dtype, device."""
    meta = node.meta
    if "shape" not in meta or "dtype" not in meta:
        raise KeyError(f"{node} has no recorded shape and dtype")
    return torch.empty(meta["shape"], dtype=meta["dtype"], device=meta.get("device", "cpu"))


def _foldable(gm: torch.fx.GraphModule, blocked: set[torch.fx.Node]) -> set[torch.fx.Node]:
    folded: set[torch.fx.Node] = set()
    for node in gm.graph.nodes:
        if node in blocked:
            continue
        if node.op == "get_attr":
            folded.add(node)
        elif node.op == "call_function" and ((node.target in _VALUE_FREE and all(
                n in folded or "shape" in n.meta for n in _inputs(node))) or (
                _inputs(node) and all(n in folded for n in _inputs(node)))):
            folded.add(node)
    return folded


def fold_constants(gm: torch.fx.GraphModule, recompile: bool = True) -> int:
    """Compute once, in place, every node of ``gm`` that does not depend on the parameters'
    values (see the module docstring); returns how many nodes were folded. A value that a
    remaining op writes to in place (and anything it is a view of) is never folded: it must be
    fresh at every replay. ``recompile=False``: only the graph changes (see :func:`rewrite`)."""
    blocked: set[torch.fx.Node] = set()
    while True:
        folded = _foldable(gm, blocked)
        grow = set()
        for node in gm.graph.nodes:
            if node.op == "call_function" and node not in folded:
                stack = [n for n in _written(node) if n in folded]
                while stack:
                    n = stack.pop()
                    if n not in blocked and n not in grow:
                        grow.add(n)
                        stack += _aliased(n)
        if not grow:
            break
        blocked |= grow
    compute = [n for n in gm.graph.nodes if n in folded and n.op == "call_function"]
    if not compute:
        return 0
    env: dict[torch.fx.Node, Any] = {}
    with torch.no_grad():
        for node in gm.graph.nodes:
            if node not in folded:
                continue
            if node.op == "get_attr":
                env[node] = getattr(gm, str(node.target))
            else:
                args, kwargs = map_arg((node.args, node.kwargs),
                                       lambda n: env[n] if n in env else _like(n))
                env[node] = node.target(*args, **kwargs)
    kept = 0
    for node in compute:
        outside = [u for u in node.users if u not in folded]
        if not outside:
            continue
        value = env[node]
        if not isinstance(value, torch.Tensor):  # (a tuple whose items are used: via getitem)
            continue
        name = f"folded_{kept}"
        kept += 1
        gm.register_buffer(name, value, persistent=False)  # (an expanded view stays one)
        with gm.graph.inserting_before(node):
            constant = gm.graph.get_attr(name)
        constant.meta.update(node.meta)
        for user in outside:
            user.replace_input_with(node, constant)
    for node in reversed(compute):  # (in-place ops are impure: dead-code elimination keeps them)
        if not node.users:
            gm.graph.erase_node(node)
    gm.graph.eliminate_dead_code()
    if recompile:
        gm.recompile()
    return len(compute)


# ---------------------------------------------------------------------------- tanh GELU
def gelu_tanh(x: torch.Tensor, k: float, c: float) -> torch.Tensor:
    """``0.5 * x * (1 + tanh(c * (x + k * x**3)))`` computed as ``x * sigmoid(2c * (x + k x³))``
    in three passes (``k = 0.044715``, ``c = sqrt(2 / pi)``: ``gelu(x, approximate="tanh")``).

    Example:
        >>> x = torch.linspace(-4, 4, 9, dtype=torch.float64)
        >>> c = math.sqrt(2 / math.pi)
        >>> torch.allclose(gelu_tanh(x, 0.044715, c),
        ...                torch.nn.functional.gelu(x, approximate="tanh"), atol=1e-15)
        True
    """
    u = x * x
    u.mul_(2.0 * c * k).add_(2.0 * c).mul_(x)  # 2c (x + k x³), in one buffer
    return torch.sigmoid_(u).mul_(x)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _factors(node: Any, depth: int = 0) -> list[Any]:
    """The factors of a product tree of ``aten.mul`` nodes (tensors and Python numbers)."""
    if isinstance(node, torch.fx.Node) and node.target == aten.mul.Tensor \
            and not node.kwargs and depth < _MAX_DEPTH:
        return [f for arg in node.args for f in _factors(arg, depth + 1)]
    return [node]


def _polynomial(node: Any, x: torch.fx.Node, depth: int = 0) -> dict[int, float] | None:
    """``{power: coefficient}`` when ``node`` is a polynomial in ``x`` built from sums,
    products, integer powers and Python numbers; None otherwise."""
    if _number(node):
        return {0: float(node)}
    if node is x:
        return {1: 1.0}
    if not isinstance(node, torch.fx.Node) or depth >= _MAX_DEPTH or node.kwargs:
        return None
    exponent: Any = node.args[1] if len(node.args) == 2 else None
    if node.target == aten.pow.Tensor_Scalar and _number(exponent) and exponent in (2, 3):
        base = _polynomial(node.args[0], x, depth + 1)
        if base is None or len(base) != 1:
            return None
        (power, coeff), = base.items()
        return {power * int(exponent): coeff ** int(exponent)}
    if node.target in (aten.add.Tensor, aten.mul.Tensor) and len(node.args) == 2:
        a, b = (_polynomial(arg, x, depth + 1) for arg in node.args)
        if a is None or b is None:
            return None
        out: dict[int, float] = {}
        if node.target == aten.add.Tensor:
            for term in (a, b):
                for power, coeff in term.items():
                    out[power] = out.get(power, 0.0) + coeff
        else:
            for pa, ca in a.items():
                for pb, cb in b.items():
                    out[pa + pb] = out.get(pa + pb, 0.0) + ca * cb
        return out
    return None


def _tanh_of_plus_one(node: Any) -> torch.fx.Node | None:
    """The ``tanh`` node when ``node`` is ``1 + tanh(u)`` (either order, no ``alpha``)."""
    if not isinstance(node, torch.fx.Node) or node.target != aten.add.Tensor or node.kwargs \
            or len(node.args) != 2:
        return None
    a, b = node.args
    tanh: Any = a if _number(b) and b == 1 else b if _number(a) and a == 1 else None
    ok = isinstance(tanh, torch.fx.Node) and tanh.target == aten.tanh.default
    return tanh if ok else None


def _gelu_match(node: torch.fx.Node) -> tuple[torch.fx.Node, float, float] | None:
    """``(x, k, c)`` when ``node`` is ``0.5 * x * (1 + tanh(c * (x + k * x**3)))``, its
    products in any order and grouping and the cubic written any way (``_polynomial``)."""
    if node.target != aten.mul.Tensor:
        return None
    factors = _factors(node)
    numbers = [f for f in factors if _number(f)]
    tensors = [f for f in factors if not _number(f)]
    if len(tensors) != 2 or not math.isclose(math.prod(numbers), 0.5, rel_tol=1e-12):
        return None
    for x, bracket in (tensors, tensors[::-1]):
        tanh = _tanh_of_plus_one(bracket)
        if tanh is None or not isinstance(x, torch.fx.Node) \
                or x.meta.get("dtype") not in _GELU_DTYPES:
            continue
        poly = _polynomial(tanh.args[0], x)
        if poly is None or set(poly) != {1, 3} or poly[1] == 0.0:
            continue
        return x, poly[3] / poly[1], poly[1]
    return None


def fuse_tanh_gelu(gm: torch.fx.GraphModule, recompile: bool = True) -> int:
    """Rewrite every tanh-approximate GELU written out in ``gm`` (module docstring) as one
    :func:`gelu_tanh` call, in place; returns how many were rewritten (``recompile=False``:
    only the graph changes, see :func:`rewrite`)."""
    rewritten = 0
    for node in list(gm.graph.nodes):
        found = _gelu_match(node) if node.op == "call_function" else None
        if found is None:
            continue
        x, k, c = found
        with gm.graph.inserting_before(node):
            fused = gm.graph.call_function(gelu_tanh, (x, k, c))
        fused.meta.update(node.meta)
        node.replace_all_uses_with(fused)
        rewritten += 1
    if rewritten:
        gm.graph.eliminate_dead_code()
        if recompile:
            gm.recompile()
    return rewritten


def rewrite(gm: torch.fx.GraphModule, recompile: bool = True) -> dict[str, int]:
    """All rewrites of this module on ``gm``, in place; how many of each applied.
    ``recompile=False``: only the graph changes (the caller recompiles ``gm`` once after
    all its rewrites: ~1.5-3 ms each on the GCN of ``benchmarks/grid_eval.py``)."""
    counts = {"folded": fold_constants(gm, recompile=False),
              "gelu": fuse_tanh_gelu(gm, recompile=False)}
    if recompile:
        gm.recompile()
    return counts

