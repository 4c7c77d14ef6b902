"""Grid evaluation through loss closures: landscape_widgets vs Landscaper 1.3.1's ``scalar_fn`` loop
vs a plain loop, on a 2-layer GPT-2 (Hugging Face, dict batches, loss from ``labels``) and a
PyTorch Geometric GCN on generated graphs (``Batch`` weighted by ``num_graphs``). One process,
methods round-robin, medians (as ``grid_eval.py``).

    python benchmarks/closure_eval.py                 # 21x21 grids
    python benchmarks/closure_eval.py --quick         # 11x11: a smoke run
    python benchmarks/closure_eval.py --models gpt2 --threads 1

All three compute the same landscape (Landscaper's own directions, rebuilt as in
``grid_eval.py``, sampled on its integer grid); the printed max |difference| vs the plain loop
checks it. Landscaper takes ``scalar_fn(model, data)``: its data is one object, so the graph
batches go to it as one ``Batch`` (the same samples as ours).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import logging
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grid_eval import landscaper_directions, round_robin  # noqa: E402

import landscape_widgets as lw  # noqa: E402
from landscape_widgets.subspace.base import Subspace  # noqa: E402


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


def plain_loop(model, loss, batch, step_dirs, axes) -> np.ndarray:
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


def bench(name: str, model, loss, batch, steps: int, repeats: int) -> None:
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
        land = lw.sample_landscape(model, loss, batch, sub, resolution=steps,
                                   extent=float(half), device="cpu", progress=False)
        paths.append(land.provenance.extra["evaluation"])
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

    fns = {"plain loop": lambda: plain_loop(model, loss, batch, step_dirs, axes),
           "Landscaper 1.3.1 (scalar_fn)": landscaper, "landscape_widgets": ours}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timed = round_robin(fns, repeats)
    points = steps ** 2
    ref = np.asarray(timed["plain loop"][1], dtype=float)
    lands_rate = points / float(np.median(timed["Landscaper 1.3.1 (scalar_fn)"][0]))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"\n{name}: {n_params:,} parameters, {steps}x{steps} grid, "
          f"{torch.get_num_threads()} threads")
    print(f"  {'method':32s} {'points/s':>10s} {'vs Landscaper':>14s} {'max |diff| vs loop':>19s}")
    for label, (ts, values) in timed.items():
        rate = points / float(np.median(ts))
        values = np.asarray(values, dtype=float)
        keep = np.ones(values.size, bool)
        if label.startswith("Landscaper"):  # it adds noise to its maximum value
            keep[np.argmax(values)] = False
        diff = float(np.abs(values - ref).ravel()[keep].max())
        print(f"  {label:32s} {rate:10.1f} {rate / lands_rate:13.2f}x {diff:19.2e}")
    print(f"  (landscape_widgets path: {', '.join(sorted(set(paths)))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="11x11 grids, less data")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    parser.add_argument("--models", default="gpt2,gnn")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    steps = 11 if args.quick else 21
    makers = {"gpt2": gpt2, "gnn": gnn}
    for name in args.models.split(","):
        if name not in makers:
            parser.error(f"--models: expected some of {sorted(makers)}, got {name!r}")
        model, loss, batch = makers[name](args.quick)
        bench(name, model, loss, batch, steps, args.repeats)


if __name__ == "__main__":
    main()
