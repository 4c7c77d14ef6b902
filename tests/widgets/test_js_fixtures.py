"""The committed JS geometry fixtures are what scripts/write_js_fixtures.py writes now.

Every key, string, integer and array shape must be the same; floating-point arrays may differ
in their last bits only (a relative 1e-14, a few ulps): numpy's SIMD logarithms and exponentials
round differently on different processors (AVX-512 or not), which moves the log-band edges
of a profile by one ulp, while any change in what the code computes moves them far more.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FLOAT_RTOL = 1e-14


def _module() -> Any:
    spec = importlib.util.spec_from_file_location("write_js_fixtures",
                                                  ROOT / "scripts" / "write_js_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _same(committed: Any, fresh: Any, where: str) -> None:
    """Assert two decoded fixture documents agree (see the module docstring)."""
    if isinstance(fresh, dict) and set(fresh) == {"buffer", "dtype", "shape"}:
        assert isinstance(committed, dict) and committed.keys() == fresh.keys(), where
        assert (committed["dtype"], committed["shape"]) == (fresh["dtype"], fresh["shape"]), where
        old = np.frombuffer(base64.b64decode(committed["buffer"]), dtype=committed["dtype"])
        new = np.frombuffer(base64.b64decode(fresh["buffer"]), dtype=fresh["dtype"])
        if new.dtype.kind == "f":
            np.testing.assert_allclose(old, new, rtol=FLOAT_RTOL, atol=0, err_msg=where)
        else:
            np.testing.assert_array_equal(old, new, err_msg=where)
    elif isinstance(fresh, dict):
        assert isinstance(committed, dict) and sorted(committed) == sorted(fresh), where
        for key in fresh:
            _same(committed[key], fresh[key], f"{where}/{key}")
    elif isinstance(fresh, list):
        assert isinstance(committed, list) and len(committed) == len(fresh), where
        for k, (a, b) in enumerate(zip(committed, fresh)):
            _same(a, b, f"{where}[{k}]")
    elif isinstance(fresh, float) and isinstance(committed, float):
        np.testing.assert_allclose(committed, fresh, rtol=FLOAT_RTOL, atol=0, err_msg=where)
    else:
        assert committed == fresh, where


def test_committed_fixtures_are_fresh():
    module = _module()
    texts = module.fixtures()
    committed = sorted(p.relative_to(module.FIXTURES).as_posix()
                       for p in module.FIXTURES.rglob("*.json"))
    assert committed == sorted(texts), "rerun scripts/write_js_fixtures.py"
    for name, text in texts.items():
        old = json.loads((module.FIXTURES / name).read_text(encoding="utf-8"))
        try:
            _same(old, json.loads(text), name)
        except AssertionError as err:
            raise AssertionError(f"js/tests/py_fixtures/{name} is stale: rerun "
                                 f"scripts/write_js_fixtures.py ({str(err)[:300]})") from err


def test_freshness_check_sees_a_change_beyond_rounding():
    # a value moved by 1e-12 relative (far below anything drawn, far above rounding) or an
    # integer moved by one is stale; a last-bit difference is not
    module = _module()
    name, text = next(iter(module.fixtures().items()))
    doc = json.loads(text)

    def first_buffer(node: Any, kind: str) -> dict | None:
        if isinstance(node, dict) and set(node) == {"buffer", "dtype", "shape"}:
            return node if np.dtype(node["dtype"]).kind == kind and node["shape"][0] else None
        children = node.values() if isinstance(node, dict) else node if isinstance(
            node, list) else []
        return next((b for c in children if (b := first_buffer(c, kind)) is not None), None)

    def moved(kind: str, change: Any) -> Any:
        changed = json.loads(text)
        buf = first_buffer(changed, kind)
        assert buf is not None
        values = np.frombuffer(base64.b64decode(buf["buffer"]), dtype=buf["dtype"]).copy()
        values[np.flatnonzero(values)[0] if kind == "f" else 0] = change(
            values[np.flatnonzero(values)[0] if kind == "f" else 0])
        buf["buffer"] = base64.b64encode(values.tobytes()).decode()
        return changed

    _same(moved("f", lambda v: np.nextafter(v, np.inf)), doc, name)  # one ulp: fresh
    for stale in (moved("f", lambda v: v * (1 + 1e-12)), moved("i", lambda v: v + 1)):
        try:
            _same(stale, doc, name)
        except AssertionError:
            continue
        raise AssertionError("a changed fixture passed the freshness check")
