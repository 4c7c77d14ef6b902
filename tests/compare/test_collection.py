"""LandscapeCollection on analytic landscapes: keys, metrics, tables, saving, errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.compare import (
    HESSIAN_METRICS,
    TOPOLOGY_METRICS,
    Entry,
    LandscapeCollection,
    reduce_values,
)


def wells(depth2: float, resolution: int = 15) -> lw.Landscape:
    """Two wells (depths 1 and ``depth2``): two minima, one saddle; one well when depth2=0."""

    def f(p: np.ndarray) -> np.ndarray:
        return lw.examples.gaussian_wells(p, [(-1, 0), (1, 0)], [1.0, depth2])

    return lw.Landscape.from_function(f, dims=2, resolution=resolution)


@pytest.fixture()
def coll() -> LandscapeCollection:
    c = LandscapeCollection()
    for beta in (1, 2):
        for seed in (0, 1, 2):
            c.add({"beta": beta, "seed": seed}, wells(0.2 * seed * beta),
                  scalars={"test_error": 0.1 * beta + 0.01 * seed})
    return c


def test_metrics_equal_computing_each_entry_alone(coll: LandscapeCollection) -> None:
    for e in coll:
        land = wells(0.2 * e.key["seed"] * e.key["beta"])
        tree = lw.merge_tree(land, connectivity="full")
        m = lw.landscape_metrics(tree)
        for name in ("n_minima", "n_saddles", "average_persistence", "total_persistence",
                     "smad", "loss_range"):
            np.testing.assert_equal(e.topology[name], float(getattr(m, name)))
        assert e.topology["center_loss"] == land.values.flat[land.center_index]
        assert e.topology["min_loss"] == land.values.min()
        np.testing.assert_array_equal(coll.landscape(e).values, land.values)
        np.testing.assert_array_equal(coll.tree(e).minima, tree.minima)
    assert coll[{"beta": 1, "seed": 0}].topology["n_minima"] == 1
    assert coll[{"seed": 2, "beta": 2}].topology["n_minima"] == 2  # key order does not matter


def test_table_shape_columns_and_values(coll: LandscapeCollection) -> None:
    df = coll.table()
    assert df.shape == (6, 2 + len(TOPOLOGY_METRICS) + 1)
    assert list(df.columns) == ["beta", "seed", *TOPOLOGY_METRICS, "test_error"]
    assert df.index.name == "entry" and list(df.index) == coll.ids
    assert df.loc["beta=2_seed=1", "test_error"] == pytest.approx(0.21)
    assert df["n_minima"].tolist() == [1, 2, 2, 1, 2, 2]
    assert df["beta"].tolist() == [1, 1, 1, 2, 2, 2]


def test_pivot_reduces_over_the_other_keys(coll: LandscapeCollection) -> None:
    p = coll.pivot("test_error", rows="beta")
    assert list(p.index) == [1, 2] and list(p.columns) == ["test_error"]
    assert p.loc[1, "test_error"] == pytest.approx(0.11)
    grid = coll.pivot("n_minima", rows="seed", cols="beta", reduce="max")
    assert grid.shape == (3, 2) and grid.loc[0, 1] == 1 and grid.loc[2, 2] == 2
    counts = coll.pivot("n_minima", rows="beta", reduce="count")
    assert counts["n_minima"].tolist() == [3, 3]
    only = coll.pivot("test_error", rows="seed", where={"beta": 2})
    assert only.loc[1, "test_error"] == pytest.approx(0.21)
    std = coll.pivot("test_error", rows="beta", reduce="std")
    assert std.loc[1, "test_error"] == pytest.approx(np.std([0.1, 0.11, 0.12], ddof=1))
    with pytest.raises(ValueError, match="reduce"):
        coll.pivot("n_minima", rows="beta", reduce="mode")
    with pytest.raises(ValueError, match="metric"):
        coll.pivot("accuracy", rows="beta")
    with pytest.raises(ValueError, match="rows"):
        coll.pivot("n_minima", rows="lr")


def test_reduce_values_skips_nan() -> None:
    assert reduce_values([1.0, math.nan, 3.0], "mean") == 2.0
    assert reduce_values([1.0, math.nan, 3.0], "count") == 2.0
    assert math.isnan(reduce_values([math.nan], "median"))
    assert math.isnan(reduce_values([2.0], "std"))


def test_save_load_round_trip(coll: LandscapeCollection, tmp_path: Path) -> None:
    coll.update_attrs(study="wells")
    path = coll.save(tmp_path / "c")
    back = LandscapeCollection.load(path)
    assert back.keys == coll.keys and back.ids == coll.ids and back.attrs == {"study": "wells"}
    assert back.table().equals(coll.table())
    for e in coll:
        np.testing.assert_array_equal(back.landscape(e.id).values, coll.landscape(e).values)
        assert back.landscape(e.id).provenance == coll.landscape(e).provenance
        assert back[e.key].metrics == pytest.approx(e.metrics, nan_ok=True)
    # strict JSON (NaN written as a string), one .npz per landscape, no pickle anywhere
    text = (path / "collection.json").read_text()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))
    assert '"NaN"' in text
    assert sorted(p.name for p in (path / "landscapes").iterdir()) == sorted(
        f"{i}.npz" for i in coll.ids
    )
    for f in (path / "landscapes").iterdir():
        with np.load(f, allow_pickle=False) as data:
            assert "values" in data
    with pytest.raises(FileExistsError):
        coll.save(path)
    with pytest.raises(FileNotFoundError, match="collection.json"):
        LandscapeCollection.load(tmp_path / "nothing")


def test_directory_collection_writes_each_entry_at_once(tmp_path: Path) -> None:
    d = tmp_path / "live"
    c = LandscapeCollection(d)
    c.add({"seed": 0}, wells(0.5))
    # another process (here: a fresh object) sees the finished entry immediately
    again = LandscapeCollection(d)
    assert again.ids == ["seed=0"] and again.landscape("seed=0").shape == (15, 15)
    again.add({"seed": 1}, wells(0.0), hessian={"top_eigenvalue": 3.0, "trace": 10.0})
    third = LandscapeCollection.load(d)
    assert len(third) == 2
    assert third[{"seed": 1}].hessian == {"top_eigenvalue": 3.0, "trace": 10.0}
    assert list(third.table().columns)[-2:] == ["top_eigenvalue", "trace"]
    assert math.isnan(third.table().loc["seed=0", "trace"])
    assert not [p for p in d.rglob("*") if p.name.startswith(".")]  # no temp files left
    with pytest.raises(ValueError, match="connectivity='axis' contradicts"):
        LandscapeCollection(d, connectivity="axis")
    with pytest.raises(ValueError, match="keys=.*contradicts"):
        LandscapeCollection(d, keys=("lr",))


def test_landscape_from_a_path_and_replace(tmp_path: Path) -> None:
    file = wells(0.5).save(tmp_path / "one.npz")
    mem = LandscapeCollection()
    e = mem.add({"k": "a"}, file)
    assert e.file == file.resolve() and mem.landscape(e).shape == (15, 15)
    with pytest.raises(ValueError, match="already has an entry k=a"):
        mem.add({"k": "a"}, wells(0.0))
    e2 = mem.add({"k": "a"}, wells(0.0), replace=True)
    assert e2.id == e.id and e2.topology["n_minima"] == 1 and len(mem) == 1
    saved = LandscapeCollection.load(mem.save(tmp_path / "saved"))
    assert saved[{"k": "a"}].topology["n_minima"] == 1


def test_hessian_metrics_object_is_accepted() -> None:
    from landscape_widgets.hessian.metrics import HessianMetrics

    hm = HessianMetrics(loss=0.1, top_eigenvalues=(5.0, 2.0), trace=12.0, trace_std_error=0.5,
                        n_params=10, n_products=30)
    c = LandscapeCollection()
    e = c.add({"seed": 0}, wells(0.5), hessian=hm)
    assert e.hessian == dict(zip(HESSIAN_METRICS, (5.0, 12.0, 0.5)))


def test_ids_are_file_safe_and_unique() -> None:
    c = LandscapeCollection()
    a = c.add({"name": "a/b", "x": 1}, wells(0.1))
    b = c.add({"name": "a b", "x": 1}, wells(0.1))
    assert a.id == "name=a-b_x=1" and b.id.startswith("name=a-b_x=1-") and a.id != b.id
    assert c.id_for({"name": "a b", "x": 1}) == b.id
    assert c.find(name="a b") == [b] and c.values_of("name") == ["a b", "a/b"]
    assert Entry(id="i", key={"x": 1}, topology={}).label == "x=1"


@pytest.mark.parametrize(
    ("key", "kwargs", "error", "match"),
    [
        ({"lr": 0.1}, {}, ValueError, "expected the names"),
        ({"seed": [1]}, {}, TypeError, "bool, int, float or str"),
        ({"seed": math.nan}, {}, ValueError, "finite"),
        ({"seed": 3}, {"scalars": {"n_minima": 1.0}}, ValueError, "clash"),
        ({"seed": 3}, {"scalars": {"seed": 1.0}}, ValueError, "clash"),
        ({"seed": 3}, {"scalars": {"acc": "high"}}, TypeError, "expected a number"),
        ({"seed": 3}, {"hessian": [1.0]}, TypeError, "HessianMetrics"),
        ({"seed": 3}, {"tree": "no"}, ValueError, "merge tree of this landscape"),
        ("seed=3", {}, TypeError, "mapping"),
    ],
)
def test_add_rejects_bad_input(key: Any, kwargs: dict[str, Any], error: type, match: str) -> None:
    c = LandscapeCollection()
    c.add({"seed": 0}, wells(0.3))
    with pytest.raises(error, match=match):
        c.add(key, wells(0.3), **kwargs)
    assert len(c) == 1


def test_bad_settings_and_key_names() -> None:
    with pytest.raises(ValueError, match="connectivity"):
        LandscapeCollection(connectivity="diagonal")
    with pytest.raises(ValueError, match="smad_weight"):
        LandscapeCollection(smad_weight="area")
    with pytest.raises(ValueError, match="reserved"):
        LandscapeCollection().add({"n_minima": 1}, wells(0.1))
    with pytest.raises(TypeError, match="Landscape"):
        LandscapeCollection().add({"seed": 1}, np.zeros((3, 3)))


def test_importing_the_stage_stays_light() -> None:
    code = ("import sys, landscape_widgets as lw\n"
            "import landscape_widgets.compare\n"
            "lw.LandscapeCollection\n"
            "print(','.join(m for m in ('torch', 'pandas', 'ipywidgets', 'numba')"
            " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
