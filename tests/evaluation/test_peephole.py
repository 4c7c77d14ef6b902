"""Peephole rewrites of captured graphs (evaluation/peephole.py): the written-out tanh GELU
becomes one fused function and equals the unfused ops within float32 rounding; near misses (a
different constant, another tensor) are left alone; constants are folded only where no
remaining op writes to them; on a real GPT-2 the rewrite fires and the landscape still equals
the plain functional_call loop."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.evaluation.capture import CapturedGraphs, CapturedLoop, capture
from landscape_widgets.evaluation.peephole import fold_constants, fuse_tanh_gelu, gelu_tanh
from landscape_widgets.evaluation.strategy import PointLoop

from .conftest import evaluator_at_centre
from .test_real_models import GPT2_RTOL, gpt2, hf_loss, token_batches

C = math.sqrt(2.0 / math.pi)


def _params(dtype: torch.dtype = torch.float32) -> dict[str, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    return {"w": 0.7 * torch.randn(6, 5, generator=gen).to(dtype),
            "b": torch.randn(5, generator=gen).to(dtype)}


def _x(dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.randn(40, 6, generator=torch.Generator().manual_seed(1)).to(dtype)


def _hf_gelu(h: torch.Tensor, half: float = 0.5, one: float = 1.0, power: float = 3.0,
             k: float = 0.044715, c: float = C) -> torch.Tensor:
    """Hugging Face's ``NewGELUActivation`` (``gelu_new``), constants adjustable."""
    return half * h * (one + torch.tanh(c * (h + k * torch.pow(h, power))))


def _targets(gm: torch.fx.GraphModule) -> list[Any]:
    return [n.target for n in gm.graph.nodes if n.op == "call_function"]


def _graph(act: Any, dtype: torch.dtype = torch.float32) -> tuple[Any, Any, torch.Tensor]:
    """The captured graph of ``act(x @ w + b)`` (rewritten by capture; every value compared,
    not a sum that could hide an error), the eager function and its eager value."""
    x = _x(dtype)

    def fn(p: dict[str, torch.Tensor]) -> torch.Tensor:
        return act(x @ p["w"] + p["b"])

    params = _params(dtype)
    with torch.no_grad():
        eager = fn(params)
    return capture(fn, params, batched=False), fn, eager


@pytest.mark.parametrize("act", [
    _hf_gelu,
    lambda h: h * 0.5 * (1.0 + torch.tanh(C * (h + 0.044715 * h * h * h))),
    lambda h: h * (0.5 * (1.0 + torch.tanh((h + torch.pow(h, 3) * 0.044715) * C))),
], ids=["gelu_new", "x*x*x", "half-inside"])
def test_the_written_out_tanh_gelu_is_fused_and_equal(act: Any) -> None:
    gm, _fn, eager = _graph(act)
    targets = _targets(gm)
    assert gelu_tanh in targets and torch.ops.aten.tanh.default not in targets
    params = _params()
    got = gm(params["w"], params["b"])
    assert eager.abs().max() > 2.0 and (eager < 0).any()  # (both sides of the curve)
    # float32 rounding: the eager ops and the fused function round differently, by ulps
    torch.testing.assert_close(got, eager, rtol=1e-6, atol=1e-6)


def test_the_fused_function_equals_torch_gelu_tanh() -> None:
    x = torch.linspace(-9, 9, 2001, dtype=torch.float64)
    ref = torch.nn.functional.gelu(x, approximate="tanh")
    torch.testing.assert_close(gelu_tanh(x, 0.044715, C), ref, rtol=0, atol=1e-14)
    x32 = x.float()
    torch.testing.assert_close(gelu_tanh(x32, 0.044715, C), _hf_gelu(x32), rtol=0, atol=2e-6)


@pytest.mark.parametrize("near_miss", [
    {"half": 0.6}, {"one": 2.0}, {"power": 2.0},
], ids=["half=0.6", "one=2", "x**2"])
def test_a_near_miss_is_left_alone(near_miss: dict[str, float]) -> None:
    gm, _fn, eager = _graph(lambda h: _hf_gelu(h, **near_miss))
    targets = _targets(gm)
    assert gelu_tanh not in targets and torch.ops.aten.tanh.default in targets
    params = _params()
    torch.testing.assert_close(gm(params["w"], params["b"]), eager, rtol=0, atol=0)


def test_another_tensor_in_the_cubic_is_left_alone() -> None:
    y = _x()[:, :5] + 1.0  # (x + k y³: not a GELU)
    gm, _fn, _eager = _graph(lambda h: 0.5 * h * (1 + torch.tanh(C * (h + 0.044715 * y**3))))
    assert gelu_tanh not in _targets(gm)


def test_half_precision_is_left_alone() -> None:
    gm, _fn, _eager = _graph(_hf_gelu, dtype=torch.bfloat16)
    assert gelu_tanh not in _targets(gm)


def test_rewriting_a_graph_without_the_pattern_changes_nothing() -> None:
    gm, _fn, _eager = _graph(torch.relu)
    before = _targets(gm)
    assert fuse_tanh_gelu(gm) == 0 and fold_constants(gm) == 0
    assert _targets(gm) == before


# ---------------------------------------------------------------------------- folding
X = _x()


def _pool_counts(p: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean pooling as PyTorch Geometric writes it: the counts from new_zeros/new_ones."""
    h = torch.relu(X @ p["w"] + p["b"])
    index = torch.arange(40) % 3
    counts = h.new_zeros(3).scatter_add_(0, index, h.new_ones(40)).clamp(min=1)
    sums = h.new_zeros(3, 5).index_add_(0, index, h)  # (written in place from h: not foldable)
    return (sums / counts[:, None]).square().sum()


def test_value_free_factories_are_folded_but_buffers_written_later_are_not() -> None:
    params = _params()
    with torch.no_grad():
        eager = _pool_counts(params)
    gm = capture(_pool_counts, params, batched=False)
    targets = _targets(gm)
    assert torch.ops.aten.new_ones.default not in targets  # the counts: folded
    assert torch.ops.aten.scatter_add_.default not in targets
    assert targets.count(torch.ops.aten.new_zeros.default) == 1  # the sums' buffer: fresh
    for _ in range(3):  # every replay the same (a folded buffer written in place would grow)
        torch.testing.assert_close(gm(params["w"], params["b"]), eager, rtol=1e-6, atol=0)


# ---------------------------------------------------------------------------- GPT-2
def test_the_rewrite_fires_on_gpt2_and_the_replay_equals_functional_call() -> None:
    model = gpt2(attention="sdpa")  # (float64, activation "gelu_new": the written-out GELU)
    batches = token_batches(11, 8, (5,))
    sub_points = np.array([[0.0, 0.0], [0.7, -0.3], [-1.2, 0.9]])
    sub = lw.random_subspace(model, dims=2, seed=0)
    ev, _meter, centre_loss = evaluator_at_centre(model, hf_loss(), batches, sub)
    graphs = CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False)
    assert graphs is not None
    (gm, _m), = graphs.graphs
    assert _targets(gm).count(gelu_tanh) == 2  # one per layer
    np.testing.assert_allclose(CapturedLoop(graphs).losses(sub_points).numpy(),
                               PointLoop(ev).losses(sub_points).numpy(), rtol=GPT2_RTOL)
