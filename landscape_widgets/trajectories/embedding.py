"""2-D embeddings of sampled parameters: PHATE with cosine distance (Horoi et al. §3.2), and PCA
for comparison.

PHATE (Moon et al. 2019; PyPI ``phate``, imported only when called, since it brings matplotlib,
graphtools and numba) builds an α-decaying kNN kernel, row-normalizes it into a diffusion
operator P, raises it to the power t, takes the potential −log(Pᵗ) and embeds the potential
distances by metric MDS. The paper's variant uses cosine distance for both the kernel
(``knn_dist``) and the MDS (``mds_dist``); so do we by default.

Choices made consciously:

- ``n_landmark``: PHATE silently switches to *landmark* PHATE (spectral clusters as landmarks, the
  potential interpolated back) as soon as there are more than ``n_landmark`` = 2,000 points. Here
  ``n_landmark="auto"`` keeps exact PHATE up to ``exact_limit`` samples (5,000; its cost is
  O(n²) memory and O(n³) time: dense n×n operator powers and an eigen-decomposition for t) and
  uses 2,000 landmarks above. Pass an int to force landmarks, None to force exact. The choice
  made is recorded in ``Embedding.n_landmark`` (None = exact).
- ``t``: "auto" (PHATE's knee of the von Neumann entropy, which costs an extra eigen-
  decomposition) or a fixed int; the value used is recorded in ``Embedding.t``.
- ``n_pca``: PHATE first reduces the data to 100 principal components (its default, as in the
  paper's scripts; capped at n_samples − 1 here, where PHATE would silently skip the PCA). That
  PCA *centres* the data, so the cosine kernel then measures angles about the samples' mean, not
  about the origin of parameter space (with ``dims <= n_pca`` PHATE skips the PCA).
  ``n_pca=None`` applies the cosine to the raw parameter vectors instead (all samples share θ₀'s
  direction there, so angles are tiny and the kernel is nearly uninformative).
- ``random_state`` fixes PHATE's randomized PCA, landmarks and MDS: same input, same embedding.

Example:
    >>> import numpy as np
    >>> emb = pca_embedding(np.random.default_rng(0).normal(size=(50, 10)))
    >>> emb.coords.shape, emb.method
    ((50, 2), 'pca')
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

EXACT_LIMIT = 5_000
DEFAULT_LANDMARKS = 2_000


def _readonly(a: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    arr = np.ascontiguousarray(np.array(a, dtype=np.float64, copy=True))
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Embedding:
    """Low-dimensional coordinates of the samples (row i <-> sample i).

    Attributes:
        coords: ``(n_samples, n_components)`` float64.
        method: "phate" or "pca".
        potential: PHATE's diffusion potential, ``(n_samples, m)`` (m = n_samples for exact
            PHATE, the number of landmarks otherwise, interpolated to every sample); None for
            PCA. The topology stage measures distances between its rows.
        t: the diffusion time used (PHATE).
        n_landmark: landmarks used, or None for exact PHATE.
        explained_variance_ratio: per component (PCA).
        params: the settings, JSON-ready.
    """

    coords: np.ndarray
    method: str
    potential: np.ndarray | None = None
    t: int | None = None
    n_landmark: int | None = None
    explained_variance_ratio: np.ndarray | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        coords = np.asarray(self.coords, dtype=np.float64)
        if coords.ndim != 2 or coords.shape[0] == 0:
            raise ValueError(f"coords: expected an (n_samples, k) array, got {coords.shape}")
        object.__setattr__(self, "coords", _readonly(coords))
        if self.potential is not None:
            pot = np.asarray(self.potential, dtype=np.float64)
            if pot.ndim != 2 or pot.shape[0] != coords.shape[0]:
                raise ValueError(
                    f"potential: expected ({coords.shape[0]}, m), got shape {pot.shape}"
                )
            object.__setattr__(self, "potential", _readonly(pot))
        object.__setattr__(self, "explained_variance_ratio",
                           _readonly(self.explained_variance_ratio))
        object.__setattr__(self, "params", dict(self.params))

    @property
    def n_samples(self) -> int:
        return int(self.coords.shape[0])

    def __repr__(self) -> str:
        extra = f", t={self.t}, n_landmark={self.n_landmark}" if self.method == "phate" else ""
        return f"Embedding(method={self.method!r}, n_samples={self.n_samples}{extra})"


def sample_matrix(data: Any) -> np.ndarray:
    """The ``(n_samples, dims)`` parameter matrix of a ``Trajectories`` or an array."""
    x = np.asarray(getattr(data, "params", data))
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        raise ValueError(
            f"data: expected Trajectories or an (n_samples >= 2, dims) array, got shape {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("data: expected finite parameters, got NaN or inf (a diverged run?)")
    return x


def resolve_landmarks(n_samples: int, n_landmark: int | str | None,
                      exact_limit: int = EXACT_LIMIT) -> int | None:
    """The number of landmarks to use (None = exact PHATE).

    Example:
        >>> resolve_landmarks(640, "auto"), resolve_landmarks(9000, "auto")
        (None, 2000)
    """
    if n_landmark == "auto":
        return None if n_samples <= exact_limit else min(DEFAULT_LANDMARKS, n_samples)
    if n_landmark is None:
        return None
    if isinstance(n_landmark, bool) or not isinstance(n_landmark, (int, np.integer)) or \
            n_landmark < 2:
        raise ValueError(f"n_landmark: expected 'auto', None or an int >= 2, got {n_landmark!r}")
    return None if n_landmark >= n_samples else int(n_landmark)


@contextlib.contextmanager
def _quiet_phate() -> Iterator[None]:
    """Silence PHATE's log (tasklogger handlers hold the real stdout, so redirecting sys.stdout
    is not enough); its warnings (e.g. "SGD-MDS may not have converged") become Python
    RuntimeWarnings, which callers can filter."""
    import logging

    import tasklogger

    buffer = io.StringIO()
    handlers = [h for h in tasklogger.get_tasklogger("graphtools").logger.handlers
                if isinstance(h, logging.StreamHandler)]
    old = [h.setStream(buffer) for h in handlers]
    try:
        with contextlib.redirect_stdout(buffer):
            yield
    finally:
        for h, stream in zip(handlers, old):
            h.setStream(stream)
    for line in buffer.getvalue().splitlines():
        if "converge" in line or "arning" in line:
            warnings.warn(f"PHATE: {line.strip()}", RuntimeWarning, stacklevel=3)


def phate_embedding(
    data: Any,
    n_components: int = 2,
    *,
    knn: int = 5,
    decay: float | None = 40,
    t: int | str = "auto",
    knn_dist: str = "cosine",
    mds_dist: str = "cosine",
    n_landmark: int | str | None = "auto",
    exact_limit: int = EXACT_LIMIT,
    n_pca: int | None = 100,
    gamma: float = 1.0,
    mds_solver: str = "sgd",
    random_state: int = 0,
    n_jobs: int = 1,
    verbose: bool = False,
) -> Embedding:
    """PHATE embedding of the samples (cosine kernel and MDS by default, as in the paper).

    Args:
        data: ``Trajectories`` or an ``(n_samples, dims)`` array.
        n_components: embedding dimension.
        knn, decay, gamma, n_pca, mds_solver: PHATE's (defaults as PHATE 2.0).
        t: diffusion time: "auto" (von Neumann entropy knee) or an int >= 1.
        knn_dist, mds_dist: distances of the kernel and of the MDS.
        n_landmark: "auto" (exact up to ``exact_limit`` samples, 2,000 landmarks above), None
            (always exact) or an int (landmarks; exact if it is >= n_samples).
        random_state: seed of PHATE's randomized steps.
        verbose: let PHATE print its progress log.

    Raises:
        ValueError: for non-finite samples, fewer than 2 samples or bad settings.
    """
    x = sample_matrix(data)
    if t != "auto" and (isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 1):
        raise ValueError(f"t: expected 'auto' or an int >= 1, got {t!r}")
    if isinstance(knn, bool) or not isinstance(knn, (int, np.integer)) or knn < 1:
        raise ValueError(f"knn: expected a positive int, got {knn!r}")
    landmarks = resolve_landmarks(x.shape[0], n_landmark, exact_limit)
    knn = min(int(knn), x.shape[0] - 1)
    if n_pca is not None:
        # PHATE skips its PCA when n_pca >= n_samples; capping keeps the same (centred) kernel
        n_pca = max(1, min(int(n_pca), x.shape[0] - 1))
    import phate

    # PHATE's own annotations are narrower than what it accepts (t="auto", float gamma)
    phate_cls: Any = phate.PHATE
    op = phate_cls(
        n_components=n_components, knn=knn, decay=decay, t=t, gamma=gamma, n_pca=n_pca,
        knn_dist=knn_dist, mds_dist=mds_dist, mds_solver=mds_solver,
        n_landmark=landmarks, random_state=random_state, n_jobs=n_jobs,
        verbose=1 if verbose else 0,
    )
    with contextlib.nullcontext() if verbose else _quiet_phate():
        coords = op.fit_transform(x)
        potential = op.diff_potential
    used_t = int(op.optimal_t) if t == "auto" else int(t)
    return Embedding(
        coords=np.asarray(coords), method="phate", potential=np.asarray(potential),
        t=used_t, n_landmark=landmarks,
        params={"knn": knn, "decay": decay, "t": t if t == "auto" else int(t), "gamma": gamma,
                "knn_dist": knn_dist, "mds_dist": mds_dist, "n_pca": n_pca,
                "mds_solver": mds_solver, "random_state": random_state,
                "n_landmark": n_landmark if n_landmark is None or n_landmark == "auto"
                else int(n_landmark), "exact_limit": exact_limit,
                "phate_version": getattr(phate, "__version__", None)},
    )


def pca_embedding(data: Any, n_components: int = 2, *, random_state: int = 0) -> Embedding:
    """Linear comparison: the samples' top principal components (centred; signs fixed so the
    largest-magnitude coordinate of each component is positive).

    Exact SVD when the smaller side of the matrix is at most 2,000, randomized SVD
    (scikit-learn, seeded) above.
    """
    x = sample_matrix(data)
    n, d = x.shape
    # float64 while the copy stays small (<= 400 MB), float32 above
    x = x.astype(np.float64 if n * d <= 50_000_000 else np.float32)
    k = int(n_components)
    if not 1 <= k <= min(n, d):
        raise ValueError(f"n_components: expected 1..{min(n, d)}, got {n_components!r}")
    xc = x - x.mean(axis=0, keepdims=True)
    total = float((xc.astype(np.float64) ** 2).sum())
    if min(n, d) <= 2_000:
        u, s, _ = np.linalg.svd(xc, full_matrices=False)
    else:
        from sklearn.utils.extmath import randomized_svd

        svd: Any = randomized_svd  # its stub types n_iter as str ("auto") only
        u, s, _ = svd(xc, k, n_iter=7, random_state=random_state)
    coords = (u[:, :k] * s[:k]).astype(np.float64)
    flip = np.sign(coords[np.abs(coords).argmax(axis=0), np.arange(k)])
    coords *= np.where(flip == 0, 1.0, flip)
    ratio = (s[:k].astype(np.float64) ** 2) / total if total > 0 else np.zeros(k)
    return Embedding(coords=coords, method="pca", explained_variance_ratio=ratio,
                     params={"n_components": k, "random_state": random_state})
