"""The result of jump-and-retrain sampling: :class:`Trajectories` and its ``.npz`` format.

Recorded parameters (float32, possibly CountSketch-projected) and per-sample metrics, saved and
loaded without pickle. numpy only: torch is not needed to load saved trajectories. Split from
``sampling.py``; everything here is re-exported there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..io.atomic import write_npz_atomic
from ..io.bounded import FileFormatError, check_version, npz_json, read_npz
from ._checkpoint import SAMPLE_FIELDS

FORMAT = "landscape_widgets.trajectories"
VERSION = 1
METRIC_NAMES = SAMPLE_FIELDS  # train_loss, train_accuracy, eval_loss, eval_accuracy


def _readonly(a: Any, dtype: Any) -> np.ndarray:
    arr = np.array(a, dtype=dtype, copy=True)
    arr = np.ascontiguousarray(arr)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Trajectories:
    """Samples of jump-and-retrain trajectories (one row per recorded epoch).

    Attributes:
        params: ``(n_samples, dims)`` float32 parameters (CountSketch-projected when
            ``projection["kind"] == "countsketch"``), rows in sample order.
        train_loss, train_accuracy, eval_loss, eval_accuracy: ``(n_samples,)`` float64;
            accuracy is NaN when the task is not classification, eval metrics NaN without
            ``eval_data``.
        seed, step_size, epoch, trajectory: ``(n_samples,)`` bookkeeping; ``epoch`` 0 is the
            jump point itself, ``trajectory`` the id ``seed_index * len(step_sizes) + step_index``.
        center: ``(dims,)`` float32 θ₀ (projected like the samples).
        center_metrics: train/eval loss and accuracy at θ₀.
        jump_norms: ``(len(seeds),)`` ‖v̄ₛ‖ of each seed's filter-normalized direction in the
            full parameter space (the jump of step c has length c·‖v̄ₛ‖).
        seeds, step_sizes, epochs, record_jump: the run's layout.
        projection: ``{"kind": "none" | "countsketch", "n_params", "dims", "seed"}``.
        meta: JSON-ready details (normalization, optimizer, batch size, data sizes...).

    Example:
        >>> import numpy as np
        >>> t = Trajectories(params=np.zeros((4, 3)), train_loss=np.arange(4.0),
        ...                  seed=[0, 0, 0, 0], step_size=[1, 1, 2, 2], epoch=[0, 1, 0, 1])
        >>> t.n_trajectories, t.jump_start.tolist()
        (2, [True, False, True, False])
    """

    params: np.ndarray
    train_loss: np.ndarray
    seed: np.ndarray
    step_size: np.ndarray
    epoch: np.ndarray
    train_accuracy: np.ndarray | None = None
    eval_loss: np.ndarray | None = None
    eval_accuracy: np.ndarray | None = None
    trajectory: np.ndarray | None = None
    center: np.ndarray | None = None
    center_metrics: Mapping[str, float] = field(default_factory=dict)
    jump_norms: np.ndarray | None = None
    seeds: tuple[int, ...] = ()
    step_sizes: tuple[float, ...] = ()
    epochs: int = 0
    record_jump: bool = True
    projection: Mapping[str, Any] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        params = np.asarray(self.params)
        if params.ndim != 2 or params.shape[0] == 0:
            raise ValueError(
                f"params: expected a non-empty (n_samples, dims) array, got shape {params.shape}"
            )
        n = params.shape[0]
        object.__setattr__(self, "params", _readonly(params, np.float32))
        for name in METRIC_NAMES:
            value = getattr(self, name)
            arr = np.full(n, np.nan) if value is None else np.asarray(value, dtype=np.float64)
            if arr.shape != (n,):
                raise ValueError(f"{name}: expected shape ({n},), got {arr.shape}")
            object.__setattr__(self, name, _readonly(arr, np.float64))
        for name, dtype in (("seed", np.int64), ("step_size", np.float64), ("epoch", np.int64)):
            arr = np.asarray(getattr(self, name), dtype=dtype)
            if arr.shape != (n,):
                raise ValueError(f"{name}: expected shape ({n},), got {arr.shape}")
            object.__setattr__(self, name, _readonly(arr, dtype))
        if self.trajectory is None:
            # consecutive runs of equal (seed, step) are one trajectory
            new = np.ones(n, bool)
            new[1:] = ((self.seed[1:] != self.seed[:-1])
                       | (self.step_size[1:] != self.step_size[:-1]))
            traj = np.cumsum(new) - 1
        else:
            traj = np.asarray(self.trajectory, dtype=np.int64)
            if traj.shape != (n,):
                raise ValueError(f"trajectory: expected shape ({n},), got {traj.shape}")
        object.__setattr__(self, "trajectory", _readonly(traj, np.int64))
        if self.center is not None:
            center = np.asarray(self.center).reshape(-1)
            if center.shape != (params.shape[1],):
                raise ValueError(
                    f"center: expected shape ({params.shape[1]},), got {center.shape}"
                )
            object.__setattr__(self, "center", _readonly(center, np.float32))
        if self.jump_norms is not None:
            object.__setattr__(self, "jump_norms", _readonly(self.jump_norms, np.float64))
        if not self.seeds:
            object.__setattr__(self, "seeds", tuple(int(s) for s in dict.fromkeys(self.seed)))
        if not self.step_sizes:
            steps = tuple(float(c) for c in dict.fromkeys(self.step_size))
            object.__setattr__(self, "step_sizes", steps)
        if not self.epochs:
            object.__setattr__(self, "epochs", int(self.epoch.max()))
        object.__setattr__(self, "center_metrics", dict(self.center_metrics))
        object.__setattr__(self, "projection", dict(self.projection))
        object.__setattr__(self, "meta", dict(self.meta))

    @property
    def _trajectory_ids(self) -> np.ndarray:
        # always set by __post_init__ (derived from seed and step when not given)
        assert self.trajectory is not None
        return self.trajectory

    @property
    def n_samples(self) -> int:
        return int(self.params.shape[0])

    @property
    def dims(self) -> int:
        return int(self.params.shape[1])

    @property
    def n_trajectories(self) -> int:
        return int(self._trajectory_ids.max()) + 1

    @property
    def has_eval(self) -> bool:
        return bool(np.isfinite(self.metric("eval_loss")).any())  # NaN-filled when absent

    @property
    def jump_start(self) -> np.ndarray:
        """``(n_samples,)`` bool: the first sample of each trajectory (the jump point itself
        when ``record_jump``, else the state after the first retraining epoch)."""
        out = np.ones(self.n_samples, bool)
        ids = self._trajectory_ids
        out[1:] = ids[1:] != ids[:-1]
        return out

    def metric(self, name: str) -> np.ndarray:
        """One of ``train_loss``, ``train_accuracy``, ``eval_loss``, ``eval_accuracy``."""
        if name not in METRIC_NAMES:
            raise ValueError(f"metric: expected one of {METRIC_NAMES}, got {name!r}")
        return getattr(self, name)

    def trajectory_indices(self, trajectory: int) -> np.ndarray:
        """Sample indices of one trajectory, in epoch order."""
        return np.flatnonzero(self.trajectory == int(trajectory))

    # ------------------------------------------------------------------ save / load (no pickle)
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write an ``.npz`` file (arrays + one JSON header; loads with ``allow_pickle=False``)."""
        path = Path(path)
        if path.suffix != ".npz":
            raise ValueError(f"path: expected a file name ending in '.npz', got {str(path)!r}")
        header = {
            "format": FORMAT, "version": VERSION, "seeds": list(self.seeds),
            "step_sizes": list(self.step_sizes), "epochs": self.epochs,
            "record_jump": self.record_jump, "projection": self.projection, "meta": self.meta,
            "center_metrics": self.center_metrics,
        }
        arrays: dict[str, np.ndarray] = {
            name: getattr(self, name)
            for name in ("params", *METRIC_NAMES, "seed", "step_size", "epoch", "trajectory")
        }
        if self.center is not None:
            arrays["center"] = self.center
        if self.jump_norms is not None:
            arrays["jump_norms"] = self.jump_norms
        write_npz_atomic(path, {"header": np.array(json.dumps(header)), **arrays})
        return path

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Trajectories:
        """Read a file written by :meth:`save` (untrusted input: sizes are checked before
        anything is allocated, see ``landscape_widgets.io.bounded``)."""
        path = Path(path)
        what = "a Trajectories file"
        arrays = read_npz(path, what=what)
        header = npz_json(arrays, "header", path, what)
        del arrays["header"]
        if header.get("format") != FORMAT:
            raise FileFormatError(
                f"{str(path)!r}: not a Trajectories file ({header.get('format')!r})")
        check_version(header.get("version"), (VERSION,), path, what)
        try:
            return cls(
                **arrays,
                center_metrics=header["center_metrics"], seeds=tuple(header["seeds"]),
                step_sizes=tuple(header["step_sizes"]), epochs=int(header["epochs"]),
                record_jump=bool(header["record_jump"]), projection=header["projection"],
                meta=header["meta"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise FileFormatError(f"{str(path)!r}: expected {what}, could not rebuild it "
                                  f"({type(exc).__name__}: {exc})") from exc

    def __repr__(self) -> str:
        return (
            f"Trajectories(n_samples={self.n_samples}, dims={self.dims}, seeds={list(self.seeds)}, "
            f"step_sizes={list(self.step_sizes)}, epochs={self.epochs}, "
            f"record_jump={self.record_jump}, projection={self.projection.get('kind', 'none')!r})"
        )

