"""The wire format for arrays sent to the browser: one module owns it.

A numpy array travels as ``{"dtype": "float32" | "int32" | "uint8", "shape": [...], "buffer":
<bytes>}``; ipywidgets moves the ``bytes`` as a binary buffer (never a JSON list of numbers) and
the browser side (``js/src/lib/wire.js``) turns it back into a typed array. Arrays are
C-contiguous and little-endian. Float arrays go as float32 (NaN/inf survive), integer arrays as
int32 (ids are vertex ids, below 2**31).

Example:
    >>> import numpy as np
    >>> msg = to_wire(np.arange(6.0).reshape(2, 3))
    >>> msg["dtype"], msg["shape"], len(msg["buffer"])
    ('float32', [2, 3], 24)
    >>> from_wire(msg).tolist()
    [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

WIRE_DTYPES: dict[str, np.dtype] = {
    "float32": np.dtype("<f4"),
    "float64": np.dtype("<f8"),
    "int32": np.dtype("<i4"),
    "uint8": np.dtype("u1"),
}

INT32_MAX = np.iinfo(np.int32).max
INT32_MIN = np.iinfo(np.int32).min


def _default_dtype(arr: np.ndarray) -> str:
    if arr.dtype.kind == "b":
        return "uint8"
    if arr.dtype.kind in "iu":
        return "int32"
    if arr.dtype.kind == "f":
        return "float32"
    raise TypeError(f"to_wire: expected a numeric or boolean array, got dtype {arr.dtype}")


def to_wire(array: Any, dtype: str | None = None) -> dict[str, Any]:
    """Pack ``array`` for the browser.

    Args:
        array: anything ``np.asarray`` accepts (numeric or boolean).
        dtype: "float32", "float64", "int32" or "uint8"; default float32 for floats, int32 for
            integers, uint8 for booleans.

    Raises:
        TypeError: for object/string arrays or an unknown ``dtype``.
        OverflowError: for integers outside the int32 range.
    """
    arr = np.asarray(array)
    name = dtype or _default_dtype(arr)
    if name not in WIRE_DTYPES:
        raise TypeError(f"to_wire: dtype must be one of {sorted(WIRE_DTYPES)}, got {name!r}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"to_wire: expected a numeric or boolean array, got dtype {arr.dtype}")
    if name == "int32" and arr.size and arr.dtype.kind in "iu":
        lo, hi = int(arr.min()), int(arr.max())
        if lo < INT32_MIN or hi > INT32_MAX:
            raise OverflowError(f"to_wire: integer values in [{lo}, {hi}] do not fit in int32")
    out = np.ascontiguousarray(arr, dtype=WIRE_DTYPES[name])
    return {"dtype": name, "shape": [int(s) for s in out.shape], "buffer": out.tobytes()}


def from_wire(message: Mapping[str, Any]) -> np.ndarray:
    """Unpack a message made by :func:`to_wire` (or sent back by the browser)."""
    try:
        name, shape, buffer = message["dtype"], message["shape"], message["buffer"]
    except (KeyError, TypeError) as exc:
        raise ValueError(
            f"from_wire: expected a mapping with dtype, shape and buffer, got {message!r:.80}"
        ) from exc
    if name not in WIRE_DTYPES:
        raise ValueError(f"from_wire: unknown dtype {name!r}")
    arr = np.frombuffer(bytes(buffer), dtype=WIRE_DTYPES[name])
    expected = int(np.prod(shape)) if len(shape) else 1
    if arr.size != expected:
        raise ValueError(
            f"from_wire: buffer holds {arr.size} values but shape {list(shape)} needs {expected}"
        )
    return arr.reshape(shape)


def pack(**arrays: Any) -> dict[str, Any]:
    """Pack several arrays at once: ``pack(x=..., y=...)`` -> ``{"x": wire, "y": wire}``.

    A value that is a ``(array, dtype)`` tuple is packed with that dtype; ``None`` stays None.
    """
    out: dict[str, Any] = {}
    for key, value in arrays.items():
        if value is None:
            out[key] = None
        elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
            out[key] = to_wire(value[0], value[1])
        else:
            out[key] = to_wire(value)
    return out
