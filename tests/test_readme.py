"""The README's quickstart and curvature snippets run as written (a README that lies is a bug)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks_after(heading: str) -> str:
    text = README.read_text()
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, f"no python block under '## {heading}'"
    return blocks[0]


def test_quickstart_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = python_blocks_after("Quickstart").replace("resolution=41", "resolution=9")
    namespace: dict = {}
    exec(compile(code, "README quickstart", "exec"), namespace)
    land, tree = namespace["land"], namespace["tree"]
    assert land.shape == (9, 9)
    assert tree.n_minima >= 1
    assert (tmp_path / "digits.npz").exists()


def test_curvature_snippet_runs():
    from landscape_widgets import examples

    model, loss_fn, data = examples.digits_mlp(hidden=8, epochs=5)
    other_model, _, _ = examples.digits_mlp(hidden=8, epochs=5, seed=1)
    namespace = {"model": model, "loss_fn": loss_fn, "data": data, "other_model": other_model}
    exec(
        "import landscape_widgets as lw\n" + python_blocks_after("Subspaces and curvature"),
        namespace,
    )
    assert len(namespace["hsub"].eigenvalues) == 3
    assert namespace["line"].dims == 1


@pytest.mark.parametrize("heading", ["Topology", "Drawing the topology"])
def test_topology_snippets_run(heading):
    import numpy as np

    from landscape_widgets import examples

    land = examples.four_wells(resolution=41)
    rng = np.random.default_rng(0)
    points = rng.normal(size=(200, 2))
    losses = (points**2).sum(1)
    namespace = {"land": land, "points": points, "losses": losses}
    code = "import landscape_widgets as lw\n"
    if heading == "Drawing the topology":
        code += "tree = lw.merge_tree(land)\n"
    exec(code + python_blocks_after(heading), namespace)
    assert namespace["tree"].n_minima == 4
