"""A training path on the contour view, opened offline in Chromium: the polyline and markers sit
at the projected coordinates, and clicking a checkpoint shows its epoch and loss (as text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import landscape_widgets as lw

from .conftest import open_export

pytestmark = pytest.mark.browser


def trained_path() -> tuple[Any, Any, Any]:
    """A tiny regression MLP trained for 40 SGD steps, a checkpoint every 8 steps; its landscape
    on the trajectory's PCA plane around the final model, and the projected path."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    x, y = torch.randn(64, 3), torch.randn(64, 1)
    loss_fn = torch.nn.functional.mse_loss
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    states, epochs, losses = [], [], []
    for step in range(41):
        if step % 8 == 0:
            states.append({k: v.clone() for k, v in net.state_dict().items()})
            epochs.append(step)
            with torch.no_grad():
                losses.append(float(loss_fn(net(x), y)))
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()
    net.load_state_dict(states[-1])  # the landscape is centred at the final checkpoint
    sub = lw.trajectory_subspace(states, dims=2, model=net)
    path = lw.project_trajectory(sub, states, model=net, epochs=epochs, losses=losses)
    reach = 1.2 * float(np.abs(path.coords).max(axis=0).max())
    land = lw.sample_landscape(net, loss_fn, (x, y), sub, resolution=25, extent=reach,
                               progress=False)
    return land, path, sub


def test_path_renders_and_a_click_shows_epoch_and_loss(page: Any, tmp_path: Path) -> None:
    land, path, _sub = trained_path()
    view = lw.ContourView(land, trajectory=path, width=560, height=420)
    page.set_viewport_size({"width": 970, "height": 700})
    open_export(page, view, tmp_path / "path.html")
    markers = page.locator(".lw-contour .lw-trajectory circle.lw-checkpoint")
    assert markers.count() == len(path) == 6
    assert page.locator(".lw-contour .lw-trajectory path.lw-trajectory-line").count() == 1
    # marker positions follow the projected coordinates (x right, y up)
    cx = np.array([float(markers.nth(i).get_attribute("cx")) for i in range(6)])
    cy = np.array([float(markers.nth(i).get_attribute("cy")) for i in range(6)])
    a = np.polyfit(path.coords[:, 0], cx, 1)
    b = np.polyfit(path.coords[:, 1], cy, 1)
    np.testing.assert_allclose(np.polyval(a, path.coords[:, 0]), cx, atol=0.1)
    np.testing.assert_allclose(np.polyval(b, path.coords[:, 1]), cy, atol=0.1)
    assert a[0] > 0 > b[0]
    info = page.locator(".lw-contour .lw-trajectory-info")
    assert "6 checkpoints" in info.inner_text()
    # a real click on the third checkpoint (epoch 16)
    page.click(".lw-contour circle.lw-checkpoint[data-index='2']", force=True)
    text = info.inner_text()
    assert text.startswith("epoch 16 · loss ")
    shown = float(text.split("loss ")[1].split(" ·")[0])
    assert shown == pytest.approx(path.losses[2], rel=1e-3)
    assert page.get_attribute(".lw-contour circle.lw-checkpoint[data-index='2']",
                              "aria-selected") == "true"
    assert "off the subspace by" in text  # 6 checkpoints on a plane: residuals are reported
    # the same click selected the basin under the checkpoint (linked through Selection)
    assert page.locator('.lw-contour [aria-selected="true"][data-basin]').count() >= 1
    # a redraw (another colour scale) keeps the clicked checkpoint marked on the new drawing
    drawn = page.get_attribute(".lw-contour .lw-colorbar", "data-scale")
    scale = "linear" if drawn != "linear" else "log"
    page.click(f'.lw-contour .lw-scale button[data-scale="{scale}"]')
    page.wait_for_function(
        f"() => document.querySelector('.lw-contour .lw-colorbar').dataset.scale === '{scale}'")
    assert page.locator(".lw-contour circle.lw-checkpoint").count() == len(path.epochs)
    assert page.get_attribute(".lw-contour circle.lw-checkpoint[data-index='2']",
                              "aria-selected") == "true"
    assert info.inner_text().startswith("epoch 16 · loss ")
    page.screenshot(path=str(tmp_path / "trajectory_path.png"))
    assert not page.errors, page.errors
