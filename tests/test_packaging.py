"""`pip install landscape-widgets` alone gives working widgets: everything the widgets import is
brought by the core dependencies (no extra), and torch / matplotlib stay extras."""

import subprocess
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _closure(requirements: list[str]) -> set[str]:
    """Distributions these requirements bring, transitively (from the installed metadata)."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    todo = [Requirement(r) for r in requirements]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        key = canonicalize_name(req.name)
        if key in seen:
            continue
        seen.add(key)
        for text in metadata.requires(req.name) or []:
            dep = Requirement(text)
            if not dep.marker or any(dep.marker.evaluate({"extra": e})
                                     for e in (req.extras or {""})):
                todo.append(dep)
    return seen


def test_the_widgets_need_no_extra():
    from importlib import metadata

    import tomllib  # Python >= 3.11, like the test environment
    from packaging.utils import canonicalize_name

    project = tomllib.loads(PYPROJECT.read_text())["project"]
    core = project["dependencies"]
    names = {canonicalize_name(r.split(">")[0].split("=")[0].split("<")[0]) for r in core}
    assert {"anywidget", "ipywidgets", "traitlets", "contourpy"} <= names
    assert "torch" not in names and "matplotlib" not in names
    assert project["optional-dependencies"]["plot"] == ["matplotlib>=3.7"]

    code = (
        "import sys\n"
        "import landscape_widgets as lw\n"
        "land = lw.examples.four_wells(resolution=15)\n"
        "lw.Explorer(land).to_html('/dev/null')\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = out.stdout.split()
    # what the package's own loaded modules import and what was really imported (dependencies'
    # optional imports, like numba's of PyYAML when it is there, are not requirements)
    imported = set()
    for name in loaded:
        if name == "landscape_widgets" or name.startswith("landscape_widgets."):
            imported |= _imports_of(_module_file(name))
    used = imported & {m.split(".")[0] for m in loaded}
    assert {"anywidget", "ipywidgets", "traitlets", "contourpy", "numpy"} <= used
    providers = metadata.packages_distributions()
    installed_by_core = _closure(core)
    missing = {}
    for module in sorted(used):
        dists = {canonicalize_name(d) for d in providers.get(module, [module])}
        if not dists & installed_by_core:
            missing[module] = sorted(dists)
    assert not missing, f"the widgets import modules no core dependency brings: {missing}"


def _module_file(name: str) -> Path:
    import importlib.util

    return Path(importlib.util.find_spec(name).origin)


def _imports_of(path: Path) -> set[str]:
    """Top-level names of the absolute imports anywhere in a module's source."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"__future__", "landscape_widgets"}
