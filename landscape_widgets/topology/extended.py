"""Extended persistence of a function on a graph (gudhi), e.g. loss on a kNN graph of models.

Sublevel persistence of a graph leaves every cycle (and every component but one) alive forever;
extended persistence (Cohen-Steiner, Edelsbrunner & Harer 2009) sweeps up through the sublevel
sets and back down through the superlevel sets, so every class gets a finite pair. For a graph
(a 1-complex) with the lower-star filtration (vertex value; edge = max of its ends) gudhi returns
four sub-diagrams:

- ``ordinary0``: sublevel components: born at a minimum, die where they join an older one.
- ``extended0``: one per connected component: (its minimum, its maximum).
- ``relative1``: superlevel components (downward branches): born at a maximum, die at a join
  below it (birth > death).
- ``extended1``: one per independent cycle: born at the value where the cycle closes in the
  sublevel sweep, dies at the value where it is filled in the superlevel (relative) sweep, i.e.
  at its lowest vertex (birth >= death).

``d0 = ordinary0 ∪ extended0`` and ``d1 = relative1 ∪ extended1`` (gudhi's homology degrees).
Zero-length pairs are dropped, as gudhi does by default, except in ``extended0``, which keeps
one row per connected component (an isolated vertex gives ``(v, v)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..graph import Graph
from .lower_star import lower_star_simplex_tree


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=np.float64).reshape(-1, 2)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class ExtendedPersistence:
    """The four extended-persistence sub-diagrams of a graph function, as ``(k, 2)`` arrays of
    (birth, death) in the input's value units."""

    ordinary0: np.ndarray
    extended0: np.ndarray
    relative1: np.ndarray
    extended1: np.ndarray

    def __post_init__(self) -> None:
        for name in ("ordinary0", "extended0", "relative1", "extended1"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    @property
    def d0(self) -> np.ndarray:
        """Degree-0 diagram: ordinary (finite joins) then extended (one per component)."""
        return np.concatenate([self.ordinary0, self.extended0])

    @property
    def d1(self) -> np.ndarray:
        """Degree-1 diagram: relative (downward branches) then extended (cycles)."""
        return np.concatenate([self.relative1, self.extended1])

    def total_persistence(self, degree: int | None = None) -> float:
        """Σ (death − birth)² over the degree-0, degree-1, or (None) both diagrams."""
        parts = {0: [self.d0], 1: [self.d1], None: [self.d0, self.d1]}
        if degree not in parts:
            raise ValueError(f"degree: expected 0, 1 or None, got {degree!r}")
        return float(sum(((d[:, 1] - d[:, 0]) ** 2).sum() for d in parts[degree]))


def _snap(diagram: list, levels: np.ndarray, keep_zero_length: bool = False) -> np.ndarray:
    """gudhi rescales values internally; snap each coordinate back to the nearest input value."""
    pts = np.array([p for _, p in diagram], dtype=np.float64).reshape(-1, 2)
    if pts.size == 0:
        return pts
    pos = np.clip(np.searchsorted(levels, pts), 1, levels.size - 1)
    lower, upper = levels[pos - 1], levels[pos]
    snapped = np.where(np.abs(pts - lower) <= np.abs(upper - pts), lower, upper)
    return snapped if keep_zero_length else snapped[snapped[:, 0] != snapped[:, 1]]


def extended_persistence(graph: Graph, values: np.ndarray) -> ExtendedPersistence:
    """Extended persistence of ``values`` (one per vertex) on ``graph`` (lower-star filtration).

    Example:
        >>> import numpy as np
        >>> from landscape_widgets.graph import edge_graph
        >>> square = edge_graph(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
        >>> ep = extended_persistence(square, np.array([0.0, 2.0, 1.0, 3.0]))
        >>> ep.ordinary0.tolist(), ep.extended0.tolist(), ep.extended1.tolist()
        ([[1.0, 2.0]], [[0.0, 3.0]], [[3.0, 0.0]])
    """
    st, vals = lower_star_simplex_tree(graph, values)
    st.extend_filtration()
    ordinary, relative, ext_plus, ext_minus = st.extended_persistence(min_persistence=-1)
    levels = np.unique(vals)
    if levels.size == 1:  # a constant function: every pair has zero length
        levels = np.concatenate([levels, levels + 1.0])
    by_dim = {(name, dim): [p for p in diagram if p[0] == dim]
              for name, diagram in (("ord", ordinary), ("rel", relative),
                                    ("ext", ext_plus + ext_minus))
              for dim in (0, 1)}
    return ExtendedPersistence(
        ordinary0=_snap(by_dim["ord", 0], levels),
        extended0=_snap(by_dim["ext", 0], levels, keep_zero_length=True),
        relative1=_snap(by_dim["rel", 1], levels),
        extended1=_snap(by_dim["ext", 1], levels),
    )

