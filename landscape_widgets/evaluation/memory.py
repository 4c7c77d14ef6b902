"""How many grid points to evaluate at once: from free memory, a per-point estimate and, on
the CPU, the cache size.

A chunk of ``c`` points costs ``c`` copies of the parameters (the batched θ + Σ αᵢ δᵢ) plus ``c``
sets of activations. On CUDA the free memory comes from ``torch.cuda.mem_get_info`` and the
activation cost is measured on a probe chunk; on the CPU from psutil (or /proc/meminfo) and
forward hooks that add up the bytes every leaf module outputs for one point. Whatever the
estimate, an out-of-memory error halves the chunk and retries (see ``sample.py``).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

import torch

# Share of the free memory a chunk may take: the rest is for the allocator's slack and for
# whatever else runs on the machine (the CPU is shared with the notebook, the OS, ...).
CUDA_BUDGET_FRACTION = 0.6
CPU_BUDGET_FRACTION = 0.25
# Beyond a few hundred points per chunk the CPU gains nothing (the matmuls are already large)
# and a progress bar / checkpoint would update too rarely.
CPU_MAX_CHUNK = 256
# ...and a chunk's working set beyond a few hundred MB only adds memory traffic.
CPU_MAX_CHUNK_BYTES = 256 << 20
CUDA_MAX_CHUNK = 4096
# On the CPU the chunk is also kept small enough that its largest activation (chunk x the
# largest module output of one point) is about this many L2 caches: measured on the 2-core
# development machine (2 MiB L2 per core), 16 points was the fastest chunk for both the
# 784-128-10 MLP on 1,000 samples (512 KiB per point: 2.6x the throughput of 256-point chunks)
# and the 50x4 convection PINN on 1,750 collocation points (350 KiB: 1.6x), at 1 and 2 threads.
CPU_CACHE_FACTOR = 3
DEFAULT_L2_BYTES = 2 << 20


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


@functools.cache  # the hardware does not change while we run
def l2_cache_bytes() -> int:
    """One core's L2 cache in bytes (Linux sysfs), or ``DEFAULT_L2_BYTES`` when unknown."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            if (index / "level").read_text().strip() != "2":
                continue
            size = (index / "size").read_text().strip()
        except OSError:
            continue
        if size[-1:] in units and size[:-1].isdigit():
            return int(size[:-1]) * units[size[-1]]
        if size.isdigit():
            return int(size)
    return DEFAULT_L2_BYTES


def choose_chunk_size(
    device: torch.device,
    bytes_per_point: int,
    n_points: int,
    free_bytes: int | None = None,
    activation_bytes: int = 0,
) -> int:
    """Points per chunk: the memory budget over the per-point cost, within [1, cap, n_points];
    on the CPU also at most ``CPU_CACHE_FACTOR`` L2 caches over ``activation_bytes`` (the
    largest module output of one point), so a chunk's activations stay in cache.

    Example:
        >>> choose_chunk_size(torch.device("cpu"), 10**6, 1000, free_bytes=4 * 10**8)
        100
        >>> choose_chunk_size(torch.device("cpu"), 10**6, 1000, free_bytes=4 * 10**8,
        ...                   activation_bytes=l2_cache_bytes() // 4)
        12
    """
    if free_bytes is None:
        free_bytes = available_memory(device)
    fraction = CUDA_BUDGET_FRACTION if device.type == "cuda" else CPU_BUDGET_FRACTION
    cap = CUDA_MAX_CHUNK if device.type == "cuda" else CPU_MAX_CHUNK
    budget = int(free_bytes * fraction)
    if device.type != "cuda":
        budget = min(budget, CPU_MAX_CHUNK_BYTES)
        if activation_bytes > 0:
            cap = min(cap, max(1, CPU_CACHE_FACTOR * l2_cache_bytes() // int(activation_bytes)))
    by_memory = budget // max(int(bytes_per_point), 1)
    return max(1, min(by_memory, cap, n_points))


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
