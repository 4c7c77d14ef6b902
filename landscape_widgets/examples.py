"""Built-in examples: analytic landscapes with known topology and a small real model.

Nothing here downloads anything: the model example trains on scikit-learn's bundled digits.

Example:
    >>> from landscape_widgets import examples
    >>> land = examples.four_wells(resolution=41)
    >>> land.shape
    (41, 41)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .landscape import Landscape


def himmelblau(points: np.ndarray) -> np.ndarray:
    """Himmelblau's function: 4 minima (all of value 0), 4 saddles and 1 local maximum. In the
    sublevel-set merge tree three of the saddles join the four basins; the fourth closes a loop
    around the maximum (1-dim topology, invisible to the merge tree)."""
    x, y = points[:, 0], points[:, 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def gaussian_wells(
    points: np.ndarray,
    centers: Sequence[Sequence[float]],
    depths: Sequence[float],
    width: float = 0.35,
) -> np.ndarray:
    """``1 − Σ dᵢ exp(−|x − cᵢ|² / (2 w²))``: one minimum per well when the wells are separated."""
    pts = np.asarray(points, dtype=float)
    out = np.ones(pts.shape[0])
    for c, d in zip(centers, depths):
        sq = ((pts - np.asarray(c, dtype=float)) ** 2).sum(axis=1)
        out -= d * np.exp(-sq / (2 * width**2))
    return out


FOUR_WELLS = {
    "centers": [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)],
    "depths": [1.0, 0.8, 0.6, 0.4],
}


def four_wells(resolution: int = 101, extent: float = 2.0) -> Landscape:
    """Four separated Gaussian wells of depths 1.0, 0.8, 0.6, 0.4: four basins, known minima."""

    def four_wells(points: np.ndarray) -> np.ndarray:
        return gaussian_wells(points, **FOUR_WELLS)

    return Landscape.from_function(four_wells, dims=2, resolution=resolution, extent=extent)


def digits_mlp(hidden: int = 32, epochs: int = 60, seed: int = 0) -> tuple[Any, Any, Any]:
    """A small MLP trained (full-batch Adam) on scikit-learn's 8×8 digits, the whole set.

    Returns ``(model, loss_fn, (inputs, targets))``; about a second of training on a CPU.
    """
    import torch
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target, dtype=torch.long)
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):  # the default init draws from the global RNG
        model = torch.nn.Sequential(
            torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10)
        )
    with torch.no_grad():  # seeded init from our own generator
        for p in model.parameters():
            p.copy_((torch.rand(p.shape, generator=gen) * 2 - 1) / np.sqrt(p.shape[-1]))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(epochs):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    model.eval()
    return model, loss_fn, (x, y)
