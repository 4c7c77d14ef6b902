"""Atomic file writes: the one way the toolkit puts a file on disk.

Every writer (``Landscape.save``, collection entries and index, resumable-run checkpoints) goes
through :func:`atomic_open`: the bytes go to a temporary file in the target's directory, are
flushed and fsynced, and only then replace the target with ``os.replace`` (atomic on POSIX and
Windows); the directory is fsynced last so the rename itself survives a power cut. An exception
or Ctrl-C (``KeyboardInterrupt``) at any point before the rename removes the temporary file and
leaves the previous file untouched: a reader sees the old file or the new one, never half of one.

Writing replaces the directory entry, so a symlink at the target is replaced, never followed:
no write ever lands outside the target's directory.

Example:
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.json"
    >>> write_text_atomic(path, '{"x": 1}')
    >>> path.read_text()
    '{"x": 1}'
    >>> sorted(p.name for p in path.parent.iterdir())  # no temporary file left
    ['a.json']
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

TEMP_SUFFIX = ".tmp"


def _new_file_mode(path: Path) -> int:
    """Permissions the file would get from a plain ``open``: the old file's, else 0o666 less the
    umask (``mkstemp`` makes 0o600 files, which colleagues sharing a folder could not read)."""
    try:
        st = os.stat(path, follow_symlinks=False)
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    except OSError:
        pass
    umask = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                umask = int(line.split()[1], 8)
    if umask is None:  # no /proc: read it the racy way (set and restore)
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable; not possible (nor needed) on every platform."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(directory, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file to write ``path`` through; it replaces ``path`` only when the block ends
    without an exception.

    Raises:
        IsADirectoryError: when ``path`` is a directory.
    """
    path = Path(path)
    directory = path.parent
    if path.is_dir() and not path.is_symlink():
        raise IsADirectoryError(f"{str(path)!r}: expected a file path, got a directory")
    mode = _new_file_mode(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:  # KeyboardInterrupt included: never leave the temporary file behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(directory)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_open(path) as fh:
        fh.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> None:
    """Replace ``path`` with strict JSON (no NaN/inf tokens) atomically."""
    write_text_atomic(path, json.dumps(data, indent=1, allow_nan=False))


def write_npz_atomic(
    path: str | os.PathLike[str], arrays: Mapping[str, np.ndarray], *, compressed: bool = False
) -> None:
    """Replace ``path`` with an ``.npz`` archive of ``arrays`` atomically (no pickle: object
    arrays are refused). Readable by ``np.load`` and :func:`~.bounded.read_npz`."""
    compression = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with atomic_open(path) as fh, zipfile.ZipFile(fh, "w", compression, allowZip64=True) as zf:
        for name, value in arrays.items():
            array = np.asanyarray(value)
            with zf.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
