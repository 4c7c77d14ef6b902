"""Resumable jump-and-retrain: the samples so far and the state at the last finished epoch, in
one ``.npz`` file (arrays) with a JSON header (no pickle anywhere).

What is saved:
- every recorded sample so far (parameters, losses, accuracies) and a ``done`` mask;
- for the trajectory being retrained, the model copy's ``state_dict`` and the optimizer's
  ``state_dict`` as they were at the end of its last finished epoch. Tensors go to npz arrays;
  the optimizer's nested structure (dicts with int keys, tuples, floats) goes to JSON with
  markers, so ``load_state_dict`` gets back exactly what it gave.
- a fingerprint of everything that determines the samples (:mod:`landscape_widgets.io.fingerprint`:
  seeds, steps, epochs, the model's parameters and buffers by hash, the data, the loss, the
  optimizer's class and hyperparameters, projection, device kind...). Resuming another
  computation is an error naming what differs; ``resume=False`` starts over.

Epochs are seeded individually (shuffling, dropout), so restarting at an epoch boundary gives the
same samples as an uninterrupted run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..io.npz_checkpoint import (
    check_fingerprint,
    checkpoint_path,
    read_checkpoint,
    write_checkpoint,
)

FORMAT = "landscape_widgets.trajectory_checkpoint"
VERSION = 1
SAMPLE_FIELDS = ("train_loss", "train_accuracy", "eval_loss", "eval_accuracy")


def _tensor_to_array(t: torch.Tensor) -> tuple[np.ndarray, str]:
    t = t.detach().to("cpu")
    dtype = str(t.dtype).replace("torch.", "")
    if t.dtype in (torch.bfloat16, torch.float16):
        return t.float().numpy(), dtype  # numpy has no bfloat16; cast back on load
    return t.numpy(), dtype


def encode_state(obj: Any, arrays: dict[str, np.ndarray], prefix: str) -> Any:
    """JSON-ready copy of ``obj`` with tensors moved to ``arrays`` (keys ``prefix<i>``)."""
    if isinstance(obj, torch.Tensor):
        key = f"{prefix}{len([k for k in arrays if k.startswith(prefix)])}"
        arr, dtype = _tensor_to_array(obj)
        arrays[key] = arr
        return {"__tensor__": key, "dtype": dtype}
    if isinstance(obj, Mapping):
        return {"__dict__": [[encode_state(k, arrays, prefix), encode_state(v, arrays, prefix)]
                             for k, v in obj.items()]}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode_state(v, arrays, prefix) for v in obj]}
    if isinstance(obj, list):
        return [encode_state(v, arrays, prefix) for v in obj]
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (np.integer, np.floating, np.bool_)):
        return obj.item()
    raise TypeError(
        f"checkpoint: cannot store a {type(obj).__name__} from the optimizer state without "
        "pickle; use checkpoint=None"
    )


def decode_state(obj: Any, arrays: Mapping[str, np.ndarray]) -> Any:
    if isinstance(obj, dict):
        if "__tensor__" in obj:
            arr = np.array(arrays[obj["__tensor__"]])
            return torch.from_numpy(arr).to(getattr(torch, obj["dtype"]))
        if "__dict__" in obj:
            return {decode_state(k, arrays): decode_state(v, arrays) for k, v in obj["__dict__"]}
        if "__tuple__" in obj:
            return tuple(decode_state(v, arrays) for v in obj["__tuple__"])
    if isinstance(obj, list):
        return [decode_state(v, arrays) for v in obj]
    return obj


@dataclass
class TrajectoryCheckpoint:
    """Samples so far plus the state of the trajectory in progress, tied to a file."""

    path: Path | None
    fingerprint: dict[str, Any]
    params: np.ndarray  # (n, k) float32
    metrics: dict[str, np.ndarray]  # SAMPLE_FIELDS -> (n,) float64
    done: np.ndarray  # (n,) bool
    optimizer: str | None = None
    # the trajectory in progress: (trajectory id, last finished epoch, model state, opt state)
    resume: dict[str, Any] | None = None
    _dirty: bool = field(default=False, repr=False)

    @classmethod
    def fresh(cls, path: Path | None, fingerprint: dict[str, Any], n: int, k: int
              ) -> TrajectoryCheckpoint:
        metrics = {f: np.full(n, np.nan) for f in SAMPLE_FIELDS}
        return cls(path, dict(fingerprint), np.zeros((n, k), np.float32), metrics,
                   np.zeros(n, bool))

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None, fingerprint: dict[str, Any], n: int,
             k: int, resume: bool = True) -> TrajectoryCheckpoint:
        """Load ``path`` if it exists (refused unless its fingerprint is ours), else start
        empty; ``resume=False`` starts empty over an existing checkpoint of ours."""
        if path is None:
            return cls.fresh(None, fingerprint, n, k)
        path = checkpoint_path(path)
        found = read_checkpoint(path, FORMAT, VERSION, "a checkpoint written by jump_and_retrain")
        if found is None or not resume:
            return cls.fresh(path, fingerprint, n, k)
        meta, arrays = found
        shape = arrays["params"].shape if "params" in arrays else None
        check_fingerprint(
            path, fingerprint, meta.get("fingerprint", {}),
            None if shape == (n, k) else f"samples: this run {(n, k)}, file {shape}",
        )
        ck = cls(path, dict(fingerprint), arrays["params"].astype(np.float32),
                 {f: arrays[f].astype(np.float64) for f in SAMPLE_FIELDS},
                 arrays["done"].astype(bool), meta.get("optimizer"))
        if meta.get("resume") is not None:
            r = meta["resume"]
            ck.resume = {
                "trajectory": int(r["trajectory"]),
                "epoch": int(r["epoch"]),
                "model": decode_state(r["model"], arrays),
                "optimizer": decode_state(r["optimizer"], arrays),
            }
        return ck

    def record(self, index: int, params: np.ndarray, metrics: Mapping[str, float]) -> None:
        self.params[index] = params
        for f in SAMPLE_FIELDS:
            self.metrics[f][index] = metrics[f]
        self.done[index] = True
        self._dirty = True

    def set_resume(self, state: dict[str, Any] | None) -> None:
        self.resume = state
        self._dirty = True

    def save(self) -> None:
        """Write atomically (temporary file + rename): an interrupt never leaves half a file."""
        if self.path is None or not self._dirty:
            return
        arrays: dict[str, np.ndarray] = {"params": self.params, "done": self.done,
                                         **self.metrics}
        resume = None
        if self.resume is not None:
            resume = {
                "trajectory": self.resume["trajectory"],
                "epoch": self.resume["epoch"],
                "model": encode_state(self.resume["model"], arrays, "model_"),
                "optimizer": encode_state(self.resume["optimizer"], arrays, "opt_"),
            }
        meta = {"format": FORMAT, "version": VERSION, "fingerprint": self.fingerprint,
                "optimizer": self.optimizer, "resume": resume}
        write_checkpoint(self.path, meta, arrays)
        self._dirty = False
