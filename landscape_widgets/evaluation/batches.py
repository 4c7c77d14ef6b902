"""The data side of the per-point loop: image inputs laid out channels-last, batches cut into
micro-batches (``functional.py`` says why each pays).
"""

from __future__ import annotations

from typing import Any

import torch

from ..model.loss import MAX_DEPTH, children

DeviceBatch = tuple[Any, Any, int]  # (inputs, targets, size); a closure batch has no targets


def channels_last(obj: Any) -> Any:
    """``obj`` (a tensor, or a tuple/list of them) with 4-D/5-D floating CPU tensors laid out
    channels-last; the values are unchanged and anything else is returned as is.

    With one channel the channels-last strides of a contiguous tensor are ambiguous (oneDNN
    would keep NCHW), so the tensor becomes a view of a buffer with two channels, whose strides
    are unambiguously channels-last.

    Example:
        >>> x = torch.randn(2, 1, 5, 5)
        >>> y = channels_last(x)
        >>> torch.equal(x, y), y.stride()
        (True, (50, 1, 10, 2))
    """
    if isinstance(obj, (tuple, list)):
        return type(obj)(channels_last(o) for o in obj)
    if (
        not isinstance(obj, torch.Tensor)
        or obj.dim() not in (4, 5)
        or not obj.is_floating_point()
        or obj.device.type != "cpu"
    ):
        return obj
    fmt = torch.channels_last if obj.dim() == 4 else torch.channels_last_3d
    if obj.shape[1] != 1:
        return obj.contiguous(memory_format=fmt)
    n, _c, *spatial = obj.shape
    buffer = obj.new_zeros((n, *spatial, 2))
    buffer[..., 0] = obj[:, 0]
    return buffer.movedim(-1, 1)[:, :1]


def has_image_inputs(obj: Any) -> bool:
    """Whether ``channels_last`` would change the layout of ``obj``."""
    if isinstance(obj, (tuple, list)):
        return any(has_image_inputs(o) for o in obj)
    return channels_last(obj) is not obj


def split_batch(inputs: Any, targets: torch.Tensor, m: int, size: int) -> list[DeviceBatch]:
    """``(inputs, targets, m)`` cut into slices of ``size`` samples along the first dimension,
    or left whole when some tensor does not have ``m`` rows (nothing to cut consistently).

    Example:
        >>> parts = split_batch(torch.zeros(5, 2), torch.zeros(5), 5, 2)
        >>> [(p[0].shape[0], p[2]) for p in parts]
        [(2, 2), (2, 2), (1, 1)]
    """
    tensors = list(inputs) if isinstance(inputs, (tuple, list)) else [inputs]
    if size >= m or not all(
        isinstance(t, torch.Tensor) and t.dim() > 0 and t.shape[0] == m
        for t in [*tensors, targets]
    ):
        return [(inputs, targets, m)]
    parts = []
    for start in range(0, m, size):
        end = min(start + size, m)
        sliced = [t[start:end] for t in tensors]
        part = type(inputs)(sliced) if isinstance(inputs, (tuple, list)) else sliced[0]
        parts.append((part, targets[start:end], end - start))
    return parts


def nbytes(obj: Any, depth: int = 0) -> int:
    """Bytes held by a tensor, or by the tensors in a batch of any kind (tuples, Mappings,
    dataclasses, objects such as a graph batch: ``model/loss.py``'s ``children``)."""
    if isinstance(obj, torch.Tensor):
        return obj.numel() * obj.element_size()
    if obj is None or isinstance(obj, (str, bytes, int, float, bool)) or depth > MAX_DEPTH:
        return 0
    return sum(nbytes(o, depth + 1) for o in children(obj))
