"""sample_landscape equals a plain loop over the grid points (float64, < 1e-5)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from torch import nn

from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.landscape import Landscape

from .conftest import burn, loop_reference, random_subspace, trained_bn_stats


def slow_vmap(ev, **context):
    """candidates() with every vmap strategy slowed down to lose the race clearly."""

    from landscape_widgets.evaluation.race import candidates
    from landscape_widgets.evaluation.strategy import VmapChunks, is_vmap

    class SlowVmap(VmapChunks):
        def losses(self, points):
            burn(0.2 * len(points))
            return super().losses(points)

    return [SlowVmap(ev, s.chunk) if is_vmap(s) else s for s in candidates(ev, **context)]

F64 = torch.float64


def sample(model, loss_fn, data, sub, **kw):
    kw.setdefault("progress", False)
    kw.setdefault("dtype", F64)
    return sample_landscape(model, loss_fn, data, sub, **kw)


def assert_matches_loop(land, model, loss_fn, data, sub, atol=1e-5):
    ref = loop_reference(model, loss_fn, data, sub, land.axes)
    assert land.values.shape == ref.shape
    np.testing.assert_allclose(land.values, ref, rtol=0, atol=atol)
    # and not trivially: the landscape must vary over the grid
    assert np.ptp(ref) > 1e-3


@pytest.mark.parametrize("chunk_size", [None, 1, 7])
def test_mlp_2d_equals_loop(mlp_problem, chunk_size):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    land = sample(model, loss_fn, data, sub, resolution=9, extent=1.0, chunk_size=chunk_size)
    # with an automatic chunk size the CPU may race vmap against the loop and keep the faster
    expected = ("vmap", "loop-faster") if chunk_size is None else ("vmap",)
    assert land.provenance.extra["evaluation"] in expected
    assert_matches_loop(land, model, loss_fn, data, sub)


def test_cnn_with_batchnorm_2d_equals_loop(cnn_problem):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=3)
    land = sample(model, loss_fn, data, sub, resolution=(7, 5), extent=[1.0, 0.5])
    assert land.shape == (7, 5)
    assert_matches_loop(land, model, loss_fn, data, sub)


def test_cnn_float32_default_dtype_close_to_loop(cnn_problem):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=4)
    land = sample(model, loss_fn, data, sub, resolution=5, dtype=None)
    assert land.provenance.extra["dtype"] == "float32"
    assert_matches_loop(land, model, loss_fn, data, sub, atol=1e-4)


def test_1d_with_low_high_bounds(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 1)
    land = sample(model, loss_fn, data, sub, resolution=11, extent=[(-0.5, 2.0)])
    assert land.shape == (11,)
    assert land.axes[0][0] == -0.5 and land.axes[0][-1] == 2.0
    assert_matches_loop(land, model, loss_fn, data, sub)


def test_3d_equals_loop(cnn_problem):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 3, seed=5)
    land = sample(model, loss_fn, data, sub, resolution=(3, 4, 5), chunk_size=8)
    assert_matches_loop(land, model, loss_fn, data, sub)


def test_5d_tiny_equals_loop_and_points_order(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 5, seed=6)
    land = sample(model, loss_fn, data, sub, resolution=3, extent=0.8)
    assert land.shape == (3,) * 5
    assert_matches_loop(land, model, loss_fn, data, sub)
    # C order: flat value k belongs to land.points[k]
    k = 97
    alpha = land.points[k]
    one = sample(model, loss_fn, data, sub, resolution=2,
                 extent=[(a - 1e-3, a + 1e-3) if a != 0 else (-1e-3, 1e-3) for a in alpha])
    assert abs(one.values.ravel()[0] - land.values.ravel()[k]) < 1e-2


def test_centre_value_is_model_loss(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    land = sample(model, loss_fn, data, sub, resolution=5)
    x, y = data
    with torch.no_grad():
        expected = float(loss_fn(model.double()(x.double()), y))
    model.float()
    assert land.values.ravel()[land.center_index] == pytest.approx(expected, abs=1e-12)
    assert land.provenance.extra["center_loss"] == pytest.approx(expected, abs=1e-12)


def test_dataloader_with_ragged_last_batch_equals_single_batch(cnn_problem):
    model, loss_fn, (x, y) = cnn_problem
    sub = random_subspace(model, 2, seed=7)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=10)
    assert len(x) % 10 != 0
    whole = sample(model, loss_fn, (x, y), sub, resolution=5)
    batched = sample(model, loss_fn, loader, sub, resolution=5)
    np.testing.assert_allclose(batched.values, whole.values, rtol=0, atol=1e-12)
    assert batched.provenance.extra["n_samples"] == len(x)


def test_generator_of_batches_and_tuple_inputs():
    class TwoInputs(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(3, 2), nn.Linear(4, 2)

        def forward(self, u, v):
            return self.a(u) * self.b(v)

    torch.manual_seed(2)
    model = TwoInputs()
    batches = [((torch.randn(6, 3), torch.randn(6, 4)), torch.randn(6, 2)) for _ in range(3)]
    sub = random_subspace(model, 2)
    land = sample(model, nn.MSELoss(), (b for b in batches), sub, resolution=5)
    assert_matches_loop(land, model, nn.MSELoss(), batches, sub)


def test_affine_head_shortcut_equals_loop():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 8), nn.ReLU(), nn.Linear(8, 2))
    model[1].bias.requires_grad_(False)  # a frozen part of the head layer must not move
    x, y = torch.randn(20, 8, 8), torch.randn(20, 2)
    sub = random_subspace(model, 3, seed=1)
    land = sample(model, nn.MSELoss(), (x, y), sub, resolution=4, chunk_size=5)
    assert land.provenance.extra["affine_head"]
    assert_matches_loop(land, model, nn.MSELoss(), (x, y), sub)


def test_conv_head_shortcut_with_batchnorm_equals_loop():
    torch.manual_seed(4)
    x, y = torch.randn(12, 6, 6, 6), torch.randint(0, 2, (12,))
    model = nn.Sequential(nn.Conv2d(6, 3, 3, bias=False), nn.BatchNorm2d(3), nn.ReLU(),
                          nn.Flatten(), nn.Linear(48, 2))
    model = trained_bn_stats(model, x)
    sub = random_subspace(model, 2, seed=2)
    land = sample(model, nn.CrossEntropyLoss(), (x, y), sub, resolution=5, chunk_size=7)
    assert land.provenance.extra["affine_head"]
    assert_matches_loop(land, model, nn.CrossEntropyLoss(), (x, y), sub)


def test_vmap_unfriendly_model_falls_back_to_loop_with_warning():
    class Branchy(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 1)

        def forward(self, x):
            h = self.lin(x)
            if h.mean() > 0:  # data-dependent control flow: vmap cannot trace it
                return h * 2
            return h

    torch.manual_seed(5)
    model = Branchy()
    x, y = torch.randn(16, 4), torch.randn(16, 1)
    sub = random_subspace(model, 2, scale=2.0)
    with pytest.warns(RuntimeWarning, match="falling back to a per-point loop"):
        land = sample(model, nn.MSELoss(), (x, y), sub, resolution=5, chunk_size=4)
    assert land.provenance.extra["evaluation"] == "loop"
    assert_matches_loop(land, model, nn.MSELoss(), (x, y), sub)


def test_loop_fallback_races_its_variants_and_equals_loop(monkeypatch):
    """A model vmap cannot trace still gets the fastest loop variant (channels-last inputs,
    micro-batches), with the reference's values."""
    from landscape_widgets.evaluation import race as race_mod

    monkeypatch.setattr(race_mod, "MICRO_BATCH_BYTES", 1)
    monkeypatch.setattr(race_mod, "MICRO_BATCH_MIN", 5)

    class BranchyCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 3, 3)
            self.fc = nn.Linear(3 * 36, 2)

        def forward(self, x):
            h = torch.relu(self.conv(x)).flatten(1)
            if h.mean() > 0:  # data-dependent control flow: vmap cannot trace it
                h = h * 2
            return self.fc(h)

    torch.manual_seed(7)
    model = BranchyCNN()
    x, y = torch.randn(12, 1, 8, 8), torch.randint(0, 2, (12,))
    sub = random_subspace(model, 2)
    with pytest.warns(RuntimeWarning, match="falling back to a per-point loop"):
        land = sample(model, nn.CrossEntropyLoss(), (x, y), sub, resolution=7, device="cpu")
    raced = land.provenance.extra["raced"]
    # the loop variants raced each other (vmap is out), micro-batches of 5 among them
    assert raced and not any(r.startswith("vmap") for r in raced)
    assert any("micro-batches of 5" in r for r in raced)
    assert land.provenance.extra["evaluation"] == "loop"
    assert_matches_loop(land, model, nn.CrossEntropyLoss(), (x, y), sub)


def test_nan_and_inf_losses_are_kept():
    torch.manual_seed(6)
    model = nn.Linear(2, 1)
    x, y = torch.randn(8, 2), torch.zeros(8, 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.fill_(0.5)
    d = {"weight": torch.zeros(1, 2), "bias": torch.ones(1)}
    from landscape_widgets.subspace.base import Subspace

    sub = Subspace.from_directions(model, [d])

    def sqrt_loss(out, target):  # NaN where the bias goes negative, +inf in log at 0
        return torch.sqrt(out.mean()) - torch.log(out.mean().abs()) * 0

    land = sample(model, sqrt_loss, (x, y), sub, resolution=5, extent=1.0)
    vals = land.values
    # bias = 0.5 + alpha for alpha in [-1, -0.5, 0, 0.5, 1]
    assert np.isnan(vals[0]) and np.isfinite(vals[2:]).all()
    assert np.isnan(vals[1]) or vals[1] == 0.0 or np.isinf(vals[1])
    np.testing.assert_allclose(vals[2:], np.sqrt([0.5, 1.0, 1.5]), atol=1e-12)

    def log_loss(out, target):
        return torch.log((out - 0.5).abs().mean())  # -inf exactly at the centre

    land = sample(model, log_loss, (x, y), sub, resolution=5, extent=1.0)
    assert land.values[2] == -np.inf and np.isfinite(np.delete(land.values, 2)).all()


def test_provenance(cnn_problem):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=11)
    land = sample(model, loss_fn, data, sub, resolution=3, extent=0.5, device="cpu")
    p = land.provenance
    assert (p.source, p.seed, p.resolution) == ("random", 11, (3, 3))
    assert p.extent == ((-0.5, 0.5), (-0.5, 0.5))
    assert (p.loss_name, p.model_name) == ("CrossEntropyLoss", "SmallCNN")
    assert p.extra["evaluation"] == "vmap" and not p.extra["affine_head"]
    assert p.extra["dtype"] == "float64" and p.extra["device"] == "cpu"

    def my_loss(out, y):
        return nn.functional.cross_entropy(out, y)

    from landscape_widgets.subspace.base import Subspace

    hess = Subspace(directions=sub.directions, kind="hessian", eigenvalues=(3.0, 1.5))
    land = sample(model, my_loss, data, hess, resolution=3)
    assert land.provenance.loss_name == "my_loss"
    assert land.provenance.eigenvalues == (3.0, 1.5)
    assert land.provenance.source == "hessian"


def test_result_survives_save_load(tmp_path, mlp_problem):
    model, loss_fn, data = mlp_problem
    land = sample(model, loss_fn, data, random_subspace(model, 2), resolution=4)
    back = Landscape.load(land.save(tmp_path / "l.npz"))
    np.testing.assert_array_equal(back.values, land.values)
    assert back.provenance == land.provenance


def test_progress_bar_does_not_break(mlp_problem, capsys):
    model, loss_fn, data = mlp_problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        land = sample_landscape(model, loss_fn, data, random_subspace(model, 1), resolution=5,
                                progress=True)
    assert land.shape == (5,)
    assert "1-D landscape" in capsys.readouterr().err


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_equals_cpu(cnn_problem):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=8)
    gpu = sample(model, loss_fn, data, sub, resolution=7, device="cuda")
    assert gpu.provenance.extra["device"].startswith("cuda")
    assert_matches_loop(gpu, model, loss_fn, data, sub)
    default = sample(model, loss_fn, data, sub, resolution=7)
    assert default.provenance.extra["device"].startswith("cuda")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_race_keeps_the_plain_loop_when_vmap_is_slow(cnn_problem):
    """On CUDA the race is vmap against the plain loop only (no channels-last, no slices)."""
    from landscape_widgets.evaluation.sample import sample_with

    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=8)
    land = sample_with(slow_vmap, model, loss_fn, data, sub, resolution=5, device="cuda",
                       progress=False, dtype=F64)
    extra = land.provenance.extra
    assert extra["evaluation"] == "loop-faster"
    assert not extra["channels_last"] and extra["micro_batch"] is None
    assert_matches_loop(land, model, loss_fn, data, sub)


def test_channels_last_layout_keeps_values():
    from landscape_widgets.evaluation.batches import channels_last, has_image_inputs

    for shape in [(3, 1, 5, 6), (3, 4, 5, 6), (2, 1, 3, 4, 5), (2, 3, 3, 4, 5)]:
        x = torch.randn(shape, dtype=F64)
        y = channels_last(x)
        assert torch.equal(x, y) and y.stride() != x.stride()
        assert has_image_inputs((x, torch.randn(3)))
    assert not has_image_inputs(torch.randn(4, 3))
    assert not has_image_inputs(torch.zeros(2, 1, 3, 3, dtype=torch.long))
    # one channel: oneDNN must see unambiguous channels-last strides
    conv = nn.Conv2d(1, 4, 3)
    with torch.no_grad():
        assert conv(channels_last(torch.randn(2, 1, 8, 8))).is_contiguous(
            memory_format=torch.channels_last
        )


@pytest.mark.parametrize("layout", [False, True])
@pytest.mark.parametrize("micro", [None, 5])
def test_cnn_loop_in_each_variant_equals_loop(cnn_problem, layout, micro):
    """The CPU race may keep the fused loop, channels-last or not, in micro-batches or not:
    all equal the reference (24 samples in slices of 5: a ragged last slice)."""
    from landscape_widgets.evaluation.sample import sample_with
    from landscape_widgets.evaluation.strategy import FusedLoop

    from .conftest import only

    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2)
    land = sample_with(only(lambda ev: FusedLoop(ev, channels_last=layout, micro=micro)),
                       model, loss_fn, data, sub, resolution=7, extent=1.0, device="cpu",
                       progress=False, dtype=F64)
    assert land.provenance.extra["evaluation"] == "loop"
    assert land.provenance.extra["channels_last"] is layout
    assert land.provenance.extra["micro_batch"] == micro
    assert land.provenance.extra["fused"] is True  # conv → BN → ReLU folded (fusion.py)
    assert_matches_loop(land, model, loss_fn, data, sub)


def test_split_batch_slices_consistently():
    from landscape_widgets.evaluation.batches import split_batch

    x, z, y = torch.arange(7.0), torch.arange(14.0).reshape(7, 2), torch.arange(7)
    parts = split_batch((x, z), y, 7, 3)
    assert [m for _i, _t, m in parts] == [3, 3, 1]
    assert torch.equal(torch.cat([p[0][1] for p in parts]), z)
    assert torch.equal(torch.cat([p[1] for p in parts]), y)
    assert all(isinstance(p[0], tuple) for p in parts)
    # a tensor without one row per sample (e.g. a shared mask): nothing is cut
    mask = torch.ones(3)
    assert split_batch((x, mask), y, 7, 3) == [((x, mask), y, 7)]
    assert split_batch(x, y, 7, 7) == [(x, y, 7)]


def _micro_candidate(model, loss_fn, data, sub, monkeypatch):
    """The micro-batch size ``candidates()`` lists (None: none), with a tiny byte budget so the
    small test batch counts as large, and the landscape sample_landscape computes then."""
    from landscape_widgets.evaluation import race as race_mod

    from .conftest import evaluator_at_centre

    monkeypatch.setattr(race_mod, "MICRO_BATCH_BYTES", 1)
    monkeypatch.setattr(race_mod, "MICRO_BATCH_MIN", 5)
    ev, meter, loss = evaluator_at_centre(model, loss_fn, data, sub)
    listed = race_mod.candidates(ev, centre=np.zeros(2), centre_loss=loss, meter=meter,
                                 chunk=16, n_points=49)
    sizes = {s.settings()["micro_batch"] for s in listed} - {None}
    assert len(sizes) <= 1
    land = sample(model, loss_fn, data, sub, resolution=7, extent=1.0, device="cpu")
    return next(iter(sizes), None), land


def test_micro_batches_raced_only_when_exact(cnn_problem, monkeypatch):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=4)
    micro, land = _micro_candidate(model, loss_fn, data, sub, monkeypatch)
    assert micro == 5  # a mean over independent samples: slicing is exact
    assert_matches_loop(land, model, loss_fn, data, sub)
    # a summed loss, or one weighted per class, is not a per-sample mean: slices would change it
    for loss in (nn.CrossEntropyLoss(reduction="sum"),
                 nn.CrossEntropyLoss(weight=torch.tensor([1.0, 5.0, 0.2], dtype=F64))):
        micro, _ = _micro_candidate(model, loss, data, sub, monkeypatch)
        assert micro is None, loss
    # batch statistics in eval mode (BatchNorm without running stats) couple the samples
    coupled = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4, track_running_stats=False),
                            nn.Flatten(), nn.Linear(4 * 36, 3)).to(F64)
    micro, _ = _micro_candidate(coupled, loss_fn, data, random_subspace(coupled, 2), monkeypatch)
    assert micro is None

    class FixedBatch(nn.Module):  # reshapes to the whole batch's size: slices make it raise
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3)
            self.fc = nn.Linear(2 * 36, 3)

        def forward(self, x):
            return self.fc(self.conv(x).reshape(24, -1))

    fixed = FixedBatch().to(F64)
    micro, land = _micro_candidate(fixed, loss_fn, data, random_subspace(fixed, 2), monkeypatch)
    assert micro is None
    assert np.isfinite(land.values).all()


def test_cnn_real_race_equals_loop(cnn_problem):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=3)
    land = sample(model, loss_fn, data, sub, resolution=7, extent=1.0)
    assert land.provenance.extra["evaluation"] in ("vmap", "loop-faster")
    assert_matches_loop(land, model, loss_fn, data, sub)


def test_race_drops_a_loop_variant_the_model_cannot_run():
    """``h.view(n, -1)`` after a convolution fails on channels-last activations (they are not
    contiguous): that variant leaves the race, the landscape is still computed and exact."""

    class ViewCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)
            self.fc = nn.Linear(4 * 6 * 6, 3)

        def forward(self, x):
            h = torch.relu(self.conv(x))
            return self.fc(h.view(h.size(0), -1))

    torch.manual_seed(2)
    model = ViewCNN().to(F64)
    data = (torch.randn(16, 3, 8, 8, dtype=F64), torch.randint(0, 3, (16,)))
    sub = random_subspace(model, 2, seed=1)
    with pytest.raises(RuntimeError, match="view size"):  # the failure the race must absorb
        model(data[0].contiguous(memory_format=torch.channels_last))
    land = sample(model, nn.CrossEntropyLoss(), data, sub, resolution=9, device="cpu")
    assert land.provenance.extra["channels_last"] is False
    assert_matches_loop(land, model, nn.CrossEntropyLoss(), data, sub)


def test_race_times_two_vmap_chunk_sizes_and_keeps_one(mlp_problem, monkeypatch):
    from landscape_widgets.evaluation import memory
    from landscape_widgets.evaluation.race import candidates
    from landscape_widgets.evaluation.sample import sample_with
    from landscape_widgets.evaluation.strategy import VmapChunks, is_vmap

    monkeypatch.setattr(memory, "CPU_MAX_CHUNK", 40)
    sizes = []

    class Recorded(VmapChunks):
        def losses(self, points):
            sizes.append(len(points))
            return super().losses(points)

    def recorded(ev, **context):
        return [Recorded(ev, s.chunk) if is_vmap(s) else s for s in candidates(ev, **context)]

    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2, seed=9)
    land = sample_with(recorded, model, loss_fn, data, sub, resolution=15, extent=1.0,
                       device="cpu", progress=False, dtype=F64)  # 225 points
    assert_matches_loop(land, model, loss_fn, data, sub)
    # warm-up chunk of 8, then the race's chunks of 20 and 40 (the smaller first: the larger is
    # skipped only where vmap already lost to the loop by RACE_PRUNE), then the winner's size
    # (or the loop, which leaves no further vmap calls)
    if land.provenance.extra["evaluation"] == "vmap":
        assert sizes[:3] == [8, 20, 40], sizes
        assert sizes[3] in (40, 20) and all(s <= sizes[3] for s in sizes[3:]), sizes
    else:
        assert sizes in ([8, 20], [8, 20, 40]), sizes
