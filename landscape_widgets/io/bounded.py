"""Bounded reads of untrusted files: ``.npz`` archives and JSON.

A saved landscape, a checkpoint or a collection may come from anyone. ``np.load`` allocates what
an array's header declares before reading a byte of data, so a small archive of compressed zeros
(a decompression bomb) can make it allocate gigabytes. :func:`read_npz` reads every member's
``.npy`` header first (``numpy.lib.format.read_magic`` / ``read_array_header_*``), checks the
declared shape and dtype against the member's size in the zip directory and the total against a
limit proportional to the file's size, and only then reads arrays. Object arrays (pickle) are
never read. Every failure (empty or truncated file, not a zip, bad header, bad JSON) is a
:class:`FileFormatError` naming the file.

Example:
    >>> import tempfile
    >>> from landscape_widgets.io.atomic import write_npz_atomic
    >>> path = Path(tempfile.mkdtemp()) / "a.npz"
    >>> write_npz_atomic(path, {"x": np.arange(3.0)})
    >>> read_npz(path, what="a demo file")["x"].tolist()
    [0.0, 1.0, 2.0]
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import numpy as np

MIN_LIMIT_BYTES = 64 * 2**20
"""Arrays of this total size are always accepted, however well the file compresses."""
MAX_EXPANSION = 64
"""Above ``MIN_LIMIT_BYTES``, the arrays may be at most this many times the file's size
(float data compresses far less; a bomb of zeros about 1000 times)."""
MAX_MEMBERS = 100_000
MAX_JSON_BYTES = 64 * 2**20
ARRAY_KINDS = "biufU"  # bool, integers, floats, unicode (JSON headers); never objects

# Errors a damaged or hostile archive can raise from zipfile/zlib/numpy while being read.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError,
                NotImplementedError, RuntimeError, OverflowError, TypeError, UnicodeDecodeError)


class FileFormatError(ValueError):
    """A file is not what it should be: empty, truncated, damaged, too large for its size, of
    an unknown format or version. The message names the file."""


def _describe(path: Path) -> str:
    return repr(str(path))


def size_limit(path: Path, max_bytes: int | None) -> int:
    """The largest total array size accepted from ``path`` (see ``MAX_EXPANSION``)."""
    if max_bytes is not None:
        return int(max_bytes)
    return max(MIN_LIMIT_BYTES, MAX_EXPANSION * os.stat(path).st_size)


def _check_header(path: Path, name: str, fh: Any, info: zipfile.ZipInfo) -> None:
    """Read one member's ``.npy`` header and check it against the member's declared size."""
    version = np.lib.format.read_magic(fh)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
    else:
        raise FileFormatError(
            f"{_describe(path)}: array {name!r} has .npy format version {version}; "
            "supported: (1, 0) and (2, 0)"
        )
    if dtype.hasobject or dtype.kind not in ARRAY_KINDS or dtype.fields is not None:
        raise FileFormatError(
            f"{_describe(path)}: array {name!r} has dtype {dtype}; expected numbers, booleans "
            "or text (object arrays would need pickle and are never read)"
        )
    if any(not isinstance(n, int) or n < 0 for n in shape):
        raise FileFormatError(f"{_describe(path)}: array {name!r} declares a bad shape {shape}")
    declared = math.prod(shape) * dtype.itemsize
    held = info.file_size - fh.tell()
    if declared != held:
        raise FileFormatError(
            f"{_describe(path)}: array {name!r} declares shape {shape} of {dtype} "
            f"({declared} bytes) but its member holds {held} bytes (damaged or forged file)"
        )


def read_npz(
    path: str | os.PathLike[str],
    *,
    what: str,
    names: Collection[str] | None = None,
    max_bytes: int | None = None,
) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` archive, checked before anything large is allocated.

    Args:
        path: the archive.
        what: what the file should be, for messages ("a saved Landscape").
        names: read only these arrays (default: all).
        max_bytes: the largest total array size accepted; default
            ``max(MIN_LIMIT_BYTES, MAX_EXPANSION * file size)``. Pass a larger number to open a
            trusted file that compresses unusually well.

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        FileFormatError: for an empty, truncated, damaged or oversized file.
    """
    path = Path(path)
    if os.stat(path).st_size == 0:
        raise FileFormatError(f"{_describe(path)}: expected {what}, got an empty file")
    limit = size_limit(path, max_bytes)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if i.filename.endswith(".npy")]
            if len(infos) > MAX_MEMBERS:
                raise FileFormatError(
                    f"{_describe(path)}: {len(infos)} arrays; at most {MAX_MEMBERS} are read"
                )
            if names is not None:
                infos = [i for i in infos if i.filename[: -len(".npy")] in names]
            total = sum(i.file_size for i in infos)
            if total > limit:
                raise FileFormatError(
                    f"{_describe(path)}: its arrays would take {total} bytes in memory, more "
                    f"than the {limit} accepted for a file of {os.stat(path).st_size} bytes "
                    "(a decompression bomb?); pass max_bytes= to open a trusted file"
                )
            for info in infos:  # every header before any data
                with zf.open(info) as fh:
                    _check_header(path, info.filename[:-4], fh, info)
            arrays = {}
            for info in infos:
                with zf.open(info) as fh:
                    arrays[info.filename[:-4]] = np.lib.format.read_array(fh, allow_pickle=False)
    except FileFormatError:
        raise
    except zipfile.BadZipFile as exc:
        raise FileFormatError(
            f"{_describe(path)}: expected {what} (an .npz archive), got a file that is not a "
            f"complete zip archive (truncated or another kind of file: {exc})"
        ) from exc
    except _READ_ERRORS as exc:
        raise FileFormatError(
            f"{_describe(path)}: expected {what}, could not read it "
            f"({type(exc).__name__}: {exc})"
        ) from exc
    return arrays


def parse_json(text: str, path: str | os.PathLike[str], what: str) -> dict[str, Any]:
    """A JSON object parsed from ``text`` (read from ``path``), or a :class:`FileFormatError`."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FileFormatError(
            f"{_describe(Path(path))}: expected {what} with a JSON header, the JSON is "
            f"invalid ({exc})"
        ) from exc
    if not isinstance(data, dict):
        raise FileFormatError(
            f"{_describe(Path(path))}: expected {what} with a JSON object as header, got a "
            f"JSON {type(data).__name__}"
        )
    return data


def npz_json(arrays: Mapping[str, np.ndarray], key: str, path: Path, what: str) -> dict[str, Any]:
    """The JSON object stored as the 0-d text array ``key`` of an archive read by
    :func:`read_npz`."""
    value = arrays.get(key)
    if value is None or value.dtype.kind != "U" or value.ndim != 0:
        raise FileFormatError(f"{_describe(path)}: expected {what}, found no {key!r} header")
    return parse_json(str(value), path, what)


def read_json(path: str | os.PathLike[str], what: str,
              max_bytes: int | None = None) -> dict[str, Any]:
    """A JSON object from a file of at most ``max_bytes`` bytes (default ``MAX_JSON_BYTES``).

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        FileFormatError: for an empty, oversized or invalid file, or JSON that is not an object.
    """
    path = Path(path)
    max_bytes = MAX_JSON_BYTES if max_bytes is None else int(max_bytes)
    size = os.stat(path).st_size
    if size == 0:
        raise FileFormatError(f"{_describe(path)}: expected {what}, got an empty file")
    if size > max_bytes:
        raise FileFormatError(
            f"{_describe(path)}: expected {what} of at most {max_bytes} bytes, got {size} bytes"
        )
    try:
        with open(path, "rb") as fh:
            raw = fh.read(size + 1)  # read(n) allocates n bytes up front: ask for what is there
        if len(raw) > max_bytes:
            raise FileFormatError(
                f"{_describe(path)}: expected {what} of at most {max_bytes} bytes, it grew to "
                f"{len(raw)} bytes while being read"
            )
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{_describe(path)}: expected {what}, not UTF-8 ({exc})") from exc
    return parse_json(text, path, what)


def check_version(found: Any, supported: Collection[int], path: Path, what: str) -> int:
    """The format version of a file, or a :class:`FileFormatError` listing the supported
    ones."""
    if isinstance(found, bool) or not isinstance(found, int) or found not in supported:
        raise FileFormatError(
            f"{_describe(path)}: {what} of format version {found!r}; this version of "
            f"landscape_widgets reads versions {sorted(supported)}"
        )
    return found
