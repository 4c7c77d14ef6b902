"""The wire format: round trips, dtypes, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from landscape_widgets.io.wire import from_wire, pack, to_wire


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5),
                  elements=st.floats(allow_nan=True, allow_infinity=True, width=32)))
def test_float_round_trip_is_float32_exact(arr: np.ndarray) -> None:
    msg = to_wire(arr)
    assert msg["dtype"] == "float32" and msg["shape"] == list(arr.shape)
    assert isinstance(msg["buffer"], bytes)
    np.testing.assert_array_equal(from_wire(msg), arr.astype(np.float32))


def test_int_bool_and_explicit_dtypes() -> None:
    assert to_wire(np.array([1, 2], dtype=np.int64))["dtype"] == "int32"
    assert to_wire(np.array([True, False]))["dtype"] == "uint8"
    msg = to_wire([0.1, 0.2], "float64")
    assert from_wire(msg).dtype == np.float64 and len(msg["buffer"]) == 16
    # Fortran-ordered input arrives C-contiguous
    f = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(from_wire(to_wire(f)), f)
    assert pack(a=[1.0], b=([1], "float64"), c=None) == {
        "a": to_wire([1.0]), "b": to_wire([1], "float64"), "c": None,
    }


def test_errors() -> None:
    with pytest.raises(OverflowError, match="do not fit in int32"):
        to_wire(np.array([2**40]))
    with pytest.raises(TypeError, match="dtype must be one of"):
        to_wire([1.0], "complex64")
    with pytest.raises(TypeError, match="numeric or boolean"):
        to_wire(np.array(["a"]))
    with pytest.raises(ValueError, match="needs 3"):
        from_wire({"dtype": "float32", "shape": [3], "buffer": b"\0" * 8})
    with pytest.raises(ValueError, match="unknown dtype"):
        from_wire({"dtype": "f16", "shape": [1], "buffer": b"\0" * 2})
    with pytest.raises(ValueError, match="expected a mapping"):
        from_wire({"dtype": "float32"})
