"""The README's "Figures for papers" snippet runs as written and writes its PDF."""

import landscape_widgets as lw

from ..test_readme import python_blocks_after


def test_figures_snippet_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    land = lw.Landscape.from_function(lw.examples.himmelblau, resolution=31, extent=5.0)
    namespace = {"lw": lw, "land": land, "tree": lw.merge_tree(land)}
    exec(compile(python_blocks_after("Figures for papers"), "README figures", "exec"), namespace)
    assert (tmp_path / "landscape.pdf").read_bytes()[:5] == b"%PDF-"
    assert len(namespace["fig"].axes) == 5  # three panels and two colour bars
