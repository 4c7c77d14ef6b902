"""Sweeps take a loss closure: each entry equals sample_landscape with that closure alone."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw

torch = pytest.importorskip("torch")
F = torch.nn.functional


def make_model() -> Any:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))


def test_sweep_checkpoints_with_a_closure(tmp_path: Any) -> None:
    torch.manual_seed(1)
    x, y = torch.randn(30, 4), torch.randint(0, 3, (30,))
    batch = {"x": x, "y": y}
    closure = lw.model_loss(lambda m, b: F.cross_entropy(m(b["x"]), b["y"]))
    states = {}
    for epoch in (1, 2):
        m = make_model()
        with torch.no_grad():
            for p in m.parameters():
                p.mul_(epoch)
        states[epoch] = m.state_dict()
    coll = lw.sweep_checkpoints(states, make_model, closure, batch, keys="epoch",
                                directory=tmp_path / "c", resolution=5, chunk_size=5,
                                progress=False)
    for epoch, state in states.items():
        model = make_model()
        model.load_state_dict(state)
        sub = lw.random_subspace(model, dims=2, normalization="filter", seed=0)
        alone = lw.sample_landscape(model, closure, batch, sub, resolution=5, chunk_size=5,
                                    progress=False)
        entry = next(e for e in coll.entries if e.key["epoch"] == epoch)
        np.testing.assert_allclose(coll.landscape(entry.id).values, alone.values, rtol=1e-12)
    again = lw.sweep_checkpoints(states, make_model, closure, batch, keys="epoch",
                                 directory=tmp_path / "c", resolution=5, chunk_size=5,
                                 progress=False)
    assert len(again.entries) == 2
