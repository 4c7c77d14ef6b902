"""SMAD in its two conventions, side by side with Landscaper 1.3.1 run on the same landscapes.

Landscaper 1.3.1 computes SMAD on topopy's contour tree over an empty-region graph of the grid
points, which on a grid is the 4-neighbour ("axis") lattice; ours reproduces its numbers with
``convention="contour_tree"`` on ``contour_tree(values, "axis")``. The merge-tree convention
(Landscaper's code since July 2026, and our default) differs: the bowl has no saddle at all.
"""

import warnings

import numpy as np
import pytest

import landscape_widgets as lw
from landscape_widgets.graph import edge_graph
from landscape_widgets.metrics import landscape_metrics, smad
from landscape_widgets.topology import contour_tree, merge_tree


def grid(name, steps=21):
    if name == "bowl":
        axis = np.linspace(-1.0, 1.0, steps)
        x, y = np.meshgrid(axis, axis, indexing="ij")
        return axis, x**2 + y**2
    axis = np.linspace(-5.0, 5.0, steps)
    x, y = np.meshgrid(axis, axis, indexing="ij")
    return axis, (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


# (merge tree "full", merge tree "axis", contour tree "axis" = Landscaper 1.3.1)
EXPECTED = {"bowl": (0.0, 0.0, 1.0), "himmelblau": (48.25, 19.9375, 19.9375)}


@pytest.mark.parametrize("name", ["bowl", "himmelblau"])
def test_both_conventions_on_21x21_grids(name):
    _, values = grid(name)
    ours = (smad(merge_tree(values, "full")), smad(merge_tree(values, "axis")),
            smad(contour_tree(values, "axis")))
    assert ours == pytest.approx(EXPECTED[name])
    ct = contour_tree(values, "axis")
    assert smad(ct, convention="merge_tree") == ours[1]  # its join tree
    assert landscape_metrics(ct).smad == ours[2]
    assert landscape_metrics(ct, smad_convention="merge_tree").smad == ours[1]


@pytest.mark.parametrize("name", ["bowl", "himmelblau"])
def test_contour_convention_equals_landscaper_1_3_1(name):
    landscaper = pytest.importorskip("landscaper")
    axis, values = grid(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = landscaper.LossLandscape(values, [axis, axis])
        reference = (theirs.smad(), theirs.smad(normalize=True))
    ct = contour_tree(values, "axis")
    ours = (smad(ct), smad(ct, normalize=True))
    print(f"\n{name} 21x21: Landscaper 1.3.1 SMAD {reference[0]:.4f} (normalised "
          f"{reference[1]:.4f}); ours contour_tree {ours[0]:.4f} ({ours[1]:.4f}), "
          f"merge_tree {smad(merge_tree(values, 'axis')):.4f} on 'axis', "
          f"{smad(merge_tree(values, 'full')):.4f} on 'full'")
    assert ours == pytest.approx(reference, rel=1e-12)
    assert ours[0] == pytest.approx(EXPECTED[name][2])


def test_hand_computed_contour_convention():
    # a path 0.0 - 2.0 - 1.0 - 3.0 - 0.5: contour arcs min->node with >= 2 arcs:
    # 0 -> 1 (node 1 has two arcs): 2.0; 2 -> 1: 1.0; 2 -> 3: 2.0; 4 -> 3: 2.5
    ct = contour_tree(np.array([0.0, 2.0, 1.0, 3.0, 0.5]))
    assert smad(ct) == pytest.approx((2.0 + 1.0 + 2.0 + 2.5) / 4)
    # a star: three minima under one saddle at 1.0 and a peak at 2.0 above it
    star = edge_graph(5, [(0, 3), (1, 3), (2, 3), (3, 4)])
    ct = contour_tree(np.array([0.0, 0.1, 0.2, 1.0, 2.0]), graph=star)
    assert smad(ct) == pytest.approx(0.9)
    assert smad(ct, normalize=True) == pytest.approx(0.9 / 2.0)
    fractions = np.array([3, 1, 1]) / 5  # the join tree's branches: {0, 3, 4}, {1}, {2}
    assert smad(ct, weight="volume") == pytest.approx(np.mean(np.array([1.0, 0.9, 0.8])
                                                              * fractions))
    # one arc from the minimum straight to the maximum: no saddle, SMAD 0
    assert smad(contour_tree(np.array([0.0, 1.0, 2.0]))) == 0.0


def test_convention_errors():
    tree = merge_tree(np.array([0.0, 1.0, 0.5]))
    with pytest.raises(TypeError, match="convention='contour_tree' needs a ContourTree"):
        smad(tree, convention="contour_tree")
    with pytest.raises(ValueError, match="convention: expected one of"):
        smad(tree, convention="reeb")
    with pytest.raises(ValueError, match="super-level tree"):
        smad(merge_tree(np.array([0.0, 1.0, 0.5]), direction="super"))
    assert lw.smad(lw.contour_tree(np.array([0.0, 1.0, 0.5]))) == 0.75  # 1-D: the peak has 2 arcs
