"""sample_landscape(points=...) equals a plain torch.func.functional_call loop at the points."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import qmc

from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.landscape import Landscape

from .conftest import random_subspace


def functional_reference(model, loss_fn, data, sub, points):
    """For each point α, the loss of θ + Σ αᵢ δᵢ through torch.func.functional_call (float64)."""
    model = model.to(torch.float64).eval()
    x, y = data
    theta = {n: p.detach() for n, p in model.named_parameters()}
    out = []
    with torch.no_grad():
        for alpha in points:
            params = {
                n: t + sum(float(a) * d[n].to(torch.float64) for a, d in zip(alpha, sub.directions))
                for n, t in theta.items()
            }
            pred = torch.func.functional_call(model, params, (x.to(torch.float64),))
            out.append(float(loss_fn(pred, y)))
    return np.array(out)


@pytest.mark.parametrize("sampler", ["sobol", "random", "latin"])
def test_scattered_points_equal_functional_call_loop(mlp_problem, sampler):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    land = sample_landscape(model, loss_fn, data, sub, points=40, sampler=sampler, seed=3,
                            extent=[(-1.0, 0.5), (-0.25, 2.0)], dtype=torch.float64,
                            progress=False, chunk_size=7)
    assert isinstance(land, Landscape) and not land.is_grid
    assert land.points.shape == (40, 2) and land.values.shape == (40,)
    assert land.bounds == ((-1.0, 0.5), (-0.25, 2.0))
    lo, hi = np.array(land.bounds).T
    assert np.all(land.points >= lo) and np.all(land.points <= hi)
    ref = functional_reference(model, loss_fn, data, sub, land.points)
    np.testing.assert_allclose(land.values, ref, rtol=0, atol=1e-10)
    assert np.ptp(ref) > 1e-3
    assert land.provenance.extra["sampler"] == sampler
    assert land.provenance.resolution is None


def test_sampler_matches_scipy_and_the_seed_repeats(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 3)
    kw = dict(points=16, extent=2.0, progress=False, dtype=torch.float64)
    a = sample_landscape(model, loss_fn, data, sub, seed=5, **kw)
    b = sample_landscape(model, loss_fn, data, sub, seed=5, **kw)
    c = sample_landscape(model, loss_fn, data, sub, seed=6, **kw)
    expected = qmc.scale(qmc.Sobol(d=3, scramble=True, seed=5).random(16), [-2.0] * 3, [2.0] * 3)
    np.testing.assert_allclose(a.points, expected, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)
    # the timed race may let another strategy evaluate some points in another call (a loaded
    # machine times them differently): the same values up to float summation order, as the
    # README says, and the plain loop's values; bit for bit where no race runs (chunk_size)
    ref = functional_reference(model, loss_fn, data, sub, a.points)
    np.testing.assert_allclose(a.values, ref, rtol=1e-13, atol=0)
    np.testing.assert_allclose(b.values, ref, rtol=1e-13, atol=0)
    fixed = [sample_landscape(model, loss_fn, data, sub, seed=5, chunk_size=8, **kw)
             for _ in range(2)]
    np.testing.assert_array_equal(fixed[0].points, a.points)
    np.testing.assert_array_equal(fixed[0].values, fixed[1].values)


def test_given_points_and_the_automatic_path(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2, seed=2)
    pts = np.random.default_rng(0).uniform(-1, 1, size=(30, 2))
    land = sample_landscape(model, loss_fn, data, sub, points=pts, progress=False,
                            dtype=torch.float64)
    np.testing.assert_array_equal(land.points, pts)
    ref = functional_reference(model, loss_fn, data, sub, pts)
    np.testing.assert_allclose(land.values, ref, rtol=0, atol=1e-10)


def test_checkpoint_resumes_only_the_same_points(mlp_problem, tmp_path):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    path = tmp_path / "ck.npz"
    kw = dict(points=12, progress=False, dtype=torch.float64, checkpoint=path)
    first = sample_landscape(model, loss_fn, data, sub, seed=1, **kw)
    again = sample_landscape(model, loss_fn, data, sub, seed=1, **kw)
    np.testing.assert_array_equal(first.values, again.values)
    with pytest.raises(ValueError):  # other points: the checkpoint does not match
        sample_landscape(model, loss_fn, data, sub, seed=2, **kw)


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [
        (dict(points=10, resolution=5), ValueError, "resolution: a grid resolution and"),
        (dict(points=0), ValueError, "points: expected at least 1 point"),
        (dict(points=10, sampler="halton"), ValueError, "sampler: expected one of"),
        (dict(points=np.zeros((4, 3))), ValueError, r"points: expected an \(N, 2\) array"),
        (dict(points="many"), TypeError, "points: expected a number of points"),
        (dict(points=np.array([[0.0, np.nan]])), ValueError, "points: expected finite"),
    ],
)
def test_bad_point_arguments(mlp_problem, kw, error, match):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    with pytest.raises(error, match=match):
        sample_landscape(model, loss_fn, data, sub, progress=False, **kw)
