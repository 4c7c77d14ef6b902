"""Python side of the collection views: Gallery, MetricScatterView, EntrySelection."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import traitlets

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets import EntrySelection, Explorer, Gallery, MetricScatterView
from landscape_widgets.widgets.export import embed_state
from landscape_widgets.widgets.gallery import thumbnail_topology


def _wells(beta: int, lr: float, seed: int) -> lw.Landscape:
    def f(p: np.ndarray) -> np.ndarray:
        depths = [1.0, 0.5 + 0.1 * seed, 0.3 * beta * lr * 10]
        return lw.examples.gaussian_wells(p, [(-1, -1), (1, -1), (0, 1)], depths)

    return lw.Landscape.from_function(f, dims=2, resolution=17)


@pytest.fixture(scope="module")
def coll() -> LandscapeCollection:
    c = LandscapeCollection()
    for beta in (1, 3):
        for lr in (0.01, 0.1, 0.3):
            for seed in (0, 1):
                c.add({"beta": beta, "lr": lr, "seed": seed}, _wells(beta, lr, seed),
                      scalars={"test_error": beta * lr + 0.01 * seed})
    return c


def test_entry_selection_model() -> None:
    sel = EntrySelection(entries=["a", "b", "a"])
    assert sel.entries == ["a", "b"] and sel.active is None
    sel.active = "b"
    sel.clear()
    assert sel.entries == [] and sel.active == "b"
    with pytest.raises(TypeError, match="colour"):
        EntrySelection(colour="red")


def test_payload_matches_the_table(coll: LandscapeCollection) -> None:
    g = Gallery(coll, rows="beta", cols="lr")
    data = g._data
    df = coll.table()
    assert data["ids"] == list(df.index) and data["key_names"] == ["beta", "lr", "seed"]
    assert data["keys"]["lr"] == df["lr"].tolist()
    assert data["metric_names"] == coll.metric_names
    for name in coll.metric_names:
        np.testing.assert_array_equal(from_wire(data["metrics"][name]), df[name].to_numpy())
        assert isinstance(data["metrics"][name]["buffer"], bytes)
    # one thumbnail per entry, in table order: its compact topology (the browser draws the
    # profile from it; tests/widgets/test_gallery_thumbnails.py checks what it holds)
    assert len(data["profiles"]) == len(coll)
    for thumb, e in zip(data["profiles"], coll, strict=True):
        assert thumb == thumbnail_topology(coll.tree(e), 32)
        assert from_wire(thumb["minima"]).tolist() == coll.tree(e).minima.tolist()  # 3 wells


def test_cell_values_follow_metric_and_reduction(coll: LandscapeCollection) -> None:
    g = Gallery(coll, rows="beta", cols="lr", metric="test_error")
    cells = g.cell_values()
    assert cells.shape == (2, 3)
    assert cells.loc[3, 0.3] == pytest.approx(0.9 + 0.005)
    g.reduce = "max"
    assert g.cell_values().loc[3, 0.3] == pytest.approx(0.91)
    g.metric = "n_minima"
    assert (g.cell_values() == coll.pivot("n_minima", "beta", "lr", "max")).all().all()
    one = Gallery(coll, rows="lr", metric="test_error")  # one column: mean over beta and seed
    assert one.cell_values().shape == (3, 1)
    with pytest.raises(ValueError, match="metric"):
        g.metric = "accuracy"
    with pytest.raises(traitlets.TraitError, match="reduce"):
        g.reduce = "mode"
    with pytest.raises(traitlets.TraitError, match="different keys"):
        g.rows = "lr"
    with pytest.raises(ValueError, match="cols"):
        g.cols = "epoch"


def test_where_and_select(coll: LandscapeCollection) -> None:
    g = Gallery(coll, rows="lr", cols="seed", where={"beta": 3})
    assert len(g._data["ids"]) == 6 and all(e.key["beta"] == 3 for e in g.entries)
    ids = g.select(lr=0.1)
    assert ids == ["beta=3_lr=0.1_seed=0", "beta=3_lr=0.1_seed=1"]
    assert g.selection.entries == ids and g.scatter.selection is g.selection
    with pytest.raises(ValueError, match="no entry matches"):
        Gallery(coll, rows="lr", where={"beta": 7})
    with pytest.raises(KeyError, match="not shown"):
        g.open_entry({"beta": 1, "lr": 0.1, "seed": 0})


def test_clicking_a_profile_opens_its_explorer_live(coll: LandscapeCollection) -> None:
    g = Gallery(coll, rows="beta", cols="lr")
    assert g.explorer is None and g._explorers == {}
    e = coll[{"beta": 3, "lr": 0.1, "seed": 1}]
    g.selection.active = e.id  # what a click on the profile does in the browser
    assert g.explorer_entry == e.id and isinstance(g.explorer, Explorer)
    np.testing.assert_array_equal(g.explorer.landscape.values, coll.landscape(e).values)
    first = g.explorer
    g.selection.active = coll.ids[0]
    assert g.explorer is not first and g.explorer_entry == coll.ids[0]
    g.selection.active = e.id  # cached: the same widget again
    assert g.explorer is first
    # more entries than the cache holds: evicted Explorers are closed, the open one is not
    opened = [g.open_entry(entry_id) for entry_id in coll.ids[:6]]
    assert g.selection.active == coll.ids[5] and len(g._cache) == 4
    assert all(ex.comm is not None for ex in opened[2:]) and opened[5] is g.explorer
    assert first.comm is None and all(v.comm is None for v in first.views)


def test_all_explorers_prebuilt(coll: LandscapeCollection) -> None:
    g = Gallery(coll, rows="beta", cols="lr", where={"lr": 0.01}, explorers="all")
    assert sorted(g._explorers) == sorted(e.id for e in g.entries)
    e = g.entries[1]
    assert g.open_entry(e.key) is g._explorers[e.id]
    with pytest.raises(ValueError, match="explorers"):
        Gallery(coll, rows="beta", explorers="some")


def test_scatter_axes_and_input_checks(coll: LandscapeCollection) -> None:
    s = MetricScatterView(coll)
    assert (s.x, s.y, s.color) == ("n_saddles", "test_error", "seed")
    s.color = ""
    s.x = "lr"  # keys are allowed on the axes
    with pytest.raises(ValueError, match="key or metric"):
        s.y = "accuracy"
    with pytest.raises(TypeError, match="LandscapeCollection"):
        MetricScatterView(coll.table())
    with pytest.raises(ValueError, match="empty"):
        MetricScatterView(LandscapeCollection())
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) colour"):
        MetricScatterView(coll, colour="lr")
    with pytest.raises(traitlets.TraitError, match="50..4000"):
        MetricScatterView(coll, width=10)
    g = Gallery(coll, rows="beta", cols="lr", x="smad",
                y="center_loss")
    assert (g.scatter.x, g.scatter.y, g.scatter.color) == ("smad", "center_loss", "lr")
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) metrics"):
        Gallery(coll, rows="beta", metrics="smad")
    with pytest.raises(ValueError, match="rows"):
        Gallery(coll, rows="gamma")


def _models(path: Path) -> list[dict[str, Any]]:
    text = path.read_text()
    state = re.search(r'widget-state\+json">\n(.*?)\n</script>', text, re.S)
    assert state is not None
    return list(json.loads(state.group(1))["state"].values())


def test_static_export_embeds_the_linked_models(coll: LandscapeCollection,
                                                tmp_path: Path) -> None:
    g = Gallery(coll, rows="beta", cols="lr", where={"beta": 1})
    g.open_entry(g.entries[0].id)
    models = _models(g.to_html(tmp_path / "g.html"))
    assert len(models) == len(embed_state(g)["manager_state"]["state"])
    explorers = [m for m in models if "contour" in m["state"] and "profile" in m["state"]]
    assert len(explorers) == 1  # live mode: only the Explorer open at export time
    assert any("entries" in m["state"] and "active" in m["state"] for m in models)
    assert any(m["state"].get("x") == "n_saddles" for m in models)  # the scatter
    every = Gallery(coll, rows="beta", cols="lr", where={"beta": 1}, explorers="all")
    models = _models(every.to_html(tmp_path / "all.html"))
    explorers = [m for m in models if "contour" in m["state"] and "profile" in m["state"]]
    assert len(explorers) == len(every.entries)
    assert MetricScatterView(coll).to_html(tmp_path / "s.html").stat().st_size > 10_000


def test_distance_map_is_the_mds_of_the_diagram_distances(coll: LandscapeCollection) -> None:
    g = Gallery(coll, rows="beta", cols="lr", distance="wasserstein", where={"seed": 0})
    m = g._data["map"]
    ids = [e.id for e in coll.find(seed=0)]
    assert m["ids"] == ids and m["metric"] == "wasserstein" and m["order"] == 1.0
    # the map is the classical MDS of the diagram distances between exactly these entries
    trees = [coll.tree(e) for e in coll.find(seed=0)]
    direct = np.array([[lw.diagram_distance(a, b, metric="wasserstein") for b in trees]
                       for a in trees])
    np.testing.assert_allclose(g.distances.matrix, direct, atol=1e-12)
    np.testing.assert_allclose(m["coords"], lw.mds_embedding(direct).coords, atol=1e-9)
    coords = np.array(m["coords"])
    on_map = np.linalg.norm(coords[:, None] - coords[None], axis=-1)
    assert np.corrcoef(on_map.ravel(), direct.ravel())[0, 1] > 0.9
    json.dumps(m)  # plain JSON: it travels in the widget state and in to_html exports
    assert "map" not in Gallery(coll, rows="beta")._data
    b = Gallery(coll, rows="beta", distance="bottleneck")
    assert b._data["map"]["order"] is None and len(b._data["map"]["ids"]) == len(coll)


def test_distance_map_errors(coll: LandscapeCollection) -> None:
    with pytest.raises(ValueError, match=r"distance: expected one of \('wasserstein', "):
        Gallery(coll, rows="beta", distance="euclid")
    with pytest.raises(ValueError, match="at least 2 entries"):
        Gallery(coll, rows="beta", distance="bottleneck",
                where={"seed": 0, "lr": 0.3, "beta": 1})
