"""Topology of the sampled region (Horoi et al. §3.3): a kNN graph on PHATE's diffusion-potential
distances, the loss as vertex value, persistence diagrams D₀ and D₁ of the sublevel filtration,
and total persistence Σ(d − b)².

Neighbours: for each sample, the k (= 20) samples *nearest* in potential distance
‖potᵢ − potⱼ‖₂ (the paper's "potential distance", §2.1), excluding itself, ties broken by the
lower sample index. The published scripts instead take ``argsort(row)[-1:-(1+k):-1]`` of the
potential matrix itself, i.e. the k *largest* entries — the farthest points — which we do not
copy. The undirected graph keeps u–v when either is among the other's k nearest (the usual kNN
graph, :class:`landscape_widgets.graph.Graph` with connectivity "knn").

Filtration — which complex. The paper (§2.2) filters the *graph*: Gᵢ has the vertices with
f ≤ wᵢ and the edges whose two ends are both there, i.e. the lower-star filtration of the graph
as a 1-complex (vertex = loss, edge = max of its ends). On a 1-complex:

- D₀ has one finite pair (f(minimum), f(joining edge)) per merge (elder rule) and one
  essential class per connected component (death = ∞);
- D₁ has only essential classes: every edge that closes a cycle gives (f(edge), ∞); nothing can
  fill a cycle of a graph. (gudhi computes them only with ``persistence_dim_max=True``.)

That is ``complex="graph"`` (default, the paper's construction; it is what their scripts compute
with pyper). ``complex="flag"`` adds every triangle of the graph (the clique complex up to
dimension 2, filtered the same way), so cycles can die and D₁ gets finite pairs — a different,
more local quantity, offered for exploration. Extended persistence
(:func:`landscape_widgets.topology.extended_persistence` on ``GraphPersistence.graph``) is the
third option: every class finite, but its D₁ is not the paper's.

Total persistence ``pers(D) = Σ (d − b)²`` needs a value for the essential deaths: the paper's
scripts (pyper) give unpaired classes the largest filtration value of the complex, so that is
``essential="max"`` (default); ``essential="drop"`` sums the finite pairs only. Zero-length pairs
(a vertex entering together with its lowest edge) are left out, as gudhi does; they add 0 anyway.

Example:
    >>> import numpy as np
    >>> g = knn_on_potential(np.array([[0.0], [1.0], [1.9], [3.2]]), k=1)
    >>> g.edges.tolist()
    [[0, 1], [1, 2], [2, 3]]
    >>> p = sublevel_persistence(g, np.array([0.0, 2.0, 1.0, 3.0]))
    >>> p.d0.tolist(), p.total_persistence(0)
    ([[1.0, 2.0], [0.0, inf]], 10.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..graph import Graph
from ..graph._graph import csr_from_directed
from ..topology.lower_star import lower_star_simplex_tree

COMPLEXES = ("graph", "flag")
METRICS = ("euclidean", "cosine")
ESSENTIAL = ("max", "drop")
_BLOCK = 512


def _points(potential: Any) -> np.ndarray:
    if getattr(potential, "potential", 0) is None:
        raise ValueError(
            "potential: this embedding has no diffusion potential (PCA); pass a PHATE embedding "
            "or the potential array"
        )
    pts = np.asarray(getattr(potential, "potential", potential), dtype=np.float64)
    if pts.ndim != 2 or pts.shape[0] < 2:
        raise ValueError(f"potential: expected an (n_samples >= 2, m) array, got {pts.shape}")
    if not np.all(np.isfinite(pts)):
        raise ValueError("potential: expected finite values, got NaN or inf")
    return pts


def nearest_neighbors(points: np.ndarray, k: int, metric: str = "euclidean"
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest neighbours of every row (brute force in blocks, BLAS distances).

    Returns ``(indices, distances)``, both ``(n, k)``, each row sorted by distance then index;
    a row never lists itself. Candidates are found with BLAS (``|a|² + |b|² − 2a·b`` on
    column-centred points, float64); those within round-off of the k-th are re-ranked with
    directly computed distances, so ties go to the lower index.
    """
    pts = _points(points)
    n = pts.shape[0]
    if metric not in METRICS:
        raise ValueError(f"metric: expected one of {METRICS}, got {metric!r}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k: expected a positive int, got {k!r}")
    k = min(int(k), n - 1)
    if metric == "cosine":
        norms = np.linalg.norm(pts, axis=1, keepdims=True)
        if np.any(norms == 0):
            raise ValueError("potential: cosine distance needs non-zero rows")
        pts = pts / norms
        raw = pts
    else:
        raw = pts  # exact re-ranking on the input values (centring rounds them)
        pts = pts - pts.mean(axis=0, keepdims=True)
    sq = (pts**2).sum(axis=1)
    idx = np.empty((n, k), np.int64)
    dist = np.empty((n, k), np.float64)
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        gram = pts[start:stop] @ pts.T
        if metric == "cosine":
            d = np.clip(1.0 - gram, 0.0, None)
        else:
            d = np.sqrt(np.clip(sq[start:stop, None] + sq[None, :] - 2.0 * gram, 0.0, None))
        rows = np.arange(stop - start)
        d[rows, rows + start] = np.inf  # never a neighbour of itself
        part = np.argpartition(d, k - 1, axis=1)[:, :k]
        kth = d[rows[:, None], part].max(axis=1)
        slack = 1e-7 * kth + 1e-12  # round-off of the expansion: re-rank near-ties exactly
        for r in rows:
            i = start + r
            cand = np.flatnonzero(d[r] <= kth[r] + slack[r])
            cand = cand[cand != i]
            if metric == "cosine":
                exact = np.clip(1.0 - pts[cand] @ pts[i], 0.0, None)
            else:
                exact = np.sqrt(((raw[cand] - raw[i]) ** 2).sum(axis=1))
            order = np.lexsort((cand, exact))[:k]  # by distance, ties by the lower index
            idx[i] = cand[order]
            dist[i] = exact[order]
    return idx, dist


def knn_on_potential(potential: Any, k: int = 20, metric: str = "euclidean") -> Graph:
    """Undirected kNN graph on the diffusion-potential distances (k nearest, not farthest).

    Args:
        potential: a PHATE :class:`~.embedding.Embedding` or its ``(n, m)`` potential.
        k: neighbours per sample (capped at n − 1).
        metric: "euclidean" (the paper's potential distance) or "cosine".
    """
    idx, _ = nearest_neighbors(_points(potential), k, metric)
    n = idx.shape[0]
    src = np.repeat(np.arange(n, dtype=np.int64), idx.shape[1])
    indptr, indices = csr_from_directed(n, src, idx.ravel())
    return Graph(indptr, indices, n, connectivity="knn")


def _readonly(a: np.ndarray, dtype: Any) -> np.ndarray:
    arr = np.ascontiguousarray(np.array(a, dtype=dtype, copy=True))
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class GraphPersistence:
    """Persistence diagrams of a vertex function on a graph (sublevel filtration).

    Attributes:
        d0, d1: ``(k, 2)`` float64 (birth, death) pairs; essential classes have death ``inf``.
            Finite pairs come first, sorted by birth then death; then essential ones.
        d0_vertices, d1_vertices: ``(k, 2)`` int64 (birth vertex, death vertex) of each pair:
            the sample whose value the birth/death simplex takes (the higher end of an edge,
            the highest corner of a triangle); −1 for the death of an essential class.
        values: ``(n,)`` the vertex values (loss).
        graph: the graph filtered.
        complex: "graph" (1-complex, the paper's) or "flag" (with triangles).
        k: neighbours per sample of the kNN graph (None when the graph was given).
    """

    d0: np.ndarray
    d1: np.ndarray
    d0_vertices: np.ndarray
    d1_vertices: np.ndarray
    values: np.ndarray
    graph: Graph
    complex: str = "graph"
    k: int | None = None

    def __post_init__(self) -> None:
        for name in ("d0", "d1"):
            pairs = np.asarray(getattr(self, name)).reshape(-1, 2)
            object.__setattr__(self, name, _readonly(pairs, np.float64))
            vert = np.asarray(getattr(self, f"{name}_vertices")).reshape(-1, 2)
            object.__setattr__(self, f"{name}_vertices", _readonly(vert, np.int64))
        object.__setattr__(self, "values", _readonly(self.values, np.float64))

    def diagram(self, degree: int) -> np.ndarray:
        if degree not in (0, 1):
            raise ValueError(f"degree: expected 0 or 1, got {degree!r}")
        return self.d0 if degree == 0 else self.d1

    @property
    def max_value(self) -> float:
        """The largest filtration value in the complex (the death given to essential classes
        by ``essential="max"``): the largest edge value, or vertex value without edges."""
        edges = self.graph.edges
        if edges.size:
            return float(np.maximum(self.values[edges[:, 0]], self.values[edges[:, 1]]).max())
        return float(self.values.max())

    def total_persistence(self, degree: int | None = None, essential: str = "max") -> float:
        """Σ (death − birth)² over D₀, D₁ or (None) both.

        Args:
            essential: "max" (essential classes die at ``max_value``, as in the paper's
                scripts) or "drop" (finite pairs only).
        """
        if essential not in ESSENTIAL:
            raise ValueError(f"essential: expected one of {ESSENTIAL}, got {essential!r}")
        parts = {0: (self.d0,), 1: (self.d1,), None: (self.d0, self.d1)}
        if degree not in parts:
            raise ValueError(f"degree: expected 0, 1 or None, got {degree!r}")
        total = 0.0
        for d in parts[degree]:
            death = d[:, 1]
            inf = ~np.isfinite(death)
            if essential == "max":
                death = np.where(inf, self.max_value, death)
                total += float(((death - d[:, 0]) ** 2).sum())
            else:
                total += float(((death[~inf] - d[~inf, 0]) ** 2).sum())
        return total

    def __repr__(self) -> str:
        ess0 = int((~np.isfinite(self.d0[:, 1])).sum())
        ess1 = int((~np.isfinite(self.d1[:, 1])).sum())
        return (
            f"GraphPersistence(complex={self.complex!r}, n_vertices={self.graph.n_vertices}, "
            f"n_edges={self.graph.n_edges}, d0={len(self.d0)} ({ess0} essential), "
            f"d1={len(self.d1)} ({ess1} essential))"
        )


def _top_vertex(simplex: list[int], values: np.ndarray) -> int:
    """The vertex whose value the simplex takes (its maximum; ties: the larger id)."""
    if not simplex:
        return -1
    vs = np.asarray(simplex, dtype=np.int64)
    best = values[vs].max()
    return int(vs[values[vs] == best].max())


def sublevel_persistence(graph: Graph, values: Any, complex: str = "graph") -> GraphPersistence:
    """D₀ and D₁ of the lower-star (sublevel) filtration of ``values`` on ``graph`` (gudhi).

    Args:
        graph: a :class:`~landscape_widgets.graph.Graph` (one vertex per value).
        values: ``(n,)`` finite vertex values (e.g. the training loss of each sample).
        complex: "graph" (the 1-complex; default, the paper's) or "flag" (with triangles).
    """
    if complex not in COMPLEXES:
        raise ValueError(f"complex: expected one of {COMPLEXES}, got {complex!r}")
    st, vals = lower_star_simplex_tree(graph, values)
    if complex == "flag":
        st.expansion(2)  # triangles take the max of their edges: still lower-star
    st.compute_persistence(persistence_dim_max=True)
    pairs: dict[int, list[tuple[float, float, int, int]]] = {0: [], 1: []}
    for birth, death in st.persistence_pairs():
        dim = len(birth) - 1
        if dim > 1:
            continue
        b = st.filtration(birth)
        d = st.filtration(death) if death else np.inf
        pairs[dim].append((b, d, _top_vertex(birth, vals), _top_vertex(death, vals)))
    out = {}
    for dim, rows in pairs.items():
        arr = np.array(rows, dtype=np.float64).reshape(-1, 4)
        order = np.lexsort((arr[:, 1], arr[:, 0], ~np.isfinite(arr[:, 1])))
        arr = arr[order]
        out[dim] = (arr[:, :2], arr[:, 2:].astype(np.int64))
    return GraphPersistence(d0=out[0][0], d1=out[1][0], d0_vertices=out[0][1],
                            d1_vertices=out[1][1], values=vals, graph=graph, complex=complex)


def trajectory_topology(potential: Any, values: Any, k: int = 20, *, metric: str = "euclidean",
                        complex: str = "graph") -> GraphPersistence:
    """The paper's pipeline in one call: ``knn_on_potential`` then ``sublevel_persistence``.

    Args:
        potential: a PHATE :class:`~.embedding.Embedding` (its diffusion potential) or an
            ``(n, m)`` potential array.
        values: ``(n,)`` vertex values, e.g. ``traj.train_loss`` (the published scripts use the
            test loss: ``traj.eval_loss``).
        k: neighbours per sample (20 in the paper).

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> p = trajectory_topology(rng.normal(size=(30, 4)), rng.random(30), k=5)
        >>> p.k, len(p.d0) >= 1
        (5, True)
    """
    graph = knn_on_potential(potential, k, metric)
    result = sublevel_persistence(graph, values, complex)
    object.__setattr__(result, "k", min(int(k), graph.n_vertices - 1))
    return result
