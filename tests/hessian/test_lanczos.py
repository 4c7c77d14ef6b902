"""Lanczos eigenpairs against dense eigendecompositions (numpy, autograd Hessian) and PyHessian."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from landscape_widgets.hessian import MatrixOperator, hvp_operator, lanczos_eigenpairs

from ..torch_references import dense_hessian, make_classification, make_mlp


def random_symmetric(n: int, seed: int, spread: float = 1.0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    q, _ = torch.linalg.qr(torch.randn(n, n, generator=gen, dtype=torch.float64))
    # shifted so that no two eigenvalues tie in magnitude (which='magnitude' would be ambiguous)
    lam = (torch.linspace(-spread, 3 * spread, n, dtype=torch.float64) + 0.3713) ** 3
    return (q * lam) @ q.T


@pytest.mark.parametrize("which", ["largest", "smallest", "magnitude"])
def test_matches_numpy_with_restarts(which):
    A = random_symmetric(300, seed=0)
    ref = np.linalg.eigvalsh(A.numpy())
    order = {"largest": np.argsort(-ref), "smallest": np.argsort(ref),
             "magnitude": np.argsort(-np.abs(ref))}[which]
    op = MatrixOperator(A)
    pairs = lanczos_eigenpairs(op, 4, which=which, tol=1e-8, basis_size=14)  # forces restarts
    assert pairs.converged
    np.testing.assert_allclose(pairs.eigenvalues, ref[order[:4]], rtol=1e-10)
    for lam, y in zip(pairs.eigenvalues, pairs.eigenvectors, strict=True):
        assert torch.linalg.norm(A @ y - lam * y) <= 1e-7 * abs(lam)
    gram = pairs.eigenvectors @ pairs.eigenvectors.T
    assert torch.allclose(gram, torch.eye(4, dtype=torch.float64), atol=1e-12)
    assert pairs.n_products == op.n_products
    assert pairs.n_products > 14  # the basis was restarted at least once


def test_model_hessian_matches_dense_eigenvalues():
    model = make_mlp()  # 5·16+16 + 16·8+8 + 8·3+3 = 259 parameters
    x, y = make_classification(40, (5,), torch.float64)
    loss_fn = torch.nn.functional.cross_entropy
    ref = np.sort(np.linalg.eigvalsh(dense_hessian(model, loss_fn, x, y).numpy()))[::-1]
    op = hvp_operator(model, loss_fn, (x, y))
    assert op.size == 259
    pairs = lanczos_eigenpairs(op, 3, tol=1e-6)
    np.testing.assert_allclose(pairs.eigenvalues, ref[:3], rtol=1e-4)
    # the returned rows are eigenvectors of the dense Hessian
    H = dense_hessian(model, loss_fn, x, y)
    for lam, v in zip(pairs.eigenvalues, pairs.eigenvectors, strict=True):
        v = v.cpu()  # the operator computes on CUDA where there is one
        assert torch.linalg.norm(H @ v - lam * v) <= 1e-5 * abs(lam)


@pytest.mark.filterwarnings(r"ignore:Using backward\(\) with create_graph")
def test_agrees_with_pyhessian():
    pyhessian = pytest.importorskip("pyhessian")
    model = make_mlp(torch.float32)
    x, y = make_classification(40, (5,), torch.float32)
    loss_fn = torch.nn.functional.cross_entropy
    torch.manual_seed(0)  # pyhessian draws its start vectors from the global generator
    theirs = pyhessian.hessian(model, loss_fn, data=(x, y), cuda=False)
    their_values, _ = theirs.eigenvalues(top_n=2, maxIter=2000, tol=1e-7)
    model.zero_grad(set_to_none=True)
    ours = lanczos_eigenpairs(hvp_operator(model, loss_fn, (x, y)), 2, which="magnitude", tol=1e-6)
    np.testing.assert_allclose(ours.eigenvalues, their_values, rtol=2e-3)


def test_invariant_subspace_is_continued():
    # rank-2 operator: the Krylov space is exhausted after 2-3 steps; a third pair (0) still exists
    gen = torch.Generator().manual_seed(0)
    u = torch.linalg.qr(torch.randn(50, 2, generator=gen, dtype=torch.float64))[0]
    A = (u * torch.tensor([5.0, 2.0], dtype=torch.float64)) @ u.T
    pairs = lanczos_eigenpairs(MatrixOperator(A), 3, tol=1e-8)
    np.testing.assert_allclose(pairs.eigenvalues, [5.0, 2.0, 0.0], atol=1e-10)


def test_operator_smaller_than_basis_is_solved_exactly():
    A = random_symmetric(6, seed=4)
    pairs = lanczos_eigenpairs(MatrixOperator(A), 6, which="smallest")
    np.testing.assert_allclose(pairs.eigenvalues, np.linalg.eigvalsh(A.numpy()), atol=1e-10)
    assert pairs.converged


def test_deterministic_for_a_seed_and_sign_convention():
    op = MatrixOperator(random_symmetric(80, seed=2))
    a = lanczos_eigenpairs(op, 2, seed=5)
    b = lanczos_eigenpairs(op, 2, seed=5)
    assert torch.equal(a.eigenvectors, b.eigenvectors)
    idx = a.eigenvectors.abs().argmax(dim=1)
    assert (a.eigenvectors[torch.arange(2), idx] > 0).all()


def test_not_converged_warns():
    op = MatrixOperator(random_symmetric(400, seed=1))
    with pytest.warns(RuntimeWarning, match="not converged"):
        pairs = lanczos_eigenpairs(op, 3, tol=1e-12, basis_size=8, max_products=20)
    assert not pairs.converged
    assert pairs.n_products <= 20 + 8


def test_bad_input():
    op = MatrixOperator(torch.eye(5))
    with pytest.raises(ValueError, match="which: expected one of"):
        lanczos_eigenpairs(op, 1, which="top")
    with pytest.raises(ValueError, match="between 1 and the operator size 5, got 6"):
        lanczos_eigenpairs(op, 6)
    with pytest.raises(ValueError, match="between 1 and the operator size 5, got 0"):
        lanczos_eigenpairs(op, 0)
    with pytest.raises(ValueError, match="tol: expected a positive number"):
        lanczos_eigenpairs(op, 1, tol=0)
    with pytest.raises(ValueError, match="basis_size: expected at least k"):
        lanczos_eigenpairs(MatrixOperator(torch.eye(50)), 4, basis_size=3)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 60), k=st.integers(1, 3), seed=st.integers(0, 10_000),
       which=st.sampled_from(["largest", "smallest", "magnitude"]))
def test_property_extreme_eigenvalues(n, k, seed, which):
    k = min(k, n)
    A = random_symmetric(n, seed)
    ref = np.linalg.eigvalsh(A.numpy())
    key = {"largest": -ref, "smallest": ref, "magnitude": -np.abs(ref)}[which]
    pairs = lanczos_eigenpairs(MatrixOperator(A), k, which=which, tol=1e-9, basis_size=12)
    assert pairs.converged
    np.testing.assert_allclose(pairs.eigenvalues, ref[np.argsort(key, kind="stable")[:k]],
                               rtol=1e-8, atol=1e-10)
