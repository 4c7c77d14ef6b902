"""One writer at a time in a directory: an exclusive lock on a lock file inside it.

Two processes adding to one collection directory take turns: each holds the lock while it
re-reads the index, writes its landscape file and writes the index back, so neither loses the
other's entries. The lock is advisory (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows)
and is released by the operating system if the holder dies, so a crash never leaves a directory
locked. Waiting longer than ``timeout`` seconds is a :class:`LockTimeoutError` naming the file.

Example:
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with directory_lock(d, ".demo.lock"):
    ...     (d / "data.txt").write_text("only me")
    7
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

POLL_S = 0.02


class LockTimeoutError(TimeoutError):
    """Another process held a directory's lock for longer than the timeout."""


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def directory_lock(directory: str | os.PathLike[str], name: str,
                   timeout: float = 60.0) -> Iterator[Path]:
    """Hold the exclusive lock ``directory/name`` for the duration of the block.

    The lock file is opened without following symlinks (a planted link cannot make us create a
    file elsewhere) and is left in place (deleting it would let two writers lock two files).
    Not re-entrant: do not nest two locks on one directory in one process.

    Raises:
        LockTimeoutError: when another process holds the lock for more than ``timeout`` s.
        FileExistsError: when the lock file is a symlink.
    """
    path = Path(directory) / name
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    if path.is_symlink():
        raise FileExistsError(
            f"{str(path)!r}: expected a lock file, got a symlink; refusing to follow it out of "
            f"{str(directory)!r}"
        )
    fd = os.open(path, flags, 0o666)  # O_NOFOLLOW: a link planted since the check fails here
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockTimeoutError(
                    f"{str(path)!r}: another process has been writing to {str(directory)!r} "
                    f"for more than {timeout:g} s; wait for it to finish (its lock is released "
                    "when it ends) and try again"
                )
            time.sleep(POLL_S)
        try:
            yield path
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
