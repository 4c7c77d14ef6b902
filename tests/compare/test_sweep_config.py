"""``lw.SweepConfig``: one validated configuration for both sweeps, as ``config=`` or as keywords
(equal results), errors that name the field, and the fingerprint a saved sweep is resumed by."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import SweepOptions
from landscape_widgets.compare.sweep_config import EntryPlan

torch = pytest.importorskip("torch")
nn = torch.nn


def tiny() -> tuple[Any, tuple[Any, Any]]:
    g = torch.Generator().manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    return net, (torch.randn(20, 3, generator=g), torch.randint(0, 2, (20,), generator=g))


def train(config: dict[str, Any]) -> Any:
    torch.manual_seed(int(config["seed"]))
    return tiny()[0]


def test_the_keywords_are_the_fields() -> None:
    """SweepOptions (what type checkers see) and SweepConfig (what runs) list the same
    options with the same types and defaults that match the old keyword defaults."""
    fields = {f.name: f.type for f in dataclasses.fields(lw.SweepConfig)}
    options = {name: getattr(t, "__forward_arg__", t)  # TypedDict wraps strings in ForwardRef
               for name, t in SweepOptions.__annotations__.items()}
    assert options == fields
    assert SweepOptions.__total__ is False
    defaults = lw.SweepConfig()
    assert (defaults.subspace, defaults.dims, defaults.resolution, defaults.extent) == (
        "random", 2, 41, 1.0)
    assert (defaults.normalization, defaults.seed, defaults.hessian, defaults.progress,
            defaults.resume, defaults.executor, defaults.on_entry) == (
        "filter", 0, False, True, True, None, None)
    for fn in (lw.sweep_checkpoints, lw.sweep_training):
        params = inspect.signature(fn).parameters
        assert params["config"].kind is inspect.Parameter.KEYWORD_ONLY
        assert params["options"].kind is inspect.Parameter.VAR_KEYWORD
        assert params["options"].annotation == "Unpack[SweepOptions]"


def test_config_and_keywords_give_the_same_sweep(tmp_path: Any) -> None:
    _net, data = tiny()
    grid = {"lr": [0.1], "seed": [0, 1]}
    kw: dict[str, Any] = dict(resolution=5, extent=0.5, chunk_size=5, progress=False,
                              dtype=torch.float64)
    by_keywords = lw.sweep_training(train, grid, nn.CrossEntropyLoss(), data, **kw)
    cfg = lw.SweepConfig(**kw)
    by_config = lw.sweep_training(train, grid, nn.CrossEntropyLoss(), data, config=cfg)
    for entry in by_keywords:
        np.testing.assert_array_equal(by_config.landscape(entry.key).values,
                                      by_keywords.landscape(entry.key).values)
    # keywords replace the config's fields; the config itself is unchanged (frozen)
    finer = lw.sweep_training(train, grid, nn.CrossEntropyLoss(), data, config=cfg,
                              resolution=7)
    assert finer.landscape({"lr": 0.1, "seed": 0}).shape == (7, 7)
    assert cfg.resolution == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.resolution = 9  # type: ignore[misc]
    # the configuration recorded in a directory is the same either way: it resumes
    d = tmp_path / "s"
    lw.sweep_training(train, grid, nn.CrossEntropyLoss(), data, directory=d, **kw)
    calls: list[str] = []
    lw.sweep_training(train, grid, nn.CrossEntropyLoss(), data, directory=d, config=cfg,
                      on_entry=lambda key, land: calls.append(str(key)))
    assert len(calls) == 2


@pytest.mark.parametrize(("options", "error", "match"), [
    ({"subspace": "pca"}, ValueError, r"subspace: expected one of \('random', 'hessian'\)"),
    ({"dims": 0}, ValueError, "dims: expected an integer >= 1, got 0"),
    ({"resolution": 1}, ValueError, "resolution"),
    ({"extent": -1.0}, ValueError, "extent"),
    ({"normalization": "unit"}, ValueError, "normalization: expected one of"),
    ({"seed": 1.5}, TypeError, r"seed: expected an integer \(the same for every entry\)"),
    ({"hessian": "yes"}, TypeError, "hessian: expected True/False or a dict"),
    ({"hessian": {"top": 2}}, ValueError, r"hessian: unknown options \['top'\]"),
    ({"points": 0}, ValueError, "points: expected None or a number of points >= 1, got 0"),
    ({"points": 9, "sampler": "grid"}, ValueError, "sampler: expected one of"),
    ({"connectivity": "grid"}, ValueError, "connectivity: expected None or one of"),
    ({"points": 9, "connectivity": "full"}, ValueError,
     "connectivity: 'full' is a grid connectivity; with points= use one of"),
    ({"scalars": 3}, TypeError, "scalars: expected a callable or None, got 3"),
    ({"on_entry": "gallery"}, TypeError, "on_entry: expected a callable or None, got 'gallery'"),
    ({"chunk_size": 0}, ValueError, "chunk_size: expected None or an integer >= 1, got 0"),
    ({"progress": "no"}, TypeError, "progress: expected True or False, got 'no'"),
    ({"resume": "no"}, TypeError, "resume"),
])
def test_bad_fields_are_named(options: dict[str, Any], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        lw.SweepConfig(**options)
    _net, data = tiny()  # the keyword form is checked the same way, before any work
    with pytest.raises(error, match=match):
        lw.sweep_training(train, {"lr": [0.1]}, nn.CrossEntropyLoss(), data, **options)
    base = lw.SweepConfig(resolution=5)
    with pytest.raises(error, match=match):  # and a variant of a valid config
        dataclasses.replace(base, **options)


def test_unknown_keywords_and_configs_are_refused() -> None:
    net, data = tiny()
    with pytest.raises(TypeError, match=r"sweep_training\(\) got an unexpected keyword argument "
                       r"'resolutoin' \(did you mean 'resolution'\?\); its options are the "
                       r"fields of lw.SweepConfig: subspace, dims"):
        lw.sweep_training(train, {"lr": [0.1]}, nn.CrossEntropyLoss(), data,
                          resolutoin=5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"sweep_checkpoints\(\) got an unexpected keyword "
                       r"argument 'make'; its options"):
        lw.sweep_checkpoints([], net, nn.CrossEntropyLoss(), data,
                             make=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="config: expected a SweepConfig or None, got dict"):
        lw.sweep_training(train, {"lr": [0.1]}, nn.CrossEntropyLoss(), data,
                          config={"resolution": 5})  # type: ignore[arg-type]


def test_the_recorded_fingerprint_is_unchanged() -> None:
    """Directories saved before the configuration object existed must stay resumable: the
    fingerprint of a configuration is exactly the one recorded then."""
    plan = lw.SweepConfig(resolution=(5, 7), extent=0.5, hessian={"top_n": 1}, seed=3,
                          dtype=torch.float64, progress=False).entry_plan()
    assert isinstance(plan, EntryPlan)
    assert plan.fingerprint("cpu") == {
        "subspace": "random", "dims": 2, "resolution": [5, 7],
        "extent": [[-0.5, 0.5], [-0.5, 0.5]], "normalization": "filter", "seed": 3,
        "hessian": {"top_n": 1}, "dtype": "float64", "device": "cpu",
    }
    scattered = lw.SweepConfig(points=30, sampler="latin", subspace="hessian").entry_plan()
    assert scattered.fingerprint(None) == {
        "points": 30, "sampler": "latin", "subspace": "hessian", "dims": 2,
        "resolution": [41, 41], "extent": [[-1.0, 1.0], [-1.0, 1.0]], "normalization": None,
        "seed": 0, "hessian": None, "dtype": None, "device": "cpu",
    }
