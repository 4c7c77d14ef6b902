"""A chunked, resumable landscape on disk: a ``.zarr`` directory filled one block of grid points
at a time (``sample_landscape(..., store="runs/land.zarr")``).

Layout (zarr format 2, readable by any zarr or xarray)::

    land.zarr/
      landscape_widgets.json   format, version, fingerprint, plan, grid, provenance when complete
      values/                  (size,) float64, flat C order, one zarr chunk per block
      fields/                  (size, n_fields) float64 (only with ``metrics=``)
      done/                    (n_blocks,) bool, one zarr chunk per block

One writer: the client process that runs ``sample_landscape`` (it holds ``store.lock`` for the
whole run). A block's values (and fields) are written first, its ``done`` flag after them, so a
block counts as finished only once all of its data is on disk; an interrupt between the two
leaves it pending, and it is recomputed. The fingerprint rules of ``.npz`` checkpoints apply
(:mod:`.fingerprint`): only the same computation resumes; ``resume=False`` starts over.

The store is untrusted input when read: the JSON is read bounded (:mod:`.bounded`), and every
array's ``.zarray`` header is checked (format 2, float64/bool, the shape and chunks the grid and
plan imply, no filters, a known compressor: never an object codec, so no pickle) before zarr
opens it; the arrays may hold at most ``max_bytes`` (default 64 MiB or 64 times the store's size
on disk, as for ``.npz`` files).
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import write_json_atomic
from .bounded import MAX_EXPANSION, MIN_LIMIT_BYTES, FileFormatError, check_version, read_json

FORMAT = "landscape_widgets.zarr_landscape"
VERSION = 1
META = "landscape_widgets.json"
LOCK = "store.lock"
COMPRESSORS = (None, "blosc", "zstd", "lz4", "zlib", "gzip", "bz2", "lzma")
MAX_HEADER_BYTES = 1 << 16
WHAT = "a landscape store written by sample_landscape"


def store_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path, which must end in ``.zarr``."""
    path = Path(path)
    if path.suffix != ".zarr":
        raise ValueError(f"store: expected a directory path ending in '.zarr', got {str(path)!r}")
    return path


def _zarr() -> Any:
    try:
        import zarr
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ImportError(
            "store=: a .zarr store needs zarr; install it with "
            "pip install 'landscape-widgets[distributed]'"
        ) from exc
    return zarr


def _create_array(path: Path, shape: tuple[int, ...], chunks: tuple[int, ...], dtype: str,
                  fill: Any) -> Any:
    zarr = _zarr()
    extra = {"zarr_format": 2} if int(zarr.__version__.split(".")[0]) >= 3 else {}
    return zarr.open_array(str(path), mode="w", shape=shape, chunks=chunks, dtype=dtype,
                           fill_value=fill, **extra)


def _open_array(path: Path, shape: tuple[int, ...], chunks: tuple[int, ...], dtype: str) -> Any:
    """Open an existing array after checking its header (the store is untrusted)."""
    header = path / ".zarray"
    if not header.is_file() or header.is_symlink():
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, found no array header")
    meta = read_json(header, f"the header of an array of {WHAT}", max_bytes=MAX_HEADER_BYTES)
    compressor = meta.get("compressor")
    problems = []
    if meta.get("zarr_format") != 2:
        problems.append(f"zarr_format {meta.get('zarr_format')!r}, expected 2")
    if meta.get("dtype") != dtype:
        problems.append(f"dtype {meta.get('dtype')!r}, expected {dtype!r}")
    if meta.get("shape") != list(shape):
        problems.append(f"shape {meta.get('shape')!r}, expected {list(shape)}")
    if meta.get("chunks") != list(chunks):
        problems.append(f"chunks {meta.get('chunks')!r}, expected {list(chunks)}")
    if meta.get("filters") not in (None, []):
        problems.append("filters, expected none")
    if meta.get("order") != "C":
        problems.append(f"order {meta.get('order')!r}, expected 'C'")
    if not (compressor is None or (isinstance(compressor, Mapping)
                                   and compressor.get("id") in COMPRESSORS)):
        problems.append(f"compressor {compressor!r}, expected one of {COMPRESSORS[1:]}")
    if problems:
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, got {'; '.join(problems)}")
    return _zarr().open_array(str(path), mode="r+")


def _disk_bytes(root: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(root, followlinks=False):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def _int_list(value: Any, what: str, path: Path) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value
    ):
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, its {what} is {value!r}")
    return value


class ZarrLandscape:
    """An open store: the flat values, fields and done flags of one grid (or point set)."""

    def __init__(self, path: Path, meta: dict[str, Any], values: Any, fields: Any,
                 done: Any) -> None:
        self.path, self.meta = path, meta
        self.values, self.fields, self.done = values, fields, done

    # ------------------------------------------------------------------ layout
    @property
    def plan(self) -> dict[str, Any]:
        return dict(self.meta["plan"])

    @property
    def block(self) -> int:
        return int(self.meta["plan"]["block"])

    @property
    def size(self) -> int:
        return int(self.values.shape[0])

    def block_range(self, b: int) -> tuple[int, int]:
        return b * self.block, min((b + 1) * self.block, self.size)

    def pending_blocks(self) -> list[int]:
        return [int(b) for b in np.flatnonzero(~np.asarray(self.done[:], dtype=bool))]

    # ------------------------------------------------------------------ opening
    @classmethod
    def create_or_resume(
        cls, path: str | os.PathLike[str], fingerprint: Mapping[str, Any],
        plan: Mapping[str, Any] | Callable[[], Mapping[str, Any]], grid: Mapping[str, Any],
        size: int,
        field_names: Sequence[str] = (), resume: bool = True,
    ) -> ZarrLandscape:
        """Resume the store at ``path`` when it holds this computation (its stored plan is kept,
        so the values do not depend on when the run was interrupted; ``plan`` may be a function
        called only for a new store), refuse it naming what
        differs when it holds another, or create a new one (``resume=False``: over an existing
        store of ours; any other directory is never overwritten)."""
        from .fingerprint import refuse_different

        path = store_path(path)
        fingerprint = {**fingerprint, "fields": list(field_names)}
        if path.exists() or path.is_symlink():
            if path.is_symlink() or not path.is_dir():
                raise FileExistsError(f"store: {str(path)!r} exists and is not a directory")
            if any(path.iterdir()) and not (path / META).is_file():
                raise FileExistsError(
                    f"store: {str(path)!r} exists and is not a landscape store; choose another "
                    "path (it is never overwritten)"
                )
            if (path / META).is_file():
                found = open_store(path)  # checks format, version and every header
                if resume:
                    refuse_different(f"store {str(path)!r}", fingerprint,
                                     found.meta.get("fingerprint", {}))
                    return found
        else:
            path.mkdir(parents=True)
        for name in ("values", "fields", "done"):
            if (path / name).is_dir() and not (path / name).is_symlink():
                shutil.rmtree(path / name)
        plan = plan() if callable(plan) else plan
        block = int(plan["block"])
        n_blocks = max(1, math.ceil(size / block))
        k = len(field_names)
        values = _create_array(path / "values", (size,), (block,), "<f8", float("nan"))
        fields = (_create_array(path / "fields", (size, k), (block, k), "<f8", float("nan"))
                  if k else None)
        done = _create_array(path / "done", (n_blocks,), (1,), "|b1", False)
        write_json_atomic(path / ".zgroup", {"zarr_format": 2})
        meta = {"format": FORMAT, "version": VERSION, "fingerprint": dict(fingerprint),
                "plan": dict(plan), "grid": dict(grid), "provenance": None}
        write_json_atomic(path / META, meta)
        return cls(path, meta, values, fields, done)

    # ------------------------------------------------------------------ writing
    def write_block(self, b: int, rows: np.ndarray) -> None:
        """Block ``b``'s losses (``(n,)``) or ``[loss, field₁, ...]`` rows; its done flag is
        written last (see the module docstring)."""
        start, stop = self.block_range(b)
        rows = np.asarray(rows, dtype=np.float64)
        if rows.shape[0] != stop - start:
            raise ValueError(f"block {b}: expected {stop - start} rows, got {rows.shape[0]}")
        if self.fields is not None:
            self.values[start:stop] = rows[:, 0]
            self.fields[start:stop] = rows[:, 1:]
        else:
            self.values[start:stop] = rows.reshape(-1)
        self.done[b] = True

    def finish(self, provenance: Mapping[str, Any]) -> None:
        """Record the provenance: the store is then a complete landscape."""
        self.meta = {**self.meta, "provenance": dict(provenance)}
        write_json_atomic(self.path / META, self.meta)

    def read(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The flat values and ``(size, n_fields)`` fields (NaN where not yet computed)."""
        values = np.asarray(self.values[:], dtype=np.float64)
        fields = None if self.fields is None else np.asarray(self.fields[:], dtype=np.float64)
        return values, fields


def open_store(path: str | os.PathLike[str], max_bytes: int | None = None) -> ZarrLandscape:
    """Open a store written by ``sample_landscape(..., store=...)``, checking it as untrusted
    input (see the module docstring).

    Raises:
        FileNotFoundError: when there is no store at ``path``.
        FileFormatError: for another format or version, or arrays whose headers do not match
            the grid and plan, or that exceed ``max_bytes``.
    """
    path = Path(path)
    if not (path / META).is_file():
        raise FileNotFoundError(f"{str(path)!r}: no landscape store ({META} is missing)")
    meta = read_json(path / META, WHAT)
    if meta.get("format") != FORMAT:
        raise FileFormatError(f"{str(path)!r}: expected {WHAT} (format {meta.get('format')!r})")
    check_version(meta.get("version"), (VERSION,), path, WHAT)
    size, _dims = grid_size(meta.get("grid"), path)
    plan = meta.get("plan")
    if not isinstance(plan, dict):
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, found no plan")
    block, _chunk = _int_list([plan.get("block"), plan.get("chunk")], "plan", path)
    if plan.get("path") not in ("vmap", "loop") or not isinstance(plan.get("grad_in_forward"),
                                                                  bool):
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, its plan is {plan!r}")
    names = meta.get("fingerprint", {}).get("fields", []) if isinstance(
        meta.get("fingerprint"), dict) else []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, its field names are {names!r}")
    k = len(names)
    limit = (int(max_bytes) if max_bytes is not None
             else max(MIN_LIMIT_BYTES, MAX_EXPANSION * _disk_bytes(path)))
    need = size * 8 * (1 + k)
    if need > limit:
        raise FileFormatError(
            f"{str(path)!r}: {WHAT} of {size} points x {1 + k} values ({need} bytes) exceeds "
            f"the limit of {limit} bytes; pass max_bytes= to read it anyway if it is trusted"
        )
    n_blocks = max(1, math.ceil(size / block))
    values = _open_array(path / "values", (size,), (block,), "<f8")
    fields = _open_array(path / "fields", (size, k), (block, k), "<f8") if k else None
    done = _open_array(path / "done", (n_blocks,), (1,), "|b1")
    return ZarrLandscape(path, meta, values, fields, done)


def grid_size(grid: Any, path: Path) -> tuple[int, int]:
    """``(points, dims)`` of the stored grid description ``{"axes": [...]}`` or
    ``{"points": [[...], ...]}``, checked."""
    if not isinstance(grid, dict):
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, found no grid")
    if "axes" in grid:
        axes = grid["axes"]
        if not isinstance(axes, list) or not axes or not all(
            isinstance(a, list) and len(a) >= 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in a)
            for a in axes
        ):
            raise FileFormatError(f"{str(path)!r}: expected {WHAT}, its grid axes are invalid")
        return math.prod(len(a) for a in axes), len(axes)
    points = grid.get("points")
    if not isinstance(points, list) or not points or not all(
        isinstance(p, list) and len(p) == len(points[0]) and p
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in p)
        for p in points
    ):
        raise FileFormatError(f"{str(path)!r}: expected {WHAT}, its points are invalid")
    return len(points), len(points[0])


def load_landscape(path: str | os.PathLike[str], max_bytes: int | None = None) -> Any:
    """The :class:`~landscape_widgets.landscape.Landscape` of a complete store
    (``Landscape.load`` calls this for a ``.zarr`` path).

    Raises:
        ValueError: when the store is not complete yet (some blocks are missing).
    """
    from ..landscape import Landscape, Provenance

    store = open_store(path, max_bytes)
    pending = store.pending_blocks()
    prov = store.meta.get("provenance")
    if pending or not isinstance(prov, dict):
        raise ValueError(
            f"{str(store.path)!r}: the landscape is not complete ({len(pending)} of "
            f"{len(store.done)} blocks missing); run sample_landscape with the same arguments "
            "and store= again to finish it"
        )
    values, fields = store.read()
    names = list(store.meta["fingerprint"].get("fields", []))
    grid = store.meta["grid"]
    try:
        provenance = Provenance.from_json(prov)
        if fields is None:
            if names:
                raise ValueError(f"the fingerprint names fields {names} but there is no fields "
                                 "array")
            fields = np.empty((values.size, 0))
        if "axes" in grid:
            axes = tuple(np.asarray(a, dtype=np.float64) for a in grid["axes"])
            shape = tuple(len(a) for a in axes)
            field_map = {n: fields[:, j].reshape(shape) for j, n in enumerate(names)}
            return Landscape(values=values.reshape(shape), axes=axes, provenance=provenance,
                             fields=field_map)
        pts = np.asarray(grid["points"], dtype=np.float64)
        from dataclasses import replace

        land = Landscape.from_points(pts, values, provenance=provenance)
        return replace(land, fields={n: fields[:, j] for j, n in enumerate(names)})
    except (KeyError, TypeError, ValueError) as exc:
        raise FileFormatError(f"{str(store.path)!r}: expected {WHAT}, could not rebuild it "
                              f"({type(exc).__name__}: {exc})") from exc


__all__ = ["FORMAT", "VERSION", "ZarrLandscape", "load_landscape", "open_store", "store_path"]
