"""The type stub of the lazy exports stays in step with the package's ``_EXPORTS`` table."""

import importlib.util
from pathlib import Path

import landscape_widgets

ROOT = Path(__file__).resolve().parent.parent


def _writer():
    spec = importlib.util.spec_from_file_location("write_stub", ROOT / "scripts" / "write_stub.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stub_matches_exports():
    stub = ROOT / "landscape_widgets" / "__init__.pyi"
    assert stub.read_text() == _writer().stub_text(), (
        "landscape_widgets/__init__.pyi is stale: run `python scripts/write_stub.py`"
    )


def test_every_stub_name_resolves():
    # each name the stub promises is really there (a typo in _EXPORTS would break both)
    for name in landscape_widgets.__all__:
        assert getattr(landscape_widgets, name) is not None, name
