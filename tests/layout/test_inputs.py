"""Bad inputs get errors that name what was expected and what was received."""

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.layout import barcode_rows, landscape_profile, merge_tree_layout
from landscape_widgets.topology import merge_tree


@pytest.mark.parametrize("fn", [landscape_profile, merge_tree_layout, barcode_rows])
def test_not_a_tree(fn):
    with pytest.raises(TypeError, match=r"expected a MergeTree .* received ndarray"):
        fn(np.zeros(3))


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "3"])
def test_max_basins_must_be_a_positive_integer(nested_tree, bad):
    with pytest.raises(ValueError, match=r"max_basins expected None or an integer >= 1, "
                                         r"received"):
        landscape_profile(nested_tree, max_basins=bad)
    with pytest.raises(ValueError, match=r"max_basins expected"):
        merge_tree_layout(nested_tree, max_basins=bad)
    with pytest.raises(ValueError, match=r"max_bars expected"):
        barcode_rows(nested_tree, max_bars=bad)


def test_all_nonfinite():
    tree = merge_tree(np.array([np.nan, np.inf, np.nan]))
    for fn in (landscape_profile, merge_tree_layout, barcode_rows):
        with pytest.raises(ValueError, match=r"expected at least one finite value, received 3"):
            fn(tree)


@pytest.mark.parametrize("levels, message", [
    (0, r"levels expected an integer >= 1, received 0"),
    ([0.0, 3.0, 2.0, 6.0], r"strictly increasing .* received \[0.0, 3.0, 2.0, 6.0\]"),
    ([0.0, np.nan, 6.0], r"strictly increasing finite"),
    ([[0.0, 6.0]], r"1-D array"),
    ([1.0, 6.0], r"cover the finite values \[0.0, 6.0\], received edges from 1.0 to 6.0"),
    ([0.0, 5.0], r"received edges from 0.0 to 5.0"),
])
def test_bad_levels(nested_tree, levels, message):
    with pytest.raises(ValueError, match=message):
        landscape_profile(nested_tree, levels=levels)


def test_bad_spacing(nested_tree):
    with pytest.raises(ValueError, match=r"spacing expected one of \('linear', 'quantile'\), "
                                         r"received 'log'"):
        landscape_profile(nested_tree, spacing="log")


def test_constant_landscape_is_one_flat_basin():
    p = landscape_profile(merge_tree(np.full((3, 4), 2.0)))
    assert p.basin_ids.tolist() == [0] and p.basin_size.tolist() == [12]
    assert (p.rect_x0.tolist(), p.rect_x1.tolist()) == ([0.0], [1.0])
    assert (p.rect_y0.tolist(), p.rect_y1.tolist()) == ([2.0], [2.0])
    assert p.levels.tolist() == [2.0, 2.0]


def test_public_names_are_reexported():
    for name in ("LandscapeProfile", "landscape_profile", "TreeLayout", "merge_tree_layout",
                 "BarcodeRows", "barcode_rows"):
        assert getattr(lw, name) is getattr(lw.layout, name)


def test_results_are_frozen(nested_tree):
    p = landscape_profile(nested_tree)
    with pytest.raises(AttributeError):
        p.y_min = 1.0


def test_result_arrays_are_read_only(nested_tree):
    p = landscape_profile(nested_tree)
    with pytest.raises(ValueError, match="read-only"):
        p.rect_x0[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        merge_tree_layout(nested_tree).node_x[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        barcode_rows(nested_tree).birth[0] = 1.0


def test_user_levels_stay_writable(nested_tree):
    edges = np.arange(7.0)
    landscape_profile(nested_tree, levels=edges)
    edges[0] = -1.0  # still the caller's own, writable array


def test_super_level_trees_are_refused_with_a_pointer_to_minus_f():
    import numpy as np

    import landscape_widgets as lw

    values = np.array([[0.0, 2.0, 1.0], [3.0, 0.5, 2.5], [1.5, 2.2, 0.2]])
    split = lw.merge_tree(values, direction="super")
    for draw in (lw.landscape_profile, lw.merge_tree_layout, lw.barcode_rows):
        with pytest.raises(ValueError, match=r"super-level tree .*merge_tree\(-land.values\)"):
            draw(split)
    lw.landscape_profile(lw.merge_tree(-values))  # the suggested form draws
