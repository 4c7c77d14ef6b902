"""Parameters as ``{name: tensor}`` dicts keyed like ``model.named_parameters()``."""

from __future__ import annotations

import torch


def named_trainable(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The parameters that require a gradient, detached, keyed by name (the space we perturb)."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    params = {n: p.detach() for n, p in model.named_parameters() if p.requires_grad}
    if not params:
        raise ValueError("model: expected at least one parameter with requires_grad=True, got none")
    return params


def parameter_count(params: dict[str, torch.Tensor]) -> int:
    return int(sum(p.numel() for p in params.values()))


_NORM_TYPES = (
    torch.nn.modules.batchnorm._NormBase,
    torch.nn.GroupNorm,
    torch.nn.LayerNorm,
)


def split_bias_and_norm(model: torch.nn.Module) -> set[str]:
    """Names of parameters that are biases or belong to a normalisation layer (BatchNorm,
    GroupNorm, LayerNorm...). Li et al. zero these directions ("ignore biasbn"): they have no
    filters, and perturbing them says little about the landscape of the weights."""
    names: set[str] = set()
    for mod_name, module in model.named_modules():
        is_norm = isinstance(module, _NORM_TYPES)
        for p_name, p in module.named_parameters(recurse=False):
            full = f"{mod_name}.{p_name}" if mod_name else p_name
            if is_norm or p.ndim <= 1:
                names.add(full)
    return names
