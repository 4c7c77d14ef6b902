"""A live Gallery: Gallery.add adds or replaces one entry and updates the view; progress;
Gallery and MetricScatterView on the views' base class."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import traitlets

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets import EntrySelection, Gallery, MetricScatterView
from landscape_widgets.widgets._base import BaseView
from landscape_widgets.widgets.gallery import profiles_payload


def _wells(lr: float, seed: int, res: int = 13) -> lw.Landscape:
    def f(p: np.ndarray) -> np.ndarray:
        depths = [1.0, 0.5 + 0.1 * seed, 3 * lr]
        return lw.examples.gaussian_wells(p, [(-1, -1), (1, -1), (0, 1)], depths)

    return lw.Landscape.from_function(f, dims=2, resolution=res)


KEYS = [{"lr": lr, "seed": s} for lr in (0.1, 0.3) for s in (0, 1)]


def test_views_share_the_base_class() -> None:
    assert issubclass(Gallery, BaseView) and issubclass(MetricScatterView, BaseView)
    # _esm and to_html are the base's, not restated
    for cls in (Gallery, MetricScatterView):
        assert "to_html" not in cls.__dict__ and "_esm" not in cls.__dict__
        assert cls._esm.startswith("var") or "export" in cls._esm
    coll = LandscapeCollection()
    coll.add(KEYS[0], _wells(0.1, 0))
    with pytest.raises(traitlets.TraitError, match="50..4000"):
        Gallery(coll, rows="lr", height=4001)
    g = Gallery(coll, rows="lr", cols="seed")
    assert isinstance(g.selection, EntrySelection)
    assert g.scatter.selection is g.selection
    with pytest.raises(traitlets.TraitError, match="expected: expected 0"):
        g.expected = -1


def test_add_fills_an_empty_gallery_entry_by_entry() -> None:
    coll = LandscapeCollection()
    g = Gallery(coll, rows="lr", cols="seed", metric="n_minima", expected=len(KEYS))
    assert g._data["ids"] == [] and g.expected == 4
    assert g._data["profiles"] == []
    sent: list[list[str]] = []
    g.observe(lambda ch: sent.append(list(ch["new"]["ids"])), names="_data")
    lands = [_wells(k["lr"], k["seed"]) for k in KEYS]
    for key, land in zip(KEYS, lands, strict=True):
        entry = g.add(key, land)
        assert entry.id in g._data["ids"]
    assert sent == [coll.ids[: i + 1] for i in range(len(KEYS))]  # one update per entry
    assert g.scatter._data["ids"] == coll.ids
    # the same payload as a gallery built on the full collection
    full = Gallery(coll, rows="lr", cols="seed", metric="n_minima")
    assert g._data["profiles"] == full._data["profiles"]  # every thumbnail, byte for byte
    assert g._data["keys"] == full._data["keys"]
    np.testing.assert_array_equal(from_wire(g._data["metrics"]["n_minima"]),
                                  from_wire(full._data["metrics"]["n_minima"]))
    np.testing.assert_array_equal(g.cell_values().to_numpy(), full.cell_values().to_numpy())


def test_add_keeps_other_thumbnails_and_replaces_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import landscape_widgets.widgets.gallery as gallery_module

    coll = LandscapeCollection()
    for k in KEYS[:3]:
        coll.add(k, _wells(k["lr"], k["seed"]))
    g = Gallery(coll, rows="lr", cols="seed")
    calls: list[Any] = []
    real = gallery_module.thumbnail_topology
    monkeypatch.setattr(gallery_module, "thumbnail_topology",
                        lambda tree, *a: (calls.append(tree), real(tree, *a))[1])
    g.add(KEYS[3], _wells(0.3, 1))
    assert calls == [coll.tree(coll[KEYS[3]])]  # only the new entry's thumbnail is computed
    # replacing an entry: the collection holds the new landscape, the view its thumbnail
    calls.clear()
    deeper = _wells(0.3, 1, res=15)
    g.add(KEYS[3], deeper)
    assert coll.landscape(coll[KEYS[3]]) is deeper and len(coll) == 4
    assert calls == [coll.tree(coll[KEYS[3]])]
    assert g._data["ids"] == coll.ids
    assert g._data["profiles"] == profiles_payload(coll, coll.entries)


def test_add_from_a_sweep_writing_the_same_collection() -> None:
    coll = LandscapeCollection()
    coll.add(KEYS[0], _wells(0.1, 0))
    g = Gallery(coll, rows="lr", cols="seed")
    land = _wells(0.1, 1)
    entry = coll.add(KEYS[1], land)  # the sweep writes the entry, then calls on_entry
    tree = coll.tree(entry)
    assert g.add(KEYS[1], land) is entry  # not added (nor its tree computed) again
    assert coll.tree(entry) is tree
    assert g._data["ids"] == coll.ids


def test_add_checks_like_the_constructor() -> None:
    coll = LandscapeCollection()
    g = Gallery(coll, rows="lr", cols="seed")
    with pytest.raises(ValueError, match=r"key: expected the gallery's keys \['seed'\]"):
        g.add({"lr": 0.1}, _wells(0.1, 0))
    with pytest.raises(TypeError, match="key: expected a mapping"):
        g.add("lr=0.1", _wells(0.1, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="landscape: expected a Landscape"):
        g.add(KEYS[0], np.zeros((3, 3)))
    assert len(coll) == 0 and g._data["ids"] == []
    with pytest.raises(ValueError, match="rows: the collection has no entries"):
        Gallery(LandscapeCollection())
    # a metric that the first entry does not have is refused then
    g2 = Gallery(LandscapeCollection(), rows="lr", metric="test_error")
    with pytest.raises(ValueError, match="metric: expected one of"):
        g2.add(KEYS[0], _wells(0.1, 0))
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) expect\b"):
        Gallery(coll, rows="lr", expect=3)


def test_add_with_where_and_a_map() -> None:
    coll = LandscapeCollection()
    g = Gallery(coll, rows="lr", cols="seed", where={"seed": 0}, distance="wasserstein")
    for k in KEYS:
        g.add(k, _wells(k["lr"], k["seed"]))
    shown = [e.id for e in coll.entries if e.key["seed"] == 0]
    assert g._data["ids"] == shown and len(coll) == 4
    assert sorted(g._data["map"]["ids"]) == sorted(shown)
    assert g.distances is not None
