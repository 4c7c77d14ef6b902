"""Grid evaluation speed: landscape_widgets vs Landscaper 1.3.1 vs a plain loop, in one process.

    python benchmarks/grid_eval.py            # 2-D 21x21 grids, MLP (~100k params) and small CNN
    python benchmarks/grid_eval.py --quick    # 11x11 grids, smaller data: a smoke run
    python benchmarks/grid_eval.py --models mlp --steps 41   # 41x41: fixed costs amortised
    python benchmarks/grid_eval.py --device cuda --models mlp,wide-mlp,wide-cnn   # on a GPU
    python benchmarks/grid_eval.py --models pinn,pinn-jvp   # notebook 03's convection PINN
    python benchmarks/grid_eval.py --models gpt2,gnn   # loss closures on a GPT-2 and a GNN
    python benchmarks/grid_eval.py --models gpt2 --floor   # + its kernels' time alone

For each model the same directions and data go through
  * landscape_widgets.sample_landscape (vmap over chunks of grid points; the exact affine-head
    shortcut when the model starts with Linear/Conv, also timed with the shortcut disabled
    and, for CNNs on the CPU, with the loop's conv/BN/ReLU fusion disabled),
  * Landscaper's ``landscaper.compute.compute_loss_landscape`` (a per-point loop that writes
    parameters into the model and walks to each point by repeated in-place additions),
  * a plain loop (write θ + Σ αᵢ δᵢ into the model, forward, loss).
Printed: points/s, ratios, and the fraction of the machine's peak: FLOPs per point (counted
with torch.utils.flop_counter on one forward) × points/s ÷ a measured torch.mm rate. With the
affine-head shortcut we skip most of the first layer's FLOPs, so its "fraction of peak" counts
the nominal model FLOPs and can exceed what the hardware did; the no-shortcut row is the
honest utilisation figure.

Landscaper's grid: it rescales each direction itself (per tensor to sqrt(numel), then to
``model_norm * distance / (steps / 2)``) and walks integer steps from the centre. We rebuild
those exact directions and sample them on the integer grid -10..10, so both compute the same
landscape; the printed max |difference| checks it (Landscaper adds noise to its maximum value
and replaces NaN/inf, so its argmax is excluded). Timings on a shared machine are noisy: the
methods are run round-robin ``--repeats`` times (so a burst of load hits all of them) and the
median of each is reported, with the spread (min-max) of the ratio to Landscaper.

On CUDA (``--device cuda``) every method runs on the GPU and the peak is a float32 ``torch.mm``
on the GPU, timed between device synchronisations, measured twice: strict float32 (PyTorch's
default for matmuls) and with TF32 allowed (cuDNN's default for convolutions). The "wide"
models are large enough to fill a GPU: an MLP 784-4096-4096-4096-10 on 4,096 samples and a
VGG-style CNN on 512 3x32x32 images.

"pinn" is notebook 03's convection PINN at full size (``examples.convection_pinn``: 2-50-50-50-1
tanh, 1,000 residual + 500 initial/boundary points, forward returning u and its input
derivatives by forward mode written out in one pass); "pinn-jvp" the same network with the
derivatives by two ``torch.func.jvp`` calls (how the example was written before) and
"pinn-autograd" by ``torch.autograd.grad`` inside forward (how most PINN code is written: no
vmap, no ``no_grad``; the loop and Landscaper's loss function run it with autograd on), to show
what the formulation of a user's model costs every tool alike.

"gpt2" and "gnn" take a loss closure ``lw.model_loss(fn)`` (issue 17): a 2-layer GPT-2 from a
Hugging Face config (dict batch, ``model(**batch).loss``) and a PyTorch Geometric GCN on
generated graphs (one ``Batch``, weighted by ``num_graphs``), against Landscaper's
``scalar_fn(model, data)`` loop and a plain loop that writes the parameters into a copy and
calls the closure (the ``transformers`` / ``torch_geometric`` extras). Landscaper takes its
data as one object, so the graphs go to it as one ``Batch`` (the same samples as ours).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import io
import logging
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

import landscape_widgets as lw  # noqa: E402
from landscape_widgets.evaluation import sample_landscape  # noqa: E402
from landscape_widgets.evaluation.race import candidates  # noqa: E402
from landscape_widgets.evaluation.sample import sample_with  # noqa: E402
from landscape_widgets.evaluation.strategy import VmapChunks, is_vmap  # noqa: E402
from landscape_widgets.subspace.base import Subspace  # noqa: E402


def mm_gflops(n: int = 2048, reps: int = 10, device: str = "cpu", tf32: bool = False) -> float:
    """A float32 ``n``-cube matmul's rate in GFLOP/s (on CUDA: TF32 allowed or not)."""
    a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
    saved = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = tf32
    try:
        for _ in range(2):
            a @ b
        sync(device)
        t = time.perf_counter()
        for _ in range(reps):
            a @ b
        sync(device)
        return 2 * n**3 * reps / (time.perf_counter() - t) / 1e9
    finally:
        torch.backends.cuda.matmul.allow_tf32 = saved


def sync(device: str) -> None:
    if str(device).startswith("cuda"):
        torch.cuda.synchronize()


def flops_per_point(model: nn.Module, loss_fn, x, y, grad_in_forward: bool = False) -> float:
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    try:
        with torch.enable_grad() if grad_in_forward else torch.no_grad(), counter:
            loss_fn(model(x), y)
    except RuntimeError:  # the counter cannot follow torch.autograd.grad inside a forward
        return math.nan
    return float(counter.get_total_flops())


def landscaper_directions(model: nn.Module, raw: list[list[torch.Tensor]], steps: int,
                          distance: float) -> list[list[torch.Tensor]]:
    """The step vectors Landscaper 1.3.1 walks along (its compute.py, reproduced)."""
    params = [p.detach() for p in model.parameters()]
    model_norm = torch.sqrt(sum((p**2).sum() for p in params))
    out = []
    for d in raw:
        d = [t * (torch.sqrt(torch.tensor(float(p.numel()))) / (t.norm() + 1e-10))
             for t, p in zip(d, params, strict=True)]
        dir_norm = torch.sqrt(sum((t**2).sum() for t in d))
        out.append([t * ((model_norm * distance) / (steps / 2)) / dir_norm for t in d])
    return out


def plain_loop(model, loss_fn, x, y, steps_dirs, axes, grad_in_forward=False) -> np.ndarray:
    net = copy.deepcopy(model).eval()
    for p in net.parameters():
        p.requires_grad_(False)
    theta = [p.detach().clone() for p in net.parameters()]
    values = []
    with torch.enable_grad() if grad_in_forward else torch.no_grad():
        for a in axes[0]:
            for b in axes[1]:
                for p, t, d0, d1 in zip(net.parameters(), theta, *steps_dirs, strict=True):
                    p.copy_(t + a * d0 + b * d1)
                values.append(float(loss_fn(net(x), y).detach()))
    return np.array(values).reshape(len(axes[0]), len(axes[1]))


def round_robin(fns: dict, repeats: int, device: str = "cpu",
                cpu_times: dict | None = None) -> dict:
    """{label: (seconds of each repeat, last result)}, the methods interleaved; ``cpu_times``
    (a dict, filled): {label: this process's CPU seconds of each repeat}."""
    times: dict = {label: [] for label in fns}
    results: dict = {}
    for _ in range(repeats):
        for label, fn in fns.items():
            sync(device)
            t, c = time.perf_counter(), time.process_time()
            results[label] = fn()
            sync(device)
            times[label].append(time.perf_counter() - t)
            if cpu_times is not None:
                cpu_times.setdefault(label, []).append(time.process_time() - c)
    return {label: (times[label], results[label]) for label in fns}


def bench(name: str, model: nn.Module, x, y, steps: int, repeats: int, peak: float,
          device: str = "cpu", peak_tf32: float | None = None, loss_fn=None,
          grad_in_forward: bool = False) -> dict:
    model.eval().to(device)
    x, y = x.to(device), y.to(device)
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    n_params = sum(p.numel() for p in model.parameters())
    gen = torch.Generator().manual_seed(0)
    raw = [[torch.randn(p.shape, generator=gen).to(device) for p in model.parameters()]
           for _ in range(2)]
    distance = 0.5
    step_dirs = landscaper_directions(model, raw, steps, distance)
    names = [n for n, _ in model.named_parameters()]
    sub = Subspace.from_directions(model, [dict(zip(names, d, strict=True)) for d in step_dirs])
    half = steps // 2
    extent = float(half)  # integer coordinates -half..half, as Landscaper walks
    points = steps**2
    flops = flops_per_point(model, loss_fn, x, y, grad_in_forward)

    paths: dict[str, list[str]] = {}

    def ours(label: str = "landscape_widgets", choose=None):
        if choose is None:
            land = sample_landscape(model, loss_fn, (x, y), sub, resolution=steps,
                                    extent=extent, device=device, progress=False)
        else:
            land = sample_with(choose, model, loss_fn, (x, y), sub, resolution=steps,
                               extent=extent, device=device, progress=False)
        extra = land.provenance.extra
        paths.setdefault(label, []).append(f"{extra['evaluation']}: {extra['strategy']}")
        return land.values

    def no_head(ev, **context):  # the same candidates, vmap without the affine-head shortcut
        return [VmapChunks(ev, s.chunk, head=False) if is_vmap(s) else s
                for s in candidates(ev, **context)]

    def ours_no_head():
        return ours("no head shortcut", no_head)

    def ours_no_fusion():
        return ours("no conv fusion", lambda ev, **context: candidates(ev, **context,
                                                                         fuse=False))

    def landscaper():
        from landscaper.compute import compute_loss_landscape

        def scalar_fn(m, data):
            m.eval()
            with torch.enable_grad() if grad_in_forward else torch.no_grad():
                return float(loss_fn(m(data[0]), data[1]).detach())

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            loss, _ = compute_loss_landscape(model, (x, y), copy.deepcopy(raw), scalar_fn,
                                             steps=steps, distance=distance, dim=2, device=device)
        return loss

    axes = [np.arange(-half, half + 1.0)] * 2
    fns = {"plain loop": lambda: plain_loop(model, loss_fn, x, y, step_dirs, axes,
                                            grad_in_forward),
           "Landscaper 1.3.1": landscaper,
           "landscape_widgets (no head shortcut)": ours_no_head,
           "landscape_widgets": ours}
    if device == "cpu" and any(isinstance(m, nn.Conv2d) for m in model.modules()):
        fns["landscape_widgets (no conv fusion)"] = ours_no_fusion
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tqdm/landscaper chatter
        timed = round_robin(fns, repeats, device)
    rows = {label: (points / float(np.median(ts)), np.asarray(values, dtype=float))
            for label, (ts, values) in timed.items()}
    lands_ts = np.array(timed["Landscaper 1.3.1"][0])
    spread = {label: np.array(ts) for label, (ts, _) in timed.items()}

    ref = rows["plain loop"][1]
    lands = rows["Landscaper 1.3.1"][1]
    keep = np.ones(ref.size, bool)
    keep[np.argmax(lands)] = False
    where = (torch.cuda.get_device_name() if str(device).startswith("cuda")
             else f"{torch.get_num_threads()} threads")
    tf32 = "" if peak_tf32 is None else f" ({peak_tf32:.0f} with TF32)"
    print(f"\n{name}: {n_params:,} parameters, {x.shape[0]} samples, {steps}x{steps} grid, "
          f"{flops / 1e6:.1f} MFLOP per point, float32 torch.mm peak {peak:.0f} GFLOP/s{tf32}, "
          f"{where}")
    print(f"  {'method':38s} {'points/s':>10s} {'vs Landscaper':>14s} {'(min-max)':>12s} "
          f"{'vs loop':>8s} {'% of peak':>10s} {'max |diff| vs loop':>19s}")
    for label, (rate, values) in rows.items():
        diff = np.abs(values - ref).ravel()
        diff = diff[keep].max() if label.startswith("Landscaper") else diff.max()
        per_repeat = lands_ts / spread[label]  # same-repeat ratio to Landscaper
        print(f"  {label:38s} {rate:10.1f} {rate / rows['Landscaper 1.3.1'][0]:13.2f}x "
              f"{per_repeat.min():5.2f}-{per_repeat.max():5.2f}x "
              f"{rate / rows['plain loop'][0]:7.2f}x {100 * flops * rate / 1e9 / peak:9.1f}% "
              f"{diff:19.2e}")
    if peak_tf32 is not None:
        print("  % of the TF32 peak: " + ", ".join(
            f"{label} {100 * flops * rate / 1e9 / peak_tf32:.1f}%"
            for label, (rate, _) in rows.items()))
    print(f"  ({repeats} repeats, medians; path taken by each run of ours:)")
    for label, taken in paths.items():
        print(f"    {label}: {'; '.join(taken)}")
    return {k: v[0] for k, v in rows.items()}


class SmallCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.bn = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 5 * 5, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = nn.functional.max_pool2d(torch.relu(self.bn(self.conv2(x))), 2)
        return self.fc(x.flatten(1))


class WideCNN(nn.Module):
    """VGG-style, big enough to keep a GPU busy: 3x32x32 -> 64 -> 128 -> 256 channels."""

    def __init__(self) -> None:
        super().__init__()
        chans = [3, 64, 128, 256]
        self.features = nn.Sequential(*[
            layer for c_in, c_out in zip(chans, chans[1:])
            for layer in (nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out),
                          nn.ReLU(), nn.MaxPool2d(2))])
        self.fc = nn.Linear(256 * 4 * 4, 10)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


class AutogradPINN(nn.Module):
    """The convection PINN's [u, u_t, u_x] by torch.autograd.grad inside forward."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, points):
        points = points.detach().requires_grad_(True)
        u = self.net(points)
        (grad,) = torch.autograd.grad(u.sum(), points, create_graph=True)
        return torch.cat([u, grad[:, 1:2], grad[:, 0:1]], 1)


class JvpPINN(nn.Module):
    """The convection PINN's [u, u_t, u_x] by two torch.func.jvp calls (u computed twice)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, points):
        e_x, e_t = torch.zeros_like(points), torch.zeros_like(points)
        e_x[:, 0], e_t[:, 1] = 1.0, 1.0
        u, u_x = torch.func.jvp(self.net, (points,), (e_x,))
        _, u_t = torch.func.jvp(self.net, (points,), (e_t,))
        return torch.cat([u, u_t, u_x], 1)


def wide_mlp() -> nn.Module:
    layers: list[nn.Module] = [nn.Linear(784, 4096), nn.ReLU()]
    for _ in range(2):
        layers += [nn.Linear(4096, 4096), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(4096, 10))


# ---------------------------------------------------------------- loss closures (issue 17)
def gpt2(quick: bool):
    import transformers

    logging.getLogger("transformers").setLevel(logging.ERROR)
    torch.manual_seed(0)
    cfg = transformers.GPT2Config(vocab_size=97, n_positions=16, n_embd=64, n_layer=2, n_head=4,
                                  resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                                  bos_token_id=0, eos_token_id=0)
    model = transformers.GPT2LMHeadModel(cfg).eval()
    n = 32 if quick else 128
    ids = torch.randint(0, 97, (n, 12), generator=torch.Generator().manual_seed(1))
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids}
    return model, lw.model_loss(lambda m, b: m(**b).loss), batch


def gnn(quick: bool):
    from torch_geometric.data import Batch, Data
    from torch_geometric.nn import GCNConv, global_mean_pool

    class GNN(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1, self.conv2 = GCNConv(8, 64), GCNConv(64, 64)
            self.head = torch.nn.Linear(64, 1)

        def forward(self, b):
            h = torch.relu(self.conv1(b.x, b.edge_index))
            h = torch.relu(self.conv2(h, b.edge_index))
            return self.head(global_mean_pool(h, b.batch, size=b.num_graphs)).squeeze(-1)

    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    graphs = []
    for _ in range(32 if quick else 128):
        k = int(torch.randint(8, 25, (1,), generator=gen))
        x = torch.randn(k, 8, generator=gen)
        src = torch.arange(k)
        extra = torch.randint(0, k, (k,), generator=gen)
        edges = torch.stack([torch.cat([src, (src + 1) % k, extra]),
                             torch.cat([(src + 1) % k, src, src])])
        graphs.append(Data(x=x, edge_index=edges, y=x.mean().reshape(1)))
    loss = lw.model_loss(lambda m, b: torch.nn.functional.mse_loss(m(b), b.y),
                         batch_size=lambda b: b.num_graphs)
    return GNN().eval(), loss, Batch.from_data_list(graphs)


def closure_plain_loop(model, loss, batch, step_dirs, axes) -> np.ndarray:
    """Write θ + a·d₀ + b·d₁ into a copy, call the closure."""
    net = copy.deepcopy(model).eval()
    theta = [p.detach().clone() for p in net.parameters()]
    out = []
    with torch.no_grad():
        for a in axes[0]:
            for b in axes[1]:
                for p, t, d0, d1 in zip(net.parameters(), theta, *step_dirs, strict=True):
                    p.copy_(t + a * d0 + b * d1)
                out.append(float(loss(net, batch)))
    return np.array(out).reshape(len(axes[0]), len(axes[1]))


def bench_closure(name: str, model, loss, batch, steps: int, repeats: int) -> None:
    from landscaper.compute import compute_loss_landscape

    gen = torch.Generator().manual_seed(0)
    raw = [[torch.randn(p.shape, generator=gen) for p in model.parameters()] for _ in range(2)]
    distance = 0.5
    step_dirs = landscaper_directions(model, raw, steps, distance)
    names = [n for n, _ in model.named_parameters()]
    sub = Subspace.from_directions(model, [dict(zip(names, d, strict=True)) for d in step_dirs])
    half = steps // 2
    axes = [np.arange(-half, half + 1.0)] * 2
    paths = []

    def ours():
        land = sample_landscape(model, loss, batch, sub, resolution=steps,
                                   extent=float(half), device="cpu", progress=False)
        extra = land.provenance.extra
        paths.append(f"{extra['evaluation']}: {extra['strategy']}")
        return land.values

    def landscaper():
        def scalar_fn(m, data):
            m.eval()
            with torch.no_grad():
                return float(loss(m, data))

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            values, _ = compute_loss_landscape(model, batch, copy.deepcopy(raw), scalar_fn,
                                               steps=steps, distance=distance, dim=2,
                                               device="cpu")
        return values

    fns = {"plain loop": lambda: closure_plain_loop(model, loss, batch, step_dirs, axes),
           "Landscaper 1.3.1 (scalar_fn)": landscaper, "landscape_widgets": ours}
    cpu: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timed = round_robin(fns, repeats, cpu_times=cpu)
    points = steps ** 2
    ref = np.asarray(timed["plain loop"][1], dtype=float)
    lands_rate = points / float(np.median(timed["Landscaper 1.3.1 (scalar_fn)"][0]))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"\n{name}: {n_params:,} parameters, {steps}x{steps} grid, "
          f"{torch.get_num_threads()} threads")
    lands_ts = np.array(timed["Landscaper 1.3.1 (scalar_fn)"][0])
    lands_cpu = float(np.median(cpu["Landscaper 1.3.1 (scalar_fn)"]))
    print(f"  {'method':32s} {'points/s':>10s} {'vs Landscaper':>14s} {'(min-max)':>12s} "
          f"{'CPU time':>9s} {'max |diff| vs loop':>19s}")
    for label, (ts, values) in timed.items():
        rate = points / float(np.median(ts))
        per_repeat = lands_ts / np.array(ts)  # same-repeat ratio to Landscaper
        values = np.asarray(values, dtype=float)
        keep = np.ones(values.size, bool)
        if label.startswith("Landscaper"):  # it adds noise to its maximum value
            keep[np.argmax(values)] = False
        diff = float(np.abs(values - ref).ravel()[keep].max())
        by_cpu = lands_cpu / float(np.median(cpu[label]))  # (robust to other processes)
        print(f"  {label:32s} {rate:10.1f} {rate / lands_rate:13.2f}x "
              f"{per_repeat.min():5.2f}-{per_repeat.max():5.2f}x {by_cpu:8.2f}x {diff:19.2e}")
    print(f"  ({repeats} repeats, medians; 'CPU time': the ratio of this process's median CPU "
          f"seconds, which time-slicing by other processes does not inflate (1 thread); path "
          f"taken by each run of ours: {'; '.join(paths)})")



def kernel_floor(model, loss, batch, repeats: int = 9) -> None:
    """The per-point time of the matrix-product and attention kernels alone, replayed with the
    inputs they get at one grid point, against our captured replay and the eager closure
    (Landscaper's ``scalar_fn`` per point): the largest speed-up any evaluator that runs these
    kernels (no compiler fusing them) could reach. Process CPU time, interleaved, minima."""
    from landscape_widgets.evaluation.capture import CapturedGraphs
    from landscape_widgets.evaluation.functional import PointLoss
    from landscape_widgets.model.data import as_batches

    sub = lw.random_subspace(model, dims=2, seed=0)
    ev = PointLoss(model, loss, as_batches(batch, loss), sub, torch.device("cpu"),
                   torch.float32)
    graphs = CapturedGraphs.of(ev, np.zeros(2), ev.at(np.zeros(2)), batched=False)
    if graphs is None:
        print("  (the closure was not captured: no kernel floor)")
        return
    (gm, _m), = graphs.graphs
    alphas = ev.as_alphas(np.array([0.3, -0.2]))
    params = ev.params_at(alphas)
    args = [params[n] for n in ev.names] + [alphas]
    aten = torch.ops.aten
    attention = aten._scaled_dot_product_flash_attention_for_cpu.default
    heavy = {aten.addmm.default, aten.mm.default, aten.bmm.default, torch.sparse.mm, attention}
    calls = []

    class Recorder(torch.fx.Interpreter):
        def run_node(self, n):
            out = super().run_node(n)
            if n.op == "call_function" and n.target in heavy:
                a, k = self.fetch_args_kwargs_from_env(n)
                calls.append((n.target, tuple(x.clone() if isinstance(x, torch.Tensor) else x
                                              for x in a), dict(k)))
            return out

    with torch.no_grad():
        Recorder(gm).run(*args)

    def kernels(products_only=False):
        for f, a, k in calls:
            if not (products_only and f == attention):
                f(*a, **k)

    def eager():
        float(loss(model, batch))

    fns = {"matrix products + attention kernels": kernels,
           "matrix products alone": lambda: kernels(True),
           "ours: captured replay": lambda: gm(*args),
           "eager closure (Landscaper's scalar_fn)": eager}
    best = dict.fromkeys(fns, math.inf)
    with torch.no_grad():
        for _ in range(repeats):
            for label, fn in fns.items():
                fn()
                start = time.process_time()
                for _ in range(10):
                    fn()
                best[label] = min(best[label], (time.process_time() - start) / 10)
    names = [getattr(f, "__name__", str(f)).split(".")[0] for f, _a, _k in calls]
    print(f"  kernel floor, one point ({len(calls)} kernels: {', '.join(names)}):")
    for label, seconds in best.items():
        print(f"    {label:40s} {1e3 * seconds:7.2f} ms a point (process CPU time, "
              f"min of {repeats})")
    eager_s = best["eager closure (Landscaper's scalar_fn)"]
    print(f"    largest speed-up without a compiler: "
          f"{eager_s / best['matrix products + attention kernels']:.2f}x; "
          f"ours {eager_s / best['ours: captured replay']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="11x11 grids, less data")
    parser.add_argument("--repeats", type=int, default=None,
                        help="median of N round-robin runs (default 3)")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    parser.add_argument("--models", default="mlp,cnn",
                        help="comma-separated: mlp, cnn, wide-mlp, wide-cnn, pinn, pinn-jvp, "
                             "pinn-autograd, gpt2, gnn")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                        help="where every method runs")
    parser.add_argument("--cudnn-benchmark", action="store_true",
                        help="torch.backends.cudnn.benchmark = True for every method")
    parser.add_argument("--floor", action="store_true",
                        help="with gpt2/gnn: also time the matrix-product and attention "
                             "kernels of one point alone (the floor without a compiler)")
    parser.add_argument("--steps", type=int, default=None,
                        help="grid points per axis, odd (default 21; 11 with --quick)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    import landscaper.compute  # noqa: F401  (imported here, not inside the first timed call)
    steps = args.steps or (11 if args.quick else 21)
    if steps % 2 == 0 or steps < 3:
        parser.error(f"--steps: expected an odd number >= 3 (the grid is centred), got {steps}")
    repeats = args.repeats or (1 if args.quick else 3)
    n = 300 if args.quick else 1000
    torch.manual_seed(0)
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    device = args.device
    cuda = device.startswith("cuda")
    peak = mm_gflops(8192 if cuda else 2048, device=device)
    peak_tf32 = mm_gflops(8192, device=device, tf32=True) if cuda else None
    run = functools.partial(bench, steps=steps, repeats=repeats, peak=peak, device=device,
                            peak_tf32=peak_tf32)

    x = torch.randn(n, 784)
    y = torch.randint(0, 10, (n,))
    mlp = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    models = args.models.split(",")
    known = {"mlp", "cnn", "wide-mlp", "wide-cnn", "pinn", "pinn-jvp", "pinn-autograd", "gpt2",
             "gnn"}
    unknown = set(models) - known
    if unknown:
        parser.error(f"--models: expected some of {sorted(known)}, got {sorted(unknown)}")
    if "mlp" in models:
        run("MLP 784-128-10", mlp, x, y)

    x = torch.randn(n // 2, 1, 28, 28)
    y = torch.randint(0, 10, (n // 2,))
    cnn = SmallCNN()
    cnn.train()
    with torch.no_grad():
        cnn(x)  # non-trivial BatchNorm running statistics
    if "cnn" in models:
        run("CNN conv16-conv32-BN-fc", cnn.eval(), x, y)

    wide_n = 512 if args.quick else 4096
    if "wide-mlp" in models:
        x = torch.randn(wide_n, 784)
        y = torch.randint(0, 10, (wide_n,))
        run("wide MLP 784-4096-4096-4096-10", wide_mlp(), x, y)
    if "wide-cnn" in models:
        x = torch.randn(wide_n // 8, 3, 32, 32)
        y = torch.randint(0, 10, (wide_n // 8,))
        wide_cnn = WideCNN().train()
        with torch.no_grad():
            wide_cnn(x)  # non-trivial BatchNorm running statistics
        run("wide CNN conv64-conv128-conv256 (BN) -fc", wide_cnn.eval(), x, y)
    if {"pinn", "pinn-jvp", "pinn-autograd"} & set(models):
        from landscape_widgets import examples

        pinn, pinn_loss, (x, y) = examples.convection_pinn(
            beta=20.0, n_collocation=n, steps=300 if args.quick else 3000, lr=1e-2)
        if "pinn" in models:
            run("convection PINN 2-50-50-50-1 (forward mode in one pass)", pinn, x, y,
                loss_fn=pinn_loss)
        if "pinn-jvp" in models:
            run("convection PINN 2-50-50-50-1 (two torch.func.jvp)", JvpPINN(pinn.net), x, y,
                loss_fn=pinn_loss)
        if "pinn-autograd" in models:
            run("convection PINN 2-50-50-50-1 (torch.autograd.grad in forward)",
                AutogradPINN(pinn.net), x, y, loss_fn=pinn_loss, grad_in_forward=True)
    closures = {"gpt2": ("GPT-2, 2 layers (Hugging Face, dict batch, loss from labels)", gpt2),
                "gnn": ("GCN 8-64-64-1 (PyTorch Geometric Batch, num_graphs weighting)", gnn)}
    for key, (title, make) in closures.items():
        if key in models:
            if device != "cpu":
                parser.error(f"--models {key}: the closure models run on the CPU only")
            bench_closure(title, *make(args.quick), steps, repeats)
            if args.floor:
                kernel_floor(*make(args.quick))


if __name__ == "__main__":
    main()
