"""Headless figures: the Agg backend, and every figure closed after its test."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import landscape_widgets as lw  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def himmelblau():
    """Himmelblau's function: 4 minima (value 0), 3 saddles join them in the merge tree."""
    land = lw.Landscape.from_function(lw.examples.himmelblau, resolution=41, extent=5.0)
    return land, lw.merge_tree(land)


@pytest.fixture(scope="session")
def wells():
    """Four Gaussian wells (values in (0, 1]: a linear 'auto' scale)."""
    land = lw.examples.four_wells(resolution=31)
    return land, lw.merge_tree(land)


@pytest.fixture(scope="session")
def bowl():
    """One basin, no saddle: the degenerate case of every figure."""
    land = lw.Landscape.from_function(lambda p: (p**2).sum(1) + 0.5, dims=2, resolution=15)
    return land, lw.merge_tree(land)


def png_ok(fig, path) -> None:
    """Save ``fig`` as a PNG and check the file is one, of the figure's pixel size."""
    fig.savefig(path, dpi=50)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    w_in, h_in = fig.get_size_inches()
    assert (width, height) == (round(w_in * 50), round(h_in * 50))


def by_gid(ax, gid):
    """The one artist of ``ax`` with this gid."""
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, found {len(found)}"
    return found[0]


def local_minima_1d(values: np.ndarray) -> int:
    """Strict local minima of a 1-D sequence by a plain loop (ends count with one neighbour)."""
    n = len(values)
    count = 0
    for i in range(n):
        left = values[i - 1] if i > 0 else np.inf
        right = values[i + 1] if i < n - 1 else np.inf
        count += values[i] < left and values[i] < right
    return count
