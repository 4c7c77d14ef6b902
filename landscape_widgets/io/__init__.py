"""Input/output: the browser wire format (:mod:`.wire`)."""

from .wire import from_wire, pack, to_wire

__all__ = ["from_wire", "pack", "to_wire"]
