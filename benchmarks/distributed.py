"""Serial vs a Dask LocalCluster of 2 worker processes (1 thread each), in the same run:

- a training sweep of 8 entries (train an MLP, then its 21² landscape), ``lw.sweep_training``;
- one 41³ landscape of one model, ``lw.sample_landscape(executor=client)``;
- the per-task overhead: an empty task's round trip, and our block task on a one-chunk block.

Both sides run one torch thread per process (the workers' setting), so serial = one core and the
ideal speed-up is 2×. Values are checked equal to the serial ones bit for bit.

On a machine shared with other jobs wall times measure the load as much as the code, so the run
also samples the load average every 2 s (min / mean / max) and counts CPU seconds: the serial
process's, and each worker's during each Dask run (psutil). ``serial CPU / busiest worker's
CPU`` is the speed-up the same work would give on 2 idle cores, scheduling waits excluded.

    python benchmarks/distributed.py            # about 4-6 minutes on 2 idle cores
    python benchmarks/distributed.py --quick    # 4 entries, a 21³ landscape
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
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


def cpu_seconds() -> float:
    """This process's CPU time, user + system (run on each worker by ``client.run``)."""
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


class LoadSampler:
    """The 1-minute load average every ``every`` seconds, in a background thread."""

    def __init__(self, every: float = 2.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(every)

    def summary(self) -> str:
        self._stop.set()
        self._thread.join()
        s = self.samples
        return f"min {min(s):.1f}, mean {sum(s) / len(s):.1f}, max {max(s):.1f} ({len(s)} samples)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--epochs", type=int, default=300,
                        help="training epochs per sweep entry (the size of one task)")
    args = parser.parse_args()
    from collections import Counter

    from dask.distributed import Client, LocalCluster, get_task_stream  # (__main__ by value)

    torch.set_num_threads(1)
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")
    load = LoadSampler()
    grid = {"lr": [1e-3, 3e-3, 1e-2, 3e-2], "seed": [0, 1] if not args.quick else [0],
            "epochs": [args.epochs]}
    print(f"sweep entries: {args.epochs} epochs each")
    res3 = 21 if args.quick else 41
    sweep_kw = dict(dims=2, resolution=21, extent=0.5, chunk_size=64, progress=False)
    x, y = data()

    # serial, cold (this process's first sweep: imports, torch's first use) and warm (again)
    t_sweep_serials, c_sweep_serials = [], []
    for _ in range(2):
        t, c = time.perf_counter(), cpu_seconds()
        serial = lw.sweep_training(train, grid, LOSS, (x, y), **sweep_kw)
        t_sweep_serials.append(time.perf_counter() - t)
        c_sweep_serials.append(cpu_seconds() - c)
    net = train({"lr": 1e-2, "seed": 0})
    sub = lw.random_subspace(net, dims=3, seed=0)
    land_kw = dict(resolution=res3, extent=0.5, chunk_size=64, progress=False)
    t_land_serials, c_land_serials = [], []
    for _ in range(2):
        t, c = time.perf_counter(), cpu_seconds()
        land_serial = lw.sample_landscape(net, LOSS, (x, y), sub, **land_kw)
        t_land_serials.append(time.perf_counter() - t)
        c_land_serials.append(cpu_seconds() - c)

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=40)
    with Client(cluster) as client:
        client.submit(noop, 0).result()  # workers up
        client.run(lambda: __import__("torch").ones(1))  # torch imported on each worker
        # cold: the workers import landscape_widgets and warm torch up on their first tasks;
        # warm: the same again (a notebook's second sweep)
        t_sweep_dask, t_land_dask = [], []
        c_sweep_dask, c_land_dask = [], []  # (client CPU s, busiest worker's CPU s)
        split: list[list[int]] = []  # the landscape's tasks per worker

        def cpu_used(run, before_client, before_workers):
            after = client.run(cpu_seconds)
            used = max(after[w] - before_workers[w] for w in after)
            run.append((cpu_seconds() - before_client, used))

        for _ in range(2):
            t, c, cw = time.perf_counter(), cpu_seconds(), client.run(cpu_seconds)
            coll = lw.sweep_training(train, grid, LOSS, (x, y), executor=client, **sweep_kw)
            t_sweep_dask.append(time.perf_counter() - t)
            cpu_used(c_sweep_dask, c, cw)
            t, c, cw = time.perf_counter(), cpu_seconds(), client.run(cpu_seconds)
            with get_task_stream(client) as stream:
                land = lw.sample_landscape(net, LOSS, (x, y), sub, executor=client, **land_kw)
            t_land_dask.append(time.perf_counter() - t)
            cpu_used(c_land_dask, c, cw)
            split.append(sorted(Counter(r["worker"] for r in stream.data
                                        if r["key"].startswith("_evaluate_block")).values()))
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
    print(f"load average at end: {os.getloadavg()}; sampled during the run: {load.summary()}")
    n_entries = len(serial)
    (s_cold, s_warm), (cold, warm) = t_sweep_serials, t_sweep_dask
    print(f"sweep, {n_entries} entries (train + 21² landscape), cold / warm: serial "
          f"{s_cold:.1f} / {s_warm:.1f} s, 2 workers {cold:.1f} / {warm:.1f} s, speed-up "
          f"{s_cold / cold:.2f}x / {s_warm / warm:.2f}x, equal bit for bit: {same_sweep}")
    (s_cold, s_warm), (cold, warm) = t_land_serials, t_land_dask
    print(f"{res3}³ landscape ({land.provenance.extra['plan']['tasks']} tasks of "
          f"{land.provenance.extra['plan']['block']} points), cold / warm: serial "
          f"{s_cold:.1f} / {s_warm:.1f} s, 2 workers {cold:.1f} / {warm:.1f} s, speed-up "
          f"{s_cold / cold:.2f}x / {s_warm / warm:.2f}x, "
          f"equal bit for bit: {np.array_equal(land.values, land_serial.values)}")
    for what, serials, runs in (("sweep", c_sweep_serials, c_sweep_dask),
                                ("landscape", c_land_serials, c_land_dask)):
        print(f"{what} CPU seconds, cold / warm: serial {serials[0]:.1f} / {serials[1]:.1f}; "
              f"on Dask: client {runs[0][0]:.1f} / {runs[1][0]:.1f}, busiest worker "
              f"{runs[0][1]:.1f} / {runs[1][1]:.1f}; serial CPU / busiest worker's: "
              f"{serials[0] / runs[0][1]:.2f}x / {serials[1] / runs[1][1]:.2f}x")
    print(f"landscape tasks per worker, cold / warm: {split[0]} / {split[1]}")
    print(f"empty Dask task round trip: {1e3 * t_noop:.2f} ms a task (200 tasks)")
    print(f"8³ landscape in 8 one-chunk tasks: {t_blocks:.2f} s on 2 workers vs "
          f"{t_blocks_serial:.2f} s serial (fixed cost: centre, plan probe, scatter)")


if __name__ == "__main__":
    main()
