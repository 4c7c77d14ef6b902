"""The first convolution from cached input columns equals the convolution (the unfused model is
the reference), and the stage applies only where the input feeds one ungrouped fused conv."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from landscape_widgets.evaluation import columns as columns_mod
from landscape_widgets.evaluation.columns import InputColumns, columns_bn_relu, with_input_columns
from landscape_widgets.evaluation.fusion import FusedModel, fused_for_inference

from .conftest import evaluator_at_centre, only, random_subspace, trained_bn_stats

F64 = torch.float64


def _first_conv_net(conv: nn.Conv2d, bn: bool) -> nn.Module:
    layers = [conv, nn.BatchNorm2d(conv.out_channels)] if bn else [conv]
    return nn.Sequential(*layers, nn.ReLU(), nn.Conv2d(conv.out_channels, 3, 3), nn.ReLU(),
                         nn.Flatten())


@pytest.mark.parametrize("dtype", [torch.float32, F64])
@pytest.mark.parametrize(
    "conv, bn",
    [
        (nn.Conv2d(1, 16, 3), False),  # grayscale, as MNIST CNNs
        (nn.Conv2d(3, 8, 3, padding=1), True),  # RGB with BN, as CIFAR ResNets
        (nn.Conv2d(2, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)), True),
        (nn.Conv2d(3, 4, 5, bias=False), True),
    ],
)
def test_columns_model_equals_model(conv, bn, dtype):
    torch.manual_seed(0)
    x = torch.randn(5, conv.in_channels, 13, 12, dtype=dtype)
    model = trained_bn_stats(_first_conv_net(conv, bn).to(dtype), x)
    found = with_input_columns(fused_for_inference(model))
    assert found is not None
    module, stage = found
    with torch.no_grad():
        got = module(stage.prepare(x))
        expected = model(x)
    atol = 1e-5 if dtype == torch.float32 else 1e-12
    torch.testing.assert_close(got, expected, rtol=0, atol=atol)


def test_columns_follow_the_parameters_handed_in():
    torch.manual_seed(1)
    x = torch.randn(4, 1, 10, 10, dtype=F64)
    model = trained_bn_stats(_first_conv_net(nn.Conv2d(1, 6, 3), True).to(F64), x)
    fused = FusedModel.of(model)
    assert fused is not None and fused.columns_stage is not None
    sub = random_subspace(model, 1, scale=0.5)
    moved = {n: p + sub.directions[0][n] for n, p in model.named_parameters()}
    buffers = dict(model.named_buffers())
    cols = fused.columns_stage.prepare(x)
    with torch.no_grad():
        expected = torch.func.functional_call(model, (moved, buffers), (x,))
        got = fused(moved, buffers, (cols,), columns=True)
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-12)
    assert (expected - model(x)).abs().max() > 1e-2


def test_output_is_channels_last_and_relu_is_applied():
    stage = InputColumns((3, 3), (1, 1), (0, 0), (1, 1))
    conv = nn.Conv2d(1, 16, 3)
    x = torch.randn(3, 1, 9, 9)
    with torch.no_grad():
        y = columns_bn_relu(stage.prepare(x), conv.weight, conv.bias, None, True)
        torch.testing.assert_close(y, torch.relu(conv(x)), rtol=0, atol=1e-6)
    assert y.is_contiguous(memory_format=torch.channels_last)
    assert (y >= 0).all() and (y == 0).any()


def test_no_columns_where_the_input_does_more_than_feed_one_conv():
    class TwoUses(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 2, 3, padding=1)

        def forward(self, x):
            return torch.relu(self.conv(x)) + x  # the input is also a skip connection

    grouped = nn.Sequential(nn.Conv2d(4, 4, 3, groups=2), nn.ReLU())
    plain_first = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Conv2d(4, 4, 3), nn.ReLU())
    for model in (TwoUses(), grouped, plain_first):
        fused = fused_for_inference(model.eval())
        assert fused is not None  # a ReLU to fuse, but the input stage does not apply
        assert with_input_columns(fused) is None


def test_sample_landscape_with_input_columns_equals_loop(cnn_problem, monkeypatch):
    """The fused loop fed the cached columns equals the reference, and a columns stage that
    changed the centre's loss is not a candidate."""
    from landscape_widgets.evaluation.race import candidates
    from landscape_widgets.evaluation.sample import sample_with
    from landscape_widgets.evaluation.strategy import FusedLoop

    from .test_sample import assert_matches_loop

    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2)
    for micro in (None, 5):
        land = sample_with(only(lambda ev, micro=micro: FusedLoop(ev, columns=True, micro=micro)),
                           model, loss_fn, data, sub, resolution=7, device="cpu",
                           progress=False, dtype=F64)
        assert land.provenance.extra["input_columns"] is True
        assert land.provenance.extra["micro_batch"] == micro
        assert_matches_loop(land, model, loss_fn, data, sub)

    def listed():
        ev, meter, loss = evaluator_at_centre(model, loss_fn, data, sub)
        return [s.settings()["input_columns"] for s in candidates(
            ev, centre=np.zeros(2), centre_loss=loss, meter=meter, chunk=16, n_points=200)]

    assert any(listed())
    real = columns_mod.columns_bn_relu
    monkeypatch.setattr(columns_mod, "columns_bn_relu", lambda *a: real(*a) * 1.001)
    assert not any(listed())  # refused: it changed the centre's loss


@pytest.mark.parametrize("pool, size", [(2, 12), (2, 13), (3, 14), ((2, 3), 11)])
def test_first_layer_max_pool_is_absorbed_and_exact(pool, size):
    """conv → BN → ReLU → max-pool from window-grouped columns: the pool's floor mode drops
    the last rows/columns of odd sizes; the pooled output equals the model's."""
    torch.manual_seed(2)
    x = torch.randn(4, 3, size, size + 1, dtype=F64)
    model = nn.Sequential(nn.Conv2d(3, 5, 3), nn.BatchNorm2d(5), nn.ReLU(), nn.MaxPool2d(pool),
                          nn.Conv2d(5, 2, 1), nn.Flatten()).to(F64)
    model = trained_bn_stats(model, x)
    module, stage = with_input_columns(fused_for_inference(model))
    assert stage.pool == nn.modules.utils._pair(pool)
    assert not any(n.target is columns_mod.fusion.max_pool_by_maxima for n in module.graph.nodes)
    with torch.no_grad():
        torch.testing.assert_close(module(stage.prepare(x)), model(x), rtol=0, atol=1e-12)


def test_no_columns_beyond_a_quarter_of_the_free_memory(cnn_problem, monkeypatch):
    from landscape_widgets.evaluation import point_inputs
    from landscape_widgets.evaluation.functional import PointLoss
    from landscape_widgets.model.data import as_batches

    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2)

    def evaluator() -> PointLoss:
        pl = PointLoss(model, loss_fn, as_batches(data), sub, torch.device("cpu"), F64)
        pl.at([0.0, 0.0])  # fills the data cache
        return pl

    assert evaluator().columns_ready()
    columns_bytes = 24 * 8 * 8 * 9 * 8  # 24 images, 8x8 output pixels, 3x3 taps, float64
    monkeypatch.setattr(point_inputs, "available_memory", lambda _device: 4 * columns_bytes - 8)
    assert not evaluator().columns_ready()
    monkeypatch.setattr(point_inputs, "available_memory", lambda _device: 4 * columns_bytes)
    assert evaluator().columns_ready()
