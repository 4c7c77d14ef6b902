"""Argument checks shared by every stage: integers, seeds, real numbers and real arrays.

Each check names the argument, says what was expected and what came, and converts the value to
a plain Python int/float or a float64 array. They exist because numpy and torch accept too much
silently (``int(1.5)`` is 1, ``np.asarray("2", float)`` is 2.0, a complex array cast to float
loses its imaginary part, ``None`` in an object array becomes NaN) or fail with messages about
their own internals ("invalid literal for int()", "manual_seed expected a long"). numpy only:
importing this module stays light.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

# torch.Generator.manual_seed takes any integer in [-2**63, 2**64) (negative ones wrap around)
SEED_MIN, SEED_MAX = -(2**63), 2**64 - 1


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {_shown(value)}"


def is_integer(value: Any) -> bool:
    """A Python or numpy integer, not a bool (``True`` is no count, size or seed)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def integer(name: str, value: Any, minimum: int | None = None) -> int:
    """``value`` as a Python int; floats (even 3.0), strings and bools are refused.

    Example:
        >>> integer("resolution", np.int64(5), minimum=2)
        5
        >>> integer("resolution", 3.5)
        Traceback (most recent call last):
        ...
        TypeError: resolution: expected an integer, got float 3.5
    """
    if not is_integer(value):
        raise TypeError(f"{name}: expected an integer, got {_kind(value)}")
    out = int(value)
    if minimum is not None and out < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {out}")
    return out


def seed(name: str, value: Any, minimum: int = SEED_MIN) -> int:
    """A seed as a Python int in ``[minimum, 2**64)``: ``1.5`` or ``"3"`` would otherwise be
    truncated or parsed into another seed than the one meant.

    Example:
        >>> seed("seed", 7)
        7
        >>> seed("seed", "7")
        Traceback (most recent call last):
        ...
        TypeError: seed: expected an integer seed, got str '7'
    """
    if not is_integer(value):
        raise TypeError(f"{name}: expected an integer seed, got {_kind(value)}")
    out = int(value)
    if not minimum <= out <= SEED_MAX:
        low = "-2**63" if minimum == SEED_MIN else str(minimum)
        raise ValueError(f"{name}: expected an integer in [{low}, 2**64), got {out}")
    return out


def real(name: str, value: Any, finite: bool = False) -> float:
    """A real number as a float; strings, bools, None and complex numbers are refused.

    Example:
        >>> real("min_persistence", np.float32(0.5))
        0.5
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {_kind(value)}")
    out = float(value)
    if finite and not math.isfinite(out):
        raise ValueError(f"{name}: expected a finite number, got {out}")
    return out


def real_array(name: str, value: Any, allow_bool: bool = True) -> np.ndarray:
    """``value`` as a float64 array. Complex values are refused (casting would silently drop
    the imaginary part), and so are strings, dates and objects that are not real numbers
    (``None`` would silently become NaN). Booleans count as 0/1 unless ``allow_bool`` is False.

    Example:
        >>> real_array("values", [1, 2]).dtype
        dtype('float64')
        >>> real_array("values", [1 + 2j])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: values: expected real numbers, got complex values (complex128); pass the ...
    """
    if hasattr(value, "detach") and hasattr(value, "is_complex"):  # a torch tensor
        if value.is_complex():
            raise TypeError(
                f"{name}: expected real numbers, got complex values ({value.dtype}); pass the "
                "real part, the modulus or the phase explicitly"
            )
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(f"{name}: expected a rectangular array of real numbers ({exc})") from None
    kind = arr.dtype.kind
    if kind == "O":
        wrong = [v for v in arr.ravel() if isinstance(v, (bool, np.bool_))
                 or not isinstance(v, numbers.Real)][:1]
        if wrong and isinstance(wrong[0], numbers.Complex) and not isinstance(
                wrong[0], (bool, np.bool_)):
            kind = "c"
        elif wrong:
            raise TypeError(f"{name}: expected real numbers, got an element {_kind(wrong[0])}")
    if kind == "c":
        raise TypeError(
            f"{name}: expected real numbers, got complex values ({arr.dtype}); pass the real "
            "part, the modulus or the phase explicitly"
        )
    if kind == "b" and not allow_bool:
        raise TypeError(f"{name}: expected real numbers, got booleans {_shown(value)}")
    if kind in "US":
        raise TypeError(f"{name}: expected real numbers, got strings ({arr.dtype})")
    if kind not in "biufO":
        raise TypeError(f"{name}: expected real numbers, got an array of {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def json_object(name: str, value: Any) -> Mapping[str, Any]:
    """A JSON object (a dict); any other JSON type (list, string, number, null) is refused."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{name}: expected a JSON object, got {json_type(value)}")
    return value


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({value!r})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({_shown(value)})"
    if isinstance(value, (list, tuple)):
        return f"an array of {len(value)} items"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
