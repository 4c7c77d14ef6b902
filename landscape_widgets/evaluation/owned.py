"""A private copy of the model for the per-point loop: its parameters are written in place.

``torch.func.functional_call`` swaps every tensor into the module on every call. For a small
model that costs about as much as the forward itself: notebook 03's PINN (2-50-50-50-1 on 1,500
points, input derivatives by ``torch.autograd.grad`` in forward, so it must take the loop) ran
1.27x (1 thread) and 1.37x (2 threads) faster through a copy whose parameters were written with
one multi-tensor kernel per direction (``torch._foreach_*``, as ``torch.optim`` writes its
updates) than through functional_call with a tensordot per tensor. The user's model is never
touched; a model that cannot be deep-copied keeps the functional_call path.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch


class OwnedCopy:
    """A deep copy of ``model`` (eval mode, no gradients on its parameters) whose trainable
    parameters :meth:`set_point` sets to θ + Σ αᵢ δᵢ.

    Example:
        >>> net = torch.nn.Linear(2, 1)
        >>> base = {n: p.detach() for n, p in net.named_parameters()}
        >>> stacked = {n: torch.ones(1, *p.shape) for n, p in net.named_parameters()}
        >>> own = OwnedCopy.of(net, ("weight", "bias"), base, stacked, torch.device("cpu"),
        ...                    torch.float32)
        >>> own.set_point([0.5])
        >>> torch.equal(own.module.bias, net.bias.detach() + 0.5)
        True
    """

    def __init__(
        self,
        module: torch.nn.Module,
        params: list[torch.Tensor],
        bases: list[torch.Tensor],
        directions: list[list[torch.Tensor]],
    ) -> None:
        self.module = module
        self.params = params
        self.bases = bases
        self.directions = directions

    @classmethod
    def of(
        cls,
        model: torch.nn.Module,
        names: Sequence[str],
        base: dict[str, torch.Tensor],
        stacked: dict[str, torch.Tensor],
        device: torch.device,
        dtype: torch.dtype,
    ) -> OwnedCopy | None:
        """The copy, with floating tensors in ``dtype`` on ``device`` (as the functional path
        hands them); ``None`` when the model cannot be deep-copied (locks, open handles, ...)."""
        # tensors a module holds as plain attributes (a PINN's collocation points, a lookup
        # table) are shared, not copied: functional_call used the model's own, and copying a
        # large one would double its memory
        memo: dict[int, object] = {}
        for m in model.modules():
            for value in vars(m).values():
                if isinstance(value, torch.Tensor) and not isinstance(value, torch.nn.Parameter):
                    memo[id(value)] = value
        try:
            module = copy.deepcopy(model, memo)
        except Exception:  # deepcopy may raise anything a user attribute's __deepcopy__ raises
            return None
        module = module.to(device=device, dtype=dtype).eval()
        for p in module.parameters():
            p.requires_grad_(False)
            p.grad = None
        # named_parameters() lists a tied parameter once: writing it writes every alias
        owned = dict(module.named_parameters())
        dims = next(iter(stacked.values())).shape[0] if stacked else 0
        return cls(
            module,
            [owned[n] for n in names],
            [base[n] for n in names],
            [[stacked[n][i] for n in names] for i in range(dims)],
        )

    def set_point(self, alphas: Sequence[float]) -> None:
        """Write θ + Σ αᵢ δᵢ into the copy's parameters (the centre exactly θ)."""
        with torch.no_grad():
            # torch.optim's multi-tensor kernels; private in name only (pyright: not re-exported)
            torch._foreach_copy_(self.params, self.bases)  # pyright: ignore[reportPrivateImportUsage]
            for a, direction in zip(alphas, self.directions, strict=True):
                if a != 0.0:
                    torch._foreach_add_(  # pyright: ignore[reportPrivateImportUsage]
                        self.params, direction, alpha=float(a)
                    )
