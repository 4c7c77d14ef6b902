"""The conv/BN/ReLU-fused loop model computes the model's function, at perturbed parameters too,
and fuses only what it can prove: references are the unfused modules themselves."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from landscape_widgets.evaluation import fusion
from landscape_widgets.evaluation.fusion import fused_for_inference
from landscape_widgets.evaluation.sample import sample_with
from landscape_widgets.evaluation.strategy import FusedLoop

from .conftest import SmallCNN, evaluator_at_centre, only, random_subspace, trained_bn_stats

F64 = torch.float64


class Chains(nn.Module):
    """Every pattern: conv-BN-ReLU (module), conv-ReLU (function, method, in-place), conv-BN
    without ReLU, grouped and dilated convs, a conv whose output is used twice (not fusable
    with its ReLU) and a BN without affine parameters."""

    def __init__(self) -> None:
        super().__init__()
        self.c1, self.b1, self.r1 = nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU()
        self.c2 = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=4)
        self.c3, self.b3 = nn.Conv2d(8, 8, 1, bias=False), nn.BatchNorm2d(8, affine=False)
        self.c4 = nn.Conv2d(8, 8, 3, stride=2)
        self.c5, self.r5 = nn.Conv2d(8, 6, 3), nn.ReLU(inplace=True)
        self.c6 = nn.Conv2d(6, 6, 1)
        self.fc = nn.Linear(6 * 3 * 3, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.r1(self.b1(self.c1(x)))
        h = torch.relu(self.c2(h))
        h = self.b3(self.c3(h)).relu()
        h = nn.functional.relu(self.c4(h), inplace=True)
        h = self.r5(self.c5(h))
        skip = self.c6(h)
        h = torch.relu(skip) + skip  # two users: the ReLU stays separate
        return self.fc(h.flatten(1))


def _model(dtype=torch.float32) -> tuple[nn.Module, torch.Tensor]:
    torch.manual_seed(0)
    x = torch.randn(6, 3, 12, 12, dtype=dtype)
    return trained_bn_stats(Chains().to(dtype), x), x


def _fused_calls(fused) -> int:
    return sum(n.target is fusion.conv_bn_relu for n in fused.graph.nodes)


@pytest.mark.parametrize("dtype", [torch.float32, F64])
def test_fused_model_equals_model(dtype):
    model, x = _model(dtype)
    fused = fused_for_inference(model)
    assert _fused_calls(fused) == 5  # c1-c5; c6 has nothing to fuse
    assert sorted(dict(fused.named_parameters())) == sorted(dict(model.named_parameters()))
    with torch.no_grad():
        expected, got = model(x), fused(x)
    atol = 1e-5 if dtype == torch.float32 else 1e-12
    torch.testing.assert_close(got, expected, rtol=0, atol=atol)


def test_fold_uses_the_parameters_handed_in():
    """The fold is recomputed from the perturbed parameters at each call, so functional_call
    at θ + δ gives the model's output at θ + δ, not at θ."""
    model, x = _model(F64)
    fused = fused_for_inference(model)
    sub = random_subspace(model, 1, scale=0.5)
    moved = {n: p + sub.directions[0][n] for n, p in model.named_parameters()}
    buffers = dict(model.named_buffers())
    with torch.no_grad():
        expected = torch.func.functional_call(model, (moved, buffers), (x,))
        got = torch.func.functional_call(fused, (moved, buffers), (x,))
        centre = model(x)
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-12)
    assert (expected - centre).abs().max() > 1e-2


def test_onednn_relu_post_op_on_channels_last_input():
    from landscape_widgets.evaluation.batches import channels_last

    conv = nn.Conv2d(1, 16, 3)
    x = channels_last(torch.randn(4, 1, 10, 10))
    with torch.no_grad():
        y = fusion.conv_bn_relu(x, conv.weight, conv.bias, None, (1, 1), (0, 0), (1, 1), 1,
                                True)
        torch.testing.assert_close(y, torch.relu(conv(x)), rtol=0, atol=1e-6)
    assert y.is_contiguous(memory_format=torch.channels_last)


def test_nothing_to_fuse_or_not_provably_the_same():
    assert fused_for_inference(nn.Sequential(nn.Linear(4, 4), nn.ReLU())) is None
    assert fused_for_inference(nn.Sequential(nn.Conv2d(1, 2, 3), nn.Tanh())) is None
    # training-mode batch norm uses batch statistics: no fold (and no ReLU after it to fuse)
    assert fused_for_inference(nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))) is None
    # eval mode without running statistics: batch statistics again
    no_stats = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2, track_running_stats=False))
    assert fused_for_inference(no_stats.eval()) is None
    # padding modes other than zeros, and 'same' padding, stay as they are
    assert fused_for_inference(nn.Sequential(nn.Conv2d(1, 2, 3, padding=1,
                                                       padding_mode="reflect"), nn.ReLU())) is None
    assert fused_for_inference(nn.Sequential(nn.Conv2d(1, 2, 3, padding="same"),
                                             nn.ReLU())) is None
    # a hook on a module that fusion would remove: it would no longer run
    hooked = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())
    hooked[0].register_forward_hook(lambda *_: None)
    assert fused_for_inference(hooked) is None


def test_untraceable_model_is_left_alone():
    class Branchy(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3)

        def forward(self, x):
            h = self.conv(x)
            return torch.relu(h) if h.sum() > 0 else h  # data-dependent: fx cannot trace

    assert fused_for_inference(Branchy().eval()) is None


def test_unused_modules_do_not_break_the_fused_call():
    """A module the forward never calls is missing from the traced copy; sample_landscape
    hands the fused model only its own names and still equals the reference."""
    from .test_sample import assert_matches_loop

    class WithSpare(SmallCNN):
        def __init__(self):
            super().__init__()
            self.spare = nn.Linear(3, 3)

    torch.manual_seed(1)
    x = torch.randn(24, 1, 8, 8, dtype=F64)
    model = trained_bn_stats(WithSpare().to(F64), x)
    data = (x, torch.randint(0, 3, (24,)))

    sub = random_subspace(model, 2)
    land = sample_with(only(FusedLoop), model, nn.CrossEntropyLoss(), data, sub, resolution=7,
                       device="cpu", progress=False, dtype=F64)
    assert land.provenance.extra["fused"] is True
    assert_matches_loop(land, model, nn.CrossEntropyLoss(), data, sub)


def test_a_fused_model_that_changes_the_loss_is_not_used(cnn_problem, monkeypatch):
    from landscape_widgets.evaluation.race import candidates

    from .test_sample import assert_matches_loop, sample

    real = fusion.conv_bn_relu

    def off_by_a_little(*args):
        return real(*args) * (1 + 1e-4)

    monkeypatch.setattr(fusion, "conv_bn_relu", off_by_a_little)  # a wrong fusion, on purpose
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2)
    ev, meter, loss = evaluator_at_centre(model, loss_fn, data, sub)
    assert not FusedLoop(ev).reproduces(np.zeros(2), loss)
    listed = candidates(ev, centre=np.zeros(2), centre_loss=loss, meter=meter, chunk=16,
                        n_points=200)
    assert listed and not any(s.settings()["fused"] for s in listed)
    land = sample(model, loss_fn, data, sub, resolution=7, device="cpu")
    assert land.provenance.extra["fused"] is False
    assert_matches_loop(land, model, loss_fn, data, sub)
    assert np.isfinite(land.values).all()


@pytest.mark.parametrize("kernel", [(2, 2), (3, 3), (2, 3), (1, 1)])
def test_max_pool_by_maxima_equals_max_pool2d(kernel):
    torch.manual_seed(0)
    x = torch.randn(3, 5, 11, 10)
    x[0, 0, 0, 0] = float("nan")  # NaN propagates through its window, as in max_pool2d
    x[1, 2, 4, 4] = float("inf")
    x[2, 1, 3, 3] = -float("inf")
    expected = nn.functional.max_pool2d(x, kernel)
    for layout in (x, x.contiguous(memory_format=torch.channels_last)):
        got = fusion.max_pool_by_maxima(layout, kernel)
        torch.testing.assert_close(got, expected, rtol=0, atol=0, equal_nan=True)
    assert torch.isnan(got[0, 0, 0, 0])


class Pools(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.pool_module = nn.MaxPool2d(2)
        self.overlapping = nn.MaxPool2d(3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.pool_module(x)  # replaced
        b = nn.functional.max_pool2d(x, kernel_size=(2, 2), stride=2)  # replaced
        c = nn.functional.max_pool2d(x, 2, padding=1)  # padding: kept
        d = nn.functional.max_pool2d(x, 2, ceil_mode=True)  # ceil mode: kept
        e = self.overlapping(x)  # stride != kernel: kept
        f, _ = nn.functional.max_pool2d(x, 2, return_indices=True)  # indices: kept
        return a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + f.sum()


def test_only_non_overlapping_pools_are_replaced():
    model = Pools().eval()
    fused = fused_for_inference(model)
    targets = [n.target for n in fused.graph.nodes if n.op in ("call_module", "call_function")]
    assert targets.count(fusion.max_pool_by_maxima) == 2
    assert "overlapping" in targets and "pool_module" not in targets
    x = torch.randn(2, 3, 9, 9)
    torch.testing.assert_close(fused(x), model(x), rtol=1e-6, atol=1e-5)
