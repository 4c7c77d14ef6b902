"""The Subspace dataclass: n directions in parameter space, around which a landscape is sampled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from ..model.params import named_trainable

Direction = dict[str, torch.Tensor]


@dataclass(frozen=True, eq=False)
class Subspace:
    """``dims`` directions, each a ``{name: tensor}`` dict keyed like the model's trainable
    ``named_parameters()`` (same shapes), on the CPU.

    Attributes:
        directions: the directions δ₁…δₙ; the landscape is f(α) = L(θ + Σ αᵢ δᵢ).
        kind: "random", "hessian", "interpolation" or "custom".
        normalization: "filter", "layer" or None (random directions only).
        seed: the seed of a random subspace.
        eigenvalues: Hessian eigenvalues matching the directions (hessian subspaces).
        orthonormal: whether the directions were orthogonalised (and how: see the maker).
        extra: JSON-serialisable details (e.g. ignore_bias_and_norm, solver iterations).

    Example:
        >>> net = torch.nn.Linear(3, 1)
        >>> d = {n: torch.ones_like(p) for n, p in net.named_parameters()}
        >>> Subspace.from_directions(net, [d]).dims
        1
    """

    directions: tuple[Direction, ...]
    kind: str = "custom"
    normalization: str | None = None
    seed: int | None = None
    eigenvalues: tuple[float, ...] | None = None
    orthonormal: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dims(self) -> int:
        return len(self.directions)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.directions[0].keys())

    def flat(self) -> torch.Tensor:
        """The directions as a ``(dims, n_params)`` matrix (names in model order)."""
        return torch.stack(
            [torch.cat([d[n].reshape(-1) for n in self.names]) for d in self.directions]
        )

    def cosine_matrix(self) -> torch.Tensor:
        """Pairwise cosines between the directions (float64): identity when orthogonal."""
        m = self.flat().double()
        m = m / m.norm(dim=1, keepdim=True)
        return m @ m.T

    def check_against(self, model: torch.nn.Module) -> None:
        """Raise a clear error unless every direction matches the model's trainable parameters."""
        validate_directions(model, self.directions)

    @classmethod
    def from_directions(
        cls, model: torch.nn.Module, directions: Sequence[Mapping[str, torch.Tensor]], **kw: Any
    ) -> Subspace:
        """A custom subspace from user-made directions (validated against ``model``)."""
        dirs = tuple({n: t.detach().to("cpu") for n, t in d.items()} for d in directions)
        validate_directions(model, dirs)
        return cls(directions=dirs, kind=kw.pop("kind", "custom"), **kw)


def validate_directions(
    model: torch.nn.Module, directions: Sequence[Mapping[str, torch.Tensor]]
) -> None:
    params = named_trainable(model)
    if len(directions) < 1:
        raise ValueError("directions: expected at least one direction, got none")
    for i, d in enumerate(directions):
        missing = [n for n in params if n not in d]
        unknown = [n for n in d if n not in params]
        if missing or unknown:
            raise ValueError(
                f"directions[{i}]: expected the keys of the model's trainable parameters; "
                f"missing {missing[:5]}, unexpected {unknown[:5]}"
            )
        for n, p in params.items():
            t = d[n]
            if not isinstance(t, torch.Tensor):
                raise TypeError(
                    f"directions[{i}][{n!r}]: expected a tensor, got {type(t).__name__}"
                )
            if t.is_complex() or p.is_complex():
                raise TypeError(
                    f"directions[{i}][{n!r}]: expected real tensors, got a complex "
                    f"{'direction' if t.is_complex() else 'model parameter'} ("
                    f"{t.dtype if t.is_complex() else p.dtype}); landscapes are of real "
                    "parameters"
                )
            if tuple(t.shape) != tuple(p.shape):
                raise ValueError(
                    f"directions[{i}][{n!r}]: expected shape {tuple(p.shape)} (the model's), "
                    f"got {tuple(t.shape)}"
                )
            if not torch.isfinite(t).all():
                raise ValueError(f"directions[{i}][{n!r}]: expected finite values, got NaN or inf")
