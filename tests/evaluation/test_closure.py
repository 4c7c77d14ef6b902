"""Loss closures ``lw.model_loss(fn)`` through sample_landscape: equal to the ``(outputs,
targets)`` form and to a plain ``functional_call`` loop over the grid, on every path (vmap
chunks, the per-point loop over the functional model and over the owned copy); any batch
(dict, dataclass, object with ``.to``); batch weighting; model integrity; checkpoint/resume."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
import torch
from torch import nn

import landscape_widgets as lw
from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.evaluation.functional import PointLoss
from landscape_widgets.model.data import as_batches
from landscape_widgets.model.loss import leading_size, model_loss, move_to

from .conftest import assert_same_state, loop_reference, random_subspace, state_of

F = nn.functional


def _grid_points(land) -> np.ndarray:
    mesh = np.meshgrid(*land.axes, indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=1)


def functional_loop(model, closure, batches, subspace, points, weights) -> np.ndarray:
    """The reference: for each point, torch.func.functional_call of the closure's model with
    θ + Σ αᵢ δᵢ, averaged over batches by the given weights (shares nothing with the package
    but the closure)."""
    theta = {n: p.detach() for n, p in model.named_parameters() if p.requires_grad}
    out = []
    model.eval()
    with torch.no_grad():
        for alpha in points:
            params = {n: t + sum(float(a) * d[n] for a, d in zip(alpha, subspace.directions,
                                                                   strict=True))
                      for n, t in theta.items()}

            class Swapped(nn.Module):
                def forward(self, *args, _params=params, **kwargs):
                    return torch.func.functional_call(model, _params, args, kwargs)

            total = sum(float(closure(Swapped(), b)) * w for b, w in zip(batches, weights,
                                                                         strict=True))
            out.append(total / sum(weights))
    return np.array(out)


def copy_loop(model, closure, batches, subspace, points, weights) -> np.ndarray:
    """The other reference: write θ + Σ αᵢ δᵢ into a deep copy and call the closure on it."""
    ref = copy.deepcopy(model).eval()
    theta = {n: p.detach().clone() for n, p in ref.named_parameters()}
    out = []
    with torch.no_grad():
        for alpha in points:
            for n, p in ref.named_parameters():
                p.copy_(theta[n] + sum(float(a) * d[n] for a, d in zip(alpha,
                                                                       subspace.directions,
                                                                       strict=True)))
            total = sum(float(closure(ref, b)) * w for b, w in zip(batches, weights, strict=True))
            out.append(total / sum(weights))
    return np.array(out)


def test_closure_equals_pair_form_and_loop_reference(mlp_problem):
    model, loss_fn, (x, y) = mlp_problem
    model = model.double()
    x = x.double()
    sub = random_subspace(model, 2)
    closure = model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"]))
    batches = [{"x": x[:25], "y": y[:25]}, {"x": x[25:], "y": y[25:]}]
    before = state_of(model)
    land = sample_landscape(model, closure, batches, sub, resolution=5, progress=False)
    assert_same_state(model, before)
    pair = sample_landscape(model, loss_fn, [(x[:25], y[:25]), (x[25:], y[25:])], sub,
                            resolution=5, progress=False)
    ref = loop_reference(model, loss_fn, (x, y), sub, land.axes)
    np.testing.assert_allclose(land.values, pair.values, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(land.values, ref, rtol=1e-10, atol=1e-12)
    assert land.provenance.extra["evaluation"] in ("vmap", "loop-faster")
    assert land.provenance.loss_name == "<lambda>"


def test_every_path_of_a_closure_gives_the_reference(cnn_problem):
    """vmap chunks, the loop over the functional model and the loop over the owned copy, each
    built directly: equal to the functional_call loop (the CNN has BatchNorm buffers)."""
    model, _loss_fn, (x, y) = cnn_problem
    model = model.double()
    x = x.double()
    sub = random_subspace(model, 2)
    closure = model_loss(lambda m, b: F.cross_entropy(m(b[0]), b[1]))
    data = [(x[:10], y[:10]), (x[10:], y[10:])]
    points = np.array([[0.0, 0.0], [0.5, -0.3], [-1.0, 1.0]])
    ref = functional_loop(model, closure, data, sub, points, [10, 14])
    pl = PointLoss(model, closure, as_batches(data, closure), sub, torch.device("cpu"),
                   torch.float64)
    # shortcuts needing model(inputs) are skipped: affine head, fusion, channels-last
    assert pl.head is None and not pl.fusable() and not pl.has_image_inputs()
    np.testing.assert_allclose(pl.batched(points).numpy(), ref, rtol=1e-10)
    np.testing.assert_allclose(pl.loop(points).numpy(), ref, rtol=1e-10)  # owned copy
    pl.drop_owned_copy()
    pl._owned_tried = True  # no copy: the loop goes through functional_call
    np.testing.assert_allclose(pl.loop(points).numpy(), ref, rtol=1e-10)


@dataclasses.dataclass
class PairBatch:
    inputs: torch.Tensor
    labels: torch.Tensor


class Movable:
    """A batch object with only ``.to(device)`` (no container protocol)."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x, self.y = x, y

    def to(self, device):
        return Movable(self.x.to(device), self.y.to(device))


def test_any_batch_kind_and_weighting(mlp_problem):
    model, loss_fn, (x, y) = mlp_problem
    model, x = model.double(), x.double()  # (an object with only .to(device) keeps its dtype)
    sub = random_subspace(model, 1)
    pair = sample_landscape(model, loss_fn, [(x[:30], y[:30]), (x[30:], y[30:])], sub,
                            resolution=4, progress=False, dtype=torch.float64)
    kinds = {
        "dataclass": (model_loss(lambda m, b: F.cross_entropy(m(b.inputs), b.labels)),
                      [PairBatch(x[:30], y[:30]), PairBatch(x[30:], y[30:])]),
        "object": (model_loss(lambda m, b: F.cross_entropy(m(b.x), b.y),
                              batch_size=lambda b: len(b.y)),
                   [Movable(x[:30], y[:30]), Movable(x[30:], y[30:])]),
    }
    for name, (closure, batches) in kinds.items():
        land = sample_landscape(model, closure, batches, sub, resolution=4, progress=False,
                                dtype=torch.float64)
        np.testing.assert_allclose(land.values, pair.values, rtol=1e-12, err_msg=name)
    # a batch_size that weights otherwise changes the mean: equal weights per batch
    equal = model_loss(lambda m, b: F.cross_entropy(m(b.inputs), b.labels),
                       batch_size=lambda b: 1)
    land = sample_landscape(model, equal, kinds["dataclass"][1], sub, resolution=4,
                            progress=False, dtype=torch.float64)
    a = sample_landscape(model, loss_fn, (x[:30], y[:30]), sub, resolution=4, progress=False,
                         dtype=torch.float64)
    b = sample_landscape(model, loss_fn, (x[30:], y[30:]), sub, resolution=4, progress=False,
                         dtype=torch.float64)
    np.testing.assert_allclose(land.values, (a.values + b.values) / 2, rtol=1e-12)


def test_a_closure_reads_the_perturbed_parameters(mlp_problem):
    """A regulariser through model.parameters() sees the point's parameters (vmap and loop)."""
    model, loss_fn, (x, y) = mlp_problem
    model = model.double()
    x = x.double()
    lam = 0.1
    sub = random_subspace(model, 2)
    closure = model_loss(lambda m, b: F.cross_entropy(m(b[0]), b[1])
                         + lam * sum((p ** 2).sum() for p in m.parameters()))
    land = sample_landscape(model, closure, (x, y), sub, resolution=4, progress=False)
    ref = copy_loop(model, closure, [(x, y)], sub, _grid_points(land), [1])
    np.testing.assert_allclose(land.values.ravel(), ref, rtol=1e-10)
    points = _grid_points(land)
    pl = PointLoss(model, closure, as_batches((x, y), closure), sub, torch.device("cpu"),
                   torch.float64)
    np.testing.assert_allclose(pl.batched(points).numpy(), ref, rtol=1e-10)  # under vmap
    np.testing.assert_allclose(pl.loop(points).numpy(), ref, rtol=1e-10)  # the owned copy
    plain = sample_landscape(model, loss_fn, (x, y), sub, resolution=4, progress=False)
    assert np.all(np.abs(land.values - plain.values) > 1e-3)  # the penalty really varies


def test_batch_helpers():
    x = torch.zeros(5, 2)
    assert leading_size({"a": {"b": x}}) == 5
    assert leading_size(PairBatch(torch.zeros(3, 1), x)) == 3
    batch = {"x": x, "ids": torch.zeros(5, dtype=torch.long)}
    moved = move_to(batch, "cpu", torch.float64)
    assert moved["x"].dtype == torch.float64 and moved["ids"].dtype == torch.long
    assert batch["x"].dtype == torch.float32  # the user's batch is untouched
    with pytest.raises(TypeError, match="batch_size: a dict batch holds no tensor"):
        leading_size({"a": 1})
    with pytest.raises(TypeError, match="fn: expected a callable"):
        model_loss(3)
    with pytest.raises(TypeError, match="batch_size: expected None or a callable"):
        model_loss(lambda m, b: 0, batch_size=4)
    bad = model_loss(lambda m, b: m(b).sum(), batch_size=lambda b: "four")
    with pytest.raises(TypeError, match="batch_size: expected it to return a non-negative int"):
        as_batches(torch.zeros(4, 3), bad)
    assert lw.model_loss is model_loss


def test_closure_errors(mlp_problem):
    model, _loss_fn, (x, y) = mlp_problem
    sub = random_subspace(model, 1)
    not_scalar = model_loss(lambda m, b: F.cross_entropy(m(b[0]), b[1], reduction="none"))
    with pytest.raises(ValueError, match="loss_fn: expected it to return a scalar"):
        sample_landscape(model, not_scalar, (x, y), sub, resolution=3, progress=False)
    ok = model_loss(lambda m, b: F.cross_entropy(m(b[0]), b[1]))
    with pytest.raises(ValueError, match="metrics: expected none with a model_loss closure"):
        sample_landscape(model, ok, (x, y), sub, resolution=3, progress=False,
                         metrics={"acc": lambda o, t: (o.argmax(1) == t).float().mean()})


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_model_intact_after_a_failing_closure(cnn_problem, error):
    model, _loss_fn, (x, y) = cnn_problem
    model.train()
    sub = random_subspace(model, 2)
    before = state_of(model)
    calls = [0]

    def fn(m, b):
        calls[0] += 1
        if calls[0] == 6:
            raise error("stop")
        return F.cross_entropy(m(b[0]), b[1])

    with pytest.raises(error, match="stop"):
        sample_landscape(model, model_loss(fn), (x, y), sub, resolution=5, progress=False)
    assert_same_state(model, before)


def test_determinism_check_sees_a_random_closure(mlp_problem):
    model, _loss_fn, (x, y) = mlp_problem
    sub = random_subspace(model, 1)
    noisy = model_loss(lambda m, b: F.cross_entropy(m(b[0]), b[1]) + torch.rand(()))
    with pytest.warns(RuntimeWarning, match="not deterministic"):
        sample_landscape(model, noisy, (x, y), sub, resolution=3, progress=False)


def test_checkpoint_resume_fingerprints_the_closure(tmp_path, mlp_problem):
    model, _loss_fn, (x, y) = mlp_problem
    sub = random_subspace(model, 1)
    path = tmp_path / "grid.npz"
    batch = {"x": x, "y": y}
    ce = model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"]))
    first = sample_landscape(model, ce, batch, sub, resolution=5, progress=False,
                             checkpoint=path)
    again = sample_landscape(model, ce, batch, sub, resolution=5, progress=False,
                             checkpoint=path)
    np.testing.assert_array_equal(first.values, again.values)
    other = model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"], label_smoothing=0.1))
    with pytest.raises(ValueError, match="different configuration.*loss function"):
        sample_landscape(model, other, batch, sub, resolution=5, progress=False,
                         checkpoint=path)
    weighted = model_loss(ce.fn, batch_size=lambda b: 1)
    with pytest.raises(ValueError, match="loss function"):
        sample_landscape(model, weighted, batch, sub, resolution=5, progress=False,
                         checkpoint=path)
    changed = {"x": x + 1.0, "y": y}
    with pytest.raises(ValueError, match="data"):
        sample_landscape(model, ce, changed, sub, resolution=5, progress=False,
                         checkpoint=path)


def test_half_precision_closure_accumulates_in_float32(mlp_problem):
    model, loss_fn, (x, y) = mlp_problem
    sub = random_subspace(model, 1)
    closure = model_loss(lambda m, b: F.cross_entropy(m(b[0]), b[1]))
    bf16 = [(x[i:i + 4], y[i:i + 4]) for i in range(0, 40, 4)]
    land = sample_landscape(model.bfloat16(), closure, bf16, sub, resolution=3, progress=False)
    ref = sample_landscape(model, loss_fn, bf16, sub, resolution=3, progress=False)
    np.testing.assert_allclose(land.values, ref.values, rtol=1e-6)
    wide = sample_landscape(model, closure, bf16, sub, resolution=3, progress=False,
                            dtype=torch.float64)
    np.testing.assert_allclose(land.values, wide.values, rtol=0.05)  # bf16: 3 digits
    assert land.provenance.extra["dtype"] == "bfloat16"


@pytest.mark.gpu
def test_cuda_closure_equals_the_cpu_reference(mlp_problem):
    # a dict-batch closure on CUDA: the batches move to the device, the model does not, and the
    # values equal the CPU functional_call reference (float64: the same arithmetic)
    model, _, (x, y) = mlp_problem
    model = model.double()
    x = x.double()
    sub = random_subspace(model, 2)
    closure = model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"]))
    batches = [{"x": x[:25], "y": y[:25]}, {"x": x[25:], "y": y[25:]}]
    before = state_of(model)
    land = sample_landscape(model, closure, batches, sub, resolution=5, device="cuda",
                            progress=False)
    assert_same_state(model, before)
    assert next(model.parameters()).device.type == "cpu"
    points = _grid_points(land)
    ref = functional_loop(model, closure.fn, batches, sub, points, [25, 15])
    np.testing.assert_allclose(land.values.ravel(), ref, rtol=1e-9, atol=1e-12)
