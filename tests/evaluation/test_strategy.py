"""Every strategy built directly equals the plain loop (float64); the checks that keep wrong
or inapplicable strategies out (``reproduces``, closures); bad strategy input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from landscape_widgets.evaluation.functional import PointLoss
from landscape_widgets.evaluation.race import candidates
from landscape_widgets.evaluation.sample import sample_with
from landscape_widgets.evaluation.strategy import (
    FusedLoop,
    OwnedLoop,
    PointLoop,
    VmapChunks,
    planned_strategy,
)
from landscape_widgets.model.data import as_batches
from landscape_widgets.model.loss import model_loss

from .conftest import evaluator_at_centre, loop_reference, random_subspace

F64 = torch.float64
AXES = [np.array([-0.8, 0.0, 0.6]), np.array([-0.5, 0.7])]
POINTS = np.stack([m.ravel() for m in np.meshgrid(*AXES, indexing="ij")], axis=1)

CNN_STRATEGIES = {
    "vmap": lambda ev: VmapChunks(ev, 4),
    "vmap, no head": lambda ev: VmapChunks(ev, 4, head=False),
    "functional loop": lambda ev: PointLoop(ev),
    "functional loop, channels-last": lambda ev: PointLoop(ev, channels_last=True),
    "functional loop, micro-batches": lambda ev: PointLoop(ev, micro=5),
    "owned copy": lambda ev: OwnedLoop(ev),
    "owned copy, channels-last, micro-batches": lambda ev: OwnedLoop(ev, channels_last=True,
                                                                     micro=7),
    "fused graph": lambda ev: FusedLoop(ev),
    "fused graph, channels-last, micro-batches": lambda ev: FusedLoop(ev, channels_last=True,
                                                                      micro=5),
    "fused graph, input columns": lambda ev: FusedLoop(ev, columns=True),
    "fused graph, input columns, micro-batches": lambda ev: FusedLoop(ev, columns=True, micro=5),
}


@pytest.mark.parametrize("name", list(CNN_STRATEGIES))
def test_every_strategy_equals_the_plain_loop(cnn_problem, name):
    """The test that fails when a strategy is wrong (checked once by breaking one on purpose:
    channels-last inputs scaled by 1 + 1e-6 failed the three channels-last cases here)."""
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=11)
    ev, _meter, loss = evaluator_at_centre(model, loss_fn, data, sub)
    strategy = CNN_STRATEGIES[name](ev)
    assert strategy.reproduces(np.zeros(2), loss)
    ref = loop_reference(model, loss_fn, data, sub, AXES).ravel()
    values = strategy.losses(POINTS)
    assert values.dtype == F64 and tuple(values.shape) == (len(POINTS),)
    np.testing.assert_allclose(values.numpy(), ref, rtol=0, atol=1e-10)
    assert np.ptp(ref) > 1e-3  # not trivially equal
    assert strategy.describe() and set(strategy.settings()) == {
        "affine_head", "fused", "input_columns", "channels_last", "micro_batch"}


def test_the_affine_head_shortcut_equals_the_general_vmap(mlp_problem):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(80, 6), nn.Tanh(), nn.Linear(6, 3))
    data = (torch.randn(20, 80), torch.randint(0, 3, (20,)))
    loss_fn = nn.CrossEntropyLoss()
    sub = random_subspace(model, 2)
    ev, _meter, _loss = evaluator_at_centre(model, loss_fn, data, sub)
    head, plain = VmapChunks(ev, 8), VmapChunks(ev, 8, head=False)
    assert head.settings()["affine_head"] and not plain.settings()["affine_head"]
    ref = loop_reference(model, loss_fn, data, sub, AXES).ravel()
    for strategy in (head, plain):
        np.testing.assert_allclose(strategy.losses(POINTS).numpy(), ref, rtol=0, atol=1e-10)


def test_a_wrong_strategy_is_caught_by_reproduces_and_the_reference(cnn_problem):
    """A strategy that is off by a relative 1e-5 does not reproduce the centre (so it is never
    raced) and fails the comparison with the plain loop."""
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2, seed=11)
    ev, _meter, loss = evaluator_at_centre(model, loss_fn, data, sub)

    class OffByALittle(OwnedLoop):
        def losses(self, points):
            return super().losses(points) * (1 + 1e-5)

    wrong = OffByALittle(ev)
    assert not wrong.reproduces(np.zeros(2), loss)
    ref = loop_reference(model, loss_fn, data, sub, AXES).ravel()
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(wrong.losses(POINTS).numpy(), ref, rtol=0, atol=1e-10)

    class Failing(OwnedLoop):
        def losses(self, points):
            raise RuntimeError("cannot run")

    assert not Failing(ev).reproduces(np.zeros(2), loss)


def test_closures_get_only_the_strategies_that_take_a_closure(mlp_problem):
    model, _loss_fn, data = mlp_problem
    closure = model_loss(lambda m, b: nn.functional.cross_entropy(m(b[0]), b[1]))
    sub = random_subspace(model, 2)
    ev = PointLoss(model, closure, as_batches(data, closure), sub, torch.device("cpu"), F64)
    loss = ev.at(np.zeros(2))
    from landscape_widgets.evaluation.memory import ActivationMeter

    listed = candidates(ev, centre=np.zeros(2), centre_loss=loss, meter=ActivationMeter(),
                        chunk=8, n_points=500)
    from landscape_widgets.evaluation.capture import CapturedLoop

    # (the captured graph races too: a plain MLP closure captures)
    assert [type(s) for s in listed] == [VmapChunks, VmapChunks, OwnedLoop, CapturedLoop]
    ref = loop_reference(model, nn.CrossEntropyLoss(), data, sub, AXES).ravel()
    for strategy in [*listed, PointLoop(ev)]:
        np.testing.assert_allclose(strategy.losses(POINTS).numpy(), ref, rtol=0, atol=1e-10)
    with pytest.raises(ValueError, match="closure.*channels_last"):
        PointLoop(ev, channels_last=True)
    with pytest.raises(ValueError, match="closure.*micro"):
        OwnedLoop(ev, micro=4)
    with pytest.raises(ValueError, match="evaluator: expected a model with conv/BN/ReLU"):
        FusedLoop(ev)


def test_bad_strategy_input_names_the_argument(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    ev, _meter, _loss = evaluator_at_centre(model, loss_fn, data, sub)
    for chunk in (0, -3, 2.5, True, "8"):
        with pytest.raises(ValueError, match=r"chunk: expected an integer >= 1, got"):
            VmapChunks(ev, chunk)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"micro: expected None or an integer >= 1, got 0"):
        PointLoop(ev, micro=0)
    with pytest.raises(ValueError, match="evaluator: expected a model with conv/BN/ReLU"):
        FusedLoop(ev)
    with pytest.raises(ValueError, match=r"path: expected 'vmap' or 'loop', got 'fast'"):
        planned_strategy(ev, "fast", 8, False)
    with pytest.raises(TypeError, match=r"choose: expected a callable"):
        sample_with("vmap", model, loss_fn, data, sub, resolution=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"choose: expected a non-empty list of Strategy"):
        sample_with(lambda ev, **_: ["vmap"], model, loss_fn, data, sub, resolution=3,
                    progress=False)
    with pytest.raises(TypeError, match=r"choose: expected a non-empty list of Strategy"):
        sample_with(lambda ev, **_: [], model, loss_fn, data, sub, resolution=3,
                    progress=False)
    with pytest.raises(ValueError, match=r"executor: a blocked run fixes its own strategy"):
        sample_with(lambda ev, **_: [OwnedLoop(ev)], model, loss_fn, data, sub, resolution=3,
                    task_points=4)


def test_columns_need_a_cached_stage(cnn_problem):
    model, loss_fn, data = cnn_problem
    sub = random_subspace(model, 2)
    ev = PointLoss(model, loss_fn, as_batches(data), sub, torch.device("cpu"), F64)
    with pytest.raises(ValueError, match="columns: the first convolution's input columns"):
        FusedLoop(ev, columns=True)  # the data is not cached before a first pass
