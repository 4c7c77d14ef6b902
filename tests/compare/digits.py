"""Small real models for the comparison tests: MLPs trained briefly on scikit-learn's digits
(``examples.digits_mlp``-style), 3 learning rates × 2 seeds. Also used by the browser tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

LRS = (0.003, 0.03, 0.3)
SEEDS = (0, 1)
HIDDEN = 8
EPOCHS = 15
RESOLUTION = 9
EXTENT = 1.0
N_SAMPLES = 600  # of the 1,797 digits: keeps every landscape well under a second


def digits_data() -> tuple[Any, Any]:
    torch = pytest.importorskip("torch")
    load_digits = pytest.importorskip("sklearn.datasets").load_digits

    digits = load_digits()
    x = torch.tensor(digits.data[:N_SAMPLES] / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target[:N_SAMPLES], dtype=torch.long)
    return x, y


def make_mlp(hidden: int = HIDDEN) -> Any:
    import torch

    return torch.nn.Sequential(
        torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10)
    )


def train_mlp(lr: float, seed: int, data: tuple[Any, Any], epochs: int = EPOCHS) -> Any:
    """``examples.digits_mlp``-style: seeded init, full-batch Adam, eval mode at the end."""
    import torch

    x, y = data
    gen = torch.Generator().manual_seed(seed)
    model = make_mlp()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_((torch.rand(p.shape, generator=gen) * 2 - 1) / np.sqrt(p.shape[-1]))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    return model.eval()


def accuracy(model: Any, data: tuple[Any, Any]) -> float:
    import torch

    x, y = data
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())
