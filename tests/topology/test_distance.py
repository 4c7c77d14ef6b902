"""diagram_distance against gudhi run directly on the same diagrams."""

import gudhi
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscape_widgets as lw
from landscape_widgets.topology import contour_tree, diagram_distance, merge_tree
from landscape_widgets.topology.distance import tree_diagram

wasserstein = pytest.importorskip("gudhi.wasserstein").wasserstein_distance
pytest.importorskip("ot")  # POT: gudhi's Wasserstein distance needs it


def two_fields(seed, shape=(9, 9)):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=shape)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1.0, 2.0, 3.5]),
       st.sampled_from([1.0, 2.0, np.inf]))
def test_equals_gudhi_run_directly(seed, order, internal_p):
    a, b = two_fields(seed)
    ta, tb = merge_tree(a), merge_tree(b)
    da, db = ta.persistence_diagram(essential=True), tb.persistence_diagram(essential=True)
    assert diagram_distance(ta, tb) == gudhi.bottleneck_distance(da, db)
    assert diagram_distance(ta, tb, "wasserstein", order=order, internal_p=internal_p) == (
        pytest.approx(wasserstein(da, db, order=order, internal_p=internal_p,
                                  keep_essential_parts=True), rel=1e-12))
    # arrays are accepted as they are
    assert diagram_distance(da, db) == gudhi.bottleneck_distance(da, db)


def test_hand_computed():
    a = merge_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))  # (0, inf), (0.5, 3), (1, 2)
    b = merge_tree(np.array([0.0, 2.0, 1.5, 3.0, 0.5]))  # (0, inf), (0.5, 3), (1.5, 2)
    # (1, 2) -> (1.5, 2) costs 0.5 in L-inf; to the diagonal 0.5 and 0.25: also 0.75 in W1
    assert diagram_distance(a, b) == 0.5
    assert diagram_distance(a, b, "wasserstein") == pytest.approx(0.5)
    c = merge_tree(np.array([0.8, 2.0, 1.0, 3.0, 0.5]))  # (0.5, inf), (0.8, 3), (1, 2)
    assert diagram_distance(a, c, essential="separate") == 0.5  # essential births 0 vs 0.5
    assert diagram_distance(a, c, essential="drop") == pytest.approx(0.3)  # (0.5, 3)-(0.8, 3)
    # cap: the essential classes read (0, 3) and (0.5, 3)
    assert tree_diagram(c, "cap").tolist() == [[0.5, 3.0], [0.8, 3.0], [1.0, 2.0]]
    assert diagram_distance(a, c, essential="cap") == 0.5
    assert diagram_distance(a, c, "wasserstein", essential="cap") == pytest.approx(0.8)
    assert diagram_distance(a, a) == pytest.approx(0.0, abs=1e-300)  # gudhi: 1.8e-308


def test_essential_classes_counted_separately():
    # two components (no edge between them): two essential classes against one
    from landscape_widgets.graph import edge_graph

    two = merge_tree(np.array([0.0, 1.0, 0.5]), graph=edge_graph(3, [(0, 1)]))
    one = merge_tree(np.array([0.0, 1.0, 0.5]))
    assert diagram_distance(two, one) == np.inf
    with pytest.warns(UserWarning, match="essential"):  # gudhi itself agrees
        assert wasserstein(two.persistence_diagram(True), one.persistence_diagram(True)) == np.inf
    assert diagram_distance(two, one, "wasserstein") == np.inf
    assert np.isfinite(diagram_distance(two, one, essential="drop"))
    assert np.isfinite(diagram_distance(two, one, essential="cap"))


def test_super_level_trees_compare_as_minus_f():
    a, b = two_fields(3)
    sa, sb = merge_tree(a, direction="super"), merge_tree(b, direction="super")
    for metric in ("bottleneck", "wasserstein"):
        assert diagram_distance(sa, sb, metric) == pytest.approx(
            diagram_distance(merge_tree(-a), merge_tree(-b), metric), rel=1e-12)
    with pytest.raises(ValueError, match="one kind"):
        diagram_distance(sa, merge_tree(b))


def test_contour_trees_combine_minima_and_maxima():
    a, b = two_fields(4)
    ca, cb = contour_tree(a), contour_tree(b)
    join = diagram_distance(ca.join_tree, cb.join_tree)
    split = diagram_distance(ca.split_tree, cb.split_tree)
    assert diagram_distance(ca, cb) == max(join, split)
    wj = diagram_distance(ca.join_tree, cb.join_tree, "wasserstein", order=2)
    ws = diagram_distance(ca.split_tree, cb.split_tree, "wasserstein", order=2)
    assert diagram_distance(ca, cb, "wasserstein", order=2) == pytest.approx(np.hypot(wj, ws))
    with pytest.raises(ValueError, match="contour tree"):
        diagram_distance(ca, cb.join_tree.persistence_diagram(True))


def test_bad_arguments():
    t = lw.merge_tree(np.array([0.0, 1.0, 0.5]))
    with pytest.raises(ValueError, match="metric: expected one of"):
        diagram_distance(t, t, "energy")
    with pytest.raises(ValueError, match="essential: expected one of"):
        diagram_distance(t, t, essential="keep")
    with pytest.raises(ValueError, match="order: expected a number >= 1"):
        diagram_distance(t, t, "wasserstein", order=0.5)
    with pytest.raises(ValueError, match="internal_p"):
        diagram_distance(t, t, "wasserstein", internal_p=0)
    with pytest.raises(ValueError, match=r"tree_b: expected a \(k, 2\) array"):
        diagram_distance(t, np.zeros((3, 3)))
    with pytest.raises(TypeError, match="tree_a: expected a MergeTree"):
        diagram_distance(object(), t)
    with pytest.raises(ValueError, match="essential='cap' needs a tree"):
        diagram_distance(np.array([[0.0, np.inf]]), t, essential="cap")
    nan_top = merge_tree(np.array([0.0, np.nan, 1.0]), direction="super")
    with pytest.raises(ValueError, match="born at an infinite value"):
        diagram_distance(nan_top, nan_top)


def test_single_basins_compare_by_their_minima_without_warnings():
    import warnings

    a = merge_tree(np.array([1.0, 0.0, 1.0]))
    b = merge_tree(np.array([2.0, 0.25, 2.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert diagram_distance(a, b, "wasserstein") == 0.25
        assert diagram_distance(a, b) == 0.25
    assert diagram_distance(a, b, "wasserstein", essential="cap") == 1.0  # (0, 1) vs (0.25, 2)
