"""Chunk sizing from memory, halving on out-of-memory, the grid's point order, and when the
affine-head shortcut applies."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from landscape_widgets.evaluation import sample_landscape
from landscape_widgets.evaluation.functional import PointLoss
from landscape_widgets.evaluation.grid import Grid
from landscape_widgets.evaluation.head import find_affine_head
from landscape_widgets.evaluation.memory import (
    ActivationMeter,
    choose_chunk_size,
    is_out_of_memory,
)
from landscape_widgets.evaluation.sample import sample_with
from landscape_widgets.evaluation.strategy import OwnedLoop, VmapChunks
from landscape_widgets.landscape import Landscape

from .conftest import loop_reference, random_subspace

CPU = torch.device("cpu")


def test_choose_chunk_size_follows_memory_and_caps():
    assert choose_chunk_size(CPU, 10**6, 10**6, free_bytes=4 * 10**8) == 100
    assert choose_chunk_size(CPU, 10**6, 30, free_bytes=4 * 10**8) == 30  # no more than left
    assert choose_chunk_size(CPU, 10**12, 100, free_bytes=10**6) == 1  # never below one
    assert choose_chunk_size(CPU, 1, 10**9, free_bytes=10**12) == 256  # CPU cap


def test_is_out_of_memory():
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 2 GiB"))
    assert is_out_of_memory(RuntimeError("DefaultCPUAllocator: can't allocate memory"))
    assert is_out_of_memory(MemoryError())
    assert not is_out_of_memory(RuntimeError("mat1 and mat2 shapes cannot be multiplied"))
    assert not is_out_of_memory(ValueError("out of memory"))


def test_out_of_memory_halves_the_chunk_and_retries(mlp_problem):
    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    sizes = []

    class SmallMemory(VmapChunks):
        def losses(self, points):
            sizes.append(len(points))
            if len(points) > 6:
                raise RuntimeError("CUDA out of memory (simulated)")
            return super().losses(points)

    land = sample_with(lambda ev, chunk, **_: [SmallMemory(ev, chunk)], model, loss_fn, data,
                       sub, resolution=7, chunk_size=40, progress=False, dtype=torch.float64)
    assert sizes[:3] == [40, 20, 10] and max(sizes[3:]) == 5
    assert land.provenance.extra["strategy"].startswith("vmap over chunks of 5 points")
    np.testing.assert_allclose(land.values, loop_reference(model, loss_fn, data, sub, land.axes),
                               atol=1e-10)


def test_out_of_memory_at_one_point_is_raised(mlp_problem):
    model, loss_fn, data = mlp_problem

    class NoMemory(VmapChunks):
        def losses(self, points):
            raise RuntimeError("CUDA out of memory (simulated)")

    class NoMemoryLoop(OwnedLoop):
        def losses(self, points):
            raise RuntimeError("CUDA out of memory (simulated)")

    with pytest.raises(RuntimeError, match="out of memory"):
        sample_with(lambda ev, chunk, **_: [NoMemory(ev, chunk), NoMemoryLoop(ev)], model, loss_fn,
                    data, random_subspace(model, 1), resolution=4, chunk_size=4, progress=False)


def test_activation_meter_counts_leaf_outputs():
    model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    meter = ActivationMeter()
    with meter.attached(model):
        meter.start_pass()
        model(torch.zeros(7, 3))
        meter.end_pass()
    assert meter.peak_bytes == 4 * 7 * (5 + 5 + 2)
    assert meter.largest_per_sample == 0  # no sample count given
    assert not model[0]._forward_hooks  # hooks removed afterwards
    with meter.attached(model):
        meter.start_pass(7)
        model(torch.zeros(7, 3))
        meter.end_pass()
    assert meter.largest_per_sample == 4 * 5  # the widest output, per sample


def test_cpu_chunk_keeps_activations_in_cache(monkeypatch):
    from landscape_widgets.evaluation import memory

    monkeypatch.setattr(memory, "l2_cache_bytes", lambda: 2 << 20)
    cpu, cuda = torch.device("cpu"), torch.device("cuda")
    plenty = 1 << 40
    # 512 KiB per point: 3 L2 caches hold 12 points' activations
    assert choose_chunk_size(cpu, 1 << 20, 10**6, plenty, activation_bytes=512 << 10) == 12
    assert choose_chunk_size(cpu, 1 << 20, 10**6, plenty, activation_bytes=1 << 30) == 1
    assert choose_chunk_size(cpu, 1 << 20, 10**6, plenty) == memory.CPU_MAX_CHUNK
    # GPUs are not cache-capped
    assert choose_chunk_size(cuda, 1 << 20, 10**6, plenty, activation_bytes=512 << 10) > 12


def test_l2_cache_size_is_read_or_defaulted():
    from landscape_widgets.evaluation.memory import l2_cache_bytes

    size = l2_cache_bytes()
    assert isinstance(size, int) and (64 << 10) <= size <= (1 << 30)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(2, 5), min_size=1, max_size=4), st.data())
def test_grid_coordinates_match_landscape_points(shape, data):
    grid = Grid.build(len(shape), shape, 1.5)
    land = Landscape(values=np.zeros(shape), axes=grid.axes)
    ids = np.array(data.draw(st.lists(st.integers(0, grid.size - 1), min_size=1, max_size=20)))
    np.testing.assert_array_equal(grid.coordinates(ids), land.points[ids])


def test_affine_head_applies_only_where_exact():
    lin = nn.Sequential(nn.Flatten(), nn.Linear(48, 4), nn.ReLU())
    assert find_affine_head(lin, dims=2).layer_name == "1"
    assert find_affine_head(nn.Sequential(nn.Conv2d(6, 2, 3)), dims=2) is not None
    # too little arithmetic per output to pay for combining dims + 1 outputs
    assert find_affine_head(nn.Sequential(nn.Linear(47, 4)), dims=2) is None
    assert find_affine_head(nn.Sequential(nn.Conv2d(1, 2, 3)), dims=2) is None
    assert find_affine_head(nn.Sequential(nn.ReLU(), nn.Linear(48, 4)), dims=2) is None
    assert find_affine_head(nn.Sequential(nn.LayerNorm(48), nn.Linear(48, 4)), dims=2) is None

    class Custom(nn.Sequential):
        pass

    assert find_affine_head(Custom(nn.Linear(48, 4)), dims=2) is None
    hooked = nn.Sequential(nn.Linear(48, 4))
    hooked[0].register_forward_hook(lambda m, i, o: o * 2)
    assert find_affine_head(hooked, dims=2) is None
    param = nn.Sequential(nn.utils.parametrizations.weight_norm(nn.Linear(48, 4)))
    assert find_affine_head(param, dims=2) is None


def test_affine_head_and_general_path_agree():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(80, 6), nn.Tanh(), nn.Linear(6, 1)).eval()
    x, y = torch.randn(9, 80), torch.randn(9, 1)
    sub = random_subspace(model, 3)
    from landscape_widgets.model.data import as_batches

    def point_loss(head):
        pl = PointLoss(model, nn.MSELoss(), as_batches((x, y)), sub, CPU, torch.float64)
        if not head:
            pl.head = None
        assert (pl.head is not None) == head
        return pl

    coords = np.random.default_rng(0).normal(size=(11, 3))
    with_head, without = point_loss(True), point_loss(False)
    with_head.at(np.zeros(3))  # fills the data cache, so the head basis is cached too
    a, b = with_head.batched(coords), without.batched(coords)
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=0, atol=1e-12)
    assert len(with_head._basis_cache) == 1
    np.testing.assert_allclose(with_head.batched(coords).numpy(), b.numpy(), rtol=0, atol=1e-12)


def test_cpu_race_switches_to_the_loop_when_it_is_faster(mlp_problem):
    from .test_sample import slow_vmap

    model, loss_fn, data = mlp_problem
    sub = random_subspace(model, 2)
    land = sample_with(slow_vmap, model, loss_fn, data, sub, resolution=5, progress=False,
                       dtype=torch.float64, device="cpu")
    assert land.provenance.extra["evaluation"] == "loop-faster"
    np.testing.assert_allclose(land.values, loop_reference(model, loss_fn, data, sub, land.axes),
                               atol=1e-10)
    # a fixed chunk size means no race
    land = sample_landscape(model, loss_fn, data, sub, resolution=5, progress=False,
                            chunk_size=8, device="cpu")
    assert land.provenance.extra["evaluation"] == "vmap"
