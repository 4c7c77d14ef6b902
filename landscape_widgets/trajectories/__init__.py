"""Jump-and-retrain trajectories (Horoi et al. 2022): sampling, embedding, graph persistence.

Pipeline:

1. :func:`jump_and_retrain` (``sampling.py``): jump from the trained model along filter-normalized
   random directions and record the retrained parameters after every epoch -> :class:`Trajectories`.
   In three pieces: the plan (``_plan.py``, checked arguments and directions), one trajectory
   (``_run.py``, shared by the serial loop, resume and executor workers), assembly.
2. :func:`phate_embedding` / :func:`pca_embedding` (``embedding.py``): 2-D coordinates and PHATE's
   diffusion potential -> :class:`Embedding`.
3. :func:`trajectory_topology` (``topology.py``): kNN graph (k = 20, nearest potential distances),
   loss as vertex value, D0/D1 of the sublevel filtration, total persistence ->
   :class:`GraphPersistence`.

torch is imported by the sampling stage only; phate and gudhi only when called.

Example:
    >>> import numpy as np
    >>> from landscape_widgets.trajectories import pca_embedding
    >>> pca_embedding(np.eye(4)).coords.shape
    (4, 2)
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Trajectories": ".sampling",
    "jump_and_retrain": ".sampling",
    "CountSketch": ".projection",
    "Embedding": ".embedding",
    "phate_embedding": ".embedding",
    "pca_embedding": ".embedding",
    "GraphPersistence": ".topology",
    "knn_on_potential": ".topology",
    "nearest_neighbors": ".topology",
    "sublevel_persistence": ".topology",
    "trajectory_topology": ".topology",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
