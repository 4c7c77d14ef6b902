"""A real Dask ``LocalCluster`` (2 worker processes, 1 thread each) and a process pool, shared by
the module's tests (starting a cluster takes seconds)."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
import torch


@pytest.fixture(scope="module")
def client(request: Any) -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    # the workers get this package's test helpers by value (they need not import tests/)
    cloudpickle.register_pickle_by_value(sys.modules[request.module.__name__])
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as ex:
        yield ex


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    """The serial references run on one torch thread, as each worker does."""
    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(saved)
