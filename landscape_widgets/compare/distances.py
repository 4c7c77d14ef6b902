"""Distances between the landscapes of a collection, and a 2-D map of them (classical MDS).

``coll.distance_matrix()`` compares every pair of entries by the distance between their 0-dim
persistence diagrams (``lw.diagram_distance``: bottleneck or Wasserstein, gudhi), using the
merge trees the collection keeps (its connectivity); ``lw.mds_embedding`` places the entries in
the plane so that their Euclidean distances approximate that matrix (Torgerson's classical
MDS), for the Gallery's map.

Example:
    >>> import landscape_widgets as lw
    >>> coll = lw.LandscapeCollection()
    >>> for shift in (0.0, 0.5, 2.0):
    ...     f = lambda p, s=shift: ((p**2).sum(1) - 1.0) ** 2 + s * p[:, 0]
    ...     _ = coll.add({"shift": shift}, lw.Landscape.from_function(f, resolution=15))
    >>> dist = coll.distance_matrix(metric="bottleneck")
    >>> dist.ids, bool((dist.matrix == dist.matrix.T).all())
    (('shift=0.0', 'shift=0.5', 'shift=2.0'), True)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .entry import Entry


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def _json_number(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@dataclass(frozen=True, eq=False)
class DistanceMatrix:
    """Pairwise distances between labelled items (entries of a collection).

    Attributes:
        ids: entry ids, the rows' and columns' order.
        labels: readable labels (``"lr=0.1, seed=1"``), same order.
        matrix: ``(n, n)`` symmetric, zero diagonal; +inf where two diagrams have different
            numbers of essential classes (``essential="separate"``).
        settings: how it was computed (metric, order, internal_p, essential, direction).
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    matrix: np.ndarray
    settings: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(str(i) for i in self.ids))
        object.__setattr__(self, "labels", tuple(str(i) for i in self.labels))
        object.__setattr__(self, "matrix", _readonly(self.matrix))
        object.__setattr__(self, "settings", dict(self.settings))
        n = len(self.ids)
        if self.matrix.shape != (n, n) or len(self.labels) != n:
            raise ValueError(f"matrix: expected shape ({n}, {n}) for {n} ids and labels, got "
                             f"{self.matrix.shape} and {len(self.labels)} labels")

    def __len__(self) -> int:
        return len(self.ids)

    def to_json(self) -> dict[str, Any]:
        """Strict-JSON form (inf as null) for the browser views."""
        return {"ids": list(self.ids), "labels": list(self.labels),
                "matrix": [[_json_number(x) for x in row] for row in self.matrix],
                "settings": {k: _json_number(v) if isinstance(v, float) else v
                             for k, v in self.settings.items()}}

    def table(self) -> Any:
        """The matrix as a pandas DataFrame indexed by entry id on both axes (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(np.array(self.matrix), index=pd.Index(self.ids, name="entry"),
                            columns=list(self.ids))

    def embedding(self, dims: int = 2) -> MDSEmbedding:
        """Classical MDS of this matrix (:func:`mds_embedding`)."""
        return mds_embedding(self, dims=dims)


@dataclass(frozen=True, eq=False)
class MDSEmbedding:
    """Points whose Euclidean distances approximate a distance matrix (classical MDS).

    Attributes:
        ids, labels: as in the distance matrix (empty labels for a plain array).
        coords: ``(n, dims)`` coordinates, centred; each axis's sign is fixed so that its
            largest-magnitude coordinate is positive (the same input gives the same picture).
        eigenvalues: ``(n,)`` eigenvalues of the double-centred squared distances, descending;
            negative ones mean the distances are not Euclidean, and their axes are not used.
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    coords: np.ndarray
    eigenvalues: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "coords", _readonly(self.coords))
        object.__setattr__(self, "eigenvalues", _readonly(self.eigenvalues))

    @property
    def explained(self) -> float:
        """Share of the positive eigenvalues' sum carried by the kept axes."""
        positive = self.eigenvalues[self.eigenvalues > 0]
        kept = np.clip(self.eigenvalues[: self.coords.shape[1]], 0, None)
        return float(kept.sum() / positive.sum()) if positive.size else 0.0

    def to_json(self) -> dict[str, Any]:
        """``{"ids", "labels", "coords"}`` as plain lists, for the browser views."""
        return {"ids": list(self.ids), "labels": list(self.labels),
                "coords": self.coords.tolist()}


def mds_embedding(distances: DistanceMatrix | np.ndarray, dims: int = 2) -> MDSEmbedding:
    """Classical (Torgerson) multidimensional scaling: the top ``dims`` eigenvectors of
    ``B = −½ J D² J`` (J the centring matrix), scaled by the square roots of their eigenvalues.
    For distances between points of a ``dims``-dimensional space it recovers the points up to
    a rigid motion.

    Args:
        distances: a :class:`DistanceMatrix` or a square symmetric array with a zero diagonal
            and finite entries.
        dims: number of coordinates (>= 1).

    Example:
        >>> import numpy as np
        >>> d = np.array([[0.0, 3.0, 5.0], [3.0, 0.0, 4.0], [5.0, 4.0, 0.0]])  # a 3-4-5 triangle
        >>> emb = mds_embedding(d)
        >>> round(float(np.linalg.norm(emb.coords[0] - emb.coords[2])), 6)
        5.0
    """
    if isinstance(distances, DistanceMatrix):
        ids, labels, d = distances.ids, distances.labels, np.array(distances.matrix)
    else:
        d = np.array(distances, dtype=np.float64)
        ids = labels = tuple(str(i) for i in range(len(d)))
    if isinstance(dims, bool) or not isinstance(dims, (int, np.integer)) or dims < 1:
        raise ValueError(f"dims: expected an int >= 1, got {dims!r}")
    if d.ndim != 2 or d.shape[0] != d.shape[1] or d.shape[0] == 0:
        raise ValueError(f"distances: expected a non-empty square matrix, got shape {d.shape}")
    if not np.all(np.isfinite(d)):
        raise ValueError("distances: expected finite entries, got inf/NaN (diagrams with "
                         "different numbers of essential classes: use essential='cap' or "
                         "'drop')")
    if not np.allclose(d, d.T) or np.any(np.diag(d) != 0):
        raise ValueError("distances: expected a symmetric matrix with a zero diagonal")
    n = d.shape[0]
    centred = -0.5 * (np.eye(n) - 1.0 / n) @ (d**2) @ (np.eye(n) - 1.0 / n)
    eigenvalues, vectors = np.linalg.eigh((centred + centred.T) / 2)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    coords = np.zeros((n, dims))
    k = min(dims, n)
    coords[:, :k] = vectors[:, :k] * np.sqrt(np.clip(eigenvalues[:k], 0, None))
    for axis in range(k):
        column = coords[:, axis]
        if column[np.argmax(np.abs(column))] < 0:
            coords[:, axis] = -column
    return MDSEmbedding(ids=tuple(ids), labels=tuple(labels), coords=coords,
                        eigenvalues=eigenvalues)


class _CollectionDistances:
    """``distance_matrix`` of :class:`LandscapeCollection` (a mixin; the state lives there)."""

    _settings: dict[str, Any]

    if TYPE_CHECKING:  # pragma: no cover - provided by LandscapeCollection and its key mixin
        def _resolve(self, key: Any) -> Entry: ...
        def __iter__(self) -> Iterator[Entry]: ...

    def distance_matrix(
        self,
        metric: str = "wasserstein",
        order: float = 1.0,
        internal_p: float = np.inf,
        essential: str = "separate",
        direction: str = "sub",
        entries: Iterable[Any] | None = None,
    ) -> DistanceMatrix:
        """Pairwise distances between the entries' 0-dim persistence diagrams.

        Args:
            metric, order, internal_p, essential: as in ``lw.diagram_distance`` (default
                here: the 1-Wasserstein distance with the L∞ ground norm).
            direction: "sub" (the merge trees' minima, the stored trees) or "super" (the
                super-level trees' maxima).
            entries: keys, ids or entries to compare (default: all, in insertion order).

        Returns:
            A :class:`DistanceMatrix` labelled by entry ids; ``.embedding()`` maps it to 2-D.
        """
        from ..topology.distance import _one_distance, check_options, tree_diagram
        from ..topology.tree import check_direction

        order, internal_p = check_options(metric, order, internal_p, essential)
        check_direction(direction)
        chosen = [self._resolve(e) for e in (entries if entries is not None else self)]
        if len(chosen) == 0:
            raise ValueError("distance_matrix: the collection has no entries")
        diagrams = [tree_diagram(self._diagram_tree(e, direction), essential) for e in chosen]
        n = len(chosen)
        matrix = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                matrix[i, j] = matrix[j, i] = _one_distance(
                    diagrams[i], diagrams[j], metric, order, internal_p)
        settings = {"metric": metric, "order": order, "internal_p": internal_p,
                    "essential": essential, "direction": direction,
                    "connectivity": self._settings["connectivity"]}
        return DistanceMatrix(ids=tuple(e.id for e in chosen),
                              labels=tuple(e.label for e in chosen), matrix=matrix,
                              settings=settings)

    def _diagram_tree(self, entry: Any, direction: str) -> Any:
        if direction == "sub":
            return self.tree(entry)  # type: ignore[attr-defined]
        from ..topology import merge_tree

        return merge_tree(self.landscape(entry),  # type: ignore[attr-defined]
                          connectivity=self._settings["connectivity"], direction=direction)
