"""The README's Topology snippets for the super-level tree, contour tree and distances run."""

import re
from pathlib import Path

import numpy as np

import landscape_widgets as lw

README = Path(__file__).resolve().parents[2] / "README.md"


def test_topology_snippet_runs():
    section = README.read_text().split("## Topology\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    snippet = next(b for b in blocks if "contour_tree" in b)
    land = lw.Landscape.from_function(
        lambda p: (p**2).sum(1) + 0.3 * np.sin(5 * p).sum(1), resolution=15)
    other = lw.Landscape.from_function(lambda p: (p**2).sum(1), resolution=15)
    coll = lw.LandscapeCollection()
    coll.add({"run": 0}, land)
    coll.add({"run": 1}, other)
    namespace = {"lw": lw, "land": land, "coll": coll, "tree": lw.merge_tree(land),
                 "other_tree": lw.merge_tree(other)}
    exec(compile(snippet, "README topology", "exec"), namespace)
    assert namespace["split"].is_super and namespace["ct"].minima.size >= 1
    assert namespace["xy"].shape == (2, 2)
