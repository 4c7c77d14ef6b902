"""Memory plumbing shared by the stages that run a model many times at once (grid evaluation,
Hessian-vector products): free memory on a device, what an out-of-memory error looks like, and
the bytes a forward pass's modules output.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch


def available_memory(device: torch.device) -> int:
    """Free bytes on ``device`` (CUDA: the device's free memory; CPU: available RAM)."""
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return int(free)
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:  # pragma: no cover - psutil ships with most environments
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    return 1 << 30  # pragma: no cover - no way to know: assume a modest 1 GiB


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is an allocation failure (CUDA or CPU) rather than a real error."""
    if isinstance(exc, torch.cuda.OutOfMemoryError):
        return True
    if isinstance(exc, (RuntimeError, MemoryError)):
        text = str(exc).lower()
        return isinstance(exc, MemoryError) or "out of memory" in text or "can't allocate" in text
    return False


class ActivationMeter:
    """Forward hooks that record, per forward pass, the bytes output by every leaf module.

    ``peak_bytes`` is the largest such total over the passes seen: an upper bound on the
    activation memory one point needs (under ``no_grad`` most of it is freed as it goes).
    ``largest_per_sample`` is the largest single module output of a pass over its number of
    samples: what decides whether a batch's activations fit in the CPU caches.
    """

    def __init__(self) -> None:
        self.peak_bytes = 0
        self.largest_per_sample = 0.0
        self._current = 0
        self._largest = 0
        self._samples = 0

    def start_pass(self, samples: int = 0) -> None:
        self._current = 0
        self._largest = 0
        self._samples = samples

    def end_pass(self) -> None:
        self.peak_bytes = max(self.peak_bytes, self._current)
        if self._samples > 0:
            self.largest_per_sample = max(self.largest_per_sample, self._largest / self._samples)

    def _hook(self, _module: torch.nn.Module, _inputs: object, output: object) -> None:
        size = _tensor_bytes(output)
        self._current += size
        self._largest = max(self._largest, size)

    @contextlib.contextmanager
    def attached(self, model: torch.nn.Module) -> Iterator[ActivationMeter]:
        leaves = [m for m in model.modules() if next(m.children(), None) is None]
        handles = [m.register_forward_hook(self._hook) for m in leaves or [model]]
        try:
            yield self
        finally:
            for h in handles:
                h.remove()


def _tensor_bytes(obj: object) -> int:
    if isinstance(obj, torch.Tensor):
        return obj.numel() * obj.element_size()
    if isinstance(obj, (tuple, list)):
        return sum(_tensor_bytes(o) for o in obj)
    if isinstance(obj, dict):
        return sum(_tensor_bytes(o) for o in obj.values())
    return 0
