"""Resumable sampling: finished grid points are saved to an ``.npz`` file (no pickle).

The file holds the flat values, a ``done`` mask and a JSON fingerprint of everything that
determines the values (grid, dtype, model weights and directions by hash, loss, data size and
centre loss). A run with the same arguments continues where the last one stopped; a run with
different ones gets a clear error instead of a silently mixed landscape.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

FORMAT = "landscape_widgets.grid_checkpoint"
VERSION = 1


def tensor_digest(tensors: Iterable[tuple[str, torch.Tensor]]) -> str:
    """SHA-256 over names, shapes, dtypes and raw bytes of the tensors, in the given order."""
    h = hashlib.sha256()
    for name, t in tensors:
        t = t.detach().to("cpu").contiguous().reshape(-1)
        h.update(f"{name}:{tuple(t.shape)}:{t.dtype};".encode())
        h.update(t.view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def _same(key: str, ours: Any, theirs: Any) -> bool:
    if key == "center_loss":
        # Recomputed on each run: equal up to float round-off unless data or model changed.
        a, b = float(ours), float(theirs)
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    return json.loads(json.dumps(ours)) == theirs


@dataclass
class GridCheckpoint:
    """Values and ``done`` mask of a grid being sampled, tied to a file and a fingerprint.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "run.npz"
        >>> ck = GridCheckpoint.open(path, {"shape": [3]}, size=3)
        >>> ck.record(np.array([0, 1]), np.array([0.5, 0.25])); ck.save()
        >>> GridCheckpoint.open(path, {"shape": [3]}, size=3).done.tolist()
        [True, True, False]
    """

    path: Path | None
    fingerprint: Mapping[str, Any]
    values: np.ndarray
    done: np.ndarray

    @classmethod
    def in_memory(cls, size: int) -> GridCheckpoint:
        """Bookkeeping only: nothing is written (``checkpoint=None``)."""
        return cls(None, {}, np.full(size, np.nan), np.zeros(size, dtype=bool))

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], fingerprint: Mapping[str, Any], size: int
    ) -> GridCheckpoint:
        """Load ``path`` if it exists (checking the fingerprint), else start an empty one."""
        path = Path(path)
        if path.suffix != ".npz":
            raise ValueError(f"checkpoint: expected a path ending in '.npz', got {str(path)!r}")
        if not path.exists():
            return cls(path, dict(fingerprint), np.full(size, np.nan), np.zeros(size, dtype=bool))
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                values = np.array(data["values"], dtype=np.float64)
                done = np.array(data["done"], dtype=bool)
        except (OSError, KeyError, ValueError) as exc:
            raise ValueError(
                f"checkpoint {str(path)!r}: expected a grid checkpoint written by "
                f"sample_landscape, could not read it ({exc})"
            ) from exc
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise ValueError(
                f"checkpoint {str(path)!r}: expected format {FORMAT!r} version {VERSION}, got "
                f"{meta.get('format')!r} version {meta.get('version')!r}"
            )
        stored = meta.get("fingerprint", {})
        differ = [
            k for k in sorted(set(fingerprint) | set(stored))
            if k not in fingerprint or k not in stored or not _same(k, fingerprint[k], stored[k])
        ]
        if differ or values.shape != (size,) or done.shape != (size,):
            details = "; ".join(
                f"{k}: this run {fingerprint.get(k)!r}, file {stored.get(k)!r}" for k in differ
            ) or f"size: this run {size}, file {values.shape}"
            raise ValueError(
                f"checkpoint {str(path)!r} was written for a different configuration ({details}). "
                "Pass the same arguments to resume, or another path (or delete the file) to start "
                "afresh."
            )
        return cls(path, dict(fingerprint), values, done)

    @property
    def n_done(self) -> int:
        return int(self.done.sum())

    def pending(self) -> np.ndarray:
        """Flat ids still to evaluate, in C order."""
        return np.flatnonzero(~self.done)

    def record(self, flat_ids: np.ndarray, values: np.ndarray) -> None:
        self.values[flat_ids] = values
        self.done[flat_ids] = True

    def save(self) -> None:
        """Write atomically (temporary file + rename), so an interrupt never leaves half a file."""
        if self.path is None:
            return
        meta = {"format": FORMAT, "version": VERSION, "fingerprint": dict(self.fingerprint)}
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(tmp, values=self.values, done=self.done, meta=np.array(json.dumps(meta)))
        os.replace(tmp, self.path)
