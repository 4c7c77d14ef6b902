"""Resumable sampling: finished grid points are saved to an ``.npz`` file (no pickle).

The file holds the flat values (and the ``metrics=`` fields, one column each), a ``done`` mask
and a JSON fingerprint of everything that determines the values
(:mod:`landscape_widgets.io.fingerprint`: resolution, extent, dtype, device kind, model
parameters, buffers and directions by hash, the data, the loss, the field names and the centre
loss). A run of the same computation continues where the last one stopped; any other is refused
with an error naming what differs, instead of a silently mixed landscape (``resume=False``
starts over).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..io.fingerprint import (
    callable_fingerprint,
    check_resume,
    data_fingerprint,
    directions_fingerprint,
    model_fingerprint,
    tensor_digest,
)
from ..io.npz_checkpoint import (
    check_fingerprint,
    checkpoint_path,
    read_checkpoint,
    write_checkpoint,
)

if TYPE_CHECKING:  # pragma: no cover - annotations only
    import torch
    from torch import nn

    from ..model.data import Batches
    from ..subspace.base import Subspace
    from .functional import PointLoss
    from .grid import Grid, PointSet

FORMAT = "landscape_widgets.grid_checkpoint"
VERSION = 1


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
    # ``(size, n_fields)`` values of the ``metrics=`` fields, in their order (None: no metrics)
    fields: np.ndarray | None = None

    @classmethod
    def in_memory(cls, size: int, n_fields: int = 0) -> GridCheckpoint:
        """Bookkeeping only: nothing is written (``checkpoint=None``)."""
        return cls(None, {}, np.full(size, np.nan), np.zeros(size, dtype=bool),
                   np.full((size, n_fields), np.nan) if n_fields else None)

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], fingerprint: Mapping[str, Any], size: int,
        field_names: Sequence[str] = (),
        resume: bool = True,
    ) -> GridCheckpoint:
        """Load ``path`` if it exists (refused unless its fingerprint, which then includes the
        field names, is ours), else start an empty one. ``resume=False`` starts empty over an
        existing checkpoint (which must still be one of ours: any other file is never
        overwritten)."""
        resume = check_resume(resume)
        path = checkpoint_path(path)
        k = len(field_names)
        if k:
            fingerprint = {**fingerprint, "fields": list(field_names)}
        what = "a grid checkpoint written by sample_landscape"
        found = read_checkpoint(path, FORMAT, VERSION, what)
        if found is None or not resume:
            return cls(path, dict(fingerprint), np.full(size, np.nan), np.zeros(size, dtype=bool),
                       np.full((size, k), np.nan) if k else None)
        meta, arrays = found
        values = np.asarray(arrays.get("values", np.empty(0)), dtype=np.float64)
        done = np.asarray(arrays.get("done", np.empty(0)), dtype=bool)
        fields = np.asarray(arrays["fields"], dtype=np.float64) if "fields" in arrays else None
        shapes_ok = values.shape == (size,) and done.shape == (size,)
        if k:
            shapes_ok = shapes_ok and fields is not None and fields.shape == (size, k)
        check_fingerprint(
            path, fingerprint, meta.get("fingerprint", {}),
            None if shapes_ok else f"size: this run {size}, file {values.shape}",
        )
        return cls(path, dict(fingerprint), values, done, fields if k else None)

    @property
    def n_done(self) -> int:
        return int(self.done.sum())

    def pending(self) -> np.ndarray:
        """Flat ids still to evaluate, in C order."""
        return np.flatnonzero(~self.done)

    def record(self, flat_ids: np.ndarray, values: np.ndarray) -> None:
        """``values``: ``(c,)`` losses, or ``(c, 1 + n_fields)`` rows ``[loss, field₁, ...]``."""
        if self.fields is not None:
            self.values[flat_ids] = values[:, 0]
            self.fields[flat_ids] = values[:, 1:]
        else:
            self.values[flat_ids] = values
        self.done[flat_ids] = True

    def save(self) -> None:
        """Write atomically (temporary file + rename), so an interrupt never leaves half a file."""
        if self.path is None:
            return
        meta = {"format": FORMAT, "version": VERSION, "fingerprint": dict(self.fingerprint)}
        arrays = {"values": self.values, "done": self.done}
        if self.fields is not None:
            arrays["fields"] = self.fields
        write_checkpoint(self.path, meta, arrays)


def run_fingerprint(
    model: nn.Module,
    loss_fn: Any,
    batches: Batches,
    subspace: Subspace,
    grid: Grid | PointSet,
    dtype: torch.dtype,
    device: torch.device,
    evaluator: PointLoss,
    centre_loss: float,
) -> dict[str, Any]:
    """Everything that decides the values, in JSON form (:mod:`landscape_widgets.io.fingerprint`:
    tensors by hash, the loss by name, code and configuration, the data by hash)."""
    return {
        "resolution": list(grid.shape),
        "extent": [list(b) for b in grid.bounds],
        "dtype": str(dtype),
        "device": device.type,
        **model_fingerprint(model),
        **directions_fingerprint(subspace.directions),
        **data_fingerprint(batches.source),
        **callable_fingerprint(loss_fn, "loss"),
        "n_samples": evaluator.n_samples,
        "center_loss": centre_loss,
        **getattr(grid, "fingerprint_extra", {}),  # scattered points: their coordinates
    }


__all__ = ["FORMAT", "VERSION", "GridCheckpoint", "run_fingerprint", "tensor_digest"]
