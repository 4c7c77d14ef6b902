"""Dask and zarr are an optional extra: nothing imports them until an executor or a store is
used."""

import subprocess
import sys


def test_dask_and_zarr_are_imported_only_when_used():
    code = (
        "import sys, landscape_widgets as lw; lw.Landscape; lw.sample_landscape; "
        "lw.sweep_training; lw.jump_and_retrain; lw.SweepError; "
        "print([m for m in ('dask', 'distributed', 'zarr') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
