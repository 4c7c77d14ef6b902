"""TrajectoryView (pytest side): the wire payload against its inputs, traits and their checks,
the shared Selection, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import traitlets

from landscape_widgets.io.wire import from_wire
from landscape_widgets.trajectories import Trajectories, pca_embedding, trajectory_topology
from landscape_widgets.widgets import Selection
from landscape_widgets.widgets.trajectory_view import TrajectoryView


def synthetic(seeds: tuple[int, ...] = (0, 1), steps: tuple[float, ...] = (0.5, 1.0),
              epochs: int = 6, eval_loss: bool = True) -> Trajectories:
    """Random-walk 'trajectories' that decay towards a centre, with a decreasing loss."""
    rng = np.random.default_rng(0)
    rows, seed, step, epoch, loss = [], [], [], [], []
    for s in seeds:
        for c in steps:
            x = rng.normal(size=8) * c
            for e in range(epochs + 1):
                rows.append(x.copy())
                seed.append(s), step.append(c), epoch.append(e)
                loss.append(float((x**2).sum()) + 0.01)
                x = 0.6 * x + 0.05 * rng.normal(size=8)
    loss_arr = np.array(loss)
    return Trajectories(params=np.array(rows), train_loss=loss_arr, seed=seed, step_size=step,
                        epoch=epoch, eval_loss=loss_arr * 1.1 if eval_loss else None)


@pytest.fixture(scope="module")
def inputs() -> tuple[Trajectories, Any, Any]:
    traj = synthetic()
    emb = pca_embedding(traj)
    return traj, emb, trajectory_topology(traj.params, traj.train_loss, k=4)


def test_payload_matches_inputs(inputs: Any) -> None:
    traj, emb, diagrams = inputs
    view = TrajectoryView(traj, emb, diagrams)
    s = {k: from_wire(v) for k, v in view._data["samples"].items()}
    np.testing.assert_allclose(s["x"], emb.coords[:, 0], rtol=1e-6)
    np.testing.assert_allclose(s["y"], emb.coords[:, 1], rtol=1e-6)
    np.testing.assert_allclose(s["loss"], traj.train_loss, rtol=1e-6)
    np.testing.assert_array_equal(s["seed"], traj.seed)
    np.testing.assert_array_equal(s["epoch"], traj.epoch)
    np.testing.assert_array_equal(s["trajectory"], traj.trajectory)
    assert view._data["seeds"] == [0, 1] and view._data["steps"] == [0.5, 1.0]
    assert view._data["method"] == "pca" and view.method == "pca"
    assert view._data["value_label"] == "train loss" and view._data["has_eval"]


def test_diagram_points_group_pairs_sharing_their_samples(inputs: Any) -> None:
    traj, emb, diagrams = inputs
    d = TrajectoryView(traj, emb, diagrams)._data["diagram"]
    dim, count, index = from_wire(d["dim"]), from_wire(d["count"]), from_wire(d["index"])
    bv, dv = from_wire(d["birth_vertex"]), from_wire(d["death_vertex"])
    birth, death = from_wire(d["birth"]), from_wire(d["death"])
    assert d["n_pairs"] == [len(diagrams.d0), len(diagrams.d1)]
    for k in (0, 1):
        pairs, verts = diagrams.diagram(k), getattr(diagrams, f"d{k}_vertices")
        assert count[dim == k].sum() == len(pairs)
        group_of = from_wire(d[f"group_of{k}"])
        assert group_of.shape == (len(pairs),)
        for i, g in enumerate(group_of):  # every pair is drawn at a point with its samples
            assert dim[g] == k and (bv[g], dv[g]) == tuple(verts[i])
            assert birth[g] == pairs[i, 0] and (death[g] == pairs[i, 1])
        assert (group_of[index[dim == k]] == np.flatnonzero(dim == k)).all()
    assert np.isinf(death[dim == 1]).all()  # a 1-complex: essential cycles only
    assert d["total_persistence"] == [pytest.approx(diagrams.total_persistence(0)),
                                      pytest.approx(diagrams.total_persistence(1))]
    assert (count[dim == 1] > 1).any()  # many cycles born at one sample share a point


def test_traits_and_their_checks(inputs: Any) -> None:
    traj, emb, diagrams = inputs
    view = TrajectoryView(traj, emb, diagrams, color_by="seed", log_diagram=True, width=600)
    assert (view.color_by, view.log_diagram, view.width, view.height) == ("seed", True, 600, 360)
    for mode in ("loss", "eval_loss", "step", "epoch"):
        view.color_by = mode
    with pytest.raises(traitlets.TraitError, match="color_by"):
        view.color_by = "rainbow"
    view.pair = [1, 0]
    assert view.pair_samples() == tuple(int(v) for v in diagrams.d1_vertices[0])
    view.pair = []
    assert view.pair_samples() is None
    for bad in ([2, 0], [0, len(diagrams.d0)], [0]):
        with pytest.raises(traitlets.TraitError, match="pair"):
            view.pair = bad
    with pytest.raises(traitlets.TraitError):
        view.method = "tsne"  # read-only


def test_shared_selection_point_is_a_sample_index(inputs: Any) -> None:
    traj, emb, diagrams = inputs
    sel = Selection()
    a = TrajectoryView(traj, emb, diagrams, selection=sel)
    b = TrajectoryView(traj, pca_embedding(traj.params[:, ::-1].copy()), diagrams, selection=sel)
    assert a.selection is b.selection is sel
    sel.point = traj.n_samples - 1
    assert a.selection.point == b.selection.point == traj.n_samples - 1


def test_without_diagrams_and_without_eval(inputs: Any) -> None:
    traj = synthetic(eval_loss=False)
    view = TrajectoryView(traj, pca_embedding(traj))
    assert "diagram" not in view._data and not view._data["has_eval"]
    with pytest.raises(ValueError, match="eval_data"):
        TrajectoryView(traj, pca_embedding(traj), color_by="eval_loss")
    plain = TrajectoryView(traj, np.zeros((traj.n_samples, 2)) + np.arange(traj.n_samples)[:, None])
    assert plain.method == "custom"


def test_bad_input(inputs: Any) -> None:
    traj, emb, diagrams = inputs
    with pytest.raises(TypeError, match="Trajectories"):
        TrajectoryView(np.zeros((3, 2)), emb)
    with pytest.raises(ValueError, match="one row per sample"):
        TrajectoryView(traj, emb.coords[:-1])
    with pytest.raises(ValueError, match="NaN"):
        TrajectoryView(traj, np.full((traj.n_samples, 2), np.nan))
    other = trajectory_topology(traj.params[:-2], traj.train_loss[:-2], k=3)
    with pytest.raises(ValueError, match="vertices"):
        TrajectoryView(traj, emb, other)
    with pytest.raises(TypeError, match="GraphPersistence"):
        TrajectoryView(traj, emb, object())
    with pytest.raises(TypeError, match="colour"):
        TrajectoryView(traj, emb, diagrams, colour="seed")


def test_export_is_standalone(inputs: Any, tmp_path: Path) -> None:
    traj, emb, diagrams = inputs
    path = TrajectoryView(traj, emb, diagrams).to_html(tmp_path / "traj.html")
    text = path.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in text
    assert "lw-trajectory" in text  # the view's bundle is embedded
