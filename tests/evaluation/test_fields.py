"""``sample_landscape(metrics=...)``: extra fields from the same pass as the loss equal a plain
loop with ``functional_call``, on every evaluation path that produces them; ``land.fields``
survives save/load and checkpoints; ``basin_statistic`` equals a brute-force grouping."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import landscape_widgets as lw
from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.evaluation.checkpoint import GridCheckpoint
from landscape_widgets.evaluation.functional import PointLoss
from landscape_widgets.evaluation.sample import sample_with
from landscape_widgets.evaluation.strategy import OwnedLoop
from landscape_widgets.io.npz_checkpoint import read_checkpoint
from landscape_widgets.landscape import Landscape
from landscape_widgets.model.data import as_batches

from .conftest import only, random_subspace

F64 = torch.float64


def accuracy(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return (outputs.argmax(1) == targets).to(outputs.dtype).mean()


def logit_energy(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return (outputs**2).mean()


METRICS = {"accuracy": accuracy, "energy": logit_energy}


def fields_reference(model, loss_fn, fns, batches, sub, axes) -> dict[str, np.ndarray]:
    """For every grid point: θ + Σ αᵢ δᵢ by hand, ``functional_call`` per batch, each function's
    sample-weighted mean over the batches (float64)."""
    names = [n for n, p in model.named_parameters() if p.requires_grad]
    theta = {n: p.detach().to(F64) for n, p in model.named_parameters()}
    buffers = {n: b.detach().to(F64) if b.is_floating_point() else b
               for n, b in model.named_buffers()}
    mesh = np.meshgrid(*axes, indexing="ij")
    points = np.stack([m.ravel() for m in mesh], axis=1)
    out = {k: np.empty(len(points)) for k in ["loss", *fns]}
    model = model.eval()
    with torch.no_grad():
        for i, alpha in enumerate(points):
            params = dict(theta)
            for n in names:
                params[n] = theta[n] + sum(float(a) * d[n].to(F64)
                                           for a, d in zip(alpha, sub.directions, strict=True))
            totals = dict.fromkeys(out, 0.0)
            count = 0
            for x, y in batches:
                o = torch.func.functional_call(model, {**params, **buffers}, (x.to(F64),))
                m = len(y)
                totals["loss"] += float(loss_fn(o, y)) * m
                for k, fn in fns.items():
                    totals[k] += float(fn(o, y)) * m
                count += m
            for k in out:
                out[k][i] = totals[k] / count
    shape = [len(a) for a in axes]
    return {k: v.reshape(shape) for k, v in out.items()}


def check_against_reference(land, model, loss_fn, fns, batches, sub) -> None:
    ref = fields_reference(model, loss_fn, fns, batches, sub, land.axes)
    np.testing.assert_allclose(land.values, ref["loss"], rtol=0, atol=1e-10)
    assert list(land.fields) == list(fns)
    for k in fns:
        np.testing.assert_allclose(land.fields[k], ref[k], rtol=0, atol=1e-10)
        assert np.ptp(ref[k]) > 1e-3, f"{k} does not vary: the test would prove nothing"


@pytest.fixture
def classification():
    torch.manual_seed(0)
    # fan-in 64: wide enough for the affine-head shortcut of the vmap path (head.py)
    model = nn.Sequential(nn.Linear(64, 8), nn.Tanh(), nn.Linear(8, 3))
    x, y = torch.randn(50, 64), torch.randint(0, 3, (50,))
    batches = [(x[:32], y[:32]), (x[32:], y[32:])]  # ragged: the weighting matters
    return model, nn.CrossEntropyLoss(), batches


@pytest.mark.parametrize("chunk_size", [None, 7])
def test_vmap_fields_equal_plain_loop(classification, chunk_size) -> None:
    model, loss_fn, batches = classification
    sub = random_subspace(model, 2, scale=1.0)
    land = sample_landscape(model, loss_fn, batches, sub, resolution=7, extent=1.0,
                            dtype=F64, progress=False, chunk_size=chunk_size, metrics=METRICS)
    assert land.provenance.extra["fields"] == ["accuracy", "energy"]
    assert land.provenance.extra["micro_batch"] is None
    if chunk_size is not None:  # no race: vmap, through the affine-head shortcut
        assert land.provenance.extra["evaluation"] == "vmap"
        assert land.provenance.extra["affine_head"]
    check_against_reference(land, model, loss_fn, METRICS, batches, sub)


def test_forced_loop_fields_equal_plain_loop(classification) -> None:
    model, loss_fn, batches = classification
    sub = random_subspace(model, 2, scale=1.0)
    land = sample_with(only(OwnedLoop), model, loss_fn, batches, sub, resolution=6, dtype=F64,
                            progress=False, metrics=METRICS)
    assert land.provenance.extra["evaluation"] == "loop"
    check_against_reference(land, model, loss_fn, METRICS, batches, sub)


def test_each_evaluator_path_gives_the_same_rows(classification) -> None:
    """vmap (with the affine head), vmap without it, the loop through functional_call and the
    loop through the private copy: rows [loss, accuracy, energy] equal the reference."""
    model, loss_fn, batches = classification
    sub = random_subspace(model, 2, scale=1.0)
    axes = (np.linspace(-1, 1, 4), np.linspace(-1, 1, 3))
    ref = fields_reference(model, loss_fn, METRICS, batches, sub, axes)
    expected = np.stack([ref[k].ravel() for k in ["loss", *METRICS]], axis=1)
    coords = np.stack([m.ravel() for m in np.meshgrid(*axes, indexing="ij")], axis=1)
    model = model.double().eval()
    ev = PointLoss(model, loss_fn, as_batches(batches), sub, torch.device("cpu"), F64, METRICS)
    assert ev.head is not None  # a Linear first layer: the affine-head shortcut
    np.testing.assert_allclose(ev.batched(coords).numpy(), expected, atol=1e-10)
    ev.head = None
    np.testing.assert_allclose(ev.batched(coords).numpy(), expected, atol=1e-10)
    np.testing.assert_allclose(ev.loop(coords).numpy(), expected, atol=1e-10)  # owned copy
    assert ev._owned is not None
    rows = np.stack([ev.values_at(c).numpy() for c in coords])  # functional_call
    np.testing.assert_allclose(rows, expected, atol=1e-10)
    assert ev.at(coords[0]) == pytest.approx(expected[0, 0], abs=1e-12)
    assert not ev.fusable()  # the fused model is checked on the loss alone: never with metrics


def test_cnn_fields_skip_fusion_and_micro_batches() -> None:
    from .conftest import SmallCNN, trained_bn_stats

    torch.manual_seed(1)
    x, y = torch.randn(24, 1, 8, 8), torch.randint(0, 3, (24,))
    model = trained_bn_stats(SmallCNN(), x)
    sub = random_subspace(model, 2, scale=1.0)
    land = sample_landscape(model, nn.CrossEntropyLoss(), (x, y), sub, resolution=7,
                            dtype=F64, progress=False, metrics={"accuracy": accuracy})
    assert land.provenance.extra["fused"] is False
    assert land.provenance.extra["micro_batch"] is None
    check_against_reference(land, model, nn.CrossEntropyLoss(), {"accuracy": accuracy}, [(x, y)],
                            sub)


def test_metric_vmap_cannot_trace_falls_back_to_the_loop(classification) -> None:
    model, loss_fn, batches = classification
    sub = random_subspace(model, 2, scale=1.0)

    def accuracy_item(outputs, targets):  # .item(): a Python float, not under vmap
        return (outputs.argmax(1) == targets).double().mean().item()

    with pytest.warns(RuntimeWarning, match="falling back to a per-point loop"):
        land = sample_landscape(model, loss_fn, batches, sub, resolution=5, dtype=F64,
                                progress=False, metrics={"accuracy": accuracy_item})
    assert land.provenance.extra["evaluation"] == "loop"
    check_against_reference(land, model, loss_fn, {"accuracy": accuracy}, batches, sub)


def test_fields_survive_save_load_and_a_resumed_checkpoint(classification, tmp_path) -> None:
    model, loss_fn, batches = classification
    sub = random_subspace(model, 2, scale=1.0)
    kw = dict(resolution=6, dtype=F64, progress=False, metrics=METRICS)
    path = tmp_path / "run.npz"
    full = sample_landscape(model, loss_fn, batches, sub, checkpoint=path, **kw)
    # forget half of the points, as an interrupted run would have left them
    meta, _arrays = read_checkpoint(path, "landscape_widgets.grid_checkpoint", 1, "test")
    ck = GridCheckpoint.open(path, meta["fingerprint"], 36, ("accuracy", "energy"))
    assert ck.n_done == 36 and ck.fields is not None
    ck.done[::2] = False
    ck.values[::2] = np.nan
    ck.fields[::2] = np.nan
    ck.save()
    resumed = sample_landscape(model, loss_fn, batches, sub, checkpoint=path, **kw)
    np.testing.assert_allclose(resumed.values, full.values, atol=1e-12)
    for k in METRICS:
        np.testing.assert_allclose(resumed.fields[k], full.fields[k], atol=1e-12)
    # the same file without metrics is another computation: refused
    with pytest.raises(ValueError, match="fields"):
        sample_landscape(model, loss_fn, batches, sub, checkpoint=path, resolution=6, dtype=F64,
                         progress=False)
    saved = Landscape.load(full.save(tmp_path / "land.npz"))
    assert list(saved.fields) == ["accuracy", "energy"]
    for k in METRICS:
        np.testing.assert_array_equal(saved.fields[k], full.fields[k])
        assert not saved.fields[k].flags.writeable


def test_landscape_fields_are_validated() -> None:
    values = np.zeros((3, 4))
    land = Landscape.from_array(values)
    assert land.fields == {}
    axes = land.axes
    flat = Landscape(values, axes, fields={"a": np.arange(12.0)})
    assert flat.fields["a"].shape == (3, 4)
    with pytest.raises(ValueError, match=r"fields\['a'\]: expected the shape of values"):
        Landscape(values, axes, fields={"a": np.zeros(5)})
    with pytest.raises(ValueError, match="fields: expected non-empty string names"):
        Landscape(values, axes, fields={3: np.zeros(12)})
    with pytest.raises(TypeError, match="fields: expected a mapping"):
        Landscape(values, axes, fields=[np.zeros(12)])


def test_bad_metrics_are_named(classification) -> None:
    model, loss_fn, batches = classification
    sub = random_subspace(model, 1)
    kw = dict(resolution=3, dtype=F64, progress=False)
    with pytest.raises(TypeError, match="metrics: expected a mapping"):
        sample_landscape(model, loss_fn, batches, sub, metrics=[accuracy], **kw)
    with pytest.raises(TypeError, match=r"metrics\['acc'\]: expected a function"):
        sample_landscape(model, loss_fn, batches, sub, metrics={"acc": 1.0}, **kw)
    with pytest.raises(ValueError, match="metrics: expected non-empty string names"):
        sample_landscape(model, loss_fn, batches, sub, metrics={"": accuracy}, **kw)
    # found at the centre, before any grid point
    with pytest.raises(ValueError, match=r"metrics\['per_sample'\]: expected it to return a "
                                         r"scalar"):
        sample_landscape(model, loss_fn, batches, sub, **kw,
                         metrics={"per_sample": lambda o, t: (o.argmax(1) == t).double()})


def test_basin_statistic_equals_brute_force_grouping() -> None:
    land = lw.examples.four_wells(resolution=31)
    tree = lw.merge_tree(land)
    field = land.points[:, 0] * 2 + land.points[:, 1]  # anything per vertex
    for statistic in (np.mean, np.max, lambda v: np.quantile(v, 0.9)):
        stat = lw.basin_statistic(tree, field.reshape(land.shape), statistic)
        assert stat.basin_minima.tolist() == tree.minima.tolist()
        for k, m in enumerate(tree.minima):
            members = field[tree.basins == m]
            assert stat.sizes[k] == members.size
            assert stat.values[k] == pytest.approx(statistic(members), abs=1e-12)
    simple = tree.simplify(np.inf)
    assert lw.basin_statistic(simple, field, np.mean).values.tolist() == [
        pytest.approx(field.mean())
    ]
    assert stat.statistic == "<lambda>" and len(stat.as_dict()) == tree.n_minima


def test_basin_statistic_of_a_sampled_field(classification) -> None:
    model, loss_fn, batches = classification
    sub = random_subspace(model, 2, scale=1.0)
    land = sample_landscape(model, loss_fn, batches, sub, resolution=9, dtype=F64,
                            progress=False, metrics={"accuracy": accuracy})
    tree = lw.merge_tree(land)
    stat = lw.basin_statistic(tree, land.fields["accuracy"], np.mean)
    acc = land.fields["accuracy"].ravel()
    expected = [acc[tree.basins == m].mean() for m in tree.minima]
    np.testing.assert_allclose(stat.values, expected, atol=1e-12)
    assert stat.statistic == "mean"


def test_basin_statistic_bad_input_is_named() -> None:
    land = lw.examples.four_wells(resolution=11)
    tree = lw.merge_tree(land)
    with pytest.raises(ValueError, match=r"field: expected one value per vertex"):
        lw.basin_statistic(tree, np.zeros(5))
    with pytest.raises(TypeError, match="statistic: expected a function"):
        lw.basin_statistic(tree, land.values, "mean")
    with pytest.raises(TypeError, match="statistic: expected <lambda> to return a number"):
        lw.basin_statistic(tree, land.values, lambda v: v)
    with pytest.raises(TypeError, match="tree: expected a MergeTree"):
        lw.basin_statistic(land, land.values)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_fields_equal_plain_loop(classification) -> None:
    model, loss_fn, batches = classification
    sub = random_subspace(model, 2, scale=1.0)
    land = sample_landscape(model, loss_fn, batches, sub, resolution=7, dtype=F64,
                            progress=False, device="cuda", metrics=METRICS)
    assert land.provenance.extra["device"].startswith("cuda")
    check_against_reference(land, model, loss_fn, METRICS, batches, sub)
