"""Conv → BatchNorm → ReLU fused, max-pooling by maxima: the same function in fewer passes,
for the per-point CPU loop.

In eval mode a ``BatchNorm2d`` after a ``Conv2d`` is an affine map per channel, so it folds
into the convolution's weights (``w · s``, ``(b − μ) · s + β`` with ``s = γ / √(σ² + ε)``), and
a ReLU after it runs as a post-op inside oneDNN's convolution
(``torch.ops.mkldnn._convolution_pointwise``, the kernel ``torch.compile`` itself emits on the
CPU). Each removed op was a full pass over a layer's activations: on the small CNN of
``benchmarks/grid_eval.py`` one point spent ~20 % of its time in ReLU and batch norm. A
non-overlapping max-pooling becomes elementwise maxima of strided views (the same values; the
CPU ``max_pool2d`` also writes int64 argmax indices nobody reads).

The fold is recomputed at every call from the parameters ``functional_call`` hands in (the
perturbed θ + Σ αᵢ δᵢ), so it is exact up to float rounding; ``sample.py`` uses the fused model
only after it reproduced the centre's loss. Applies where ``torch.fx`` can trace the model and
the pattern is unambiguous: ``nn.Conv2d`` (zero padding, numeric padding) whose output only
feeds an eval-mode ``nn.BatchNorm2d`` with running statistics and/or a ReLU, max-pooling with
stride = kernel, no padding, dilation, ceil mode or indices, and no hooks on the modules
involved (a hook would no longer run). Anything else is left as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import fx, nn
from torch.fx.operator_schemas import normalize_function
from torch.nn.modules import module as _module_globals

from .head import _has_hooks

_RELU_FUNCTIONS = (torch.relu, torch.relu_, F.relu, F.relu_)


# an eval-mode batch norm's (γ, β, running mean μ, running variance σ², ε); γ/β None without
# affine parameters
BatchNormArgs = tuple[torch.Tensor | None, torch.Tensor | None, torch.Tensor, torch.Tensor, float]


def fold_batch_norm(
    weight: torch.Tensor, bias: torch.Tensor | None, bn: BatchNormArgs | None
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The weight and bias of ``bn ∘ conv`` for an eval-mode batch norm (unchanged without
    one): ``w · s`` and ``(b − μ) · s + β`` with ``s = γ / √(σ² + ε)``."""
    if bn is None:
        return weight, bias
    bn_weight, bn_bias, running_mean, running_var, eps = bn
    scale = torch.rsqrt(running_var + eps)
    if bn_weight is not None:
        scale = scale * bn_weight
    shift = -running_mean * scale if bias is None else (bias - running_mean) * scale
    weight = weight * scale.reshape(-1, *([1] * (weight.dim() - 1)))
    return weight, shift if bn_bias is None else shift + bn_bias


def onednn_eligible(x: torch.Tensor, weight: torch.Tensor) -> bool:
    """Whether oneDNN's fused kernels (``torch.ops.mkldnn``) take these tensors: float32 on
    the CPU, no autograd (they have no backward)."""
    return (
        x.device.type == "cpu"
        and x.dtype == torch.float32
        and weight.dtype == torch.float32
        and not (torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad))
    )


def conv_bn_relu(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    bn: BatchNormArgs | None,
    stride: tuple[int, ...],
    padding: tuple[int, ...],
    dilation: tuple[int, ...],
    groups: int,
    relu: bool,
) -> torch.Tensor:
    """``relu(bn(conv2d(x)))`` with an eval-mode batch norm folded into the convolution (no
    batch norm when ``bn`` is None; no ReLU when ``relu`` is False).

    Example:
        >>> conv, bn = nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3).eval()
        >>> x = torch.randn(4, 2, 8, 8)
        >>> y = conv_bn_relu(x, conv.weight, conv.bias,
        ...                  (bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.eps),
        ...                  (1, 1), (0, 0), (1, 1), 1, True)
        >>> torch.allclose(y, torch.relu(bn(conv(x))), atol=1e-6)
        True
    """
    weight, bias = fold_batch_norm(weight, bias, bn)
    if relu and onednn_eligible(x, weight):
        return torch.ops.mkldnn._convolution_pointwise(
            x, weight, bias, list(padding), list(stride), list(dilation), groups, "relu", [], ""
        )
    y = F.conv2d(x, weight, bias, stride, padding, dilation, groups)
    return torch.relu_(y) if relu else y


def max_pool_by_maxima(x: torch.Tensor, kernel: tuple[int, int]) -> torch.Tensor:
    """``max_pool2d(x, kernel)`` (stride = kernel, no padding, floor mode) as elementwise
    maxima of the ``kh · kw`` strided views: the same values (NaN propagates, as in
    ``max_pool2d``), without the int64 argmax indices the CPU kernel writes even when no
    gradient is wanted. In the loop of the benchmark CNN: 1.1-1.15x per point.

    Example:
        >>> x = torch.randn(2, 3, 7, 6)
        >>> torch.equal(max_pool_by_maxima(x, (2, 2)), F.max_pool2d(x, 2))
        True
    """
    kh, kw = kernel
    h, w = x.shape[-2] // kh * kh, x.shape[-1] // kw * kw
    views = [x[..., i:h:kh, j:w:kw] for i in range(kh) for j in range(kw)]
    if len(views) == 1:
        return views[0].clone()
    out = torch.maximum(views[0], views[1])
    for view in views[2:]:
        torch.maximum(out, view, out=out)
    return out


def fused_for_inference(model: nn.Module) -> fx.GraphModule | None:
    """A traced copy of ``model`` (same parameter and buffer names, shared tensors) with every
    eligible conv → batch norm → ReLU chain replaced by :func:`conv_bn_relu` and every
    non-overlapping max-pooling by :func:`max_pool_by_maxima`, or ``None`` when there is
    nothing to replace, tracing fails, or oneDNN is missing. Call it in eval mode.

    Example:
        >>> net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU()).eval()
        >>> fused = fused_for_inference(net)
        >>> [n.op for n in fused.graph.nodes if n.op != "get_attr"]
        ['placeholder', 'call_function', 'output']
        >>> x = torch.randn(2, 1, 6, 6)
        >>> torch.allclose(fused(x), net(x), atol=1e-6)
        True
    """
    if not torch.backends.mkldnn.is_available():
        return None
    # only convolutional models have anything to gain: spare the others the trace
    if not any(isinstance(m, (nn.Conv2d, nn.MaxPool2d)) for m in model.modules()):
        return None
    if _module_globals._global_forward_hooks or _module_globals._global_forward_pre_hooks:
        return None
    try:
        traced = fx.symbolic_trace(model)
    except Exception:  # data-dependent control flow, unsupported ops...: nothing to gain
        return None
    modules: dict[str, nn.Module] = dict(traced.named_modules())
    fused_any = False
    for node in list(traced.graph.nodes):
        conv = _called(node, modules, nn.Conv2d)
        if conv is None or not _plain_conv(conv) or len(node.args) != 1 or node.kwargs:
            continue
        last, bn_name, relu = node, None, False
        after = _only_user(last)
        bn = _called(after, modules, nn.BatchNorm2d)
        if after is not None and bn is not None and _foldable(bn, conv) and len(after.args) == 1:
            last, bn_name = after, after.target
            after = _only_user(last)
        if after is not None and _is_relu(after, modules):
            last, relu = after, True
        if bn_name is None and not relu:
            continue
        _replace(traced, node, last, bn_name, relu)
        fused_any = True
    fused_any = _replace_max_pools(traced, modules) or fused_any
    if not fused_any:
        return None
    traced.graph.eliminate_dead_code()
    traced.recompile()
    return traced


def _called(node: fx.Node | None, modules: Mapping[str, nn.Module], kind: type) -> Any:
    if node is None or node.op != "call_module":
        return None
    module = modules.get(str(node.target))
    if module is None or type(module) is not kind or _has_hooks(module):
        return None
    return module


def _only_user(node: fx.Node) -> fx.Node | None:
    return next(iter(node.users)) if len(node.users) == 1 else None


def _plain_conv(conv: nn.Conv2d) -> bool:
    return (
        conv.padding_mode == "zeros"
        and not isinstance(conv.padding, str)
        and not torch.nn.utils.parametrize.is_parametrized(conv)
        and set(dict(conv.named_parameters(recurse=False))) <= {"weight", "bias"}
    )


def _foldable(bn: nn.BatchNorm2d, conv: nn.Conv2d) -> bool:
    # eval mode with running statistics: then batch norm is a fixed affine map per channel
    return (
        not bn.training
        and bn.track_running_stats
        and bn.running_mean is not None
        and bn.running_var is not None
        and bn.num_features == conv.out_channels
        and not torch.nn.utils.parametrize.is_parametrized(bn)
    )


def _is_relu(node: fx.Node, modules: Mapping[str, nn.Module]) -> bool:
    if node.op == "call_module":
        module = modules.get(str(node.target))
        return type(module) is nn.ReLU and not _has_hooks(module)
    if node.op == "call_function":
        return node.target in _RELU_FUNCTIONS and len(node.args) == 1
    return node.op == "call_method" and node.target in ("relu", "relu_") and len(node.args) == 1


def _replace(
    traced: fx.GraphModule, conv_node: fx.Node, last: fx.Node, bn_name: Any, relu: bool
) -> None:
    """Put one ``conv_bn_relu`` call where ``last`` was; its parameters are read by name
    (``get_attr``), so ``functional_call`` substitutions reach them."""
    conv = cast(nn.Conv2d, traced.get_submodule(str(conv_node.target)))
    graph = traced.graph
    with graph.inserting_before(last):

        def attr(owner: Any, local: str) -> fx.Node | None:
            if owner is None or getattr(traced.get_submodule(str(owner)), local) is None:
                return None
            return graph.get_attr(f"{owner}.{local}")

        bn = None
        if bn_name is not None:
            eps = float(cast(nn.BatchNorm2d, traced.get_submodule(str(bn_name))).eps)
            bn = (*(attr(bn_name, n) for n in ("weight", "bias", "running_mean", "running_var")),
                  eps)
        fused = graph.call_function(
            conv_bn_relu,
            (
                conv_node.args[0],
                attr(conv_node.target, "weight"),
                attr(conv_node.target, "bias"),
                bn,
                tuple(conv.stride),
                tuple(conv.padding),
                tuple(conv.dilation),
                conv.groups,
                relu,
            ),
        )
    last.replace_all_uses_with(fused)


class FusedModel:
    """The fused copy of a model, and its input-columns variant where one applies
    (``columns.py``), each called with the model's parameter and buffer names (a traced copy
    lacks the modules its forward never calls, so each gets only its own names)."""

    def __init__(self, fused: fx.GraphModule) -> None:
        from .columns import with_input_columns

        self.fused = fused
        self.names = _state_names(fused)
        found = with_input_columns(fused)
        self.columns_model, self.columns_stage = found if found is not None else (None, None)
        self.columns_names = _state_names(self.columns_model)

    @classmethod
    def of(cls, model: nn.Module) -> FusedModel | None:
        """The fused model of ``model`` (in eval mode), or ``None`` when nothing fuses."""
        fused = fused_for_inference(model)
        return None if fused is None else cls(fused)

    def __call__(
        self,
        params: dict[str, torch.Tensor],
        shared: dict[str, torch.Tensor],
        args: tuple[Any, ...],
        columns: bool = False,
    ) -> Any:
        module, own = (
            (self.columns_model, self.columns_names) if columns else (self.fused, self.names)
        )
        assert module is not None
        return torch.func.functional_call(
            module,
            ({n: t for n, t in params.items() if n in own},
             {n: t for n, t in shared.items() if n in own}),
            args,
        )


def _state_names(module: nn.Module | None) -> frozenset[str]:
    if module is None:
        return frozenset()
    return frozenset(n for n, _ in module.named_parameters(remove_duplicate=False)) | frozenset(
        n for n, _ in module.named_buffers(remove_duplicate=False)
    )


def _replace_max_pools(traced: fx.GraphModule, modules: Mapping[str, nn.Module]) -> bool:
    """Swap each non-overlapping 2-D max-pooling (``nn.MaxPool2d`` or ``F.max_pool2d``;
    stride = kernel, no padding or dilation, floor mode, no indices) for the maxima."""
    replaced = False
    for node in list(traced.graph.nodes):
        if node.op == "call_module":
            pool = modules.get(str(node.target))
            if type(pool) is not nn.MaxPool2d or _has_hooks(pool) or len(node.args) != 1:
                continue
            x = node.args[0]
            settings = {n: getattr(pool, n) for n in
                        ("kernel_size", "stride", "padding", "dilation", "ceil_mode",
                         "return_indices")}
        elif node.op == "call_function" and node.target is F.max_pool2d:
            found = normalize_function(F.max_pool2d, node.args, node.kwargs,
                                       normalize_to_only_use_kwargs=True)
            if found is None:
                continue
            settings = dict(found.kwargs)
            x = settings.pop("input")
        else:
            continue
        kernel = _pair(settings["kernel_size"])
        stride = kernel if settings["stride"] in (None, []) else _pair(settings["stride"])
        if (
            kernel is None
            or stride != kernel
            or _pair(settings["padding"]) != (0, 0)
            or _pair(settings["dilation"]) != (1, 1)
            or settings["ceil_mode"]
            or settings["return_indices"]
        ):
            continue
        with traced.graph.inserting_before(node):
            maxima = traced.graph.call_function(max_pool_by_maxima, (x, kernel))
        node.replace_all_uses_with(maxima)
        traced.graph.erase_node(node)
        replaced = True
    return replaced


def _pair(value: Any) -> tuple[int, int] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(v, int) for v in value
    ):
        return (int(value[0]), int(value[1]))
    return None
