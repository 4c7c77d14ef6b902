import numpy as np
import pytest

from landscape_widgets.landscape import Landscape, Provenance, grid_axes


def test_from_function_matches_direct_evaluation():
    f = lambda p: np.sin(p[:, 0]) + p[:, 1] ** 2  # noqa: E731
    land = Landscape.from_function(f, dims=2, resolution=(7, 5), extent=[(-1, 2), (0, 1)])
    assert land.shape == (7, 5)
    for i, x in enumerate(land.axes[0]):
        for j, y in enumerate(land.axes[1]):
            assert land.values[i, j] == pytest.approx(np.sin(x) + y**2)
    # flat vertex id <-> points row <-> coordinates agree (C order)
    k = np.ravel_multi_index((3, 4), land.shape)
    assert np.allclose(land.points[k], [land.axes[0][3], land.axes[1][4]])
    assert np.allclose(land.coordinates(k), land.points[k])


def test_odd_resolution_puts_model_exactly_at_centre():
    axes = grid_axes(3, 41, 0.7)
    assert all(a[20] == 0.0 for a in axes)
    land = Landscape.from_array(np.zeros((41, 41)), extent=0.7)
    assert np.all(land.coordinates(land.center_index) == 0.0)


def test_values_are_read_only_and_frozen():
    land = Landscape.from_array(np.arange(12.0).reshape(3, 4))
    with pytest.raises(ValueError):
        land.values[0, 0] = 5.0
    with pytest.raises(AttributeError):
        land.values = np.zeros((3, 4))  # type: ignore[misc]


def test_save_load_round_trip_keeps_everything(tmp_path):
    vals = np.random.default_rng(0).normal(size=(4, 5, 6))
    vals[1, 2, 3] = np.nan
    vals[0, 0, 0] = np.inf
    prov = Provenance(
        source="random",
        normalization="filter",
        seed=3,
        eigenvalues=(2.0, 1.0, 0.5),
        resolution=(4, 5, 6),
        extent=((-1, 1),) * 3,
        loss_name="CrossEntropyLoss",
        model_name="MLP",
        extra={"ignore_bias_and_norm": True},
    )
    land = Landscape.from_array(vals, provenance=prov)
    path = land.save(tmp_path / "land")
    assert path.suffix == ".npz"
    back = Landscape.load(path)
    np.testing.assert_array_equal(back.values, land.values)
    for a, b in zip(back.axes, land.axes):
        np.testing.assert_array_equal(a, b)
    assert back.provenance == land.provenance
    # no pickle anywhere in the file
    with np.load(path, allow_pickle=False) as data:
        assert set(data.files) == {"values", "meta", "axis_0", "axis_1", "axis_2"}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(dims=0, resolution=5, extent=1.0), "dims: expected an integer >= 1, got 0"),
        (dict(dims=2, resolution=1, extent=1.0), "at least 2 points per axis, got \\(1, 1\\)"),
        (dict(dims=2, resolution=5, extent=0.0), "positive finite half-widths, got \\[0.0, 0.0\\]"),
        (dict(dims=2, resolution=5, extent=[1.0, 2.0, 3.0]), "one number or 2 numbers"),
        (dict(dims=1, resolution=5, extent=[(1.0, -1.0)]), "low < high"),
        (dict(dims=2, resolution=(3, 4, 5), extent=1.0), "one integer or 2 integers, got 3"),
    ],
)
def test_bad_grid_arguments_get_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        grid_axes(**kwargs)


def test_bad_arrays_get_clear_errors():
    with pytest.raises(ValueError, match="non-empty n-D array, got shape \\(0,\\)"):
        Landscape.from_array(np.array([]))
    with pytest.raises(ValueError, match="expected 2 axes for values of shape \\(3, 3\\), got 1"):
        Landscape(values=np.zeros((3, 3)), axes=(np.arange(3.0),))
    with pytest.raises(ValueError, match="strictly increasing"):
        Landscape(values=np.zeros(3), axes=(np.array([0.0, 2.0, 1.0]),))
    with pytest.raises(ValueError, match="return 9 values .* got shape \\(2,\\)"):
        Landscape.from_function(lambda p: np.zeros(2), dims=2, resolution=3)
    with pytest.raises(ValueError, match="not a saved Landscape"):
        path = "/tmp/_not_a_landscape.npz"
        np.savez(path, values=np.zeros(2), meta=np.array('{"format": "other"}'))
        Landscape.load(path)


def test_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, landscape_widgets as lw; lw.Landscape; dir(lw); "
        "heavy = [m for m in ('torch', 'numba', 'gudhi', 'pynndescent', 'ipywidgets', "
        "'anywidget', 'matplotlib', 'landscape_widgets.plot') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_scattered_landscape_round_trip_and_helpers(tmp_path):
    rng = np.random.default_rng(0)
    pts = rng.uniform(-2, 2, size=(50, 3))
    vals = (pts**2).sum(1)
    vals[4] = np.nan
    prov = Provenance(source="random", seed=7, extra={"sampler": "sobol"})
    land = Landscape.from_points(pts, vals, bounds=[(-2, 2), (-2, 2), (-3, 3)], provenance=prov)
    assert not land.is_grid and land.dims == 3 and land.shape == (50,) and land.size == 50
    assert land.axes == () and land.bounds == ((-2.0, 2.0), (-2.0, 2.0), (-3.0, 3.0))
    np.testing.assert_array_equal(land.points, pts)
    np.testing.assert_array_equal(land.coordinates(7), pts[7])
    assert land.center_index == int(np.argmin(np.linalg.norm(pts, axis=1)))
    with pytest.raises(ValueError, match="read-only"):
        land.points[0, 0] = 1.0
    path = land.save(tmp_path / "cloud.npz")
    back = Landscape.load(path)
    assert not back.is_grid and back.provenance == land.provenance
    np.testing.assert_array_equal(back.points, pts)
    np.testing.assert_array_equal(back.values, land.values)
    with np.load(path, allow_pickle=False) as data:
        assert set(data.files) == {"values", "meta", "points"}
    # without bounds: the points' bounding box
    box = Landscape.from_points(pts, vals).bounds
    np.testing.assert_allclose(box, np.stack([pts.min(0), pts.max(0)], axis=1))
    assert "points=50, dims=3" in repr(land)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.zeros((5, 2)), np.zeros(4)), r"points: expected an \(4, dims\) array"),
        ((np.zeros(5), np.zeros(5)), r"points: expected a non-empty \(N, dims\)"),
        ((np.zeros((2, 2)), np.zeros((2, 1))), r"values: expected a non-empty \(N,\) array"),
        ((np.array([[0.0, np.inf]]), np.zeros(1)), "points: expected finite"),
        ((np.zeros((2, 2)), np.zeros(2), [1.0]), "extent: expected one number or 2"),
        ((np.array([[0.0, 0.5], [2.0, 0.0]]), np.zeros(2), 1.0), "bounds: .* 1 of 2 points lie"),
    ],
)
def test_scattered_bad_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        Landscape.from_points(*args)
