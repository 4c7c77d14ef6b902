"""Sweeps over real models (digits MLPs, 3 learning rates × 2 seeds): the table equals computing
each entry alone, one progress bar, resumption after an interruption, training grids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import TOPOLOGY_METRICS, LandscapeCollection

from .digits import EXTENT, LRS, RESOLUTION, SEEDS, accuracy, make_mlp, train_mlp

torch = pytest.importorskip("torch")

CHUNK = 9  # a fixed chunk size: the same floating-point path in every run (no CPU race)


class CountingLoss(torch.nn.Module):
    """Cross-entropy that counts its calls and can raise KeyboardInterrupt at call ``fail_at``.

    ``fail_at`` is kept private: a loss module's public constructor arguments are part of a
    resume fingerprint (they are settings), and this one is instrumentation, not a setting."""

    def __init__(self, fail_at: int | None = None) -> None:
        super().__init__()
        self.calls = 0
        self._fail_at = fail_at

    def forward(self, out: Any, target: Any) -> Any:
        self.calls += 1
        if self._fail_at is not None and self.calls >= self._fail_at:
            raise KeyboardInterrupt
        return torch.nn.functional.cross_entropy(out, target)


def sweep(checkpoints: Any, directory: Path | None, digits: Any, **kw: Any) -> LandscapeCollection:
    kw = {"make_model": make_mlp, "resolution": RESOLUTION, "extent": EXTENT,
          "chunk_size": CHUNK, "progress": False,
          "scalars": lambda model, key: {"accuracy": accuracy(model, digits)}, **kw}
    loss_fn = kw.pop("loss_fn", None) or CountingLoss()
    return lw.sweep_checkpoints(checkpoints, loss_fn=loss_fn, data=digits, directory=directory,
                                **kw)


@pytest.fixture(scope="module")
def swept(checkpoints: Any, digits: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return sweep(checkpoints, tmp_path_factory.mktemp("sweep") / "c", digits)


def alone(state: Any, digits: Any) -> tuple[Any, Any]:
    """One entry computed by hand: the reference for the sweep."""
    model = make_mlp()
    model.load_state_dict(state)
    sub = lw.random_subspace(model, dims=2, normalization="filter", seed=0)
    land = lw.sample_landscape(model, CountingLoss(), digits, sub, resolution=RESOLUTION,
                               extent=EXTENT, chunk_size=CHUNK, progress=False)
    return land, lw.landscape_metrics(lw.merge_tree(land, connectivity="full"))


def test_table_shape_and_values_equal_each_entry_alone(
    swept: LandscapeCollection, checkpoints: Any, digits: Any
) -> None:
    df = swept.table()
    assert df.shape == (len(LRS) * len(SEEDS), 2 + len(TOPOLOGY_METRICS) + 1)
    assert list(df.columns[:2]) == ["lr", "seed"] and df.columns[-1] == "accuracy"
    assert sorted(zip(df["lr"], df["seed"])) == sorted((lr, s) for lr in LRS for s in SEEDS)
    for key, state in checkpoints:
        land, m = alone(state, digits)
        row = df.loc[swept.id_for(key)]
        np.testing.assert_array_equal(swept.landscape(key).values, land.values)
        for name in ("n_minima", "n_saddles", "average_persistence", "total_persistence",
                     "smad", "loss_range"):
            np.testing.assert_equal(row[name], float(getattr(m, name)))
        assert row["center_loss"] == land.values.flat[land.center_index]
        model = make_mlp()
        model.load_state_dict(state)
        assert row["accuracy"] == accuracy(model, digits)
    # the runs differ: the learning rates give different losses at the centre
    assert df["center_loss"].nunique() == len(df)
    assert swept.attrs["sweep"]["resolution"] == [RESOLUTION, RESOLUTION]
    prov = swept.landscape(checkpoints[0][0]).provenance
    assert prov.source == "random" and prov.normalization == "filter" and prov.seed == 0


def test_saved_sweep_round_trips(swept: LandscapeCollection, tmp_path: Path) -> None:
    back = LandscapeCollection.load(swept.directory)
    assert back.table().equals(swept.table())
    copy = LandscapeCollection.load(swept.save(tmp_path / "copy"))
    assert copy.table().equals(swept.table())
    assert copy.attrs == swept.attrs
    for e in swept:
        np.testing.assert_array_equal(copy.landscape(e.id).values, swept.landscape(e).values)


def test_interrupted_sweep_resumes_without_recomputing(
    checkpoints: Any, digits: Any, swept: LandscapeCollection, tmp_path: Path
) -> None:
    d = tmp_path / "c"
    built: list[dict[str, Any]] = []

    def make_model(key: dict[str, Any]) -> Any:  # takes the key: called as make_model(key)
        built.append(key)
        if len(built) == 4:
            raise RuntimeError("node lost")
        return make_mlp()

    with pytest.raises(RuntimeError, match="node lost"):
        sweep(checkpoints, d, digits, make_model=make_model)
    first = LandscapeCollection.load(d)
    assert len(first) == 3
    stamps = {f.name: f.stat().st_mtime_ns for f in (d / "landscapes").iterdir()}
    built.clear()
    done = sweep(checkpoints, d, digits, make_model=make_model)
    assert [k for k in built] == [k for k, _ in checkpoints[3:]]  # only the unfinished ones
    for name, stamp in stamps.items():  # finished entries were not rewritten
        assert (d / "landscapes" / name).stat().st_mtime_ns == stamp
    assert done.table().equals(swept.table())
    # a third run finds everything done and builds nothing
    built.clear()
    sweep(checkpoints, d, digits, make_model=make_model)
    assert built == []


def test_ctrl_c_inside_a_landscape_resumes_from_its_partial_checkpoint(
    checkpoints: Any, digits: Any, swept: LandscapeCollection, tmp_path: Path
) -> None:
    d = tmp_path / "c"
    two = checkpoints[:2]
    sweep(two[:1], d, digits)
    # interrupt the second landscape after the centre checks and a few chunks
    loss = CountingLoss(fail_at=6)
    with pytest.raises(KeyboardInterrupt):
        sweep(two, d, digits, loss_fn=loss)
    partial = list((d / "partial").iterdir())
    assert [p.name for p in partial] == [f"{swept.id_for(two[1][0])}.npz"]
    with np.load(partial[0], allow_pickle=False) as ck:
        n_done = int(ck["done"].sum())
    assert 0 < n_done < RESOLUTION**2
    again = CountingLoss()
    done = sweep(two, d, digits, loss_fn=again)
    assert list((d / "partial").iterdir()) == []
    # only the missing points were evaluated (+ the two centre checks)
    expected_chunks = -(-(RESOLUTION**2 - n_done) // CHUNK)
    assert again.calls == 2 + expected_chunks
    np.testing.assert_array_equal(done.landscape(two[1][0]).values,
                                  swept.landscape(two[1][0]).values)


def test_one_progress_bar_for_the_whole_sweep(
    checkpoints: Any, digits: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tqdm.auto

    bars: list[Any] = []

    class Recorder(tqdm.auto.tqdm):  # type: ignore[misc,name-defined]
        def __init__(self, *a: Any, **kw: Any) -> None:
            super().__init__(*a, **kw)
            self.shown = not self.disable  # close() sets disable later
            bars.append(self)

    monkeypatch.setattr(tqdm.auto, "tqdm", Recorder)
    sweep(checkpoints[:2], tmp_path / "c", digits, progress=True)
    shown = [b for b in bars if b.shown]
    assert len(shown) == 1 and shown[0].total == 2 and shown[0].n == 2
    assert shown[0].unit == "landscape"
    bars.clear()
    sweep(checkpoints[:3], tmp_path / "c", digits, progress=True)
    shown = [b for b in bars if b.shown]
    assert len(shown) == 1 and shown[0].total == 3 and shown[0].n == 3
    assert shown[0].initial == 2  # resumed: two were already done


def test_changed_configuration_is_refused(checkpoints: Any, digits: Any, tmp_path: Path) -> None:
    d = tmp_path / "c"
    sweep(checkpoints[:1], d, digits)
    with pytest.raises(ValueError, match=r"different configuration \(different resolution\): "
                       r"resolution \(resolution: \[9, 9\] saved, \[11, 11\] in this run\)"):
        sweep(checkpoints[:2], d, digits, resolution=11)
    with pytest.raises(ValueError, match="seed"):
        sweep(checkpoints[:2], d, digits, seed=3)
    assert len(LandscapeCollection.load(d)) == 1


def test_hessian_metrics_and_subspace(checkpoints: Any, digits: Any) -> None:
    two = checkpoints[2:4]
    coll = sweep(two, None, digits, hessian={"max_trace_samples": 10})
    assert coll.directory is None
    for key, state in two:
        model = make_mlp()
        model.load_state_dict(state)
        hm = lw.hessian_metrics(model, torch.nn.CrossEntropyLoss(), digits, seed=0,
                                max_trace_samples=10)
        e = coll[key]
        assert e.hessian["top_eigenvalue"] == pytest.approx(hm.top_eigenvalues[0], rel=1e-6)
        assert e.hessian["trace"] == pytest.approx(hm.trace, rel=1e-6)
    assert {"top_eigenvalue", "trace"} <= set(coll.table().columns)
    hess = sweep(two, None, digits, subspace="hessian", resolution=5, scalars=None)
    prov = hess.landscape(two[0][0]).provenance
    assert prov.source == "hessian" and len(prov.eigenvalues) == 2
    assert prov.eigenvalues[0] >= prov.eigenvalues[1]


def test_checkpoint_forms(checkpoints: Any, digits: Any, tmp_path: Path) -> None:
    # {(lr, seed): path of a torch.save'd state dict}, named by keys=...
    files = {}
    for key, state in checkpoints[:2]:
        path = tmp_path / f"{key['lr']}-{key['seed']}.pt"
        torch.save(state, path)
        files[(key["lr"], key["seed"])] = path
    by_path = sweep(files, None, digits, keys=("lr", "seed"), scalars=None)
    # a module as the template, scalar keys named by keys="run"
    template = make_mlp()
    before = {k: v.clone() for k, v in template.state_dict().items()}
    by_template = sweep({i: s for i, (_, s) in enumerate(checkpoints[:2])}, None, digits,
                        make_model=template, keys="run", scalars=None)
    assert by_template.keys == ("run",) and by_template.values_of("run") == [0, 1]
    for (key, _), run in zip(checkpoints[:2], (0, 1)):
        np.testing.assert_array_equal(by_path.landscape(key).values,
                                      by_template.landscape({"run": run}).values)
    assert all(torch.equal(before[k], v) for k, v in template.state_dict().items())  # a copy
    # modules as states, make_model=None
    models = [(key, train_mlp(key["lr"], key["seed"], digits)) for key, _ in checkpoints[:1]]
    by_module = sweep(models, None, digits, make_model=None, scalars=None)
    np.testing.assert_array_equal(by_module.landscape(models[0][0]).values,
                                  by_path.landscape(models[0][0]).values)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"subspace": "pca"}, ValueError, "subspace"),
        ({"dims": 0}, ValueError, "dims"),
        ({"normalization": "unit"}, ValueError, "normalization"),
        ({"resolution": 1}, ValueError, "resolution"),
        ({"hessian": {"top": 2}}, ValueError, "unknown options"),
        ({"make_model": lambda: "not a model"}, TypeError, "torch.nn.Module"),
        ({"make_model": None}, TypeError, "None only works"),
        ({"keys": ("a", "b", "c")}, ValueError, "expected 3 values"),
    ],
)
def test_bad_arguments(checkpoints: Any, digits: Any, kwargs: dict[str, Any], error: type,
                       match: str) -> None:
    items = {(k["lr"], k["seed"]): s for k, s in checkpoints[:1]}
    kwargs.setdefault("keys", ("lr", "seed"))
    with pytest.raises(error, match=match):
        sweep(items, None, digits, **kwargs)


def test_bad_checkpoint_lists(checkpoints: Any, digits: Any, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="keys="):
        sweep({0: checkpoints[0][1]}, None, digits)
    with pytest.raises(ValueError, match="appears twice"):
        sweep([checkpoints[0], checkpoints[0]], None, digits)
    with pytest.raises(ValueError, match="same names"):
        sweep([checkpoints[0], ({"epoch": 1}, checkpoints[1][1])], None, digits)
    with pytest.raises(ValueError, match="either collection= or directory="):
        lw.sweep_checkpoints(checkpoints, make_mlp, CountingLoss(), digits,
                             collection=LandscapeCollection(), directory=tmp_path)
    with pytest.raises(TypeError, match=r"\(key, state\) pairs"):
        sweep([1, 2], None, digits)
    other = LandscapeCollection(keys=("epoch",))
    with pytest.raises(ValueError, match="expected the names"):
        sweep(checkpoints[:1], None, digits, collection=other)


def test_sweep_training_grid_resumes_without_retraining(
    digits: Any, swept: LandscapeCollection, tmp_path: Path
) -> None:
    trained: list[dict[str, Any]] = []

    def train(config: dict[str, Any]) -> Any:
        trained.append(config)
        model = train_mlp(config["lr"], config["seed"], digits)
        return model, {"train_accuracy": accuracy(model, digits)}

    grid = {"lr": list(LRS[:2]), "seed": [0, 1]}
    kw = {"loss_fn": CountingLoss(), "data": digits, "resolution": RESOLUTION,
          "extent": EXTENT, "chunk_size": CHUNK, "progress": False}
    d = tmp_path / "c"
    coll = lw.sweep_training(train, grid, directory=d, **kw)
    assert trained == [{"lr": lr, "seed": s} for lr in LRS[:2] for s in (0, 1)]
    assert list(coll.table().columns)[-1] == "train_accuracy"
    for e in coll:  # the same models as the checkpoint sweep: the same landscapes
        np.testing.assert_array_equal(coll.landscape(e).values, swept.landscape(e.key).values)
    trained.clear()
    more = lw.sweep_training(train, [{"lr": LRS[2], "seed": 0}, *[
        {"lr": lr, "seed": s} for lr in LRS[:2] for s in (0, 1)]], directory=d, **kw)
    assert trained == [{"lr": LRS[2], "seed": 0}] and len(more) == 5
    with pytest.raises(TypeError, match="list of values"):
        lw.sweep_training(train, {"lr": 0.1}, **kw)
    with pytest.raises(TypeError, match="torch.nn.Module"):
        lw.sweep_training(lambda c: 3, {"lr": [0.1]}, **kw)


@pytest.mark.gpu
def test_sweep_on_the_gpu_matches_the_cpu(checkpoints: Any, digits: Any) -> None:
    two = checkpoints[:2]
    cpu = sweep(two, None, digits, device="cpu", hessian={"max_trace_samples": 10})
    gpu = sweep(two, None, digits, device="cuda", hessian={"max_trace_samples": 10})
    for key, _ in two:
        np.testing.assert_allclose(gpu.landscape(key).values, cpu.landscape(key).values,
                                   rtol=1e-4)
        assert gpu[key].hessian["top_eigenvalue"] == pytest.approx(
            cpu[key].hessian["top_eigenvalue"], rel=1e-3)
        assert gpu.landscape(key).provenance.extra["device"].startswith("cuda")
