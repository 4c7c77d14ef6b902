"""The device a stage computes on: ``None`` picks CUDA when available, else the CPU; anything
else must be a device that can hold values and is present on this machine."""

from __future__ import annotations

from typing import Any

import torch


def resolve_device(device: Any, default: torch.device | None = None) -> torch.device:
    """``device`` as a ``torch.device``; None gives ``default``, or CUDA when available, else
    the CPU. The "meta" device (shapes without values: every loss would be unreadable) and
    devices this machine lacks are refused with a ValueError naming what came.

    Example:
        >>> resolve_device("cpu")
        device(type='cpu')
        >>> resolve_device("meta")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: device: expected a device that holds values ..., got 'meta' (meta tensors ...
    """
    if device is None:
        if default is not None:
            return default
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if not isinstance(device, (str, torch.device)) or isinstance(device, bool):
        raise TypeError(
            f"device: expected 'cpu', 'cuda' or a torch.device, got "
            f"{type(device).__name__} {device!r}"
        )
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError, ValueError) as exc:
        raise ValueError(
            f"device: expected 'cpu', 'cuda' or a torch.device, got {device!r}"
        ) from exc
    if dev.type == "meta":
        raise ValueError(
            f"device: expected a device that holds values ('cpu', 'cuda', ...), got {device!r} "
            "(meta tensors have shapes but no values)"
        )
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"device: expected an available device, got {device!r} but CUDA is not available"
            )
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ValueError(
                f"device: expected a CUDA index below {torch.cuda.device_count()} (the GPUs "
                f"present), got {device!r}"
            )
        return dev
    if dev.type != "cpu":
        try:  # mps, xpu, ...: present only if a tensor can be put there
            torch.empty(1, device=dev)
        except Exception as exc:  # noqa: BLE001 - any failure means "not usable here"
            raise ValueError(
                f"device: expected an available device, got {device!r}, which this machine "
                f"cannot use ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
            ) from exc
    return dev
