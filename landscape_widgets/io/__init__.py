"""Input/output: the browser wire format (:mod:`.wire`), atomic writes (:mod:`.atomic`),
bounded reads of untrusted files (:mod:`.bounded`) and the directory lock (:mod:`.lock`)."""

from .bounded import FileFormatError
from .lock import LockTimeoutError
from .wire import from_wire, pack, to_wire

__all__ = ["FileFormatError", "LockTimeoutError", "from_wire", "pack", "to_wire"]
