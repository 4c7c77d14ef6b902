"""numba and gudhi load only when a tree or diagram is computed, not at import."""

import subprocess
import sys


def test_stage_imports_stay_light():
    code = (
        "import sys\n"
        "import landscape_widgets.graph, landscape_widgets.topology, landscape_widgets.metrics\n"
        "heavy = [m for m in ('numba', 'gudhi', 'pynndescent') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
