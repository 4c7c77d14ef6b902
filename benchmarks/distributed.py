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

The ceiling: the same sweep entries trained (and their 21² loss evaluated) by a plain loop
without landscape_widgets, in one warm plain process vs two (``ProcessPoolExecutor(1)`` vs
``(2)``): the speed-up this machine gives this work at best. Also the sweep through our API with
``executor=ProcessPoolExecutor(2)``. Dask's worker profiler is off (the README's recommended
setting; ``--dask-profiler`` keeps Dask's default).

    python benchmarks/distributed.py            # about 5-7 minutes on 2 idle cores
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


def plain_entry(config: dict) -> tuple[float, float]:
    """The ceiling's unit of work, without landscape_widgets: ``train`` the entry, then its loss
    at 21² points of a random plane by a plain loop. Returns (this process's CPU s, a checksum)."""
    start = cpu_seconds()
    torch.set_num_threads(1)
    net = train(config)
    x, y = data()
    g = torch.Generator().manual_seed(0)
    base = [p.detach().clone() for p in net.parameters()]
    planes = [[torch.randn(p.shape, generator=g) * 0.5 for p in base] for _ in range(2)]
    total = 0.0
    with torch.no_grad():
        for a in np.linspace(-1, 1, 21):
            for b in np.linspace(-1, 1, 21):
                for p, p0, d1, d2 in zip(net.parameters(), base, *planes):
                    p.copy_(p0 + float(a) * d1 + float(b) * d2)
                total += float(LOSS(net(x), y))
    return cpu_seconds() - start, total


def plain_ceiling(configs: list[dict], workers: int) -> tuple[float, float]:
    """Wall seconds and the busiest process's CPU seconds of ``plain_entry`` over ``configs`` on
    a warmed-up ``ProcessPoolExecutor(workers)`` of fresh processes (start-up excluded: the
    machine's ceiling, not the pool's; 1 vs 2 processes of the same kind, so that neither side
    is this benchmark's big process with Dask and a client in it)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        list(pool.map(plain_entry, [configs[0]] * workers))  # processes up, torch warm
        t = time.perf_counter()
        futures = [pool.submit(_with_pid, c) for c in configs]
        per_pid: dict[int, float] = {}
        for f in futures:
            pid, cpu = f.result()
            per_pid[pid] = per_pid.get(pid, 0.0) + cpu
        return time.perf_counter() - t, max(per_pid.values())


def _with_pid(config: dict) -> tuple[int, float]:
    return os.getpid(), plain_entry(config)[0]


def noop(i: int) -> int:
    return i


def cpu_seconds() -> float:
    """This process's CPU time, user + system (run on each worker by ``client.run``)."""
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def task_thread_cpu() -> float:
    """On a Dask worker: the CPU seconds of its task threads (the rest of ``cpu_seconds`` is the
    event loop: heartbeats, transfers and, when enabled, the statistical profiler)."""
    import threading

    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for t in threading.enumerate():
        if "Dask-Default-Threads" not in t.name:
            continue
        with open(f"/proc/self/task/{t.native_id}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def worker_cpu() -> tuple[float, float]:
    """On a Dask worker: (its process's CPU s, its task threads' CPU s)."""
    return cpu_seconds(), task_thread_cpu()


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
    parser.add_argument("--dask-profiler", action="store_true",
                        help="keep Dask's statistical profiler on in the workers (Dask's "
                        "default; this script turns it off, as the README recommends)")
    parser.add_argument("--epochs", type=int, default=2000,
                        help="training epochs per sweep entry (the size of one task)")
    args = parser.parse_args()
    from collections import Counter

    import dask
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
    # the ceiling: the same entries by a plain loop, in 1 vs 2 plain processes
    configs = [{"lr": lr, "seed": seed, "epochs": args.epochs}
               for lr in grid["lr"] for seed in grid["seed"]]
    plain_serial = plain_ceiling(configs, 1)
    plain_pool = plain_ceiling(configs, 2)
    # our API on a process pool (cold: the pool's first sweep, processes start; warm: again)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    t_pool = []
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        for _ in range(2):
            t = time.perf_counter()
            coll_pool = lw.sweep_training(train, grid, LOSS, (x, y), executor=pool, **sweep_kw)
            t_pool.append(time.perf_counter() - t)
    net = train({"lr": 1e-2, "seed": 0})
    sub = lw.random_subspace(net, dims=3, seed=0)
    land_kw = dict(resolution=res3, extent=0.5, chunk_size=64, progress=False)
    t_land_serials, c_land_serials = [], []
    for _ in range(2):
        t, c = time.perf_counter(), cpu_seconds()
        land_serial = lw.sample_landscape(net, LOSS, (x, y), sub, **land_kw)
        t_land_serials.append(time.perf_counter() - t)
        c_land_serials.append(cpu_seconds() - c)

    # Dask's workers sample their task threads' stacks every 10 ms by default (the dashboard's
    # Profile tab); measured (benchmarks/README.md) it costs a worker ~1.5x the CPU of a serial
    # sweep entry, through the GIL: off unless --dask-profiler
    dask.config.set({"distributed.worker.profile.enabled": bool(args.dask_profiler)})
    print(f"Dask worker profiler: {'on' if args.dask_profiler else 'off'}")
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
            after = client.run(worker_cpu)
            busiest = max(after, key=lambda w: after[w][0] - before_workers[w][0])
            run.append((cpu_seconds() - before_client,
                        after[busiest][0] - before_workers[busiest][0],
                        after[busiest][1] - before_workers[busiest][1]))

        for _ in range(2):
            t, c, cw = time.perf_counter(), cpu_seconds(), client.run(worker_cpu)
            coll = lw.sweep_training(train, grid, LOSS, (x, y), executor=client, **sweep_kw)
            t_sweep_dask.append(time.perf_counter() - t)
            cpu_used(c_sweep_dask, c, cw)
            t, c, cw = time.perf_counter(), cpu_seconds(), client.run(worker_cpu)
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
    same_pool = all(
        serial.landscape(e).values.tobytes() == coll_pool.landscape(coll_pool.get(dict(e.key)))
        .values.tobytes() for e in serial)
    n_entries = len(serial)
    (s_cold, s_warm), (cold, warm) = t_sweep_serials, t_sweep_dask
    print(f"sweep, {n_entries} entries (train + 21² landscape), cold / warm: serial "
          f"{s_cold:.1f} / {s_warm:.1f} s, 2 workers {cold:.1f} / {warm:.1f} s, speed-up "
          f"{s_cold / cold:.2f}x / {s_warm / warm:.2f}x, equal bit for bit: {same_sweep}")
    print(f"  same sweep, executor=ProcessPoolExecutor(2), cold (processes start) / warm: "
          f"{t_pool[0]:.1f} / {t_pool[1]:.1f} s, speed-up {s_cold / t_pool[0]:.2f}x / "
          f"{s_warm / t_pool[1]:.2f}x, equal bit for bit: {same_pool}")
    (p_wall, p_cpu), (q_wall, q_cpu) = plain_serial, plain_pool
    print(f"  CEILING, the same {n_entries} entries by a plain loop (train + 21² plain loss "
          f"loop, no landscape_widgets): 1 warm plain process {p_wall:.1f} s, 2 of them "
          f"{q_wall:.1f} s: {p_wall / q_wall:.2f}x wall; CPU: {p_cpu:.1f} s vs the busiest "
          f"process {q_cpu:.1f} s: {p_cpu / q_cpu:.2f}x")
    print(f"  sweep speed-up on Dask as a share of the ceiling, cold / warm: "
          f"{s_cold / cold / (p_wall / q_wall):.0%} / {s_warm / warm / (p_wall / q_wall):.0%}")
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
              f"{runs[0][1]:.1f} / {runs[1][1]:.1f} (of which its task thread "
              f"{runs[0][2]:.1f} / {runs[1][2]:.1f}, the rest the event loop); serial CPU / "
              f"busiest worker's: {serials[0] / runs[0][1]:.2f}x / {serials[1] / runs[1][1]:.2f}x")
    print(f"  sweep vs the CEILING in CPU terms (load-proof), warm: serial CPU / busiest "
          f"worker's {c_sweep_serials[1] / c_sweep_dask[1][1]:.2f}x on Dask vs "
          f"{p_cpu / q_cpu:.2f}x for 2 plain processes "
          f"({c_sweep_serials[1] / c_sweep_dask[1][1] / (p_cpu / q_cpu):.0%} of the ceiling)")
    print(f"landscape tasks per worker, cold / warm: {split[0]} / {split[1]}")
    print(f"empty Dask task round trip: {1e3 * t_noop:.2f} ms a task (200 tasks)")
    print(f"8³ landscape in 8 one-chunk tasks: {t_blocks:.2f} s on 2 workers vs "
          f"{t_blocks_serial:.2f} s serial (fixed cost: centre, plan probe, scatter)")


if __name__ == "__main__":
    main()
