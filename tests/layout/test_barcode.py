"""Barcode rows: hand-computed bars, agreement with the tree's pairs, and non-finite deaths."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from landscape_widgets.layout import barcode_rows
from landscape_widgets.topology import merge_tree


def test_nested_bars_longest_first(nested_tree):
    bars = barcode_rows(nested_tree)
    assert bars.basin.tolist() == [0, 6, 2, 4]  # essential, then persistence 4.5, 2, 0.5
    assert bars.birth.tolist() == [0.0, 0.5, 1.0, 1.5]
    assert bars.death.tolist() == [6.0, 5.0, 3.0, 2.0]
    assert bars.persistence.tolist() == [np.inf, 4.5, 2.0, 0.5]
    assert bars.essential.tolist() == [True, False, False, False]
    assert bars.saddle.tolist() == [-1, 5, 1, 3]
    assert bars.row.tolist() == [0, 1, 2, 3]
    assert (bars.y_min, bars.y_max, bars.n_bars) == (0.0, 6.0, 4)


def test_max_bars_keeps_the_longest(nested_tree):
    bars = barcode_rows(nested_tree, max_bars=3)
    assert bars.basin.tolist() == [0, 6, 2]


def test_component_joined_only_through_nan_is_essential():
    # 0 and 1 are separated by NaN: the class of 1 dies only at +inf
    bars = barcode_rows(merge_tree(np.array([0.0, np.nan, 1.0, 2.0])))
    assert bars.basin.tolist() == [0, 2]
    assert bars.essential.tolist() == [True, True]
    assert bars.death.tolist() == [2.0, 2.0]  # drawn up to the finite top
    assert bars.saddle.tolist() == [-1, -1]


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 6)),
              elements=st.integers(0, 6).map(float)),
       st.sampled_from(["full", "axis"]))
def test_bars_are_the_pairs(values, connectivity):
    tree = merge_tree(values, connectivity)
    bars = barcode_rows(tree)
    assert bars.n_bars == tree.n_minima
    assert bars.essential.sum() == 1 and bars.basin[0] == tree.minima[0]
    finite = ~bars.essential
    got = sorted(zip(bars.birth[finite].tolist(), bars.death[finite].tolist(),
                     bars.basin[finite].tolist(), strict=True))
    want = sorted(zip(tree.pairs[:, 0].tolist(), tree.pairs[:, 1].tolist(),
                      tree.minima[1:].tolist(), strict=True))
    assert got == want
    assert np.all(np.diff(bars.persistence) <= 0)
    death_saddle = dict(zip(tree.minima.tolist(), tree.death_saddle.tolist(), strict=True))
    assert bars.saddle.tolist() == [death_saddle[b] for b in bars.basin.tolist()]
