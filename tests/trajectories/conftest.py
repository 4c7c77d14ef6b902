"""A small real model (an MLP on scikit-learn's digits) and short jump-and-retrain runs.

Tiny models gain nothing from intra-op threads, and on a busy 2-core machine torch's thread pool
makes each small op 1000x slower, so these tests run torch single-threaded (restored after).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.trajectories import jump_and_retrain

SEEDS = (0, 1)
STEPS = (0.5, 1.0)
EPOCHS = 4
LR = 0.1


@pytest.fixture(autouse=True)
def single_thread() -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def sgd(params: Any) -> torch.optim.Optimizer:
    return torch.optim.SGD(params, lr=LR, momentum=0.9)


@pytest.fixture(scope="module")
def digits() -> tuple[Any, Any, Any, Any]:
    """(model, loss_fn, train pair, eval pair): a 64-12-10 MLP trained on 1,500 digits."""
    torch.set_num_threads(1)
    model, loss_fn, (x, y) = lw.examples.digits_mlp(hidden=12, epochs=40)
    return model, loss_fn, (x[:1500], y[:1500]), (x[1500:], y[1500:])


def run(digits: Any, make_optimizer: Any = sgd, **kw: Any) -> Any:
    """jump_and_retrain on the digits MLP with the small default layout, overridable."""
    model, loss_fn, train, evals = digits
    args: dict[str, Any] = dict(seeds=SEEDS, step_sizes=STEPS, epochs=EPOCHS, eval_data=evals,
                                batch_size=256, progress=False)
    args.update(kw)
    return jump_and_retrain(model, loss_fn, train, make_optimizer, **args)


@pytest.fixture(scope="module")
def traj(digits: Any) -> Any:
    torch.set_num_threads(1)
    return run(digits)
