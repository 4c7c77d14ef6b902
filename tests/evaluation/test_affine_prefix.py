"""The affine prefix of a captured graph (evaluation/affine_prefix.py): values affine in the
parameters become ``v₀ + Σ αᵢ vᵢ`` from stored bases and equal the eager function at any point
(float64); anything not affine (a product of two parameter-derived values, a ReLU) is left as
it was; the GCN's first convolution is folded and its landscape still equals functional_call."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.evaluation.affine_prefix import combine, fold_affine_prefix
from landscape_widgets.evaluation.capture import CapturedGraphs, CapturedLoop, capture
from landscape_widgets.evaluation.strategy import PointLoop

from .conftest import evaluator_at_centre
from .test_real_models import RTOL, _gnn, gnn_loss, graph_batches

GEN = torch.Generator().manual_seed(3)
X = torch.randn(12, 4, generator=GEN, dtype=torch.float64)
S = torch.randn(12, 12, generator=GEN, dtype=torch.float64).relu()  # (a graph's weights)
BASE = {"w": torch.randn(5, 4, generator=GEN, dtype=torch.float64),
        "b": torch.randn(5, generator=GEN, dtype=torch.float64),
        "v": torch.randn(5, 3, generator=GEN, dtype=torch.float64)}
DIRECTIONS = {n: torch.randn(2, *t.shape, generator=GEN, dtype=torch.float64)
              for n, t in BASE.items()}
ALPHAS = [torch.tensor(a, dtype=torch.float64) for a in ([0.0, 0.0], [0.7, -1.3], [2.0, 0.4])]


def _at(alphas: torch.Tensor) -> dict[str, torch.Tensor]:
    return {n: BASE[n] + torch.tensordot(alphas, DIRECTIONS[n], dims=1) for n in BASE}


def _folded(fn: Any, max_bytes: int = 1 << 20) -> tuple[torch.fx.GraphModule, int]:
    gm = capture(fn, BASE, batched=False)
    sizes = fold_affine_prefix(gm, list(BASE.values()), list(DIRECTIONS.values()), max_bytes)
    stored = [b for name, b in gm.named_buffers() if name.startswith("affine_")]
    assert sorted(sizes) == sorted(b.numel() * b.element_size() for b in stored)
    return gm, len(sizes)


def _combines(gm: torch.fx.GraphModule) -> int:
    return sum(1 for n in gm.graph.nodes if n.target is combine)


def _gcn_like(p: dict[str, torch.Tensor]) -> torch.Tensor:
    """A graph convolution, then a nonlinear rest (the part that cannot be folded)."""
    h = S @ (X @ p["w"].t()) + 2.0 * p["b"] - 1.0
    return (torch.relu(h) * p["v"].sum()).square().sum()


def _quadratic(p: dict[str, torch.Tensor]) -> torch.Tensor:
    h = X @ p["w"].t()
    return (h * h).sum() + (p["w"] @ p["w"].t()).sum()  # (h·h and w·wᵀ: not affine)


@pytest.mark.parametrize("fn, folds", [(_gcn_like, 1), (_quadratic, 1)],
                         ids=["graph-convolution", "quadratic"])
def test_the_folded_graph_equals_the_eager_function(fn: Any, folds: int) -> None:
    gm, n = _folded(fn)
    assert n == folds and _combines(gm) == folds
    for alphas in ALPHAS:
        params = _at(alphas)
        with torch.no_grad():
            eager = fn(params)
        got = gm(*params.values(), alphas)
        torch.testing.assert_close(got, eager, rtol=1e-12, atol=0)


def test_the_products_are_gone_from_the_folded_graph() -> None:
    gm, _n = _folded(_gcn_like)
    targets = [n.target for n in gm.graph.nodes if n.op == "call_function"]
    assert torch.ops.aten.mm.default not in targets  # (the relu's input: from the bases)
    assert torch.ops.aten.relu.default in targets


def test_products_of_two_moving_values_stay() -> None:
    gm, _n = _folded(_quadratic)  # (X·wᵀ is folded: affine; h·h and w·wᵀ are not)
    targets = [n.target for n in gm.graph.nodes if n.op == "call_function"]
    assert targets.count(torch.ops.aten.mm.default) == 1  # w·wᵀ
    assert torch.ops.aten.mul.Tensor in targets  # h·h


def test_no_room_for_the_bases_folds_nothing() -> None:
    gm, n = _folded(_gcn_like, max_bytes=0)
    assert n == 0 and _combines(gm) == 0
    params = _at(ALPHAS[1])
    torch.testing.assert_close(gm(*params.values(), ALPHAS[1]), _gcn_like(params))


def test_bad_base_names_the_argument() -> None:
    gm = capture(_gcn_like, BASE, batched=False)
    with pytest.raises(ValueError, match=r"base: expected one tensor per graph input \(3\), got 2"):
        fold_affine_prefix(gm, list(BASE.values())[:2], list(DIRECTIONS.values()), 1 << 20)


def test_the_gcn_first_convolution_is_folded_and_equals_functional_call() -> None:
    model = _gnn()
    sub = lw.random_subspace(model, dims=2, seed=0)
    ev, _meter, centre_loss = evaluator_at_centre(model, gnn_loss(), graph_batches((7, 3)), sub)
    points = np.array([[0.0, 0.0], [0.7, -0.3], [-1.2, 0.9], [2.0, 1.5]])
    graphs = CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False)
    assert graphs is not None
    assert all(_combines(gm) == 1 for gm, _m in graphs.graphs)
    reference = PointLoop(ev).losses(points).numpy()
    assert graphs.flat is not None  # (the parameters in one product: FlatParams)
    np.testing.assert_allclose(CapturedLoop(graphs).losses(points).numpy(), reference,
                               rtol=RTOL)
    graphs.flat = None  # (one product per tensor, as for a model too large to copy flat)
    np.testing.assert_allclose(CapturedLoop(graphs).losses(points).numpy(), reference,
                               rtol=RTOL)


def test_the_affine_budget_is_shared_by_the_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    from landscape_widgets.evaluation import capture as capture_module

    model = _gnn()
    sub = lw.random_subspace(model, dims=2, seed=0)
    twice = graph_batches((7,)) * 2  # (two batches whose bases take the same bytes)
    ev, _meter, centre_loss = evaluator_at_centre(model, gnn_loss(), twice, sub)
    full = CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False)
    assert full is not None and [_combines(gm) for gm, _m in full.graphs] == [1, 1]
    first = sum(b.numel() * b.element_size() for name, b in full.graphs[0][0].named_buffers()
                if name.startswith("affine_"))
    # room for the first batch's bases only: what they took is gone for the second
    monkeypatch.setattr(capture_module, "AFFINE_MAX_BYTES", first)
    graphs = CapturedGraphs.of(ev, np.zeros(2), centre_loss, batched=False)
    assert graphs is not None and [_combines(gm) for gm, _m in graphs.graphs] == [1, 0]
