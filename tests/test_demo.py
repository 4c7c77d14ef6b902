"""The README's main command (`python -m landscape_widgets demo`) runs and writes the explorer."""

import subprocess
import sys


def test_demo_writes_the_linked_explorer(tmp_path):
    out = tmp_path / "explorer.html"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "landscape_widgets",
            "demo",
            "--example",
            "mlp",
            "--resolution",
            "9",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "minima:" in run.stdout and "SMAD:" in run.stdout
    html = out.read_text()
    assert "lw-explorer" in html  # the Explorer view, with its inlined offline runtime
    assert out.stat().st_size > 10_000


def test_demo_rejects_unknown_examples():
    run = subprocess.run(
        [sys.executable, "-m", "landscape_widgets", "demo", "--example", "resnet"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "invalid choice: 'resnet'" in run.stderr
