"""Random directions (Li et al. 2018): Gaussian, normalised filter-wise, layer-wise or to unit
length, optionally with bias/normalisation-layer directions zeroed, and properly orthogonalised.

Orthogonalisation is modified Gram–Schmidt, run twice, in float64, dividing each projection by
‖d‖² (the peer Landscaper leaves that out, and its "orthogonal" directions come out with cosine
−0.99998). Each orthogonalised direction is then rescaled to its length before the projection,
so its scale still matches the model; its filter norms then match the model's only up to the
(tiny, ~1/√n) overlap that was removed. Ask ``orthogonalize=False`` for exact filter norms.

The directions are then stored in the model's dtype. In float64 their cosines stay below 1e-12;
a lower precision rounds every entry by up to its unit roundoff u, which can move a cosine by
at most about 2u = ``torch.finfo(dtype).eps`` (1.2e-7 for float32, 9.8e-4 for float16,
7.8e-3 for bfloat16). For float32 the rounding errors mostly cancel: measured 4e-9 at 430
parameters down to 6e-11 at 2 M (about u/√n). The cosine actually reached is recorded in
``extra["max_abs_cosine"]``.
"""

from __future__ import annotations

import torch

from .._checks import seed as check_seed
from ..model.params import named_trainable, split_bias_and_norm
from .base import Direction, Subspace

NORMALIZATIONS = ("filter", "layer", None)


def _filter_normalise(d: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """Rescale each filter (slice along dim 0) of ``d`` to the norm of the same filter of ``w``;
    a 0-d or 1-d tensor's entries are filters of one element each."""
    if d.ndim == 0:
        return d * (w.abs() / (d.abs() + 1e-10))
    dims = tuple(range(1, d.ndim))
    dn = torch.linalg.vector_norm(d, dim=dims, keepdim=True) if dims else d.abs()
    wn = torch.linalg.vector_norm(w, dim=dims, keepdim=True) if dims else w.abs()
    return d * (wn / (dn + 1e-10))


def gram_schmidt(flat: torch.Tensor) -> torch.Tensor:
    """Orthogonalise the rows of ``flat`` (float64), keeping each row's original length.

    Example:
        >>> m = gram_schmidt(torch.tensor([[1.0, 0.0], [1.0, 1.0]], dtype=torch.float64))
        >>> (m[0] @ m[1]).item(), round(m[1].norm().item(), 6)
        (0.0, 1.414214)
    """
    out = flat.clone()
    lengths = flat.norm(dim=1)
    for i in range(out.shape[0]):
        for _ in range(2):  # "twice is enough" (Kahan/Parlett) for float64 orthogonality
            for j in range(i):
                out[i] -= (out[j] @ out[i]) / (out[j] @ out[j]) * out[j]
        norm = out[i].norm()
        if norm <= 1e-10 * lengths[i]:
            raise ValueError(
                f"directions: expected linearly independent directions, got direction {i} "
                "inside the span of the previous ones (too few free parameters?)"
            )
        out[i] *= lengths[i] / norm
    return out


def random_subspace(
    model: torch.nn.Module,
    dims: int = 2,
    normalization: str | None = "filter",
    seed: int | None = 0,
    *,
    ignore_bias_and_norm: bool = True,
    orthogonalize: bool = True,
) -> Subspace:
    """``dims`` random Gaussian directions around ``model``.

    Args:
        normalization: "filter" (each filter of a direction gets the norm of the model's filter;
            Li et al.), "layer" (each tensor gets the norm of the model's tensor) or None (each
            direction has unit length: the extent is then a distance in parameter space).
        seed: seed of a private ``torch.Generator`` (None: a fresh seed, recorded in the result).
        ignore_bias_and_norm: zero the directions of biases and normalisation-layer parameters
            (Li et al.'s "ignore biasbn").
        orthogonalize: Gram–Schmidt the directions (|cos| below 1e-12 in float64, below
            ``torch.finfo(dtype).eps`` in the model's dtype: 1.2e-7 for float32; the value
            reached is ``extra["max_abs_cosine"]``).

    Example:
        >>> net = torch.nn.Sequential(
        ...     torch.nn.Linear(10, 20), torch.nn.ReLU(), torch.nn.Linear(20, 1))
        >>> sub = random_subspace(net, dims=2, seed=0)
        >>> sub.dims, sub.kind, sub.normalization
        (2, 'random', 'filter')
    """
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization: expected one of {NORMALIZATIONS}, got {normalization!r}")
    params = named_trainable(model)
    complex_params = [n for n, p in params.items() if p.is_complex()]
    if complex_params:
        raise TypeError(
            f"model: expected real parameters, got complex ones {complex_params[:5]}; random "
            "real directions would move only their real parts"
        )
    zeroed = sorted(set(params) & split_bias_and_norm(model)) if ignore_bias_and_norm else []
    free = sum(p.numel() for n, p in params.items() if n not in zeroed)
    if not isinstance(dims, int) or isinstance(dims, bool) or not 1 <= dims <= free:
        raise ValueError(
            f"dims: expected an integer between 1 and the number of free parameters ({free}"
            f"{', biases and normalisation layers excluded' if zeroed else ''}), got {dims!r}"
        )
    if seed is None:
        seed = int(torch.Generator().seed() % 2**63)
    seed = check_seed("seed", seed)  # 1.5 or "3" would silently become another seed
    gen = torch.Generator().manual_seed(seed)

    raw: list[Direction] = []
    for _ in range(dims):
        d: Direction = {}
        for name, p in params.items():
            # drawn for every tensor, zeroed or not, so the stream does not depend on the flags
            g = torch.randn(p.shape, generator=gen, dtype=torch.float64)
            w = p.detach().to("cpu", torch.float64)
            if name in zeroed:
                g = torch.zeros_like(g)
            elif normalization == "filter":
                g = _filter_normalise(g, w)
            elif normalization == "layer":
                g = g * (w.norm() / (g.norm() + 1e-10))
            d[name] = g
        raw.append(d)

    names = list(params)
    flat = torch.stack([torch.cat([d[n].reshape(-1) for n in names]) for d in raw])
    if (flat.norm(dim=1) == 0).any():
        raise ValueError(
            "model: expected non-zero parameters to scale the directions by, got all-zero "
            f"{normalization}-norms; use normalization=None"
        )
    if normalization is None:
        flat = flat / flat.norm(dim=1, keepdim=True)
    if orthogonalize and dims > 1:
        flat = gram_schmidt(flat)

    sizes = [params[n].numel() for n in names]
    directions = tuple(
        {
            n: part.reshape(params[n].shape).to(params[n].dtype)
            for n, part in zip(names, row.split(sizes), strict=True)
        }
        for row in flat
    )
    flat_stored = torch.stack(
        [torch.cat([d[n].reshape(-1).double() for n in names]) for d in directions]
    )
    unit = flat_stored / flat_stored.norm(dim=1, keepdim=True)
    cosines = (unit @ unit.T).abs().fill_diagonal_(0.0)
    return Subspace(
        directions=directions,
        kind="random",
        normalization=normalization,
        seed=int(seed),
        orthonormal=bool(orthogonalize and dims > 1) or (dims == 1 and normalization is None),
        extra={
            "ignore_bias_and_norm": ignore_bias_and_norm,
            "zeroed": zeroed,
            "orthogonalization": "gram-schmidt" if orthogonalize and dims > 1 else None,
            "lengths": "unit" if normalization is None else f"{normalization}-normalised",
            # off-diagonal |cos| of the directions as stored (in the model's dtype)
            "max_abs_cosine": float(cosines.max()) if dims > 1 else 0.0,
        },
    )
