"""Fixtures of a real sweep: digits MLPs, 3 learning rates × 2 seeds (see ``digits.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from .digits import LRS, SEEDS, digits_data, train_mlp


@pytest.fixture(scope="session")
def digits() -> tuple[Any, Any]:
    return digits_data()


@pytest.fixture(scope="session")
def checkpoints(digits: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``[({"lr": lr, "seed": seed}, state_dict), ...]`` for 3 learning rates × 2 seeds."""
    out = []
    for lr in LRS:
        for seed in SEEDS:
            model = train_mlp(lr, seed, digits)
            out.append(({"lr": lr, "seed": seed},
                        {k: v.clone() for k, v in model.state_dict().items()}))
    return out
