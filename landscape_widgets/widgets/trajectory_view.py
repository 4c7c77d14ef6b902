"""TrajectoryView: jump-and-retrain trajectories in a 2-D embedding, linked to the persistence
diagrams of the loss on their kNN graph (Horoi et al. 2022, Figs. 2 and 3).

Left: the embedding (PHATE or PCA). Each trajectory is a path through its samples in epoch order;
its first sample (the jump point) is a diamond. A dropdown colours the samples by training loss
(log₁₀), evaluation loss (log₁₀, when recorded), seed, step size or epoch. Right: D₀ (circles) and
D₁ (triangles) of the sublevel filtration; essential classes sit on the dashed "∞" line. Pairs
that share their birth and death samples (a 1-complex gives many D₁ classes born at one sample)
are drawn once, sized by their number.

Linking:
- click a diagram point: its birth sample and death sample are ringed in the embedding (and
  joined by a dashed line); ``pair`` becomes ``[degree, index]`` (the row in
  ``diagrams.d0``/``d1``) and ``selection.point`` the birth sample;
- click a sample: ``selection.point`` becomes its index, and the diagram points born or dying
  there light up;
- ``selection.point`` set from Python (or by another view sharing the Selection) does the same.
  In this view ``point`` is a *sample index* (row of ``traj.params``); ``basins`` is not used.

All of it runs in the browser, so a static HTML export (``to_html``) keeps the linking and the
colour dropdown.

Example:
    >>> import landscape_widgets as lw  # doctest: +SKIP
    >>> emb = lw.phate_embedding(traj)  # doctest: +SKIP
    >>> pers = lw.trajectory_topology(emb, traj.train_loss)  # doctest: +SKIP
    >>> view = lw.TrajectoryView(traj, emb, pers)  # doctest: +SKIP
    >>> view.selection.observe(lambda c: print(c["new"]), names="point")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import traitlets

from ..io.wire import to_wire
from ._base import BaseView

if TYPE_CHECKING:  # pragma: no cover - types only; keeps the widgets free of torch
    from ..trajectories import Embedding, GraphPersistence, Trajectories

COLOR_MODES = ("loss", "eval_loss", "seed", "step", "epoch")


def _check_trajectories(traj: Any) -> int:
    needed = ("params", "train_loss", "eval_loss", "seed", "step_size", "epoch", "trajectory")
    missing = [name for name in needed if not hasattr(traj, name)]
    if missing:
        raise TypeError(
            "TrajectoryView: expected Trajectories (lw.jump_and_retrain), got "
            f"{type(traj).__name__} without {', '.join(missing)}"
        )
    return int(np.shape(traj.train_loss)[0])


def _coords(embedding: Any, n: int) -> np.ndarray:
    coords = getattr(embedding, "coords", embedding)
    try:
        xy = np.asarray(coords, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            "TrajectoryView: expected an Embedding (lw.phate_embedding / lw.pca_embedding) or an "
            f"(n_samples, 2) array, got {type(embedding).__name__}"
        ) from exc
    if xy.ndim != 2 or xy.shape[0] != n or xy.shape[1] < 2:
        raise ValueError(
            f"TrajectoryView: the embedding has shape {xy.shape}; expected ({n}, 2) (one row per "
            "sample of the trajectories)"
        )
    if not np.all(np.isfinite(xy[:, :2])):
        raise ValueError("TrajectoryView: the embedding has NaN or inf coordinates")
    return xy[:, :2]


def _value_label(traj: Any, values: np.ndarray) -> str:
    for name, label in (("train_loss", "train loss"), ("eval_loss", "eval loss")):
        arr = np.asarray(getattr(traj, name), dtype=np.float64)
        if arr.shape == values.shape and np.array_equal(arr, values):
            return label
    return "value"


def diagram_payload(diagrams: Any, n: int) -> dict[str, Any]:
    """One drawn point per distinct (degree, birth sample, death sample), with its count."""
    needed = ("d0", "d1", "d0_vertices", "d1_vertices", "values")
    missing = [name for name in needed if not hasattr(diagrams, name)]
    if missing:
        raise TypeError(
            "TrajectoryView: expected GraphPersistence (lw.trajectory_topology) as diagrams, got "
            f"{type(diagrams).__name__} without {', '.join(missing)}"
        )
    values = np.asarray(diagrams.values, dtype=np.float64)
    if values.shape != (n,):
        raise ValueError(
            f"TrajectoryView: the diagrams are of a graph with {values.shape[0]} vertices, the "
            f"trajectories have {n} samples"
        )
    cols: dict[str, list] = {k: [] for k in ("dim", "birth", "death", "bv", "dv", "count",
                                            "index")}
    group_of = {0: np.zeros(0, np.int64), 1: np.zeros(0, np.int64)}
    n_groups = 0
    for dim in (0, 1):
        d = np.asarray(getattr(diagrams, f"d{dim}"), dtype=np.float64).reshape(-1, 2)
        v = np.asarray(getattr(diagrams, f"d{dim}_vertices"), dtype=np.int64).reshape(-1, 2)
        if len(d) == 0:
            continue
        _, first, inverse, counts = np.unique(v, axis=0, return_index=True,
                                              return_inverse=True, return_counts=True)
        order = np.argsort(first)  # groups in the order of their first pair
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        group_of[dim] = n_groups + rank[np.asarray(inverse).reshape(-1)]
        n_groups += len(order)
        first, counts = first[order], counts[order]
        cols["dim"].append(np.full(len(first), dim))
        cols["birth"].append(d[first, 0])
        cols["death"].append(d[first, 1])
        cols["bv"].append(v[first, 0])
        cols["dv"].append(v[first, 1])
        cols["count"].append(counts)
        cols["index"].append(first)
    arrays = {k: (np.concatenate(c) if c else np.zeros(0)) for k, c in cols.items()}
    total: Any = getattr(diagrams, "total_persistence", None)
    totals = [float(total(0)), float(total(1))] if total is not None else None
    return {
        "dim": to_wire(arrays["dim"], "int32"),
        "birth": to_wire(arrays["birth"], "float64"),
        "death": to_wire(arrays["death"], "float64"),  # inf for essential classes
        "birth_vertex": to_wire(arrays["bv"], "int32"),
        "death_vertex": to_wire(arrays["dv"], "int32"),
        "count": to_wire(arrays["count"], "int32"),
        "index": to_wire(arrays["index"], "int32"),  # first pair of each drawn point
        "group_of0": to_wire(group_of[0], "int32"),  # pair index -> drawn point
        "group_of1": to_wire(group_of[1], "int32"),
        "value_min": float(values.min()),
        "value_max": float(values.max()),
        "n_pairs": [int(len(diagrams.d0)), int(len(diagrams.d1))],
        "total_persistence": totals,
        "complex": str(getattr(diagrams, "complex", "graph")),
    }


class TrajectoryView(BaseView):
    """Trajectories in a 2-D embedding, linked to the D₀/D₁ persistence diagrams.

    Args:
        traj: ``Trajectories`` from ``lw.jump_and_retrain``.
        embedding: an ``Embedding`` (``lw.phate_embedding`` / ``lw.pca_embedding``) or an
            ``(n_samples, 2)`` array of coordinates.
        diagrams: ``GraphPersistence`` (``lw.trajectory_topology``) of the same samples, or
            None for the embedding alone.
        color_by: "loss" (train loss, log₁₀), "eval_loss" (log₁₀), "seed", "step" or "epoch".
        log_diagram: draw the diagram on log₁₀ axes (when every value is positive).
        selection: a shared ``Selection``; ``point`` is a sample index here.
        width, height: size in CSS pixels (both panels).

    Traits (synced): ``color_by``, ``log_diagram``, ``pair`` (``[degree, index]`` of the selected
    diagram pair or ``[]``), ``method`` (read-only: "phate", "pca" or "custom"), and those of
    ``BaseView``.

    Raises:
        TypeError: for inputs of the wrong kind or unknown keyword arguments.
        ValueError: when the sizes of the inputs disagree.
    """

    _bundle: ClassVar[str] = "trajectory_view"
    _options: ClassVar[set[str]] = {"color_by", "log_diagram"}

    color_by = traitlets.Unicode("loss", help=f"sample colours: one of {COLOR_MODES}").tag(
        sync=True
    )
    pair = traitlets.List(traitlets.Int(), help="selected diagram pair [degree, index] or []").tag(
        sync=True
    )
    log_diagram = traitlets.Bool(False, help="log10 axes in the diagram (positive values)").tag(
        sync=True
    )
    method = traitlets.Unicode("custom", read_only=True, help="embedding method").tag(sync=True)

    def __init__(
        self,
        traj: Trajectories,
        embedding: Embedding | np.ndarray,
        diagrams: GraphPersistence | None = None,
        **kwargs: Any,
    ) -> None:
        n = _check_trajectories(traj)
        xy = _coords(embedding, n)
        kwargs.setdefault("width", 780)
        kwargs.setdefault("height", 360)
        self.trajectories, self.embedding, self.diagrams = traj, embedding, diagrams
        train = np.asarray(traj.train_loss, dtype=np.float64)
        evals = np.asarray(traj.eval_loss, dtype=np.float64)
        seeds = [int(s) for s in dict.fromkeys(np.asarray(traj.seed).tolist())]
        steps = [float(c) for c in dict.fromkeys(np.asarray(traj.step_size).tolist())]
        samples = {
            "x": to_wire(xy[:, 0], "float32"),
            "y": to_wire(xy[:, 1], "float32"),
            "loss": to_wire(train, "float32"),
            "eval_loss": to_wire(evals, "float32"),
            "seed": to_wire(np.asarray(traj.seed), "int32"),
            "step": to_wire(np.asarray(traj.step_size), "float32"),
            "epoch": to_wire(np.asarray(traj.epoch), "int32"),
            "trajectory": to_wire(np.asarray(traj.trajectory), "int32"),
        }
        data: dict[str, Any] = {
            "samples": samples, "seeds": seeds, "steps": steps,
            "has_eval": bool(np.isfinite(evals).any()),
            "method": str(getattr(embedding, "method", "custom")),
        }
        if diagrams is not None:
            data["diagram"] = diagram_payload(diagrams, n)
            data["value_label"] = _value_label(traj, np.asarray(diagrams.values, np.float64))
        if kwargs.get("color_by") == "eval_loss" and not data["has_eval"]:
            raise ValueError("TrajectoryView: color_by='eval_loss' needs trajectories with "
                             "eval_data")
        self._n = n
        self._diagram_sizes = (
            (len(diagrams.d0), len(diagrams.d1)) if diagrams is not None else (0, 0)
        )
        super().__init__(**kwargs)
        self.set_trait("method", data["method"])
        self._data = data

    @traitlets.validate("color_by")
    def _valid_color(self, proposal: dict[str, Any]) -> str:
        if proposal["value"] not in COLOR_MODES:
            raise traitlets.TraitError(
                f"color_by: expected one of {COLOR_MODES}, got {proposal['value']!r}"
            )
        return proposal["value"]

    @traitlets.validate("pair")
    def _valid_pair(self, proposal: dict[str, Any]) -> list[int]:
        pair = list(proposal["value"])
        if not pair:
            return pair
        sizes = getattr(self, "_diagram_sizes", (0, 0))
        if len(pair) != 2 or pair[0] not in (0, 1) or not 0 <= pair[1] < sizes[pair[0]]:
            raise traitlets.TraitError(
                f"pair: expected [degree (0 or 1), index < {list(sizes)}[degree]] or [], got {pair}"
            )
        return pair

    def pair_samples(self) -> tuple[int, int] | None:
        """(birth sample, death sample) of the selected pair (death −1 when essential)."""
        if not self.pair or self.diagrams is None:
            return None
        dim, index = self.pair
        v = np.asarray(getattr(self.diagrams, f"d{dim}_vertices"))[index]
        return int(v[0]), int(v[1])

    def __repr__(self) -> str:
        return (
            f"TrajectoryView(n_samples={self._n}, method={self.method!r}, "
            f"color_by={self.color_by!r}, selection={self.selection!r})"
        )
