"""Hessian subspaces: eigenpairs of the dense Hessian, orthonormal unit directions shaped like the
model, batch = loader, model untouched, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from landscape_widgets.subspace import hessian_subspace

from ..torch_references import assert_unchanged, dense_hessian, snapshot


@pytest.mark.parametrize("problem", ["mlp_problem", "cnn_problem"])
def test_directions_are_dense_hessian_eigenvectors(problem, request):
    model, loss_fn, x, y = request.getfixturevalue(problem)
    model.train()
    snap = snapshot(model)
    H = dense_hessian(model, loss_fn, x, y)
    ref = np.sort(np.linalg.eigvalsh(H.numpy()))[::-1]
    sub = hessian_subspace(model, loss_fn, (x, y), dims=3, tol=1e-6)
    assert_unchanged(model, snap)
    sub.check_against(model)
    assert sub.kind == "hessian" and sub.orthonormal and sub.extra["converged"]
    np.testing.assert_allclose(sub.eigenvalues, ref[:3], rtol=1e-4)
    flat = sub.flat()
    torch.testing.assert_close(flat @ flat.T, torch.eye(3, dtype=torch.float64), atol=1e-10, rtol=0)
    for lam, v in zip(sub.eigenvalues, flat, strict=True):
        assert torch.linalg.norm(H @ v - lam * v) <= 1e-5 * abs(lam)
    assert sub.extra["n_products"] > 0 and len(sub.extra["residuals"]) == 3


def test_loader_gives_the_same_subspace(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=12)
    a = hessian_subspace(model, loss_fn, (x, y), dims=2, tol=1e-8)
    b = hessian_subspace(model, loss_fn, loader, dims=2, tol=1e-8)
    np.testing.assert_allclose(a.eigenvalues, b.eigenvalues, rtol=1e-10)
    torch.testing.assert_close(a.flat(), b.flat(), atol=1e-6, rtol=0)
    c = hessian_subspace(model, loss_fn, loader, dims=2, tol=1e-8, keep_graph=True)
    assert c.extra["hvp_mode"] == "reverse-over-reverse, kept graph"
    np.testing.assert_allclose(a.eigenvalues, c.eigenvalues, rtol=1e-10)


def test_smallest_eigenvalues(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    ref = np.sort(np.linalg.eigvalsh(dense_hessian(model, loss_fn, x, y).numpy()))
    sub = hessian_subspace(model, loss_fn, (x, y), dims=1, which="smallest", tol=1e-6)
    assert sub.eigenvalues[0] == pytest.approx(ref[0], rel=1e-4)
    assert sub.eigenvalues[0] < 0  # a randomly initialised net is not at a minimum


def test_float32_model_gets_float32_directions():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))
    x, y = torch.randn(20, 4), torch.randint(0, 3, (20,))
    sub = hessian_subspace(model, torch.nn.functional.cross_entropy, (x, y), dims=2)
    assert all(t.dtype == torch.float32 for d in sub.directions for t in d.values())
    ref = hessian_subspace(
        model, torch.nn.functional.cross_entropy, (x, y), dims=2, dtype=torch.float64, tol=1e-8
    )
    np.testing.assert_allclose(sub.eigenvalues, ref.eigenvalues, rtol=1e-3)


def test_bad_input(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    want = r"dims: expected an integer between 1 and the number of parameters \(259\), got 300"
    with pytest.raises(ValueError, match=want):
        hessian_subspace(model, loss_fn, (x, y), dims=300)
    with pytest.raises(ValueError, match="got 0"):
        hessian_subspace(model, loss_fn, (x, y), dims=0)
    with pytest.raises(ValueError, match="expected it to return a scalar"):
        hessian_subspace(model, lambda o, t: o.sum(0), (x, y))
    with pytest.raises(ValueError, match="which: expected one of"):
        hessian_subspace(model, loss_fn, (x, y), which="top")
    with pytest.raises(ValueError, match="expected non-empty batches"):
        hessian_subspace(model, loss_fn, (x[:0], y[:0]))


@pytest.mark.parametrize("normalization", ["layer", "filter"])
def test_normalised_hessian_directions_match_the_model_norms(cnn_problem, normalization):
    """Each eigenvector rescaled per tensor (per filter) to the model's norms, as random
    directions are, keeping its direction within every piece and its eigenvalue."""
    model, loss_fn, x, y = cnn_problem
    unit = hessian_subspace(model, loss_fn, (x, y), dims=2, tol=1e-8, dtype=torch.float64)
    sub = hessian_subspace(
        model, loss_fn, (x, y), dims=2, tol=1e-8, dtype=torch.float64, normalization=normalization
    )
    assert sub.normalization == normalization and not sub.orthonormal
    np.testing.assert_allclose(sub.eigenvalues, unit.eigenvalues, rtol=1e-6)
    params = dict(model.named_parameters())
    for d, u in zip(sub.directions, unit.directions, strict=True):
        for name, w in params.items():
            w = w.detach().double()
            if normalization == "layer":  # the model's tensor norm, by a plain loop
                assert abs(d[name].double().norm() - w.norm()) <= 1e-4 * w.norm()
            else:
                for i in range(w.shape[0]):
                    ref = w[i].norm() if w.ndim > 1 else w[i].abs()
                    assert abs(d[name][i].double().norm() - ref) <= 1e-4 * ref + 1e-6
            # same direction inside the piece (up to a positive factor per filter / tensor)
            pieces = [(d[name], u[name])] if normalization == "layer" else zip(d[name], u[name])
            for a, b in pieces:
                a, b = a.double().reshape(-1), b.double().reshape(-1)
                if a.norm() > 1e-8 and b.norm() > 1e-8:
                    assert float(a @ b / (a.norm() * b.norm())) > 1 - 1e-6


def test_normalised_directions_sample_the_same_scale_as_random_ones(mlp_problem):
    """Layer-normalised Hessian and random directions have the same length."""
    from landscape_widgets.subspace import random_subspace

    model, loss_fn, x, y = mlp_problem
    h = hessian_subspace(model, loss_fn, (x, y), dims=1, normalization="layer")
    r = random_subspace(model, dims=1, normalization="layer", ignore_bias_and_norm=False)
    np.testing.assert_allclose(h.flat().norm(), r.flat().norm(), rtol=1e-4)


def test_bad_normalization(mlp_problem):
    model, loss_fn, x, y = mlp_problem
    with pytest.raises(ValueError, match=r"normalization: expected one of .*got 'unit'"):
        hessian_subspace(model, loss_fn, (x, y), normalization="unit")
    zero = torch.nn.Linear(3, 1)
    torch.nn.init.zeros_(zero.weight), torch.nn.init.zeros_(zero.bias)
    data = (torch.randn(8, 3), torch.randn(8, 1))
    with pytest.raises(ValueError, match="all-zero layer-norms"):
        hessian_subspace(zero, torch.nn.functional.mse_loss, data, dims=1, normalization="layer")
