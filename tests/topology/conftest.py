import numpy as np
import pytest

from landscape_widgets.graph import edge_graph


def random_graph(rng: np.random.Generator, n: int, n_edges: int):
    edges = rng.integers(0, n, size=(n_edges, 2))
    return edge_graph(n, edges)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
