"""PCA directions of a training trajectory and the projection of checkpoints onto subspaces.

References: numpy's SVD of the flattened, mean-centred differences (and scikit-learn's PCA, which
Li et al.'s code fits), numpy's least squares, and the checkpoints' own losses by a plain
``functional_call``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.subspace import Subspace

from ..torch_references import make_cnn, make_mlp


def train(net: torch.nn.Module, steps: int, seed: int = 0, every: int = 1) -> list[dict]:
    """SGD on a fixed regression problem; the state_dict after every ``every`` steps (and at
    the start), deep-copied."""
    gen = torch.Generator().manual_seed(seed)
    dtype = next(net.parameters()).dtype
    x = torch.randn(64, 5, generator=gen, dtype=dtype)
    y = torch.randn(64, 3, generator=gen, dtype=dtype)
    opt = torch.optim.SGD(net.parameters(), lr=0.2, momentum=0.9)
    states = [{k: v.clone() for k, v in net.state_dict().items()}]
    for step in range(1, steps + 1):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()
        if step % every == 0:
            states.append({k: v.clone() for k, v in net.state_dict().items()})
    return states


def flat_differences(states: list[dict], names: list[str]) -> np.ndarray:
    flat = np.stack([np.concatenate([s[n].double().reshape(-1).numpy() for n in names])
                     for s in states])
    return flat - flat[-1]


def loss_of(net: torch.nn.Module, params: dict, x: torch.Tensor, y: torch.Tensor) -> float:
    out = torch.func.functional_call(net, params, (x,))
    return float(torch.nn.functional.mse_loss(out, y))


@pytest.fixture(scope="module")
def trajectory() -> tuple[torch.nn.Module, list[dict]]:
    net = make_mlp(torch.float64)
    return net, train(net, steps=30, every=6)  # 6 checkpoints


def test_directions_equal_numpy_svd_of_centred_differences(trajectory) -> None:
    net, states = trajectory
    names = [n for n, _ in net.named_parameters()]
    sub = lw.trajectory_subspace(states, dims=3, model=net)
    diff = flat_differences(states, names)
    centred = diff - diff.mean(axis=0)
    _u, s, vt = np.linalg.svd(centred, full_matrices=False)
    ours = sub.flat().double().numpy()
    for j in range(3):
        sign = np.sign(ours[j] @ vt[j])
        np.testing.assert_allclose(ours[j], sign * vt[j], atol=1e-10)
        # sign convention: the largest entry is positive (scikit-learn's)
        assert ours[j][np.argmax(np.abs(ours[j]))] > 0
    np.testing.assert_allclose(sub.extra["explained_variance_ratio"], (s**2 / (s**2).sum())[:3],
                               rtol=1e-10)
    np.testing.assert_allclose(sub.extra["explained_variance"], (s**2 / (len(states) - 1))[:3],
                               rtol=1e-10)
    assert sub.kind == "trajectory" and sub.orthonormal and sub.extra["n_checkpoints"] == 6


def test_directions_equal_scikit_learn_pca_as_li_et_al(trajectory) -> None:
    decomposition = pytest.importorskip("sklearn.decomposition")
    net, states = trajectory
    names = [n for n, _ in net.named_parameters()]
    pca = decomposition.PCA(n_components=2).fit(flat_differences(states, names))
    sub = lw.trajectory_subspace(states, dims=2, model=net)
    ours = sub.flat().double().numpy()
    for j in range(2):
        assert abs(ours[j] @ pca.components_[j]) == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(sub.extra["explained_variance"], pca.explained_variance_,
                               rtol=1e-9)
    np.testing.assert_allclose(sub.extra["explained_variance_ratio"],
                               pca.explained_variance_ratio_, rtol=1e-9)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_directions_are_orthonormal(dtype) -> None:
    net = make_mlp(dtype)
    states = train(net, steps=12, every=3)
    sub = lw.trajectory_subspace(states, dims=4, model=net)
    tol = 1e-12 if dtype == torch.float64 else 1e-6
    np.testing.assert_allclose(sub.cosine_matrix().numpy(), np.eye(4), atol=tol)
    np.testing.assert_allclose(sub.flat().double().norm(dim=1).numpy(), 1.0, atol=tol)
    assert all(t.dtype == dtype for d in sub.directions for t in d.values())


@pytest.mark.parametrize("dtype,rtol", [(torch.float64, 1e-9), (torch.float32, 2e-4)])
def test_projected_checkpoints_reproduce_their_losses(dtype, rtol) -> None:
    # n checkpoints span n - 1 directions: the subspace contains all of them
    net = make_mlp(dtype)
    states = train(net, steps=20, every=5)  # 5 checkpoints
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(64, 5, generator=gen, dtype=dtype)
    y = torch.randn(64, 3, generator=gen, dtype=dtype)
    sub = lw.trajectory_subspace(states, dims=len(states) - 1, model=net)
    path = lw.project_trajectory(sub, states, model=net)
    assert path.coords.shape == (5, 4)
    assert np.all(path.residuals <= (1e-9 if dtype == torch.float64 else 1e-5)
                  * np.maximum(path.distances, 1.0))
    np.testing.assert_allclose(path.coords[-1], 0.0, atol=1e-12)  # the centre is α = 0
    centre = states[-1]
    for i, state in enumerate(states):
        at = {n: centre[n] + sum(float(path.coords[i, j]) * sub.directions[j][n]
                                 for j in range(sub.dims))
              for n in sub.names}
        assert loss_of(net, at, x, y) == pytest.approx(loss_of(net, state, x, y), rel=rtol)


def test_projection_equals_numpy_least_squares_on_any_subspace(trajectory) -> None:
    net, states = trajectory
    names = [n for n, _ in net.named_parameters()]
    sub = lw.random_subspace(net, dims=2, normalization="layer", seed=3, orthogonalize=False,
                             ignore_bias_and_norm=False)
    centre = states[2]
    path = lw.project_trajectory(sub, states, center=centre, model=net)
    flat = flat_differences([*states, centre], names)[:-1]  # rows θᵢ − centre
    d = sub.flat().double().numpy()
    coef, *_ = np.linalg.lstsq(d.T, flat.T, rcond=None)
    np.testing.assert_allclose(path.coords, coef.T, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(path.residuals, np.linalg.norm(flat - coef.T @ d, axis=1),
                               rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(path.distances, np.linalg.norm(flat, axis=1), rtol=1e-12)
    assert path.residuals.max() > 0.1 * path.distances.max()  # far off a random plane


def test_fewer_directions_leave_residuals(trajectory) -> None:
    net, states = trajectory
    sub = lw.trajectory_subspace(states, dims=2, model=net)
    path = lw.project_trajectory(sub, states, model=net, epochs=[0, 6, 12, 18, 24, 30],
                                 losses=np.linspace(2, 1, 6))
    assert path.residuals[0] > 0 and path.residuals[-1] == pytest.approx(0.0, abs=1e-12)
    assert path.labels[1] == "epoch 6" and path.losses.tolist()[0] == 2.0 and len(path) == 6
    assert np.all(path.residuals <= path.distances + 1e-12)


def test_modules_as_checkpoints_and_buffers_ignored() -> None:
    net = make_cnn(torch.float32)
    states = []
    for s in range(4):
        copy = make_cnn(torch.float32)
        copy.load_state_dict(net.state_dict())
        with torch.no_grad():
            for p in copy.parameters():
                p.add_(0.05 * s * torch.randn(p.shape, generator=torch.Generator().manual_seed(s)))
        states.append(copy)
    sub = lw.trajectory_subspace(states, dims=3)  # modules: no model= needed
    assert set(sub.names) == {n for n, _ in net.named_parameters()}  # no running stats
    sub.check_against(net)
    as_dicts = [m.state_dict() for m in states]  # with buffers (running_mean, ...)
    same = lw.trajectory_subspace(as_dicts, dims=3, model=net)
    np.testing.assert_allclose(same.flat().numpy(), sub.flat().numpy(), atol=1e-6)
    path = lw.project_trajectory(sub, as_dicts, model=net)
    assert path.residuals.max() < 1e-5 * path.distances.max()


def test_sample_landscape_records_the_explained_variance(trajectory) -> None:
    net, states = trajectory
    sub = lw.trajectory_subspace(states, dims=2, model=net)
    model = make_mlp(torch.float64)
    model.load_state_dict(states[-1])
    data = (torch.randn(16, 5, dtype=torch.float64), torch.randn(16, 3, dtype=torch.float64))
    land = lw.sample_landscape(model, torch.nn.functional.mse_loss, data, sub, resolution=3,
                               progress=False)
    recorded = land.provenance.extra["subspace"]
    assert land.provenance.source == "trajectory"
    assert recorded["explained_variance_ratio"] == list(sub.extra["explained_variance_ratio"])


def test_bad_input_is_named() -> None:
    net = make_mlp(torch.float64)
    states = train(net, steps=3)  # 4 checkpoints
    with pytest.raises(ValueError, match="dims: expected an integer between 1 and"):
        lw.trajectory_subspace(states, dims=4, model=net)
    with pytest.raises(ValueError, match="model: expected the network"):
        lw.trajectory_subspace(states, dims=2)
    with pytest.raises(ValueError, match="at least 2 checkpoints"):
        lw.trajectory_subspace(states[:1], dims=1, model=net)
    with pytest.raises(TypeError, match="checkpoints: expected a list"):
        lw.trajectory_subspace(states[0], dims=1, model=net)
    with pytest.raises(ValueError, match="span at least dims=2 directions, got 1"):
        lw.trajectory_subspace([states[0], states[1], states[1]], dims=2, model=net)
    bad = dict(states[1])
    bad["0.weight"] = torch.zeros(3, 3, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"checkpoints\[1\]\['0.weight'\]: expected shape"):
        lw.trajectory_subspace([states[0], bad, states[2]], dims=1, model=net)
    missing = {k: v for k, v in states[1].items() if k != "2.bias"}
    with pytest.raises(ValueError, match=r"checkpoints\[1\]: expected a parameter '2.bias'"):
        lw.trajectory_subspace([states[0], missing, states[2]], dims=1, model=net)
    sub = lw.trajectory_subspace(states, dims=2, model=net)
    with pytest.raises(ValueError, match="center: expected the centre the trajectory subspace"):
        lw.project_trajectory(sub, states, center=states[0], model=net)
    with pytest.raises(ValueError, match="labels: expected 4 labels"):
        lw.project_trajectory(sub, states, model=net, labels=["a"])
    with pytest.raises(ValueError, match="losses: expected 4 numbers"):
        lw.project_trajectory(sub, states, model=net, losses=[1.0, 2.0])
    with pytest.raises(TypeError, match="subspace: expected a Subspace"):
        lw.project_trajectory("plane", states, model=net)
    assert isinstance(sub, Subspace)
