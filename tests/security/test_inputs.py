"""Issue 14, items 6 and 7: inputs that used to give silently wrong results (or hang) now give
right results or clear errors. Each test failed before the fix."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.graph import knn_graph, lattice_graph, lattice_offsets
from landscape_widgets.metrics import basin_depths, landscape_metrics, smad
from landscape_widgets.model.data import as_batches
from landscape_widgets.topology import merge_tree


def _net() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Linear(3, 1)


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    return torch.randn(16, 3, generator=g), torch.randn(16, 1, generator=g)


# ---------------------------------------------------------------- one-shot iterables
class OneShot:
    """Has ``__len__``, but ``__iter__`` hands out the same iterator every time."""

    def __init__(self, batches):
        self._batches = batches
        self._iterator = iter(batches)

    def __len__(self) -> int:
        return len(self._batches)

    def __iter__(self):
        return self._iterator


def test_one_shot_iterable_with_len_is_read_once_and_kept():
    x, y = _data()
    batches = [(x[:8], y[:8]), (x[8:], y[8:])]
    wrapped = as_batches(OneShot(batches))
    # several passes see every batch (validation did not eat the first one)
    assert [len(list(wrapped)) for _ in range(3)] == [2, 2, 2]
    net = _net()
    sub = lw.random_subspace(net, dims=1, seed=0)
    reference = lw.sample_landscape(net, torch.nn.MSELoss(), batches, sub, resolution=3,
                                    progress=False)
    got = lw.sample_landscape(net, torch.nn.MSELoss(), OneShot(batches), sub, resolution=3,
                              progress=False)
    np.testing.assert_array_equal(got.values, reference.values)


class SharedSource:
    """Fresh iterators, but over one shared generator: only the first pass sees the data."""

    def __init__(self, batches):
        self._n = len(batches)
        self._shared = iter(batches)

    def __len__(self) -> int:
        return self._n

    def __iter__(self):
        return (b for b in self._shared)


def test_iterable_exhausted_after_a_pass_is_an_error_not_a_wrong_loss():
    x, y = _data()
    batches = [(x[:8], y[:8]), (x[8:], y[8:])]
    net = _net()
    sub = lw.random_subspace(net, dims=1, seed=0)
    # checking the first batch took it from the shared source: a pass now sees only batch 1
    with pytest.raises(ValueError, match=r"data: expected every pass over the data to give the "
                                         r"same 2 batches \(its len\(\) or first pass\), got 1"):
        lw.sample_landscape(net, torch.nn.MSELoss(), SharedSource(batches), sub,
                            resolution=3, progress=False)


# ---------------------------------------------------------------- seeds
@pytest.mark.parametrize("seed", [1.5, 2.0, np.float64(2.0), "3", True, [1]])
def test_non_integer_seeds_are_refused(seed):
    with pytest.raises(TypeError, match="seed: expected an integer seed, got"):
        lw.random_subspace(_net(), dims=1, seed=seed)


def test_hessian_seeds_are_checked_and_numpy_integers_work():
    from landscape_widgets.hessian.linear import MatrixOperator

    op = MatrixOperator(torch.diag(torch.arange(1.0, 21.0, dtype=torch.float64)))
    for call in (lambda s: lw.lanczos_eigenpairs(op, 1, seed=s),
                 lambda s: lw.hutchinson_trace(op, seed=s),
                 lambda s: lw.spectral_density(op, steps=5, n_probes=1, seed=s)):
        with pytest.raises(TypeError, match="seed: expected an integer seed, got float 1.5"):
            call(1.5)
    # numpy integers used to fail inside torch ("an integer is required")
    a = lw.hutchinson_trace(op, seed=np.int64(3)).value
    assert a == lw.hutchinson_trace(op, seed=3).value


# ---------------------------------------------------------------- complex values
COMPLEX = np.arange(9.0).reshape(3, 3) + 1j
RNG = np.random.default_rng(0)


@pytest.mark.parametrize("call", [
    lambda: lw.Landscape.from_array(COMPLEX),
    lambda: lw.Landscape(values=COMPLEX, axes=(np.arange(3.0), np.arange(3.0))),
    lambda: lw.Landscape(values=np.ones(3), axes=(np.arange(3.0) + 0j,)),
    lambda: lw.Landscape.from_function(lambda p: p.sum(1) + 1j, dims=1, resolution=3),
    lambda: merge_tree(COMPLEX),
    lambda: merge_tree(RNG.random((5, 2)), np.arange(5) + 1j),
    lambda: merge_tree(RNG.random((5, 2)) + 1j, np.arange(5.0)),
    lambda: knn_graph(RNG.random((5, 2)) + 1j, k=2),
    lambda: lw.Landscape.from_array(torch.ones(3, 3, dtype=torch.complex64)),
    lambda: lw.Landscape.from_array(np.array([[1.0, 2j], [3.0, 4.0]], dtype=object)),
], ids=["from_array", "Landscape", "axes", "from_function", "merge_tree", "tree-values",
        "tree-points", "knn", "tensor", "object"])
def test_complex_arrays_are_refused(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning: refused before any cast
        with pytest.raises(TypeError, match="expected real numbers, got complex values"):
            call()


def test_complex_loss_is_refused():
    net, (x, y) = _net(), _data()
    sub = lw.random_subspace(net, dims=1, seed=0)

    def complex_mse(out, target):
        return ((out - target) ** 2).mean() * (1 + 1j)

    with pytest.raises(TypeError, match="loss_fn: expected a real loss, got a complex tensor"):
        lw.sample_landscape(net, complex_mse, (x, y), sub, resolution=3, progress=False)
    with pytest.raises(TypeError, match="loss_fn: expected a real loss, got a complex tensor"):
        lw.hutchinson_trace(lw.hvp_operator(net, complex_mse, (x, y), device="cpu"))


def test_complex_parameters_and_directions_are_refused():
    net = _net()
    d = {n: torch.randn_like(p) * (1 + 1j) for n, p in net.named_parameters()}
    with pytest.raises(TypeError, match=r"directions\[0\]\['weight'\]: expected real tensors"):
        lw.Subspace.from_directions(net, [d])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: "Complex modules are a new feature"
        cnet = torch.nn.Linear(3, 1).to(torch.complex64)
    with pytest.raises(TypeError, match="model: expected real parameters, got complex ones"):
        lw.random_subspace(cnet, dims=1)


# ---------------------------------------------------------------- non-finite axes
@pytest.mark.parametrize("axis", [[0.0, 1.0, np.inf], [-np.inf, 1.0, 2.0], [np.nan, 1.0, 2.0]])
def test_non_finite_axes_are_refused(axis):
    with pytest.raises(ValueError, match=r"axes\[0\]: expected finite coordinates"):
        lw.Landscape(values=np.ones(3), axes=(np.array(axis),))


def test_non_finite_single_point_axis_is_refused():
    with pytest.raises(ValueError, match=r"axes\[1\]: expected finite coordinates"):
        lw.Landscape(values=np.ones((2, 1)), axes=(np.array([0.0, 1.0]), np.array([np.nan])))


# ---------------------------------------------------------------- metrics vs persistence
def _reference_metrics(tree):
    """Plain loops over the pairs: what the metrics must say."""
    births, deaths = tree.pairs[:, 0], tree.pairs[:, 1]
    finite = [d - b for b, d in zip(births, deaths) if np.isfinite(b) and np.isfinite(d)]
    return (float(np.mean(finite)) if finite else float("nan"),
            float(sum(p * p for p in finite)))


@pytest.mark.parametrize("values", [
    np.full((4, 4), np.nan),
    np.full((4, 4), np.inf),
    np.pad(np.array([[0.0, 1.0], [2.0, -1.0]]), 2, constant_values=np.nan),  # a NaN ring
    np.array([np.nan, np.nan, 0.0]),  # NaN vertex 0 is a minimum at +inf, dies at +inf
    np.array([np.nan, np.nan, 0.0, np.nan, np.nan, 1.0]),
], ids=["all-nan", "all-inf", "nan-ring", "nan-pair", "nan-walls"])
def test_metrics_agree_with_persistence_on_non_finite_inputs(values):
    tree = merge_tree(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "invalid value encountered in subtract"
        depths = basin_depths(tree)
        m = landscape_metrics(tree)
    assert not np.isnan(depths).any()
    dies = tree.death_saddle[1:] >= 0
    np.testing.assert_array_equal(depths[1:][dies], tree.persistence[dies])
    average, total = _reference_metrics(tree)
    np.testing.assert_equal(m.average_persistence, average)
    assert m.total_persistence == total


def test_all_nan_and_all_inf_basins_have_depth_zero():
    for fill in (np.nan, np.inf):
        assert basin_depths(merge_tree(np.full((3, 3), fill))).tolist() == [0.0]


def test_nan_pair_is_left_out_of_averages_like_smad():
    tree = merge_tree(np.array([np.nan, np.nan, 0.0]))
    assert tree.pairs.tolist() == [[np.inf, np.inf]] and tree.persistence.tolist() == [0.0]
    m = landscape_metrics(tree)
    # the (+inf, +inf) pair dies only through NaN vertices: left out, as smad leaves its arc
    assert np.isnan(m.average_persistence) and m.total_persistence == 0.0 and smad(tree) == 0.0
    assert basin_depths(tree).tolist() == [0.0, 0.0]


def test_random_nan_rings_agree_with_persistence():
    rng = np.random.default_rng(5)
    for _ in range(30):
        values = rng.random((7, 8))
        values[rng.random(values.shape) < 0.3] = rng.choice([np.nan, np.inf, -np.inf])
        for connectivity in ("full", "axis"):
            tree = merge_tree(values, connectivity=connectivity)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                depths = basin_depths(tree)
                m = landscape_metrics(tree)
            dies = tree.death_saddle[1:] >= 0
            np.testing.assert_array_equal(depths[1:][dies], tree.persistence[dies])
            assert not np.isnan(depths).any() and (depths >= 0).all()
            average, total = _reference_metrics(tree)
            np.testing.assert_allclose(m.average_persistence, average, equal_nan=True)
            assert m.total_persistence == pytest.approx(total)


# ---------------------------------------------------------------- collection keys 1 / True
def _land(shift: float = 0.0) -> lw.Landscape:
    return lw.Landscape.from_function(lambda p: (p**2).sum(1) + shift, resolution=5)


def test_keys_one_and_true_are_different_and_never_mixed():
    coll = LandscapeCollection()
    coll.add({"a": 1, "b": 0}, _land())
    with pytest.raises(TypeError, match="key 'a': expected a number like the other entries"):
        coll.add({"a": True, "b": 0}, _land(1.0))
    with pytest.raises(KeyError, match="no entry with key a=True"):
        coll[{"a": True, "b": 0}]
    assert {"a": True, "b": 0} not in coll
    assert coll.find(a=True) == [] and len(coll.find(a=1)) == 1
    bools = LandscapeCollection()
    bools.add({"flag": True}, _land())
    bools.add({"flag": False}, _land(1.0))
    assert bools.values_of("flag") == [False, True]
    assert bools.find(flag=1) == [] and bools.find(flag=0) == []
    with pytest.raises(TypeError, match="key 'flag': expected a bool"):
        bools.add({"flag": 1}, _land(2.0))
    # ints and floats are one kind of number: 1 and 1.0 are the same key
    with pytest.raises(ValueError, match="already has an entry"):
        coll.add({"a": 1.0, "b": 0}, _land(3.0))


def test_saved_collection_mixing_true_and_one_is_refused(tmp_path):
    coll = LandscapeCollection(tmp_path / "c")
    coll.add({"a": 1}, _land())
    coll.add({"a": 2}, _land(1.0))
    index = tmp_path / "c" / "collection.json"
    index.write_text(index.read_text().replace('"a": 2', '"a": true'))
    with pytest.raises(TypeError, match="key 'a': expected a number like the other entries"):
        LandscapeCollection(tmp_path / "c")


def test_pivot_of_a_key_against_itself_is_refused():
    coll = LandscapeCollection()
    for a in (1, 2):
        coll.add({"a": a, "b": 0}, _land(a))
    with pytest.raises(ValueError, match="rows, cols: expected two different key names, got 'a'"):
        coll.pivot("center_loss", rows="a", cols="a")
    assert coll.pivot("center_loss", rows="a").shape == (2, 1)


# ---------------------------------------------------------------- a tree of other values
def test_views_refuse_a_tree_of_other_values():
    pytest.importorskip("anywidget")
    land, other = _land(), _land(1.0)
    tree_of_other = merge_tree(other)
    match = "expected the merge tree of this landscape's values, got one of other values"
    with pytest.raises(ValueError, match=match):
        lw.Explorer(land, tree=tree_of_other)
    with pytest.raises(ValueError, match=match):
        lw.ProfileView(tree_of_other, landscape=land)
    with pytest.raises(ValueError, match=match):
        lw.ContourView(land, tree=tree_of_other)
    with pytest.raises(ValueError, match=r"shape \(5, 5\) does not match the tree's \(4, 4\)"):
        lw.Explorer(land, tree=merge_tree(RNG.random((4, 4))))
    lw.Explorer(land, tree=merge_tree(land, connectivity="axis"))  # its own tree: fine


# ---------------------------------------------------------------- float32 orthogonality
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16])
def test_orthogonality_reached_in_the_models_dtype(dtype):
    net = torch.nn.Sequential(torch.nn.Linear(10, 20), torch.nn.ReLU(), torch.nn.Linear(20, 3))
    net.to(dtype)
    bound = 1e-12 if dtype == torch.float64 else torch.finfo(dtype).eps  # 2u, see random.py
    for seed in range(10):
        sub = lw.random_subspace(net, dims=3, seed=seed)
        assert all(t.dtype == dtype for d in sub.directions for t in d.values())
        cos = sub.cosine_matrix().abs().fill_diagonal_(0.0)
        assert cos.max().item() <= bound
        assert sub.extra["max_abs_cosine"] == pytest.approx(cos.max().item(), rel=1e-9, abs=0)
    # float32 rounding mostly cancels: far below the worst case for a few hundred parameters
    if dtype == torch.float32:
        assert sub.extra["max_abs_cosine"] < 2e-8


# ---------------------------------------------------------------- item 7: no hang
def test_full_connectivity_in_high_dimension_is_refused_at_once():
    values = np.random.default_rng(0).random((2,) * 14)
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"about 3.9e\+10 edges.*connectivity='axis' \(28 "):
        merge_tree(values)
    with pytest.raises(ValueError, match="connectivity='axis'"):
        lattice_graph(values.shape, "full")
    with pytest.raises(ValueError, match="connectivity='axis'"):
        lattice_offsets(14, "full")
    assert time.perf_counter() - start < 5.0
    tree = merge_tree(values, connectivity="axis")  # the way out named in the message works
    assert tree.n_vertices == 2**14


def test_axes_of_length_one_cost_nothing():
    values = np.random.default_rng(1).random((5, 6))
    padded = values.reshape((1,) * 20 + (5, 6))  # 22 axes, only two with neighbours
    a, b = merge_tree(values), merge_tree(padded)
    np.testing.assert_array_equal(a.pairs, b.pairs)
    np.testing.assert_array_equal(a.basins, b.basins)
    assert b.shape == padded.shape
    g = lattice_graph(padded.shape, "full")
    np.testing.assert_array_equal(g.indices, lattice_graph((5, 6), "full").indices)
    assert g.shape == padded.shape
