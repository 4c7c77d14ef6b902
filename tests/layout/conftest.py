"""Shared fixtures for the layout tests: small merge trees whose geometry is computed by hand."""

import numpy as np
import pytest

from landscape_widgets.topology import merge_tree

# 1-D: root A (vertex 0) with children B (vertex 2, dies at 3 on the right) and D (vertex 6,
# dies at 5 on the left); B holds C (vertex 4, dies at 2). Branches A {0,1,5,7}, B {2,3},
# C {4}, D {6}.
NESTED = np.array([0.0, 3.0, 1.0, 2.0, 1.5, 5.0, 0.5, 6.0])
NESTED_LEVELS = np.arange(7.0)

# 3x3 "axis" grid: four minima on the edge midpoints all join at the centre (value 5): one
# saddle where three branches die at once.
STAR = np.array([[9.0, 1.0, 9.0], [2.0, 5.0, 3.0], [9.0, 4.0, 9.0]])


@pytest.fixture(scope="session")
def nested_tree():
    return merge_tree(NESTED)


@pytest.fixture(scope="session")
def star_tree():
    return merge_tree(STAR, "axis")
