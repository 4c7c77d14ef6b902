"""The model is bit-identical after sampling: parameters, buffers, requires_grad, train/eval
mode of every submodule; also after an exception or KeyboardInterrupt in the k-th loss call."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from landscape_widgets.evaluation import sample_landscape

from .conftest import assert_same_state, random_subspace, state_of


def _mixed_mode_cnn(cnn_problem):
    model, loss_fn, data = cnn_problem
    model.train()  # the user's model is in training mode...
    model.bn2.eval()  # ...with one submodule in eval mode
    model.fc.bias.requires_grad_(False)  # and one frozen parameter
    return model, loss_fn, data


def test_model_unchanged_after_sampling(cnn_problem):
    model, loss_fn, data = _mixed_mode_cnn(cnn_problem)
    sub = random_subspace(model, 2)
    before = state_of(model)
    sample_landscape(model, loss_fn, data, sub, resolution=5, progress=False)
    assert_same_state(model, before)


class FailingLoss:
    """Raises ``exc`` at the k-th call and after (counts calls)."""

    def __init__(self, k, exc, model=None, originals=None):
        self.k, self.exc, self.calls = k, exc, 0
        self.model, self.originals = model, originals

    def __call__(self, out, y):
        self.calls += 1
        if self.originals is not None:
            # While sampling, the user's own tensors are never written (functional_call swaps
            # in ours) and the model runs in eval mode.
            for p, saved in self.originals:
                assert torch.equal(p, saved)
            assert not any(m.training for m in self.model.modules())
        if self.calls >= self.k:
            raise self.exc
        return nn.functional.cross_entropy(out, y)


@pytest.mark.parametrize("exc", [RuntimeError("boom at call k"), KeyboardInterrupt()])
@pytest.mark.parametrize("k", [1, 3, 6])
def test_model_unchanged_after_exception_mid_way(cnn_problem, exc, k):
    model, _, data = _mixed_mode_cnn(cnn_problem)
    sub = random_subspace(model, 2)
    before = state_of(model)
    loss = FailingLoss(k, exc)
    with pytest.raises(type(exc)):
        sample_landscape(model, loss, data, sub, resolution=7, chunk_size=4, progress=False)
    # calls 1-2: the centre checks; call 3: the first vmap chunk. An Exception (not a
    # KeyboardInterrupt) is retried once before it propagates: at the first centre check with
    # autograd on (a forward that differentiates itself), at the first chunk by the loop
    retried = isinstance(exc, Exception) and k in (1, 3)
    assert loss.calls == (k + 1 if retried else k)
    assert_same_state(model, before)


def test_exception_in_loop_fallback_is_not_swallowed(cnn_problem):
    model, _, data = cnn_problem
    sub = random_subspace(model, 2)
    before = state_of(model)
    # call 1 and 2: centre checks; call 3: first vmap chunk; call 4: the loop retry
    with pytest.raises(RuntimeError, match="boom"):
        sample_landscape(model, FailingLoss(3, RuntimeError("boom")), data, sub, resolution=5,
                         progress=False)
    assert_same_state(model, before)


def test_user_tensors_never_written_during_sampling(cnn_problem):
    model, _, data = _mixed_mode_cnn(cnn_problem)
    sub = random_subspace(model, 2)
    originals = [(t, t.detach().clone()) for t in [*model.parameters(), *model.buffers()]]
    versions = [t._version for t, _ in originals]
    loss = FailingLoss(10**9, None, model=model, originals=originals)
    sample_landscape(model, loss, data, sub, resolution=5, chunk_size=6, progress=False)
    assert loss.calls > 3
    # preserved_model restores by copying, which bumps versions; but values are unchanged and
    # the parameter objects are the user's own
    assert [p for p, _ in originals] == [*model.parameters(), *model.buffers()]
    for (t, saved), _v in zip(originals, versions, strict=True):
        assert torch.equal(t, saved)
