"""Merge tree + 0-dim persistence on 41², 41³, 41⁴ grids: ours vs gudhi vs Landscaper (topopy).

Every case runs in its own subprocess, so its peak memory (ru_maxrss growth over the process's
state after imports and data creation) is its own. The landscape is a smooth, multi-basin
test function (sines and a weak bowl), the same array for every tool.

Peers:
- ours:           merge_tree(values, "full" | "axis") (numba, union-find sweep; pairs included)
- gudhi-vertices: CubicalComplex(vertices=v).persistence()   (its H0 = our "axis"; gudhi also
                  computes the higher-dimensional diagrams, which it cannot skip)
- gudhi-cells:    CubicalComplex(top_dimensional_cells=v).persistence()  (H0 = our "full")
- landscaper:     landscaper.tda.merge_tree(values, coords) as Landscaper calls it (topopy on an
                  empty-region graph): its neighbour search is all-pairs, so only 41² fits
- topopy-lattice: topopy.MergeTree on our lattice edges (nglpy PrebuiltGraph), 41² and 41³

Usage:  python benchmarks/topology.py [--quick] [--sizes 2 3 4]
        --quick skips gudhi at 41⁴ (≈ 1–2 min each) and Landscaper/topopy beyond 41².
The numba compile time (cold cache, separate process) is reported on its own line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

RESOLUTION = 41
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def landscape_values(dims: int) -> np.ndarray:
    axis = np.linspace(-2.0, 2.0, RESOLUTION)
    grids = np.meshgrid(*[axis] * dims, indexing="ij")
    return sum(np.sin(3 * x) * np.cos(2 * x + i) for i, x in enumerate(grids)) + 0.1 * sum(
        x**2 for x in grids
    )


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def run_case(tool: str, dims: int) -> dict:
    """Run one (tool, size) in this process; returns seconds, peak memory and pair count."""
    values = landscape_values(dims)
    if tool.startswith("ours"):
        from landscape_widgets.topology import merge_tree

        merge_tree(np.random.default_rng(0).random((3,) * dims))  # load the numba cache
        connectivity = tool.split("-")[1]
        base = peak_rss_bytes()
        start = time.perf_counter()
        tree = merge_tree(values, connectivity)
        seconds = time.perf_counter() - start
        n_pairs = int(np.sum(tree.persistence > 0))
    elif tool.startswith("gudhi"):
        import gudhi

        base = peak_rss_bytes()
        start = time.perf_counter()
        if tool == "gudhi-vertices":
            cc = gudhi.CubicalComplex(vertices=values)
        else:
            cc = gudhi.CubicalComplex(top_dimensional_cells=values)
        diagram = cc.persistence()
        seconds = time.perf_counter() - start
        n_pairs = sum(1 for d, (b, e) in diagram if d == 0 and np.isfinite(e))
    elif tool == "landscaper":
        from landscaper.tda import merge_tree as landscaper_merge_tree

        axis = np.linspace(-2.0, 2.0, RESOLUTION)
        coords = np.stack([g.ravel() for g in np.meshgrid(*[axis] * dims, indexing="ij")], 1)
        base = peak_rss_bytes()
        start = time.perf_counter()
        tree = landscaper_merge_tree(values, coords)
        seconds = time.perf_counter() - start
        n_pairs = len(tree.leaves) - 1 if hasattr(tree, "leaves") else -1
    elif tool == "topopy-lattice":
        import nglpy
        import topopy

        from landscape_widgets.graph import lattice_graph

        axis = np.linspace(-2.0, 2.0, RESOLUTION)
        coords = np.stack([g.ravel() for g in np.meshgrid(*[axis] * dims, indexing="ij")], 1)
        base = peak_rss_bytes()
        start = time.perf_counter()
        edges = [tuple(e) for e in lattice_graph(values.shape, "full").edges.tolist()]
        tree = topopy.MergeTree(graph=nglpy.PrebuiltGraph(edges))
        tree.build(coords, values.ravel())
        seconds = time.perf_counter() - start
        n_pairs = len(tree.leaves) - 1
    else:
        raise ValueError(f"unknown tool {tool!r}")
    return {"tool": tool, "dims": dims, "seconds": seconds,
            "peak_mib": (peak_rss_bytes() - base) / 2**20, "n_pairs": n_pairs}


def compile_seconds() -> float:
    """First call of merge_tree in a fresh process with an empty numba cache."""
    code = ("import time, numpy as np; from landscape_widgets.topology import merge_tree; "
            "t = time.perf_counter(); merge_tree(np.random.rand(4, 4)); "
            "print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=ROOT)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the slowest peers")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--case", nargs=2, metavar=("TOOL", "DIMS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case[0], int(args.case[1]))))
        return
    print(f"numba compile (first call, cold cache): {compile_seconds():.1f} s")
    print(f"{'grid':>6} {'tool':>15} {'seconds':>9} {'vs ours':>8} {'peak MiB':>9} {'pairs':>7}")
    for dims in args.sizes:
        tools = ["ours-full", "ours-axis", "gudhi-cells", "gudhi-vertices"]
        if dims == 2:
            tools += ["landscaper", "topopy-lattice"]
        elif dims == 3 and not args.quick:
            tools += ["topopy-lattice"]
        if dims == 4 and args.quick:
            tools = [t for t in tools if t.startswith("ours")]
        ours = {}
        for tool in tools:
            env = dict(os.environ, PYTHONPATH=ROOT)
            proc = subprocess.run([sys.executable, __file__, "--case", tool, str(dims)],
                                  env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                err = (proc.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{RESOLUTION}^{dims:<3} {tool:>15}   failed: {err[:80]}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            # compare like with like: gudhi-cells ~ ours-full, everything else ~ ours-axis
            ref_tool = "ours-full" if tool in ("gudhi-cells", "landscaper", "topopy-lattice",
                                                "ours-full") else "ours-axis"
            if tool.startswith("ours"):
                ours[tool] = r["seconds"]
            ratio = r["seconds"] / ours[ref_tool] if ref_tool in ours else float("nan")
            print(f"{RESOLUTION}^{dims:<3} {tool:>15} {r['seconds']:9.3f} {ratio:7.1f}x "
                  f"{r['peak_mib']:9.1f} {r['n_pairs']:7d}", flush=True)
        if dims >= 3:
            print(f"{RESOLUTION}^{dims:<3} {'landscaper':>15}   skipped: all-pairs neighbour "
                  f"search needs {RESOLUTION ** (2 * dims) * 8 / 2**30:.0f} GiB")


if __name__ == "__main__":
    main()
