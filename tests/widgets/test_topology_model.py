"""The compact topology model: exact band histograms, size linear in basins, one pass."""

from __future__ import annotations

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets._scale import log_edges
from landscape_widgets.widgets.topology_model import compact_topology, linear_edges


def wire_bytes(obj: object) -> int:
    """Bytes of every binary buffer in a payload, plus 8 per scalar (a JSON number)."""
    if isinstance(obj, dict):
        return sum(wire_bytes(v) for v in obj.values())
    if isinstance(obj, list):
        return sum(wire_bytes(v) for v in obj)
    if isinstance(obj, bytes):
        return len(obj)
    return 8


def brute_histograms(tree, edges):
    """Per basin (minima order), {band: count} by a plain loop over the finite vertices."""
    out = [dict() for _ in tree.minima]
    index = {int(m): i for i, m in enumerate(tree.minima)}
    for vertex, value in enumerate(np.asarray(tree.values, dtype=float).ravel()):
        if not np.isfinite(value):
            continue
        band = max(int(np.sum(edges < value)) - 1, 0)  # (e_j, e_j+1], lowest edge in band 0
        hist = out[index[int(tree.basins.ravel()[vertex])]]
        hist[band] = hist.get(band, 0) + 1
    return out


@pytest.mark.parametrize("case", ["noise", "nan"])
def test_band_histograms_match_a_plain_loop(case):
    rng = np.random.default_rng(3)
    values = rng.random((17, 13)) ** 3
    if case == "nan":
        values[2:5, 3] = np.nan
        values[9, 9] = np.inf
    tree = lw.merge_tree(values)
    data = compact_topology(tree)
    finite = values[np.isfinite(values)]
    for name, edges in (("linear", linear_edges(finite.min(), finite.max())),
                        ("log", log_edges(finite.min(), finite.max(), 64))):
        bands = data["bands"][name]
        assert np.array_equal(from_wire(bands["edges"]), edges)
        offsets, band, count = (from_wire(bands[k]) for k in ("offsets", "band", "count"))
        got = [dict(zip(band[a:b].tolist(), count[a:b].tolist()))
               for a, b in zip(offsets[:-1], offsets[1:])]
        assert got == brute_histograms(tree, edges)
    sums = from_wire(data["value_sum"])
    flat = values.ravel()
    for i, m in enumerate(tree.minima):
        own = flat[(tree.basins.ravel() == m) & np.isfinite(flat)]
        assert sums[i] == pytest.approx(own.sum(), rel=1e-12, abs=1e-12)
    assert data["n_nonfinite"] == int((~np.isfinite(values)).sum())


def test_payload_grows_linearly_with_basins():
    # before the compact model, a 201² noise landscape (4,547 basins) exported 160 MiB: 24
    # precomputed profiles (linear and log) and layouts, ~36 KiB per basin
    rng = np.random.default_rng(0)
    sizes = []
    for n in (41, 81, 121):
        tree = lw.merge_tree(rng.random((n, n)))
        axes_bytes = 2 * 4 * n
        sizes.append((tree.n_minima, wire_bytes(compact_topology(tree)) - axes_bytes))
    for basins, size in sizes:
        # minima, values, persistence, parents, saddles, sizes, sums: ~60 B; histograms of
        # ~2 vertices per basin, twice (linear, log): ~5 B per entry
        assert size <= 2_000 + 120 * basins, (basins, size)
    assert sizes[-1][0] > 5 * sizes[0][0]  # the bound held over a range of basin counts


def test_model_and_explorer_are_built_without_a_single_profile(monkeypatch):
    import landscape_widgets.layout as lay
    import landscape_widgets.topology.tree as tree_module

    calls = []
    for name in ("landscape_profile", "merge_tree_layout", "barcode_rows"):
        monkeypatch.setattr(lay, name, lambda *a, _n=name, **k: calls.append(_n))
    simplify = tree_module.MergeTree.simplify
    monkeypatch.setattr(tree_module.MergeTree, "simplify",
                        lambda self, t: calls.append("simplify") or simplify(self, t))
    land = lw.Landscape.from_array(np.random.default_rng(1).random((21, 21)))
    tree = lw.merge_tree(land)
    model = lw.TopologyModel(tree)
    ex = lw.Explorer(land, tree=tree)
    assert calls == []  # no profile, layout, barcode or simplification: the browser does them
    assert all(v.topology is ex.topology for v in ex.views if v.has_trait("topology"))
    assert model.n_basins == tree.n_minima
    assert "levels" not in model.data and "profile_log" not in str(model.data.keys())


def test_bad_inputs_are_named():
    with pytest.raises(TypeError, match="TopologyModel: expected a MergeTree"):
        lw.TopologyModel(np.zeros(3))
    land = lw.Landscape.from_array(np.random.default_rng(2).random((5, 6)))
    other = lw.merge_tree(np.random.default_rng(3).random((5, 6)))
    with pytest.raises(ValueError, match="TopologyModel: landscape values do not match"):
        lw.TopologyModel(other, landscape=land)
