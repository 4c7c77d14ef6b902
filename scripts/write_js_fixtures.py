"""Write js/tests/py_fixtures/*.json: compact topology models and Python's geometry of them.

The browser computes the landscape profile, merge-tree layout and barcode from the compact
model (``TopologyModel``); vitest (``js/tests/geometry.test.js``) checks them against what
Python computes on ``tree.simplify(t)`` for the same trees, at several thresholds, linear and
log; and ``gallery/thumbnails.json``: the Gallery's thumbnails and Python's profile of each
(``js/tests/gallery.test.js``). The schema is written once (here, by ``compact_topology``);
tests/widgets/test_js_fixtures.py checks that the committed fixtures are what this script
writes now.

Run: ``PYTHONPATH=$PWD python scripts/write_js_fixtures.py``
"""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np

FIXTURES = Path(__file__).resolve().parent.parent / "js" / "tests" / "py_fixtures"


def _trees() -> dict[str, tuple[Any, Any]]:
    """Name -> (tree, landscape or None): analytic, noisy, with NaNs/inf, scattered, 1-D,
    plateaus (ties broken by vertex id) and a constant landscape."""
    import landscape_widgets as lw

    rng = np.random.default_rng(16)
    x, y = np.meshgrid(np.linspace(-2, 2, 23), np.linspace(-2, 2, 19), indexing="ij")
    analytic = (np.sin(2 * x) * np.cos(2 * y) + 0.3 * x**2 + 0.2 * y**2) ** 2 + 0.05
    noisy = rng.random((26, 22))  # ~100 basins of a few vertices each
    nan = rng.random((11, 13)) ** 2
    nan[3:5, 2:8] = np.nan
    nan[8, 8] = np.inf
    nan[0, 12] = np.nan
    one_d = np.sin(np.linspace(0, 9, 60)) + 0.4 * rng.random(60)
    pts = rng.uniform(-1, 1, (70, 2))
    scattered = lw.Landscape.from_points(pts, np.sin(3 * pts[:, 0]) * np.cos(3 * pts[:, 1]))
    plateaus = np.round(np.random.default_rng(7).random((15, 15)) * 4) / 4  # ties everywhere
    flat = np.full((4, 5), 2.5)  # one value: one basin, one band
    return {
        "analytic": (lw.merge_tree(analytic), None),
        "plateaus": (lw.merge_tree(plateaus), None),
        "flat": (lw.merge_tree(flat), None),
        "noisy": (lw.merge_tree(noisy), None),
        "nan": (lw.merge_tree(nan), None),
        "one_d": (lw.merge_tree(one_d), None),
        "scattered": (lw.merge_tree(scattered), scattered),
    }


def _thresholds(tree: Any) -> list[float]:
    """0, a few persistence values themselves (kept: hidden iff below), between them, beyond."""
    pers = np.sort(np.unique(np.asarray(tree.persistence)[np.isfinite(tree.persistence)]))
    if pers.size == 0:
        return [0.0]
    picks = pers[np.unique(np.linspace(0, pers.size - 1, 4).round().astype(int))]
    between = (picks[:-1] + np.nextafter(picks[:-1], np.inf)) / 2 if picks.size > 1 else []
    mid = [float(np.quantile(pers, 0.5)) * 1.0001]
    out = {0.0, *map(float, picks), *map(float, between), *mid, float(pers[-1]) * 2 + 1}
    return sorted(out)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    return obj


def _geometry(result: Any) -> dict[str, Any]:
    """A layout dataclass as wire messages at full precision (float64 / int32 / uint8)."""
    from landscape_widgets.io.wire import to_wire

    out: dict[str, Any] = {}
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, np.ndarray):
            kind = {"f": "float64", "b": "uint8"}.get(value.dtype.kind, "int32")
            out[field.name] = to_wire(value, kind)
        else:
            out[field.name] = float(value)
    return out


def fixtures() -> dict[str, str]:
    """File name -> JSON text of every fixture."""
    import landscape_widgets as lw
    from landscape_widgets.io.wire import from_wire
    from landscape_widgets.widgets._topology import sample_points
    from landscape_widgets.widgets.topology_model import compact_topology

    texts: dict[str, str] = {}
    for name, (tree, land) in _trees().items():
        model = compact_topology(tree, None if land is None else land.axes, sample_points(land))
        linear = from_wire(model["bands"]["linear"]["edges"])
        # a constant landscape's edges are [v, v], what landscape_profile's default makes
        linear_levels = linear if np.all(np.diff(linear) > 0) else 64
        log = from_wire(model["bands"]["log"]["edges"])
        cases = []
        for t in _thresholds(tree):
            simple = tree if t == 0 else tree.simplify(t)
            cases.append({
                "threshold": t,
                "profile_linear": _geometry(lw.landscape_profile(simple, levels=linear_levels)),
                "profile_log": _geometry(lw.landscape_profile(simple, levels=log)),
                "tree": _geometry(lw.merge_tree_layout(simple)),
                "barcode": _geometry(lw.barcode_rows(simple)),
            })
        doc = {"name": name, "n_minima": int(tree.n_minima), "model": model, "cases": cases}
        texts[f"{name}.json"] = json.dumps(_jsonable(doc), sort_keys=True) + "\n"
    texts["gallery/thumbnails.json"] = _thumbnails(_trees())
    return texts


def _thumbnails(trees: dict[str, tuple[Any, Any]]) -> str:
    """Gallery thumbnails (``thumbnail_topology``) of some of the trees, each with Python's
    profile of the tree it stands for: js/tests/gallery.test.js draws them and checks that the
    browser's profile of a thumbnail is this one."""
    import landscape_widgets as lw
    from landscape_widgets.io.wire import from_wire
    from landscape_widgets.widgets.gallery import thumbnail_threshold, thumbnail_topology

    entries = []
    for name, max_basins in (("noisy", 8), ("analytic", 32), ("nan", 4), ("plateaus", 8)):
        tree = trees[name][0]
        payload = thumbnail_topology(tree, max_basins)
        threshold = thumbnail_threshold(tree, max_basins)
        simple = tree.simplify(threshold) if threshold > 0 else tree
        edges = from_wire(payload["bands"]["linear"]["edges"])
        entries.append({"name": name, "max_basins": max_basins, "payload": payload,
                        "profile": _geometry(lw.landscape_profile(simple, levels=edges))})
    return json.dumps(_jsonable({"entries": entries}), sort_keys=True) + "\n"


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, text in fixtures().items():
        (FIXTURES / name).parent.mkdir(parents=True, exist_ok=True)
        (FIXTURES / name).write_text(text, encoding="utf-8")
        print(f"wrote {FIXTURES / name} ({len(text) // 1024} KiB)")


if __name__ == "__main__":
    main()
