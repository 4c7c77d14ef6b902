"""Random subspaces: filter / layer / unit norms, zeroed bias and norm-layer directions,
orthogonality (|cos| < 1e-6, where Landscaper's Gram–Schmidt gives −0.99998), private seeding."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from landscape_widgets.subspace import Subspace, gram_schmidt, random_subspace

from ..torch_references import make_cnn, make_mlp

BN_AND_BIAS = {"0.bias", "1.weight", "1.bias", "3.bias", "4.weight", "4.bias", "7.bias"}


def filter_norms(t: torch.Tensor) -> torch.Tensor:
    return t.double().reshape(t.shape[0], -1).norm(dim=1) if t.ndim > 1 else t.double().abs()


@pytest.mark.parametrize("make", [make_mlp, make_cnn])
def test_filter_normalised_directions_have_the_models_filter_norms(make):
    model = make(torch.float32)
    sub = random_subspace(model, dims=3, normalization="filter", seed=0, orthogonalize=False)
    assert sub.kind == "random" and sub.normalization == "filter" and sub.seed == 0
    sub.check_against(model)
    params = dict(model.named_parameters())
    zeroed = set(sub.extra["zeroed"])
    for d in sub.directions:
        for n, p in params.items():
            assert d[n].dtype == p.dtype and d[n].device.type == "cpu"
            if n in zeroed:
                assert not d[n].any(), n
            else:
                got, want = filter_norms(d[n]), filter_norms(p)
                torch.testing.assert_close(got, want, rtol=1e-6, atol=1e-7)
    if make is make_cnn:
        assert zeroed == BN_AND_BIAS


def test_not_ignoring_bias_and_norm_normalises_them_elementwise():
    model = make_cnn(torch.float64)
    sub = random_subspace(model, dims=1, seed=1, ignore_bias_and_norm=False)
    assert sub.extra["zeroed"] == []
    for n, p in model.named_parameters():
        if p.ndim == 1:  # each entry is a filter of one element: |d_i| = |θ_i|
            torch.testing.assert_close(sub.directions[0][n].abs(), p.detach().abs())


def test_layer_normalisation():
    model = make_cnn(torch.float64)
    sub = random_subspace(model, dims=2, normalization="layer", seed=0, orthogonalize=False)
    for d in sub.directions:
        for n, p in model.named_parameters():
            if n not in BN_AND_BIAS:
                assert d[n].norm().item() == pytest.approx(p.norm().item(), rel=1e-9)


def test_no_normalisation_gives_orthonormal_directions():
    sub = random_subspace(make_mlp(), dims=4, normalization=None, seed=0)
    flat = sub.flat().double()
    torch.testing.assert_close(flat @ flat.T, torch.eye(4, dtype=torch.float64), atol=1e-12, rtol=0)
    assert sub.orthonormal


@pytest.mark.parametrize("normalization", ["filter", "layer", None])
@pytest.mark.parametrize("make", [make_mlp, make_cnn])
def test_orthogonal_up_to_six_dims_and_lengths_kept(normalization, make):
    model = make(torch.float32)
    plain = random_subspace(model, 6, normalization, seed=3, orthogonalize=False)
    ortho = random_subspace(model, 6, normalization, seed=3)
    cos = ortho.cosine_matrix() - torch.eye(6, dtype=torch.float64)
    assert cos.abs().max() < 1e-6
    # the same draws: the first direction is untouched, the others keep their length
    assert torch.equal(plain.flat()[0], ortho.flat()[0])
    torch.testing.assert_close(ortho.flat().double().norm(dim=1), plain.flat().double().norm(dim=1))
    assert ortho.extra["orthogonalization"] == "gram-schmidt"
    assert plain.cosine_matrix().abs().fill_diagonal_(0).max() > 1e-6  # so the test can fail


def test_seeding_is_private_and_reproducible():
    model = make_cnn(torch.float32)
    state = torch.get_rng_state()
    a = random_subspace(model, dims=2, seed=7)
    assert torch.equal(torch.get_rng_state(), state)  # the global generator was not touched
    torch.manual_seed(123)
    b = random_subspace(model, dims=2, seed=7)
    assert torch.equal(a.flat(), b.flat())
    assert not torch.equal(a.flat(), random_subspace(model, dims=2, seed=8).flat())
    fresh = random_subspace(model, dims=2, seed=None)
    assert isinstance(fresh.seed, int)
    assert torch.equal(fresh.flat(), random_subspace(model, dims=2, seed=fresh.seed).flat())


def test_model_is_untouched():
    model = make_cnn(torch.float32).train()
    before = {n: p.detach().clone() for n, p in model.state_dict().items()}
    random_subspace(model, dims=3, seed=0)
    assert all(torch.equal(before[n], t) for n, t in model.state_dict().items())
    assert model.training


def test_bad_input():
    model = make_mlp()
    want = r"normalization: expected one of \('filter', 'layer', None\), got 'l2'"
    with pytest.raises(ValueError, match=want):
        random_subspace(model, normalization="l2")
    with pytest.raises(ValueError, match="dims: expected an integer between 1 and .* got 0"):
        random_subspace(model, dims=0)
    tiny = torch.nn.Linear(2, 1)  # 2 weights + 1 bias (zeroed)
    with pytest.raises(ValueError, match=r"and the number of free parameters \(2, biases"):
        random_subspace(tiny, dims=3)
    random_subspace(tiny, dims=3, ignore_bias_and_norm=False, normalization=None)  # 3 free: fine
    with pytest.raises(ValueError, match="dims: expected an integer"):
        random_subspace(model, dims=2.0)
    zero = torch.nn.Linear(3, 2)
    torch.nn.init.zeros_(zero.weight)
    with pytest.raises(ValueError, match="all-zero filter-norms; use normalization=None"):
        random_subspace(zero, dims=1)
    with pytest.raises(TypeError, match="expected a torch.nn.Module"):
        random_subspace("net")


def landscaper_style_gram_schmidt(flat: torch.Tensor) -> torch.Tensor:
    """The peer's bug, for contrast: projections not divided by ‖d‖²."""
    out = flat.clone()
    for i in range(1, out.shape[0]):
        for j in range(i):
            out[i] -= (out[j] @ out[i]) * out[j]
    return out


def test_gram_schmidt_divides_by_the_squared_norm():
    gen = torch.Generator().manual_seed(0)
    flat = torch.randn(2, 1000, generator=gen, dtype=torch.float64) * 3
    bad = landscaper_style_gram_schmidt(flat)
    good = gram_schmidt(flat)
    cos = lambda m: (m[0] @ m[1] / (m[0].norm() * m[1].norm())).item()  # noqa: E731
    assert abs(cos(bad)) > 0.9
    assert abs(cos(good)) < 1e-12


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(1, 6), cols=st.integers(6, 40), seed=st.integers(0, 10_000))
def test_property_gram_schmidt(rows, cols, seed):
    gen = torch.Generator().manual_seed(seed)
    scales = torch.rand(rows, 1, generator=gen, dtype=torch.float64) + 0.1
    flat = torch.randn(rows, cols, generator=gen, dtype=torch.float64) * scales
    out = gram_schmidt(flat)
    gram = out @ out.T
    off = gram - torch.diag(torch.diag(gram))
    assert off.abs().max() <= 1e-12 * gram.diag().max()
    torch.testing.assert_close(out.norm(dim=1), flat.norm(dim=1))  # lengths kept
    # same span: each input row is reproduced by projecting onto the output rows
    q = out / out.norm(dim=1, keepdim=True)
    torch.testing.assert_close(flat @ q.T @ q, flat, atol=1e-10, rtol=0)
    # the first k rows span the same space as the first k inputs (triangular structure)
    assert np.allclose(out[0].numpy(), flat[0].numpy())


def test_gram_schmidt_rejects_dependent_rows():
    flat = torch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]], dtype=torch.float64)
    with pytest.raises(ValueError, match="linearly independent directions, got direction 1"):
        gram_schmidt(flat)


def test_subspace_is_frozen():
    sub = random_subspace(make_mlp(), dims=1)
    with pytest.raises(AttributeError):
        sub.kind = "other"
    assert isinstance(sub, Subspace)
