"""PHATE (cosine kernel and MDS) and PCA embeddings: against the libraries run directly,
landmark policy, determinism, bad input."""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pytest

from landscape_widgets.trajectories import Embedding, pca_embedding, phate_embedding
from landscape_widgets.trajectories.embedding import EXACT_LIMIT, resolve_landmarks


def branches(n_per: int = 40, dims: int = 30, seed: int = 0) -> np.ndarray:
    """Three noisy random-walk branches from one point (a tree, as in the PHATE paper)."""
    rng = np.random.default_rng(seed)
    start = rng.normal(size=dims) + 5.0
    arms = [start + np.cumsum(rng.normal(size=(n_per, dims)) * 0.2, axis=0) for _ in range(3)]
    return np.concatenate(arms)


@pytest.fixture(scope="module")
def phate_traj(traj: Any) -> Embedding:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return phate_embedding(traj, t=5)


def test_phate_on_real_trajectories(phate_traj: Embedding, traj: Any) -> None:
    emb = phate_traj
    assert emb.method == "phate" and emb.coords.shape == (traj.n_samples, 2)
    assert np.isfinite(emb.coords).all()
    assert emb.potential.shape == (traj.n_samples, traj.n_samples)  # exact: n x n
    assert emb.n_landmark is None and emb.t == 5
    assert emb.params["knn_dist"] == "cosine" and emb.params["mds_dist"] == "cosine"
    assert emb.params["n_pca"] == traj.n_samples - 1  # capped, so PHATE still runs its PCA


def test_phate_matches_phate_run_directly() -> None:
    import phate

    x = branches()
    emb = phate_embedding(x, t="auto", random_state=3)
    op = phate.PHATE(knn_dist="cosine", mds_dist="cosine", n_landmark=None, t="auto",
                     random_state=3, verbose=0, n_jobs=1)
    with contextlib.redirect_stdout(io.StringIO()):
        direct = op.fit_transform(x)
    np.testing.assert_allclose(emb.coords, direct)
    np.testing.assert_allclose(emb.potential, op.diff_potential)
    assert emb.t == op.optimal_t and emb.params["t"] == "auto"


def test_phate_is_deterministic_and_t_selectable() -> None:
    x = branches(seed=1)
    a = phate_embedding(x, t=12)
    b = phate_embedding(x, t=12)
    np.testing.assert_array_equal(a.coords, b.coords)
    c = phate_embedding(x, t=40)
    assert c.t == 40 and not np.allclose(c.potential, a.potential)


def test_landmark_policy() -> None:
    assert resolve_landmarks(640, "auto") is None
    assert resolve_landmarks(EXACT_LIMIT, "auto") is None
    assert resolve_landmarks(EXACT_LIMIT + 1, "auto") == 2000
    assert resolve_landmarks(3000, "auto", exact_limit=2000) == 2000
    assert resolve_landmarks(3000, None) is None
    assert resolve_landmarks(100, 500) is None  # more landmarks than points: exact
    assert resolve_landmarks(3000, 300) == 300
    with pytest.raises(ValueError, match="n_landmark"):
        resolve_landmarks(100, 1)
    # forcing landmarks: the potential has one column per landmark, every sample embedded
    x = branches(n_per=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # graphtools: n_svd >= n_samples on this tiny input
        emb = phate_embedding(x, n_landmark=20, t=10)
    assert emb.n_landmark == 20 and emb.potential.shape == (90, 20)
    assert emb.coords.shape == (90, 2)


def test_pca_matches_numpy_svd() -> None:
    x = branches()
    emb = pca_embedding(x)
    xc = x - x.mean(axis=0)
    u, s, _ = np.linalg.svd(xc, full_matrices=False)
    ref = u[:, :2] * s[:2]
    for j in range(2):  # up to sign
        sign = np.sign(ref[:, j] @ emb.coords[:, j])
        np.testing.assert_allclose(emb.coords[:, j], sign * ref[:, j], atol=1e-8)
    np.testing.assert_allclose(emb.explained_variance_ratio, s[:2] ** 2 / (s**2).sum())
    assert emb.potential is None and emb.method == "pca"
    # sign convention: the largest-magnitude coordinate of each component is positive
    assert (emb.coords[np.abs(emb.coords).argmax(axis=0), [0, 1]] > 0).all()


def test_pca_randomized_path_agrees() -> None:
    """Above 2,000 on the smaller side PCA uses a seeded randomized SVD: same spectrum."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2100, 40)) @ np.diag(np.r_[10.0, 5.0, np.ones(38)])
    tiled = np.tile(x, (1, 60))  # 2100 x 2400, singular values sqrt(60) times those of x
    emb = pca_embedding(tiled)
    s = np.linalg.svd(x - x.mean(axis=0), compute_uv=False) * np.sqrt(60)
    np.testing.assert_allclose(np.linalg.norm(emb.coords, axis=0), s[:2], rtol=1e-4)
    np.testing.assert_allclose(emb.explained_variance_ratio, s[:2] ** 2 / (s**2).sum(),
                               rtol=1e-4)
    np.testing.assert_array_equal(pca_embedding(tiled).coords, emb.coords)  # seeded


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="finite"):
        pca_embedding(np.array([[0.0, 1.0], [np.nan, 2.0], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="n_samples >= 2"):
        phate_embedding(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="t:"):
        phate_embedding(branches(), t=0)
    with pytest.raises(ValueError, match="n_components"):
        pca_embedding(np.eye(3), n_components=5)
