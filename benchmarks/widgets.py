"""Views at scale (issue 16): Explorer build, HTML size, page drawn, slider and brushing in
headless Chromium, for a git ref ("before", default ``main``) and the current tree ("after"),
side by side in one run.

Landscapes (``lw.examples``, seeded; the same arrays for both sides, handed over as ``.npz``):

- ``analytic``: four Gaussian wells, 201² (4 basins)
- ``sines``:    Σ cos(4π xᵢ) + noise, 41⁴ (256 basins)
- ``noise``:    iid noise, 201², "full" connectivity (4,547 basins)
- ``noise-axis``: the same array, "axis" connectivity (8,208 basins)
- ``checker``:  checkerboard + noise, 201², "axis" (20,201 basins)
- ``gallery``:  a Gallery of 50 entries of 201² landscapes (four wells of seeded depths), as
  built by default (``explorers="live"``: heat map, scatter and profiles in the export); rows
  and columns two keys (10 × 5 cells of one entry each)
- ``gallery-all``: the same with ``explorers="all"`` (every entry's Explorer in the export)
- ``trajectory``: a TrajectoryView of 3,000 samples (75 seeded random walks relaxing towards a
  centre, 40 samples each; PCA embedding, kNN (k = 20) D0/D1 diagrams): "merge tree" is
  ``trajectory_topology``, "build" the view, "page drawn" as above

Per landscape: the merge tree alone, ``lw.Explorer(land, connectivity)`` (tree included, as a
user calls it), ``to_html`` and its size, then the file in headless Chromium (Playwright and
Debian chromium, like tests/browser): "page drawn" = ms from navigation until every
``[data-view]`` root holds its drawing and the next frame is out; "brushing" = a click (pointer
events) on a basin's element until every view that draws the basin marks it ``aria-selected``
and the next frame is out (3 basins: the most persistent ones after the global minimum; a 2-D
slice of a 4-D landscape may not hold a basin's minimum); "slider" = the Explorer's threshold
slider set to 100 %, 0 %, 50 %, 70 % of its range (70 %: a few hundred basins on the noise
landscapes, each view drawing every one of them at that threshold) until every tree view
(``[data-view]`` other than contour, curve, spectrum) has redrawn and the next frame is out (a
move that redraws nothing in 2 s is left out); "exact" = until every view has also drawn its
exact level of detail (the profile, on a move to a ladder rung it has not laid out yet, draws a
coarser rung first and the exact one a frame or more later: ``data-refining``). These gestures
follow the drawing at once, as a robot would: first visits with cold caches and code not yet
compiled by the engine. "Page rested" repeats them on a fresh page once it has finished the
work it does in idle time (the profile's ladder rungs, ``data-prefetch-pending`` = 0), as a
reader who looks before moving the slider.
A Gallery's gestures (``_views_page.py``'s
``GALLERY_CLICK_JS`` and ``GALLERY_BOX_JS``, which ``tests/browser/test_gallery.py`` drives
too), each from an empty selection: "cell click" = a click on a heat-map cell until its entry's
scatter point and thumbnail light and the next frame is out (5 cells on a diagonal of the grid);
"box select" = a box drag over every scatter point until the points, cells and thumbnails light
and the next frame is out (5 times). Both check what lit: a click that lit other entries, or a
box that lit fewer points than the scatter draws, is flagged in the table.
Only public hooks are used (the public Python API, ``data-view``, ``data-basin``,
``aria-selected``, the Explorer's range input), so the same code measures both sides.

Each case runs in its own subprocess (PYTHONPATH = the side's tree), killed past ``--timeout``
seconds or when its process tree (Chromium included) holds more than ``--mem-cap`` GiB; a file
over ``--html-cap`` MiB is not opened. Stages reached are kept: a blow-up reads "> cap",
"timeout" or "never" instead of hanging. The before tree is a temporary ``git worktree add``
of the ref, removed afterwards.

Usage:  python benchmarks/widgets.py [--before REF] [--sides before,after] [--cases ...]
                                     [--quick] [--timeout S] [--mem-cap GIB] [--html-cap MIB]
                                     [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _views_page import measure_page  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# name: (label, pattern or None for the analytic wells, resolution, dims, connectivity)
CASES: dict[str, tuple[str, str | None, int, int, str]] = {
    "analytic": ("analytic", None, 201, 2, "full"),
    "sines": ("sines + noise", "sines", 41, 4, "full"),
    "noise": ('iid noise, "full"', "noise", 201, 2, "full"),
    "noise-axis": ('noise, "axis"', "noise", 201, 2, "axis"),
    "checker": ('checkerboard + noise, "axis"', "checkerboard", 201, 2, "axis"),
}
POWERS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
QUICK = {"analytic": 41, "sines": 9, "noise": 31, "noise-axis": 31, "checker": 21}
GALLERY_ENTRIES, GALLERY_COLS = 50, 5
GESTURE_REPEATS = 5  # cell clicks (on as many cells) and boxes per Gallery case
GALLERIES = ("gallery", "gallery-all")
TRAJECTORY = "trajectory"
TRAJECTORY_WALKS, TRAJECTORY_EPOCHS = 75, 39  # 3,000 samples (the browser test's size)
# the goals, checked on the "after" side: case -> [(metric, bound, text)]
GOALS: dict[str, list[tuple[str, float, str]]] = {
    "checker": [("html_bytes", 20e6, "HTML ≤ 20 MB"), ("page_ms", 2000, "drawn ≤ 2 s"),
                ("slider_ms", 100, "slider ≤ 100 ms"), ("brush_ms", 50, "brushing ≤ 50 ms"),
                ("slider_ms_rested", 100, "rested: slider ≤ 100 ms"),
                ("brush_ms_rested", 50, "brushing ≤ 50 ms")],
    "noise": [("html_bytes", 5e6, "HTML ≤ 5 MB"), ("slider_ms", 50, "slider ≤ 50 ms"),
              ("slider_ms_rested", 50, "rested: slider ≤ 50 ms")],
    "sines": [("build_ratio", 1.5, "build ≤ 1.5 × merge tree")],
    # the brushing goal (≤ 50 ms) stated against the cell click; none for the box
    "gallery": [("page_ms", 3000, "opens ≤ 3 s"), ("click_ms", 50, "cell click ≤ 50 ms")],
    "gallery-all": [("page_ms", 3000, "opens ≤ 3 s"), ("click_ms", 50, "cell click ≤ 50 ms")],
}


# ---------------------------------------------------------------------------- landscapes
def write_inputs(directory: Path, cases: list[str], quick: bool) -> None:
    """The arrays of every case (current tree's generators), one ``.npz`` each."""
    sys.path.insert(0, str(ROOT))
    from landscape_widgets import examples

    for name in cases:
        if name == TRAJECTORY:
            walks = TRAJECTORY_WALKS // 3 if quick else TRAJECTORY_WALKS
            traj = examples.relaxing_walks(walks, TRAJECTORY_EPOCHS)
            np.savez(directory / f"{name}.npz", params=traj.params, train_loss=traj.train_loss,
                     seed=traj.seed, step_size=traj.step_size, epoch=traj.epoch)
            continue
        if name.startswith("gallery"):
            res = 41 if quick else 201
            count = 6 if quick else GALLERY_ENTRIES
            rng = np.random.default_rng(0)
            axes = np.linspace(-2.0, 2.0, res)
            mesh = np.stack([m.ravel() for m in np.meshgrid(axes, axes, indexing="ij")], 1)
            values = np.stack([
                examples.gaussian_wells(mesh, examples.FOUR_WELLS["centers"],
                                        rng.uniform(0.2, 1.0, 4)).reshape(res, res)
                for _ in range(count)
            ])
            np.savez(directory / f"{name}.npz", values=values, axis=axes)
            continue
        _, pattern, res, dims, _ = CASES[name]
        res = QUICK[name] if quick else res
        land = (examples.four_wells(resolution=res) if pattern is None
                else examples.noisy_landscape(pattern, resolution=res, dims=dims))
        np.savez(directory / f"{name}.npz", values=land.values,
                 **{f"axis{i}": a for i, a in enumerate(land.axes)})


def trajectory_child(arrays: Any, html: Path, args: argparse.Namespace) -> None:
    """The trajectory case: diagrams, the view, its export, the page."""
    from landscape_widgets.trajectories import Trajectories, pca_embedding, trajectory_topology
    from landscape_widgets.widgets.trajectory_view import TrajectoryView

    traj = Trajectories(params=arrays["params"], train_loss=arrays["train_loss"],
                        seed=arrays["seed"].tolist(), step_size=arrays["step_size"].tolist(),
                        epoch=arrays["epoch"].tolist())
    t = time.perf_counter()
    diagrams = trajectory_topology(traj.params, traj.train_loss, k=20)
    emit(merge_tree_s=time.perf_counter() - t, basins=f"{traj.n_samples} samples",
         label=f"TrajectoryView, {traj.n_samples:,} samples")
    t = time.perf_counter()
    view = TrajectoryView(traj, pca_embedding(traj), diagrams)
    emit(build_s=time.perf_counter() - t)
    t = time.perf_counter()
    view.to_html(html)
    emit(html_s=time.perf_counter() - t, html_bytes=html.stat().st_size)
    for record in measure_page(html, [], explorer=False, page_timeout_s=args.page_timeout):
        emit(**record)


# ---------------------------------------------------------------------------- child side
def emit(**record: Any) -> None:
    print(json.dumps(record), flush=True)


def child(name: str, data: Path, html: Path, args: argparse.Namespace) -> None:
    """Measure one case with whichever ``landscape_widgets`` is on PYTHONPATH."""
    import landscape_widgets as lw

    emit(library=str(Path(lw.__file__).parent.parent))
    arrays = np.load(data, allow_pickle=False)
    if name == TRAJECTORY:
        trajectory_child(arrays, html, args)
        return
    # numba kernels compiled (or loaded from the cache) outside the timings, on a small grid of
    # the same dimension (kernels specialise on it)
    gallery = name.startswith("gallery")
    dims = 2 if gallery else arrays["values"].ndim
    warm = lw.Landscape.from_array(np.random.default_rng(1).random((7,) * dims))
    for conn in ("full", "axis"):
        lw.merge_tree(warm, connectivity=conn)
        lw.Explorer(warm, conn).to_html(html.with_suffix(".warm.html"))
    if gallery:
        from landscape_widgets.compare import LandscapeCollection

        axes = (arrays["axis"], arrays["axis"])
        coll = LandscapeCollection()
        t = time.perf_counter()
        for i, values in enumerate(arrays["values"]):
            coll.add({"row": i // GALLERY_COLS, "col": i % GALLERY_COLS},
                     lw.Landscape.from_array(values, axes=axes))
        mode = "all" if name == "gallery-all" else "live"
        # "merge tree" of a Gallery: filling the collection (every entry's tree and metrics)
        emit(merge_tree_s=time.perf_counter() - t, basins=f"{len(coll)} entries",
             label=f"Gallery, {len(coll)} × {len(axes[0])}², explorers={mode!r}")
        t = time.perf_counter()
        widget = lw.Gallery(coll, rows="row", cols="col", explorers=mode)
        emit(build_s=time.perf_counter() - t)
        tree = None
        # cells on a diagonal of the grid (row and column indices = the keys' values)
        step = len(coll) // GESTURE_REPEATS + 1  # 11: entries 0, 11, 22, 33, 44
        picks = [k * step % len(coll) for k in range(GESTURE_REPEATS)]
        cells = [f'.lw-heatmap rect.lw-heat-cell[data-row="{i // GALLERY_COLS}"]'
                 f'[data-col="{i % GALLERY_COLS}"]' for i in picks]
    else:
        conn = CASES[name][4]
        axes = tuple(arrays[f"axis{i}"] for i in range(arrays["values"].ndim))
        land = lw.Landscape.from_array(arrays["values"], axes=axes)
        t = time.perf_counter()
        tree = lw.merge_tree(land, connectivity=conn)
        shape = land.values.shape
        emit(merge_tree_s=time.perf_counter() - t, basins=int(tree.minima.size),
             label=f"{shape[0]}{str(len(shape)).translate(POWERS)}, {CASES[name][0]}")
        t = time.perf_counter()
        widget = lw.Explorer(land, conn)
        emit(build_s=time.perf_counter() - t)
        cells = None
    t = time.perf_counter()
    widget.to_html(html)
    size = html.stat().st_size
    emit(html_s=time.perf_counter() - t, html_bytes=size)
    if size > args.html_cap * 2**20:
        emit(page="> cap")
        return
    brush = []
    if tree is not None and tree.minima.size > 1:
        order = np.argsort(-tree.persistence, kind="stable")[:3]
        brush = [int(tree.minima[1 + i]) for i in order]
    for record in measure_page(html, brush, explorer=tree is not None,
                               page_timeout_s=args.page_timeout, gallery_cells=cells,
                               repeats=GESTURE_REPEATS):
        emit(**record)
    if tree is not None:
        # again on a fresh page that has rested first (its idle work done): the moves a reader
        # makes after looking, beside the robot's moves right after the page was drawn
        for record in measure_page(html, brush, explorer=True, page_timeout_s=args.page_timeout,
                                   rested=True):
            if "slider_ms" in record or "brush_ms" in record or "rested_ms" in record:
                emit(**{f"{k}_rested" if k.endswith("_ms") and k != "rested_ms" else k: v
                        for k, v in record.items() if not k.endswith(("_views", "_missing"))})


# ---------------------------------------------------------------------------- parent side
def tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def run_case(tree: Path, name: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One case in a subprocess on ``tree``; its records, plus ``killed`` when it was."""
    out = work / f"{name}.{tree.name}.jsonl"
    cmd = [sys.executable, str(work / "scripts" / "widgets.py"), "--child", name,
           "--data", str(work / f"{name}.npz"), "--html", str(work / f"{name}.{tree.name}.html"),
           "--page-timeout", str(args.page_timeout), "--html-cap", str(args.html_cap)]
    env = dict(os.environ, PYTHONPATH=str(tree), OMP_NUM_THREADS="1")
    result: dict[str, Any] = {}
    peak, start = 0, time.time()
    with open(out, "w") as sink, open(work / f"{name}.{tree.name}.err", "w") as err:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=err, env=env, cwd=work,
                                start_new_session=True)  # its own group: Chromium dies with it
        try:
            while proc.poll() is None:
                time.sleep(0.25)
                peak = max(peak, tree_rss(proc.pid))
                if peak > args.mem_cap * 2**30:
                    result["killed"] = f"> cap ({args.mem_cap:g} GiB memory)"
                elif time.time() - start > args.timeout:
                    result["killed"] = f"timeout ({args.timeout:g} s)"
                if "killed" in result:
                    break
        finally:
            if proc.poll() is None:  # over a cap, or this run interrupted
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    for line in out.read_text().splitlines():
        result.update(json.loads(line))
    if proc.returncode and "killed" not in result:
        tail = (work / f"{name}.{tree.name}.err").read_text().strip().splitlines()[-1:]
        result["killed"] = f"error: {tail[0][:120] if tail else proc.returncode}"
    result["peak_gib"] = peak / 2**30
    for f in work.glob(f"{name}.{tree.name}*.html"):
        f.unlink()  # hundreds of MiB each on the before side
    return result


def checkout(ref: str, work: Path) -> Path:
    path = work / "before"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path),
                    ref], check=True)
    return path


def remove_checkout(path: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
                   check=False)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=False)


# ---------------------------------------------------------------------------- table
def value_of(r: dict[str, Any], key: str) -> float | None:
    if key == "build_ratio":
        b, m = r.get("build_s"), r.get("merge_tree_s")
        return b / m if b is not None and m else None
    v = r.get(key)
    if isinstance(v, list):
        return max(v) if v and min(v) >= 0 else None
    return v if isinstance(v, (int, float)) and v >= 0 else None


def figure(v: float) -> str:
    """3 significant digits, never in exponent form."""
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}" if v >= 0.001 else "< 0.001"


def median_range(v: list[float]) -> str:
    """``median (min–max) ms`` of the timings reached, or why none was."""
    ok = sorted(x for x in v if x >= 0)
    if not ok:
        return "never"
    text = f"{float(np.median(ok)):.0f} ms ({ok[0]:.0f}–{ok[-1]:.0f})" if len(ok) > 1 \
        else f"{ok[0]:.0f} ms"
    return text + (" (some never)" if len(ok) < len(v) else "")


def gesture_cell(r: dict[str, Any], key: str) -> str:
    """A Gallery gesture's figure, flagged when it lit something else than it should."""
    text = median_range(r[key])
    if key == "click_ms" and r.get("click_wrong"):
        text += f" ({r['click_wrong']} lit other entries)"
    if key == "box_ms" and any(n != r.get("box_dots") for n in r.get("box_points", [])):
        text += f" (lit {min(r['box_points'])} of {r.get('box_dots')} points)"
    return text


def cell(r: dict[str, Any] | None, key: str) -> str:
    """One side's figure, or why there is none (the stage it stopped at)."""
    if r is None:
        return ""
    v = r.get(key)
    if key == "html_bytes" and v is not None:
        return f"{figure(v / 2**20)} MiB"
    if key == "page_ms" and isinstance(v, (int, float)):
        return f"{figure(v / 1000)} s" if v >= 0 else "never"
    if key in ("slider_ms", "brush_ms", "slider_ms_rested", "brush_ms_rested",
               "slider_exact_ms", "slider_exact_ms_rested") and isinstance(
            v, list):
        ok = [x for x in v if x >= 0]
        if not ok:
            return "never"
        text = f"{min(ok):.0f}–{max(ok):.0f} ms" if len(ok) > 1 else f"{ok[0]:.0f} ms"
        return text + (" (some never)" if len(ok) < len(v) else "")
    if key in ("click_ms", "box_ms"):
        if isinstance(v, list):
            return gesture_cell(r, key)
        why = r.get(key.removesuffix("_ms")) or r.get("page")
        if why:
            return str(why)
        return r.get("killed", "—") if "killed" in r else "—"
    if key == "build_s" and v is not None and r.get("merge_tree_s") and isinstance(
            r.get("basins"), int):  # a Gallery's "merge tree" is filling its collection
        return f"{figure(v)} s ({v / r['merge_tree_s']:.1f}× tree)"
    if v is not None:
        return f"{figure(v)} s" if key.endswith("_s") else str(v)
    if r.get("page") and key in ("page_ms", "slider_ms", "brush_ms"):
        return str(r["page"])
    return r.get("killed", "—") if "killed" in r else "—"


def typical(r: dict[str, Any], key: str) -> float | None:
    """The figure a ratio compares: a Gallery gesture's median (its cell shows the median
    first), else ``value_of`` (the slowest of a list: slider moves, brushed basins)."""
    v = r.get(key)
    if key in ("click_ms", "box_ms") and isinstance(v, list):
        ok = [x for x in v if x >= 0]
        return float(np.median(ok)) if ok else None
    return value_of(r, key)


def ratio(before: dict[str, Any] | None, after: dict[str, Any] | None, key: str) -> str:
    if not before or not after:
        return ""
    b, a = typical(before, key), typical(after, key)
    return f" ({b / a:.1f}×)" if b and a else ""


def table(results: dict[str, dict[str, dict[str, Any]]], sides: list[str]) -> str:
    keys = [("merge_tree_s", "merge tree"), ("build_s", "build"), ("html_bytes", "HTML"),
            ("page_ms", "page drawn"), ("slider_ms", "slider move"),
            ("slider_exact_ms", "slider move, exact drawing"), ("brush_ms", "brushing"),
            ("slider_ms_rested", "slider move, page rested"),
            ("slider_exact_ms_rested", "exact drawing, page rested"),
            ("brush_ms_rested", "brushing, page rested"),
            ("click_ms", "cell click"), ("box_ms", "box select")]
    # the columns of one kind of case (an Explorer's rested gestures, a Gallery's gestures)
    # only when some case measured them
    optional = {"slider_ms_rested", "brush_ms_rested", "click_ms", "box_ms", "slider_exact_ms",
                "slider_exact_ms_rested"}
    measured = {k for per_side in results.values() for r in per_side.values() if r for k in r}
    keys = [k for k in keys if k[0] not in optional or k[0] in measured]
    head = "| landscape | basins | " + " | ".join(k[1] for k in keys) + " | goals (after) |"
    lines = [head, "|" + "---|" * (len(keys) + 3)]
    arrow = " → ".join(sides)
    lines.insert(0, f"Each cell: {arrow}; (n×) = before ÷ after (cell click, box select: "
                    "median (range) of 5, n× of the medians; goals: every repetition).\n")
    for name, per_side in results.items():
        b, a = per_side.get("before"), per_side.get("after")
        label = next((r["label"] for r in (b, a) if r and "label" in r), name)
        basins = next((str(r["basins"]) for r in (b, a) if r and "basins" in r), "?")
        cells = []
        for key, _ in keys:
            parts = [cell(per_side.get(s), key) for s in sides]
            cells.append(" → ".join(parts) + ratio(b, a, key))
        goals = []
        for key, bound, text in GOALS.get(name, []):
            v = value_of(a, key) if a else None
            goals.append(f"{text}: {'—' if v is None else 'met' if v <= bound else 'not met'}")
        lines.append(f"| {label} | {basins} | " + " | ".join(cells) + f" | {'; '.join(goals)} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="main", help="git ref measured as 'before' (main)")
    ap.add_argument("--sides", default="before,after", help="before,after | before | after")
    ap.add_argument("--cases", nargs="*", default=[*CASES, *GALLERIES, TRAJECTORY],
                    choices=[*CASES, *GALLERIES, TRAJECTORY])
    ap.add_argument("--json", type=Path, help="also write every record here")
    ap.add_argument("--quick", action="store_true", help="small grids: a smoke run")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per case and side")
    ap.add_argument("--page-timeout", type=float, default=60, help="seconds to draw the page")
    ap.add_argument("--mem-cap", type=float, default=8, help="GiB per case (Chromium included)")
    ap.add_argument("--html-cap", type=float, default=512, help="MiB: larger files not opened")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--html", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.data, args.html, args)
        return
    sides = [s for s in args.sides.split(",") if s]
    if not set(sides) <= {"before", "after"} or not sides:
        ap.error(f"--sides: expected before, after or both, got {args.sides!r}")
    work = Path(tempfile.mkdtemp(prefix="lw-widgets-bench-"))
    ref = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.before],
                         capture_output=True, text=True).stdout.strip()
    print(f"load average at start: {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs", flush=True)
    write_inputs(work, args.cases, args.quick)
    # the children run a copy of this script: editing it during a run changes nothing
    shutil.copytree(Path(__file__).resolve().parent, work / "scripts",
                    ignore=shutil.ignore_patterns("results", "__pycache__"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still remove the worktree
    trees = {"after": ROOT}
    results: dict[str, dict[str, dict[str, Any]]] = {c: {} for c in args.cases}
    try:
        if "before" in sides:
            trees["before"] = checkout(args.before, work)
        for name in args.cases:
            for side in sides:
                r = run_case(trees[side], name, work, args)
                results[name][side] = r
                print(f"{name} [{side}] {json.dumps(r)}", flush=True)
    finally:
        if "before" in trees:
            remove_checkout(trees["before"])
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}; before = {args.before} ({ref}), "
          f"after = the working tree{' (quick sizes)' if args.quick else ''}\n")
    print(table(results, sides))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
