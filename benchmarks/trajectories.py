"""Time of each stage of the trajectory pipeline (Horoi et al.) for 640 and 3,000 samples.

Stages, on a real model (a 64-32-10 MLP trained on scikit-learn's digits, 2,410 parameters):

1. sampling:  jump_and_retrain (SGD, momentum 0.9, lr 0.05, mini-batches of 128, exact train loss
              after every epoch): the paper's layout 4 seeds x 4 steps x 40 samples (39 epochs +
              the jump point) = 640, and 15 seeds x 5 steps x 40 = 3,000;
2. phate:     phate_embedding (cosine kernel and MDS, exact: no landmarks at these sizes), with
              t="auto" (von Neumann entropy knee) and with a fixed t = 20;
3. pca:       pca_embedding, for comparison;
4. knn:       kNN graph (k = 20, nearest diffusion-potential distances, exact brute force);
5. persistence: D0/D1 of the loss on it (gudhi), on the 1-complex and on the flag complex.

Usage:  python benchmarks/trajectories.py [--quick] [--json out.json]
        --quick: one small run (2 seeds x 2 steps x 16 samples = 64 samples), a minute at most.
Torch runs single-threaded (a tiny model gains nothing from threads, and on a busy machine its
thread pool slows small ops a thousandfold); numpy/BLAS (PHATE, kNN) use every core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from typing import Any

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

LAYOUTS = {  # samples: (seeds, step sizes, epochs); record_jump adds one sample per trajectory
    64: (range(2), (0.5, 1.0), 15),
    640: (range(4), (0.25, 0.5, 0.75, 1.0), 39),
    3000: (range(15), (0.2, 0.4, 0.6, 0.8, 1.0), 39),
}


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def run(n: int) -> dict[str, Any]:
    import torch

    import landscape_widgets as lw
    from landscape_widgets.trajectories import (
        jump_and_retrain,
        knn_on_potential,
        pca_embedding,
        phate_embedding,
        sublevel_persistence,
    )

    torch.set_num_threads(1)
    seeds, steps, epochs = LAYOUTS[n]
    model, loss_fn, (x, y) = lw.examples.digits_mlp(hidden=32, epochs=60)
    train, evals = (x[:1500], y[:1500]), (x[1500:], y[1500:])
    row: dict[str, Any] = {"samples": n}
    traj, row["sampling_s"] = timed(
        jump_and_retrain, model, loss_fn, train,
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), seeds=tuple(seeds),
        step_sizes=steps, epochs=epochs, eval_data=evals, batch_size=128, progress=False)
    assert traj.n_samples == n, traj
    row["params_mb"] = round(traj.params.nbytes / 2**20, 1)
    row["epochs_total"] = len(seeds) * len(steps) * epochs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        emb, row["phate_auto_t_s"] = timed(phate_embedding, traj, t="auto")
        _, row["phate_t20_s"] = timed(phate_embedding, traj, t=20)
    row["phate_t"] = emb.t
    _, row["pca_s"] = timed(pca_embedding, traj)
    graph, row["knn_s"] = timed(knn_on_potential, emb, 20)
    row["edges"] = graph.n_edges
    pers, row["persistence_graph_s"] = timed(sublevel_persistence, graph, traj.train_loss)
    flag, row["persistence_flag_s"] = timed(sublevel_persistence, graph, traj.train_loss, "flag")
    row["d0"], row["d1"] = len(pers.d0), len(pers.d1)
    row["components"] = int((~np.isfinite(pers.d0[:, 1])).sum())  # essential D0 classes
    row["d1_flag_finite"] = int(np.isfinite(flag.d1[:, 1]).sum())
    row["total_persistence"] = round(pers.total_persistence(), 4)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small run (64 samples)")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    sizes = [64] if args.quick else [640, 3000]
    import phate

    print(f"python {platform.python_version()}, numpy {np.__version__}, phate "
          f"{phate.__version__}, {os.cpu_count()} cores")
    # warm numba/graphtools caches, so compile time is not charged to the first size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from landscape_widgets.trajectories import phate_embedding

        start = time.perf_counter()
        phate_embedding(np.random.default_rng(0).normal(size=(60, 20)) + 3.0, t=5)
        print(f"PHATE warm-up (numba compile, first call in a process): "
              f"{time.perf_counter() - start:.1f} s")
    rows = []
    for n in sizes:
        row = run(n)
        rows.append(row)
        print(f"\n{n} samples ({row['epochs_total']} retraining epochs, params "
              f"{row['params_mb']} MB):")
        for key in ("sampling_s", "phate_auto_t_s", "phate_t20_s", "pca_s", "knn_s",
                    "persistence_graph_s", "persistence_flag_s"):
            print(f"  {key[:-2]:<20} {row[key]:8.2f} s")
        print(f"  PHATE t chosen: {row['phate_t']}; graph: {row['edges']} edges, "
              f"{row['components']} components; D0 {row['d0']} pairs ({row['components']} "
              f"essential), D1 {row['d1']} (flag complex: {row['d1_flag_finite']} finite); total "
              f"persistence {row['total_persistence']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
