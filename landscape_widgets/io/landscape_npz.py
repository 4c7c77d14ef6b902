"""A :class:`~landscape_widgets.landscape.Landscape` in one ``.npz`` file: its arrays and a JSON
header (format, version, provenance, field names), no pickle (``Landscape.save`` and
``Landscape.load`` call this).

The file is untrusted input on the way in: sizes are checked before anything is allocated
(:mod:`.bounded`), the format and version are checked, and every JSON field is type-checked
while the landscape is rebuilt. Field names stay in the JSON, never in zip member names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .atomic import write_npz_atomic
from .bounded import FileFormatError, check_version, npz_json, read_npz

if TYPE_CHECKING:  # pragma: no cover - types only (the landscape module imports this one)
    from ..landscape import Landscape

LANDSCAPE_FORMAT = "landscape_widgets.Landscape"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
WHAT = "a saved Landscape"


def npz_path(path: str | Path) -> Path:
    """``path`` with the ``.npz`` suffix that ``np.savez`` would add (``a.b`` -> ``a.b.npz``)."""
    path = Path(path)
    if path.suffix == ".npz":
        return path
    return path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")


def save_npz(land: Landscape, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``land`` to ``path`` (``.npz`` added) atomically; see ``Landscape.save``."""
    path = npz_path(path)
    if not overwrite and (path.exists() or path.is_symlink()) and not is_landscape_file(path):
        raise FileExistsError(
            f"{str(path)!r} exists and is not a saved Landscape; pass overwrite=True to "
            "replace it"
        )
    meta = {
        "format": LANDSCAPE_FORMAT,
        "version": FORMAT_VERSION,
        "provenance": land.provenance.to_json(),
        "scattered": not land.is_grid,
    }
    arrays = {f"axis_{i}": a for i, a in enumerate(land.axes)}
    if land.fields:  # by position: names stay in the JSON, never in zip member names
        meta["fields"] = list(land.fields)
        arrays.update({f"field_{j}": a for j, a in enumerate(land.fields.values())})
    if not land.is_grid:
        arrays["points"] = land.points
    write_npz_atomic(
        path, {"values": land.values, "meta": np.array(json.dumps(meta)), **arrays},
        compressed=True,
    )
    return path


def load_npz(path: Path, max_bytes: int | None = None) -> Landscape:
    """The landscape of a file written by :func:`save_npz`; see ``Landscape.load``."""
    from ..landscape import Landscape, Provenance

    arrays = read_npz(path, what=WHAT, max_bytes=max_bytes)
    meta = npz_json(arrays, "meta", path, WHAT)
    if meta.get("format") != LANDSCAPE_FORMAT:
        raise FileFormatError(
            f"{str(path)!r}: not a saved Landscape (format={meta.get('format')!r})"
        )
    check_version(meta.get("version"), SUPPORTED_VERSIONS, path, WHAT)
    try:
        values = arrays["values"]
        if meta.get("scattered", False) is True:
            points, axes = arrays["points"], ()
        else:
            points, axes = None, tuple(arrays[f"axis_{i}"] for i in range(values.ndim))
        names = meta.get("fields", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"expected a list of field names, got {names!r}")
        fields = {n: arrays[f"field_{j}"] for j, n in enumerate(names)}
        provenance = Provenance.from_json(meta.get("provenance"))  # None: a clear type error
        return Landscape(values=values, axes=axes, provenance=provenance, fields=fields,
                         scattered_points=points)
    except (KeyError, TypeError, ValueError) as exc:
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, could not rebuild it "
                              f"({type(exc).__name__}: {exc})") from exc


def is_landscape_file(path: Path) -> bool:
    """Whether ``path`` holds a saved Landscape (only its small JSON header is read)."""
    try:
        arrays = read_npz(path, what=WHAT, names={"meta"}, max_bytes=2**20)
        meta = npz_json(arrays, "meta", path, WHAT)
    except (OSError, ValueError):
        return False
    return meta.get("format") == LANDSCAPE_FORMAT
