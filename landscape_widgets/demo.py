"""The demo: a real model's loss landscape, its topology, and the linked explorer.

Run ``python -m landscape_widgets demo`` (or ``bash scripts/demo.sh``). By default it trains a
physics-informed network for the convection equation at β = 30 (where PINNs fail and their
landscapes turn rough: several basins), samples its loss on a 2-D filter-normalised random plane,
prints the topology summary and writes the linked explorer as a standalone HTML file.
``--example mlp`` uses an MLP on scikit-learn's digits instead (a single, funnel-like basin);
``--lab`` opens the quickstart notebook in JupyterLab.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from .landscape import Landscape


def demo_landscape(
    example: str = "pinn", resolution: int = 41, extent: float = 1.0, progress: bool = True
) -> Landscape:
    """A built-in example's landscape on a 2-D random filter-normalised plane.

    ``example``: "pinn" (convection PINN, β = 30) or "mlp" (digits MLP).
    """
    from .evaluation import sample_landscape
    from .examples import convection_pinn, digits_mlp
    from .subspace import random_subspace

    makers = {"pinn": lambda: convection_pinn(beta=30.0, steps=1000), "mlp": digits_mlp}
    if example not in makers:
        raise ValueError(f"example: expected one of {sorted(makers)}, got {example!r}")
    print(f"training the {example} example...", flush=True)
    model, loss_fn, data = makers[example]()
    sub = random_subspace(model, dims=2, normalization="filter", seed=0)
    return sample_landscape(
        model, loss_fn, data, sub, resolution=resolution, extent=extent, progress=progress
    )


def summary(land: Landscape) -> str:
    """A few lines on the landscape's topology."""
    from .metrics import landscape_metrics
    from .topology import merge_tree

    tree = merge_tree(land, connectivity="full")
    m = landscape_metrics(tree)
    lines = [
        repr(land),
        f"minima: {m.n_minima}   saddles: {m.n_saddles}",
        f"average persistence: {m.average_persistence:.4g}   "
        f"total persistence: {m.total_persistence:.4g}   SMAD: {m.smad:.4g}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m landscape_widgets demo", description=__doc__)
    parser.add_argument("--example", choices=["pinn", "mlp"], default="pinn")
    parser.add_argument("--resolution", type=int, default=41)
    parser.add_argument("--out", default="demo_output/explorer.html", help="static HTML file")
    parser.add_argument("--lab", action="store_true", help="open the quickstart in JupyterLab")
    parser.add_argument(
        "--threads", type=int, default=1,
        help="torch CPU threads (default 1: the demo's small tensors gain nothing from more, "
        "and on a busy machine competing thread pools slow them down by orders of magnitude)",
    )
    args = parser.parse_args(argv)

    if args.lab:
        nb = Path(__file__).resolve().parent.parent / "notebooks" / "01_quickstart.ipynb"
        return subprocess.call([sys.executable, "-m", "jupyter", "lab", str(nb)])

    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    land = demo_landscape(args.example, resolution=args.resolution)
    print(summary(land))
    try:
        from .widgets import Explorer
    except ImportError as err:  # widgets extra not installed
        print(f"(no explorer written: {err})")
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    Explorer(land).to_html(out)
    print(
        f"linked explorer written to {out.resolve()} ({time.perf_counter() - t0:.1f} s); "
        "open it in any browser, no kernel needed"
    )
    return 0
