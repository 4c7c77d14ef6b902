"""binder/: CPU-only torch, the package with its widgets, and a start script that runs the
notebooks at the small sizes (Binder's machines cannot run the paper-sized defaults)."""

import os
import subprocess
from pathlib import Path

BINDER = Path(__file__).resolve().parent.parent / "binder"


def test_requirements_take_cpu_torch_and_the_package():
    text = (BINDER / "requirements.txt").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text
    assert "torch==" in text
    assert "-e .[widgets" in text


def test_start_script_selects_the_small_sizes_and_runs_the_server_command():
    start = BINDER / "start"
    assert os.access(start, os.X_OK), "binder/start must be executable"
    env = {k: v for k, v in os.environ.items() if k != "LW_CI"}
    out = subprocess.run([str(start), "sh", "-c", 'echo "LW_CI=$LW_CI args=$0"'],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "LW_CI=1 args=sh"


def _requirement_closure(lines: list[str]) -> set[str]:
    """Distributions that installing ``lines`` (a requirements file) brings, from the installed
    metadata: each requirement with its extras, then their dependencies, transitively."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    todo: list[tuple[str, set[str]]] = []
    for line in lines:
        line = line.split("#")[0].strip()
        if not line or line.startswith("--"):
            continue
        if line.startswith("-e "):  # the package itself, "-e .[extras]"
            extras = line.partition("[")[2].rstrip("]")
            todo.append(("landscape_widgets", {e.strip() for e in extras.split(",") if e.strip()}))
        else:
            req = Requirement(line)
            todo.append((req.name, set(req.extras)))
    seen: set[str] = set()
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in seen:
            continue
        seen.add(key)
        for text in metadata.requires(name) or []:
            req = Requirement(text)
            wanted = not req.marker or any(
                req.marker.evaluate({"extra": extra}) for extra in (extras or {""})
            )
            if wanted:
                todo.append((req.name, set(req.extras)))
    return seen


def _notebook_imports() -> dict[str, set[str]]:
    """Top-level modules each notebook imports (code cells, IPython magics skipped)."""
    import ast
    import json
    import sys

    found: dict[str, set[str]] = {}
    for path in sorted((BINDER.parent / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            lines = "".join(cell["source"]).splitlines()
            code = "\n".join(ln for ln in lines if not ln.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top != "landscape_widgets":
                        found.setdefault(top, set()).add(path.name)
    return found


def test_requirements_install_everything_the_notebooks_import():
    from importlib import metadata

    from packaging.utils import canonicalize_name

    installed = _requirement_closure((BINDER / "requirements.txt").read_text().splitlines())
    assert {"torch", "jupyterlab", "anywidget"} <= installed  # the closure is really walked
    providers = metadata.packages_distributions()
    missing = {
        module: sorted(notebooks)
        for module, notebooks in _notebook_imports().items()
        if not {canonicalize_name(d) for d in providers.get(module, [module])} & installed
    }
    assert not missing, f"binder/requirements.txt lacks what these notebooks import: {missing}"


def test_requirements_take_every_runtime_extra():
    # the notebooks together use every feature, some through lazy imports the test above cannot
    # see (lw.phate_embedding imports phate on first call): so Binder installs every extra but
    # the test and benchmark tools (and "torch", pinned to the CPU wheel on its own line)
    import tomllib

    project = tomllib.loads((BINDER.parent / "pyproject.toml").read_text())["project"]
    runtime = set(project["optional-dependencies"]) - {"test", "bench", "torch"}
    line = next(ln for ln in (BINDER / "requirements.txt").read_text().splitlines()
                if ln.startswith("-e ."))
    taken = {e.strip() for e in line.partition("[")[2].rstrip("]").split(",")}
    assert runtime <= taken, f"binder/requirements.txt misses the extras {sorted(runtime - taken)}"
