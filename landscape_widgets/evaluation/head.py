"""Exact shortcut for the first layer: it is affine in its parameters and sees the same input at
every grid point.

For an ``nn.Linear`` / ``nn.ConvNd`` layer ``L(x; W, b)`` fed the raw input ``x``,

    L(x; W₀ + Σ αᵢ δWᵢ, b₀ + Σ αᵢ δbᵢ) = L(x; W₀, b₀) + Σ αᵢ L(x; δWᵢ, δbᵢ),

so its output at *every* grid point is a linear combination of ``dims + 1`` outputs computed
once per batch, instead of one full layer per point. In an MLP on images the first layer holds
most of the FLOPs (784 × 128 of a 784-128-10 net), so this is where the grid time goes.

Used only where the identity provably holds: an exact ``nn.Sequential`` whose leading modules
are parameter-free reshapes (``Flatten``, ``Unflatten``, ``Identity``) followed by an exact
``Linear``/``Conv1d/2d/3d`` with only ``weight``/``bias`` parameters, no parametrization, no
buffers and no hooks (a hook could see or change the output), fed a single input tensor.
Anything else takes the general path.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.modules import module as _module_globals

_AFFINE = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
_RESHAPES = (nn.Flatten, nn.Unflatten, nn.Identity)
HEAD_MIN_FAN_IN_PER_TERM = 16


@dataclass(frozen=True, eq=False)
class AffineHead:
    """The split ``model = rest ∘ layer ∘ prefix`` of an eligible ``nn.Sequential``.

    Example:
        >>> net = nn.Sequential(nn.Flatten(), nn.Linear(64, 4), nn.ReLU(), nn.Linear(4, 1))
        >>> head = find_affine_head(net, dims=2)
        >>> head.layer_name, list(head.rest._modules)
        ('1', ['2', '3'])
    """

    prefix: nn.Sequential
    layer: nn.Module
    layer_name: str
    rest: nn.Sequential

    def owns(self, name: str) -> bool:
        """Whether a parameter/buffer name of the whole model belongs to the head layer."""
        return name.startswith(self.layer_name + ".")

    def basis(
        self,
        x: torch.Tensor,
        base: dict[str, torch.Tensor],
        stacked: dict[str, torch.Tensor],
        frozen: dict[str, torch.Tensor],
    ) -> torch.Tensor:
        """``(dims + 1, *layer_output)``: the layer at θ, then at each direction (no constant).

        ``base``/``stacked`` hold the trainable parameters (θ and the ``(dims, *shape)``
        directions), ``frozen`` the non-trainable ones, all keyed by the model's names.
        """
        z = self.prefix(x)
        centre: dict[str, torch.Tensor] = {}
        for local in ("weight", "bias"):
            full = f"{self.layer_name}.{local}"
            if full in base:
                centre[local] = base[full]
            elif full in frozen:
                centre[local] = frozen[full]
        outputs = [torch.func.functional_call(self.layer, centre, (z,))]
        dims = next(iter(stacked.values())).shape[0]
        for i in range(dims):
            # A frozen weight/bias does not move: its direction is zero; a missing bias stays
            # absent (bias=None in the layer), so the direction's output has no constant term.
            direction = {
                local: stacked[full][i] if full in stacked else torch.zeros_like(centre[local])
                for local in centre
                for full in [f"{self.layer_name}.{local}"]
            }
            outputs.append(torch.func.functional_call(self.layer, direction, (z,)))
        return torch.stack(outputs)


def _has_hooks(module: nn.Module) -> bool:
    return bool(
        module._forward_hooks
        or module._forward_pre_hooks
        or getattr(module, "_forward_hooks_with_kwargs", None)
    )


def find_affine_head(model: nn.Module, dims: int) -> AffineHead | None:
    """The head split of ``model`` when the shortcut is exact and saves work, else ``None``."""
    if type(model) is not nn.Sequential or _has_hooks(model):
        return None
    if _module_globals._global_forward_hooks or _module_globals._global_forward_pre_hooks:
        return None
    items = list(model._modules.items())
    start = 0
    while start < len(items) and type(items[start][1]) in _RESHAPES:
        if _has_hooks(items[start][1]):
            return None
        start += 1
    if start == len(items):
        return None
    name, layer = items[start]
    if type(layer) not in _AFFINE or _has_hooks(layer) or next(layer.children(), None) is not None:
        return None
    own = dict(layer.named_parameters(recurse=False))
    if not set(own) <= {"weight", "bias"} or "weight" not in own:
        return None
    if next(layer.buffers(), None) is not None:
        return None
    if torch.nn.utils.parametrize.is_parametrized(layer):
        return None
    fan_in = own["weight"][0].numel()  # multiply-adds per output element
    # Combining dims + 1 outputs is memory-bound: it only pays when the layer does much more
    # arithmetic per output element (measured: a 1-channel 3x3 conv got slower, 784-in faster).
    if fan_in < HEAD_MIN_FAN_IN_PER_TERM * (dims + 1):
        return None
    prefix = nn.Sequential(OrderedDict(items[:start]))
    rest = nn.Sequential(OrderedDict(items[start + 1 :]))
    return AffineHead(prefix=prefix, layer=layer, layer_name=name, rest=rest)
