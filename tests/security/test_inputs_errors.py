"""Issue 14, item 8: every error says, from the library, what was expected and what came
(not a numpy or torch internal such as "invalid literal for int()" or "Tensor.item() cannot be
called on meta tensors"). Each test failed before the fix."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

import landscape_widgets as lw
from landscape_widgets.compare import LandscapeCollection
from landscape_widgets.topology import merge_tree


def _setup():
    torch.manual_seed(0)
    net = torch.nn.Linear(3, 1)
    g = torch.Generator().manual_seed(1)
    x, y = torch.randn(16, 3, generator=g), torch.randn(16, 1, generator=g)
    return net, x, y, lw.random_subspace(net, dims=1, seed=0)


def _sample(**kwargs):
    net, x, y, sub = _setup()
    data = kwargs.pop("data", (x, y))
    kwargs.setdefault("resolution", 3)
    return lw.sample_landscape(net, torch.nn.MSELoss(), data, sub, progress=False, **kwargs)


# ---------------------------------------------------------------- resolution / extent
@pytest.mark.parametrize("resolution, match", [
    ("a", "resolution: expected an integer or 1 integers .*, got str 'a'"),
    ("5", "resolution: expected an integer or 1 integers .*, got str '5'"),
    (3.5, "resolution: expected an integer or 1 integers .*, got float 3.5"),
    ([3.7], "resolution: expected an integer, got float 3.7"),
    (True, "resolution: expected an integer or 1 integers .*, got bool True"),
])
def test_non_numeric_resolution(resolution, match):
    # (None is the documented default, 41 per axis, since scattered sampling made it optional)
    with pytest.raises(TypeError, match=match):
        _sample(resolution=resolution)
    with pytest.raises(TypeError, match=match):
        lw.Landscape.from_function(lambda p: p.sum(1), dims=1, resolution=resolution)


@pytest.mark.parametrize("extent, match", [
    ("a", "extent: expected a number, 1 numbers or 1 \\(low, high\\) pairs, got str 'a'"),
    ("2", "extent: expected a number, 1 numbers or 1 \\(low, high\\) pairs, got str '2'"),
    (None, "extent: expected a number, .* got NoneType None"),
    (True, "extent: expected real numbers, got booleans True"),
    ([[1.0, "b"]], "extent: expected real numbers, got strings"),
    ([[1.0, None]], "extent: expected real numbers, got an element NoneType None"),
])
def test_non_numeric_extent(extent, match):
    with pytest.raises(TypeError, match=match):
        _sample(extent=extent)


def test_non_numeric_landscape_values():
    with pytest.raises(TypeError, match="values: expected real numbers, got strings"):
        lw.Landscape.from_array(np.array([["a", "b"], ["c", "d"]]))
    # None used to become NaN silently
    with pytest.raises(TypeError, match="values: expected real numbers, got an element NoneType"):
        lw.Landscape.from_array([[1.0, None], [2.0, 3.0]])
    with pytest.raises(TypeError, match="values: expected real numbers, got strings"):
        merge_tree(np.array(["a", "b"]))


# ---------------------------------------------------------------- seeds and thresholds
@pytest.mark.parametrize("seed, error, match", [
    ("a", TypeError, "seed: expected an integer seed, got str 'a'"),
    ([1], TypeError, r"seed: expected an integer seed, got list \[1\]"),
    (float("nan"), TypeError, "seed: expected an integer seed, got float nan"),
    (2**70, ValueError, r"seed: expected an integer in \[-2\*\*63, 2\*\*64\), got"),
])
def test_non_numeric_seed(seed, error, match):
    net, *_ = _setup()
    with pytest.raises(error, match=match):
        lw.random_subspace(net, dims=1, seed=seed)


def test_jump_and_retrain_seeds():
    net, x, y, _ = _setup()
    for name, value in (("shuffle_seed", 0.5), ("projection_seed", "1")):
        with pytest.raises(TypeError, match=f"{name}: expected an integer seed"):
            lw.jump_and_retrain(net, torch.nn.MSELoss(), (x, y),
                                lambda p: torch.optim.SGD(p, lr=0.1), seeds=(0,),
                                step_sizes=(0.1,), epochs=1, **{name: value})
    with pytest.raises(ValueError, match=r"projection_seed: expected an integer in \[0, 2"):
        lw.jump_and_retrain(net, torch.nn.MSELoss(), (x, y),
                            lambda p: torch.optim.SGD(p, lr=0.1), seeds=(0,),
                            step_sizes=(0.1,), epochs=1, projection_seed=-1)


@pytest.mark.parametrize("threshold, match", [
    ("a", "min_persistence: expected a real number, got str 'a'"),
    ("0.1", "min_persistence: expected a real number, got str '0.1'"),
    (None, "min_persistence: expected a real number, got NoneType None"),
    (1j, "min_persistence: expected a real number, got complex 1j"),
])
def test_non_numeric_threshold(threshold, match):
    tree = merge_tree(np.random.default_rng(0).random((5, 5)))
    with pytest.raises(TypeError, match=match):
        tree.simplify(threshold)


# ---------------------------------------------------------------- devices
@pytest.mark.parametrize("device", ["meta", torch.device("meta")])
def test_meta_device(device):
    match = r"device: expected a device that holds values \('cpu', 'cuda', ...\), got"
    with pytest.raises(ValueError, match=match):
        _sample(device=device)
    net, x, y, _ = _setup()
    with pytest.raises(ValueError, match=match):
        lw.hvp_operator(net, torch.nn.MSELoss(), (x, y), device=device)
    with pytest.raises(ValueError, match=match):
        lw.jump_and_retrain(net, torch.nn.MSELoss(), (x, y), lambda p: torch.optim.SGD(p, lr=0.1),
                            seeds=(0,), step_sizes=(0.1,), epochs=1, device=device)


def test_unknown_or_absent_devices():
    with pytest.raises(ValueError, match="device: expected 'cpu', 'cuda' or a torch.device, "
                                         "got 'gpu0'"):
        _sample(device="gpu0")
    with pytest.raises(TypeError, match="device: expected 'cpu', .* got int 3"):
        _sample(device=3)
    if not torch.backends.mps.is_available():
        with pytest.raises(ValueError, match="device: expected an available device, got 'mps'"):
            _sample(device="mps")


# ---------------------------------------------------------------- batches
def test_non_pair_items_in_a_list_of_batches():
    net, x, y, sub = _setup()
    match = (r"data: expected every batch to be an \(inputs, targets\) pair of tensors, got "
             r"a tuple of 3 \(Tensor, Tensor, int\) as batch 1")
    with pytest.raises(TypeError, match=match):
        _sample(data=[(x[:8], y[:8]), (x[8:], y[8:], 1)])
    with pytest.raises(TypeError, match="got a str as batch 2"):
        _sample(data=[(x[:8], y[:8]), (x[8:], y[8:]), "junk"])
    with pytest.raises(ValueError, match="data: expected non-empty batches, got batch 1 with 0"):
        _sample(data=[(x[:8], y[:8]), (x[:0], y[:0])])


def test_non_pair_batch_from_a_loader_is_named_when_it_comes():
    _, x, y, _ = _setup()

    class Loader:  # re-iterable, like a DataLoader: only the first batch is checked up front
        def __len__(self):
            return 2

        def __iter__(self):
            yield x[:8], y[:8]
            yield {"inputs": x[8:]}

    with pytest.raises(TypeError, match="got a dict as batch 1"):
        _sample(data=Loader())


# ---------------------------------------------------------------- JSON meta of the wrong type
def _with_version(data):
    # a current file's header: the bad field under test is then the only thing wrong with it
    if isinstance(data, dict) and "format" in data:
        return {"version": 1, **data}
    return data


def _write_landscape(path, meta):
    meta = _with_version(meta)
    np.savez(path, values=np.zeros((3, 3)), meta=np.array(json.dumps(meta)),
             axis_0=np.arange(3.0), axis_1=np.arange(3.0))


@pytest.mark.parametrize("meta, match", [
    ([1, 2], "expected a saved Landscape with a JSON object as header, got a JSON list"),
    ("text", "expected a saved Landscape with a JSON object as header, got a JSON str"),
    ({"format": "landscape_widgets.Landscape", "provenance": [1]},
     "provenance: expected a JSON object, got an array of 1 items"),
    ({"format": "landscape_widgets.Landscape"}, "provenance: expected a JSON object, got null"),
    ({"format": "landscape_widgets.Landscape", "provenance": {"seed": "x"}},
     r"provenance.seed: expected an integer or null, got a string \('x'\)"),
    ({"format": "landscape_widgets.Landscape", "provenance": {"extent": 5}},
     "provenance.extent: expected an array of \\[low, high\\] number pairs or null, got a number"),
    ({"format": "landscape_widgets.Landscape", "provenance": {"resolution": ["a"]}},
     "provenance.resolution: expected an array of integers or null"),
    ({"format": "landscape_widgets.Landscape", "provenance": {"extra": [1]}},
     "provenance.extra: expected a JSON object, got an array of 1 items"),
    ({"format": "landscape_widgets.Landscape", "provenance": {"source": 3}},
     "provenance.source: expected a string or null, got a number"),
    ({"format": "landscape_widgets.Landscape", "provenance": {"zzz": 1}},
     r"provenance: expected the fields .*, got unknown ones \['zzz'\]"),
])
def test_landscape_meta_of_the_wrong_json_type(tmp_path, meta, match):
    path = tmp_path / "land.npz"
    _write_landscape(path, meta)
    with pytest.raises(ValueError, match=match):
        lw.Landscape.load(path)


def _write_collection(root, index):
    root.mkdir()
    (root / "collection.json").write_text(json.dumps(_with_version(index)), encoding="utf-8")


GOOD_ENTRY = {"id": "a=1", "key": {"a": 1}, "file": "landscapes/a=1.npz",
              "topology": {"n_minima": 1.0}, "hessian": {}, "scalars": {}}


@pytest.mark.parametrize("index, match", [
    ([1, 2], r"collection.json\) with a JSON object as header, got a JSON list"),
    ({"format": "landscape_widgets.LandscapeCollection", "keys": "a"},
     "keys: expected an array of strings, got a string"),
    ({"format": "landscape_widgets.LandscapeCollection", "settings": [1]},
     "settings: expected a JSON object, got an array"),
    ({"format": "landscape_widgets.LandscapeCollection", "entries": {"a": 1}},
     "entries: expected an array, got an object"),
    ({"format": "landscape_widgets.LandscapeCollection", "entries": [3]},
     r"entries\[0\]: expected a JSON object, got a number"),
    ({"format": "landscape_widgets.LandscapeCollection", "entries": [{**GOOD_ENTRY, "id": 7}]},
     r"entry 0 \(id 7\): expected an id that is a plain file name"),
    ({"format": "landscape_widgets.LandscapeCollection",
      "entries": [{**GOOD_ENTRY, "key": [1]}]},
     "entry 'a=1': key: expected a JSON object, got an array"),
    ({"format": "landscape_widgets.LandscapeCollection",
      "entries": [{**GOOD_ENTRY, "topology": {"n_minima": "many"}}]},
     r"entry 'a=1': topology\['n_minima'\]: expected a number or \"NaN\""),
    ({"format": "landscape_widgets.LandscapeCollection",
      "entries": [{**GOOD_ENTRY, "scalars": {"acc": [0.5]}}]},
     r"entry 'a=1': scalars\['acc'\]: expected a number .* got an array of 1 items"),
    ({"format": "landscape_widgets.LandscapeCollection",
      "entries": [{**GOOD_ENTRY, "file": 5}]},
     r"entry 0 \(id 'a=1'\): file 5 is not a plain file name"),
])
def test_collection_index_of_the_wrong_json_type(tmp_path, index, match):
    root = tmp_path / "coll"
    _write_collection(root, index)
    with pytest.raises(ValueError, match=match):
        LandscapeCollection(root)


# ---------------------------------------------------------------- Explorer of all-NaN values
@pytest.mark.parametrize("fill", [np.nan, np.inf])
def test_explorer_of_a_landscape_without_finite_values(fill):
    pytest.importorskip("anywidget")
    land = lw.Landscape.from_array(np.full((4, 4), fill))
    match = "expected a landscape with at least one finite value to draw, got 16 values"
    with pytest.raises(ValueError, match="Explorer: " + match):
        lw.Explorer(land)
    with pytest.raises(ValueError, match="ContourView: " + match):
        lw.ContourView(land)
    with pytest.raises(ValueError, match="BarcodeView: " + match):
        lw.BarcodeView(merge_tree(land))
