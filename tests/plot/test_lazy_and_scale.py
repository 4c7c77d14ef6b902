"""lw.plot loads matplotlib only when first used, and its loss scale is the widgets' rule."""

import subprocess
import sys

import numpy as np
import pytest

from landscape_widgets.plot import _style as st


def test_matplotlib_loads_only_with_lw_plot():
    code = (
        "import sys\n"
        "import landscape_widgets as lw\n"
        "assert 'plot' in dir(lw)\n"
        "before = 'matplotlib' in sys.modules\n"
        "plot = lw.plot\n"
        "print(before, 'matplotlib' in sys.modules, plot.__name__, callable(lw.plot.profile),\n"
        "      'ipywidgets' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    # drawing a figure never loads the widgets (anywidget, ipywidgets)
    assert out.stdout.split() == ["False", "True", "landscape_widgets.plot", "True", "False"]


RANGES = [(0.08, 1237.0), (0.5, 20.0), (1.0, 101.0), (1.0, 99.0), (0.0, 10.0), (-1.0, 0.5),
          (-1.0, 300.0), (-5.0, -1.0), (2.0, 2.0), (3.0, 1.0), (1e-9, 1.0)]


@pytest.mark.parametrize(("vmin", "vmax"), RANGES)
def test_scale_kind_and_bands_match_the_widgets(vmin, vmax):
    from landscape_widgets.widgets._scale import log_edges, resolve_scale

    for scale in ("linear", "log", "auto"):
        kind = st.scale_kind(scale, vmin, vmax, "test")
        assert kind == resolve_scale(scale, vmin, vmax)
        if vmax > vmin:
            expected = log_edges(vmin, vmax, 12) if kind != "linear" else np.linspace(vmin, vmax,
                                                                                     13)
            assert np.allclose(st.band_edges(kind, vmin, vmax, 12), expected)


def test_tick_labels_are_plain_round_numbers():
    assert [st._plain(v) for v in (0.03, 0.1, 1.0, 30.0, 300.0, 1000.0, 20000.0, -2.0)] == [
        "0.03", "0.1", "1", "30", "300", "1000", "20000", "−2"]
    assert np.allclose(10 ** st.log_ticks(np.log10(0.08), np.log10(1237.0)),
                       [0.1, 1, 10, 100, 1000])
    assert np.allclose(10 ** st.log_ticks(0.0, 1.0), [1, 2, 5, 10])


def test_star_import_works_without_matplotlib():
    # a plain install has no matplotlib: `import *` must not reach lw.plot, and lw.plot must
    # say how to get it
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None  # as if it were not installed\n"
        "from landscape_widgets import *\n"
        "import landscape_widgets as lw\n"
        "try:\n"
        "    lw.plot\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert "lw.plot needs matplotlib: pip install 'landscape-widgets[plot]'" in out.stdout
