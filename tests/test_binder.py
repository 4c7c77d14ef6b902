"""binder/: CPU-only torch, the package with its widgets, and a start script that runs the
notebooks at the small sizes (Binder's machines cannot run the paper-sized defaults)."""

import os
import subprocess
from pathlib import Path

BINDER = Path(__file__).resolve().parent.parent / "binder"


def test_requirements_take_cpu_torch_and_the_package():
    text = (BINDER / "requirements.txt").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text
    assert "torch==" in text
    assert "-e .[widgets" in text


def test_start_script_selects_the_small_sizes_and_runs_the_server_command():
    start = BINDER / "start"
    assert os.access(start, os.X_OK), "binder/start must be executable"
    env = {k: v for k, v in os.environ.items() if k != "LW_CI"}
    out = subprocess.run([str(start), "sh", "-c", 'echo "LW_CI=$LW_CI args=$0"'],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "LW_CI=1 args=sh"
