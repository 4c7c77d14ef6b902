"""How many grid points to evaluate at once: from free memory, a per-point estimate and, on
the CPU, the cache size.

A chunk of ``c`` points costs ``c`` copies of the parameters (the batched θ + Σ αᵢ δᵢ) plus ``c``
sets of activations. On CUDA the free memory comes from ``torch.cuda.mem_get_info`` and the
activation cost is measured on a probe chunk; on the CPU from psutil (or /proc/meminfo) and
forward hooks that add up the bytes every leaf module outputs for one point. Whatever the
estimate, an out-of-memory error halves the chunk and retries (see ``sample.py``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import torch

from ..model.memory import ActivationMeter, available_memory, is_out_of_memory

__all__ = [
    "ActivationMeter",
    "available_memory",
    "choose_chunk_size",
    "is_out_of_memory",
    "l2_cache_bytes",
]

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
