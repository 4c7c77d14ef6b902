"""Bad input gets a clear error naming what was expected and what was received."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.subspace.base import Subspace

from .conftest import random_subspace


@pytest.fixture
def problem():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    return model, nn.MSELoss(), (torch.randn(10, 3), torch.randn(10, 2))


def run(model, loss_fn, data, sub, **kw):
    return sample_landscape(model, loss_fn, data, sub, progress=False, **{"resolution": 3, **kw})


def test_dims_below_one(problem):
    model, loss_fn, data = problem
    with pytest.raises(ValueError, match=r"at least 1 direction \(dims >= 1\), got 0"):
        run(model, loss_fn, data, Subspace(directions=()))


def test_dims_above_parameter_count():
    model = nn.Linear(1, 1)  # 2 parameters
    dirs = [{n: torch.randn_like(p) for n, p in model.named_parameters()} for _ in range(3)]
    with pytest.raises(ValueError, match=r"at most 2 directions .* got dims=3"):
        run(model, nn.MSELoss(), (torch.randn(4, 1), torch.randn(4, 1)),
            Subspace(directions=tuple(dirs)), resolution=2)


@pytest.mark.parametrize("resolution", [1, 0, (5, 1)])
def test_resolution_below_two(problem, resolution):
    model, loss_fn, data = problem
    with pytest.raises(ValueError, match="resolution: expected at least 2 points per axis"):
        run(model, loss_fn, data, random_subspace(model, 2), resolution=resolution)


def test_resolution_wrong_length(problem):
    model, loss_fn, data = problem
    with pytest.raises(ValueError, match="resolution: expected one integer or 2 integers, got 3"):
        run(model, loss_fn, data, random_subspace(model, 2), resolution=(3, 3, 3))


@pytest.mark.parametrize("extent", [0.0, -1.0, [1.0, 0.0], [(1.0, -1.0), (0.0, 1.0)]])
def test_extent_not_positive(problem, extent):
    model, loss_fn, data = problem
    with pytest.raises(ValueError, match="extent: expected"):
        run(model, loss_fn, data, random_subspace(model, 2), extent=extent)


def test_direction_shapes_not_matching_model(problem):
    model, loss_fn, data = problem
    good = random_subspace(model, 1).directions[0]
    bad = {**good, "0.weight": torch.zeros(3, 4)}
    with pytest.raises(ValueError, match=r"expected shape \(4, 3\) \(the model's\), got \(3, 4\)"):
        run(model, loss_fn, data, Subspace(directions=(bad,)))
    missing = {k: v for k, v in good.items() if k != "2.bias"}
    with pytest.raises(ValueError, match=r"missing \['2.bias'\]"):
        run(model, loss_fn, data, Subspace(directions=(missing,)))


def test_non_finite_directions(problem):
    model, loss_fn, data = problem
    d = dict(random_subspace(model, 1).directions[0])
    d["2.weight"] = d["2.weight"].clone()
    d["2.weight"][0, 0] = float("nan")
    with pytest.raises(ValueError, match="expected finite values, got NaN or inf"):
        run(model, loss_fn, data, Subspace(directions=(d,)))


@pytest.mark.parametrize(
    "data, error, match",
    [
        ([], ValueError, "expected at least one batch, got an empty iterable"),
        ((torch.zeros(0, 3), torch.zeros(0, 2)), ValueError, "non-empty batches"),
        ([(torch.randn(2, 3), torch.randn(2, 2)), (torch.zeros(0, 3), torch.zeros(0, 2))],
         ValueError, "non-empty batches"),
        (torch.randn(4, 3), TypeError, r"expected an \(inputs, targets\) pair"),
    ],
)
def test_bad_data(problem, data, error, match):
    model, loss_fn, _ = problem
    with pytest.raises(error, match=match):
        run(model, loss_fn, data, random_subspace(model, 1))


def test_non_scalar_loss(problem):
    model, _, data = problem
    with pytest.raises(ValueError, match=r"expected it to return a scalar .* shape \(10, 2\)"):
        run(model, nn.MSELoss(reduction="none"), data, random_subspace(model, 1))
    with pytest.raises(TypeError, match="expected it to return a scalar tensor, got float"):
        run(model, lambda out, y: 1.0, data, random_subspace(model, 1))


def test_wrong_types(problem):
    model, loss_fn, data = problem
    sub = random_subspace(model, 1)
    with pytest.raises(TypeError, match="model: expected a torch.nn.Module, got function"):
        run(lambda x: x, loss_fn, data, sub)
    with pytest.raises(TypeError, match="loss_fn: expected a callable"):
        run(model, "mse", data, sub)
    with pytest.raises(TypeError, match="subspace: expected a Subspace .* got list"):
        run(model, loss_fn, data, [sub.directions[0]])
    with pytest.raises(TypeError, match="dtype: expected a floating torch.dtype .* torch.int64"):
        run(model, loss_fn, data, sub, dtype=torch.int64)
    with pytest.raises(ValueError, match="chunk_size: expected None or an integer >= 1, got 0"):
        run(model, loss_fn, data, sub, chunk_size=0)
    with pytest.raises(ValueError, match="device: expected 'cpu', 'cuda' or a torch.device"):
        run(model, loss_fn, data, sub, device="gpu0")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-CUDA error")
def test_cuda_requested_without_cuda(problem):
    model, loss_fn, data = problem
    with pytest.raises(ValueError, match="CUDA is not available"):
        run(model, loss_fn, data, random_subspace(model, 1), device="cuda")
