"""The Explorer's gestures of ``widgets.py``, before and after, in interleaved pages: per move
the median and range over many fresh pages, and each view's own drawing time (``data-render-ms``).

``widgets.py`` opens one page per side and case, so one run's before → after difference can
be the machine's: on the shared 2-core machine the same page's moves vary by a factor of two
from one minute to the next. Here the two sides take turns, one fresh page each per round, so
both see the same load. The page is ``widgets.py``'s case (default ``noise``: 4,547 basins),
exported by each side's code from the same array; the gestures are ``widgets.py``'s, through
the same JS (``_views_page.py``): the page drawn, three brushed basins, then the slider at 100
%, 0 %, 50 % and 70 % of its range. "exact" is until every view has drawn its exact level of
detail (see ``widgets.py``).

Usage:  python benchmarks/explorer_moves.py [--before REF] [--case noise] [--rounds 8]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _views_page import ARGS, BRUSH_JS, CHROMIUM, DRAWN_JS, SLIDER_JS, SLIDER_MOVES  # noqa: E402
from widgets import CASES, ROOT, checkout, remove_checkout, write_inputs  # noqa: E402

RENDER_MS_JS = """() => Object.fromEntries([...document.querySelectorAll("[data-view]")]
  .filter((v) => v.hasAttribute("data-render-ms"))
  .map((v) => [v.dataset.view, Number(v.getAttribute("data-render-ms"))]))"""

EXPORT = """import sys
import numpy as np
import landscape_widgets as lw
arrays = np.load(sys.argv[1], allow_pickle=False)
axes = tuple(arrays[f"axis{i}"] for i in range(arrays["values"].ndim))
lw.Explorer(lw.Landscape.from_array(arrays["values"], axes=axes), sys.argv[3]).to_html(sys.argv[2])
print(lw.__file__)
"""


def export(tree: Path, data: Path, html: Path, connectivity: str) -> None:
    """The case's Explorer exported by the code in ``tree``."""
    # run in the tree: ``python -c`` puts the working directory first on the import path
    done = subprocess.run([sys.executable, "-c", EXPORT, str(data), str(html), connectivity],
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, cwd=tree,
                          check=True, capture_output=True, text=True)
    if not Path(done.stdout.strip()).is_relative_to(tree):  # the other side's code: a wrong run
        sys.exit(f"exported by {done.stdout.strip()}, not by the code in {tree}")


def one_page(browser: Any, html: Path, brush: list[int]) -> dict[str, Any]:
    """The gestures on a fresh page: {"page": ms, "brush": [...], move: (ms, exact, views)}."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    try:
        page.goto(html.as_uri(), wait_until="commit")
        out: dict[str, Any] = {"page": page.evaluate(DRAWN_JS, [60_000])["ms"]}
        out["brush"] = [page.evaluate(BRUSH_JS, [b, 10_000])["ms"] for b in brush]
        for f in SLIDER_MOVES:
            r = page.evaluate(SLIDER_JS, [f, 10_000, 2000])
            out[f] = (r.get("ms", -1), r.get("exactMs", r.get("ms", -1)),
                      page.evaluate(RENDER_MS_JS))
        return out
    finally:
        page.close()


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="main", help="git ref measured as 'before' (main)")
    ap.add_argument("--case", default="noise", choices=[c for c in CASES if c != "sines"])
    ap.add_argument("--rounds", type=int, default=8, help="fresh pages per side")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    import landscape_widgets as lw

    work = Path(tempfile.mkdtemp(prefix="lw-moves-"))
    write_inputs(work, [args.case], quick=False)
    data = work / f"{args.case}.npz"
    values = np.load(data)["values"]
    connectivity = CASES[args.case][4]
    tree = lw.merge_tree(lw.Landscape.from_array(values), connectivity=connectivity)
    # the three most persistent basins after the global minimum, as widgets.py brushes
    brush = [int(tree.minima[1 + i]) for i in np.argsort(-tree.persistence, kind="stable")[:3]]
    before = checkout(args.before, work)
    pages = {"before": work / "before.html", "after": work / "after.html"}
    try:
        export(before, data, pages["before"], connectivity)
        export(ROOT, data, pages["after"], connectivity)
    finally:
        remove_checkout(before)
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.rounds):
            for side in runs:
                runs[side].append(one_page(browser, pages[side], brush))
        browser.close()
    print(f"{args.case}: {tree.minima.size} basins; {args.rounds} pages a side, interleaved; "
          f"before = {args.before}; median (range) in ms\n")
    print("| gesture | before | after | before, exact | after, exact "
          "| per view, before → after (medians) |")
    print("|---|---|---|---|---|---|")
    print(f"| page drawn | {summary([r['page'] for r in runs['before']])} | "
          f"{summary([r['page'] for r in runs['after']])} | | | |")
    print(f"| brushing | {summary([b for r in runs['before'] for b in r['brush']])} | "
          f"{summary([b for r in runs['after'] for b in r['brush']])} | | | |")
    for f in SLIDER_MOVES:
        cells = [summary([r[f][0] for r in runs[s]]) for s in runs]
        cells += [summary([r[f][1] for r in runs[s]]) for s in runs]
        views = runs["after"][0][f][2]

        def median_ms(side: str, view: str, f: float = f) -> str:
            return f"{statistics.median(r[f][2].get(view, 0) for r in runs[side]):.0f}"

        per_view = ", ".join(f"{v} {median_ms('before', v)} → {median_ms('after', v)}"
                             for v in views)
        print(f"| slider to {f:.0%} | " + " | ".join(cells) + f" | {per_view} |")


if __name__ == "__main__":
    main()
