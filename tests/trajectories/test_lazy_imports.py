"""The trajectories stage loads torch only for sampling, and phate/gudhi only when called."""

import subprocess
import sys


def test_imports_stay_light() -> None:
    code = (
        "import sys\n"
        "import landscape_widgets as lw\n"
        "from landscape_widgets.trajectories import phate_embedding, trajectory_topology\n"
        "from landscape_widgets.trajectories import pca_embedding, GraphPersistence\n"
        "_ = lw.TrajectoryView\n"
        "heavy = [m for m in ('torch', 'phate', 'graphtools', 'gudhi', 'matplotlib', 'sklearn')\n"
        "         if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
