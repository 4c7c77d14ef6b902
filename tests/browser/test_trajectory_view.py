"""TrajectoryView in Chromium, from its offline HTML export: clicking a diagram point rings the
samples of its birth and death; clicking a sample lights its pairs; the colour dropdown works
without a kernel; draw time at 3,000 samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from landscape_widgets import examples
from landscape_widgets.trajectories import Trajectories, pca_embedding, trajectory_topology
from landscape_widgets.widgets.trajectory_view import TrajectoryView

from .conftest import open_export

pytestmark = pytest.mark.browser


def walks(n_traj: int, epochs: int, seed: int = 0) -> Trajectories:
    """Trajectories that start far out and relax towards a centre; loss = squared distance."""
    return examples.relaxing_walks(n_traj, epochs, seed)


def test_click_diagram_point_highlights_birth_and_death(page: Any, tmp_path: Path) -> None:
    traj = walks(8, 10)
    diagrams = trajectory_topology(traj.params, traj.train_loss, k=5)
    view = TrajectoryView(traj, pca_embedding(traj), diagrams)
    open_export(page, view, tmp_path / "traj.html")
    assert page.locator(".lw-trajectory .lw-sample").count() == traj.n_samples
    assert page.locator(".lw-trajectory .lw-jump").count() == 8
    # a finite D0 pair: its birth and its death sample get ringed in the embedding
    finite = np.flatnonzero(np.isfinite(diagrams.d0[:, 1]))
    assert finite.size
    birth, death = (int(v) for v in diagrams.d0_vertices[finite[0]])
    point = page.locator(f'.lw-pair.lw-d0[data-birth="{birth}"][data-death="{death}"]')
    point.dispatch_event("pointerdown", {"button": 0})
    point.dispatch_event("pointerup", {"button": 0})
    assert page.get_attribute(".lw-ring.lw-birth", "data-sample") == str(birth)
    assert page.get_attribute(".lw-ring.lw-death", "data-sample") == str(death)
    lit = page.eval_on_selector_all('.lw-samples [aria-selected="true"]',
                                    "ns => ns.map(n => +n.dataset.sample).sort((a, b) => a - b)")
    assert lit == sorted([birth, death])
    assert f"born at sample {birth}, dies at sample {death}" in page.inner_text(".lw-status")
    # a real mouse click on an essential D1 class: only its birth sample is ringed. More than
    # ESSENTIAL_MARKERS (20) of them are not drawn one marker each on the ∞ line but as a strip
    # of counts: a click on one of its bins picks the lowest-born class in it
    essential = ~np.isfinite(diagrams.d1[:, 1])
    births = {int(v) for v in diagrams.d1_vertices[essential, 0]}
    strip = page.locator(".lw-essential-bin[data-dim='1']")
    if int(essential.sum()) > 20:
        assert page.locator(".lw-pair.lw-d1[data-death='-1']").count() == 0  # no markers
        total = page.eval_on_selector_all(
            ".lw-essential-bin[data-dim='1']",
            "ns => ns.reduce((s, n) => s + +n.dataset.essentialCount, 0)")
        assert total == int(essential.sum())
        assert page.text_content(".lw-essential-strip.lw-d1 .lw-essential-count").startswith(
            f"{int(essential.sum()):,} essential D")
        target = strip.first
    else:
        assert strip.count() == 0
        target = page.locator(".lw-pair.lw-d1").last
    box = target.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6)
    chosen = page.locator('[aria-selected="true"]:is(.lw-pair, .lw-essential-bin)')
    assert chosen.count() == 1 and chosen.get_attribute("data-dim") == "1"
    bv = page.get_attribute(".lw-ring.lw-birth", "data-sample")
    assert int(bv) in births
    assert page.locator(".lw-ring.lw-death").count() == 0
    assert page.get_attribute(f'.lw-sample[data-sample="{bv}"]', "aria-selected") == "true"
    # a click on a sample lights the diagram points born or dying there
    node = page.locator(f'.lw-sample[data-sample="{death}"]')
    node.dispatch_event("pointerdown", {"button": 0})
    node.dispatch_event("pointerup", {"button": 0})
    groups = page.eval_on_selector_all('.lw-pair[aria-selected="true"]',
                                       "ns => ns.map(n => [+n.dataset.birth, +n.dataset.death])")
    assert groups and all(death in g for g in groups)
    assert page.get_attribute(".lw-ring.lw-picked", "data-sample") == str(death)


def test_colour_dropdown_offline(page: Any, tmp_path: Path) -> None:
    traj = walks(8, 6)
    view = TrajectoryView(traj, pca_embedding(traj),
                          trajectory_topology(traj.params, traj.train_loss, k=5))
    open_export(page, view, tmp_path / "traj.html")
    fills = "ns => ns.map(n => n.getAttribute('fill'))"
    by_loss = page.eval_on_selector_all(".lw-sample", fills)
    page.select_option("select.lw-color-by", "step")
    by_step = page.eval_on_selector_all(".lw-sample", fills)
    assert by_step != by_loss and len(set(by_step)) == 4  # four step sizes
    assert "c = 0.75" in page.inner_text(".lw-legend")


def test_draws_3000_samples(page: Any, tmp_path: Path) -> None:
    traj = walks(75, 39)  # 75 trajectories x 40 samples
    diagrams = trajectory_topology(traj.params, traj.train_loss, k=20)
    view = TrajectoryView(traj, pca_embedding(traj), diagrams)
    open_export(page, view, tmp_path / "big.html")
    draw_ms = float(page.get_attribute(".lw-trajectory", "data-render-ms"))
    print(f"\n3,000 samples, {len(diagrams.d0)} D0 + {len(diagrams.d1)} D1 pairs: "
          f"draw {draw_ms:.0f} ms")
    assert page.locator(".lw-sample").count() == 3000
    assert draw_ms > 0  # drawn (its time is printed above, not a budget)
