"""Hashing primitives of :mod:`.fingerprint`: tensors by their bytes, batches element by element,
settings as strict JSON. torch is imported inside the functions (this is the lowest stage)."""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Iterable, Mapping
from typing import Any


def tensor_digest(tensors: Iterable[tuple[str, Any]]) -> str:
    """SHA-256 over names, shapes, dtypes and raw bytes of the tensors, in the given order.

    Example:
        >>> import torch
        >>> tensor_digest([("w", torch.zeros(2))]) == tensor_digest([("w", torch.zeros(2))])
        True
    """
    h = hashlib.sha256()
    for name, t in tensors:
        _feed_tensor(h, name, t)
    return h.hexdigest()


def _feed_tensor(h: Any, name: str, t: Any) -> None:
    t = t.detach()
    h.update(f"{name}:{tuple(t.shape)}:{t.dtype};".encode())
    if t.device.type == "meta":  # no values to hash (shape and dtype are all there is)
        return
    import torch

    flat = t.to("cpu").contiguous().reshape(-1)
    if flat.is_complex():
        flat = torch.view_as_real(flat).reshape(-1)
    h.update(flat.view(torch.uint8).numpy().tobytes())


def _feed(h: Any, obj: Any, path: str = "") -> None:
    """Hash a batch: tensors by value, containers element by element, other leaves by repr."""
    import torch

    if isinstance(obj, torch.Tensor):
        _feed_tensor(h, path, obj)
    elif isinstance(obj, Mapping):
        for k in obj:
            _feed(h, obj[k], f"{path}[{k!r}]")
    elif isinstance(obj, (tuple, list)):
        h.update(f"{path}:{type(obj).__name__}{len(obj)};".encode())
        for i, item in enumerate(obj):
            _feed(h, item, f"{path}[{i}]")
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(f"{path}:{qualified_name(type(obj))};".encode())
        for f in dataclasses.fields(obj):
            _feed(h, getattr(obj, f.name), f"{path}.{f.name}")
    elif callable(getattr(obj, "to_dict", None)) and (items := _as_dict(obj)) is not None:
        # a graph batch (PyTorch Geometric's Data/Batch): its tensors, by key
        h.update(f"{path}:{qualified_name(type(obj))};".encode())
        for k in sorted(items, key=str):
            _feed(h, items[k], f"{path}[{k!r}]")
    else:
        h.update(f"{path}={jsonable(obj)!r};".encode())


def _as_dict(obj: Any) -> Mapping[str, Any] | None:
    try:
        items = obj.to_dict()
    except Exception:  # a to_dict that needs arguments: not this protocol
        return None
    return items if isinstance(items, Mapping) else None


def _digest_of(obj: Any) -> str:
    h = hashlib.sha256()
    _feed(h, obj)
    return h.hexdigest()


def jsonable(value: Any) -> Any:
    """A JSON-safe (strict: no NaN) stand-in for a setting: numbers, strings, lists; a tensor
    by its value when it is a scalar, else by hash; other objects by their type."""
    import torch

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, torch.Tensor):
        if value.numel() == 1 and value.device.type != "meta":
            return jsonable(value.item())
        return f"tensor {tuple(value.shape)} sha256:{tensor_digest([('', value)])[:16]}"
    if hasattr(value, "item") and getattr(value, "shape", None) == ():  # numpy scalar
        return jsonable(value.item())
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, type):
        return qualified_name(value)
    return f"<{qualified_name(type(value))}>"


def qualified_name(obj: Any) -> str:
    """``module.QualName`` of a class or function (``torch.nn.modules.loss.MSELoss``)."""
    module = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}.{name}" if module else str(name)
