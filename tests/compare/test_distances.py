"""coll.distance_matrix against pairwise diagram_distance, and classical MDS on known shapes."""

import json

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.topology import diagram_distance, merge_tree

pytest.importorskip("ot")  # POT: gudhi's Wasserstein distance needs it


def ring(shift, tilt=0.0):
    return lambda p: ((p**2).sum(1) - 1.0) ** 2 + shift * p[:, 0] + tilt * p[:, 1] ** 3


@pytest.fixture
def collection():
    coll = lw.LandscapeCollection()
    for shift in (0.0, 0.3, 1.0):
        for tilt in (0.0, 0.5):
            land = lw.Landscape.from_function(ring(shift, tilt), resolution=13)
            coll.add({"shift": shift, "tilt": tilt}, land)
    return coll


@pytest.mark.parametrize("metric,order", [("wasserstein", 1.0), ("wasserstein", 2.0),
                                          ("bottleneck", 1.0)])
def test_matrix_equals_pairwise_distances(collection, metric, order):
    dist = collection.distance_matrix(metric=metric, order=order)
    assert isinstance(dist, lw.DistanceMatrix)
    assert dist.ids == tuple(collection.ids) and len(dist) == 6
    assert dist.labels[1] == collection.entries[1].label
    m = dist.matrix
    np.testing.assert_array_equal(m, m.T)
    np.testing.assert_array_equal(np.diag(m), 0.0)
    assert np.all(m[~np.eye(6, dtype=bool)] >= 0)
    for i, a in enumerate(collection.entries):
        for j, b in enumerate(collection.entries):
            if i < j:
                expected = diagram_distance(collection.tree(a), collection.tree(b), metric,
                                            order=order)
                assert m[i, j] == expected
    assert dist.settings["metric"] == metric and dist.settings["connectivity"] == "full"
    assert not m.flags.writeable


def test_subset_super_direction_and_json(collection):
    ids = collection.ids[:3]
    dist = collection.distance_matrix(entries=ids, direction="super", metric="bottleneck")
    assert dist.ids == tuple(ids)
    lands = [collection.landscape(i) for i in ids]
    expected = diagram_distance(merge_tree(lands[0], direction="super"),
                                merge_tree(lands[2], direction="super"))
    assert dist.matrix[0, 2] == expected
    data = json.loads(json.dumps(dist.to_json(), allow_nan=False))
    assert data["ids"] == ids and len(data["matrix"]) == 3
    table = dist.table()
    assert list(table.index) == ids and table.loc[ids[0], ids[2]] == expected


def test_saved_collection_gives_the_same_matrix(collection, tmp_path):
    before = collection.distance_matrix()
    again = lw.LandscapeCollection.load(collection.save(tmp_path / "coll"))
    np.testing.assert_array_equal(again.distance_matrix().matrix, before.matrix)


def test_errors(collection):
    with pytest.raises(ValueError, match="metric: expected one of"):
        collection.distance_matrix(metric="l2")
    with pytest.raises(ValueError, match="direction"):
        collection.distance_matrix(direction="both")
    with pytest.raises(ValueError, match="no entries"):
        lw.LandscapeCollection().distance_matrix()
    with pytest.raises(ValueError, match="order"):
        collection.distance_matrix(order=0)


def test_mds_recovers_planar_configurations():
    rng = np.random.default_rng(0)
    for points in (rng.normal(size=(7, 2)), np.array([[0, 0], [3, 0], [0, 4.0]]),
                   np.array([[0, 0], [1, 0], [1, 1], [0, 1.0]])):
        d = np.linalg.norm(points[:, None] - points[None], axis=-1)
        emb = lw.mds_embedding(d)
        got = np.linalg.norm(emb.coords[:, None] - emb.coords[None], axis=-1)
        np.testing.assert_allclose(got, d, atol=1e-9)
        np.testing.assert_allclose(emb.coords.mean(0), 0.0, atol=1e-9)  # centred
        assert emb.explained == pytest.approx(1.0)
        # Procrustes: the points themselves, up to a rotation/reflection
        centred = points - points.mean(0)
        u, _, vt = np.linalg.svd(emb.coords.T @ centred)
        np.testing.assert_allclose(emb.coords @ (u @ vt), centred, atol=1e-9)


def test_mds_of_collinear_points_and_signs():
    x = np.array([0.0, 1.0, 3.0, 7.0])
    emb = lw.mds_embedding(np.abs(x[:, None] - x[None]), dims=2)
    np.testing.assert_allclose(emb.coords[:, 1], 0.0, atol=1e-7)  # one axis suffices
    np.testing.assert_allclose(np.abs(emb.coords[:, 0] - emb.coords[0, 0]), x, atol=1e-9)
    assert emb.coords[np.argmax(np.abs(emb.coords[:, 0])), 0] > 0  # the sign convention
    assert lw.mds_embedding(np.zeros((1, 1))).coords.tolist() == [[0.0, 0.0]]


def test_mds_of_a_collection(collection):
    emb = collection.distance_matrix().embedding()
    assert emb.ids == tuple(collection.ids) and emb.coords.shape == (6, 2)
    assert json.loads(json.dumps(emb.to_json()))["ids"] == collection.ids


def test_mds_errors():
    with pytest.raises(ValueError, match="finite entries"):
        lw.mds_embedding(np.array([[0, np.inf], [np.inf, 0]]))
    with pytest.raises(ValueError, match="symmetric"):
        lw.mds_embedding(np.array([[0, 1.0], [2.0, 0]]))
    with pytest.raises(ValueError, match="square"):
        lw.mds_embedding(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="dims: expected an int >= 1"):
        lw.mds_embedding(np.zeros((2, 2)), dims=0)
