"""The contour's selection outline (``js/src/lib/contour_grid.js`` ``outlinePath``) on the
4,547-basin iid-noise map (201², "full" connectivity), in node, before (``--before REF``) and
after (the working tree): best and median of ``--repeats`` calls, with and without reading the
path text ``d``.

Cases: "long", the largest region at the threshold 70 % up the Explorer's slider (its
square-root scale: 0.49 × the largest finite persistence), the global minimum's, whose outline
is ~20,000 segments (drawn in cells, its ``d`` unused); "short", one basin of the raw map (no
threshold), a few dozen segments (drawn as the path). Both sides' ``d`` are compared (SHA-1).

Usage:  python benchmarks/outline_path.py [--before REF] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "js" / "src" / "lib"


def cases() -> dict:
    sys.path.insert(0, str(ROOT))
    import landscape_widgets as lw
    from landscape_widgets import examples

    land = examples.noisy_landscape("noise", resolution=201, dims=2)
    tree = lw.merge_tree(land, connectivity="full")
    minima = np.asarray(tree.minima)
    pers = np.r_[np.inf, tree.persistence]  # persistence: minima[1:]'s
    parent = np.asarray(tree.parent_minimum)
    t = 0.49 * pers[np.isfinite(pers)].max()
    index = {int(m): i for i, m in enumerate(minima)}

    def rep(i: int) -> int:  # the surviving basin a basin merges into at threshold t
        while pers[i] < t and parent[i] >= 0 and int(parent[i]) in index:
            i = index[int(parent[i])]
        return int(minima[i])

    reps = [[int(m), rep(i)] for i, m in enumerate(minima)]
    # the largest region at t (the global minimum's: ~24,000 of the 40,401 cells, ragged)
    merged = np.vectorize(dict(reps).get)(np.asarray(tree.basins))
    kept, cells = np.unique(merged, return_counts=True)
    long = int(kept[np.argmax(cells)])
    # a raw basin (no threshold: its own label) near the median persistence
    short = int(minima[np.argsort(pers)[len(pers) // 2]])
    labels = np.asarray(tree.basins).T.ravel()  # rows = y, as the contour slice's
    return {"nx": 201, "ny": 201, "labels": labels.tolist(), "reps": reps, "basins": len(minima),
            "threshold": t, "cases": [{"name": "long", "selected": [long]},
                                      {"name": "short", "selected": [short], "raw": True}]}


def run(module: Path, data: dict, repeats: int, work: Path) -> list[dict]:
    # "short" is a raw basin: no merging (identity reps)
    out = []
    for case in data["cases"]:
        one = dict(data, cases=[case], reps=[] if case.get("raw") else data["reps"])
        path = work / f"{case['name']}.json"
        path.write_text(json.dumps(one))
        res = subprocess.run(["node", str(Path(__file__).with_suffix(".mjs")), str(module),
                              str(path), str(repeats)], capture_output=True, text=True,
                             check=True)
        out += json.loads(res.stdout)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="main", help="git ref measured as 'before'")
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    data = cases()
    print(f"{data['basins']} basins, threshold {data['threshold']:.4g}; best / median of "
          f"{args.repeats} calls (ms)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # the before side's contour_grid.js, importing this tree's svg.js (fixed1)
        old = subprocess.run(["git", "-C", str(ROOT), "show",
                              f"{args.before}:js/src/lib/contour_grid.js"],
                             capture_output=True, text=True, check=True).stdout
        old = re.sub(r'from "\./svg\.js"', f'from "{(LIB / "svg.js").as_uri()}"', old)
        (work / "before.mjs").write_text(old)
        sides = {"before": run(work / "before.mjs", data, args.repeats, work),
                 "after": run(LIB / "contour_grid.js", data, args.repeats, work)}
    for b, a in zip(sides["before"], sides["after"], strict=True):
        same = "same d" if b["d_sha1"] == a["d_sha1"] else "d DIFFERS"
        print(f"{a['name']}: {a['segments']:,} segments ({a['d_chars']:,} chars of d; {same})")
        for key, what in (("outline", "outlinePath"), ("outline_and_d", "outlinePath + its d")):
            print(f"  {what:20s} before {b[key]['best']:.2f} / {b[key]['median']:.2f}  ->  "
                  f"after {a[key]['best']:.2f} / {a[key]['median']:.2f}  "
                  f"({b[key]['best'] / a[key]['best']:.1f}× best)")


if __name__ == "__main__":
    main()
