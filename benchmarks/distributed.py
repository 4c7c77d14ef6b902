"""Serial vs a Dask LocalCluster of 2 worker processes (1 thread each), in the same run:

- a training sweep of 8 entries (train an MLP, then its 21² landscape), ``lw.sweep_training``;
- one 41³ landscape of one model, ``lw.sample_landscape(executor=client)``;
- the per-task overhead: an empty task's round trip, and our block task on a one-chunk block.

Both sides run one torch thread per process (the workers' setting), so serial = one core and the
ideal speed-up is 2×. Values are checked equal to the serial ones bit for bit.

    python benchmarks/distributed.py            # about 3-5 minutes on 2 cores
    python benchmarks/distributed.py --quick    # 4 entries, a 21³ landscape
"""

from __future__ import annotations

import argparse
import os
import sys
import time

# this file's name shadows the `distributed` package when run as a script: drop its folder
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(
    os.path.abspath(__file__))]

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import landscape_widgets as lw  # noqa: E402

LOSS = nn.CrossEntropyLoss()


def data(n: int = 512, d: int = 16, classes: int = 4) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, d, generator=g)
    w = torch.randn(d, classes, generator=g)
    return x, (x @ w).argmax(1)


def make_net(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 4))


def train(config: dict) -> nn.Module:
    net = make_net(int(config["seed"]))
    x, y = data()
    opt = torch.optim.Adam(net.parameters(), lr=float(config["lr"]))
    for _ in range(int(config.get("epochs", 300))):
        opt.zero_grad()
        LOSS(net(x), y).backward()
        opt.step()
    return net


def noop(i: int) -> int:
    return i


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    from dask.distributed import Client, LocalCluster  # (functions of __main__ go by value)

    torch.set_num_threads(1)
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")
    grid = {"lr": [1e-3, 3e-3, 1e-2, 3e-2], "seed": [0, 1] if not args.quick else [0]}
    res3 = 21 if args.quick else 41
    sweep_kw = dict(dims=2, resolution=21, extent=0.5, chunk_size=64, progress=False)
    x, y = data()

    t = time.perf_counter()
    serial = lw.sweep_training(train, grid, LOSS, (x, y), **sweep_kw)
    t_sweep_serial = time.perf_counter() - t
    net = train({"lr": 1e-2, "seed": 0})
    sub = lw.random_subspace(net, dims=3, seed=0)
    land_kw = dict(resolution=res3, extent=0.5, chunk_size=64, progress=False)
    t = time.perf_counter()
    land_serial = lw.sample_landscape(net, LOSS, (x, y), sub, **land_kw)
    t_land_serial = time.perf_counter() - t

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=40)
    with Client(cluster) as client:
        client.submit(noop, 0).result()  # workers up
        client.run(lambda: __import__("torch").ones(1))  # torch imported on each worker
        # cold: the workers import landscape_widgets and warm torch up on their first tasks;
        # warm: the same again (a notebook's second sweep)
        t_sweep_dask, t_land_dask = [], []
        for _ in range(2):
            t = time.perf_counter()
            coll = lw.sweep_training(train, grid, LOSS, (x, y), executor=client, **sweep_kw)
            t_sweep_dask.append(time.perf_counter() - t)
            t = time.perf_counter()
            land = lw.sample_landscape(net, LOSS, (x, y), sub, executor=client, **land_kw)
            t_land_dask.append(time.perf_counter() - t)
        n = 200
        t = time.perf_counter()
        client.gather([client.submit(noop, i, pure=False) for i in range(n)])
        t_noop = (time.perf_counter() - t) / n
        # our block task: a one-chunk block (64 points) vs the same chunk in this process
        t = time.perf_counter()
        lw.sample_landscape(net, LOSS, (x, y), sub, executor=client, task_points=64,
                            check_determinism=False, **{**land_kw, "resolution": 8})
        t_blocks = time.perf_counter() - t
        t = time.perf_counter()
        lw.sample_landscape(net, LOSS, (x, y), sub, check_determinism=False,
                            **{**land_kw, "resolution": 8})
        t_blocks_serial = time.perf_counter() - t
    cluster.close()

    same_sweep = all(
        serial.landscape(e).values.tobytes() == coll.landscape(coll.get(dict(e.key))).values
        .tobytes() for e in serial)
    print(f"load average at end: {os.getloadavg()}")
    n_entries = len(serial)
    cold, warm = t_sweep_dask
    print(f"sweep, {n_entries} entries (train + 21² landscape): serial {t_sweep_serial:.1f} s, "
          f"2 workers {cold:.1f} s cold / {warm:.1f} s warm, speed-up "
          f"{t_sweep_serial / cold:.2f}x / {t_sweep_serial / warm:.2f}x, "
          f"equal bit for bit: {same_sweep}")
    cold, warm = t_land_dask
    print(f"{res3}³ landscape ({land.provenance.extra['plan']['tasks']} tasks of "
          f"{land.provenance.extra['plan']['block']} points): serial {t_land_serial:.1f} s, "
          f"2 workers {cold:.1f} s cold / {warm:.1f} s warm, speed-up "
          f"{t_land_serial / cold:.2f}x / {t_land_serial / warm:.2f}x, "
          f"equal bit for bit: {np.array_equal(land.values, land_serial.values)}")
    print(f"empty Dask task round trip: {1e3 * t_noop:.2f} ms a task (200 tasks)")
    print(f"8³ landscape in 8 one-chunk tasks: {t_blocks:.2f} s on 2 workers vs "
          f"{t_blocks_serial:.2f} s serial (fixed cost: centre, plan probe, scatter)")


if __name__ == "__main__":
    main()
