"""The captured aten graph (evaluation/capture.py), built directly: it equals the plain
``torch.func.functional_call`` loop on GPT-2 (SDPA and eager attention), BERT and a GCN
(float64), per point and under vmap; the model is bit-identical afterwards; a loss it cannot
replay exactly (a parameter read in Python, random numbers, writes to a constant, a value
baked in behind the dispatcher's back) is never captured."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.evaluation.capture import (
    CapturedChunks,
    CapturedGraphs,
    CapturedLoop,
    NotCapturable,
    capture,
    captured_candidates,
)
from landscape_widgets.evaluation.sample import sample_with
from landscape_widgets.evaluation.strategy import PointLoop

from .conftest import assert_same_state, evaluator_at_centre, only, state_of
from .test_closure import _grid_points, functional_loop
from .test_real_models import (
    GPT2_RTOL,
    RTOL,
    _gnn,
    gnn_loss,
    gpt2,
    graph_batches,
    hf_loss,
    tiny_bert,
    token_batches,
)

POINTS = np.array([[0.0, 0.0], [0.7, -0.3], [-1.2, 0.9], [2.0, 1.5], [-0.4, -2.0]])


def _both_ways(model: Any, loss: Any, batches: list[Any], rtol: float) -> None:
    """CapturedLoop and CapturedChunks equal PointLoop (functional_call) at POINTS."""
    sub = lw.random_subspace(model, dims=2, seed=0)
    before = state_of(model)
    ev, _meter, centre_loss = evaluator_at_centre(model, loss, batches, sub)
    reference = PointLoop(ev).losses(POINTS).numpy()
    for batched in (False, True):
        graphs = CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=batched)
        assert graphs is not None and len(graphs.graphs) == len(batches)
        strategy = CapturedChunks(graphs, 3) if batched else CapturedLoop(graphs)
        np.testing.assert_allclose(strategy.losses(POINTS).numpy(), reference, rtol=rtol)
        assert strategy.reproduces(np.zeros(2), centre_loss)
        assert "captured aten graph" in strategy.describe()
    assert_same_state(model, before)


def test_gpt2_sdpa_captured_equals_functional_call() -> None:
    model = gpt2(attention="sdpa")
    _both_ways(model, hf_loss(), token_batches(11, 8, (5, 3)), GPT2_RTOL)


def test_gpt2_eager_attention_captured_equals_functional_call() -> None:
    _both_ways(gpt2(), hf_loss(), token_batches(11, 8, (4,)), GPT2_RTOL)


def test_bert_captured_equals_functional_call() -> None:
    model = tiny_bert()
    gen = torch.Generator().manual_seed(2)
    ids = torch.randint(0, 13, (6, 7), generator=gen)
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids),
             "labels": torch.randint(0, 3, (6,), generator=gen)}
    _both_ways(model, hf_loss(), [batch], RTOL)


def test_gnn_captured_equals_functional_call() -> None:
    _both_ways(_gnn(), gnn_loss(), graph_batches((7, 3)), RTOL)


def test_sample_landscape_through_the_captured_loop_equals_the_reference() -> None:
    model = _gnn()
    batches = graph_batches((6, 4))
    loss = gnn_loss()
    sub = lw.random_subspace(model, dims=2, seed=0)

    def make(ev: Any) -> CapturedLoop:
        graphs = CapturedGraphs.of(ev, np.zeros(2), ev.at(np.zeros(2)), batched=False)
        assert graphs is not None
        return CapturedLoop(graphs)

    before = state_of(model)
    land = sample_with(only(make), model, loss, batches, sub, resolution=4, progress=False)
    assert_same_state(model, before)
    assert land.provenance.extra["strategy"].startswith("per-point loop, captured aten graph")
    ref = functional_loop(model, loss, batches, sub, _grid_points(land), [6, 4])
    np.testing.assert_allclose(land.values.ravel(), ref, rtol=RTOL)



def test_the_captured_loop_walks_in_larger_chunks_after_it_won() -> None:
    """Once the captured loop won the race it takes LOOP_CHUNK points a call (the walker's
    chunk is vmap's); the landscape still equals the functional_call loop."""
    from landscape_widgets.evaluation import capture as capture_module
    from landscape_widgets.evaluation.strategy import VmapChunks

    from .conftest import burn

    model, batches, loss = _gnn(), graph_batches((6, 4)), gnn_loss()
    sub = lw.random_subspace(model, dims=2, seed=0)
    calls: list[int] = []

    class Counted(CapturedLoop):
        def losses(self, points: np.ndarray) -> torch.Tensor:
            calls.append(len(points))
            return super().losses(points)

    class SlowVmap(VmapChunks):
        def losses(self, points: np.ndarray) -> torch.Tensor:
            burn(0.02 * len(points))
            return super().losses(points)

    def choose(ev: Any, centre: Any, centre_loss: float, **_: Any) -> list[Any]:
        graphs = CapturedGraphs.of(ev, centre, centre_loss, batched=False)
        assert graphs is not None
        return [SlowVmap(ev, 2), Counted(graphs)]

    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)  # (the race reads CPU time, which burn() spends)
        land = sample_with(choose, model, loss, batches, sub, resolution=(9, 9),
                           progress=False)
    finally:
        torch.set_num_threads(threads)
    assert land.provenance.extra["strategy"].startswith("per-point loop, captured aten graph")
    assert calls[:4] == [1, 1, 1, 1]  # the race: a warm-up point and 3 timed ones
    chunk = capture_module.LOOP_CHUNK  # (then vmap, pruned on its warm-up chunk of 2)
    assert calls[4:] == [chunk, chunk, 81 - 2 - 4 - 2 * chunk]
    ref = functional_loop(model, loss, batches, sub, _grid_points(land), [6, 4])
    np.testing.assert_allclose(land.values.ravel(), ref, rtol=RTOL)

# ---------------------------------------------------------------------------- never wrong
class Net(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.lin = torch.nn.Linear(3, 2).double()
        self.drop = torch.nn.Dropout(0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.lin(x))


def _data() -> list[tuple[torch.Tensor, torch.Tensor]]:
    gen = torch.Generator().manual_seed(0)
    return [(torch.randn(8, 3, generator=gen, dtype=torch.float64),
             torch.randn(8, 2, generator=gen, dtype=torch.float64))]


def _captured(fn: Any, train: bool = False) -> tuple[Any, Any, float]:
    model = Net().train(train)
    loss = lw.model_loss(fn)
    sub = lw.random_subspace(model, dims=2, seed=0)
    ev, _meter, centre_loss = evaluator_at_centre(model, loss, _data(), sub)
    return ev, CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False), centre_loss


def _mse(m: Any, b: Any) -> torch.Tensor:
    return torch.nn.functional.mse_loss(m(b[0]), b[1])


def test_a_plain_closure_is_captured() -> None:  # (the control for the refusals below)
    ev, graphs, centre_loss = _captured(_mse)
    assert graphs is not None
    np.testing.assert_allclose(CapturedLoop(graphs).losses(POINTS).numpy(),
                               PointLoop(ev).losses(POINTS).numpy(), rtol=RTOL)
    kinds = [type(s).__name__ for s in captured_candidates(ev, np.zeros(2), centre_loss)]
    assert kinds == ["CapturedLoop"]


def _branchy(m: Any, b: Any) -> torch.Tensor:  # control flow on a parameter-derived value
    loss = _mse(m, b)
    return loss * 2 if loss.item() > 1.0 else loss


def _numpy_baked(m: Any, b: Any) -> torch.Tensor:  # reads values past the dispatcher
    scale = float(np.abs(m.lin.weight.detach().numpy()).sum())
    return _mse(m, b) * scale


def _writes_constant(m: Any, b: Any) -> torch.Tensor:
    out = torch.zeros(8, 2, dtype=torch.float64)
    out.add_(m(b[0]))
    return torch.nn.functional.mse_loss(out, b[1])


@pytest.mark.parametrize("fn", [_branchy, _numpy_baked, _writes_constant])
def test_a_loss_that_cannot_be_replayed_exactly_is_not_captured(fn: Any) -> None:
    ev, graphs, _loss = _captured(fn)
    assert graphs is None
    assert captured_candidates(ev, np.zeros(2), _loss) == []


def test_random_numbers_are_not_captured() -> None:
    model = Net().train()  # dropout draws
    x, y = _data()[0]
    params = {n: p.detach() for n, p in model.named_parameters()}
    with pytest.raises(NotCapturable, match="random numbers"):
        capture(lambda p: torch.nn.functional.mse_loss(
            torch.func.functional_call(model, p, (x,)), y), params, batched=False)
    with pytest.raises(NotCapturable, match="Python value"):
        capture(lambda p: _branchy(lambda t: torch.func.functional_call(model.eval(), p, (t,)),
                                   (x, y)), params, batched=False)


def test_uncached_data_is_not_captured() -> None:
    ev, _graphs, centre_loss = _captured(_mse)
    ev._cache = None  # (a loader too large to keep on the device)
    assert CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False) is None


def test_bad_arguments_name_themselves() -> None:
    ev, graphs, centre_loss = _captured(_mse)
    assert graphs is not None
    batched = CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=True)
    assert batched is not None
    with pytest.raises(ValueError, match=r"graphs: expected graphs captured with batched=False"):
        CapturedLoop(batched)
    with pytest.raises(ValueError, match=r"graphs: expected graphs captured with batched=True"):
        CapturedChunks(graphs, 4)
    with pytest.raises(ValueError, match=r"chunk: expected an integer >= 1, got 0"):
        CapturedChunks(batched, 0)
    assert CapturedChunks(batched, 8).resized(2).chunk == 2


def test_gather_scale_scatter_becomes_one_sparse_product() -> None:
    from landscape_widgets.evaluation.gather_scatter import sparse_products

    gen = torch.Generator().manual_seed(4)
    x = torch.randn(6, 3, generator=gen, dtype=torch.float64)
    src = torch.tensor([0, 1, 2, 3, 4, 5, 0, 2])
    dst = torch.tensor([1, 2, 3, 4, 5, 0, 0, 0])  # (node 0 receives three messages)
    w = torch.rand(8, 1, generator=gen, dtype=torch.float64)
    segment = torch.tensor([0, 0, 1, 1, 1, 2])

    def fn(p: dict[str, torch.Tensor]) -> torch.Tensor:
        h = x @ p["w"]
        msg = w * h.index_select(0, src)
        agg = h.new_zeros(6, 4).scatter_add_(0, dst[:, None].expand(8, 4), msg)
        pooled = agg.new_zeros(3, 4).scatter_add_(0, segment[:, None].expand(6, 4), agg)
        return (pooled ** 2).sum()

    params = {"w": torch.randn(3, 4, generator=gen, dtype=torch.float64)}
    plain = capture(fn, params, batched=True)  # (batched: no rewrite)
    assert sparse_products(plain) == 2
    rewritten = str(plain.code)
    assert "scatter_add_" not in rewritten and "index_select" not in rewritten
    for _ in range(3):
        other = torch.randn(3, 4, generator=gen, dtype=torch.float64)
        torch.testing.assert_close(plain(other), fn({"w": other}), rtol=1e-12, atol=0)


def test_a_scatter_index_is_read_as_rows_expanded_or_written_out() -> None:
    from landscape_widgets.evaluation.gather_scatter import _rows

    dst = torch.tensor([1, 2, 0, 0])
    expanded = dst[:, None].expand(4, 3)  # (stride 0: taken without comparing)
    assert torch.equal(_rows(expanded), dst) and torch.equal(_rows(expanded.clone()), dst)
    assert _rows(torch.stack([dst, dst, dst.flip(0)], dim=1)) is None  # (not one row value)


def test_data_in_too_many_batches_is_not_captured(monkeypatch: pytest.MonkeyPatch) -> None:
    import landscape_widgets.evaluation.capture as capture_module

    model = Net().eval()
    loss = lw.model_loss(_mse)
    sub = lw.random_subspace(model, dims=2, seed=0)
    data = _data() * 3
    ev, _meter, centre_loss = evaluator_at_centre(model, loss, data, sub)
    assert CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False) is not None
    monkeypatch.setattr(capture_module, "MAX_CAPTURE_BATCHES", 2)
    assert CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False) is None


def test_constants_larger_than_the_cache_limit_are_not_captured(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import landscape_widgets.evaluation.capture as capture_module

    x = torch.ones(1000, 100, dtype=torch.float64)  # 800 kB, a constant of the graph
    params = {"w": torch.ones(100, dtype=torch.float64)}
    assert capture(lambda p: (x @ p["w"]).sum(), params, batched=False) is not None
    monkeypatch.setattr(capture_module, "CACHE_MAX_BYTES", 100_000)
    with pytest.raises(NotCapturable, match="constants exceed 100000 bytes"):
        capture(lambda p: (x @ p["w"]).sum(), params, batched=False)
