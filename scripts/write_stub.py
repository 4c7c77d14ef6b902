"""Write ``landscape_widgets/__init__.pyi`` from the package's lazy ``_EXPORTS`` table.

The package exports its public names lazily (``__getattr__``), which type checkers and IDEs
cannot follow; the stub re-exports each name from the module that defines it, so users' IDEs
and pyright see real types. ``tests/test_stub.py`` fails when the stub and the table disagree:
after adding an export, run ``python scripts/write_stub.py``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STUB = ROOT / "landscape_widgets" / "__init__.pyi"
MODULE_EXPORTS = {"examples", "plot"}  # names that are submodules, not attributes of one


def stub_text() -> str:
    sys.path.insert(0, str(ROOT))
    from landscape_widgets import _EXPORTS  # a plain dict: importing it loads nothing heavy

    by_module: dict[str, list[str]] = defaultdict(list)
    modules: list[str] = []
    for name, module in _EXPORTS.items():
        if name in MODULE_EXPORTS:
            modules.append(name)
        else:
            by_module[module].append(name)
    lines = [
        '"""Types of the lazily exported public names (written by scripts/write_stub.py)."""',
        "",
        "__version__: str",
        "",
    ]
    # one statement per name, submodules first: the order ruff's import sorting keeps
    lines.extend(f"from . import {name} as {name}" for name in sorted(modules))
    for module in sorted(by_module):
        lines.extend(f"from {module} import {name} as {name}" for name in sorted(by_module[module]))
    lines += ["", "__all__ = ["]
    lines.extend(f'    "{name}",' for name in sorted(_EXPORTS))
    lines += ["]", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    STUB.write_text(stub_text())
    print(f"wrote {STUB.relative_to(ROOT)}")
