"""Resumable sampling: an interrupted run continues from its checkpoint, with identical values
and without re-evaluating finished chunks."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.evaluation import walker as walker_module

from .conftest import random_subspace


class CountingLoss:
    """Cross-entropy that counts calls and raises KeyboardInterrupt at call ``stop_at``."""

    def __init__(self, stop_at=None, on_call=None):
        self.calls, self.stop_at, self.on_call = 0, stop_at, on_call

    def __call__(self, out, y):
        self.calls += 1
        if self.on_call is not None:
            self.on_call(self.calls)
        if self.stop_at is not None and self.calls >= self.stop_at:
            raise KeyboardInterrupt
        return nn.functional.cross_entropy(out, y)


# one batch and a fixed chunk size: 2 centre calls, then one loss call per chunk of 5 points
RUN = dict(resolution=7, extent=0.7, chunk_size=5, progress=False, dtype=torch.float64)
N_CHUNKS = 10  # ceil(49 / 5)


def test_resume_gives_identical_values_without_recomputing(tmp_path, mlp_problem):
    model, _, data = mlp_problem
    sub = random_subspace(model, 2)
    path = tmp_path / "run.npz"
    full = sample_landscape(model, CountingLoss(), data, sub, **RUN)

    first = CountingLoss(stop_at=2 + 4)  # chunks 1-3 finish, chunk 4 is interrupted
    with pytest.raises(KeyboardInterrupt):
        sample_landscape(model, first, data, sub, checkpoint=path, **RUN)
    with np.load(path) as saved:
        assert saved["done"].sum() == 15 and saved["done"][:15].all()

    second = CountingLoss()
    resumed = sample_landscape(model, second, data, sub, checkpoint=path, **RUN)
    assert second.calls == 2 + (N_CHUNKS - 3)
    np.testing.assert_array_equal(resumed.values, full.values)

    third = CountingLoss()  # a finished checkpoint: nothing left but the centre checks
    again = sample_landscape(model, third, data, sub, checkpoint=path, **RUN)
    assert third.calls == 2
    np.testing.assert_array_equal(again.values, full.values)


def test_checkpoint_is_saved_periodically(tmp_path, mlp_problem, monkeypatch):
    model, _, data = mlp_problem
    sub = random_subspace(model, 2)
    path = tmp_path / "run.npz"
    monkeypatch.setattr(walker_module, "SAVE_INTERVAL_S", 0.0)
    seen = {}

    def look(call):
        if call > 3 and path.exists():  # call 3 + j evaluates chunk j + 1
            with np.load(path) as saved:
                seen[call] = int(saved["done"].sum())

    sample_landscape(model, CountingLoss(on_call=look), data, sub, checkpoint=path, **RUN)
    assert seen[4] == 5 and seen[8] == 25


def test_mismatched_configuration_is_refused(tmp_path, mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    path = tmp_path / "run.npz"
    sample_landscape(model, loss_fn, data, sub, checkpoint=path, **RUN)
    with pytest.raises(ValueError, match=r"different configuration \(different resolution\): "
                       r"resolution \(resolution: \[7, 7\] in the file, \[9, 9\] in this run\)"):
        sample_landscape(model, loss_fn, data, sub, checkpoint=path, **{**RUN, "resolution": 9})
    with pytest.raises(ValueError, match=r"\(different directions\)"):
        sample_landscape(model, loss_fn, data, random_subspace(model, 2, seed=1),
                         checkpoint=path, **RUN)
    x, y = data
    with pytest.raises(ValueError,
                       match=r"\(different data, number of samples, loss at the centre\)"):
        sample_landscape(model, loss_fn, (x[:30], y[:30]), sub, checkpoint=path, **RUN)
    with torch.no_grad():
        model[0].bias.add_(1.0)
    with pytest.raises(ValueError, match=r"\(different model parameters, loss at the centre\)"):
        sample_landscape(model, loss_fn, data, sub, checkpoint=path, **RUN)


def test_bad_checkpoint_paths(tmp_path, mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 1)
    with pytest.raises(ValueError, match=r"expected a path ending in '\.npz'"):
        sample_landscape(model, loss_fn, data, sub, checkpoint=tmp_path / "run.ckpt", **RUN)
    np.savez(tmp_path / "other.npz", values=np.zeros(3))
    with pytest.raises(ValueError, match="expected a grid checkpoint"):
        sample_landscape(model, loss_fn, data, sub, checkpoint=tmp_path / "other.npz", **RUN)
