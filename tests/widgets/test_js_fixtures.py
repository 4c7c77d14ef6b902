"""The committed JS geometry fixtures are what scripts/write_js_fixtures.py writes now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_fixtures_are_fresh():
    spec = importlib.util.spec_from_file_location("write_js_fixtures",
                                                  ROOT / "scripts" / "write_js_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    texts = module.fixtures()
    committed = sorted(p.relative_to(module.FIXTURES).as_posix()
                       for p in module.FIXTURES.rglob("*.json"))
    assert committed == sorted(texts), "rerun scripts/write_js_fixtures.py"
    for name, text in texts.items():
        assert (module.FIXTURES / name).read_text(encoding="utf-8") == text, (
            f"js/tests/py_fixtures/{name} is stale: rerun scripts/write_js_fixtures.py"
        )
