"""Python side of the views: input checks, the shared selection, what is sent to the browser."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import traitlets

import landscape_widgets as lw
from landscape_widgets.io.wire import from_wire
from landscape_widgets.widgets import (
    BarcodeView,
    ContourView,
    Explorer,
    MergeTreeView,
    PersistenceDiagramView,
    ProfileView,
    Selection,
    SpectrumView,
)


def test_selection_validates_and_dedups() -> None:
    sel = Selection(basins=[5, 3, 5])
    assert sel.basins == [5, 3]
    with pytest.raises(traitlets.TraitError, match="vertex ids >= 0"):
        sel.basins = [-1]
    with pytest.raises(traitlets.TraitError, match="min_persistence"):
        sel.min_persistence = -0.5
    with pytest.raises(traitlets.TraitError, match="point"):
        sel.point = -3
    with pytest.raises(TypeError, match="unexpected keyword argument.*colour"):
        Selection(colour="red")
    sel.point = 4
    sel.clear()
    assert sel.basins == [] and sel.point is None
    seen: list[Any] = []
    sel.observe(lambda c: seen.append(c["new"]), names="basins")
    sel.basins = [7]
    assert seen == [[7]]


@pytest.mark.parametrize("cls", [MergeTreeView, BarcodeView, PersistenceDiagramView, ProfileView])
def test_tree_views_check_input_and_share_selection(cls: type, wells: Any) -> None:
    land, tree = wells
    sel = Selection()
    view = cls(tree, landscape=land, selection=sel)
    assert view.selection is sel
    assert view._esm.startswith(("var ", "function", "import", "const", "let", "export", "("))
    with pytest.raises(TypeError, match="expected a MergeTree"):
        cls(land)
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) colour"):
        cls(tree, colour="red")
    with pytest.raises(ValueError, match="does not match"):
        cls(tree, landscape=lw.examples.four_wells(resolution=11))
    with pytest.raises(traitlets.TraitError, match="50..4000"):
        cls(tree, width=10)


def test_payload_is_binary_and_matches_tree(wells: Any) -> None:
    land, tree = wells
    view = ProfileView(tree, landscape=land)
    data = view.topology.data
    assert all(isinstance(v["buffer"], bytes) for k, v in data.items()
               if isinstance(v, dict) and "buffer" in v)
    np.testing.assert_array_equal(from_wire(data["minima"]), tree.minima)
    pers = from_wire(data["persistence"])
    assert np.isinf(pers[0]) and np.allclose(pers[1:], tree.persistence)
    assert from_wire(data["basin_size"]).sum() == land.size
    np.testing.assert_array_equal(from_wire(data["basin_size"]), tree.branch_sizes())
    # the tree travels once, in the shared model; the view packs no copy and no precomputed
    # simplification levels (the browser computes profiles at any threshold)
    assert "topology" not in view._data and "levels" not in data
    linear = data["bands"]["linear"]
    assert from_wire(linear["count"]).sum() == land.size  # every finite vertex counted once


def test_views_share_one_topology_model(wells: Any) -> None:
    land, tree = wells
    ex = Explorer(land, tree=tree)
    assert isinstance(ex.topology, lw.TopologyModel)
    assert all(view.topology is ex.topology for view in ex.views if view.has_trait("topology"))
    assert sum(view.has_trait("topology") for view in ex.views) >= 5
    model = lw.TopologyModel(tree, landscape=land)
    assert MergeTreeView(tree, topology=model).topology is model
    assert ContourView(land, tree, topology=model).topology is model
    other = lw.merge_tree(lw.examples.four_wells(resolution=11))
    with pytest.raises(ValueError, match="topology: expected the TopologyModel of this view"):
        BarcodeView(other, topology=model)
    with pytest.raises(TypeError, match="topology: expected a TopologyModel"):
        ProfileView(tree, topology={"minima": []})


def test_contour_view_errors(wells: Any) -> None:
    land, tree = wells
    line = lw.Landscape.from_function(lambda p: p[:, 0] ** 2, dims=1, resolution=11)
    with pytest.raises(ValueError, match="at least 2 dimensions.*1-D"):
        ContourView(line)
    with pytest.raises(TypeError, match="expected a Landscape"):
        ContourView(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="does not match"):
        ContourView(lw.examples.four_wells(resolution=11), tree)
    view = ContourView(land, tree)
    with pytest.raises(traitlets.TraitError, match="two different axes"):
        view.slice_axes = [0, 0]
    with pytest.raises(traitlets.TraitError, match="2..64"):
        view.levels = 1
    with pytest.raises(traitlets.TraitError, match="within"):
        view.slice_index = [0, 99]
    with pytest.raises(TypeError, match="unexpected keyword"):
        ContourView(land, tree, cmap="magma")


def test_contour_2d_payload(wells: Any) -> None:
    land, tree = wells
    view = ContourView(land, tree, levels=8)
    s = view._data["slice"]
    z = from_wire(s["z"])
    assert z.shape == (31, 31)
    np.testing.assert_allclose(z, land.values.T.astype(np.float32))  # rows = y
    edges = from_wire(s["levels"]["linear"]["edges"])
    assert len(edges) == 9 and edges[0] == land.values.min()
    np.testing.assert_allclose(np.diff(edges), np.diff(edges)[0])
    for name in ("linear", "log"):  # both level sets travel, for the browser's scale toggle
        bands = s["levels"][name]["bands"]
        assert from_wire(bands["points"]).shape[1] == 2
        assert set(from_wire(bands["level"]).tolist()) <= set(range(8))
    kinds = from_wire(s["crit_kind"])
    assert (kinds == 0).sum() == tree.n_minima and (kinds == 1).sum() == tree.n_saddles
    # minima carry their own id; saddles the basin that dies there
    crit, basin = from_wire(s["crit_vertex"]), from_wire(s["crit_basin"])
    np.testing.assert_array_equal(basin[kinds == 0], crit[kinds == 0])
    assert set(basin[kinds == 1].tolist()) == set(tree.minima[1:].tolist())
    log_edges = from_wire(s["levels"]["log"]["edges"])
    assert np.all(np.diff(log_edges) > 0) and np.diff(log_edges)[0] < np.diff(log_edges)[-1]
    view.log_scale = True  # the deprecated alias sets `scale`
    assert view.scale == "log" and view.log_scale


@pytest.mark.parametrize("axes", [[0, 1], [2, 0], [1, 2]])
def test_contour_nd_slice_maps_vertices(wells3d: Any, axes: list[int]) -> None:
    land, tree = wells3d
    index = [3, 5, 7]
    view = ContourView(land, tree, slice_axes=axes, slice_index=index)
    s = view._data["slice"]
    z, labels = from_wire(s["z"]), from_wire(s["basins"])
    ny, nx = z.shape
    assert (nx, ny) == (land.shape[axes[0]], land.shape[axes[1]])
    flat_values = land.values.ravel()
    for iy, ix in [(0, 0), (ny - 1, nx - 1), (ny // 2, 1)]:
        v = s["base_vertex"] + ix * s["stride_x"] + iy * s["stride_y"]
        multi = np.unravel_index(v, land.shape)
        assert multi[axes[0]] == ix and multi[axes[1]] == iy
        other = ({0, 1, 2} - set(axes)).pop()
        assert multi[other] == index[other]
        assert z[iy, ix] == np.float32(flat_values[v])
        assert labels[iy, ix] == tree.basins[v]


def test_contour_reslices_on_trait_change(wells3d: Any) -> None:
    land, tree = wells3d
    view = ContourView(land, tree)
    assert view.slice_index == [7, 6, 5] and view.axis_names == ["α1", "α2", "α3"]
    view.slice_axes = [1, 2]
    assert from_wire(view._data["slice"]["z"]).shape == (11, 13)
    view.slice_index = [0, 6, 5]
    assert view._data["slice"]["index"] == [0, 6, 5]


def test_spectrum_sources() -> None:
    assert SpectrumView([1.0, 5.0, -2.0]).kind == "eigenvalues"
    np.testing.assert_array_equal(from_wire(SpectrumView([1, 5, -2])._data["spectrum"]["x"]),
                                  [5, 1, -2])

    class Density:
        nodes = np.array([[0.0, 1.0, np.nan]])

        def grid(self, n: int) -> np.ndarray:
            return np.linspace(-1, 2, n)

        def evaluate(self, t: np.ndarray) -> np.ndarray:
            return np.exp(-(t**2))

    view = SpectrumView(Density())
    assert view.kind == "density"
    assert from_wire(view._data["spectrum"]["nodes"]).tolist() == [0.0, 1.0]

    class NoEig:
        eigenvalues = None

    with pytest.raises(ValueError, match="no eigenvalues"):
        SpectrumView(NoEig())
    with pytest.raises(TypeError, match="expected a Subspace"):
        SpectrumView(object())
    with pytest.raises(ValueError, match="finite"):
        SpectrumView([np.nan])


def test_explorer_links_every_view_through_one_selection(wells: Any, wells3d: Any) -> None:
    land, tree = wells
    ex = Explorer(land, tree=tree, spectrum=[3.0, 1.0], min_persistence=0.1)
    assert [type(v).__name__ for v in ex.views] == [
        "ContourView", "ProfileView", "MergeTreeView", "BarcodeView",
        "PersistenceDiagramView", "SpectrumView",
    ]
    assert all(v.selection is ex.selection for v in ex.views)
    assert ex.selection.min_persistence == 0.1
    line = lw.Landscape.from_function(lambda p: np.cos(3 * p[:, 0]), dims=1, resolution=41)
    assert Explorer(line).contour is None
    assert Explorer(wells3d[0], tree=wells3d[1]).contour.slice_axes == [0, 1]
    with pytest.raises(TypeError, match="unexpected keyword argument.*profile"):
        Explorer(land, profile=None)
    with pytest.raises(TypeError, match="expected a Landscape"):
        Explorer(tree)


def test_public_names() -> None:
    for name in ("ContourView", "MergeTreeView", "BarcodeView", "PersistenceDiagramView",
                 "ProfileView", "SpectrumView", "Explorer", "Selection"):
        assert hasattr(lw.widgets, name)
