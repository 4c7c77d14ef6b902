"""Run a tutorial notebook at its full size and record its key numbers in notebooks/data/.

    python notebooks/scripts/full_size.py 05            # writes notebooks/data/05_full_size.json

The notebook runs unchanged (its own code, ``LW_CI`` unset, so its parameters cell keeps the
full-size defaults) in a fresh kernel; afterwards one more cell, below, reads the numbers the
notebook computed and the script adds the provenance: commit, machine, date, run time and the
parameters. The small (CI, Binder) run of the notebook loads that file and shows it beside its
own live result. Needs nbclient (installed with nbmake by the ``test`` extra).

    python notebooks/scripts/full_size.py 02 --checkpoints runs/02   # a run in several parts

With ``--checkpoints`` (for notebooks that read ``LW_CHECKPOINTS``: 02 and 03), the notebook saves
its finished work in that folder (02: grid points; 03: the sweep's collection); an interrupted run started again with the same folder, from
the same commit, continues from them. The record then gives every part's run time and their sum.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

# per notebook: code run in its kernel after the notebook, printing one JSON object
SUMMARIES = {
    "02": """
print(json.dumps({"relative_error": error,
    "top_hessian_eigenvalues": [float(v) for v in hessian.eigenvalues],
    "landscapes": [{"subspace": k, "dims": d, "n_minima": int(m.n_minima),
                    "n_saddles": int(m.n_saddles),
                    "model_basin_share": float(m.basin_sizes[0] / land.size)}
                   for (k, d), (land, tree, m) in results.items()]}))
""",
    "03": """
g = table.groupby("beta")
print(json.dumps({"per_beta": {"beta": [float(b) for b in g.groups],
    "mean_minima": g["n_minima"].mean().round(2).tolist(),
    "median_minima": g["n_minima"].median().tolist(),
    "std_minima": g["n_minima"].std().round(2).tolist(),
    "mean_error": g["error"].mean().round(3).tolist(),
    "std_error": g["error"].std().round(3).tolist(),
    "mean_loss_range": g["loss_range"].mean().round(1).tolist(),
    "mean_top_eigenvalue": g["top_eigenvalue"].mean().round(1).tolist()}}))
""",
    "04": """
print(json.dumps({"means_over_seeds": {"skip": [bool(s) for s in summary.index],
    **{c: summary[c].round(4).tolist() for c in ("n_minima", "n_saddles", "test_accuracy",
        "average_persistence", "top_eigenvalue", "trace")}}}))
""",
    "05": """
m = means.reset_index()
print(json.dumps({"means_over_seeds": {c: m[c].round(6).tolist() for c in m.columns}}))
""",
    "06": """
print(json.dumps({"optima": {"name": list(optima.index),
    **{c: optima[c].round(6).tolist() for c in optima.columns}}}))
""",
    "07": """
print(json.dumps({
    "gpt2": {c: gpt_table[c].round(6).tolist() for c in ["seed", "step", *gpt_shown]},
    "gnn": {c: gnn_table[c].round(6).tolist() for c in ["width", "seed", "epoch", *gnn_shown]}}))
""",
}
PARAMETERS = """
print(json.dumps({k: v for k, v in globals().items()
                  if k.isupper() and isinstance(v, (bool, int, float, str, list, dict))},
                 default=str))
"""


def _last_json(outputs: list) -> dict:
    text = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


def _machine() -> str:
    cpu = f"{platform.node()}: {platform.machine()}, {os.cpu_count()} CPUs"
    try:
        import torch

        if torch.cuda.is_available():
            return f"{cpu}, {torch.cuda.get_device_name(0)}"
    except ImportError:
        pass
    return cpu


def _earlier_parts(folder: Path | None, commit: str) -> list[dict]:
    """The parts of this run done before (from ``folder``'s ledger); a resume must not mix code."""
    if folder is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["LW_CHECKPOINTS"] = str(folder.resolve())
    ledger = folder / "full_size_parts.json"
    parts = json.loads(ledger.read_text(encoding="utf-8")) if ledger.exists() else []
    if not isinstance(parts, list) or any(p.get("commit") != commit for p in parts):
        sys.exit(f"--checkpoints: {ledger} holds parts of a run at another commit "
                 f"({sorted({str(p.get('commit')) for p in parts})}, now {commit}); "
                 "use a new folder")
    return parts


def _record_part(folder: Path | None, parts: list[dict], commit: str, seconds: float,
                 interrupted: bool = False) -> list:
    part = {"commit": commit, "run_time_s": round(seconds, 1),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            **({"interrupted": True} if interrupted else {})}
    parts = [*parts, part]
    if folder is not None:
        ledger = folder / "full_size_parts.json"
        tmp = ledger.with_suffix(".tmp")
        tmp.write_text(json.dumps(parts, indent=1) + "\n", encoding="utf-8")
        tmp.replace(ledger)
    return parts


def main() -> None:
    import nbclient
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("number", choices=sorted(SUMMARIES), help="the notebook's number")
    parser.add_argument("--timeout", type=int, default=6 * 3600, help="seconds per cell")
    parser.add_argument("--checkpoints", type=Path, default=None,
                        help="folder where the notebook saves finished points; a rerun resumes")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads (LW_THREADS); 1 on a machine shared with other jobs, "
                        "where a thread pool waiting for a busy core slows small ops manyfold")
    args = parser.parse_args()
    path = next(HERE.glob(f"{args.number}_*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    if args.checkpoints is not None and "LW_CHECKPOINTS" not in path.read_text(encoding="utf-8"):
        parser.error(f"--checkpoints: {path.name} does not read LW_CHECKPOINTS")
    for code in ("import json", SUMMARIES[args.number], PARAMETERS):
        nb.cells.append(nbformat.v4.new_code_cell(code))
    if args.threads is not None and "LW_THREADS" not in path.read_text(encoding="utf-8"):
        parser.error(f"--threads: {path.name} does not read LW_THREADS")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    os.environ.clear()
    os.environ.update(env)
    if args.threads is not None:
        os.environ["LW_THREADS"] = str(args.threads)  # recorded with the sizes (THREADS)
    # the commit of the code that runs (taken before: the tree may move on during a long run)
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    parts = _earlier_parts(args.checkpoints, commit)
    start = time.perf_counter()
    n_cells = len(nb.cells) - 3
    # run to the end even if the notebook's checks fail: the record then says which failed
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` ends a part like Ctrl-C
    try:
        nbclient.NotebookClient(nb, timeout=args.timeout, allow_errors=True,
                                resources={"metadata": {"path": str(HERE)}}).execute()
    except BaseException:  # Ctrl-C, `kill`, or the kernel lost: keep this part's time
        seconds = time.perf_counter() - start
        _record_part(args.checkpoints, parts, commit, seconds, interrupted=True)
        print(f"stopped after {seconds:.0f} s" + (
            f"; rerun with --checkpoints {args.checkpoints} to continue" if args.checkpoints
            else ""), file=sys.stderr)
        raise
    seconds = time.perf_counter() - start
    parts = _record_part(args.checkpoints, parts, commit, seconds)
    errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue', '')[:300]}"
              for i, cell in enumerate(nb.cells[:n_cells]) if cell.cell_type == "code"
              for o in cell.outputs if o.get("output_type") == "error"]
    result = _last_json(nb.cells[-2].outputs)
    result = {"notebook": path.stem, "provenance": {
        "source": f"python notebooks/scripts/full_size.py {args.number}",
        "commit": commit, "machine": _machine(), "python": sys.version.split()[0],
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "run_time_s": round(sum(p["run_time_s"] for p in parts), 1),
        **({"parts": parts} if len(parts) > 1 else {}), "sizes": _last_json(nb.cells[-1].outputs),
        "checks_passed": not errors, "errors": errors}, **result}
    out = HERE / "data" / f"{args.number}_full_size.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out} ({seconds:.0f} s)" + (f"; the notebook failed: {errors}" if errors else ""))


if __name__ == "__main__":
    main()
