"""Resumable-run files shared by the stages that checkpoint (grid sampling, jump-and-retrain):
one ``.npz`` of arrays plus a JSON header with a format tag and a fingerprint of everything that
determines the result (:mod:`.fingerprint`). No pickle anywhere; writes are atomic
(:mod:`.atomic`), so an interrupt never leaves half a file; reads are bounded (:mod:`.bounded`),
so a forged file cannot make us allocate more than its size justifies; a file made for another
computation is refused, never mixed in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import write_npz_atomic
from .bounded import FileFormatError, check_version, npz_json, read_npz


def checkpoint_path(path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"checkpoint: expected a path ending in '.npz', got {str(path)!r}")
    return path


def read_checkpoint(
    path: Path, fmt: str, version: int, what: str
) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """``(meta, arrays)`` of an existing checkpoint, or None if there is no file yet.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "run.npz"
        >>> write_checkpoint(p, {"format": "demo", "version": 1}, {"x": np.zeros(2)})
        >>> read_checkpoint(p, "demo", 1, "a demo file")[1]["x"].tolist()
        [0.0, 0.0]
    """
    if not path.exists():
        return None
    arrays = read_npz(path, what=what)
    meta = npz_json(arrays, "meta", path, what)
    del arrays["meta"]
    if meta.get("format") != fmt:
        raise FileFormatError(
            f"checkpoint {str(path)!r}: expected {what} (format {fmt!r}), got format "
            f"{meta.get('format')!r}"
        )
    check_version(meta.get("version"), (version,), path, f"a checkpoint ({what})")
    return meta, arrays


def check_fingerprint(
    path: Path, ours: Mapping[str, Any], stored: Mapping[str, Any], size_mismatch: str | None
) -> None:
    """Refuse a checkpoint made for another computation, naming every field that differs
    (:func:`landscape_widgets.io.fingerprint.refuse_different`)."""
    from .fingerprint import refuse_different

    refuse_different(f"checkpoint {str(path)!r}", ours, stored, size_mismatch)


def write_checkpoint(path: Path, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    """Write atomically (:func:`~.atomic.write_npz_atomic`): an exception or Ctrl-C leaves the
    previous checkpoint intact and no temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_npz_atomic(path, {"meta": np.array(json.dumps(dict(meta))), **arrays})
